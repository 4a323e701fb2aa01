import ProtoWire
import Testing

@testable import Transcoder

@Suite("Route matcher")
struct RouteMatcherTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let method: String
        let target: String
        /// `Routing/GetItem`, `404`, or `405 GET, POST`.
        let want: String
        /// `field=decoded value` for each path binding.
        let captures: [String]
        var testDescription: String { "\(method) \(target)" }

        init(_ method: String, _ target: String, _ want: String, _ captures: [String] = []) {
            self.method = method
            self.target = target
            self.want = want
            self.captures = captures
        }
    }

    static let rows: [Row] = [
        // Literals, and literal beating `*`, with backtracking when the literal has no route.
        Row("GET", "/v1/items", "Routing/ListItems"),
        Row("GET", "/v1/items/special", "Routing/GetSpecialItem"),
        Row("GET", "/v1/items/other", "Routing/GetItem", ["id=other"]),
        Row("DELETE", "/v1/items/special", "Routing/DeleteItem", ["id=special"]),
        Row("POST", "/v1/items/special", "405 GET, PUT, DELETE, PATCH, HEAD"),
        Row("OPTIONS", "/v1/items/5", "405 GET, PUT, DELETE, PATCH, HEAD"),
        Row("PUT", "/v1/items/5", "Routing/ReplaceItem", ["item.id=5"]),
        Row("PATCH", "/v1/items/5", "Routing/UpdateItem", ["item.id=5"]),
        Row("HEAD", "/v1/items/5", "Routing/HeadItem", ["id=5"]),
        Row("POST", "/v1/items", "Routing/CreateItem"),
        Row("PUT", "/v1/items", "405 GET, POST"),
        Row("GET", "/v1/parents/7/children", "Routing/ListChildren", ["parent.id=7"]),
        Row("GET", "/v1/parents/7/any/children/9", "Routing/GetChild", ["parent.id=7", "child_id=9"]),
        Row("GET", "/v1/parents/7/children/children/3", "Routing/GetChild", ["parent.id=7", "child_id=3"]),
        Row("GET", "/v1/parents/7/x/y/3", "404"),
        // Verbs: only the last segment's suffix, and a colon in a value is not a verb.
        Row("POST", "/v1/items/x:archive", "Routing/ArchiveItem", ["id=x"]),
        Row("GET", "/v1/items/x:archive", "Routing/GetItem", ["id=x:archive"]),
        Row("GET", "/v1/items:search", "Routing/SearchItems"),
        Row("POST", "/v1/items:search", "405 GET"),
        Row("GET", "/v1/items:watch", "Routing/WatchItems"),
        Row("POST", "/v1/items:upload", "Routing/UploadItems"),
        Row("GET", "/v1/items:unknown", "404"),
        Row("GET", "/v1/items:", "404"),
        // Multi-segment variables and additional bindings.
        Row("GET", "/v1/projects/p1/items/i1", "Routing/GetResource", ["name=projects/p1/items/i1"]),
        Row("GET", "/v1/projects/p1/default", "Routing/GetResource", ["name=projects/p1"]),
        Row("POST", "/v1/projects/p1/items/i1:get", "Routing/GetResource", ["name=projects/p1/items/i1"]),
        Row("GET", "/v1/projects/p1/items/i1:get", "Routing/GetResource", ["name=projects/p1/items/i1:get"]),
        Row("PUT", "/v1/projects/p1/items/i1:get", "405 GET, POST"),
        Row("GET", "/v1/projects/p1/items", "404"),
        // `**`: zero or more segments, with and without a verb.
        Row("GET", "/v1/files/a/b/c.txt", "Routing/GetFile", ["name=a/b/c.txt"]),
        Row("GET", "/v1/files", "Routing/GetFile", ["name="]),
        Row("GET", "/v1/files/", "Routing/GetFile", ["name="]),
        Row("GET", "/v1/files/a//b", "Routing/GetFile", ["name=a//b"]),
        Row("GET", "/v1/files/a/b:download", "Routing/DownloadFile", ["name=a/b"]),
        Row("GET", "/v1/files/a:b/c", "Routing/GetFile", ["name=a:b/c"]),
        Row("GET", "/v1/files/a/b:other", "Routing/GetFile", ["name=a/b:other"]),
        // Escapes: single-segment variables keep reserved characters encoded, multi-segment keep %2F.
        Row("GET", "/v1/items/a%2Fb%20c%3A%7E", "Routing/GetItem", ["id=a%2Fb c%3A~"]),
        Row("GET", "/v1/files/a%2Fb/c%20d%3A", "Routing/GetFile", ["name=a%2Fb/c d:"]),
        Row("GET", "/v1/files/a%2fb", "Routing/GetFile", ["name=a%2fb"]),
        Row("GET", "/v1/items/%73pecial", "Routing/GetSpecialItem"),
        Row("GET", "/v1/%69tems", "Routing/ListItems"),
        Row("GET", "/v1/items/%zz", "Routing/GetItem", ["id=%zz"]),
        Row(
            "GET", "/v1/items/since/2024-01-01T00:00:00Z/COLOR_RED", "Routing/ItemsSince",
            ["timestamp=2024-01-01T00:00:00Z", "color=COLOR_RED"]),
        // Query strings are not part of the path.
        Row("GET", "/v1/items?x=1&y=/", "Routing/ListItems"),
        Row("GET", "/v1/items/7?verb=:archive", "Routing/GetItem", ["id=7"]),
        // Trailing slashes (strict by default), empty segments, malformed targets.
        Row("GET", "/v1/items/", "404"),
        Row("GET", "/v1/items//x", "404"),
        Row("GET", "/v1/items/a/b", "404"),
        Row("GET", "", "404"),
        Row("GET", "v1/items", "404"),
        Row("GET", "/", "404"),
        Row("GET", "*", "404"),
        Row("GET", "/?", "404"),
        Row("GET", "/v1/items?", "Routing/ListItems"),
        Row("GET", "/v1/items/%", "Routing/GetItem", ["id=%"]),
        Row("GET", "/v1/items/%E2%9C", "Routing/GetItem", ["id=<not UTF-8>"]),
        Row("GET", "/" + String(repeating: "/", count: 300), "404"),
        // Merged options: the later `post` replaced the `get`.
        Row("POST", "/v1/merged/1", "Routing/MergedRule", ["id=1"]),
        Row("GET", "/v1/merged/1", "405 POST"),
        // Automatic routes.
        Row("POST", "/example.routing.v1.Routing/Unannotated", "Routing/Unannotated"),
        Row("POST", "/example.routing.v1.Routing/GetItem", "Routing/GetItem"),
        Row("GET", "/example.routing.v1.Routing/Unannotated", "405 POST"),
        Row("POST", "/example.routing.v1.Routing/Missing", "404"),
    ]

    @Test(arguments: rows)
    func matches(_ row: Row) {
        let table = RoutingTestSupport.routingTable
        let lookup = table.lookup(method: row.method, target: row.target)
        #expect(RoutingTestSupport.describe(lookup, in: table) == row.want)
        if case .matched(let match) = lookup {
            #expect(Self.captures(match, target: row.target, table: table) == row.captures)
        }
    }

    /// `field=value` for each binding, percent-decoded as the request assembly decodes it.
    static func captures(_ match: RouteMatch, target: String, table: RouteTable) -> [String] {
        let bytes = Array(target.utf8)
        return table.routes[match.routeIndex].pathBindings.map { binding in
            let raw = bytes[match.range(of: binding)]
            let text = raw.withUnsafeBytes {
                PercentDecoding.decodeString($0, mode: binding.isMultiSegment ? .pathSegments : .pathSegment)
            }
            return "\(binding.fieldPath)=\(text ?? "<not UTF-8>")"
        }
    }

    @Test func queryRangeIsReported() throws {
        let target = "/v1/items?a=1&b=2"
        guard case .matched(let match) = RoutingTestSupport.routingTable.lookup(method: "GET", target: target) else {
            Issue.record("no match")
            return
        }
        #expect(match.query == 10..<17)
        guard case .matched(let bare) = RoutingTestSupport.routingTable.lookup(method: "GET", target: "/v1/items")
        else {
            Issue.record("no match")
            return
        }
        #expect(bare.query == nil)
    }

    @Test(arguments: [
        ("/v1/items/", "Routing/ListItems"), ("/v1/items", "Routing/ListItems"),
        ("/v1/items/7/", "Routing/GetItem"), ("/v1/items//", "404"), ("/", "404"),
        ("/v1/files/a/", "Routing/GetFile"),
    ])
    func trailingSlashCanBeIgnored(target: String, want: String) throws {
        let table = try RouteTable(
            pool: RoutingTestSupport.routingPool, options: RouteTableOptions(trailingSlash: .ignore))
        #expect(RoutingTestSupport.describe(table.lookup(method: "GET", target: target), in: table) == want)
    }

    @Test func ignoredTrailingSlashIsNotCaptured() throws {
        let table = try RouteTable(
            pool: RoutingTestSupport.routingPool, options: RouteTableOptions(trailingSlash: .ignore))
        guard case .matched(let match) = table.lookup(method: "GET", target: "/v1/files/a/b/?q") else {
            Issue.record("no match")
            return
        }
        #expect(Self.captures(match, target: "/v1/files/a/b/?q", table: table) == ["name=a/b"])
    }

    @Test func autoMappingCanBeSwitchedOff() throws {
        let table = try RouteTable(pool: RoutingTestSupport.routingPool, options: RouteTableOptions(autoMapping: false))
        let lookup = table.lookup(method: "POST", target: "/example.routing.v1.Routing/Unannotated")
        #expect(RoutingTestSupport.describe(lookup, in: table) == "404")
        #expect(table.routes.allSatisfy { $0.origin != .autoMapped })
    }

    /// Paths deeper than a template can be still reach `**`, and never trap.
    @Test func deepPathsMatchOnlyMultiWildcards() {
        let table = RoutingTestSupport.routingTable
        let deep = "/v1/files/" + Array(repeating: "d", count: 200).joined(separator: "/")
        #expect(RoutingTestSupport.describe(table.lookup(method: "GET", target: deep), in: table) == "Routing/GetFile")
        let deepItems = "/v1/items/" + Array(repeating: "d", count: 200).joined(separator: "/")
        #expect(RoutingTestSupport.describe(table.lookup(method: "GET", target: deepItems), in: table) == "404")
        if case .matched(let match) = table.lookup(method: "GET", target: deep + ":download") {
            #expect(Self.captures(match, target: deep + ":download", table: table).first?.count == 5 + 399)
        } else {
            Issue.record("no match for the verb")
        }
    }
}
