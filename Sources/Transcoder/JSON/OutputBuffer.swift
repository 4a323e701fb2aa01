import ProtoWire

/// The output of both directions: a growable byte buffer in raw memory, written through a pointer
/// (no uniqueness or capacity check per byte in an `Array`). One buffer per request, sized from
/// the input; free it with ``release()``.
///
/// ``array(capacity:_:)`` writes straight into the storage of the array it returns, so the
/// result is not copied out at the end; only output that outgrows the estimate moves (once per
/// doubling, and once more into the array).
///
/// As a ``JSONSink`` it takes the printer's text. As a ``WireSink`` it does what ``WireWriter``
/// does — varints, fixed values, length prefixes reserved as one byte and back-patched (the
/// payload moves only when its length needs more) — but small values are stored, not appended
/// as sequences.
struct OutputBuffer: JSONSink {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0
    /// False while the bytes are in storage lent by ``array(capacity:_:)``.
    private var ownsStorage = true

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    private init(lending storage: UnsafeMutableBufferPointer<UInt8>) {
        base = storage.baseAddress.unsafelyUnwrapped
        capacity = storage.count
        ownsStorage = false
    }

    mutating func release() {
        if ownsStorage { base.deallocate() }
        capacity = 0
        count = 0
    }

    /// An array of what `fill` writes, written in place into the array's own storage of
    /// `capacity` bytes (at least 64). Output that outgrows it continues in a buffer of its own
    /// and is copied into the array at the end; so is output that leaves more than half of an
    /// estimate unused when that is over 64 KiB, so that a result kept for long (a request held
    /// for a retry) does not hold megabytes of slack too.
    static func array(
        capacity: Int, _ fill: (inout OutputBuffer) throws(TranscodingError) -> Void
    ) throws(TranscodingError) -> [UInt8] {
        var failure: TranscodingError?
        var spilled: [UInt8]?
        let written = [UInt8](unsafeUninitializedCapacity: max(capacity, 64)) { storage, initialized in
            var output = OutputBuffer(lending: storage)
            defer { output.release() }
            do throws(TranscodingError) {
                try fill(&output)
            } catch {
                failure = error
                initialized = 0
                return
            }
            if output.ownsStorage || storage.count - output.count > max(1 << 16, output.count) {
                spilled = output.bytes
                initialized = 0
            } else {
                initialized = output.count
            }
        }
        if let failure { throw failure }
        return spilled ?? written
    }

    /// A copy of the bytes written.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The bytes at `range`, valid until the next write.
    subscript(range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range outside the bytes written")
        return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if capacity - count < extra { grow(extra) }
    }

    @inline(never)
    private mutating func grow(_ extra: Int) {
        let newCapacity = max(capacity * 2, count + extra)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        if ownsStorage { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsStorage = true
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBytes { appendBytes($0) }
    }

    /// Room for `extra` more bytes, written through the returned pointer and then counted with
    /// ``commit(_:)``: one capacity check for a whole value instead of one per byte. The pointer
    /// is valid until the next write.
    @inline(__always)
    mutating func reserveTail(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        reserve(extra)
        return base + count
    }

    /// Counts `k` bytes written through ``reserveTail(_:)``'s pointer.
    @inline(__always)
    mutating func commit(_ k: Int) {
        count += k
    }

    /// Takes back the last `k` bytes written.
    @inline(__always)
    mutating func removeLast(_ k: Int) {
        precondition(k >= 0 && k <= count, "cannot remove more than was written")
        count -= k
    }
}

extension OutputBuffer: WireSink {
    @inline(__always)
    mutating func writeVarint(_ value: UInt64) {
        reserve(10)
        count = storeVarint(value, at: count)
    }

    /// Stores `value` as a varint at `index` (room already reserved); returns the index after it.
    @inline(__always)
    private func storeVarint(_ value: UInt64, at index: Int) -> Int {
        var value = value
        var index = index
        while value >= 0x80 {
            base[index] = UInt8(truncatingIfNeeded: value) | 0x80
            value >>= 7
            index += 1
        }
        base[index] = UInt8(truncatingIfNeeded: value)
        return index + 1
    }

    @inline(__always)
    mutating func writeFixed32(_ value: UInt32) {
        reserve(4)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.littleEndian, as: UInt32.self)
        count += 4
    }

    @inline(__always)
    mutating func writeFixed64(_ value: UInt64) {
        reserve(8)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.littleEndian, as: UInt64.self)
        count += 8
    }

    @inline(__always)
    mutating func writeTag(fieldNumber: UInt32, wireType: WireType) {
        writeVarint(UInt64(fieldNumber) << 3 | UInt64(wireType.rawValue))
    }

    @inline(__always)
    mutating func writeLengthDelimited(_ payload: UnsafeRawBufferPointer) {
        writeVarint(UInt64(payload.count))
        writeRaw(payload)
    }

    @inline(__always)
    mutating func writeRaw(_ raw: UnsafeRawBufferPointer) {
        guard let source = raw.baseAddress, raw.count > 0 else { return }
        reserve(raw.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: raw.count)
        count += raw.count
    }

    /// Reserves one byte for a length prefix; returns where it is.
    @inline(__always)
    mutating func beginLengthDelimited() -> Int {
        reserve(1)
        base[count] = 0
        count += 1
        return count - 1
    }

    /// Back-patches the length prefix at `mark`, moving the payload when its length needs more
    /// than one byte.
    @inline(__always)
    mutating func endLengthDelimited(_ mark: Int) {
        let length = count - mark - 1
        if length < 0x80 {
            base[mark] = UInt8(truncatingIfNeeded: length)
            return
        }
        let shift = WireSize.varint(UInt64(length)) - 1
        reserve(shift)
        (base + mark + 1 + shift).update(from: base + mark + 1, count: length)
        count += shift
        _ = storeVarint(UInt64(length), at: mark)
    }
}
