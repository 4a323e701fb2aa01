import NIOCore

/// One call's state on its connection's event loop: reads the response (headers, messages,
/// trailers), writes request messages with backpressure, and ends the call exactly once.
final class GRPCClientStream {
    let connection: GRPCClientConnection
    let options: GRPCCallOptions
    private(set) var streamID: Int32 = 0
    private let framer: GRPCMessageFramer
    var deframer: GRPCMessageDeframer
    let headersPromise: EventLoopPromise<HTTP2Headers>?
    let resultPromise: EventLoopPromise<GRPCCallResult>?
    /// Where response messages go: a sequence the caller reads, or (for unary calls) collected
    /// here and delivered with the status in one completion.
    let messages: AsyncThrowingStream<GRPCResponseMessages.Received, any Error>.Continuation?
    let unaryPromise: EventLoopPromise<GRPCUnaryResponse>?
    var collected: [[UInt8]] = []
    var httpStatus: Int?
    var responseHeaders: HTTP2Headers?
    var receivedBytes = 0
    var queuedWireBytes = 0
    private var creditedBytes = 0
    private var sendWaiters: [EventLoopPromise<Void>] = []
    private var localEnded = false
    var finalStatus: GRPCStatus?
    var isComplete: Bool { finalStatus != nil }
    var deadlineTask: Scheduled<Void>?

    init(
        connection: GRPCClientConnection, options: GRPCCallOptions,
        messages: AsyncThrowingStream<GRPCResponseMessages.Received, any Error>.Continuation?,
        unaryPromise: EventLoopPromise<GRPCUnaryResponse>? = nil,
        headersPromise: EventLoopPromise<HTTP2Headers>?, resultPromise: EventLoopPromise<GRPCCallResult>?
    ) {
        self.unaryPromise = unaryPromise
        self.connection = connection
        self.options = options
        self.messages = messages
        framer = GRPCMessageFramer(compression: options.compression)
        deframer = GRPCMessageDeframer(maxMessageSize: options.maxReceiveMessageSize, encoding: nil)
        self.headersPromise = headersPromise
        self.resultPromise = resultPromise
    }

    /// Opens the HTTP/2 stream with the request headers (gRPC `doc/PROTOCOL-HTTP2.md`, "Requests").
    func start(path: String, metadata: HTTP2Headers) {
        var headers: HTTP2Headers = [
            (":method", "POST"), (":scheme", "http"), (":path", path),
            (":authority", options.authority ?? connection.authority),
            ("content-type", "application/grpc"), ("te", "trailers"),
            ("grpc-accept-encoding", GRPCEncoding.acceptedValue),
        ]
        if let compression = options.compression { headers.add(name: "grpc-encoding", value: compression.rawValue) }
        if let timeout = options.timeout {
            guard timeout > .zero else {
                connection.releaseReservation()
                complete(GRPCStatus(.deadlineExceeded, "deadline exceeded before the call started"), trailers: [], reset: nil)
                return
            }
            headers.add(name: "grpc-timeout", value: GRPCTimeout.encode(timeout))
            let this = LoopConfined(self, on: connection.eventLoop)
            deadlineTask = connection.eventLoop.scheduleTask(in: TimeAmount(timeout)) { this.value.deadlinePassed() }
        }
        for field in metadata where !field.name.hasPrefix(":") { headers.add(name: field.name, value: field.value) }
        do {
            streamID = try connection.openStream(self, headers: headers)
        } catch {
            complete(GRPCStatus(.unavailable, "cannot open a stream: \(error)"), trailers: [], reset: nil)
        }
    }

    // MARK: Sending

    /// Queues one message; with `endStream` it is the last (a unary request is one DATA frame).
    func send(_ message: [UInt8], endStream: Bool = false, promise: EventLoopPromise<Void>?) {
        guard !isComplete else { return promise?.fail(currentStatus) ?? () }
        guard !localEnded else { return promise?.fail(GRPCStatus(.internal, "send after finish")) ?? () }
        do {
            let framed = try framer.frame(message)
            try connection.session.sendData(streamID: streamID, framed, endStream: endStream)
            localEnded = endStream
        } catch {
            return promise?.fail(error) ?? ()
        }
        connection.flush()
        guard let promise else { return }
        if connection.session.bufferedBytes(streamID: streamID) > connection.configuration.sendBufferLimit {
            sendWaiters.append(promise)
        } else {
            promise.succeed()
        }
    }

    func finish(promise: EventLoopPromise<Void>?) {
        guard !isComplete, !localEnded else { return promise?.succeed() ?? () }
        localEnded = true
        do {
            try connection.session.sendData(streamID: streamID, [], endStream: true)
        } catch {
            return promise?.fail(error) ?? ()
        }
        connection.flush()
        promise?.succeed()
    }

    /// Output moved on: wake senders once the backlog is under the limit.
    func outputWritten() {
        guard !sendWaiters.isEmpty, connection.session.bufferedBytes(streamID: streamID) <= connection.configuration.sendBufferLimit else { return }
        let waiters = sendWaiters
        sendWaiters.removeAll()
        for waiter in waiters { waiter.succeed() }
    }

    func failSendWaiters(_ status: GRPCStatus) {
        let waiters = sendWaiters
        sendWaiters.removeAll()
        for waiter in waiters { waiter.fail(status) }
    }

    var hasSendWaiters: Bool { !sendWaiters.isEmpty }

    func cancel() {
        guard !isComplete else { return }
        complete(GRPCStatus(.cancelled, "cancelled by the client"), trailers: [], reset: .cancel)
    }

    /// The consumer took a message of `wireSize` bytes: credit what is no longer held.
    func credit(_ wireSize: Int) {
        guard !isComplete else { return }  // completion already credited everything received
        queuedWireBytes -= wireSize
        creditOwed()
    }

    func creditOwed() {
        let owed = receivedBytes - queuedWireBytes - creditedBytes
        guard owed > 0, streamID != 0 else { return }
        creditedBytes += owed
        connection.session.consume(streamID: streamID, count: owed)
        connection.flush()
    }

    private func deadlinePassed() {
        guard !isComplete else { return }
        deadlineTask = nil
        complete(GRPCStatus(.deadlineExceeded, "deadline exceeded"), trailers: [], reset: .cancel)
    }

    private var currentStatus: GRPCStatus { finalStatus ?? GRPCStatus(.unknown) }
}
