import NIOCore

/// Writes the response of one server stream: headers, body with backpressure, then trailers or
/// end of stream (RFC 9113 §8.1). Every method hops to the connection's event loop.
public struct HTTP2ResponseWriter: Sendable {
    let stream: LoopConfined<HTTP2ServerStream>

    /// Sends the response header section; `endStream` makes it a header-only response (for gRPC,
    /// trailers-only).
    public func writeHeaders(_ headers: HTTP2Headers, endStream: Bool = false) async throws {
        try await run { stream, promise in stream.writeHeaders(headers, endStream: endStream, promise: promise) }
    }

    /// Queues body bytes; suspends while the stream's unsent backlog is over the limit.
    public func writeData(_ bytes: [UInt8], endStream: Bool = false) async throws {
        try await run { stream, promise in stream.writeData(bytes, endStream: endStream, promise: promise) }
    }

    /// Ends the response with a trailer section (gRPC status goes here).
    public func writeTrailers(_ trailers: HTTP2Headers) async throws {
        try await run { stream, promise in stream.writeTrailers(trailers, promise: promise) }
    }

    /// A complete response in one hop to the event loop: headers, a body, and trailers (or end of
    /// stream after the body when `trailers` is nil).
    public func writeResponse(headers: HTTP2Headers, body: [UInt8], trailers: HTTP2Headers?) async throws {
        try await run { stream, promise in
            stream.writeHeaders(headers, endStream: false, promise: nil)
            if let trailers {
                stream.writeData(body, endStream: false, promise: nil)
                stream.writeTrailers(trailers, promise: promise)
            } else {
                stream.writeData(body, endStream: true, promise: promise)
            }
        }
    }

    /// Resets the stream (RST_STREAM).
    public func reset(_ code: HTTP2ErrorCode = .cancel) {
        stream.execute { $0.reset(code) }
    }

    private func run(_ body: @escaping @Sendable (HTTP2ServerStream, EventLoopPromise<Void>) -> Void) async throws {
        let promise = stream.eventLoop.makePromise(of: Void.self)
        stream.execute { body($0, promise) }
        try await promise.futureResult.get()
    }
}
