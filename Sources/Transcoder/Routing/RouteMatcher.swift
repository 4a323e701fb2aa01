/// The frozen route trie: flat arrays of nodes, literal edges, and terminals, matched against a
/// request's method and path bytes without allocating.
///
/// Each node has sorted literal edges (binary search), at most one `*` edge, the routes that end
/// at it, and the routes whose template ends in `**` here. The search is depth-first in
/// precedence order — literal, then `*`, then `**` — and backtracks when a branch has no route
/// for the method, so `GET /v1/a/b` finds `/v1/{x}/b` when `/v1/a/c` is the only literal. Every
/// trie node sits at a fixed depth, so a search visits each node at most once.
///
/// The custom verb is the text after the last `:` of the last segment. The search first tries
/// the path with that suffix as a verb, then the whole last segment without one, so a colon
/// inside a variable value (`/v1/{name=**}` with `/v1/a:b`) still matches.
public struct RouteMatcher: Sendable {
    struct Node: Sendable {
        var edgeStart: Int32
        var edgeCount: Int32
        /// The `*` child, or -1.
        var wildcard: Int32
        var terminalStart: Int32
        var terminalCount: Int32
        var multiStart: Int32
        var multiCount: Int32
    }

    struct Edge: Sendable {
        var labelStart: Int32
        var labelCount: Int32
        var target: Int32
    }

    struct Terminal: Sendable {
        var verbStart: Int32
        var verbCount: Int32
        var methodID: UInt8
        var routeIndex: Int32
    }

    let nodes: [Node]
    let edges: [Edge]
    let terminals: [Terminal]
    /// Literal segment and verb bytes, side by side.
    let labels: [UInt8]
    /// Interned HTTP methods; a terminal's `methodID` indexes this.
    let methodNames: [String]
    let methodBytes: [[UInt8]]
    public let trailingSlash: TrailingSlashPolicy

    init(
        nodes: [Node], edges: [Edge], terminals: [Terminal], labels: [UInt8], methodNames: [String],
        trailingSlash: TrailingSlashPolicy
    ) {
        self.nodes = nodes
        self.edges = edges
        self.terminals = terminals
        self.labels = labels
        self.methodNames = methodNames
        self.methodBytes = methodNames.map { Array($0.utf8) }
        self.trailingSlash = trailingSlash
    }

    /// Three-way byte-wise comparison, shorter first on a common prefix.
    @inline(__always)
    static func compare(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
        let common = min(lhs.count, rhs.count)
        var index = 0
        while index < common {
            let left = lhs[index]
            let right = rhs[index]
            if left != right { return left < right ? -1 : 1 }
            index += 1
        }
        return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
    }

    static func compare(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in compare(left, right) } }
    }
}

/// What to do with a trailing `/` on a request path.
public enum TrailingSlashPolicy: String, Sendable, Hashable {
    /// `/v1/shelves/` is a different path from `/v1/shelves` (its last segment is empty, which
    /// only `**` matches). The default: what `google/api/http.proto` templates describe.
    case strict
    /// One trailing `/` is dropped before matching, so `/v1/shelves/` finds `/v1/shelves`.
    case ignore
}
