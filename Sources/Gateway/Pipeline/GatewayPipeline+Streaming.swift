import HTTP2Transport
import Transcoder

extension GatewayPipeline {
    /// A server-streaming call, answered as it streams: the first message is awaited (so that a
    /// call failing before it gets a real HTTP status), then headers go out and each further
    /// message is pulled from the backend only when the client has taken the previous one —
    /// backpressure from the client's socket to HTTP/2 flow control with the backend.
    func serverStreamingResponse(
        for call: PreparedCall, format: StreamingFormat, channel: GRPCChannel, options: GRPCCallOptions
    ) async -> GatewayResponse {
        let route = routes.routes[call.routeIndex]
        let grpcCall = channel.serverStreaming(
            path: call.path, request: call.message, metadata: call.metadata, options: options)
        let body = StreamingBody(
            call: grpcCall, pipeline: self, format: format, outputIndex: route.method.outputIndex)
        let first = await body.next()
        if body.isFinished, let status = body.failure, body.count == 0 {
            let failure = GRPCCallFailure(
                status: status, headers: (try? await grpcCall.headers) ?? [], trailers: body.backendTrailers)
            return errorResponse(failure, for: call)
        }
        var headers: [(name: String, value: String)] = [
            ("content-type", format.contentType), ("x-request-id", call.requestID),
        ]
        MetadataMapping.responseHeaders((try? await grpcCall.headers) ?? [], into: &headers)
        var response = GatewayResponse(status: 200, headers: headers)
        response.streamedTrailers = { body.trailers }
        response.chunks = AsyncStream(unfolding: {
            if let pending = body.takePending() { return pending }
            return await body.next()
        }, onCancel: { grpcCall.cancel() })
        body.setPending(first)
        return response
    }
}

/// Pulls one backend message at a time and frames it; used by one consumer at a time (the
/// `AsyncStream(unfolding:)` that writes the response), hence unchecked.
final class StreamingBody: @unchecked Sendable {
    private var iterator: GRPCResponseMessages.AsyncIterator
    private let call: GRPCClientCall
    private let pipeline: GatewayPipeline
    private let format: StreamingFormat
    private let outputIndex: Int
    private var pending: [UInt8]?
    private(set) var count = 0
    private(set) var isFinished = false
    private(set) var failure: GRPCStatus?
    /// The backend's trailer section, once finished.
    private(set) var backendTrailers: HTTP2Headers = []
    /// The trailers for the client (status and trailing metadata), once finished.
    private(set) var trailers: [(name: String, value: String)] = []

    init(call: GRPCClientCall, pipeline: GatewayPipeline, format: StreamingFormat, outputIndex: Int) {
        self.call = call
        self.iterator = call.responses.makeAsyncIterator()
        self.pipeline = pipeline
        self.format = format
        self.outputIndex = outputIndex
    }

    func setPending(_ bytes: [UInt8]?) { pending = bytes }
    func takePending() -> [UInt8]? {
        defer { pending = nil }
        return pending
    }

    /// The next framed chunk, the closing bytes, or nil once everything was sent.
    func next() async -> [UInt8]? {
        if isFinished { return nil }
        do {
            if let message = try await iterator.next() {
                let json = try pipeline.codec.json(
                    fromProtobuf: message, messageIndex: outputIndex, options: pipeline.configuration.json)
                defer { count += 1 }
                return format.message(json, index: count)
            }
        } catch let error as TranscodingError {
            call.cancel()
            failure = GRPCStatus(.internal, "cannot translate the backend's reply: \(error)")
        } catch {}
        isFinished = true
        let result = await call.result
        if failure == nil, !result.status.isOK { failure = result.status }
        backendTrailers = result.trailers
        trailers = MetadataMapping.trailers(status: failure ?? .ok, backendTrailers: result.trailers)
        let status = failure.map {
            StatusJSON.render(code: $0.code, message: $0.message, details: $0.details, codec: pipeline.codec)
        }
        let closing = format.end(count: count, error: status)
        return closing.isEmpty ? nil : closing
    }
}
