import NIOCore

/// Reading the response: gRPC `doc/PROTOCOL-HTTP2.md`, "Responses":
///
/// ```
/// Response      → (Response-Headers *Length-Prefixed-Message Trailers) / Trailers-Only
/// Trailers-Only → HTTP-Status Content-Type Trailers
/// ```
extension GRPCClientStream {
    func handle(_ event: HTTP2Event) {
        guard !isComplete else { return }
        switch event {
        case .headers(_, let headers, .response, let endStream):
            receivedHeaders(headers, endStream: endStream)
        case .headers(_, let trailers, .trailers, _):
            receivedTrailers(trailers)
        case .data(_, let payload, let endStream):
            receivedData(payload)
            if endStream && !isComplete {
                complete(GRPCStatus(.internal, "the response ended without trailers"), trailers: [], reset: nil)
            }
        case .streamReset(_, .refusedStream) where retryRefusedStream(),
            .streamClosed(_, .refusedStream) where retryRefusedStream():
            break  // never processed by the server: going on over another connection
        case .streamReset(_, let code):
            complete(GRPCStatus(GRPCStatus.Code(resetCode: code), "stream reset by the server (\(code))"), trailers: [], reset: nil)
        case .streamError(_, let error):
            complete(GRPCStatus(.internal, "\(error)"), trailers: [], reset: nil)
        case .streamClosed(_, let code):
            let status =
                code == .refusedStream
                ? GRPCStatus(.unavailable, "the server refused the stream (GOAWAY)")
                : GRPCStatus(.internal, "the stream closed without a status (\(code))")
            complete(status, trailers: [], reset: nil)
        default:
            break
        }
    }

    private func receivedHeaders(_ headers: HTTP2Headers, endStream: Bool) {
        let status = headers[first: ":status"].flatMap { Int($0) }
        if let status, (100..<200).contains(status) { return }  // interim response
        responseStarted()
        httpStatus = status
        if endStream {
            // Trailers-Only: the status is in these headers (or only in :status, for a proxy's error).
            responseHeaders = headers
            headersPromise?.succeed(headers)
            complete(GRPCStatus(trailers: headers, httpStatus: status), trailers: [], reset: nil)
            return
        }
        guard status == 200 else {
            let code = GRPCStatus.Code(httpStatus: status ?? 0)
            complete(GRPCStatus(code, "HTTP status \(status.map(String.init) ?? "missing")"), trailers: [], reset: .cancel)
            return
        }
        guard let contentType = headers[first: "content-type"], contentType.hasPrefix("application/grpc") else {
            let value = headers[first: "content-type"] ?? "none"
            complete(GRPCStatus(.unknown, "response content-type \(value) is not gRPC"), trailers: [], reset: .cancel)
            return
        }
        do {
            // Passing through, the bytes are not decoded here: any encoding the client accepts goes.
            let encoding = options.passthrough ? nil : try GRPCEncoding.parse(headers[first: "grpc-encoding"], code: .internal)
            deframer = GRPCMessageDeframer(maxMessageSize: options.maxReceiveMessageSize, encoding: encoding)
        } catch {
            complete(error, trailers: [], reset: .cancel)
            return
        }
        responseHeaders = headers
        headersPromise?.succeed(headers)
    }

    private func receivedData(_ payload: [UInt8]) {
        receivedBytes += payload.count  // counted first: `complete` credits back all it received
        guard responseHeaders != nil else {
            complete(GRPCStatus(.internal, "DATA before response headers"), trailers: [], reset: .protocolError)
            return
        }
        if options.passthrough, let messages {
            queuedWireBytes += payload.count
            messages.yield(GRPCResponseMessages.Received(bytes: payload, wireSize: payload.count))
            creditOwed()
            return
        }
        deframer.append(payload)
        do {
            while let message = try deframer.next() {
                let wireSize = deframer.lastWireSize
                if let messages {
                    queuedWireBytes += wireSize
                    messages.yield(GRPCResponseMessages.Received(bytes: message, wireSize: wireSize))
                } else {
                    guard collected == nil else {
                        complete(GRPCStatus(.internal, "a unary call got more than one response message"), trailers: [], reset: .cancel)
                        return
                    }
                    collected = message
                }
            }
        } catch {
            complete(error, trailers: [], reset: .cancel)
            return
        }
        creditOwed()
    }

    private func receivedTrailers(_ trailers: HTTP2Headers) {
        var status = GRPCStatus(trailers: trailers, httpStatus: httpStatus)
        if status.isOK, deframer.bufferedBytes > 0 {
            status = GRPCStatus(.internal, "the response ended inside a message")
        }
        complete(status, trailers: trailers, reset: nil)
    }

    /// Ends the call once: settles every promise, ends the message sequence, releases flow-control
    /// credit held by unread messages, and resets the stream if it is still open.
    func complete(_ status: GRPCStatus, trailers: HTTP2Headers, reset: HTTP2ErrorCode?) {
        guard !isComplete else { return }
        finalStatus = status
        deadlineTask?.cancel()
        deadlineTask = nil
        if status.isOK { messages?.finish() } else { messages?.finish(throwing: status) }
        if messages == nil {  // a unary call
            if !status.isOK {
                let failure = GRPCCallFailure(status: status, headers: responseHeaders ?? [], trailers: trailers)
                deliverUnary(.failure(failure))
            } else if let collected {
                deliverUnary(
                    .success(GRPCUnaryResponse(message: collected, headers: responseHeaders ?? [], trailers: trailers)))
            } else {
                deliverUnary(
                    .failure(
                        GRPCCallFailure(
                            status: GRPCStatus(.internal, "a unary call got no response message"),
                            headers: responseHeaders ?? [], trailers: trailers)))
            }
        }
        if responseHeaders == nil { headersPromise?.fail(status) }
        resultPromise?.succeed(GRPCCallResult(status: status, trailers: trailers))
        failSendWaiters(status)
        if streamID != 0 {
            if let reset { connection.session.resetStream(streamID: streamID, errorCode: reset) }
            // Bytes the reader will never take still count against the connection window.
            queuedWireBytes = 0
            creditOwed()
        }
        connection.streamCompleted(self)
    }
}
