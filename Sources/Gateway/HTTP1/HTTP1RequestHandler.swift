import HTTP2Transport
import NIOCore
import NIOHTTP1

/// Adapts NIO's HTTP/1.1 codec to the ``GatewayPipeline``: collects one request (enforcing the
/// body limit while it streams in), hands it to the pipeline, writes the answer.
///
/// It sits behind `HTTPServerPipelineHandler`, which holds back pipelined requests until the
/// previous response has ended (RFC 9112 §9.3.2), so answers leave in request order. Every
/// failure is answered with `google.rpc.Status` JSON: an over-limit body gets 413 and a request
/// the HTTP parser rejects gets 400, each followed by closing the connection, since the rest of
/// the byte stream cannot be trusted.
final class HTTP1RequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case receiving(HTTPRequestHead, [UInt8])
        /// Answered early (413); the rest of the request is dropped and the connection closes.
        case discarding
        case responding
    }

    private let pipeline: GatewayPipeline
    private let tracker: ConnectionTracker
    private let accessLog: AccessLog?
    private let progress: ReadTimeoutHandler.Progress
    /// Client streaming: pauses socket reads while the pipeline is behind (`HTTP1BodyStream`).
    private let gate: HTTP1ReadGate?
    /// The body of a client-streaming request, flowing to the pipeline while it answers.
    private var bodyStream: HTTP1BodyStream?
    private var state = State.idle
    private var remoteAddress: String?
    /// Runs this connection's requests on its event loop (no thread hops per request).
    private var executor: EventLoopTaskExecutor?
    /// Inflates a `Content-Encoding: gzip`/`deflate` body while it streams in (`Offload/`).
    private var inflater: RequestInflater?

    init(
        pipeline: GatewayPipeline, tracker: ConnectionTracker, accessLog: AccessLog?,
        progress: ReadTimeoutHandler.Progress, gate: HTTP1ReadGate? = nil
    ) {
        self.gate = gate
        self.pipeline = pipeline
        self.progress = progress
        self.tracker = tracker
        self.accessLog = accessLog
    }

    /// Added after the protocol sniffer has seen the first bytes, when the channel is already
    /// active (so `channelActive` does not come).
    func handlerAdded(context: ChannelHandlerContext) {
        remoteAddress = context.remoteAddress?.ipAddress
    }

    func channelActive(context: ChannelHandlerContext) {
        remoteAddress = context.remoteAddress?.ipAddress
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .idle) where Self.headerListSize(head) > pipeline.configuration.maximumHeaderListSize:
            // The same limit and answer as on HTTP/2 (`HTTP2FrontEnd`), below the parser's own.
            rejectEarly(context: context, .headersTooLarge("the request's header block is too large"), head: head)
        case (.head(let head), .idle)
        where gate != nil && pipeline.streamsRequestBody(method: head.method.rawValue, target: head.uri):
            let limit = pipeline.configuration.maximumStreamedBodySize
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > limit {
                rejectEarly(context: context, .payloadTooLarge(limit: limit), head: head)
                return
            }
            let body = HTTP1BodyStream(gate: gate!, eventLoop: context.eventLoop)
            bodyStream = body
            dispatch(context: context, head: head, body: [], bodyStream: body.stream)
        case (.body(let buffer), .responding) where bodyStream != nil:
            bodyStream!.yield(Array(buffer.readableBytesView))
        case (.end, .responding) where bodyStream != nil:
            bodyStream!.finish()
            bodyStream = nil
        case (.head(let head), .idle):
            let limit = pipeline.configuration.maximumBodySize
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > limit {
                rejectEarly(context: context, .payloadTooLarge(limit: limit), head: head)
                return
            }
            inflater = nil
            // Every Content-Encoding line, as one list (RFC 9110 §5.3).
            let codings = head.headers["content-encoding"]
            if !codings.isEmpty {
                do { inflater = try pipeline.requestInflater(contentEncoding: codings.joined(separator: ", ")) } catch {
                    rejectEarly(context: context, error, head: head)
                    return
                }
            }
            state = .receiving(head, [])
            progress.receivingHead = head
        case (.body(let buffer), .receiving(let head, var body)) where inflater != nil:
            state = .discarding  // drop the copy held in `state` while appending
            do {
                try buffer.withUnsafeReadableBytes { bytes throws(GatewayError) in try inflater!.feed(bytes, into: &body) }
                state = .receiving(head, body)
            } catch {
                rejectEarly(context: context, error, head: head)
            }
        case (.end, .receiving(var head, let body)) where inflater != nil:
            do { try inflater!.finish() } catch {
                rejectEarly(context: context, error, head: head)
                return
            }
            inflater = nil
            head.headers.remove(name: "content-encoding")
            dispatch(context: context, head: head, body: body)
        case (.body(var buffer), .receiving(let head, var body)):
            let limit = pipeline.configuration.maximumBodySize
            guard body.count + buffer.readableBytes <= limit else {
                rejectEarly(context: context, .payloadTooLarge(limit: limit), head: head)
                return
            }
            state = .discarding  // drop the copy held in `state` while appending
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
            state = .receiving(head, body)
        case (.end, .receiving(let head, let body)):
            dispatch(context: context, head: head, body: body)
        case (_, .discarding), (_, .responding), (.body, .idle), (.end, .idle), (.head, .receiving):
            break
        }
    }

    private func dispatch(
        context: ChannelHandlerContext, head: HTTPRequestHead, body: [UInt8],
        bodyStream: AsyncThrowingStream<[UInt8], any Error>? = nil
    ) {
        state = .responding
        progress.isResponding = true
        progress.receivingHead = nil
        progress.bytesSinceLastRequest = 0  // bytes after this belong to the next (pipelined) request
        var received = GatewayRequest(
            method: head.method.rawValue, target: head.uri,
            headers: head.headers.map { ($0.name, $0.value) }, body: body, remoteAddress: remoteAddress)
        received.bodyStream = bodyStream
        let request = received
        var keepAlive = head.isKeepAlive && !tracker.isDraining
        let pipeline = self.pipeline
        tracker.requestStarted()
        let started = NIODeadline.now()
        let accessLog = self.accessLog
        if executor == nil { executor = EventLoopTaskExecutor(eventLoop: context.eventLoop) }
        let future = executor!.makeFutureWithTask { await pipeline.handle(request) }
        future.assumeIsolated().whenSuccess { response in
            if let unread = self.bodyStream {
                // Answered before the streamed body ended (an error): the rest is dropped and
                // the connection closes after the answer.
                unread.finish()
                self.bodyStream = nil
                keepAlive = false
            }
            if let chunks = response.chunks, head.method != .HEAD {
                self.stream(response, chunks: chunks, version: head.version, keepAlive: keepAlive, context: context) {
                    bytes in
                    accessLog?.record(
                        method: request.method, target: request.target, response: response, bytes: bytes,
                        started: started)
                }
            } else {
                self.write(response, version: head.version, keepAlive: keepAlive, context: context)
                self.tracker.requestFinished()
                accessLog?.record(
                    method: request.method, target: request.target, response: response, bytes: response.body.count,
                    started: started)
            }
        }
    }

    /// Answers before the pipeline has the request (and closes): with the request's head, the
    /// answer gets the same CORS headers as any other (``GatewayPipeline/earlyResponse``).
    /// The request's header section measured as HTTP/2 does (RFC 9113 §6.5.2: name, value and 32
    /// octets per field), with the method and target as the `:method` and `:path` fields.
    static func headerListSize(_ head: HTTPRequestHead) -> Int {
        var size = 7 + head.method.rawValue.utf8.count + 32 + 5 + head.uri.utf8.count + 32
        for field in head.headers { size += field.name.utf8.count + field.value.utf8.count + 32 }
        return size
    }

    private func rejectEarly(context: ChannelHandlerContext, _ error: GatewayError, head: HTTPRequestHead?) {
        state = .discarding
        progress.receivingHead = nil
        let response =
            head.map {
                pipeline.earlyResponse(
                    error, method: $0.method.rawValue, target: $0.uri, headers: $0.headers.map { ($0.name, $0.value) })
            } ?? pipeline.errorResponse(error, requestID: nil)
        write(response, version: .http1_1, keepAlive: false, context: context)
    }

    private func write(_ response: GatewayResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.reserveCapacity(response.headers.count + 2)
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        headers.add(name: "content-length", value: String(response.body.count))
        if !keepAlive { headers.add(name: "connection", value: "close") }
        let head = HTTPResponseHead(
            version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !response.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        }
        // Back to idle before `.end`: writing it releases the next pipelined request, which may
        // arrive synchronously inside this call.
        if keepAlive, case .responding = state { state = .idle }
        progress.isResponding = false
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        if !keepAlive {
            done.futureResult.assumeIsolated().whenComplete { _ in Self.lingeringClose(context) }
        }
    }

    /// Closes our side first and lets the client's remaining bytes drain for a moment: closing
    /// with unread input makes the kernel send RST, which can destroy the answer before the
    /// client reads it (an early 413 or 400). The client's EOF, or 2 s, closes the rest.
    static func lingeringClose(_ context: ChannelHandlerContext) {
        let halfClosed = context.eventLoop.makePromise(of: Void.self)
        context.close(mode: .output, promise: halfClosed)
        halfClosed.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(2)) { context.close(promise: nil) }
    }

    /// Sends a streamed body with chunked transfer coding (RFC 9112 §7.1), pulling each chunk only
    /// once the previous one has been written to the socket.
    private func stream(
        _ response: GatewayResponse, chunks: AsyncStream<[UInt8]>, version: HTTPVersion, keepAlive: Bool,
        context: ChannelHandlerContext, finished: @escaping @Sendable (Int) -> Void
    ) {
        var headers = HTTPHeaders()
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        if !keepAlive { headers.add(name: "connection", value: "close") }
        if version.minor == 0 { headers.add(name: "connection", value: "close") }
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
        let loop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        let keepOpen = keepAlive && version.minor > 0
        // On the connection's loop like the request itself: each chunk (and its compression,
        // `Offload/`) is written without a hop through the shared cooperative pool, which a busy
        // process can hold up for most of a second.
        Task(executorPreference: executor) {
            var clientGone = false
            var bytes = 0
            for await chunk in chunks {
                if clientGone { continue }
                bytes += chunk.count
                let written = loop.flatSubmit {
                    let (handler, context) = bound.value
                    let buffer = context.channel.allocator.buffer(bytes: chunk)
                    return context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(buffer))))
                }
                do { try await written.get() } catch {
                    // The client went away: cancelling makes the stream cancel the backend call.
                    clientGone = true
                    withUnsafeCurrentTask { $0?.cancel() }
                }
            }
            loop.execute {
                let (handler, context) = bound.value
                if keepOpen, case .responding = handler.state { handler.state = .idle }
                handler.progress.isResponding = false
                let done = context.writeAndFlush(handler.wrapOutboundOut(.end(nil)))
                if !keepOpen { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
                handler.tracker.requestFinished()
            }
            finished(bytes)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        bodyStream?.finish(ChannelError.eof)  // the client left mid-upload: the call is abandoned
        bodyStream = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        bodyStream?.finish(error)
        bodyStream = nil
        if error is HTTPParserError {
            if case .discarding = state { return }  // already answered; the connection is closing
            if case .responding = state {
                context.close(promise: nil)
                return
            }
            state = .discarding
            let gatewayError: GatewayError =
                (error as? HTTPParserError) == .headerOverflow
                ? .headersTooLarge("the request's header block is too large")
                : .malformedRequest("malformed HTTP request: \(error)")
            let response = pipeline.errorResponse(gatewayError, requestID: nil)
            write(response, version: .http1_1, keepAlive: false, context: context)
        } else {
            context.close(promise: nil)
        }
    }
}
