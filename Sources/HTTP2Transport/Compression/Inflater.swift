internal import CZlib

/// Streaming zlib decompression of gzip or zlib-format input, with a hard limit on output size.
///
/// The limit is checked as output is produced, so a small bomb never grows past `outputLimit`
/// bytes of memory. Not thread-safe; one instance per stream.
public final class Inflater {
    private let stream: UnsafeMutablePointer<z_stream>
    public let format: CompressionFormat
    /// The most bytes this stream may produce in total.
    public let outputLimit: Int
    /// Bytes produced so far.
    public private(set) var totalOutput = 0
    /// True once the compressed stream's end (and trailer) has been read.
    public private(set) var isFinished = false

    public init(format: CompressionFormat, outputLimit: Int) throws(CompressionError) {
        self.format = format
        self.outputLimit = outputLimit
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = czlib_inflate_init2(stream, format.windowBits)
        guard status == Z_OK else {
            stream.deallocate()
            throw CompressionError(.zlibFailure, "inflateInit2 returned \(status)")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Inflates a chunk of input, appending output. Input after the end of the stream is corrupt.
    public func decompress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(CompressionError) {
        guard !input.isEmpty else { return }
        guard !isFinished else { throw CompressionError(.corruptInput, "data after the end of the stream") }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer { stream.pointee.next_in = nil }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let status = chunk.withUnsafeMutableBufferPointer { buffer in
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = uInt(buffer.count)
                return inflate(stream, Z_NO_FLUSH)
            }
            let produced = chunk.count - Int(stream.pointee.avail_out)
            totalOutput += produced
            guard totalOutput <= outputLimit else {
                throw CompressionError(.outputLimitExceeded, "more than \(outputLimit) bytes")
            }
            output.append(contentsOf: chunk[0..<produced])
            switch status {
            case Z_STREAM_END:
                isFinished = true
                if stream.pointee.avail_in != 0 {
                    throw CompressionError(.corruptInput, "data after the end of the stream")
                }
                return
            case Z_OK:
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 { return }
            case Z_BUF_ERROR:
                return  // needs more input
            case Z_DATA_ERROR, Z_NEED_DICT:
                throw CompressionError(.corruptInput, stream.pointee.msg.map { String(cString: $0) } ?? "invalid data")
            default:
                throw CompressionError(.zlibFailure, "inflate returned \(status)")
            }
        }
    }

    /// Inflates one complete stream, failing if it is truncated or exceeds `outputLimit`.
    public static func decompress(_ input: [UInt8], format: CompressionFormat, outputLimit: Int) throws(CompressionError) -> [UInt8] {
        let inflater = try Inflater(format: format, outputLimit: outputLimit)
        var output: [UInt8] = []
        let result: Result<Void, CompressionError> = input.withUnsafeBytes { buffer in
            do throws(CompressionError) {
                return .success(try inflater.decompress(buffer, into: &output))
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        guard inflater.isFinished else { throw CompressionError(.truncatedInput) }
        return output
    }
}
