/// Duplicate-key detection for JSON objects read as maps or `google.protobuf.Struct`s, whose
/// keys are data rather than field names, so no per-field bitset applies.
///
/// Each key is reduced to a 64-bit fingerprint that folds two independent hashes and the length
/// together (a false duplicate has odds of about 2^-64 per pair of keys). The fingerprints
/// of every open map live on one arena reused across the request (nested maps stack on top).
/// Up to ``linearLimit`` keys a map is checked by a linear scan, which costs no allocation; a
/// larger map moves its fingerprints into a `Set` once, so the cost stays linear overall.
struct MemberKeySet {
    /// One open object's share of the arena.
    struct Scope {
        fileprivate let base: Int
        fileprivate var large: Set<UInt64>?
    }

    static let linearLimit = 16
    private var arena: [UInt64] = []

    init() { arena.reserveCapacity(64) }

    mutating func open() -> Scope { Scope(base: arena.count, large: nil) }

    mutating func close(_ scope: Scope) { arena.removeLast(arena.count - scope.base) }

    /// Records `key`; false when the object already had it.
    mutating func insert(_ key: UnsafeRawBufferPointer, in scope: inout Scope) -> Bool {
        let fingerprint = Self.fingerprint(key)
        if scope.large != nil { return scope.large!.insert(fingerprint).inserted }
        for index in scope.base..<arena.count where arena[index] == fingerprint { return false }
        arena.append(fingerprint)
        if arena.count - scope.base > Self.linearLimit {
            scope.large = Set(arena[scope.base...])
        }
        return true
    }

    /// Two independent 64-bit hashes folded together, with the length.
    static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var fnv: UInt64 = 0xcbf2_9ce4_8422_2325
        var other: UInt64 = 0x9E37_79B9_7F4A_7C15
        for byte in bytes {
            fnv = (fnv ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            other = (other &+ UInt64(byte)) &* 0xff51_afd7_ed55_8ccd
            other ^= other >> 33
        }
        return fnv ^ (other &* 31) ^ UInt64(bytes.count)
    }
}
