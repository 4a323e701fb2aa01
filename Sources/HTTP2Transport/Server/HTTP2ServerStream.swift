import NIOCore

/// One server stream's state on its connection's event loop.
final class HTTP2ServerStream {
    let connection: HTTP2ServerConnection
    let streamID: Int32
    let body: AsyncThrowingStream<[UInt8], any Error>.Continuation
    let trailers: EventLoopPromise<HTTP2Headers?>
    private var headersSent = false
    private(set) var responseEnded = false
    private(set) var isClosed = false
    private var writeWaiters: [EventLoopPromise<Void>] = []
    private var receivedBytes = 0
    /// The request body ended (END_STREAM or trailers received).
    var requestEnded = false
    private var creditedBytes = 0

    init(connection: HTTP2ServerConnection, streamID: Int32, body: AsyncThrowingStream<[UInt8], any Error>.Continuation) {
        self.connection = connection
        self.streamID = streamID
        self.body = body
        trailers = connection.eventLoop.makePromise()
    }

    // MARK: Request side

    func handle(_ event: HTTP2Event) {
        switch event {
        case .data(_, let payload, let endStream):
            guard !isClosed else {
                // In flight when the stream ended: nobody reads it, so its credit goes back now.
                connection.session.consume(streamID: streamID, count: payload.count)
                return
            }
            receivedBytes += payload.count
            if !payload.isEmpty { body.yield(payload) }
            if endStream {
                requestEnded = true
                body.finish()
                trailers.succeed(nil)
            }
        case .headers(_, let fields, .trailers, _):
            requestEnded = true
            body.finish()
            trailers.succeed(fields)
        case .streamReset(_, let code):
            closed(HTTP2Error(.unknownStream, "the client reset the stream (\(code))", streamID: streamID))
        case .streamError(_, let error):
            closed(error)
        case .streamClosed(_, let code) where code == .noError && !requestEnded:
            // The response ended first and the session stopped the upload (RST_STREAM NO_ERROR,
            // RFC 9113 §8.1): a reader still in the body must not take it as complete.
            closed(HTTP2Error(.unknownStream, "the response ended before the request body did", streamID: streamID))
        case .streamClosed(_, let code):
            closed(code == .noError ? nil : HTTP2Error(.unknownStream, "stream closed (\(code))", streamID: streamID))
        default:
            break
        }
    }

    func closed(_ error: (any Error)?) {
        guard !isClosed else { return }
        isClosed = true
        // Body bytes the handler never read still hold connection window: give it back.
        connection.session.consume(streamID: streamID, count: receivedBytes - creditedBytes)
        creditedBytes = receivedBytes
        if let error { body.finish(throwing: error) } else { body.finish() }
        trailers.succeed(nil)
        let waiters = writeWaiters
        writeWaiters.removeAll()
        for waiter in waiters {
            waiter.fail(error ?? HTTP2Error(.unknownStream, "stream closed", streamID: streamID))
        }
    }

    func credit(_ count: Int) {
        guard !isClosed else { return }
        creditedBytes += count
        connection.session.consume(streamID: streamID, count: count)
        connection.flush()
    }

    // MARK: Response side

    func writeHeaders(_ headers: HTTP2Headers, endStream: Bool, promise: EventLoopPromise<Void>?) {
        guard !isClosed, !headersSent else {
            promise?.fail(HTTP2Error(.invalidArgument, "headers already sent or stream closed", streamID: streamID))
            return
        }
        do {
            try connection.session.submitResponse(streamID: streamID, headers, endStream: endStream)
        } catch {
            promise?.fail(error)
            return
        }
        headersSent = true
        responseEnded = endStream
        connection.flush()
        promise?.succeed()
    }

    func writeData(_ bytes: [UInt8], endStream: Bool, promise: EventLoopPromise<Void>?) {
        guard !isClosed else {
            promise?.fail(HTTP2Error(.unknownStream, "stream closed", streamID: streamID))
            return
        }
        do {
            try connection.session.sendData(streamID: streamID, bytes, endStream: endStream)
        } catch {
            promise?.fail(error)
            return
        }
        responseEnded = endStream
        connection.flush()
        guard let promise else { return }
        if connection.session.bufferedBytes(streamID: streamID) > connection.configuration.sendBufferLimit {
            writeWaiters.append(promise)
        } else {
            promise.succeed()
        }
    }

    func writeTrailers(_ fields: HTTP2Headers, promise: EventLoopPromise<Void>) {
        guard !isClosed else { return promise.fail(HTTP2Error(.unknownStream, "stream closed", streamID: streamID)) }
        do {
            try connection.session.submitTrailers(streamID: streamID, fields)
        } catch {
            return promise.fail(error)
        }
        responseEnded = true
        connection.flush()
        promise.succeed()
    }

    func reset(_ code: HTTP2ErrorCode) {
        guard !isClosed else { return }
        // nghttp2 discards a stream's queued frames once its RST_STREAM is submitted; what the
        // handler already wrote (response headers: proof the request was processed) goes first.
        if headersSent { connection.handler.flushOutput() }
        connection.session.resetStream(streamID: streamID, errorCode: code)
        connection.flush()
    }

    /// The handler returned: a response it left open is ended so the stream cannot leak.
    func handlerFinished() {
        guard !isClosed, !responseEnded else { return }
        if headersSent {
            reset(.internalError)
        } else {
            writeHeaders([(":status", "500")], endStream: true, promise: nil)
        }
    }

    func outputWritten() {
        guard !writeWaiters.isEmpty,
            connection.session.bufferedBytes(streamID: streamID) <= connection.configuration.sendBufferLimit
        else { return }
        let waiters = writeWaiters
        writeWaiters.removeAll()
        for waiter in waiters { waiter.succeed() }
    }

    var hasWriteWaiters: Bool { !writeWaiters.isEmpty }
}
