/// Cross-origin resource sharing as the gateway answers it for browsers (Fetch standard §3.2
/// "CORS protocol"), configured per listener and overridable per route.
///
/// Sans-I/O: ``preflight(origin:method:requestHeaders:)`` decides a preflight and
/// ``responseHeaders(origin:responseHeaders:)`` the headers of an actual response; the pipeline
/// applies them (``GatewayPipeline`` answers preflights before routing the request itself).
///
/// Rules kept whatever the configuration says:
/// - every answer carries `Vary: Origin`, since it depends on the request's `Origin`;
/// - `Access-Control-Allow-Origin: *` is never sent together with credentials (the Fetch
///   standard forbids it, browsers reject it): with credentials the origin is echoed, and an
///   `Origin` of `*` or `null` is refused;
/// - a disallowed origin gets no CORS headers at all (the browser then blocks the call);
/// - `x-request-id` is always exposed, and `grpc-status` / `grpc-message` whenever a response
///   carries them.
public struct CORSPolicy: Sendable, Hashable {
    /// Origins allowed to call; empty allows none.
    public var allowedOrigins: [OriginPattern]
    /// Methods a preflight may ask for; nil allows any method that has a route at the path.
    public var allowedMethods: [String]?
    /// Request headers a preflight may ask for (case-insensitive); nil allows whatever is asked.
    public var allowedHeaders: [String]?
    /// Response headers scripts may read, besides the ones always exposed.
    public var exposedHeaders: [String]
    /// Whether cookies and HTTP authentication may be sent (`Access-Control-Allow-Credentials`).
    public var allowCredentials: Bool
    /// How long a browser may cache a preflight (`Access-Control-Max-Age`), in seconds.
    public var maxAge: Int?

    /// Response headers always exposed: the ones the gateway adds.
    public static let gatewayExposedHeaders = ["x-request-id"]
    /// Exposed when present: gRPC's status headers, when a response forwards them.
    public static let forwardedStatusHeaders = ["grpc-status", "grpc-message"]

    /// A policy; the defaults are those of `serve --cors-allow-origin`: methods of the routes,
    /// any requested header, no credentials, preflights cached for 10 minutes.
    public init(
        allowedOrigins: [OriginPattern], allowedMethods: [String]? = nil, allowedHeaders: [String]? = nil,
        exposedHeaders: [String] = [], allowCredentials: Bool = false, maxAge: Int? = 600
    ) {
        self.allowedOrigins = allowedOrigins
        self.allowedMethods = allowedMethods
        self.allowedHeaders = allowedHeaders
        self.exposedHeaders = exposedHeaders
        self.allowCredentials = allowCredentials
        self.maxAge = maxAge
    }

    /// Whether `origin` is allowed. With credentials the answer echoes the origin, so `*` (not
    /// an origin at all) and `null` (shared by every sandboxed, file or data document, Fetch
    /// standard §3.2.5) are never allowed then, whatever the patterns.
    public func allows(origin: String) -> Bool {
        if allowCredentials, origin == "*" || origin.lowercased() == "null" { return false }
        return allowedOrigins.contains { $0.matches(origin) }
    }

    /// `*` when the policy allows any origin without credentials, else the origin itself.
    func allowOriginValue(for origin: String) -> String {
        !allowCredentials && allowedOrigins.contains(where: \.isWildcard) ? "*" : origin
    }

    /// The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`) whose method
    /// has a route at the path: the headers of a 204, or why it is refused.
    public func preflight(origin: String, method: String, requestHeaders: String?) -> CORSDecision {
        guard allows(origin: origin) else { return .refused("origin '\(origin)' is not allowed") }
        if let allowedMethods, !allowedMethods.contains(where: { $0.uppercased() == method.uppercased() }) {
            return .refused("method \(method) is not allowed for cross-origin requests")
        }
        let requested = Self.headerNames(requestHeaders)
        if let allowedHeaders {
            let allowed = Set(allowedHeaders.map { $0.lowercased() })
            if let refused = requested.first(where: { !allowed.contains($0) }) {
                return .refused("request header '\(refused)' is not allowed for cross-origin requests")
            }
        }
        var headers: [(name: String, value: String)] = [
            ("access-control-allow-origin", allowOriginValue(for: origin))
        ]
        if allowCredentials { headers.append(("access-control-allow-credentials", "true")) }
        headers.append(("access-control-allow-methods", allowedMethods?.joined(separator: ", ") ?? method))
        if let allowedHeaders, !allowedHeaders.isEmpty {
            headers.append(("access-control-allow-headers", allowedHeaders.joined(separator: ", ")))
        } else if allowedHeaders == nil, !requested.isEmpty {
            headers.append(("access-control-allow-headers", requested.joined(separator: ", ")))
        }
        if let maxAge { headers.append(("access-control-max-age", String(maxAge))) }
        return .allowed(headers)
    }

    /// The CORS headers of an actual (non-preflight) response to `origin`, given the headers the
    /// response already has; `.refused` for a disallowed origin (no CORS headers are added).
    /// `forwardsStatus`: the answer forwards the gRPC outcome (`grpc-status`, `grpc-message`)
    /// to the client, as headers or as HTTP/2 trailers, so those names are exposed too.
    public func responseHeaders(
        origin: String, responseHeaders: [(name: String, value: String)], forwardsStatus: Bool = false
    ) -> CORSDecision {
        guard allows(origin: origin) else { return .refused("origin '\(origin)' is not allowed") }
        var headers: [(name: String, value: String)] = [
            ("access-control-allow-origin", allowOriginValue(for: origin))
        ]
        if allowCredentials { headers.append(("access-control-allow-credentials", "true")) }
        var exposed = Self.gatewayExposedHeaders
        for name in Self.forwardedStatusHeaders
        where forwardsStatus || responseHeaders.contains(where: { $0.name == name }) {
            exposed.append(name)
        }
        for name in exposedHeaders where !exposed.contains(name.lowercased()) { exposed.append(name.lowercased()) }
        headers.append(("access-control-expose-headers", exposed.joined(separator: ", ")))
        return .allowed(headers)
    }

    /// The names of a comma-separated header list, lower-cased, empty elements dropped.
    static func headerNames(_ list: String?) -> [String] {
        guard let list else { return [] }
        return list.split(separator: ",").compactMap { element in
            let name = element.trimmingCharacters(in: " \t").lowercased()
            return name.isEmpty ? nil : name
        }
    }
}

/// What a ``CORSPolicy`` decided.
public enum CORSDecision: Sendable {
    /// Allowed; add these headers.
    case allowed([(name: String, value: String)])
    /// Refused, for this reason (logged; the answer carries no CORS headers).
    case refused(String)
}

extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var slice = self
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return slice
    }
}
