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

    /// A stream opened or closed: (re)arm the idle timer when none is left, disarm it otherwise.
    func streamsChanged() {
        guard streamCount == 0, !isClosed else {
            idleTask?.cancel()
            idleTask = nil
            return
        }
        guard idleTask == nil, let timeout = configuration.idleTimeout else { return }
        let this = LoopConfined(self, on: eventLoop)
        idleTask = eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            let connection = this.value
            connection.idleTask = nil
            guard connection.streamCount == 0, !connection.isClosed else { return }
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
