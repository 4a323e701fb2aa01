import Foundation
import ProtoWire
import Testing

@testable import Transcoder

/// Files, tables and the protoc oracle shared by the routing tests.
enum RoutingTestSupport {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TranscoderTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let descriptors = root.appendingPathComponent("protos/descriptors")
    static let fixtures = root.appendingPathComponent("Tests/TranscoderTests/RoutingFixtures")

    static func pool(_ name: String) throws -> DescriptorPool {
        try DescriptorPool(fileDescriptorSet: [UInt8](Data(contentsOf: descriptors.appendingPathComponent(name))))
    }

    /// The "everything" schema, `protos/examples/routing/v1/routing.proto`.
    static let routingPool: DescriptorPool = try! pool("routing.pb")
    static let routingTable: RouteTable = try! RouteTable(pool: routingPool)

    /// The RPC a lookup matched (`Routing/GetItem`, the package left out), or `404`, or
    /// `405 GET, POST`.
    static func describe(_ lookup: RouteLookup, in table: RouteTable) -> String {
        switch lookup {
        case .matched(let match):
            let route = table.routes[match.routeIndex]
            return route.rpcName.replacingOccurrences(of: "example.routing.v1.", with: "")
        case .methodNotAllowed(let allowed): return "405 \(allowed.allowHeader)"
        case .notFound: return "404"
        }
    }

    /// Runs protoc with `arguments` from the repository root, feeding `input`; returns stdout,
    /// or throws with stderr.
    static func protoc(_ arguments: [String], input: [UInt8]) throws -> [UInt8] {
        try Protoc.run(arguments, input: input, descriptorSet: nil, directory: root)
    }

    struct ProtocFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { "protoc failed: \(message)" }
    }

    /// A schema protoc reads: a checked-in descriptor set and the `.proto` file in it.
    struct Schema: Sendable {
        let set: String
        let file: String
        let package: String

        static let routing = Schema(
            set: "routing.pb", file: "examples/routing/v1/routing.proto", package: "example.routing.v1")
        static let bookstore = Schema(
            set: "bookstore.pb", file: "examples/bookstore/v1/bookstore.proto", package: "example.bookstore.v1")
        static let googleAPI = Schema(set: "google_api.pb", file: "google/api/http.proto", package: "google.api")
    }

    /// `protoc --decode` of `bytes` as `type`, whitespace collapsed to single spaces so that
    /// expectations fit on one line.
    static func protocDecode(_ bytes: [UInt8], as type: String, schema: Schema = .routing) throws -> String {
        let output = try protoc(
            [
                "--descriptor_set_in=protos/descriptors/\(schema.set)", "--decode=\(schema.package).\(type)",
                schema.file,
            ],
            input: bytes)
        return String(decoding: output, as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `protoc --encode` of text-format `text` as `type`.
    static func protocEncode(_ text: String, as type: String, schema: Schema = .routing) throws -> [UInt8] {
        try protoc(
            [
                "--descriptor_set_in=protos/descriptors/\(schema.set)", "--encode=\(schema.package).\(type)",
                schema.file,
            ],
            input: Array(text.utf8))
    }

    /// Matches `target` with `method` and returns the bytes the path and query bind.
    static func requestFields(
        _ method: String, _ target: String, table: RouteTable = routingTable
    ) throws -> [UInt8] {
        guard case .matched(let match) = table.lookup(method: method, target: target) else {
            throw ProtocFailure(message: "\(method) \(target) did not match")
        }
        var writer = WireWriter()
        try table.appendPathAndQueryFields(of: match, target: target, into: &writer)
        return writer.bytes
    }
}
