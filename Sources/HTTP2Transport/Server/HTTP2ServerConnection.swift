import NIOCore

/// One accepted h2c connection: turns each stream the client opens into a request handed to the
/// server's handler, and routes later events to that stream.
final class HTTP2ServerConnection: HTTP2SessionOwner {
    let eventLoop: any EventLoop
    let handler: HTTP2ChannelHandler
    let configuration: HTTP2Server.Configuration
    let requestHandler: HTTP2Server.Handler
    var session: HTTP2Session { handler.session }
    private var streams: [Int32: HTTP2ServerStream] = [:]
    private(set) var isClosed = false
    var onEnd: (() -> Void)?
    private var flushScheduled = false
    /// Handshake and idle timers (`HTTP2ServerConnection+Timeouts`).
    var handshakeTask: Scheduled<Void>?
    var idleTask: Scheduled<Void>?
    /// Since when no stream has been open (nil while one is); the idle timer reads it.
    var idleSince: NIODeadline?
    var handshakeDone = false
    var streamCount: Int { streams.count }
    /// Where stream handlers run when `runsHandlersOnEventLoop`; one per connection.
    private let executor: EventLoopTaskExecutor?

    init(eventLoop: any EventLoop, handler: HTTP2ChannelHandler, configuration: HTTP2Server.Configuration,
         requestHandler: @escaping HTTP2Server.Handler) {
        self.eventLoop = eventLoop
        self.handler = handler
        self.configuration = configuration
        self.requestHandler = requestHandler
        executor = configuration.runsHandlersOnEventLoop ? EventLoopTaskExecutor(eventLoop: eventLoop) : nil
        handler.owner = self
        startTimers()
    }

    /// Writes pending output at the end of this event-loop tick (one write for all that the
    /// tick's handlers submitted).
    func flush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        let this = LoopConfined(self, on: eventLoop)
        eventLoop.execute {
            let connection = this.value
            connection.flushScheduled = false
            connection.handler.flushOutput()
        }
    }

    /// Graceful shutdown: a GOAWAY naming the last stream; open streams finish.
    func shutDown() {
        guard !isClosed else { return }
        try? session.goAway(errorCode: .noError)
        flush()
    }

    func sessionEvent(_ event: HTTP2Event) {
        switch event {
        case .headers(let id, let headers, .request, let endStream):
            startStream(id, headers: headers, endStream: endStream)
            streamsChanged()
        case .data(let id, let payload, _):
            if let stream = streams[id] {
                stream.handle(event)
            } else {
                session.consume(streamID: id, count: payload.count)  // no reader: credit it back
                flush()
            }
        case .headers(let id, _, _, _), .streamReset(let id, _), .streamError(let id, _):
            streams[id]?.handle(event)
        case .streamClosed(let id, _):
            streams.removeValue(forKey: id)?.handle(event)
            // A burst of concurrent streams grows the table; an idle connection gives it back.
            if streams.isEmpty && streams.capacity > 8 { streams = [:] }
            streamsChanged()
        case .settings:
            handshakeCompleted()
        default:
            break
        }
    }

    private func startStream(_ id: Int32, headers: HTTP2Headers, endStream: Bool) {
        let (body, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let stream = HTTP2ServerStream(connection: self, streamID: id, body: continuation)
        streams[id] = stream
        if endStream {
            stream.requestEnded = true
            continuation.finish()
            stream.trailers.succeed(nil)
        }
        let confined = LoopConfined(stream, on: eventLoop)
        let trailers = stream.trailers.futureResult
        let request = HTTP2ServerRequest(
            streamID: id, headers: headers,
            body: HTTP2RequestBody(base: body) { count in confined.execute { $0.credit(count) } },
            trailersFuture: { try? await trailers.get() ?? nil })
        let writer = HTTP2ResponseWriter(stream: confined)
        let handler = requestHandler
        Task(executorPreference: executor) {
            await handler(request, writer)
            confined.execute { $0.handlerFinished() }
        }
    }

    func sessionOutputWritten() {
        for stream in streams.values where stream.hasWriteWaiters { stream.outputWritten() }
    }

    func sessionEnded(_ error: (any Error)?) {
        guard !isClosed else { return }
        isClosed = true
        stopTimers()
        onEnd?()
        onEnd = nil
        let open = streams
        streams.removeAll()
        for stream in open.values {
            stream.closed(error ?? HTTP2Error(.sessionClosed, "the connection closed"))
        }
    }
}
