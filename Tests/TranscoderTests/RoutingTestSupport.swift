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

    /// Runs protoc with `arguments`, feeding `input`; returns stdout, or throws with stderr.
    static func protoc(_ arguments: [String], input: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["protoc"] + arguments
        process.currentDirectoryURL = root
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ProtocFailure(message: String(decoding: errors, as: UTF8.self))
        }
        return [UInt8](output)
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
