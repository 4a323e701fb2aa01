import HTTP2Transport
import Transcoder

extension GatewayPipeline {
    /// Whether a request's body is streamed to the backend as it arrives (a client-streaming
    /// route) rather than received whole first: front ends ask this once the head is in.
    public func streamsRequestBody(method: String, target: String) -> Bool {
        guard case .matched(let match) = routes.lookup(method: method, target: target) else { return false }
        return routes.routes[match.routeIndex].streamingKind == .clientStreaming
    }

    /// A client-streaming call: the body (`application/x-ndjson`, or a JSON array for
    /// `application/json`) is split into messages as it arrives (``JSONStreamSplitter``); each
    /// is transcoded, gets the path and query fields (the same for every message), and is sent
    /// before the next chunk is read, so the backend's flow control paces the upload. Each
    /// message is limited to ``GatewayConfiguration/maximumBodySize`` and the whole body to
    /// ``GatewayConfiguration/maximumStreamedBodySize`` (413); bad JSON in message k is a 400
    /// naming `[k].field`.
    func clientStreamingResponse(
        for call: PreparedCall, request: GatewayRequest, channel: GRPCChannel, options: GRPCCallOptions
    ) async -> GatewayResponse {
        let framing: JSONStreamSplitter.Framing
        let contentType = request.header("content-type") ?? "application/json"
        if Self.isNDJSON(contentType) {
            framing = .ndjson
        } else if Self.isJSON(contentType) {
            framing = .jsonArray
        } else {
            return errorResponse(.unsupportedMediaType(contentType), requestID: call.requestID)
        }
        let chunks =
            request.bodyStream
            ?? AsyncThrowingStream { continuation in
                continuation.yield(request.body)
                continuation.finish()
            }
        let grpcCall = channel.makeCall(path: call.path, metadata: call.metadata, options: options)
        let inputIndex = routes.routes[call.routeIndex].method.inputIndex
        var splitter = JSONStreamSplitter(framing: framing, maximumMessageSize: configuration.maximumBodySize)
        var total = 0
        do {
            for try await chunk in chunks {
                total += chunk.count
                guard total <= configuration.maximumStreamedBodySize else {
                    throw GatewayError.payloadTooLarge(limit: configuration.maximumStreamedBodySize)
                }
                splitter.append(chunk)
                while let json = try splitter.next() {
                    try await grpcCall.send(
                        message(json, index: splitter.count - 1, inputIndex: inputIndex, call: call))
                }
            }
            if let json = try splitter.finish() {
                try await grpcCall.send(message(json, index: splitter.count - 1, inputIndex: inputIndex, call: call))
            }
            try await grpcCall.finish()
        } catch let error as GatewayError {
            grpcCall.cancel()
            return errorResponse(error, requestID: call.requestID)
        } catch let error as JSONStreamSplitter.SplitError {
            grpcCall.cancel()
            let gatewayError: GatewayError =
                error.kind == .tooLarge
                ? .messageTooLarge(index: error.index, limit: configuration.maximumBodySize)
                : .invalidArgument(error.description)
            return errorResponse(gatewayError, requestID: call.requestID)
        } catch is GRPCStatus {
            // The call ended while we were sending (the backend answered early): its status follows.
        } catch {
            grpcCall.cancel()
            return errorResponse(
                .malformedRequest("the request body was not received: \(error)"), requestID: call.requestID)
        }
        var reply: [UInt8]?
        do {
            for try await message in grpcCall.responses { reply = message }
        } catch {}
        let result = await grpcCall.result
        let headers = (try? await grpcCall.headers) ?? []
        if result.status.isOK, let reply {
            return successResponse(
                for: call, reply: GRPCUnaryResponse(message: reply, headers: headers, trailers: result.trailers))
        }
        let status = result.status.isOK ? GRPCStatus(.internal, "the backend sent no reply message") : result.status
        return errorResponse(GRPCCallFailure(status: status, headers: headers, trailers: result.trailers), for: call)
    }

    /// One request message: the element's JSON transcoded, then the path and query fields.
    private func message(
        _ json: [UInt8], index: Int, inputIndex: Int, call: PreparedCall
    ) throws(GatewayError) -> [UInt8] {
        do {
            return try codec.protobuf(fromJSON: json, messageIndex: inputIndex, options: configuration.json)
                + call.message
        } catch {
            throw .invalidArgument(error.atIndex(index).description)
        }
    }

    /// `application/x-ndjson`, `application/jsonl` or `application/x-jsonlines`, parameters ignored.
    static func isNDJSON(_ contentType: String) -> Bool {
        let media = String(contentType.prefix { $0 != ";" }.filter { $0 != " " && $0 != "\t" }).lowercased()
        return media == "application/x-ndjson" || media == "application/jsonl" || media == "application/x-jsonlines"
    }
}
