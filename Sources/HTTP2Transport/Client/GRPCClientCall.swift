import NIOCore

/// One gRPC call in progress: any of the four kinds (gRPC `doc/PROTOCOL-HTTP2.md`).
///
/// Request messages go out with `send` (which suspends while the stream's flow-control backlog
/// exceeds the channel's `sendBufferLimit`) and end with `finish`. Responses arrive through
/// `responses`, which credits flow control as it is read. `result` gives the final status and
/// trailers; `cancel` resets the stream (RST_STREAM CANCEL).
///
/// ```swift
/// let call = channel.makeCall(path: "/pkg.Chat/Talk")
/// try await call.send(hello)
/// try await call.finish()
/// for try await reply in call.responses { print(reply) }
/// let result = await call.result   // .status, .trailers
/// ```
public final class GRPCClientCall: Sendable {
    let eventLoop: any EventLoop
    let stream: EventLoopFuture<LoopConfined<GRPCClientStream>>
    let handle: LoopConfined<GRPCCallHandle>
    let headersPromise: EventLoopPromise<HTTP2Headers>
    let resultPromise: EventLoopPromise<GRPCCallResult>
    /// The response messages, for one reader.
    public let responses: GRPCResponseMessages

    init(
        eventLoop: any EventLoop, stream: EventLoopFuture<LoopConfined<GRPCClientStream>>,
        handle: LoopConfined<GRPCCallHandle>, headers: EventLoopPromise<HTTP2Headers>, result: EventLoopPromise<GRPCCallResult>,
        responses: GRPCResponseMessages
    ) {
        self.eventLoop = eventLoop
        self.stream = stream
        self.handle = handle
        self.headersPromise = headers
        self.resultPromise = result
        self.responses = responses
    }

    /// Sends one request message; returns once it is queued within the backlog limit.
    /// Cancelling the waiting task cancels the call.
    public func send(_ message: [UInt8]) async throws {
        let handle = self.handle
        try await withTaskCancellationHandler {
            try await enqueue(message).get()
        } onCancel: {
            handle.execute { $0.cancel() }
        }
    }

    /// Half-closes the request side (END_STREAM): no more messages.
    public func finish() async throws {
        let handle = self.handle
        try await withTaskCancellationHandler {
            try await enqueueFinish().get()
        } onCancel: {
            handle.execute { $0.cancel() }
        }
    }

    /// The response headers (initial metadata). Throws the call's status if it ended without them.
    public var headers: HTTP2Headers {
        get async throws { try await headersPromise.futureResult.get() }
    }

    /// How the call ended. Never throws: failures are statuses.
    public var result: GRPCCallResult {
        get async {
            do { return try await resultPromise.futureResult.get() } catch {
                return GRPCCallResult(status: error as? GRPCStatus ?? GRPCStatus(.unknown, "\(error)"), trailers: [])
            }
        }
    }

    /// Abandons the call: it ends with CANCELLED and the stream is reset (RST_STREAM CANCEL), or,
    /// while it still waits for a connection, it never starts.
    public func cancel() {
        handle.execute { $0.cancel() }
    }

    func enqueue(_ message: [UInt8]) -> EventLoopFuture<Void> {
        stream.flatMap { stream in
            let promise = stream.eventLoop.makePromise(of: Void.self)
            stream.value.send(message, promise: promise)
            return promise.futureResult
        }
    }

    func enqueueFinish() -> EventLoopFuture<Void> {
        stream.flatMap { stream in
            let promise = stream.eventLoop.makePromise(of: Void.self)
            stream.value.finish(promise: promise)
            return promise.futureResult
        }
    }
}
