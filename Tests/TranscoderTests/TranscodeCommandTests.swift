import Foundation
import Testing

/// Drives `grpc-gateway transcode` as a user would: stdin in, stdout out, errors on stderr with
/// a non-zero exit. The binary is the one `swift build --build-tests` puts next to the tests.
@Suite("grpc-gateway transcode")
struct TranscodeCommandTests {
    static var binary: String? {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("grpc-gateway").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func transcode(_ arguments: [String], stdin: [UInt8]) throws -> (status: Int32, stdout: [UInt8], stderr: String) {
        let binary = try #require(binary, "build the grpc-gateway product first (swift build --build-tests builds it)")
        let descriptorSet = JSONTestSupport.root.appendingPathComponent("protos/descriptors/kitchen_sink.pb").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["transcode", "--descriptor-set", descriptorSet] + arguments
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(stdin))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, [UInt8](out), String(decoding: err, as: UTF8.self))
    }

    static let type = ["--type", "example.kitchen_sink.v1.KitchenSink"]

    @Test func jsonToProtoMatchesProtoc() throws {
        let result = try Self.transcode(Self.type + ["--from", "json", "--to", "proto"],
            stdin: Array(#"{"scalarInt32": 7, "nestedMessage": {"b": "x"}, "wktDuration": "1.5s"}"#.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try Protoc.encode(
            #"scalar_int32: 7 nested_message { b: "x" } wkt_duration { seconds: 1 nanos: 500000000 }"#,
            type: "example.kitchen_sink.v1.KitchenSink")
        #expect(try Protoc.decode(result.stdout, type: "example.kitchen_sink.v1.KitchenSink")
            == Protoc.decode(expected, type: "example.kitchen_sink.v1.KitchenSink"))
    }

    @Test func protoToJSONWithOptions() throws {
        let wire = try Protoc.encode("renamed_int32: 3 nested_enum: NESTED_ENUM_BAR", type: "example.kitchen_sink.v1.KitchenSink")
        let result = try Self.transcode(Self.type + ["--from", "proto", "--to", "json", "--proto-names", "--enums-as-ints"], stdin: wire)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: result.stdout, as: UTF8.self) == "{\"nested_enum\":2,\"renamed_int32\":3}\n")
    }

    @Test func emitDefaultsAndIndent() throws {
        let result = try Self.transcode(
            ["--type", "example.kitchen_sink.v1.KitchenSink.Nested", "--from", "json", "--to", "json", "--emit-defaults",
             "--indent", "1"], stdin: Array("{}".utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: result.stdout, as: UTF8.self) == "{\n \"a\": 0,\n \"b\": \"\",\n \"values\": []\n}\n")
    }

    @Test func ignoreUnknown() throws {
        let input = Array(#"{"nope": 1, "x": 2}"#.utf8)
        let strict = try Self.transcode(Self.type + ["--from", "json", "--to", "json"], stdin: input)
        #expect(strict.status != 0)
        #expect(strict.stderr == "error: unknown field \"nope\" in example.kitchen_sink.v1.KitchenSink\n")
        let lenient = try Self.transcode(Self.type + ["--from", "json", "--to", "json", "--ignore-unknown"], stdin: input)
        #expect(lenient.status == 0)
        #expect(String(decoding: lenient.stdout, as: UTF8.self) == "{\"x\":2}\n")
    }

    @Test func errorsGoToStderrWithThePath() throws {
        let result = try Self.transcode(Self.type + ["--from", "json", "--to", "proto"],
            stdin: Array(#"{"repeatedString": ["a", null]}"#.utf8))
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "error: repeatedString[1]: null is not allowed in a repeated field\n")
    }

    @Test func malformedProtoIsRejected() throws {
        let result = try Self.transcode(Self.type + ["--from", "proto", "--to", "proto"], stdin: [0x0a, 0x05])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: invalid protobuf: length runs past the end of the input"))
    }

    @Test func unknownTypeIsAUsageError() throws {
        let result = try Self.transcode(["--type", "no.Such", "--from", "json", "--to", "proto"], stdin: [])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no message type no.Such"))
    }
}
