import HTTP2Transport

/// Compresses a response body as it is produced: each ``compress(_:)`` ends on a zlib sync flush
/// (`Z_SYNC_FLUSH`), so a client decoding the stream sees every message as soon as it is sent,
/// not when the compressor's window fills; ``finish()`` writes the gzip or zlib trailer.
///
/// Sans-I/O over HTTP2Transport's ``Deflater``; one instance per response, used by one task at a
/// time.
///
/// ```swift
/// let compressor = try StreamCompressor(format: .gzip, level: 6)
/// for message in messages { send(try compressor.compress(message)) }
/// send(try compressor.finish())
/// ```
public final class StreamCompressor {
    private let deflater: Deflater
    /// The coding produced, for `Content-Encoding`.
    public var format: CompressionFormat { deflater.format }
    /// Bytes taken in and given out so far.
    public private(set) var bytesIn = 0
    public private(set) var bytesOut = 0

    /// - Parameter level: 1 (fastest) to 9 (smallest).
    public init(format: CompressionFormat, level: Int = 6) throws(CompressionError) {
        deflater = try Deflater(format: format, level: Int32(clamping: level))
    }

    /// The compressed bytes of `chunk`, flushed so the receiver can decode all of it now.
    public func compress(_ chunk: [UInt8]) throws(CompressionError) -> [UInt8] {
        try run(chunk, flush: .sync)
    }

    /// The end of the stream (whatever is buffered and the trailer).
    public func finish() throws(CompressionError) -> [UInt8] {
        try run([], flush: .finish)
    }

    private func run(_ input: [UInt8], flush: Deflater.Flush) throws(CompressionError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 2 + 64)
        let result: Result<Void, CompressionError> = input.withUnsafeBytes { buffer in
            do throws(CompressionError) {
                return .success(try deflater.compress(buffer, flush: flush, into: &output))
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        bytesIn += input.count
        bytesOut += output.count
        return output
    }

    /// A complete body in one call.
    public static func compress(_ body: [UInt8], format: CompressionFormat, level: Int = 6) throws(CompressionError)
        -> [UInt8]
    {
        try Deflater.compress(body, format: format, level: Int32(clamping: level))
    }
}
