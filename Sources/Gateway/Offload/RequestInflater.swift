import HTTP2Transport

/// Inflates a request body sent with `Content-Encoding: gzip` or `deflate` (RFC 9110 §8.4.1) as
/// it arrives, with a limit on the inflated size: a decompression bomb is stopped at the limit
/// (413), so memory never grows past it whatever the ratio. The compressed size has the same
/// limit.
///
/// Sans-I/O and incremental, so it can sit in front of a fully received body or a streamed one
/// (HTTP/1.1 chunks, HTTP/2 DATA frames) alike; the output does not depend on how the input is
/// split.
///
/// ```swift
/// guard let inflater = try RequestInflater(contentEncoding: head["content-encoding"], limit: 4 << 20)
/// else { /* identity: use the body as it is */ }
/// for chunk in body { try inflater.feed(chunk, into: &inflated) }   // 413 / 400 as they happen
/// try inflater.finish()                                               // 400 if truncated
/// ```
public final class RequestInflater {
    private let inflater: Inflater
    /// The coding being removed.
    public var format: CompressionFormat { inflater.format }
    /// Inflated bytes produced so far.
    public var inflatedCount: Int { inflater.totalOutput }
    /// Compressed bytes taken in so far; limited like the inflated size, so a body that
    /// inflates to little (empty deflate blocks) cannot stream in without end either.
    public private(set) var compressedCount = 0

    /// An inflater for a `Content-Encoding` value; nil when there is nothing to undo (absent or
    /// `identity`). Throws 415 for a coding the gateway does not know and for stacked codings.
    public init?(contentEncoding: String?, limit: Int) throws(GatewayError) {
        guard let format = try Self.format(of: contentEncoding) else { return nil }
        do {
            inflater = try Inflater(format: format, outputLimit: limit)
        } catch {
            throw .internalError("cannot start inflating the request body: \(error)")
        }
    }

    /// The single coding a `Content-Encoding` value names; nil for none or `identity`.
    public static func format(of contentEncoding: String?) throws(GatewayError) -> CompressionFormat? {
        guard let contentEncoding else { return nil }
        var found: CompressionFormat?
        for element in contentEncoding.split(separator: ",") {
            let name = element.trimmingCharacters(in: " \t").lowercased()
            if name.isEmpty || name == "identity" { continue }
            guard let format = name == "x-gzip" ? .gzip : CompressionFormat(rawValue: String(name)), found == nil else {
                throw .unsupportedContentEncoding(contentEncoding)
            }
            found = format
        }
        return found
    }

    /// Inflates the next piece of the body, appending to `output`.
    public func feed(_ chunk: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(GatewayError) {
        compressedCount += chunk.count
        guard compressedCount <= inflater.outputLimit else { throw .payloadTooLarge(limit: inflater.outputLimit) }
        do {
            try inflater.decompress(chunk, into: &output)
        } catch {
            throw translate(error)
        }
    }

    /// Inflates the next piece of the body, appending to `output`.
    public func feed(_ chunk: [UInt8], into output: inout [UInt8]) throws(GatewayError) {
        let result: Result<Void, GatewayError> = chunk.withUnsafeBytes { buffer in
            do throws(GatewayError) {
                return .success(try feed(buffer, into: &output))
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Checks that the body was a complete compressed stream. An empty body is an empty body.
    public func finish() throws(GatewayError) {
        if !inflater.isFinished && compressedCount > 0 {
            throw .invalidArgument("request body: \(format.rawValue) data is truncated")
        }
    }

    private func translate(_ error: CompressionError) -> GatewayError {
        if error.code == .outputLimitExceeded { return .payloadTooLarge(limit: inflater.outputLimit) }
        return .invalidArgument("request body: invalid \(format.rawValue) data (\(error))")
    }
}
