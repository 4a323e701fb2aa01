import NIOCore

/// A gRPC client to one backend over h2c with prior knowledge (RFC 9113 §3.3): a pool of HTTP/2
/// connections per event loop, multiplexing calls as streams.
///
/// ```swift
/// let channel = GRPCChannel(configuration: .init(host: "127.0.0.1", port: 50051), group: group)
/// let reply = try await channel.unary(path: "/pkg.Service/Get", request: bytes)
/// await channel.close()
/// ```
public final class GRPCChannel: Sendable {
    public let configuration: Configuration
    let group: any EventLoopGroup
    private let pools: [ObjectIdentifier: LoopConfined<GRPCConnectionPool>]

    public init(configuration: Configuration, group: any EventLoopGroup) {
        self.configuration = configuration
        self.group = group
        var pools: [ObjectIdentifier: LoopConfined<GRPCConnectionPool>] = [:]
        for loop in group.makeIterator() {
            pools[ObjectIdentifier(loop)] = LoopConfined(GRPCConnectionPool(eventLoop: loop, configuration: configuration), on: loop)
        }
        self.pools = pools
    }

    /// Starts a call of any kind. It runs on the current event loop when called from one; callers
    /// that run on a loop (an actor whose executor is `eventLoop.executor`) never hop threads.
    public func makeCall(path: String, metadata: HTTP2Headers = [], options: GRPCCallOptions = GRPCCallOptions()) -> GRPCClientCall {
        let loop = group.any()
        let (messages, continuation) = AsyncThrowingStream<GRPCResponseMessages.Received, any Error>.makeStream()
        let headers = loop.makePromise(of: HTTP2Headers.self)
        let result = loop.makePromise(of: GRPCCallResult.self)
        let stream = startStream(
            on: loop, path: path, metadata: metadata, options: options, messages: continuation, headers: headers,
            result: result)
        let responses = GRPCResponseMessages(base: messages) { [stream] size in
            stream.whenSuccess { $0.value.credit(size) }
        }
        return GRPCClientCall(eventLoop: loop, stream: stream, headers: headers, result: result, responses: responses)
    }

    /// A unary call: one request, one response. Throws the status unless it is OK.
    ///
    /// The whole call runs on the event loop and completes once, so it costs one hop there and
    /// one back.
    public func unary(
        path: String, request: [UInt8], metadata: HTTP2Headers = [], options: GRPCCallOptions = GRPCCallOptions()
    ) async throws -> GRPCUnaryResponse {
        let loop = group.any()
        let pool = pools[ObjectIdentifier(loop)]!
        let response = loop.makePromise(of: GRPCUnaryResponse.self)
        if loop.inEventLoop, let connection = pool.value.connectionIfReady() {
            // Fast path: already on the loop with a ready connection; no futures in between.
            Self.startUnary(on: connection, path: path, metadata: metadata, options: options, request: request, response: response)
        } else {
            let deadline = options.timeout.map { NIODeadline.now() + TimeAmount($0) }
            let connection = loop.inEventLoop ? pool.value.connection() : loop.flatSubmit { pool.value.connection() }
            connection.whenComplete { result in
                switch result {
                case .success(let connection):
                    var options = options
                    if let deadline { options.timeout = Duration(deadline - NIODeadline.now()) }
                    Self.startUnary(
                        on: connection.value, path: path, metadata: metadata, options: options, request: request,
                        response: response)
                case .failure(let error):
                    response.fail(GRPCStatus(connectionFailure: error))
                }
            }
        }
        return try await response.futureResult.get()
    }

    private static func startUnary(
        on connection: GRPCClientConnection, path: String, metadata: HTTP2Headers, options: GRPCCallOptions,
        request: [UInt8], response: EventLoopPromise<GRPCUnaryResponse>
    ) {
        let stream = GRPCClientStream(
            connection: connection, options: options, messages: nil, unaryPromise: response, headersPromise: nil,
            resultPromise: nil)
        stream.start(path: path, metadata: metadata)
        stream.send(request, endStream: true, promise: nil)
    }

    private func startStream(
        on loop: any EventLoop, path: String, metadata: HTTP2Headers, options: GRPCCallOptions,
        messages: AsyncThrowingStream<GRPCResponseMessages.Received, any Error>.Continuation?,
        headers: EventLoopPromise<HTTP2Headers>, result: EventLoopPromise<GRPCCallResult>
    ) -> EventLoopFuture<LoopConfined<GRPCClientStream>> {
        let pool = pools[ObjectIdentifier(loop)]!
        let deadline = options.timeout.map { NIODeadline.now() + TimeAmount($0) }
        // Called on the loop (e.g. from an actor whose executor is the loop), the call starts inline.
        let connection = loop.inEventLoop ? pool.value.connection() : loop.flatSubmit { pool.value.connection() }
        let stream = connection
            .map { connection -> LoopConfined<GRPCClientStream> in
                var options = options
                if let deadline { options.timeout = Duration(deadline - NIODeadline.now()) }
                let stream = GRPCClientStream(
                    connection: connection.value, options: options, messages: messages, headersPromise: headers,
                    resultPromise: result)
                stream.start(path: path, metadata: metadata)
                return LoopConfined(stream, on: loop)
            }
        stream.whenFailure { error in
            let status = GRPCStatus(connectionFailure: error)
            messages?.finish(throwing: status)
            headers.fail(status)
            result.succeed(GRPCCallResult(status: status, trailers: []))
        }
        return stream
    }

    /// A server-streaming call: one request, then read `responses`.
    public func serverStreaming(
        path: String, request: [UInt8], metadata: HTTP2Headers = [], options: GRPCCallOptions = GRPCCallOptions()
    ) -> GRPCClientCall {
        let call = makeCall(path: path, metadata: metadata, options: options)
        _ = call.enqueue(request)
        _ = call.enqueueFinish()
        return call
    }

    /// Closes every connection gracefully (GOAWAY; calls in flight finish).
    public func close() async {
        for pool in pools.values {
            try? await pool.eventLoop.submit { pool.value.shutDown() }.get()
        }
    }

    /// Open connections across all loops (for tests and metrics).
    public func connectionCount() async -> Int {
        var total = 0
        for pool in pools.values { total += (try? await pool.eventLoop.submit { pool.value.connectionCount }.get()) ?? 0 }
        return total
    }
}

extension GRPCStatus {
    /// A call that could not get a connection is UNAVAILABLE (gRPC `doc/statuscodes.md`).
    init(connectionFailure error: any Error) {
        self = error as? GRPCStatus ?? GRPCStatus(.unavailable, "cannot connect: \(error)")
    }
}
