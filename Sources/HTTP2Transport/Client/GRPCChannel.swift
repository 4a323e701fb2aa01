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
    ///
    /// Dropping `responses` (or cancelling the task iterating it) cancels the call: RST_STREAM
    /// CANCEL, so the server stops working on it.
    public func makeCall(path: String, metadata: HTTP2Headers = [], options: GRPCCallOptions = GRPCCallOptions()) -> GRPCClientCall {
        let loop = group.any()
        let (messages, continuation) = AsyncThrowingStream<GRPCResponseMessages.Received, any Error>.makeStream()
        let headers = loop.makePromise(of: HTTP2Headers.self)
        let result = loop.makePromise(of: GRPCCallResult.self)
        let (stream, handle) = startStream(
            on: loop, path: path, metadata: metadata, options: options, messages: continuation, headers: headers,
            result: result)
        continuation.onTermination = { termination in
            if case .cancelled = termination { handle.execute { $0.cancel() } }
        }
        let responses = GRPCResponseMessages(base: messages) { [stream] size in
            stream.whenSuccess { $0.value.credit(size) }
        }
        return GRPCClientCall(
            eventLoop: loop, stream: stream, handle: handle, headers: headers, result: result, responses: responses)
    }

    /// A unary call: one request, one response. Throws the status unless it is OK.
    ///
    /// The whole call runs on an event loop and completes once. It runs on the caller's actor
    /// (`isolation`): a caller whose executor is an event loop of the channel's group (an actor
    /// with `eventLoop.executor`, as the gateway's handlers are) starts and finishes the call
    /// without leaving that loop's thread; other callers hop to the loop and back.
    /// Cancelling the calling task cancels the call (RST_STREAM CANCEL); the deadline in
    /// `options` covers waiting for a connection too.
    public func unary(
        path: String, request: [UInt8], metadata: HTTP2Headers = [], options: GRPCCallOptions = GRPCCallOptions(),
        isolation: isolated (any Actor)? = #isolation
    ) async throws -> GRPCUnaryResponse {
        do {
            return try await unaryCall(path: path, request: request, metadata: metadata, options: options)
        } catch {
            throw error.status
        }
    }

    /// A unary call whose failure keeps the response headers and trailers with the status
    /// (``GRPCCallFailure``), for callers that pass a failed call's custom metadata on.
    public func unaryCall(
        path: String, request: [UInt8], metadata: HTTP2Headers = [], options: GRPCCallOptions = GRPCCallOptions(),
        isolation: isolated (any Actor)? = #isolation
    ) async throws(GRPCCallFailure) -> GRPCUnaryResponse {
        do {
            return try await startUnaryCall(path: path, request: request, metadata: metadata, options: options)
        } catch let failure as GRPCCallFailure {
            throw failure
        } catch {
            throw GRPCCallFailure(status: error as? GRPCStatus ?? GRPCStatus(.unknown, "\(error)"))
        }
    }

    private func startUnaryCall(
        path: String, request: [UInt8], metadata: HTTP2Headers, options: GRPCCallOptions,
        isolation: isolated (any Actor)? = #isolation
    ) async throws -> GRPCUnaryResponse {
        let loop = group.any()
        let pool = pools[ObjectIdentifier(loop)]!
        if loop.inEventLoop, let connection = pool.value.connectionIfReady() {
            // Fast path: already on the loop with a ready connection. No futures in between: the
            // caller's continuation waits on the stream itself (`GRPCClientStream+Unary`).
            let stream = Self.startUnary(
                on: connection, path: path, metadata: metadata, options: options, request: request, response: nil)
            let confined = LoopConfined(stream, on: loop)
            if isolation == nil && Self.currentTaskPrefersAnExecutor {
                // A nonisolated caller running on the loop under a task executor of its own (a
                // gateway handler on its connection's `EventLoopTaskExecutor`): it resumes on
                // that executor, as it prefers, with no switch on the way in or out.
                return try await withTaskCancellationHandler {
                    try await withUnsafeThrowingContinuation { Self.awaitUnary(confined, $0) }
                } onCancel: {
                    confined.execute { $0.cancel() }
                }
            }
            // The cancellation handler's operation is nonisolated: preferring this loop as task
            // executor keeps it (and the wait) on the loop instead of hopping to the global pool.
            return try await withTaskExecutorPreference(pool.value.taskExecutor) {
                try await withTaskCancellationHandler {
                    try await withUnsafeThrowingContinuation { Self.awaitUnary(confined, $0) }
                } onCancel: {
                    confined.execute { $0.cancel() }
                }
            }
        }
        let response = loop.makePromise(of: GRPCUnaryResponse.self)
        let deadline = options.timeout.map { NIODeadline.now() + TimeAmount($0) }
        let handle = LoopConfined(GRPCCallHandle(eventLoop: loop, deadline: deadline) { response.fail($0) }, on: loop)
        let connection = loop.inEventLoop ? pool.value.connection() : loop.flatSubmit { pool.value.connection() }
        connection.whenComplete { result in
            switch result {
            case .success(let connection):
                guard !handle.value.isEnded else { return connection.value.releaseReservation() }
                var options = options
                if let deadline { options.timeout = Duration(deadline - NIODeadline.now()) }
                let stream = Self.startUnary(
                    on: connection.value, path: path, metadata: metadata, options: options, request: request,
                    response: response)
                handle.value.attach(stream)
            case .failure(let error):
                handle.value.fail(GRPCStatus(connectionFailure: error))
            }
        }
        return try await withTaskCancellationHandler {
            try await Self.result(of: response)
        } onCancel: {
            handle.execute { $0.cancel() }
        }
    }

    /// Parks `continuation` on the stream; inline on the loop (no closure to allocate), else via
    /// the loop (a task whose loop shut down resumes elsewhere, `EventLoopTaskExecutor`).
    private static func awaitUnary(
        _ stream: LoopConfined<GRPCClientStream>, _ continuation: UnsafeContinuation<GRPCUnaryResponse, any Error>
    ) {
        if stream.eventLoop.inEventLoop {
            stream.value.awaitUnary(continuation)
        } else {
            stream.execute { $0.awaitUnary(continuation) }
        }
    }

    /// True if the current task prefers a task executor (SE-0417): its nonisolated code runs
    /// there, and found on the loop, that executor runs on the loop.
    private static var currentTaskPrefersAnExecutor: Bool {
        withUnsafeCurrentTask { $0?.unownedTaskExecutor != nil }
    }

    /// Waits for `promise` with one continuation resumed straight from the loop's callback
    /// (`EventLoopFuture.get()` is a nonisolated async function: calling it from an actor would
    /// hop to the global pool first).
    private static func result(
        of promise: EventLoopPromise<GRPCUnaryResponse>, isolation: isolated (any Actor)? = #isolation
    ) async throws -> GRPCUnaryResponse {
        try await withUnsafeThrowingContinuation(isolation: isolation) { continuation in
            promise.futureResult.whenComplete { continuation.resume(with: $0) }
        }
    }

    private static func startUnary(
        on connection: GRPCClientConnection, path: String, metadata: HTTP2Headers, options: GRPCCallOptions,
        request: [UInt8], response: EventLoopPromise<GRPCUnaryResponse>?
    ) -> GRPCClientStream {
        let stream = GRPCClientStream(
            connection: connection, options: options, messages: nil, unaryPromise: response, headersPromise: nil,
            resultPromise: nil)
        stream.start(path: path, metadata: metadata)
        stream.send(request, endStream: true, promise: nil)
        return stream
    }

    private func startStream(
        on loop: any EventLoop, path: String, metadata: HTTP2Headers, options: GRPCCallOptions,
        messages: AsyncThrowingStream<GRPCResponseMessages.Received, any Error>.Continuation,
        headers: EventLoopPromise<HTTP2Headers>, result: EventLoopPromise<GRPCCallResult>
    ) -> (EventLoopFuture<LoopConfined<GRPCClientStream>>, LoopConfined<GRPCCallHandle>) {
        let pool = pools[ObjectIdentifier(loop)]!
        let deadline = options.timeout.map { NIODeadline.now() + TimeAmount($0) }
        let streamPromise = loop.makePromise(of: LoopConfined<GRPCClientStream>.self)
        let handle = LoopConfined(
            GRPCCallHandle(eventLoop: loop, deadline: deadline) { status in
                messages.finish(throwing: status)
                headers.fail(status)
                result.succeed(GRPCCallResult(status: status, trailers: []))
                streamPromise.fail(status)
            }, on: loop)
        // Called on the loop (e.g. from an actor whose executor is the loop), the call starts inline.
        let connection = loop.inEventLoop ? pool.value.connection() : loop.flatSubmit { pool.value.connection() }
        connection.whenComplete { outcome in
            switch outcome {
            case .success(let connection):
                guard !handle.value.isEnded else { return connection.value.releaseReservation() }
                var options = options
                if let deadline { options.timeout = Duration(deadline - NIODeadline.now()) }
                let stream = GRPCClientStream(
                    connection: connection.value, options: options, messages: messages, headersPromise: headers,
                    resultPromise: result)
                handle.value.attach(stream)
                stream.start(path: path, metadata: metadata)
                streamPromise.succeed(LoopConfined(stream, on: loop))
            case .failure(let error):
                handle.value.fail(GRPCStatus(connectionFailure: error))
            }
        }
        return (streamPromise.futureResult, handle)
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

    /// HTTP/2 streams open across all connections (for tests and metrics: ended calls hold none).
    func openStreamCount() async -> Int {
        var total = 0
        for pool in pools.values {
            total += (try? await pool.eventLoop.submit { pool.value.openStreamCount }.get()) ?? 0
        }
        return total
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
