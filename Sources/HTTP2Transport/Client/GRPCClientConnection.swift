import NIOCore

/// One HTTP/2 connection to a backend, on one event loop: routes session events to calls, keeps
/// the connection alive with PINGs, closes it when idle, and tells its pool when it starts
/// draining (GOAWAY) or ends.
final class GRPCClientConnection: HTTP2SessionOwner {
    let eventLoop: any EventLoop
    let configuration: GRPCChannel.Configuration
    let authority: String
    let handler: HTTP2ChannelHandler
    let channel: any Channel
    var session: HTTP2Session { handler.session }
    private var streams: [Int32: GRPCClientStream] = [:]
    /// The stream `stream(_:)` found last (never one that left `streams`).
    private var lastStream: GRPCClientStream?
    /// Completes when the server's first SETTINGS arrive (its limits are known).
    let ready: EventLoopPromise<Void>
    private(set) var isReady = false
    /// GOAWAY received or sent: no new calls here.
    private(set) var isDraining = false
    private(set) var isClosed = false
    var onDrainOrClose: ((GRPCClientConnection) -> Void)?
    /// The pool that opened this connection: where a refused call finds another one.
    weak var pool: GRPCConnectionPool?
    private var keepaliveTask: RepeatedTask?
    private var pingSentAt: NIODeadline?
    private var idleTask: Scheduled<Void>?
    private var pingCounter: UInt64 = 0
    private var flushScheduled = false
    /// Streams opened since output was last written (`flush`).
    private var unwrittenStreams = 0
    /// Some call may be waiting for its send backlog to drain (`senderWaits`).
    private var sendersMayWait = false
    private var reservations = 0

    init(channel: any Channel, handler: HTTP2ChannelHandler, configuration: GRPCChannel.Configuration) {
        self.channel = channel
        self.eventLoop = channel.eventLoop
        self.handler = handler
        self.configuration = configuration
        authority = configuration.authority ?? "\(configuration.host):\(configuration.port)"
        ready = channel.eventLoop.makePromise()
        handler.owner = self
        startKeepalive()
        scheduleIdleTimeout()
    }

    /// Calls in flight on this connection, counting those the pool assigned but not yet opened.
    var activeCalls: Int { streams.count + reservations }

    /// True if a new call may go here without waiting for a stream slot.
    var hasCapacity: Bool {
        isReady && !isDraining && !isClosed && UInt32(clamping: activeCalls) < session.remoteMaxConcurrentStreams
    }

    /// Claims a stream slot for a call about to open, so calls chosen in the same tick spread out.
    func reserve() -> LoopConfined<GRPCClientConnection> {
        reservations += 1
        return LoopConfined(self, on: eventLoop)
    }

    /// Gives back a slot `reserve` claimed, for a call that will not open a stream.
    func releaseReservation() {
        reservations = max(0, reservations - 1)
    }

    var isUsable: Bool { !isDraining && !isClosed }

    /// The header fields every call to `path` starts with, built once per path and shared by the
    /// calls (no list to build or allocate per call when nothing is added). Bounded: a client of
    /// very many methods starts over rather than growing the table.
    /// The last path asked for answers a client calling one method again without hashing it.
    func requestHeaders(path: String) -> HTTP2Headers {
        if let last = lastRequestHeaders, last.path == path { return last.headers }
        let headers = requestHeadersByPath[path] ?? makeRequestHeaders(path: path)
        lastRequestHeaders = (path, headers)
        return headers
    }

    private func makeRequestHeaders(path: String) -> HTTP2Headers {
        if requestHeadersByPath.count >= Self.requestHeadersKept { requestHeadersByPath.removeAll() }
        var headers = HTTP2Headers(minimumCapacity: 7)
        Self.addRequestHeaders(to: &headers, path: path, authority: authority, passthrough: false)
        requestHeadersByPath[path] = headers
        return headers
    }

    private var requestHeadersByPath: [String: HTTP2Headers] = [:]
    private var lastRequestHeaders: (path: String, headers: HTTP2Headers)?
    static let requestHeadersKept = 256

    /// A gRPC request's leading fields (gRPC `doc/PROTOCOL-HTTP2.md`, "Requests"): pseudo-headers,
    /// then content-type, te and grpc-accept-encoding (omitted when passing a client's call through).
    static func addRequestHeaders(to headers: inout HTTP2Headers, path: String, authority: String, passthrough: Bool) {
        headers.add(name: ":method", value: "POST")
        headers.add(name: ":scheme", value: "http")
        headers.add(name: ":path", value: path)
        headers.add(name: ":authority", value: authority)
        if !passthrough { headers.add(name: "content-type", value: "application/grpc") }
        headers.add(name: "te", value: "trailers")
        if !passthrough { headers.add(name: "grpc-accept-encoding", value: GRPCEncoding.acceptedValue) }
    }

    func openStream(_ stream: GRPCClientStream, headers: HTTP2Headers) throws -> Int32 {
        releaseReservation()
        guard isUsable else { throw GRPCStatus(.unavailable, "the connection is closing") }
        let id = try session.submitRequest(headers, endStream: false)
        streams[id] = stream
        idleTask?.cancel()
        idleTask = nil
        unwrittenStreams += 1
        flush()  // never a write from here: the caller has not recorded its stream ID yet
        return id
    }

    /// A call queued request bytes: they leave with everything else at the end of the tick, or
    /// now if `streamsPerWrite` calls have been opened since the last write. Only `send` calls
    /// this, where events delivered by the write (`HTTP2ChannelHandler.flushOutput`) can arrive;
    /// `send` checks its call again afterwards. The end-of-tick write stays scheduled either
    /// way, for output the early write could not take (the handler defers writes during a read).
    func requestQueued() {
        flush()
        guard unwrittenStreams >= Self.streamsPerWrite else { return }
        writeOutput()
    }

    /// Writes pending output at the end of this event-loop tick, so that everything submitted in
    /// one tick (a call's HEADERS and DATA, many calls' frames) leaves in one write.
    func flush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        let this = LoopConfined(self, on: eventLoop)
        eventLoop.execute {
            let connection = this.value
            connection.flushScheduled = false
            connection.writeOutput()
        }
    }

    private func writeOutput() {
        unwrittenStreams = 0
        handler.flushOutput()
    }

    /// How many new calls one write carries at most. When hundreds of calls resume in one tick
    /// (their replies arrived in one read) and each starts its next call, writing all of them at
    /// the end of the tick would leave the server idle while the client encodes them, and the
    /// client idle while the server answers. Writing every 32 calls lets the server start on the
    /// first ones while the client encodes the rest; writes stay batched (one syscall per 32
    /// calls, measured with `TransportLoad` at 256 concurrent calls).
    static let streamsPerWrite = 32

    func streamCompleted(_ stream: GRPCClientStream) {
        if stream.streamID != 0 { streams[stream.streamID] = nil }
        if lastStream === stream { lastStream = nil }
        flush()
        if streams.isEmpty { scheduleIdleTimeout() }
    }

    /// The call on stream `id`. A reply's events (headers, DATA, trailers, close) arrive
    /// together, so the last stream found answers most lookups without hashing.
    private func stream(_ id: Int32) -> GRPCClientStream? {
        if let lastStream, lastStream.streamID == id { return lastStream }
        lastStream = streams[id]
        return lastStream
    }

    // MARK: HTTP2SessionOwner

    func sessionEvent(_ event: HTTP2Event) {
        switch event {
        case .data(let id, let payload, _):
            if let stream = stream(id), !stream.isComplete {
                stream.handle(event)
            } else {
                // DATA for a call that already ended (cancelled, reset, past its deadline) that was
                // in flight: nobody will read it, so its flow-control credit goes back at once.
                // Otherwise it would leak from the connection window until every call stalls.
                session.consume(streamID: id, count: payload.count)
                flush()
            }
        case .headers(let id, _, _, _), .streamReset(let id, _), .streamError(let id, _), .streamClosed(let id, _):
            stream(id)?.handle(event)
        case .settings:
            if !isReady {
                isReady = true
                ready.succeed()
            }
        case .goAway:
            startDraining()
        case .pingAck:
            pingSentAt = nil
        case .windowUpdate:
            break
        }
    }

    func sessionOutputWritten() {
        // Most calls never wait to send (a unary request is one message): only look for
        // waiting senders when one may exist, not at every stream on every write.
        guard sendersMayWait else { return }
        var stillWaiting = false
        for stream in streams.values where stream.hasSendWaiters {
            stream.outputWritten()
            stillWaiting = stillWaiting || stream.hasSendWaiters
        }
        sendersMayWait = stillWaiting
    }

    /// A call on this connection waits for its backlog to drain (`GRPCClientStream.send`).
    func senderWaits() {
        sendersMayWait = true
    }

    func sessionEnded(_ error: (any Error)?) {
        guard !isClosed else { return }
        isClosed = true
        keepaliveTask?.cancel()
        idleTask?.cancel()
        let reason = error.map { "\($0)" } ?? "the connection closed"
        ready.fail(GRPCStatus(.unavailable, "connection ended before it was ready: \(reason)"))
        let open = streams
        streams.removeAll()
        lastStream = nil
        for stream in open.values {
            stream.complete(GRPCStatus(.unavailable, "connection lost: \(reason)"), trailers: [], reset: nil)
        }
        onDrainOrClose?(self)
        onDrainOrClose = nil
    }

    // MARK: Lifecycle

    private func startDraining() {
        guard !isDraining else { return }
        isDraining = true
        onDrainOrClose?(self)
    }

    /// Sends GOAWAY; calls in flight finish, then the channel closes.
    func close() {
        startDraining()
        try? session.goAway(errorCode: .noError)
        flush()
        if streams.isEmpty { channel.close(promise: nil) }
    }

    private func startKeepalive() {
        guard let interval = configuration.keepaliveInterval else { return }
        let this = LoopConfined(self, on: eventLoop)
        keepaliveTask = eventLoop.scheduleRepeatedTask(initialDelay: TimeAmount(interval), delay: TimeAmount(interval))
        { _ in
            this.value.keepaliveTick()
        }
    }

    private func keepaliveTick() {
        if let sentAt = pingSentAt {
            if NIODeadline.now() - sentAt >= TimeAmount(configuration.keepaliveTimeout) {
                let timeout = configuration.keepaliveTimeout
                sessionEnded(GRPCStatus(.unavailable, "keepalive PING not acknowledged within \(timeout)"))
                session.terminate(errorCode: .noError)
                flush()
                channel.close(promise: nil)
            }
            return
        }
        pingCounter += 1
        pingSentAt = .now()
        try? session.ping(pingCounter)
        flush()
    }

    private func scheduleIdleTimeout() {
        guard let timeout = configuration.idleTimeout, idleTask == nil, !isClosed else { return }
        let this = LoopConfined(self, on: eventLoop)
        idleTask = eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            let connection = this.value
            connection.idleTask = nil
            guard connection.streams.isEmpty else { return }
            connection.close()
        }
    }
}
