import Foundation
import ProtoWire
import Testing

@testable import Transcoder

/// Limits, options and API behaviour of ``ProtoJSONCodec`` that the golden files do not cover.
@Suite("ProtoJSONCodec")
struct ProtoJSONCodecTests {
    static let codec = ProtoJSONCodec(pool: JSONTestSupport.kitchenSinkPool)
    static let sink = JSONTestSupport.kitchenSink.index

    func toProto(_ json: String, options: JSONOptions = JSONOptions()) throws(TranscodingError) -> [UInt8] {
        try Self.codec.protobuf(fromJSON: Array(json.utf8), messageIndex: Self.sink, options: options)
    }

    func toJSON(_ wire: [UInt8], options: JSONOptions = JSONOptions()) throws(TranscodingError) -> String {
        String(decoding: try Self.codec.json(fromProtobuf: wire, messageIndex: Self.sink, options: options), as: UTF8.self)
    }

    @Test func nestingOf100IsAcceptedAnd101Rejected() throws {
        // Each level is one object: {"child": {"child": ... {}}}.
        func nested(_ depth: Int) -> String {
            String(repeating: "{\"child\":", count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
        }
        let wire = try toProto(nested(100))
        #expect(try toJSON(wire).hasPrefix("{\"child\":{\"child\":"))
        #expect {
            try toProto(nested(101))
        } throws: { error in
            (error as? TranscodingError)?.code == .limitExceeded
        }
    }

    @Test func deepStructIsLimitedToo() {
        let deep = "{\"wktValue\":" + String(repeating: "[", count: 150) + String(repeating: "]", count: 150) + "}"
        #expect {
            try toProto(deep)
        } throws: { error in
            (error as? TranscodingError)?.description
                == "wktValue" + String(repeating: "[0]", count: 99) + ": nesting deeper than 100"
        }
    }

    @Test func deepStructPrintsBackAtTheSameDepth() throws {
        // 99 nested objects below the root: the printer counts JSON levels as the parser does,
        // not the three messages (Struct, entry, Value) each level takes on the wire.
        var json = "{\"wktStruct\":"
        for _ in 0..<98 { json += "{\"n\":" }
        json += "[1]" + String(repeating: "}", count: 98) + "}"
        let wire = try toProto(json)
        #expect(try toJSON(wire) == json.replacingOccurrences(of: " ", with: ""))
    }

    @Test func unknownJSONIsSkippedWithTheDepthLimit() {
        let deep = "{\"nope\":" + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}"
        #expect {
            try toProto(deep, options: JSONOptions(ignoreUnknownFields: true))
        } throws: { error in
            (error as? TranscodingError)?.code == .limitExceeded
        }
    }

    @Test func protobufNestingIsLimited() throws {
        // 120 levels of child { child { ... } } built inside out.
        var message: [UInt8] = []
        for _ in 0..<120 {
            var writer = WireWriter()
            writer.writeTag(fieldNumber: 130, wireType: .lengthDelimited)
            writer.writeLengthDelimited(message)
            message = writer.bytes
        }
        #expect {
            try toJSON(message)
        } throws: { error in
            let error = error as? TranscodingError
            return error?.code == .limitExceeded || error?.code == .malformedProto
        }
    }

    @Test func inputSizeIsChecked() {
        var options = JSONOptions()
        options.maximumInputSize = 10
        #expect {
            try toProto("{\"scalarString\":\"abc\"}", options: options)
        } throws: { error in
            (error as? TranscodingError)?.description == "input of 22 bytes exceeds the limit of 10"
        }
    }

    @Test func stringLengthIsChecked() {
        var options = JSONOptions()
        options.maximumStringLength = 12  // keys count too: "scalarString" is 12 bytes
        #expect(throws: Never.self) { try toProto("{\"scalarString\":\"abcdefghijkl\"}", options: options) }
        #expect {
            try toProto("{\"scalarString\":\"abcdefghijk\\u0041e\"}", options: options)
        } throws: { error in
            (error as? TranscodingError)?.description == "scalarString: string of 13 bytes exceeds the limit of 12"
        }
    }

    @Test func indentPrintsOneMemberPerLine() throws {
        let wire = try toProto(#"{"scalarInt32": 1, "repeatedString": ["a,b", "c:d"], "wktStruct": {}}"#)
        let json = try toJSON(wire, options: JSONOptions(indent: 2))
        #expect(json == """
            {
              "scalarInt32": 1,
              "repeatedString": [
                "a,b",
                "c:d"
              ],
              "wktStruct": {}
            }
            """)
    }

    @Test func emitDefaultsPrintsEveryFieldWithoutPresence() throws {
        let json = try toJSON([], options: JSONOptions(emitDefaults: true))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["scalarInt64"] as? String == "0")
        #expect(object["repeatedInt32"] as? [Any] != nil)
        #expect(object["mapStringString"] as? [String: Any] != nil)
        #expect(object["nestedEnum"] as? String == "NESTED_ENUM_UNSPECIFIED")
        #expect(object["wktNullValue"] is NSNull)
        // Fields with presence stay out: messages, oneof members, proto3 optional.
        #expect(object["nestedMessage"] == nil)
        #expect(object["choiceString"] == nil)
        #expect(object["optInt32"] == nil)
    }

    @Test func outputReadsBackToTheSameBytes() throws {
        let json = #"{"scalarDouble":0.1,"scalarFloat":3.4028235e+38,"repeatedNested":[{"a":1}],"mapInt32Enum":{"-1":"NESTED_ENUM_FOO"},"wktAny":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"-0.5s"},"wktStruct":{"k":[1,"x",null,{}]}}"#
        let wire = try toProto(json)
        let printed = try toJSON(wire)
        #expect(try toProto(printed) == wire)
    }

    @Test func errorPathsJoinComponents() {
        let error = TranscodingError(.invalidValue, "bad").atIndex(2).inField("tags").atKey("a\"b").inField("labels")
        #expect(error.description == "labels[\"a\\\"b\"].tags[2]: bad")
    }
}
