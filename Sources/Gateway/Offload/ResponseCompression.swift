import HTTP2Transport

/// Compresses a ``GatewayResponse`` per a ``CompressionPolicy`` and the request's
/// `Accept-Encoding`: a complete body at once (so `Content-Length` is the compressed size), a
/// streamed one chunk by chunk with a sync flush after each (one chunk is one message of a
/// server-streaming reply), so clients still see every message when it is sent.
enum ResponseCompression {
    static func apply(
        _ policy: CompressionPolicy, to response: GatewayResponse, acceptEncoding: String?, isHead: Bool
    ) -> GatewayResponse {
        // Never twice: a body that already has a coding (an HttpBody reply, a backend header) stays.
        guard response.header("content-encoding") == nil, response.status != 204, response.status != 304,
            response.status >= 200, policy.compresses(contentType: response.header("content-type"))
        else { return response }
        var response = response
        response.addVary("Accept-Encoding")
        let negotiated = AcceptEncoding(header: acceptEncoding, supported: policy.formats)
        guard let format = negotiated.coding, !isHead else { return response }
        if let chunks = response.chunks {
            guard let compressor = try? StreamCompressor(format: format, level: policy.level) else { return response }
            response.chunks = CompressedChunks(chunks, compressor: compressor).stream
        } else {
            guard !response.body.isEmpty, response.body.count >= policy.minimumSize || !negotiated.identityAcceptable,
                let compressed = try? StreamCompressor.compress(response.body, format: format, level: policy.level),
                compressed.count < response.body.count || !negotiated.identityAcceptable
            else { return response }
            response.body = compressed
        }
        response.headers.append(("content-encoding", format.rawValue))
        return response
    }
}

/// A streamed body, compressed: pulls the next chunk only when its own consumer asks (so the
/// backpressure of the plain stream is kept), compresses it with a sync flush, and ends with
/// the coding's trailer. One consumer at a time (the writer of the response), hence unchecked.
final class CompressedChunks: @unchecked Sendable {
    private var source: AsyncStream<[UInt8]>.AsyncIterator
    private let compressor: StreamCompressor
    private var finished = false

    init(_ source: AsyncStream<[UInt8]>, compressor: StreamCompressor) {
        self.source = source.makeAsyncIterator()
        self.compressor = compressor
    }

    var stream: AsyncStream<[UInt8]> {
        AsyncStream(unfolding: { await self.next() })
    }

    func next() async -> [UInt8]? {
        while !finished {
            guard let chunk = await source.next() else {
                finished = true
                return try? compressor.finish()
            }
            if chunk.isEmpty { continue }
            guard let compressed = try? compressor.compress(chunk) else {
                finished = true
                return nil
            }
            if !compressed.isEmpty { return compressed }
        }
        return nil
    }
}
