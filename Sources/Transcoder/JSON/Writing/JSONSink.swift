/// Where the JSON writers put text: an `Array` (the gateway's error bodies) or the printer's raw
/// ``OutputBuffer``. The writers are generic over it, so each caller gets a specialized copy.
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
