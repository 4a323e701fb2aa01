import Foundation
import ProtoWire
import Testing

@testable import Transcoder

/// Tables built from schemas made in code, for rules the checked-in protos cannot show.
@Suite("Route table building")
struct RouteTableBuildingTests {
    /// A pool with one service whose methods carry `rules` (encoded `google.api.HttpRule`s, or
    /// nil for no annotation), all on one request message with a string field `name`.
    static func pool(_ rules: [[UInt8]?]) throws -> DescriptorPool {
        var file = DescriptorProto.File()
        file.name = "t/v1/t.proto"
        file.package = "t.v1"
        file.syntax = "proto3"
        var request = DescriptorProto.Message()
        request.name = "Request"
        var name = DescriptorProto.Field()
        name.name = "name"
        name.number = 1
        name.type = FieldDescriptor.FieldType.string.rawValue
        name.jsonName = "name"
        request.fields = [name]
        file.messages = [request]
        var service = DescriptorProto.Service()
        service.name = "Svc"
        for (index, rule) in rules.enumerated() {
            var method = DescriptorProto.Method()
            method.name = "M\(index)"
            method.inputType = ".t.v1.Request"
            method.outputType = ".t.v1.Request"
            if let rule {
                var options = WireWriter()
                options.writeTag(fieldNumber: Transcoder.httpRuleExtensionFieldNumber, wireType: .lengthDelimited)
                options.writeLengthDelimited(rule)
                method.options = RawOptions(options.bytes)
            }
            service.methods.append(method)
        }
        file.services = [service]
        return try DescriptorPool(files: [file])
    }

    /// `custom { kind: kind path: path }`.
    static func custom(_ kind: String, _ path: String) -> [UInt8] {
        var pattern = WireWriter()
        pattern.writeTag(fieldNumber: 1, wireType: .lengthDelimited)
        pattern.writeString(kind)
        pattern.writeTag(fieldNumber: 2, wireType: .lengthDelimited)
        pattern.writeString(path)
        var rule = WireWriter()
        rule.writeTag(fieldNumber: 8, wireType: .lengthDelimited)
        rule.writeLengthDelimited(pattern.bytes)
        return rule.bytes
    }

    /// An annotation on the automatic route's own path wins; the automatic route steps aside.
    @Test func annotatedRouteWinsOverAutomaticOne() throws {
        let table = try RouteTable(pool: Self.pool([Self.custom("POST", "/t.v1.Svc/M1"), nil]))
        let lookup = table.lookup(method: "POST", target: "/t.v1.Svc/M1")
        guard case .matched(let match) = lookup else {
            Issue.record("no match")
            return
        }
        #expect(table.routes[match.routeIndex].rpcName == "t.v1.Svc/M0")
        #expect(table.routes.filter { $0.origin == .autoMapped }.map(\.rpcName) == ["t.v1.Svc/M0"])
    }

    /// Custom kinds are interned; a 405 lists them after the standard five.
    @Test func customMethodsAppearInAllow() throws {
        let table = try RouteTable(
            pool: Self.pool([Self.custom("PURGE", "/x"), Self.custom("GET", "/x"), Self.custom("LOCK", "/x")]))
        guard case .methodNotAllowed(let allowed) = table.lookup(method: "POST", target: "/x") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed.allowHeader == "GET, PURGE, LOCK")
        guard case .matched = table.lookup(method: "PURGE", target: "/x") else {
            Issue.record("PURGE did not match")
            return
        }
    }

    /// Methods form a 64-bit set for 405 answers; the 65th distinct method is an error.
    @Test func tooManyMethodsIsAnError() throws {
        let pool = try Self.pool((0..<60).map { Self.custom("VERB\($0)", "/x") })
        do {
            _ = try RouteTable(pool: pool)
            Issue.record("accepted")
        } catch {
            #expect(error.problems.map(\.code) == [.tooManyMethods])
            #expect(error.problems.first?.method == "t.v1.Svc.M59")
        }
    }

    /// The same method and template twice in one rule is a collision too.
    @Test func duplicateWithinOneMethodIsAnError() throws {
        var rule = WireWriter()
        rule.writeTag(fieldNumber: 2, wireType: .lengthDelimited)
        rule.writeString("/a/{name}")
        rule.writeTag(fieldNumber: 11, wireType: .lengthDelimited)
        var binding = WireWriter()
        binding.writeTag(fieldNumber: 2, wireType: .lengthDelimited)
        binding.writeString("/a/*")
        rule.writeLengthDelimited(binding.bytes)
        let pool = try Self.pool([rule.bytes])
        do {
            _ = try RouteTable(pool: pool)
            Issue.record("accepted")
        } catch {
            #expect(
                error.description
                    == "t.v1.Svc.M0: additional_bindings[0] GET /a/* collides with t.v1.Svc.M0 on GET /a/*")
        }
    }

    // MARK: Listing formats

    /// The JSON listing carries the same rows as the text listing.
    @Test func jsonListingMatchesRows() throws {
        let table = RoutingTestSupport.routingTable
        let json = RouteListing.json(table)
        let objects = try #require(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let rows = RouteListing.rows(table)
        #expect(objects.count == rows.count)
        for (object, row) in zip(objects, rows) {
            #expect(object["method"] as? String == row.httpMethod)
            #expect(object["template"] as? String == row.template)
            #expect(object["rpc"] as? String == row.rpc)
            #expect(object["body"] as? String == row.body)
            #expect(object["responseBody"] as? String == row.responseBody)
            #expect(object["streaming"] as? String == row.streaming)
            #expect(object["autoMapped"] as? Bool == row.autoMapped)
        }
    }

    @Test(arguments: [
        ("plain", #""plain""#), ("a\"b", #""a\"b""#), ("a\\b", #""a\\b""#), ("\n\t\r", #""\n\t\r""#),
        ("\u{01}", #""\u0001""#), ("é", "\"é\""),
    ])
    func jsonStringsAreEscaped(_ text: String, _ want: String) {
        #expect(RouteListing.quoted(text) == want)
    }

    @Test func emptyTableListsNothing() throws {
        let table = try RouteTable(pool: RoutingTestSupport.pool("wellknown.pb"))
        #expect(RouteListing.text(table) == "")
        #expect(RouteListing.json(table) == "[]")
    }
}
