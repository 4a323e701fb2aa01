import HTTP2Transport
import NIOCore

/// The HTTP/2 inbound side (h2c with prior knowledge, RFC 9113 §3.3) on HTTP2Transport's server
/// role: every stream is one request. A `content-type: application/grpc…` stream is proxied
/// untouched to its backend (``GRPCPassthrough``); any other becomes a ``GatewayRequest`` for the
/// same ``GatewayPipeline`` as HTTP/1.1, and its ``GatewayResponse`` is written back with
/// backpressure (a streamed body pulls its next chunk only once flow control has let the previous
/// one out), with the gRPC outcome as real trailers when the client sent `te: trailers`.
///
/// Limits: SETTINGS_MAX_CONCURRENT_STREAMS from the configuration (nghttp2 refuses streams
/// beyond it with REFUSED_STREAM), SETTINGS_MAX_HEADER_LIST_SIZE, and the body limit (413).
struct HTTP2FrontEnd: Sendable {
    let pipeline: GatewayPipeline
    let tracker: ConnectionTracker
    let accessLog: AccessLog?
    let remoteAddress: String?
    /// The connection's loop, for the tasks a stream starts besides its handler.
    let executor: EventLoopTaskExecutor

    /// The HTTP/2 server settings the gateway's configuration implies. The send buffer is 0: a
    /// response write completes only once flow control let every byte out, so a slow reader
    /// holds back the backend (one message at a time, as on HTTP/1.1).
    ///
    /// The response header encoder keeps no HPACK dynamic table (RFC 7541 §6.3): every answer
    /// carries a fresh `x-request-id`, which would churn through a 4 KB table of dead entries on
    /// every connection (~8 KB of heap each, for the connection's life). Literal fields cost
    /// about 25 bytes per answer on the wire.
    static func serverConfiguration(_ configuration: GatewayConfiguration) -> HTTP2Server.Configuration {
        var server = HTTP2Server.Configuration()
        server.session.maxConcurrentStreams = configuration.maximumConcurrentStreams
        server.session.maxHeaderListSize = UInt32(clamping: sessionHeaderListLimit(configuration.maximumHeaderListSize))
        server.session.maxEncoderTableSize = 0
        server.sendBufferLimit = 0
        return server
    }

    /// Serves HTTP/2 on an accepted channel (on its event loop); registers GOAWAY for draining.
    ///
    /// Each stream's request runs on the connection's event loop, as on HTTP/1.1: the server
    /// starts handlers preferring the loop (`runsHandlersOnEventLoop`), so the pipeline, the
    /// backend call (the loop's own connection pool) and the response writes stay on one thread
    /// instead of hopping between NIO and Swift's cooperative pool at every await.
    static func configure(
        _ channel: any Channel, pipeline: GatewayPipeline, tracker: ConnectionTracker, accessLog: AccessLog?
    ) throws {
        let frontEnd = HTTP2FrontEnd(
            pipeline: pipeline, tracker: tracker, accessLog: accessLog, remoteAddress: channel.remoteAddress?.ipAddress,
            executor: EventLoopTaskExecutor(eventLoop: channel.eventLoop))
        let connection = try HTTP2Server.serve(
            on: channel, configuration: serverConfiguration(pipeline.configuration)
        ) { request, writer in
            await frontEnd.handle(request, writer: writer)
        }
        try channel.pipeline.syncOperations.addHandler(HTTP2IdleHandler(connection: connection))
        tracker.onDrain(channel) { connection.shutDown() }
    }

    /// Answers one stream.
    func handle(_ request: HTTP2ServerRequest, writer: HTTP2ResponseWriter) async {
        tracker.requestStarted()
        defer { tracker.requestFinished() }
        let started = NIODeadline.now()
        let isGRPC = request.headers[first: "content-type"].map(GRPCPassthrough.isGRPC) ?? false
        if isGRPC && Self.headerListSize(request.headers) > pipeline.configuration.maximumHeaderListSize {
            // nghttp2 admits up to twice the limit (so REST calls get their 431 JSON); a native
            // gRPC call over the limit gets the gRPC form, trailers-only RESOURCE_EXHAUSTED. The
            // body is read and dropped first, as for the 431: a reset while the client is still
            // uploading is legal (RFC 9113 §8.1) but some clients report it as a failure.
            var headers: HTTP2Headers = [(":status", "200"), ("content-type", "application/grpc")]
            headers.add(contentsOf: GRPCStatus(.resourceExhausted, "the request's header block is too large").trailerFields)
            await BodyIterator(request.body.makeAsyncIterator()).discard(upTo: pipeline.configuration.maximumBodySize)
            try? await writer.writeHeaders(headers, endStream: true)
            return
        }
        if isGRPC {
            let passthrough = GRPCPassthrough(
                backends: pipeline.backends, configuration: pipeline.configuration, remoteAddress: remoteAddress,
                executor: executor)
            let outcome = await passthrough.proxy(request, writer: writer)
            accessLog?.record(
                method: request.method, target: request.path, response: outcome.response, bytes: outcome.bytes,
                started: started)
            return
        }
        let acceptsTrailers = request.headers[all: "te"].contains { $0.lowercased().contains("trailers") }
        if Self.headerListSize(request.headers) > pipeline.configuration.maximumHeaderListSize {
            let response = pipeline.earlyResponse(
                .headersTooLarge("the request's header block is too large"), method: request.method,
                target: request.path, headers: Self.requestHeaders(request.headers))
            await BodyIterator(request.body.makeAsyncIterator()).discard(upTo: pipeline.configuration.maximumBodySize)
            let bytes = await Self.write(response, to: writer, isHead: false, acceptsTrailers: acceptsTrailers)
            accessLog?.record(
                method: request.method, target: request.path, response: response, bytes: bytes, started: started)
            return
        }
        if pipeline.streamsRequestBody(method: request.method, target: request.path) {
            // Client streaming: DATA is credited only as the pipeline pulls it, so the backend's
            // pace sets the client's (RFC 9113 §5.2).
            var gatewayRequest = GatewayRequest(
                method: request.method, target: request.path, headers: Self.requestHeaders(request.headers),
                remoteAddress: remoteAddress)
            gatewayRequest.acceptsTrailers = acceptsTrailers
            let body = BodyIterator(request.body.makeAsyncIterator())
            gatewayRequest.bodyStream = AsyncThrowingStream(unfolding: { try await body.next() })
            let response = await pipeline.handle(gatewayRequest)
            await body.discard(upTo: pipeline.configuration.maximumBodySize)  // left unread by an early answer
            let bytes = await Self.write(response, to: writer, isHead: false, acceptsTrailers: acceptsTrailers)
            accessLog?.record(
                method: request.method, target: request.path, response: response, bytes: bytes, started: started)
            return
        }
        let received = BodyIterator(request.body.makeAsyncIterator())
        var requestHeaders = Self.requestHeaders(request.headers)
        let body: [UInt8]
        do {
            let whole = try await receiveBody(of: request, from: received)
            body = whole.body
            if whole.inflated { requestHeaders.removeAll { $0.name == "content-encoding" } }
        } catch {
            // The route's CORS headers too, so a browser can read the error (as on HTTP/1.1).
            let response = pipeline.earlyResponse(
                error, method: request.method, target: request.path, headers: Self.requestHeaders(request.headers))
            // Answering before the upload ended is allowed (RFC 9113 §8.1), but nghttp2 then
            // resets the request side with NO_ERROR, which curl reports as a failure instead of
            // showing the answer: read and drop up to one more body limit first.
            await received.discard(upTo: pipeline.configuration.maximumBodySize)
            let bytes = await Self.write(response, to: writer, isHead: false, acceptsTrailers: acceptsTrailers)
            accessLog?.record(
                method: request.method, target: request.path, response: response, bytes: bytes, started: started)
            return
        }
        var gatewayRequest = GatewayRequest(
            method: request.method, target: request.path, headers: requestHeaders, body: body,
            remoteAddress: remoteAddress)
        gatewayRequest.acceptsTrailers = acceptsTrailers
        let response = await pipeline.handle(gatewayRequest)
        let bytes = await Self.write(
            response, to: writer, isHead: request.method == "HEAD", acceptsTrailers: acceptsTrailers)
        accessLog?.record(
            method: request.method, target: request.path, response: response, bytes: bytes, started: started)
    }

    /// The header list limit nghttp2 enforces (it resets the stream beyond it): twice the
    /// configured limit, so a block between the two is read and answered 431 in JSON as on
    /// HTTP/1.1 (RFC 9113 §6.5.2 lets a server answer 431 to a block larger than it accepts;
    /// RFC 6585 §5), while what a stream can hold stays bounded.
    static func sessionHeaderListLimit(_ limit: Int) -> Int { min(limit, 8 << 20) * 2 }

    /// A field section's size as SETTINGS_MAX_HEADER_LIST_SIZE counts it: every name and value
    /// plus 32 octets per field, pseudo-header fields included (RFC 9113 §6.5.2).
    static func headerListSize(_ headers: HTTP2Headers) -> Int {
        var size = 0
        for field in headers { size += field.name.utf8.count + field.value.utf8.count + 32 }
        return size
    }

    /// The whole body, enforcing the limit from `content-length` before reading and while reading.
    /// A `Content-Encoding: gzip`/`deflate` body is inflated as its DATA frames arrive, as on
    /// HTTP/1.1, with the limit on the inflated size (413 at the limit, 415 for an unknown coding
    /// before any DATA is read); `inflated` tells the caller to drop the header.
    private func receiveBody(
        of request: HTTP2ServerRequest, from received: BodyIterator
    ) async throws(GatewayError) -> (body: [UInt8], inflated: Bool) {
        let limit = pipeline.configuration.maximumBodySize
        if let length = request.headers[first: "content-length"].flatMap(Int.init), length > limit {
            throw .payloadTooLarge(limit: limit)
        }
        var inflater: RequestInflater?
        // Every Content-Encoding line, as one list (RFC 9110 §5.3).
        let codings = request.headers[all: "content-encoding"]
        if !codings.isEmpty {
            inflater = try pipeline.requestInflater(contentEncoding: codings.joined(separator: ", "))
        }
        var body: [UInt8] = []
        do {
            while let chunk = try await received.next() {
                if let inflater {
                    try inflater.feed(chunk, into: &body)
                    continue
                }
                guard body.count + chunk.count <= limit else { throw GatewayError.payloadTooLarge(limit: limit) }
                body += chunk
            }
            try inflater?.finish()
        } catch let error as GatewayError {
            throw error
        } catch {
            throw .malformedRequest("the request body was not received: \(error)")
        }
        return (body, inflater != nil)
    }

    /// A request body's iterator behind a pull-driven stream: a chunk is taken from the session
    /// (and credited) only when the consumer asks for the next one. One consumer at a time.
    private final class BodyIterator: @unchecked Sendable {
        var base: HTTP2RequestBody.AsyncIterator
        init(_ base: HTTP2RequestBody.AsyncIterator) { self.base = base }
        func next() async throws -> [UInt8]? { try await base.next() }

        /// Reads and drops what is left, up to `limit` bytes (see `discardBody`).
        func discard(upTo limit: Int) async {
            var allowance = limit
            while allowance >= 0, let chunk = try? await base.next() { allowance -= chunk.count }
        }
    }

    /// Regular header fields as HTTP/1.1 would carry them: pseudo-headers dropped, `:authority`
    /// as `host` (RFC 9113 §8.3.1).
    static func requestHeaders(_ headers: HTTP2Headers) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        result.reserveCapacity(headers.count)
        var hasHost = false
        for field in headers {
            if field.name.hasPrefix(":") { continue }
            if field.name == "host" { hasHost = true }
            result.append((field.name, field.value))
        }
        if !hasHost, let authority = headers[first: ":authority"] { result.append(("host", authority)) }
        return result
    }
}
