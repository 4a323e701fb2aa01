/// A streamed request body (client streaming over HTTP/1.1 chunks or HTTP/2 DATA frames) seen
/// through a ``RequestInflater``: each compressed chunk pulled from the front end comes out
/// inflated, so the pipeline's splitter never sees the `Content-Encoding` (RFC 9110 §8.4.1).
///
/// Pull-driven like the stream it wraps: the next compressed chunk is read (and credited to the
/// client) only when the consumer asks, and the inflated size is limited by the inflater, so a
/// decompression bomb stops with 413 at the limit. A chunk that inflates to nothing (a gzip
/// header alone) is skipped; the end checks that the compressed stream was complete (400).
///
/// ```swift
/// request.bodyStream = InflatingBodyStream.wrap(stream, inflater: inflater)
/// for try await inflated in request.bodyStream! { splitter.append(inflated) }  // GatewayError
/// ```
final class InflatingBodyStream: @unchecked Sendable {
    // One consumer at a time pulls through `next()`, as `AsyncThrowingStream(unfolding:)` does.
    private var base: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
    private let inflater: RequestInflater
    private var ended = false

    private init(_ base: AsyncThrowingStream<[UInt8], any Error>, inflater: RequestInflater) {
        self.base = base.makeAsyncIterator()
        self.inflater = inflater
    }

    /// `stream`, inflated.
    static func wrap(
        _ stream: AsyncThrowingStream<[UInt8], any Error>, inflater: RequestInflater
    ) -> AsyncThrowingStream<[UInt8], any Error> {
        let body = InflatingBodyStream(stream, inflater: inflater)
        return AsyncThrowingStream(unfolding: { try await body.next() })
    }

    /// The next non-empty inflated chunk; nil at the end of a complete compressed stream.
    private func next() async throws -> [UInt8]? {
        while !ended {
            guard let chunk = try await base.next() else {
                ended = true
                try inflater.finish()
                return nil
            }
            var inflated: [UInt8] = []
            try inflater.feed(chunk, into: &inflated)
            if !inflated.isEmpty { return inflated }
        }
        return nil
    }
}
