import Foundation
import ProtoWire
import Testing

@testable import Transcoder

/// Editions files (`edition = "2023"`): the pool resolves `features` from the file down to each
/// field and enum, and derives presence, packing, group (delimited) encoding, `required`, enum
/// closedness and UTF-8 checking from them; the codec then follows those properties.
///
/// The oracle is Python's protobuf (upb), which builds the same schema (`Peers/editions_oracle.py`),
/// reports how it resolved every field, encodes messages that we re-encode byte for byte, and
/// prints them with `json_format`, which our ProtoJSON must equal (and parse back to the bytes).
@Suite("Editions features, against Python protobuf")
struct EditionsTests {
    struct Oracle: Decodable {
        struct Field: Decodable {
            let type: Int32
            let presence: Bool
            let packed: Bool
            let required: Bool
        }
        struct Message: Decodable {
            let name: String
            let hex: String
            let json: String
        }
        struct UTF8Case: Decodable {
            let name: String
            let hex: String
            let accepted: Bool
        }
        let fields: [String: Field]
        let closed: [String: Bool]
        let messages: [Message]
        let utf8: [UTF8Case]
    }

    /// The oracle's report, and our pool of the descriptor set it wrote; run once for the suite.
    static let loaded: Result<(Oracle, DescriptorPool), any Error> = Result {
        let script = JSONTestSupport.root.appendingPathComponent("Tests/TranscoderTests/Peers/editions_oracle.py").path
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("editions-\(UUID().uuidString).pb")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, output.path]
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let report = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Protoc.ProtocError(message: "the editions oracle failed; it needs Python protobuf (requirements-test.txt)")
        }
        let oracle = try JSONDecoder().decode(Oracle.self, from: report)
        return (oracle, try DescriptorPool(fileDescriptorSet: [UInt8](Data(contentsOf: output))))
    }

    @Test func featuresResolveAsPythonResolvesThem() throws {
        let (oracle, pool) = try Self.loaded.get()
        #expect(oracle.fields.count == 20)
        for (name, want) in oracle.fields.sorted(by: { $0.key < $1.key }) {
            let dot = try #require(name.lastIndex(of: "."))
            let message = try #require(pool.message(named: String(name[..<dot])), "\(name)")
            let field = try #require(message.fields.first { $0.name == name[name.index(after: dot)...] }, "\(name)")
            #expect(field.type.rawValue == want.type, "\(name)")
            #expect(field.hasPresence == want.presence, "\(name)")
            #expect(field.isPacked == want.packed, "\(name)")
            #expect((field.label == .required) == want.required, "\(name)")
        }
        for (name, closed) in oracle.closed {
            #expect(try #require(pool.enumType(named: name)).isClosed == closed, "\(name)")
        }
    }

    @Test func messagesReencodeByteForByte() throws {
        let (oracle, pool) = try Self.loaded.get()
        #expect(oracle.messages.count == 6)
        for message in oracle.messages {
            let bytes = JSONTestSupport.bytes(hex: message.hex)
            let index = try #require(pool.messageIndex(named: message.name))
            let decoded = try DynamicMessage(decoding: bytes, messageIndex: index, pool: pool)
            #expect(decoded.encoded() == bytes, "\(message.hex) → \(JSONTestSupport.hex(decoded.encoded()))")
        }
    }

    @Test func utf8CheckingFollowsTheFeature() throws {
        let (oracle, pool) = try Self.loaded.get()
        let index = try #require(pool.messageIndex(named: "editions.v1.Features"))
        #expect(oracle.utf8.map(\.accepted) == [false, true])
        for check in oracle.utf8 {
            let bytes = JSONTestSupport.bytes(hex: check.hex)
            let accepted = (try? DynamicMessage(decoding: bytes, messageIndex: index, pool: pool)) != nil
            #expect(accepted == check.accepted, "\(check.name)")
        }
    }

    /// JSON texts compared as values (Python indents and spaces its own way).
    static func sameJSON(_ ours: [UInt8], _ theirs: String) throws -> Bool {
        let left = try JSONSerialization.jsonObject(with: Data(ours)) as? NSDictionary
        let right = try JSONSerialization.jsonObject(with: Data(theirs.utf8)) as? NSDictionary
        return left != nil && left == right
    }

    @Test func protoJSONMatchesPythonBothWays() throws {
        let (oracle, pool) = try Self.loaded.get()
        let codec = ProtoJSONCodec(pool: pool)
        for message in oracle.messages {
            let index = try #require(pool.messageIndex(named: message.name))
            let wire = JSONTestSupport.bytes(hex: message.hex)
            let json = try codec.json(fromProtobuf: wire, messageIndex: index)
            #expect(try Self.sameJSON(json, message.json), "\(String(decoding: json, as: UTF8.self)) vs \(message.json)")
            #expect(try codec.protobuf(fromJSON: Array(message.json.utf8), messageIndex: index) == wire, "\(message.json)")
        }
    }

    static func editionsFile(edition: Int32, options: [UInt8] = []) -> DescriptorProto.File {
        var file = DescriptorProto.File()
        file.name = "e.proto"
        file.syntax = "editions"
        file.edition = edition
        file.options = RawOptions(options)
        return file
    }

    @Test func anUnknownEditionIsRefused() throws {
        #expect(throws: Never.self) { try DescriptorPool(files: [Self.editionsFile(edition: 1001)]) }
        let error = #expect(throws: DescriptorError.self) {
            try DescriptorPool(files: [Self.editionsFile(edition: 1002)])
        }
        #expect(error?.code == .unsupportedEdition)
        #expect(error?.description.contains("edition 1002 is not supported (2023 and 2024 are)") == true, "\(String(describing: error))")
    }

    @Test func anUnknownFeatureValueNamesTheFeature() throws {
        // FileOptions.features (50) = { field_presence (1): 9 }
        let error = #expect(throws: DescriptorError.self) {
            try DescriptorPool(files: [Self.editionsFile(edition: 1000, options: [0x92, 0x03, 0x02, 0x08, 0x09])])
        }
        #expect(error?.code == .malformed)
        #expect(error?.description.contains("features.field_presence has unknown value 9") == true, "\(String(describing: error))")
    }
}
