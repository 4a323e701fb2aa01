internal import CZlib

/// Streaming zlib compression into gzip or zlib-format output.
///
/// Not thread-safe: one instance belongs to one stream on one event loop. zlib keeps a pointer
/// back to its `z_stream`, so the stream lives at a fixed heap address for the object's lifetime.
public final class Deflater {
    /// How much of the input `compress` must push out.
    public enum Flush: Sendable {
        /// Buffer freely; output may lag behind input.
        case none
        /// Emit everything so far on a byte boundary, so the peer can decode it now (one per message
        /// of a streamed response).
        case sync
        /// End the stream and write its trailer.
        case finish
    }

    private let stream: UnsafeMutablePointer<z_stream>
    public let format: CompressionFormat
    /// The compression level the stream was set up with.
    public let level: Int32

    /// - Parameter level: 0 (store) to 9 (best); -1 is zlib's default (6).
    public init(format: CompressionFormat, level: Int32 = -1) throws(CompressionError) {
        self.format = format
        self.level = level
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = czlib_deflate_init2(stream, level, format.windowBits, 8)
        guard status == Z_OK else {
            stream.deallocate()
            throw CompressionError(.zlibFailure, "deflateInit2 returned \(status)")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `input`, appending output to `output`.
    public func compress(_ input: UnsafeRawBufferPointer, flush: Flush, into output: inout [UInt8]) throws(CompressionError) {
        let mode: Int32 =
            switch flush {
            case .none: Z_NO_FLUSH
            case .sync: Z_SYNC_FLUSH
            case .finish: Z_FINISH
            }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        var chunk = [UInt8](repeating: 0, count: max(256, Int(deflateBound(stream, uLong(input.count)))))
        while true {
            let status = chunk.withUnsafeMutableBufferPointer { buffer in
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = uInt(buffer.count)
                return CZlib.deflate(stream, mode)
            }
            let produced = chunk.count - Int(stream.pointee.avail_out)
            output.append(contentsOf: chunk[0..<produced])
            if status == Z_STREAM_END { break }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw CompressionError(.zlibFailure, "deflate returned \(status)")
            }
            // Done when zlib took all input and had room to spare for what the flush asked.
            if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 && mode != Z_FINISH { break }
        }
        stream.pointee.next_in = nil
    }

    /// Starts a new stream with the same format and level, keeping zlib's memory
    /// (`deflateReset`): the next ``compress(_:flush:into:)`` produces what a fresh deflater
    /// would, without the allocation and clearing of `deflateInit2`.
    public func reset() throws(CompressionError) {
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        let status = deflateReset(stream)
        guard status == Z_OK else { throw CompressionError(.zlibFailure, "deflateReset returned \(status)") }
    }

    /// Compresses `input` as one complete stream, from a freshly started or reset deflater.
    ///
    /// One `deflate(Z_FINISH)` into a buffer of `deflateBound` bytes, which zlib guarantees is
    /// enough to finish in one call: no intermediate buffer and no copy.
    func compressWhole(_ input: [UInt8]) throws(CompressionError) -> [UInt8] {
        let bound = Int(deflateBound(stream, uLong(input.count)))
        var status: Int32 = Z_OK
        let output = input.withUnsafeBytes { source in
            [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
                stream.pointee.next_in = UnsafeMutablePointer(
                    mutating: source.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = uInt(source.count)
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = uInt(bound)
                status = CZlib.deflate(stream, Z_FINISH)
                count = bound - Int(stream.pointee.avail_out)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
            }
        }
        guard status == Z_STREAM_END else { throw CompressionError(.zlibFailure, "deflate returned \(status)") }
        return output
    }

    /// Compresses `input` as one complete stream, with a deflater this thread reuses
    /// (``DeflaterCache``) instead of setting up a new zlib stream per call.
    public static func compress(_ input: [UInt8], format: CompressionFormat, level: Int32 = -1) throws(CompressionError) -> [UInt8] {
        let deflater = try DeflaterCache.take(format: format, level: level)
        defer { DeflaterCache.recycle(deflater) }
        return try deflater.compressWhole(input)
    }
}
