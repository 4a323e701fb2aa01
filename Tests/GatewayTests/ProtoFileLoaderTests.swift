import Foundation
import ProtoWire
import Testing

@testable import Gateway

/// `--proto` loading: the same pool as the protoc-built descriptor sets of `protos/`.
@Suite("ProtoFileLoader")
struct ProtoFileLoaderTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let protos = root.appendingPathComponent("protos").path

    static func descriptorSet(_ name: String) throws -> [DescriptorProto.File] {
        let data = try Data(contentsOf: root.appendingPathComponent("protos/descriptors/\(name)"))
        return try DescriptorProto.decodeFileDescriptorSet([UInt8](data))
    }

    @Test(arguments: [
        (["examples/bookstore/v1/bookstore.proto"], "bookstore.pb"),
        (["examples/kitchen_sink/v1/kitchen_sink.proto", "examples/kitchen_sink/v1/legacy.proto"], "kitchen_sink.pb"),
    ])
    func compilesLikeTheCheckedInSets(_ protos: [String], _ set: String) throws {
        // Only protos/ on the path: google/protobuf/*.proto come from the bundle.
        let files = try ProtoFileLoader.compile(protoPaths: [Self.protos], files: protos)
        let expected = try Self.descriptorSet(set)
        #expect(files.map(\.name) == expected.map(\.name))
        #expect(files == expected)
        let pool = try ProtoFileLoader.loadPool(protoPaths: [Self.protos], files: protos)
        let protocPool = try DescriptorPool(files: expected)
        #expect(pool.services == protocPool.services)
        #expect(pool.messages == protocPool.messages)
        #expect(pool.enums == protocPool.enums)
        #expect(pool.extensions == protocPool.extensions)
    }

    @Test func diskPathsBecomeImportNames() throws {
        let names = try ProtoFileLoader.importNames(
            protoPaths: [Self.protos],
            files: [Self.protos + "/examples/bookstore/v1/bookstore.proto", "google/api/http.proto"])
        #expect(names == ["examples/bookstore/v1/bookstore.proto", "google/api/http.proto"])
    }

    @Test func fileOutsideTheProtoPathsIsAnError() throws {
        let error = #expect(throws: ProtoFileLoader.LoadingError.self) {
            _ = try ProtoFileLoader.importNames(protoPaths: ["/nonexistent"], files: [#filePath])
        }
        #expect(
            error?.description.hasPrefix("\(#filePath): file does not reside within any path given with --proto-path")
                == true)
    }

    @Test func importsCannotEscapeTheProtoPaths() {
        #expect(ProtoFileLoader.read("../protos/google/api/http.proto", protoPaths: [Self.protos + "/examples"]) == nil)
        #expect(ProtoFileLoader.read("/etc/hostname", protoPaths: [Self.protos]) == nil)
        #expect(ProtoFileLoader.read("google/api/http.proto", protoPaths: [Self.protos]) != nil)
    }

    @Test func compileErrorsComeAllAtOnceWithLocations() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(
            """
            syntax = "proto3";
            message Book { string title = 1; }
            message Shelf {
                Boook book = 1;
                Shelff next = 2;
            }
            """.utf8
        ).write(to: directory.appendingPathComponent("shelf.proto"))
        let error = #expect(throws: ProtoFileLoader.LoadingError.self) {
            _ = try ProtoFileLoader.loadPool(protoPaths: [directory.path], files: ["shelf.proto"])
        }
        #expect(
            error?.diagnostics == [
                #"shelf.proto:4:5: unknown type "Boook" (did you mean "Book"?)"#,
                #"shelf.proto:5:5: unknown type "Shelff" (did you mean "Shelf"?)"#,
            ])
    }
}
