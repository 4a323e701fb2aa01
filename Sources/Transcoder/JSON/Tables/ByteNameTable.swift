/// A frozen hash table from names (raw UTF-8 bytes) to small integers, for looking up JSON keys
/// and enum names straight from the input buffer without building a `String`.
///
/// Open addressing with linear probing over a power-of-two slot array at most half full; the
/// names live back to back in one byte array. Built once per schema, then only read.
struct ByteNameTable: Sendable {
    private var names: [UInt8] = []
    /// Per entry: start in `names`, length, value.
    private var entries: [(start: Int32, count: Int32, value: Int32)] = []
    /// Entry index + 1 per slot; 0 is empty.
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int) {
        var size = 8
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// A hash that reads at most two unaligned words: the first and the last eight bytes (or
    /// the bytes one by one when there are fewer), mixed with the length. Names that share
    /// both ends only cost a longer probe; the comparison decides.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        let count = bytes.count
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        if count >= 8 {
            hash ^= bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            hash = (hash ^ (hash >> 31)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else {
            var word: UInt64 = 0
            for index in 0..<count { word |= UInt64(bytes[index]) << UInt64(index * 8) }
            hash ^= word
        }
        hash = (hash ^ (hash >> 29)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: hash ^ (hash >> 32))
    }

    /// Adds `name` → `value` unless `name` is already present (the first value wins).
    mutating func insert(_ name: String, value: Int) {
        var name = name
        name.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            if lookup(bytes) != nil { return }
            if (entries.count + 1) * 2 > slots.count { grow() }
            entries.append((Int32(names.count), Int32(bytes.count), Int32(value)))
            names.append(contentsOf: bytes)
            place(entry: entries.count - 1, hash: Self.hash(bytes))
        }
    }

    private mutating func place(entry: Int, hash: Int) {
        var slot = hash & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry + 1)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        for index in entries.indices {
            let entry = entries[index]
            let hash = names.withUnsafeBytes {
                Self.hash(UnsafeRawBufferPointer(rebasing: $0[Int(entry.start)..<Int(entry.start + entry.count)]))
            }
            place(entry: index, hash: hash)
        }
    }

    /// The value for `name`, or nil.
    @inline(__always)
    func lookup(_ name: UnsafeRawBufferPointer) -> Int? {
        var slot = Self.hash(name) & mask
        return names.withUnsafeBytes { stored in
            while true {
                let entryIndex = Int(slots[slot])
                if entryIndex == 0 { return nil }
                let entry = entries[entryIndex - 1]
                if Int(entry.count) == name.count {
                    let start = Int(entry.start)
                    if name.count == 0
                        || memcmpEqual(stored.baseAddress! + start, name.baseAddress!, name.count)
                    {
                        return Int(entry.value)
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }
}

@inline(__always)
func memcmpEqual(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, _ count: Int) -> Bool {
    var index = 0
    while index + 8 <= count {
        if lhs.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            != rhs.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        {
            return false
        }
        index += 8
    }
    while index < count {
        if lhs.load(fromByteOffset: index, as: UInt8.self) != rhs.load(fromByteOffset: index, as: UInt8.self) {
            return false
        }
        index += 1
    }
    return true
}
