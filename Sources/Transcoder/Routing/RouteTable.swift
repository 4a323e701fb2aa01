import ProtoWire

/// The validated, frozen routes of every service in a ``DescriptorPool``, built from their
/// `google.api.http` annotations (`google/api/http.proto`) plus automatic
/// `POST /package.Service/Method` routes.
///
/// Build it once at start-up and share it: it is immutable and `Sendable`.
///
/// ```swift
/// let table = try RouteTable(pool: pool)
/// switch table.lookup(method: "GET", target: "/v1/shelves/7?view=full") {
/// case .matched(let match): let route = table.routes[match.routeIndex] // ...
/// case .methodNotAllowed(let allowed): // 405, Allow: allowed.allowHeader
/// case .notFound: // 404
/// }
/// ```
public struct RouteTable: Sendable {
    public let pool: DescriptorPool
    public let options: RouteTableOptions
    /// Every route: annotated ones in pool order (services, methods, bindings), then automatic ones.
    public let routes: [Route]
    public let matcher: RouteMatcher

    /// Builds and validates the routes; throws every invalid annotation at once.
    public init(pool: DescriptorPool, options: RouteTableOptions = RouteTableOptions()) throws(RouteTableError) {
        var builder = RouteTableBuilder(pool: pool)
        builder.addAnnotatedRoutes()
        if options.autoMapping { builder.addAutoMappedRoutes() }
        if !builder.problems.isEmpty { throw RouteTableError(problems: builder.problems) }
        self.pool = pool
        self.options = options
        self.routes = builder.routes
        self.matcher = builder.matcher.freeze(trailingSlash: options.trailingSlash)
    }

    /// Matches a request target (path and query) and method; allocation-free.
    public func lookup(method: UnsafeRawBufferPointer, target: UnsafeRawBufferPointer) -> RouteLookup {
        matcher.lookup(method: method, target: target)
    }

    public func lookup(method: String, target: String) -> RouteLookup {
        matcher.lookup(method: method, target: target)
    }
}
