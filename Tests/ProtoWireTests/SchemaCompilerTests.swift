import Foundation
import Testing

@testable import ProtoWire

/// Import handling of ``SchemaCompiler``: public imports, output order, the bundled fallback, and
/// a custom-options file checked against protoc through a temporary directory.
@Suite("Schema compiler imports")
struct SchemaCompilerTests {
    static let chain: [String: String] = [
        "a.proto": """
        syntax = "proto3";
        package a;
        import "b.proto";
        message A { c.C via_public = 1; b.B direct = 2; }
        """,
        "b.proto": "syntax = \"proto3\";\npackage b;\nimport public \"c.proto\";\nmessage B {}\n",
        "c.proto": "syntax = \"proto3\";\npackage c;\nimport \"d.proto\";\nmessage C { d.D d = 1; }\n",
        "d.proto": "syntax = \"proto3\";\npackage d;\nmessage D {}\n",
    ]

    /// Writes `sources` to a temporary directory and compiles them with protoc.
    static func protoc(_ sources: [String: String], _ file: String) throws -> SchemaHarness.ProtocResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in sources { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        return try SchemaHarness.runProtoc(
            includes: [directory.path, SchemaHarness.protos.path, SchemaHarness.systemInclude], files: [file])
    }

    @Test func publicImportsAreVisibleTransitivelyAndOrderMatchesProtoc() throws {
        let ours = try SchemaHarness.compiler(sources: Self.chain).compile(["a.proto"])
        let theirs = try Self.protoc(Self.chain, "a.proto")
        #expect(theirs.status == 0)
        #expect(ours.map(\.name) == ["d.proto", "c.proto", "b.proto", "a.proto"])
        #expect(ours == theirs.files)
    }

    @Test func nonPublicImportsOfImportsAreNotVisible() throws {
        var sources = Self.chain
        sources["a.proto"] = "syntax = \"proto3\";\npackage a;\nimport \"b.proto\";\nmessage A { d.D hidden = 1; }\n"
        let error = #expect(throws: SchemaError.self) {
            try SchemaHarness.compiler(sources: sources).compile(["a.proto"])
        }
        #expect(
            error?.diagnostics.map(\.description) == [
                #"a.proto:4:13: "d.D" seems to be defined in "d.proto", which is not imported by "a.proto"; to use it here, please add the necessary import"#
            ])
        #expect(try Self.protoc(sources, "a.proto").status != 0)
    }

    @Test func readerOverridesTheBundle() throws {
        let mine = "syntax = \"proto3\";\npackage google.protobuf;\nmessage Timestamp { int64 seconds = 1; }\n"
        let sources = [
            "google/protobuf/timestamp.proto": mine,
            "t.proto":
                "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nmessage T { google.protobuf.Timestamp at = 1; }\n",
        ]
        let files = try SchemaHarness.compiler(sources: sources).compile(["t.proto"])
        #expect(files[0].messages[0].fields.map(\.name) == ["seconds"])
    }

    @Test func bundleCanBeTurnedOff() throws {
        var compiler = SchemaHarness.compiler(sources: [
            "t.proto": "syntax = \"proto3\";\nimport \"google/protobuf/empty.proto\";\n"
        ])
        compiler.usesBundledSchemas = false
        let error = #expect(throws: SchemaError.self) { try compiler.compile(["t.proto"]) }
        #expect(error?.code == .fileNotFound)
    }

    @Test func syntaxDiagnosticsWithoutLinking() {
        let diagnostics = SchemaCompiler.syntaxDiagnostics(
            source: Array("syntax = \"proto3\";\nmessage M { Unknown u = 1 }\n".utf8), name: "m.proto")
        #expect(diagnostics.map(\.description) == [#"m.proto:2:27: expected ";", found "}""#])
    }
}
