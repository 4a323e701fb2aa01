import NIOCore

/// A unary call's single outcome. On the fast path (the caller already on the connection's loop,
/// `GRPCChannel.unary`) the caller's continuation waits here directly: no promise, no callback
/// list, no closure per call; the outcome resumes the caller from the read that completed it.
/// Calls that waited for a connection use a promise, attached when the stream is made.
extension GRPCClientStream {
    enum UnaryReceiver {
        case promise(EventLoopPromise<GRPCUnaryResponse>)
        case continuation(UnsafeContinuation<GRPCUnaryResponse, any Error>)
    }

    /// Hands the outcome to `continuation`, now if the call already ended. Called on the loop.
    func awaitUnary(_ continuation: UnsafeContinuation<GRPCUnaryResponse, any Error>) {
        connection.eventLoop.assertInEventLoop()
        if let outcome = unaryOutcome {
            unaryOutcome = nil
            continuation.resume(with: outcome)
        } else {
            unaryReceiver = .continuation(continuation)
        }
    }

    /// Delivers a unary call's outcome to whoever waits (or keeps it for `awaitUnary`).
    func deliverUnary(_ outcome: Result<GRPCUnaryResponse, any Error>) {
        switch unaryReceiver {
        case .promise(let promise):
            promise.completeWith(outcome)
        case .continuation(let continuation):
            continuation.resume(with: outcome)
        case nil:
            unaryOutcome = outcome
        }
        unaryReceiver = nil
    }
}
