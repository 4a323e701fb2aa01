import NIOCore

/// Transparent retry of refused streams (gRPC `doc/PROTOCOL-HTTP2.md`: "the client MAY retry
/// … if the stream was refused"; RFC 9113 §8.7): a stream above a GOAWAY's last stream ID, one
/// nghttp2 never got to send because the connection began draining, or one reset with
/// REFUSED_STREAM was never processed by the server, so the call is opened again, once, on
/// another connection, and the request bytes sent so far are replayed.
extension GRPCClientStream {
    /// Request bytes waiting for flow control (or for the new connection while reconnecting).
    var backlog: Int {
        reconnecting ? replayCount : connection.session.bufferedBytes(streamID: streamID)
    }

    private var replayCount: Int { replay.map { replayPrefix.count + $0.count } ?? 0 }

    /// Keeps `prefix` and `bytes` for a possible replay while the request is small enough to hold.
    func keepForReplay(_ bytes: [UInt8], after prefix: OutboundStream.Prefix) {
        guard replay != nil else { return }
        if replay!.isEmpty && replayPrefix.count == 0 {
            replay = bytes  // shares the storage: a unary request is kept without a copy
            replayPrefix = prefix
        } else if reconnecting || replayCount + prefix.count + bytes.count <= connection.configuration.sendBufferLimit {
            if replayPrefix.count > 0 {
                var joined: [UInt8] = []
                joined.reserveCapacity(replayCount + prefix.count + bytes.count)
                replayPrefix.withBytes { joined.append(contentsOf: $0) }
                joined.append(contentsOf: replay!)
                replay = joined
                replayPrefix = OutboundStream.Prefix()
            }
            prefix.withBytes { replay!.append(contentsOf: $0) }
            replay!.append(contentsOf: bytes)
        } else {
            responseStarted()
        }
    }

    /// The response began: the server processed the call, so it can no longer be retried.
    func responseStarted() {
        replay = nil
        replayPrefix = OutboundStream.Prefix()
    }

    /// Called when the server refused the stream. Returns true if the call goes on elsewhere.
    func retryRefusedStream() -> Bool {
        guard !retried, !isComplete, replay != nil, responseHeaders == nil, receivedBytes == 0,
            let pool = connection.pool
        else { return false }
        retried = true
        reconnecting = true
        connection.streamCompleted(self)
        streamID = 0
        let this = LoopConfined(self, on: connection.eventLoop)
        pool.connection().whenComplete { result in
            let stream = this.value
            switch result {
            case .success(let connection):
                stream.reopen(on: connection.value)
            case .failure(let error):
                stream.reconnecting = false
                stream.complete(GRPCStatus(connectionFailure: error), trailers: [], reset: nil)
            }
        }
        return true
    }

    private func reopen(on newConnection: GRPCClientConnection) {
        reconnecting = false
        guard !isComplete else { return newConnection.releaseReservation() }
        connection = newConnection
        if let deadline {
            let remaining = deadline - .now()
            guard remaining > .zero else {
                newConnection.releaseReservation()
                complete(GRPCStatus(.deadlineExceeded, "deadline exceeded"), trailers: [], reset: nil)
                return
            }
            requestHeaders.replaceOrAdd(name: "grpc-timeout", value: GRPCTimeout.encode(Duration(remaining)))
        }
        do {
            streamID = try newConnection.openStream(self, headers: requestHeaders)
            let bytes = replay ?? []
            if !bytes.isEmpty || replayPrefix.count > 0 || localEnded {
                try newConnection.session.sendData(
                    streamID: streamID, bytes, after: replayPrefix, endStream: localEnded)
            }
        } catch {
            complete(GRPCStatus(.unavailable, "cannot open a stream: \(error)"), trailers: [], reset: nil)
            return
        }
        newConnection.flush()
        outputWritten()
        if hasSendWaiters { newConnection.senderWaits() }
    }
}
