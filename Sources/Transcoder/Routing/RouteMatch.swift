/// Where a request path splits into segments, recorded while matching so that path variables
/// can be cut out afterwards without searching again. Lives on the stack: no allocation.
public struct PathSegments: Sendable {
    /// Offsets of the `/` before each of the first ``PathTemplate/maximumSegmentCount`` + 1
    /// segments. Templates are at most that deep; segments beyond only ever match `**`.
    var slashes: InlineArray<33, Int32>
    /// The number of segments; `/` alone has none.
    public internal(set) var count: Int
    /// Where the path ends (before `?`, a trailing `/` ignored by policy, and `:verb` when a verb
    /// was matched).
    var end: Int

    init() {
        slashes = InlineArray(repeating: 0)
        count = 0
        end = 0
    }

    /// The byte range of segment `index`, which must be below `min(count, 33)`.
    @inline(__always)
    func range(of index: Int) -> Range<Int> {
        let start = Int(slashes[index]) + 1
        let stop = index + 1 < count ? Int(slashes[index + 1]) : end
        return start..<stop
    }
}

/// A successful lookup: the route and where its variables sit in the request target.
public struct RouteMatch: Sendable {
    /// Index into ``RouteTable/routes``.
    public let routeIndex: Int
    /// The request path's segments as matched.
    public let segments: PathSegments
    /// The range of the query string (after `?`) in the request target, or nil without a `?`.
    public let query: Range<Int>?

    /// The raw (still percent-encoded) byte range in the request target that `binding` captured.
    public func range(of binding: Route.PathBinding) -> Range<Int> {
        let first = binding.segments.lowerBound
        if first >= segments.count {
            // `**` matching zero segments.
            return segments.end..<segments.end
        }
        let start = segments.range(of: first).lowerBound
        if binding.extendsToEnd { return start..<segments.end }
        return start..<segments.range(of: binding.segments.upperBound - 1).upperBound
    }
}

/// The outcome of matching a request against a ``RouteTable``.
public enum RouteLookup: Sendable {
    case matched(RouteMatch)
    /// A route exists for the path but not for the method: answer 405 with `Allow`.
    case methodNotAllowed(AllowedMethods)
    /// No route has this path: answer 404.
    case notFound
}

/// The HTTP methods a path accepts, for a 405 response's `Allow` header (RFC 9110 §15.5.6).
public struct AllowedMethods: Sendable, Hashable {
    let mask: UInt64
    let names: [String]

    /// The methods, in the table's method order (GET, PUT, POST, DELETE, PATCH, then custom kinds).
    public var methods: [String] {
        names.indices.filter { mask & (1 << UInt64($0)) != 0 }.map { names[$0] }
    }

    /// The `Allow` header value: `GET, POST`.
    public var allowHeader: String { methods.joined(separator: ", ") }

    public static func == (lhs: AllowedMethods, rhs: AllowedMethods) -> Bool { lhs.methods == rhs.methods }
    public func hash(into hasher: inout Hasher) { hasher.combine(methods) }
}
