import Foundation
import Testing

/// Drives `grpc-gateway conformance` with the suite's framing. Requests are encoded and responses
/// decoded by protoc from our `conformance.proto`, so the protocol is checked independently.
@Suite("grpc-gateway conformance")
struct ConformanceCommandTests {
    static let protoDirectory = JSONTestSupport.golden.appendingPathComponent("conformance").path

    static func protoc(_ mode: String, _ type: String, _ input: [UInt8]) throws -> [UInt8] {
        let protoc = try #require(JSONTestSupport.executable("protoc"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: protoc)
        process.arguments = ["--\(mode)=conformance.\(type)", "-I", protoDirectory, "conformance.proto"]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return [UInt8](output)
    }

    /// Sends every request in one session and returns protoc's text of each response.
    static func exchange(_ requests: [String]) throws -> [String] {
        let binary = try #require(TranscodeCommandTests.binary, "build the grpc-gateway product first")
        var frames = Data()
        for request in requests {
            let bytes = try protoc("encode", "ConformanceRequest", Array(request.utf8))
            withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { frames.append(contentsOf: $0) }
            frames.append(contentsOf: bytes)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["conformance", "--descriptor-set",
            JSONTestSupport.root.appendingPathComponent("protos/descriptors/kitchen_sink.pb").path]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(frames)
        try stdin.fileHandleForWriting.close()
        let output = [UInt8](stdout.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        var responses: [String] = []
        var offset = 0
        while offset + 4 <= output.count {
            let length = Int(output[offset]) | Int(output[offset + 1]) << 8 | Int(output[offset + 2]) << 16
                | Int(output[offset + 3]) << 24
            let body = Array(output[(offset + 4)..<(offset + 4 + length)])
            responses.append(String(decoding: try protoc("decode", "ConformanceResponse", body), as: UTF8.self))
            offset += 4 + length
        }
        #expect(offset == output.count)
        return responses
    }

    @Test func servesJSONAndBinaryAndSkipsTheRest() throws {
        let sink = "message_type: \"example.kitchen_sink.v1.KitchenSink\""
        let responses = try Self.exchange([
            #"json_payload: "{\"scalarInt32\": 5}" requested_output_format: PROTOBUF "# + sink,
            #"protobuf_payload: "\030\005" requested_output_format: JSON "# + sink,
            #"json_payload: "{\"scalarInt32\": \"x\"}" requested_output_format: JSON "# + sink,
            #"json_payload: "{\"nope\": 1}" requested_output_format: JSON test_category: JSON_IGNORE_UNKNOWN_PARSING_TEST "# + sink,
            #"protobuf_payload: "\030" requested_output_format: PROTOBUF "# + sink,
            #"text_payload: "scalar_int32: 1" requested_output_format: TEXT_FORMAT "# + sink,
            #"json_payload: "{}" requested_output_format: JSON message_type: "protobuf_test_messages.proto3.TestAllTypesProto3""#,
        ])
        #expect(responses.count == 7)
        guard responses.count == 7 else { return }
        #expect(responses[0] == "protobuf_payload: \"\\030\\005\"\n")
        #expect(responses[1] == "json_payload: \"{\\\"scalarInt32\\\":5}\"\n")
        #expect(responses[2] == "parse_error: \"scalarInt32: expected int32, got \\\"x\\\"\"\n")
        #expect(responses[3] == "json_payload: \"{}\"\n")
        #expect(responses[4].hasPrefix("parse_error: \"invalid protobuf: truncated varint"))
        #expect(responses[5].hasPrefix("skipped:"))
        #expect(responses[6].hasPrefix("skipped:"))
    }

    /// Binary to binary keeps unknown fields (field 12345 here) and still validates the input.
    @Test func binaryToBinaryKeepsUnknownFields() throws {
        let sink = "message_type: \"example.kitchen_sink.v1.KitchenSink\""
        let responses = try Self.exchange([
            #"protobuf_payload: "\030\005\310\203\006\007" requested_output_format: PROTOBUF "# + sink,
            #"protobuf_payload: "\162\001\377" requested_output_format: PROTOBUF "# + sink,
        ])
        #expect(responses.count == 2)
        guard responses.count == 2 else { return }
        #expect(responses[0] == "protobuf_payload: \"\\030\\005\\310\\203\\006\\007\"\n")
        #expect(responses[1].hasPrefix("parse_error: \"invalid protobuf: "), "\(responses[1])")
    }
}
