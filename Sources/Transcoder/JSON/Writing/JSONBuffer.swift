/// Where the JSON writers put text: an `Array` (the gateway's error bodies) or the printer's raw
/// ``JSONBuffer``. The writers are generic over it, so each caller gets a specialized copy.
protocol JSONSink {
    mutating func append(_ byte: UInt8)
    mutating func appendBytes(_ bytes: UnsafeRawBufferPointer)
}

extension Array: JSONSink where Element == UInt8 {
    /// `Array.append(contentsOf:)` copies a typed buffer with `memcpy` but walks a raw one byte by
    /// byte, so the bytes are appended as `UInt8`s.
    @inline(__always)
    mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
    }
}

/// The output of the protobuf → JSON direction: a growable byte buffer in raw memory, written
/// through a pointer (no uniqueness or capacity check per byte in an `Array`). One buffer per
/// request, sized from the input; free it with ``release()``.
struct JSONBuffer: JSONSink {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    mutating func release() {
        base.deallocate()
        capacity = 0
        count = 0
    }

    /// A copy of the text written.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The bytes at `range`, valid until the next write.
    subscript(range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range outside the text written")
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
        base.deallocate()
        base = newBase
        capacity = newCapacity
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

    /// Takes back the last `k` bytes written.
    @inline(__always)
    mutating func removeLast(_ k: Int) {
        precondition(k >= 0 && k <= count, "cannot remove more than was written")
        count -= k
    }
}
