import Foundation
import ProtoWire
import Testing

@testable import Transcoder

/// The codec's fast paths must agree with the general paths they shortcut: plain integers with
/// the full number grammar, Clinger's exact doubles with `strtod`, the eight-byte string scan
/// with the byte loop, one-pass map printing with the exact path, and the raw output buffers
/// with ``WireWriter``.
@Suite("JSON fast paths")
struct JSONFastPathTests {
    static let codec = ProtoJSONCodec(pool: JSONTestSupport.kitchenSinkPool)
    static let sink = JSONTestSupport.kitchenSink.index

    func toProto(_ json: String) throws(TranscodingError) -> [UInt8] {
        try Self.codec.protobuf(fromJSON: Array(json.utf8), messageIndex: Self.sink)
    }

    func toJSON(_ wire: [UInt8]) throws(TranscodingError) -> String {
        String(decoding: try Self.codec.json(fromProtobuf: wire, messageIndex: Self.sink), as: UTF8.self)
    }

    struct NumberRow: Sendable, CustomTestStringConvertible {
        let text: String
        let type: FieldDescriptor.FieldType
        let field: String
        let number: UInt32
        var testDescription: String { "\(field): \(text)" }
    }

    static let numbers: [NumberRow] = {
        let texts = [
            "0", "-0", "7", "-7", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
            "123456789012345678", "-123456789012345678", "999999999999999999", "1234567890123456789",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551615",
            "18446744073709551616", "01", "-01", "00", "1.0", "1.5", "1e2", "1E+2", "-1e-0", "10e-1", "2.5e1",
        ]
        let fields: [(String, FieldDescriptor.FieldType, UInt32)] = [
            ("scalarInt32", .int32, 3), ("scalarInt64", .int64, 4), ("scalarUint32", .uint32, 5),
            ("scalarSint64", .sint64, 8),
        ]
        return fields.flatMap { field in
            texts.map { NumberRow(text: $0, type: field.1, field: field.0, number: field.2) }
        }
    }()

    /// The oracle is the general path: the same text as a URL value goes through the number
    /// grammar and exact evaluation, never through the plain-integer scan.
    @Test(arguments: numbers)
    func plainIntegersAgreeWithTheGeneralPath(_ row: NumberRow) throws {
        var expected = WireWriter()
        let text = Array(row.text.utf8)
        let general: Result<Void, TranscodingError> = text.withUnsafeBytes { text in
            do throws(TranscodingError) {
                try QuotedValue.writeNumber(
                    text, type: row.type, fieldNumber: row.number, skipDefault: true, quoted: false, into: &expected)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        let fast = Result { () throws(TranscodingError) in try toProto("{\"\(row.field)\": \(row.text)}") }
        switch (general, fast) {
        case (.success, .success(let bytes)):
            #expect(bytes == expected.bytes)
        case (.failure(let want), .failure(let got)):
            if row.text.hasPrefix("0") || row.text.hasPrefix("-0") && row.text.count > 2 {
                // A leading zero is a JSON syntax error before it is a value error.
                #expect(got.code == .malformedJSON || got.code == want.code)
            } else {
                #expect(got.description == "\(row.field): \(want.message)")
            }
        default:
            Issue.record("general \(general), fast \(fast)")
        }
    }

    /// Clinger's fast path and Eisel-Lemire are exact: they must equal `strtod` wherever they
    /// answer, on random decimals of 1 to 19 digits and on the shortest and 17-digit forms of
    /// random doubles (the hardest cases sit next to halfway points).
    @Test func fastDoublesAgreeWithStrtod() throws {
        var generator = SplitMix64(seed: 0x00C1_1A9E_2024)
        var texts: [String] = ["0.1", "-0.0", "9007199254740992", "9007199254740993", "1e22", "1e23", "1e-22", "123.456e-7"]
        for _ in 0..<50_000 {
            let value = Double(bitPattern: generator.next() & 0x7FFF_FFFF_FFFF_FFFF)
            guard value.isFinite else { continue }
            texts.append(value.description)
            texts.append(String(format: "%.17g", value))
            texts.append(String(format: "%.16e", value))
        }
        for _ in 0..<100_000 {
            let digits = Int.random(in: 1...19, using: &generator)
            var significand = String(UInt64.random(in: 1...9, using: &generator))
            for _ in 1..<digits { significand += String(UInt64.random(in: 0...9, using: &generator)) }
            let point = Int.random(in: 0...digits, using: &generator)
            var text = point == digits ? significand : String(significand.prefix(point)) + "." + String(significand.dropFirst(point))
            if text.hasPrefix(".") { text = "0" + text }
            if Bool.random(using: &generator) { text += "e" + String(Int.random(in: -120...120, using: &generator)) }
            texts.append(Bool.random(using: &generator) ? "-" + text : text)
        }
        var mismatches: [String] = []
        var answered = 0
        for text in texts {
            let bytes = Array(text.utf8)
            try bytes.withUnsafeBytes { raw in
                let shape = try #require(NumberText.shape(raw), "\(text)")
                guard let exact = NumberText.fastDouble(raw, shape: shape) else { return }
                answered += 1
                let reference = try #require(CLocaleDouble.parse(raw))
                if exact.bitPattern != reference.bitPattern { mismatches.append(text) }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        // The fast paths must actually answer: all but subnormals, overflows, exponents beyond
        // the table, more than 19 digits and undecidable cases.
        #expect(answered > texts.count / 2, "\(answered) of \(texts.count)")
    }

    /// A special byte (quote, backslash, control, non-ASCII) at every offset of the eight-byte
    /// scan, and a string long enough to need several words.
    @Test(arguments: 0..<20)
    func stringScanFindsSpecialBytesAtEveryOffset(_ offset: Int) throws {
        let plain = String(repeating: "a", count: offset)
        let tail = String(repeating: "z", count: 19 - offset)
        for (escaped, decoded) in [("\\\"", "\""), ("\\\\", "\\"), ("\\n", "\n"), ("é", "é"), ("\\u00e9", "é"), ("😀", "😀")] {
            let wire = try toProto("{\"scalarString\": \"\(plain)\(escaped)\(tail)\"}")
            var expected = WireWriter()
            expected.writeTag(fieldNumber: 14, wireType: .lengthDelimited)
            expected.writeString(plain + decoded + tail)
            #expect(wire == expected.bytes, "\(escaped) at \(offset)")
        }
        // A raw control character and a lone UTF-8 continuation byte are rejected wherever they are.
        for bad: [UInt8] in [[0x01], [0x80], [0xC3]] {
            let json = Array("{\"scalarString\": \"\(plain)".utf8) + bad + Array("\(tail)\"}".utf8)
            #expect(throws: TranscodingError.self) {
                try Self.codec.protobuf(fromJSON: json, messageIndex: Self.sink)
            }
        }
    }

    /// Nested lengths of one, two and three varint bytes are back-patched as WireWriter writes them.
    @Test(arguments: [0, 1, 120, 121, 122, 200, 16_370, 16_371, 16_400, 70_000])
    func nestedLengthsAreBackPatched(_ count: Int) throws {
        let text = String(repeating: "x", count: count)
        let wire = try toProto("{\"child\": {\"child\": {\"scalarString\": \"\(text)\"}}, \"scalarInt32\": 5}")
        var inner = WireWriter()
        if count > 0 {
            inner.writeTag(fieldNumber: 14, wireType: .lengthDelimited)
            inner.writeString(text)
        }
        var middle = WireWriter()
        middle.writeTag(fieldNumber: 130, wireType: .lengthDelimited)
        middle.writeLengthDelimited(inner.bytes)
        var outer = WireWriter()
        outer.writeTag(fieldNumber: 130, wireType: .lengthDelimited)
        outer.writeLengthDelimited(middle.bytes)
        outer.writeTag(fieldNumber: 3, wireType: .varint)
        outer.writeVarint(UInt64(5))
        #expect(wire == outer.bytes)
    }

    struct MapRow: Sendable, CustomTestStringConvertible {
        let name: String
        /// Entries of map_int32_enum (82) as (key varint, value).
        let entries: [(UInt64, UInt64)]
        let want: String
        var testDescription: String { name }
    }

    static let maps: [MapRow] = [
        MapRow(name: "distinct", entries: [(1, 1), (2, 2)], want: #"{"mapInt32Enum":{"1":"NESTED_ENUM_FOO","2":"NESTED_ENUM_BAR"}}"#),
        MapRow(name: "last wins", entries: [(1, 1), (2, 2), (1, 2)], want: #"{"mapInt32Enum":{"2":"NESTED_ENUM_BAR","1":"NESTED_ENUM_BAR"}}"#),
        MapRow(
            name: "int32 keeps the low 32 bits", entries: [(1, 1), ((1 << 32) | 1, 2)],
            want: #"{"mapInt32Enum":{"1":"NESTED_ENUM_BAR"}}"#),
        MapRow(
            name: "negative keys", entries: [(UInt64(bitPattern: -1), 1), (0xFFFF_FFFF, 2)],
            want: #"{"mapInt32Enum":{"-1":"NESTED_ENUM_BAR"}}"#),
        MapRow(
            name: "17 entries take the exact path",
            entries: (0..<17).map { (UInt64($0 % 9), UInt64($0 % 2 + 1)) },
            want: #"{"mapInt32Enum":{"# + (0..<9).map { key in
                let value = (key + 9 < 17 ? key + 9 : key) % 2 + 1
                return "\"\(key)\":\"NESTED_ENUM_\(value == 1 ? "FOO" : "BAR")\""
            }.joined(separator: ",") + "}}"),
    ]

    @Test(arguments: maps)
    func mapsPrintTheLastEntryPerKey(_ row: MapRow) throws {
        var writer = WireWriter()
        for (key, value) in row.entries {
            var entry = WireWriter()
            entry.writeTag(fieldNumber: 1, wireType: .varint)
            entry.writeVarint(key)
            entry.writeTag(fieldNumber: 2, wireType: .varint)
            entry.writeVarint(value)
            writer.writeTag(fieldNumber: 82, wireType: .lengthDelimited)
            writer.writeLengthDelimited(entry.bytes)
        }
        let printed = try toJSON(writer.bytes)
        // The exact path prints survivors in wire order, the one-pass path in wire order too.
        #expect(try JSONMeaning.equal(Array(printed.utf8), Array(row.want.utf8)), "\(printed)")
    }

    /// The generated table of powers of five is what its script writes.
    @Test func powersOfFiveTableHasNotDrifted() throws {
        try JSONTestSupport.expectGeneratedFileMatches(
            script: "scripts/gen-powers-of-five.py", checkedIn: "Sources/Transcoder/JSON/Scalars/PowersOfFive.swift")
    }

    @Test func namesSharingBothEndsAreToldApart() {
        var table = ByteNameTable(capacity: 8)
        let names = ["abcdefgh_1_ijklmnop", "abcdefgh_2_ijklmnop", "abcdefghijklmnop", "abcdefgh", "abc", ""]
        for (index, name) in names.enumerated() { table.insert(name, value: index) }
        for (index, name) in names.enumerated() {
            let found = Array(name.utf8).withUnsafeBytes { table.lookup($0) }
            #expect(found == index, "\(name)")
        }
        #expect(Array("abcdefgh_3_ijklmnop".utf8).withUnsafeBytes { table.lookup($0) } == nil)
    }
}
