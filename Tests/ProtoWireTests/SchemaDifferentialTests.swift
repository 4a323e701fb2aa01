import Foundation
import Testing

@testable import ProtoWire

/// Our compiler against protoc (Debian `protobuf-compiler`): for every file of the corpus, the
/// `FileDescriptorProto`s (names, numbers, labels, types, resolved type names, json names,
/// oneofs, map entries, defaults, option bytes) and the pool built from them must equal what
/// `protoc --include_imports --descriptor_set_out` writes.
@Suite("Schema compiler against protoc")
struct SchemaDifferentialTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var includes: [String]
        var file: String
        var testDescription: String { file }
    }

    static let wellKnownTypes = [
        "any", "api", "descriptor", "duration", "empty", "field_mask", "source_context", "struct", "timestamp",
        "type", "wrappers",
    ].map { Case(includes: [SchemaHarness.systemInclude], file: "google/protobuf/\($0).proto") }

    static let shipped = [
        "google/api/http.proto", "google/api/annotations.proto", "google/api/httpbody.proto",
        "examples/bookstore/v1/bookstore.proto", "examples/kitchen_sink/v1/kitchen_sink.proto",
        "examples/kitchen_sink/v1/legacy.proto",
    ].map { Case(includes: [SchemaHarness.protos.path, SchemaHarness.systemInclude], file: $0) }

    static var torture: [Case] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: SchemaHarness.corpus.path)) ?? []
        return names.filter { $0.hasSuffix(".proto") }.sorted().map {
            Case(
                includes: [SchemaHarness.corpus.path, SchemaHarness.protos.path, SchemaHarness.systemInclude], file: $0)
        }
    }

    static let all = wellKnownTypes + shipped + torture

    @Test(arguments: all)
    func matchesProtoc(_ row: Case) throws {
        let expected = try SchemaHarness.runProtoc(includes: row.includes, files: [row.file])
        try #require(expected.status == 0, "protoc rejected \(row.file): \(expected.stderr)")
        let ours = try SchemaHarness.compiler(includes: row.includes).compile([row.file])
        #expect(ours.map(\.name) == expected.files.map(\.name))
        for (mine, theirs) in zip(ours, expected.files) {
            let difference = SchemaHarness.firstDifference(mine, theirs, path: mine.name)
            #expect(mine == theirs, "\(difference ?? "")")
        }
        // Byte for byte, too: our FileDescriptorSet encoding is protoc's. (The one thing this cannot
        // show is an empty `options` that protoc writes for an rpc with an empty `{}` body, which
        // DescriptorProto does not model; the corpus avoids that form.)
        let protocBytes = try SchemaHarness.runProtocBytes(includes: row.includes, files: [row.file])
        #expect(DescriptorProto.encodeFileDescriptorSet(ours) == protocBytes)
        let pool = try DescriptorPool(files: ours)
        let protocPool = try DescriptorPool(files: expected.files)
        #expect(pool.allSymbolNames == protocPool.allSymbolNames)
        #expect(pool.messages == protocPool.messages)
        #expect(pool.extensions == protocPool.extensions)
    }

    /// The bundled schemas, compiled with nothing on disk, equal protoc's compilation of the
    /// originals (`/usr/include/google/protobuf`, `protos/google/api`).
    @Test(arguments: SchemaBundle.fileNames)
    func bundledSchemaMatchesProtoc(_ name: String) throws {
        let include = name.hasPrefix("google/api/") ? SchemaHarness.protos.path : SchemaHarness.systemInclude
        let expected = try SchemaHarness.runProtoc(includes: [include, SchemaHarness.systemInclude], files: [name])
        try #require(expected.status == 0, "\(expected.stderr)")
        let ours = try SchemaHarness.compiler(sources: [:]).compile([name])
        #expect(ours.map(\.name) == expected.files.map(\.name))
        for (mine, theirs) in zip(ours, expected.files) {
            #expect(mine == theirs, "\(SchemaHarness.firstDifference(mine, theirs, path: mine.name) ?? "")")
        }
    }

    /// Every bundled file is in the bundle, and only bundled files resolve without a reader.
    @Test func bundleResolvesImportsWithoutFiles() throws {
        let source = """
            syntax = "proto3";
            import "google/api/annotations.proto";
            import "google/protobuf/timestamp.proto";
            service S { rpc Now(google.protobuf.Timestamp) returns (google.protobuf.Timestamp) {
              option (google.api.http) = { get: "/now" };
            } }
            """
        let pool = try DescriptorPool(files: SchemaHarness.compiler(sources: ["s.proto": source]).compile(["s.proto"]))
        let method = try #require(pool.method(named: "S.Now"))
        #expect(
            try method.options.lengthDelimitedValues(fieldNumber: 72_295_728) == [[0x12, 0x04] + Array("/now".utf8)])
        #expect(SchemaBundle.source(named: "google/protobuf/nothing.proto") == nil)
    }
}
