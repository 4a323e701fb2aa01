import NIOCore

/// A call as its caller holds it, before and after its stream exists. While the call still waits
/// for a connection, the caller's task may be cancelled or the deadline may pass: gRPC deadlines
/// cover the whole call, connecting included (gRPC `doc/PROTOCOL-HTTP2.md`, "Timeout"), so the
/// call ends then with CANCELLED or DEADLINE_EXCEEDED instead of waiting for the connect timeout.
/// Once the stream opens, cancelling goes to it (RST_STREAM CANCEL) and the stream enforces the
/// deadline itself.
///
/// Confined to the call's event loop (it may be created elsewhere and handed over).
final class GRPCCallHandle {
    let eventLoop: any EventLoop
    private(set) var stream: GRPCClientStream?
    /// How the call ended before its stream opened, if it did.
    private(set) var endStatus: GRPCStatus?
    private var onEnd: ((GRPCStatus) -> Void)?
    private var deadlineTask: Scheduled<Void>?

    /// - Parameter onEnd: settles the caller's promises when the call ends before its stream opens.
    init(eventLoop: any EventLoop, deadline: NIODeadline?, onEnd: @escaping (GRPCStatus) -> Void) {
        self.eventLoop = eventLoop
        self.onEnd = onEnd
        if let deadline {
            // Armed on the loop: made elsewhere, a deadline already past would fire there while
            // this thread still stores `deadlineTask` (a data race on the handle's state).
            LoopConfined(self, on: eventLoop).execute { $0.armDeadline(deadline) }
        }
    }

    private func armDeadline(_ deadline: NIODeadline) {
        guard stream == nil, endStatus == nil else { return }
        let this = LoopConfined(self, on: eventLoop)
        deadlineTask = eventLoop.scheduleTask(deadline: deadline) {
            this.value.fail(GRPCStatus(.deadlineExceeded, "deadline exceeded while waiting for a connection"))
        }
    }

    /// True once the call ended before its stream opened: the stream must not be started.
    var isEnded: Bool { endStatus != nil }

    /// The call's stream opened; cancellation goes to it from now on.
    func attach(_ stream: GRPCClientStream) {
        eventLoop.assertInEventLoop()
        self.stream = stream
        deadlineTask?.cancel()
        deadlineTask = nil
        onEnd = nil
    }

    /// The caller gave up: reset the stream, or end the call if it has none yet.
    func cancel() {
        if let stream {
            stream.cancel()
        } else {
            fail(GRPCStatus(.cancelled, "cancelled by the client"))
        }
    }

    /// Ends a call that has no stream yet (cancelled, past its deadline, or no connection).
    func fail(_ status: GRPCStatus) {
        guard stream == nil, endStatus == nil else { return }
        endStatus = status
        deadlineTask?.cancel()
        deadlineTask = nil
        let onEnd = self.onEnd
        self.onEnd = nil
        onEnd?(status)
    }
}
