import HTTP2Transport
import ProtoWire
import Transcoder

/// The REST-to-gRPC request pipeline: route → request message → backend call → JSON answer.
///
/// Built once at start-up and shared by every connection; immutable and `Sendable`. The steps
/// that need no I/O are separate so they can be tested alone:
///
/// ```swift
/// let call = try pipeline.prepare(request, requestID: id)       // route, transcode, metadata, deadline
/// let reply = try await channel.unary(path: call.path, request: call.message, ...)
/// let response = pipeline.successResponse(for: call, reply: reply)  // or errorResponse(status:…)
/// ```
/// ``handle(_:)`` runs all of them.
public final class GatewayPipeline: Sendable {
    /// The frozen routes; its pool is the schema everything is transcoded with.
    public let routes: RouteTable
    /// The ProtoJSON codec of the routes' pool, shared by every request.
    public let codec: ProtoJSONCodec
    /// Which channel serves each service.
    public let backends: BackendDirectory
    /// Limits, deadlines and JSON options.
    public let configuration: GatewayConfiguration
    /// `google.api.HttpBody`, answered raw with its own content type.
    let httpBodyIndex: Int?
    /// The CORS and compression policies resolved per route.
    let offload: OffloadTable

    /// Builds the pipeline once at start-up (the codec's tables are built here).
    public init(routes: RouteTable, backends: BackendDirectory, configuration: GatewayConfiguration = .init()) {
        self.routes = routes
        self.codec = ProtoJSONCodec(pool: routes.pool)
        self.backends = backends
        self.configuration = configuration
        self.httpBodyIndex = routes.pool.messageIndex(named: "google.api.HttpBody")
        self.offload = OffloadTable(configuration.offload, rpcNames: routes.routes.map(\.rpcName))
    }

    /// Answers one request; never throws: every failure becomes a `google.rpc.Status` response.
    /// A CORS preflight is answered before routing; the answer gets the route's CORS headers and
    /// compression (`Offload/`).
    public func handle(_ request: GatewayRequest) async -> GatewayResponse {
        if let preflight = preflightResponse(for: request) { return preflight }
        var request = request
        do {
            try inflateBody(of: &request)
        } catch {
            return offloadResponse(errorResponse(error, requestID: Self.requestID(of: request)), for: request)
        }
        return offloadResponse(await transcodeAndCall(request), for: request)
    }

    /// Routes, transcodes and calls the backend.
    func transcodeAndCall(_ request: GatewayRequest) async -> GatewayResponse {
        let requestID = Self.requestID(of: request)
        let call: PreparedCall
        do {
            call = try prepare(request, requestID: requestID)
        } catch {
            return errorResponse(error, requestID: requestID)
        }
        let route = routes.routes[call.routeIndex]
        var response = await callBackend(route: route, prepared: call, request: request)
        response.rpc = route.rpcName
        response.routeIndex = call.routeIndex
        return response
    }

    func callBackend(route: Route, prepared call: PreparedCall, request: GatewayRequest) async -> GatewayResponse {
        let requestID = call.requestID
        let service = routes.pool.services[route.method.serviceIndex].fullName
        guard let channel = backends.channel(forService: service) else {
            return errorResponse(.backendUnavailable("no backend serves \(route.rpcName)"), requestID: requestID)
        }
        var options = GRPCCallOptions(timeout: call.timeout)
        options.maxReceiveMessageSize = configuration.maximumBodySize
        options.compression = BackendDirectory.target(forService: service, in: backends.targets)?.compression
        if route.streamingKind == .clientStreaming {
            return await clientStreamingResponse(for: call, request: request, channel: channel, options: options)
        }
        if route.streamingKind == .serverStreaming {
            return await serverStreamingResponse(
                for: call, format: StreamingFormat(accept: request.header("accept")), channel: channel, options: options)
        }
        do {
            let reply = try await channel.unaryCall(
                path: call.path, request: call.message, metadata: call.metadata, options: options)
            return successResponse(for: call, reply: reply)
        } catch {
            return errorResponse(error, for: call)
        }
    }

    /// The client's `x-request-id` when it is a valid metadata value, else a fresh one.
    static func requestID(of request: GatewayRequest) -> String {
        if let given = request.header("x-request-id"), !given.isEmpty, given.utf8.count <= 128,
            MetadataMapping.isValidMetadata(name: "x-request-id", value: given)
        {
            return given
        }
        return MetadataMapping.makeRequestID()
    }
}
