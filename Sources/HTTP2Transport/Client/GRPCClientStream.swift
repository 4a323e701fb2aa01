import NIOCore

/// One call's state on its connection's event loop: reads the response (headers, messages,
/// trailers), writes request messages with backpressure, and ends the call exactly once.
final class GRPCClientStream {
    /// The connection carrying the stream; another one after a transparent retry.
    var connection: GRPCClientConnection
    let options: GRPCCallOptions
    var streamID: Int32 = 0
    private let framer: GRPCMessageFramer
    var deframer: GRPCMessageDeframer
    let headersPromise: EventLoopPromise<HTTP2Headers>?
    let resultPromise: EventLoopPromise<GRPCCallResult>?
    /// Where response messages go: a sequence the caller reads, or (for unary calls) collected
    /// here and delivered with the status in one completion.
    let messages: AsyncThrowingStream<GRPCResponseMessages.Received, any Error>.Continuation?
    /// Who waits for a unary call's outcome (`GRPCClientStream+Unary`), and the outcome if the
    /// call ended before anyone waited.
    var unaryReceiver: UnaryReceiver?
    var unaryOutcome: Result<GRPCUnaryResponse, any Error>?
    var collected: [UInt8]?
    var httpStatus: Int?
    var responseHeaders: HTTP2Headers?
    var receivedBytes = 0
    var queuedWireBytes = 0
    var creditedBytes = 0
    private var sendWaiters: [EventLoopPromise<Void>] = []
    var localEnded = false
    /// The request header section, kept for a transparent retry (`GRPCClientStream+Retry`).
    var requestHeaders: HTTP2Headers = []
    /// Every request byte sent so far (`replayPrefix`, then these), while a retry could still
    /// replay them: nil once the response started or later messages took them past
    /// `sendBufferLimit` (the first message is always kept, sharing the message's storage).
    var replay: [UInt8]? = []
    var replayPrefix = OutboundStream.Prefix()
    var retried = false
    /// Waiting for a new connection after the server refused the stream.
    var reconnecting = false
    var deadline: NIODeadline?
    var finalStatus: GRPCStatus?
    var isComplete: Bool { finalStatus != nil }
    var deadlineTask: Scheduled<Void>?

    init(
        connection: GRPCClientConnection, options: GRPCCallOptions,
        messages: AsyncThrowingStream<GRPCResponseMessages.Received, any Error>.Continuation?,
        unaryPromise: EventLoopPromise<GRPCUnaryResponse>? = nil,
        headersPromise: EventLoopPromise<HTTP2Headers>?, resultPromise: EventLoopPromise<GRPCCallResult>?
    ) {
        self.unaryReceiver = unaryPromise.map { .promise($0) }
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
        var headers: HTTP2Headers
        if options.authority == nil && !options.passthrough {
            headers = connection.requestHeaders(path: path)  // shared: built once per path
        } else {
            headers = HTTP2Headers(minimumCapacity: 9 + metadata.count)
            GRPCClientConnection.addRequestHeaders(
                to: &headers, path: path, authority: options.authority ?? connection.authority,
                passthrough: options.passthrough)
        }
        let extra = metadata.count + (options.timeout == nil ? 0 : 1) + (options.compression == nil ? 0 : 1)
        if extra > 0 { headers.reserveCapacity(headers.count + extra) }  // one copy, at the final size
        if let compression = options.compression, !options.passthrough {
            headers.add(name: "grpc-encoding", value: compression.rawValue)
        }
        do {
            try GRPCMetadata.append(metadata, to: &headers, passthrough: options.passthrough)
        } catch {
            connection.releaseReservation()
            complete(error, trailers: [], reset: nil)
            return
        }
        if let timeout = options.timeout {
            guard timeout > .zero else {
                connection.releaseReservation()
                complete(
                    GRPCStatus(.deadlineExceeded, "deadline exceeded before the call started"), trailers: [], reset: nil
                )
                return
            }
            headers.add(name: "grpc-timeout", value: GRPCTimeout.encode(timeout))
            deadline = .now() + TimeAmount(timeout)
            let this = LoopConfined(self, on: connection.eventLoop)
            deadlineTask = connection.eventLoop.scheduleTask(in: TimeAmount(timeout)) { this.value.deadlinePassed() }
        }
        requestHeaders = headers
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
            // The message goes out as it is, behind its 5-byte prefix held inline: no framed copy.
            var prefix = OutboundStream.Prefix()
            var payload = message
            if !options.passthrough {
                let compressed: Bool
                (payload, compressed) = try framer.payload(of: message)
                prefix = GRPCMessageFramer.withPrefix(compressed: compressed, length: payload.count) {
                    OutboundStream.Prefix($0)
                }
            }
            keepForReplay(payload, after: prefix)
            if !reconnecting {
                try connection.session.sendData(streamID: streamID, payload, after: prefix, endStream: endStream)
            }
            localEnded = endStream
        } catch {
            return promise?.fail(error) ?? ()
        }
        connection.requestQueued()
        guard let promise else { return }
        // The write may have delivered this call's end (its waiters are already failed).
        if isComplete { return promise.fail(currentStatus) }
        if backlog > connection.configuration.sendBufferLimit {
            sendWaiters.append(promise)
            connection.senderWaits()
        } else {
            promise.succeed()
        }
    }

    func finish(promise: EventLoopPromise<Void>?) {
        guard !isComplete, !localEnded else { return promise?.succeed() ?? () }
        localEnded = true
        do {
            if !reconnecting { try connection.session.sendData(streamID: streamID, [], endStream: true) }
        } catch {
            return promise?.fail(error) ?? ()
        }
        connection.flush()
        promise?.succeed()
    }

    /// Output moved on: wake senders once the backlog is under the limit.
    func outputWritten() {
        guard !sendWaiters.isEmpty, backlog <= connection.configuration.sendBufferLimit else { return }
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
