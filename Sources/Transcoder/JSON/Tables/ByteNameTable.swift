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

    /// FNV-1a over the bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
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
