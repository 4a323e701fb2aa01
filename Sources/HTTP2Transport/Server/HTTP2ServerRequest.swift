/// A request arriving on a server stream: its header section, a streaming body, and trailers
/// (RFC 9113 §8.1).
///
/// The body is read as an `AsyncSequence` of DATA payloads; each chunk is credited to flow
/// control when the handler takes it, so an upload cannot run more than a window ahead.
///
/// ```swift
/// for try await chunk in request.body { process(chunk) }
/// let trailers = await request.trailers   // after the body ended
/// ```
public struct HTTP2ServerRequest: Sendable {
    public let streamID: Int32
    public let headers: HTTP2Headers
    public let body: HTTP2RequestBody
    let trailersFuture: @Sendable () async -> HTTP2Headers?

    public var method: String { headers[first: ":method"] ?? "" }
    public var path: String { headers[first: ":path"] ?? "" }
    public var authority: String? { headers[first: ":authority"] }

    /// The trailer section, once the body has ended; nil if the request had none or was reset.
    public var trailers: HTTP2Headers? {
        get async { await trailersFuture() }
    }
}

/// A request body: DATA payloads in order. Ends when the client ends the stream; throws
/// `HTTP2Error` if the stream is reset first.
public struct HTTP2RequestBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let base: AsyncThrowingStream<[UInt8], any Error>
    let credit: @Sendable (Int) -> Void

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), credit: credit)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
        let credit: @Sendable (Int) -> Void

        public mutating func next() async throws -> [UInt8]? {
            guard let chunk = try await base.next() else { return nil }
            credit(chunk.count)
            return chunk
        }
    }

    /// The whole body, failing if it exceeds `limit` bytes.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in self {
            guard bytes.count + chunk.count <= limit else {
                throw HTTP2Error(.invalidArgument, "request body exceeds \(limit) bytes")
            }
            bytes += chunk
        }
        return bytes
    }
}
