/// The mutable trie a ``RouteMatcher`` is frozen from. Single-threaded, used once at start-up.
struct RouteMatcherBuilder {
    struct Node {
        var literals: [[UInt8]: Int] = [:]
        var wildcard: Int?
        var terminals: [RouteMatcher.Terminal] = []
        /// Routes reached by a final `**` from this node.
        var multiWildcardTerminals: [RouteMatcher.Terminal] = []
    }

    private(set) var nodes: [Node] = [Node()]
    private(set) var labels: [UInt8] = []
    private var labelOffsets: [[UInt8]: Int32] = [:]
    /// Interned HTTP methods; the standard five come first so their ids are stable.
    private(set) var methodNames: [String] = ["GET", "PUT", "POST", "DELETE", "PATCH"]

    /// The most distinct HTTP methods a table may use (they form a 64-bit set for 405 answers).
    static let maximumMethodCount = 64

    /// The id of `name`, interning it; nil when the table already has the maximum.
    mutating func methodID(_ name: String) -> Int? {
        if let id = methodNames.firstIndex(of: name) { return id }
        guard methodNames.count < Self.maximumMethodCount else { return nil }
        methodNames.append(name)
        return methodNames.count - 1
    }

    private mutating func label(_ bytes: [UInt8]) -> (start: Int32, count: Int32) {
        if let offset = labelOffsets[bytes] { return (offset, Int32(bytes.count)) }
        let offset = Int32(labels.count)
        labels.append(contentsOf: bytes)
        labelOffsets[bytes] = offset
        return (offset, Int32(bytes.count))
    }

    /// Adds `template` for method `methodID` leading to route `routeIndex`.
    mutating func insert(_ template: PathTemplate, methodID: Int, routeIndex: Int) {
        var node = 0
        for segment in template.segments {
            switch segment {
            case .literal(let text):
                let key = Array(text.utf8)
                if let next = nodes[node].literals[key] {
                    node = next
                } else {
                    nodes.append(Node())
                    nodes[node].literals[key] = nodes.count - 1
                    node = nodes.count - 1
                }
            case .wildcard:
                if let next = nodes[node].wildcard {
                    node = next
                } else {
                    nodes.append(Node())
                    nodes[node].wildcard = nodes.count - 1
                    node = nodes.count - 1
                }
            case .multiWildcard:
                break
            }
        }
        let verb = label(Array((template.verb ?? "").utf8))
        let terminal = RouteMatcher.Terminal(
            verbStart: verb.start, verbCount: verb.count, methodID: UInt8(methodID), routeIndex: Int32(routeIndex))
        if template.endsInMultiWildcard {
            nodes[node].multiWildcardTerminals.append(terminal)
        } else {
            nodes[node].terminals.append(terminal)
        }
    }

    /// Flattens the trie into arrays; each node's literal edges are sorted by their bytes for
    /// binary search.
    func freeze(trailingSlash: TrailingSlashPolicy) -> RouteMatcher {
        var builder = self
        var frozenNodes: [RouteMatcher.Node] = []
        var edges: [RouteMatcher.Edge] = []
        var terminals: [RouteMatcher.Terminal] = []
        frozenNodes.reserveCapacity(nodes.count)
        for node in nodes {
            let edgeStart = Int32(edges.count)
            for (bytes, target) in node.literals.sorted(by: { RouteMatcher.compare($0.key, $1.key) < 0 }) {
                let label = builder.label(bytes)
                edges.append(RouteMatcher.Edge(labelStart: label.start, labelCount: label.count, target: Int32(target)))
            }
            let terminalStart = Int32(terminals.count)
            terminals += node.terminals
            let multiStart = Int32(terminals.count)
            terminals += node.multiWildcardTerminals
            frozenNodes.append(
                RouteMatcher.Node(
                    edgeStart: edgeStart, edgeCount: Int32(node.literals.count),
                    wildcard: Int32(node.wildcard ?? -1),
                    terminalStart: terminalStart, terminalCount: Int32(node.terminals.count),
                    multiStart: multiStart, multiCount: Int32(node.multiWildcardTerminals.count)))
        }
        return RouteMatcher(
            nodes: frozenNodes, edges: edges, terminals: terminals, labels: builder.labels,
            methodNames: methodNames, trailingSlash: trailingSlash)
    }
}
