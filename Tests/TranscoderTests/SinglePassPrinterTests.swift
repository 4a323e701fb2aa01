import Foundation
import ProtoWire
import Testing

@testable import Transcoder

/// The printer's single pass against its indexed path (`ProtoToJSON+SinglePass.swift`): the
/// same bytes or the same error for every input, every fallback trigger taken, and the fast path
/// really taken on field-ordered input.
@Suite("Single-pass printer")
struct SinglePassPrinterTests {
    static let codec = ProtoJSONCodec(pool: JSONTestSupport.kitchenSinkPool)
    static let sink = JSONTestSupport.kitchenSink.index

    /// Every combination of the printing options.
    static let optionSets: [JSONOptions] = (0..<8).map {
        JSONOptions(emitDefaults: $0 & 1 != 0, useProtoNames: $0 & 2 != 0, enumsAsInts: $0 & 4 != 0)
    }

    struct Printed {
        var result: Result<String, TranscodingError>
        /// Messages (and map runs) the single pass handed to the indexed path.
        var fallbacks: Int
    }

    static func print(
        _ wire: [UInt8], options: JSONOptions = JSONOptions(), singlePass: Bool = true, messageIndex: Int = sink
    ) -> Printed {
        wire.withUnsafeBytes { buffer in
            var printer = ProtoToJSON(codec: codec, input: buffer, options: options, singlePass: singlePass)
            defer { printer.release() }
            do throws(TranscodingError) {
                let json = try printer.run(messageIndex: messageIndex)
                return Printed(result: .success(String(decoding: json, as: UTF8.self)), fallbacks: printer.fallbacks)
            } catch {
                return Printed(result: .failure(error), fallbacks: printer.fallbacks)
            }
        }
    }

    /// Expects both paths to agree on `wire` under every option set.
    static func expectSameAsIndexed(_ wire: [UInt8], _ comment: Comment? = nil, messageIndex: Int = sink) {
        for options in optionSets {
            let fast = print(wire, options: options, messageIndex: messageIndex).result
            let indexed = print(wire, options: options, singlePass: false, messageIndex: messageIndex).result
            #expect(fast == indexed, "\(comment ?? "") \(options)")
        }
    }

    struct Trigger: CustomTestStringConvertible, Sendable {
        var name: String
        var wire: String
        var want: String
        var testDescription: String { name }
    }

    // Tags: scalar_double 1 = 09, scalar_int32 3 = 18, repeated_int32 18 packed = 92 01,
    // unpacked_int32 31 = f8 01, nested_message 40 = c2 02, choice_string 50 = 92 03,
    // choice_int64 51 = 98 03, map_string_string 80 = 82 05.
    static let triggers: [Trigger] = [
        Trigger(
            name: "fields out of order", wire: "18 05  09 00 00 00 00 00 00 f8 3f",
            want: #"{"scalarDouble":1.5,"scalarInt32":5}"#),
        Trigger(
            name: "packed repeated field split", wire: "92 01 02 01 02  18 05  92 01 01 03",
            want: #"{"scalarInt32":5,"repeatedInt32":[1,2,3]}"#),
        Trigger(
            name: "unpacked repeated field split", wire: "f8 01 07  18 01  f8 01 08",
            want: #"{"scalarInt32":1,"unpackedInt32":[7,8]}"#),
        Trigger(name: "two oneof members: the last wins", wire: "92 03 01 61  98 03 07", want: #"{"choiceInt64":"7"}"#),
        Trigger(name: "oneof member twice", wire: "92 03 01 61  92 03 01 62", want: #"{"choiceString":"b"}"#),
        Trigger(name: "singular repeated: the last wins", wire: "18 00  18 05", want: #"{"scalarInt32":5}"#),
        Trigger(name: "singular repeated: the last is the default", wire: "18 05  18 00", want: "{}"),
        Trigger(
            name: "message repeated: merged", wire: "c2 02 02 08 01  c2 02 03 12 01 78",
            want: #"{"nestedMessage":{"a":1,"b":"x"}}"#),
        Trigger(
            name: "map split", wire: "82 05 06 0a 01 6b 12 01 76  18 01  82 05 06 0a 01 6a 12 01 77",
            want: #"{"scalarInt32":1,"mapStringString":{"k":"v","j":"w"}}"#),
        Trigger(
            name: "nested message out of order, the parent in order", wire: "18 01  c2 02 05 12 01 78 08 01",
            want: #"{"scalarInt32":1,"nestedMessage":{"a":1,"b":"x"}}"#),
        Trigger(
            name: "map key repeated: the last wins", wire: "82 05 06 0a 01 6b 12 01 76  82 05 06 0a 01 6b 12 01 77",
            want: #"{"mapStringString":{"k":"w"}}"#),
    ]

    /// Map entries laid out other than key-then-value: the single pass reads them itself (no
    /// fallback) and agrees with the indexed path.
    static let entryLayouts: [Trigger] = [
        Trigger(name: "value before key", wire: "82 05 06 12 01 76 0a 01 6b", want: #"{"mapStringString":{"k":"v"}}"#),
        Trigger(
            name: "key twice: the last wins", wire: "82 05 09 0a 01 6a 12 01 76 0a 01 6b",
            want: #"{"mapStringString":{"k":"v"}}"#),
        Trigger(
            name: "value twice: the last wins", wire: "82 05 09 0a 01 6b 12 01 76 12 01 77",
            want: #"{"mapStringString":{"k":"w"}}"#),
        Trigger(
            name: "unknown field between", wire: "82 05 08 0a 01 6b 18 05 12 01 76",
            want: #"{"mapStringString":{"k":"v"}}"#),
        Trigger(name: "no key", wire: "82 05 03 12 01 76", want: #"{"mapStringString":{"":"v"}}"#),
        Trigger(name: "no value", wire: "82 05 03 0a 01 6b", want: #"{"mapStringString":{"k":""}}"#),
        Trigger(
            name: "key with the wrong wire type", wire: "82 05 05 08 01 12 01 76",
            want: #"{"mapStringString":{"":"v"}}"#),
    ]

    @Test(arguments: entryLayouts)
    func mapEntryLayout(_ row: Trigger) {
        let wire = JSONTestSupport.bytes(hex: row.wire)
        let printed = Self.print(wire)
        #expect(printed.result == .success(row.want))
        #expect(printed.fallbacks == 0)
        Self.expectSameAsIndexed(wire, Comment(rawValue: row.name))
    }

    /// Map entries cut short inside: both paths refuse them with the same error.
    @Test(arguments: ["82 05 02 0a 05", "82 05 04 0a 01 6b 12", "82 05 05 0a 01 6b 12 03"])
    func truncatedMapEntryFailsAsTheIndexedPathDoes(_ hex: String) {
        let wire = JSONTestSupport.bytes(hex: hex)
        guard case .failure = Self.print(wire).result else {
            Issue.record("\(hex) should not print")
            return
        }
        Self.expectSameAsIndexed(wire, Comment(rawValue: hex))
    }

    @Test(arguments: triggers)
    func fallbackTrigger(_ row: Trigger) {
        let wire = JSONTestSupport.bytes(hex: row.wire)
        let printed = Self.print(wire)
        #expect(printed.result == .success(row.want))
        #expect(printed.fallbacks > 0, "the single pass should have given up")
        Self.expectSameAsIndexed(wire, Comment(rawValue: row.name))
    }

    @Test func groupTakesTheIndexedPath() throws {
        // LegacyMessage (proto2): LegacyGroup = 15 { group_int32 = 16 }, then scalar 20 nested.
        let legacy = try #require(
            JSONTestSupport.kitchenSinkPool.messageIndex(named: "example.kitchen_sink.v1.LegacyMessage"))
        let wire = JSONTestSupport.bytes(hex: "7b 80 01 05 7c")
        let printed = Self.print(wire, messageIndex: legacy)
        guard case .success(let json) = printed.result else {
            Issue.record("\(printed.result)")
            return
        }
        #expect(json.contains(":{\"groupInt32\":5}"), "\(json)")
        #expect(printed.fallbacks > 0)
        Self.expectSameAsIndexed(wire, messageIndex: legacy)
    }

    /// The benchmark's kitchen sink (`protos/examples/kitchen_sink/v1/kitchen_sink.json`: every
    /// kind of field, well-known types and maps included), with an `Any` besides.
    static let everyKind: String = {
        let url = JSONTestSupport.root.appendingPathComponent("protos/examples/kitchen_sink/v1/kitchen_sink.json")
        let text = try! String(contentsOf: url, encoding: .utf8)
        let body = text[..<text.lastIndex(of: "}")!]
        return body + #", "wktAny": {"@type": "type.googleapis.com/google.protobuf.Duration", "value": "1s"}}"#
    }()

    @Test func orderedInputTakesNoFallback() throws {
        // Every kind of field in field order, as protoc writes it: the canonical JSON re-encoded.
        let json = try Self.codec.json(
            fromProtobuf: try Self.codec.protobuf(fromJSON: Array(Self.everyKind.utf8), messageIndex: Self.sink),
            messageIndex: Self.sink)
        let wire = try Self.codec.protobuf(fromJSON: json, messageIndex: Self.sink)
        for options in Self.optionSets {
            let printed = Self.print(wire, options: options)
            #expect(printed.fallbacks == 0, "\(options)")
            #expect(printed.result == Self.print(wire, options: options, singlePass: false).result)
        }
    }

    /// The same message with its fields in the order its JSON keys came in (no longer field
    /// order): the indexed path sorts its index (in place by insertion when short, by the
    /// library's sort when long, as at the top level here) and prints what field order prints.
    @Test func outOfOrderInputPrintsAsFieldOrder() throws {
        let outOfOrder = try Self.codec.protobuf(fromJSON: Array(Self.everyKind.utf8), messageIndex: Self.sink)
        let json = try Self.codec.json(fromProtobuf: outOfOrder, messageIndex: Self.sink)
        let ordered = try Self.codec.protobuf(fromJSON: json, messageIndex: Self.sink)
        #expect(outOfOrder != ordered)
        for options in Self.optionSets {
            let printed = Self.print(outOfOrder, options: options)
            #expect(printed.fallbacks > 0, "\(options)")
            #expect(printed.result == Self.print(ordered, options: options).result, "\(options)")
        }
    }

    /// Random messages in field order, shuffled, and corrupted: both paths print the same.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomMessagesAgree(seed: UInt64) {
        var generator = RandomWire(pool: JSONTestSupport.kitchenSinkPool, seed: seed)
        var printedInOnePass = 0
        for _ in 0..<60 {
            var chunks = generator.chunks(of: Self.sink, depth: 0)
            Self.expectSameAsIndexed(chunks.flatMap { $0 }, "ordered")
            let printed = Self.print(chunks.flatMap { $0 })
            if printed.fallbacks == 0, case .success = printed.result { printedInOnePass += 1 }
            chunks.shuffle(using: &generator.random)
            var wire = chunks.flatMap { $0 }
            Self.expectSameAsIndexed(wire, "shuffled")
            guard !wire.isEmpty else { continue }
            let position = Int(generator.random.next() % UInt64(wire.count))
            wire[position] ^= UInt8(truncatingIfNeeded: generator.random.next() | 1)
            Self.expectSameAsIndexed(wire, "corrupted")
            Self.expectSameAsIndexed(Array(wire[..<position]), "truncated")
        }
        // The generator makes mostly valid, ordered messages: the comparison is not all errors
        // and fallbacks.
        #expect(printedInOnePass >= 15, "only \(printedInOnePass) of 60 printed in one pass")
    }

    /// A single pass that gives up after printing nested values (a map run past 16 entries, a
    /// Struct, a ListValue) hands the rest to the indexed path only: nested values must not try
    /// and give up again at every level, which would cost 2^depth. 17 keys per level with the
    /// nested value first; the work stays linear (a handful of fallbacks, not 2^12).
    @Test(arguments: ["struct", "struct in a list"])
    func givingUpDeepInsideCostsLinearWork(_ shape: String) throws {
        let structIndex = try #require(JSONTestSupport.kitchenSinkPool.messageIndex(named: "google.protobuf.Struct"))
        var json = "1"
        for _ in 0..<12 {
            let keys = (1...16).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
            json = shape == "struct" ? "{\"k0\":\(json),\(keys)}" : "{\"k0\":[\(json)],\(keys)}"
        }
        let wire = try Self.codec.protobuf(fromJSON: Array(json.utf8), messageIndex: structIndex)
        let fast = Self.print(wire, messageIndex: structIndex)
        let indexed = Self.print(wire, singlePass: false, messageIndex: structIndex)
        #expect(fast.result == indexed.result)
        #expect(fast.fallbacks <= 4, "\(fast.fallbacks) fallbacks")
    }
}
