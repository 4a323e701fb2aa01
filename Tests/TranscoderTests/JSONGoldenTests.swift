import Foundation
import ProtoWire
import Testing

@testable import Transcoder

/// The golden cases of `Tests/TranscoderTests/Golden/`: every ProtoJSON rule with inputs and
/// expected outputs or errors. Expected protobuf comes from `protoc --encode`.
@Suite("JSON golden cases")
struct JSONGoldenTests {
    static let codec = ProtoJSONCodec(pool: JSONTestSupport.kitchenSinkPool)
    static let cases = GoldenCase.loadAll()

    @Test func thereAreAtLeast200Cases() {
        #expect(Self.cases.count >= 200)
    }

    @Test(arguments: cases)
    func golden(_ golden: GoldenCase) throws {
        let codec = Self.codec
        let messageIndex = try #require(codec.pool.messageIndex(named: golden.type), "type \(golden.type)")
        if let json = golden.json {
            let result = Result { () throws(TranscodingError) -> [UInt8] in
                try codec.protobuf(fromJSON: Array(json.utf8), messageIndex: messageIndex, options: golden.options)
            }
            if let expectedError = golden.error {
                switch result {
                case .success(let bytes): Issue.record("expected error \(expectedError), got \(JSONTestSupport.hex(bytes))")
                case .failure(let error): #expect(error.description == expectedError)
                }
            } else if let text = golden.textproto {
                let ours = try result.get()
                let expected = try Protoc.encode(text, type: golden.type)
                if ours != expected {
                    // Same message in another field order: compare protoc's canonical decoding.
                    let oursText = try Protoc.decode(ours, type: golden.type)
                    let expectedText = try Protoc.decode(expected, type: golden.type)
                    #expect(oursText == expectedText, "ours \(JSONTestSupport.hex(ours)) want \(JSONTestSupport.hex(expected))")
                }
            }
        }
        if golden.print != nil || golden.printError != nil {
            let input: [UInt8]
            if let hex = golden.hex {
                input = JSONTestSupport.bytes(hex: hex)
            } else {
                input = try Protoc.encode(try #require(golden.textproto), type: golden.type)
            }
            let result = Result { () throws(TranscodingError) -> [UInt8] in
                try codec.json(fromProtobuf: input, messageIndex: messageIndex, options: golden.options)
            }
            if let expected = golden.print {
                let ours = try result.get()
                let same = try JSONMeaning.equal(ours, Array(expected.utf8))
                #expect(same, "printed \(String(decoding: ours, as: UTF8.self))")
                // And what we print must read back to the same message.
                let back = try codec.protobuf(fromJSON: ours, messageIndex: messageIndex, options: golden.options)
                let again = try codec.json(fromProtobuf: back, messageIndex: messageIndex, options: golden.options)
                #expect(again == ours)
            } else if let expectedError = golden.printError {
                switch result {
                case .success(let bytes):
                    Issue.record("expected error \(expectedError), got \(String(decoding: bytes, as: UTF8.self))")
                case .failure(let error): #expect(error.description == expectedError)
                }
            }
        }
    }
}
