import NIOCore

/// The limits that keep an idle or silent peer from holding a connection forever:
/// - **handshake**: the client must send its connection preface and SETTINGS (RFC 9113 §3.4)
///   within `handshakeTimeout`, or the connection is closed;
/// - **idle**: a connection with no open stream for `idleTimeout` gets GOAWAY(NO_ERROR)
///   (RFC 9113 §6.8: "to close a connection … an endpoint SHOULD send GOAWAY") and is closed.
extension HTTP2ServerConnection {
    func startTimers() {
        let this = LoopConfined(self, on: eventLoop)
        if let timeout = configuration.handshakeTimeout {
            handshakeTask = eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                let connection = this.value
                guard !connection.handshakeDone else { return }
                connection.handler.close(HTTP2Error(.protocolError, "no HTTP/2 preface and SETTINGS within \(timeout)"))
            }
        }
        streamsChanged()
    }

    /// The client's first SETTINGS arrived: the handshake is done.
    func handshakeCompleted() {
        guard !handshakeDone else { return }
        handshakeDone = true
        handshakeTask?.cancel()
        handshakeTask = nil
    }

    /// A stream opened or closed: note when the connection fell idle. One timer serves the
    /// connection's life: arming and cancelling one per request (a client sending one request at
    /// a time goes idle after each) would cost a scheduled task and its allocations every time,
    /// so the timer instead checks `idleSince` when it fires and re-arms for what is left.
    func streamsChanged() {
        guard streamCount == 0, !isClosed else {
            idleSince = nil
            return
        }
        session.trimSpareBuffers()  // between requests, an upload's frame buffers go back
        let now = NIODeadline.now()
        idleSince = now
        guard idleTask == nil, let timeout = configuration.idleTimeout else { return }
        armIdleTimer(at: now + TimeAmount(timeout))
    }

    private func armIdleTimer(at deadline: NIODeadline) {
        let this = LoopConfined(self, on: eventLoop)
        idleTask = eventLoop.scheduleTask(deadline: deadline) {
            let connection = this.value
            connection.idleTask = nil
            // Streams open: no timer until the connection is streamless again (`streamsChanged`).
            guard !connection.isClosed, let since = connection.idleSince,
                let timeout = connection.configuration.idleTimeout
            else { return }
            let due = since + TimeAmount(timeout)
            guard due <= .now() else {
                connection.armIdleTimer(at: due)  // it was busy in between: wait out the rest
                return
            }
            try? connection.session.goAway(errorCode: .noError, debugData: Array("idle".utf8))
            connection.handler.flushOutput()
            connection.handler.close(nil)
        }
    }

    func stopTimers() {
        handshakeTask?.cancel()
        handshakeTask = nil
        idleTask?.cancel()
        idleTask = nil
    }
}
