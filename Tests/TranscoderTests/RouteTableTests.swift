import Foundation
import ProtoWire
import Testing

@testable import Transcoder

@Suite("Route table")
struct RouteTableTests {
    // MARK: Golden listings

    static let descriptorSets: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: RoutingTestSupport.descriptors.path)) ?? []
        return names.filter { $0.hasSuffix(".pb") }.sorted()
    }()

    /// The listing `grpc-gateway routes` prints for every checked-in set (or its error report)
    /// equals the golden file `scripts/gen-route-listings.sh` wrote.
    @Test(arguments: descriptorSets)
    func listingMatchesGolden(_ set: String) throws {
        let pool = try RoutingTestSupport.pool(set)
        let listing: String
        do {
            listing = RouteListing.text(try RouteTable(pool: pool))
        } catch {
            listing = error.problems.map { "error: \($0)" }.joined(separator: "\n")
        }
        let golden = RoutingTestSupport.fixtures.appendingPathComponent("routes-" + set.dropLast(3) + ".txt")
        let want = try String(contentsOf: golden, encoding: .utf8)
        #expect(listing + "\n" == want, "run scripts/gen-route-listings.sh if the change is intended")
    }

    @Test func everyCheckedInSetHasAGoldenListing() {
        #expect(Self.descriptorSets.contains("routing.pb"))
        #expect(Self.descriptorSets.contains("bookstore.pb"))
    }

    // MARK: Validation

    /// Every invalid annotation is reported at once, each naming its method.
    @Test func reportsEveryProblemWithItsMethod() throws {
        let pool = try RoutingTestSupport.pool("routing_invalid.pb")
        do {
            _ = try RouteTable(pool: pool)
            Issue.record("accepted invalid annotations")
        } catch {
            let codes = Dictionary(
                error.problems.map {
                    ($0.method.replacingOccurrences(of: "example.routing.invalid.v1.Invalid.", with: ""), $0.code)
                },
                uniquingKeysWith: { first, _ in first })
            let want: [String: RouteTableError.Code] = [
                "MultiWildcardNotLast": .invalidTemplate, "NestedVariable": .invalidTemplate,
                "UnknownField": .unknownField, "UnknownNestedField": .unknownField,
                "RepeatedVariable": .invalidVariableField, "MessageVariable": .invalidVariableField,
                "ThroughScalar": .invalidVariableField, "UnknownBody": .invalidBody,
                "UnknownResponseBody": .invalidResponseBody, "BodyCollision": .bodyCollision,
                "DuplicateB": .duplicateRoute, "NoPattern": .missingPattern,
                "NestedBindings": .nestedAdditionalBindings, "BadCustomKind": .invalidCustomKind,
                "BadTemplate": .invalidTemplate,
            ]
            #expect(codes == want)
            #expect(error.problems.count == want.count)
            let duplicate = error.problems.first { $0.code == .duplicateRoute }
            #expect(duplicate?.message.contains("example.routing.invalid.v1.Invalid.DuplicateA") == true)
        }
    }

    // MARK: HttpRule reading

    @Test func readsRulesFromProtocDescriptors() throws {
        let pool = try RoutingTestSupport.pool("bookstore.pb")
        let getBook = try #require(pool.method(named: "example.bookstore.v1.Bookstore.GetBook"))
        let rule = try #require(try HttpRule(methodOptions: getBook.options))
        #expect(rule.pattern == HttpRule.Pattern(method: "GET", path: "/v1/shelves/{shelf}/books/{book}"))
        #expect(
            rule.additionalBindings.map(\.pattern?.path) == ["/v1/books/{book}", "/v2/shelves/{shelf}/books/{book}"])
        let check = try #require(pool.method(named: "example.bookstore.v1.Bookstore.CheckBook"))
        #expect(try HttpRule(methodOptions: check.options)?.pattern?.method == "HEAD")
        let theme = try #require(pool.method(named: "example.bookstore.v1.Bookstore.GetShelfTheme"))
        #expect(try HttpRule(methodOptions: theme.options)?.responseBody == "theme")
        let reindex = try #require(pool.method(named: "example.bookstore.v1.Bookstore.ReindexShelves"))
        #expect(try HttpRule(methodOptions: reindex.options) == nil)
    }

    struct MergeRow: CustomTestStringConvertible, Sendable {
        /// Text-format `google.api.HttpRule`s, encoded by protoc and concatenated.
        let occurrences: [String]
        let method: String?
        let path: String?
        let body: String
        let bindings: Int
        var testDescription: String { occurrences.joined(separator: " + ") }
    }

    static let mergeRows: [MergeRow] = [
        MergeRow(occurrences: [#"get: "/a""#], method: "GET", path: "/a", body: "", bindings: 0),
        MergeRow(
            occurrences: [#"get: "/a""#, #"post: "/b" body: "*""#], method: "POST", path: "/b", body: "*", bindings: 0),
        MergeRow(occurrences: [#"body: "x""#, #"patch: "/p""#], method: "PATCH", path: "/p", body: "x", bindings: 0),
        MergeRow(
            occurrences: [#"custom { kind: "HEAD" }"#, #"custom { path: "/h" }"#], method: "HEAD", path: "/h", body: "",
            bindings: 0),
        MergeRow(
            occurrences: [#"get: "/g""#, #"custom { kind: "HEAD" }"#], method: "HEAD", path: "", body: "", bindings: 0),
        MergeRow(
            occurrences: [#"get: "/a" additional_bindings { get: "/b" }"#, #"additional_bindings { put: "/c" }"#],
            method: "GET", path: "/a", body: "", bindings: 2),
        MergeRow(occurrences: [#"selector: "x.Y""#], method: nil, path: nil, body: "", bindings: 0),
        MergeRow(
            occurrences: [#"delete: "/d" response_body: "r""#], method: "DELETE", path: "/d", body: "", bindings: 0),
    ]

    /// Repeated occurrences of the option merge as protobuf merges a singular message field;
    /// the bytes come from protoc.
    @Test(arguments: mergeRows)
    func mergesRepeatedOccurrences(_ row: MergeRow) throws {
        var options: [UInt8] = []
        for text in row.occurrences {
            let rule = try RoutingTestSupport.protocEncode(text, as: "HttpRule", schema: .googleAPI)
            var writer = WireWriter()
            writer.writeTag(fieldNumber: Transcoder.httpRuleExtensionFieldNumber, wireType: .lengthDelimited)
            writer.writeLengthDelimited(rule)
            options += writer.bytes
        }
        let rule = try #require(try HttpRule(methodOptions: RawOptions(options)))
        #expect(rule.pattern?.method == row.method)
        #expect(rule.pattern?.path == row.path)
        #expect(rule.body == row.body)
        #expect(rule.additionalBindings.count == row.bindings)
    }

    @Test func malformedOptionIsAnError() {
        // Field 72295728, length-delimited, claiming 5 bytes where there is 1.
        var writer = WireWriter()
        writer.writeTag(fieldNumber: Transcoder.httpRuleExtensionFieldNumber, wireType: .lengthDelimited)
        writer.writeVarint(UInt64(5))
        writer.writeRaw([0x12])
        #expect(throws: WireDecodingError.self) { try HttpRule(methodOptions: RawOptions(writer.bytes)) }
        #expect(throws: WireDecodingError.self) { try HttpRule(decoding: [0x12, 0x05, 0x2F]) }
    }
}
