import HTTP2Transport
import Transcoder

extension GatewayPipeline {
    /// The answer to a CORS preflight (Fetch standard §3.2.2: `OPTIONS` with `Origin` and
    /// `Access-Control-Request-Method`), given before routing the request itself and before any
    /// auth, or nil when the request is not a preflight or CORS is off for the listener.
    ///
    /// The preflight's path and requested method must have a route (404 / 403 JSON otherwise),
    /// and that route's policy must allow the origin, method and headers (403 JSON otherwise).
    /// A refusal carries no CORS headers, so the browser blocks the call, and is logged.
    public func preflightResponse(for request: GatewayRequest) -> GatewayResponse? {
        guard request.method == "OPTIONS", offload.answersPreflights,
            let origin = request.header("origin"), let method = request.header("access-control-request-method")
        else { return nil }
        let requestID = Self.requestID(of: request)
        let path = Self.pathOnly(request.target)
        let routeIndex: Int
        switch routes.lookup(method: method, target: request.target) {
        case .matched(let match): routeIndex = match.routeIndex
        case .notFound:
            return refusedPreflight(.noRoute(method, path), origin: origin, requestID: requestID)
        case .methodNotAllowed:
            return refusedPreflight(
                .forbidden("preflight: no route for \(method) \(path)"), origin: origin, requestID: requestID)
        }
        guard let policy = offload.cors(forRoute: routeIndex) else {
            return refusedPreflight(
                .forbidden("preflight: cross-origin requests are not enabled for \(method) \(path)"), origin: origin,
                requestID: requestID)
        }
        switch policy.preflight(
            origin: origin, method: method, requestHeaders: request.header("access-control-request-headers"))
        {
        case .allowed(let headers):
            var response = GatewayResponse(status: 204, headers: headers)
            response.headers.append(("vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"))
            response.headers.append(("x-request-id", requestID))
            response.rpc = routes.routes[routeIndex].rpcName
            return response
        case .refused(let reason):
            return refusedPreflight(.forbidden("preflight: \(reason)"), origin: origin, requestID: requestID)
        }
    }

    private func refusedPreflight(_ error: GatewayError, origin: String, requestID: String) -> GatewayResponse {
        configuration.offload.logger.warning(
            "CORS preflight refused",
            metadata: ["origin": .string(Self.loggable(origin)), "reason": .string(Self.loggable(error.message))])
        var response = errorResponse(error, requestID: requestID)
        response.headers.append(("vary", "Origin"))
        return response
    }

    /// Applies the response-side offloading of the route (or the listener, before routing) to an
    /// answer: CORS headers for an allowed `Origin` (a disallowed one is logged and gets none),
    /// then compression as the request's `Accept-Encoding` and the policy allow.
    public func offloadResponse(_ response: GatewayResponse, for request: GatewayRequest) -> GatewayResponse {
        var response = response
        if let policy = offload.cors(forRoute: response.routeIndex) {
            response.addVary("Origin")
            if let origin = request.header("origin") {
                // The gRPC outcome reaches a client that takes trailers (HTTP/2 `te: trailers`).
                let forwardsStatus =
                    request.acceptsTrailers && (!response.trailers.isEmpty || response.streamedTrailers != nil)
                switch policy.responseHeaders(
                    origin: origin, responseHeaders: response.headers, forwardsStatus: forwardsStatus)
                {
                case .allowed(let headers): response.headers += headers
                case .refused(let reason):
                    configuration.offload.logger.warning(
                        "CORS request refused",
                        metadata: [
                            "origin": .string(Self.loggable(origin)), "reason": .string(Self.loggable(reason)),
                            "path": .string(Self.pathOnly(request.target)),
                        ])
                }
            }
        }
        if let policy = offload.compression(forRoute: response.routeIndex) {
            response = ResponseCompression.apply(
                policy, to: response, acceptEncoding: request.combinedHeader("accept-encoding"), isHead: request.method == "HEAD")
        }
        return response
    }

    /// An answer a front end gives by itself before the request reaches ``handle(_:)`` (413 by
    /// `Content-Length` or while the body streams in, 415/400 while inflating, 408 or 431 once
    /// the head is known), with the same offloading as any other answer: the route's CORS
    /// headers when the path has a route (else the listener's), so a browser can read the JSON
    /// error instead of seeing a network error (Fetch standard §3.2.5, CORS check).
    public func earlyResponse(
        _ error: GatewayError, method: String, target: String, headers: [(name: String, value: String)]
    ) -> GatewayResponse {
        let request = GatewayRequest(method: method, target: target, headers: headers)
        var response = errorResponse(error, requestID: Self.requestID(of: request))
        if case .matched(let match) = routes.lookup(method: method, target: target) {
            response.routeIndex = match.routeIndex
            response.rpc = routes.routes[match.routeIndex].rpcName
        }
        return offloadResponse(response, for: request)
    }

    /// The incremental inflater for a request's `Content-Encoding` (nil for none or `identity`),
    /// limited to `limit` inflated bytes (the body limit by default); 415 when the coding is
    /// unknown or the listener does not inflate requests. Front ends that stream the body in
    /// feed it as chunks arrive.
    public func requestInflater(contentEncoding: String, limit: Int? = nil) throws(GatewayError) -> RequestInflater? {
        guard try RequestInflater.format(of: contentEncoding) != nil else { return nil }
        guard configuration.offload.decompressRequests else { throw .unsupportedContentEncoding(contentEncoding) }
        return try RequestInflater(contentEncoding: contentEncoding, limit: limit ?? configuration.maximumBodySize)
    }

    /// Undoes a request body's `Content-Encoding` when the listener inflates requests (else 415).
    /// The HTTP/1.1 front end already inflates a whole body while it streams in and drops the
    /// header; this covers front ends that hand over a complete, still-encoded body, and puts an
    /// inflater in front of a streamed body (client streaming), limited to the streamed-body
    /// limit on the inflated size.
    func inflateBody(of request: inout GatewayRequest) throws(GatewayError) {
        guard let coding = request.combinedHeader("content-encoding") else { return }
        if let stream = request.bodyStream {
            guard
                let inflater = try requestInflater(
                    contentEncoding: coding, limit: configuration.maximumStreamedBodySize)
            else { return }
            request.bodyStream = InflatingBodyStream.wrap(stream, inflater: inflater)
            request.headers.removeAll { $0.name.lowercased() == "content-encoding" }
            return
        }
        guard let inflater = try requestInflater(contentEncoding: coding) else { return }
        var inflated: [UInt8] = []
        try inflater.feed(request.body, into: &inflated)
        try inflater.finish()
        request.body = inflated
        request.headers.removeAll { $0.name.lowercased() == "content-encoding" }
    }
}

extension GatewayPipeline {
    /// Peer-controlled text (an `Origin`, a reason quoting it) as logged: at most 200 bytes of
    /// UTF-8, cut at a scalar boundary, so a refused request cannot write a header's worth into
    /// the log each time. Bytes, not characters: one character can hold any number of
    /// combining marks.
    static func loggable(_ text: String) -> String {
        guard text.utf8.count > 200 else { return text }
        var scalars = String.UnicodeScalarView()
        var bytes = 0
        for scalar in text.unicodeScalars {
            bytes += UTF8.width(scalar)
            if bytes > 200 { break }
            scalars.append(scalar)
        }
        return String(scalars) + "…"
    }
}

extension GatewayResponse {
    /// Adds a field name to `Vary` (RFC 9110 §12.5.5), once.
    mutating func addVary(_ name: String) {
        if let index = headers.firstIndex(where: { $0.name == "vary" }) {
            let present = headers[index].value.split(separator: ",").map { $0.trimmingCharacters(in: " ").lowercased() }
            if !present.contains(name.lowercased()) && !present.contains("*") { headers[index].value += ", \(name)" }
        } else {
            headers.append(("vary", name))
        }
    }
}
