import ProtoWire
import Testing

/// Focused parse rules of ``DynamicMessage``, with hand-made bytes (tags spelled out in
/// comments). The protoc round-trip suite covers whole fixtures.
@Suite("DynamicMessage")
struct DynamicMessageTests {
    static let pool: DescriptorPool? = try? RepoPaths.pool("kitchen_sink.pb")

    /// One table row: bytes of `type` (a name under `example.kitchen_sink.v1.`) and what
    /// re-encoding them gives.
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let type: String
        let input: String
        /// The fields that decoding keeps (number and values); unknown fields are checked apart.
        let fields: [DynamicMessage.Field]
        let unknown: String
        let reencoded: String
        var testDescription: String { name }

        init(
            _ name: String, _ type: String = "KitchenSink", input: String, fields: [DynamicMessage.Field] = [],
            unknown: String = "", reencoded: String
        ) {
            self.name = name
            self.type = type
            self.input = input
            self.fields = fields
            self.unknown = unknown
            self.reencoded = reencoded
        }
    }

    static func field(_ number: Int32, _ values: DynamicValue...) -> DynamicMessage.Field {
        DynamicMessage.Field(number: number, values: values)
    }

    func decode(_ hex: String, as type: String) throws -> DynamicMessage {
        try decode(bytes: [UInt8](hex: hex), as: type)
    }

    func decode(bytes: [UInt8], as type: String) throws -> DynamicMessage {
        let pool = try #require(Self.pool)
        let index = try #require(pool.messageIndex(named: "example.kitchen_sink.v1.\(type)"))
        return try DynamicMessage(decoding: bytes, messageIndex: index, pool: pool)
    }

    func check(_ row: Row) throws {
        let message = try decode(row.input, as: row.type)
        #expect(message.fields == row.fields)
        #expect(message.unknownFields.bytes.hex == [UInt8](hex: row.unknown).hex)
        #expect(message.encoded().hex == [UInt8](hex: row.reencoded).hex)
        #expect(message.serializedSize == [UInt8](hex: row.reencoded).count)
    }

    // MARK: Tables

    @Test(
        "a field with the wrong wire type is kept as unknown",
        arguments: [
            // scalar_int32 (3) as fixed32: tag 1D.
            Row("int32 as fixed32", input: "1D 01 00 00 00", unknown: "1D 01 00 00 00", reencoded: "1D 01 00 00 00"),
            // scalar_int32 (3) as length-delimited: tag 1A.
            Row("int32 as bytes", input: "1A 01 00", unknown: "1A 01 00", reencoded: "1A 01 00"),
            // scalar_string (14) as varint: tag 70.
            Row("string as varint", input: "70 05", unknown: "70 05", reencoded: "70 05"),
            // nested_message (40) as varint: tag C0 02.
            Row("message as varint", input: "C0 02 01", unknown: "C0 02 01", reencoded: "C0 02 01"),
            // repeated_string (29) as fixed32 (strings are not packable): tag ED 01.
            Row(
                "string as fixed32", input: "ED 01 61 62 63 64", unknown: "ED 01 61 62 63 64",
                reencoded: "ED 01 61 62 63 64"),
            // scalar_int32 (3) as a group: tags 1B / 1C, skipped whole.
            Row(
                "int32 as group", input: "1B 08 01 1C 18 07", fields: [field(3, .int32(7))],
                unknown: "1B 08 01 1C", reencoded: "18 07 1B 08 01 1C"),
            // LegacyGroup (15) as length-delimited: tag 7A.
            Row("group as bytes", "LegacyMessage", input: "7A 00", unknown: "7A 00", reencoded: "7A 00"),
        ])
    func wrongWireType(_ row: Row) throws { try check(row) }

    @Test(
        "packable fields accept packed and unpacked forms",
        arguments: [
            // repeated_int32 (18, packed): packed tag 92 01, unpacked tag 90 01; written packed.
            Row(
                "packed", input: "92 01 02 01 02", fields: [field(18, .int32(1), .int32(2))],
                reencoded: "92 01 02 01 02"),
            Row(
                "unpacked", input: "90 01 01 90 01 02", fields: [field(18, .int32(1), .int32(2))],
                reencoded: "92 01 02 01 02"),
            Row(
                "mixed", input: "90 01 01 92 01 02 02 03 90 01 04",
                fields: [field(18, .int32(1), .int32(2), .int32(3), .int32(4))], reencoded: "92 01 04 01 02 03 04"),
            // unpacked_int32 (31, packed = false) sent packed (tag FA 01); written unpacked (F8 01).
            Row(
                "packed into unpacked", input: "FA 01 02 05 06", fields: [field(31, .int32(5), .int32(6))],
                reencoded: "F8 01 05 F8 01 06"),
            // repeated_fixed32 (24): packed tag C2 01, element tag C5 01.
            Row(
                "fixed32 both ways", input: "C5 01 01 00 00 00 C2 01 04 02 00 00 00",
                fields: [field(24, .uint32(1), .uint32(2))], reencoded: "C2 01 08 01 00 00 00 02 00 00 00"),
            // repeated_sint64 (23): zigzag inside the packed run.
            Row(
                "sint64 packed", input: "BA 01 03 01 02 03", fields: [field(23, .int64(-1), .int64(1), .int64(-2))],
                reencoded: "BA 01 03 01 02 03"),
            // An empty packed run adds nothing.
            Row("empty packed run", input: "92 01 00", reencoded: ""),
        ])
    func packedAndUnpacked(_ row: Row) throws { try check(row) }

    @Test(
        "the last value of a singular field wins",
        arguments: [
            // scalar_int32 (3): tag 18.
            Row("int32", input: "18 01 18 02", fields: [field(3, .int32(2))], reencoded: "18 02"),
            // scalar_string (14): tag 72.
            Row("string", input: "72 01 61 72 01 62", fields: [field(14, .string("b"))], reencoded: "72 01 62"),
            // proto3 implicit presence: a later zero clears the field.
            Row("zero clears", input: "18 05 18 00", reencoded: ""),
            // opt_int32 (60, proto3 optional): a zero is kept. Tag E0 03.
            Row(
                "optional zero kept", input: "E0 03 05 E0 03 00", fields: [field(60, .int32(0))], reencoded: "E0 03 00"),
            // choice_string (50, tag 92 03) then choice_int64 (51, tag 98 03): one oneof member remains.
            Row("oneof", input: "92 03 01 61 98 03 00", fields: [field(51, .int64(0))], reencoded: "98 03 00"),
            // Out of order: fields are written in number order.
            Row(
                "order", input: "72 01 61 18 01", fields: [field(3, .int32(1)), field(14, .string("a"))],
                reencoded: "18 01 72 01 61"),
            // scalar_int32 5, scalar_int64 (4, tag 20) 1, scalar_int32 0: the late zero still clears.
            Row("late zero", input: "18 05 20 01 18 00", fields: [field(4, .int64(1))], reencoded: "20 01"),
            // choice_int64 then choice_string, out of number order: the later member wins.
            Row(
                "oneof out of order", input: "98 03 05 92 03 01 61", fields: [field(50, .string("a"))],
                reencoded: "92 03 01 61"),
            // Repeated fields interleaved with others keep their own order: unpacked_int32 (31,
            // tag F8 01) and repeated_int32 (18, tag 90 01).
            Row(
                "interleaved", input: "F8 01 01 90 01 02 F8 01 03 90 01 04 18 09",
                fields: [field(3, .int32(9)), field(18, .int32(2), .int32(4)), field(31, .int32(1), .int32(3))],
                reencoded: "18 09 92 01 02 02 04 F8 01 01 F8 01 03"),
        ])
    func lastOneWins(_ row: Row) throws { try check(row) }

    @Test("a singular message seen twice is merged")
    func messageMerge() throws {
        // nested_message (40, tag C2 02): {a: 1, values: [1]} then {b: "x", values: [2]}.
        let message = try decode("C2 02 05 08 01 1A 01 01  C2 02 06 12 01 78 1A 01 02", as: "KitchenSink")
        let nested = try #require(message.value(forField: 40)?.messageValue)
        #expect(
            nested.fields == [
                Self.field(1, .int32(1)), Self.field(2, .string("x")), Self.field(3, .int32(1), .int32(2)),
            ])
        #expect(message.encoded().hex == [UInt8](hex: "C2 02 09 08 01 12 01 78 1A 02 01 02").hex)
    }

    @Test("a singular message is merged across other fields and nesting levels")
    func messageMergeOutOfOrder() throws {
        // nested_message {a: 1, inner {a: 2}}, scalar_int32 1, nested_message {inner {b: "x"}, a: 3}.
        let message = try decode(
            "C2 02 06 08 01 22 02 08 02  18 01  C2 02 07 22 03 12 01 78 08 03", as: "KitchenSink")
        let nested = try #require(message.value(forField: 40)?.messageValue)
        #expect(nested.value(forField: 1) == .int32(3))
        let inner = try #require(nested.value(forField: 4)?.messageValue)
        #expect(inner.fields == [Self.field(1, .int32(2)), Self.field(2, .string("x"))])
        #expect(message.encoded().hex == [UInt8](hex: "18 01 C2 02 09 08 03 22 05 08 02 12 01 78").hex)
    }

    @Test("hostile field order decodes in n log n, not by an insertion per field")
    func interleavedFieldsScale() throws {
        // 50,000 alternations of unpacked_int32 (31) and repeated_int32 (18): every 18 arrives
        // below the highest number so far.
        let pairs = 50_000
        var input: [UInt8] = []
        input.reserveCapacity(pairs * 6)
        for _ in 0..<pairs { input += [0xF8, 0x01, 0x01, 0x90, 0x01, 0x02] }
        let message = try decode(bytes: input, as: "KitchenSink")
        #expect(message.values(forField: 18).count == pairs)
        #expect(message.values(forField: 31).count == pairs)
        // Field 18 packed (tag, 3-byte length, one byte each), then field 31 unpacked.
        #expect(message.encoded().count == 2 + 3 + pairs + 3 * pairs)
    }

    @Test("a singular group seen twice is merged")
    func groupMerge() throws {
        // LegacyGroup (15, tags 7B / 7C): {group_int32: 5} then {group_string: "a"}.
        let message = try decode("7B 80 01 05 7C 7B 8A 01 01 61 7C", as: "LegacyMessage")
        let group = try #require(message.value(forField: 15))
        guard case .group(let contents) = group else {
            Issue.record("expected a group, got \(group)")
            return
        }
        #expect(contents.fields == [Self.field(16, .int32(5)), Self.field(17, .string("a"))])
        #expect(message.encoded().hex == [UInt8](hex: "7B 80 01 05 8A 01 01 61 7C").hex)
    }

    @Test(
        "closed enums keep unlisted numbers as unknown fields",
        arguments: [
            // closed_enum (21, tag A8 01): 9 is not a LegacyEnum.
            Row("singular", "LegacyMessage", input: "A8 01 09", unknown: "A8 01 09", reencoded: "A8 01 09"),
            Row("listed", "LegacyMessage", input: "A8 01 02", fields: [field(21, .enum(2))], reencoded: "A8 01 02"),
            // repeated_closed_enum (22) sent packed (tag B2 01): unknowns become varint fields (B0 01).
            Row(
                "packed", "LegacyMessage", input: "B2 01 03 01 09 02", fields: [field(22, .enum(1), .enum(2))],
                unknown: "B0 01 09", reencoded: "B0 01 01 B0 01 02 B0 01 09"),
            // A negative unlisted number is a ten-byte varint.
            Row(
                "negative", "LegacyMessage", input: "A8 01 FD FF FF FF FF FF FF FF FF 01",
                unknown: "A8 01 FD FF FF FF FF FF FF FF FF 01", reencoded: "A8 01 FD FF FF FF FF FF FF FF FF 01"),
            // proto3 enums are open: nested_enum (42, tag D0 02) keeps 9.
            Row("open enum", input: "D0 02 09", fields: [field(42, .enum(9))], reencoded: "D0 02 09"),
        ])
    func closedEnums(_ row: Row) throws { try check(row) }

    @Test(
        "unknown fields are re-emitted byte for byte after the known ones",
        arguments: [
            // Field 1000: tags C0 3E (varint), C1 3E (fixed64), C2 3E (bytes), C3 3E / C4 3E (group),
            // C5 3E (fixed32). The varint is non-canonical (1 in three bytes) and survives as is.
            Row(
                "every wire type",
                input: "C0 3E 81 80 00  18 07  C1 3E 01 02 03 04 05 06 07 08  C2 3E 01 FF"
                    + "  C3 3E 08 01 C4 3E  C5 3E 0A 0B 0C 0D", fields: [field(3, .int32(7))],
                unknown: "C0 3E 81 80 00 C1 3E 01 02 03 04 05 06 07 08 C2 3E 01 FF C3 3E 08 01 C4 3E C5 3E 0A 0B 0C 0D",
                reencoded: "18 07 C0 3E 81 80 00 C1 3E 01 02 03 04 05 06 07 08 C2 3E 01 FF C3 3E 08 01 C4 3E"
                    + " C5 3E 0A 0B 0C 0D"),
            // Unknown fields inside a nested message stay inside it.
            Row(
                "nested", input: "C2 02 03 C0 3E 01 18 01",
                fields: [field(3, .int32(1)), field(40, .message(nestedWithUnknown))],
                reencoded: "18 01 C2 02 03 C0 3E 01"),
            // Extension 150 of LegacyMessage is in its extension range but not defined.
            Row(
                "undefined extension", "LegacyMessage", input: "B0 09 01 08 01", fields: [field(1, .int32(1))],
                unknown: "B0 09 01", reencoded: "08 01 B0 09 01"),
        ])
    func unknownFields(_ row: Row) throws { try check(row) }

    /// A `KitchenSink.Nested` with only an unknown field 1000 = 1.
    static var nestedWithUnknown: DynamicMessage {
        let pool = Self.pool!
        return try! DynamicMessage(
            decoding: [UInt8](hex: "C0 3E 01"),
            messageIndex: pool.messageIndex(named: "example.kitchen_sink.v1.KitchenSink.Nested")!,
            pool: pool)
    }

    // MARK: Strings

    @Test(
        "proto3 strings must be valid UTF-8",
        arguments: [
            // scalar_string (14): the payload starts at byte 2.
            ("top level", "72 02 C3 28", 2),
            // nested_message (40) { b (2): ... }: the payload starts at byte 5.
            ("nested", "C2 02 04 12 02 FF FE", 5),
            // map_string_string (80, tag 82 05) entry with an invalid key.
            ("map key", "82 05 03 0A 01 FF", 5),
            // A surrogate encoded in UTF-8 (ED A0 80) is not valid UTF-8.
            ("surrogate", "18 01 72 03 ED A0 80", 4),
            // An overlong encoding of "/" (C0 AF).
            ("overlong", "72 02 C0 AF", 2),
            // Overlong three-byte form (E0 80 80), above U+10FFFF (F4 90 80 80), lead byte F5.
            ("overlong three bytes", "72 03 E0 80 80", 2),
            ("above U+10FFFF", "72 04 F4 90 80 80", 2),
            ("lead F5", "72 04 F5 80 80 80", 2),
            // A lone continuation byte, after eight ASCII bytes (past the fast path's first word).
            ("lone continuation", "72 0A 61 61 61 61 61 61 61 61 61 80", 2),
            // A four-byte sequence cut short by the end of the payload.
            ("truncated", "72 04 61 F0 9F 98 18 01", 2),
        ])
    func invalidUTF8(name: String, hex: String, offset: Int) throws {
        let error = try #require(throws: WireDecodingError.self) { try decode(hex, as: "KitchenSink") }
        #expect(error == WireDecodingError(.invalidUTF8, at: offset), "\(name)")
    }

    @Test(
        "valid UTF-8 of every length is accepted",
        arguments: [
            "", "a", "0123456789abcdef", "caf\u{E9}", "\u{20AC}", "\u{FFFF}", "\u{1F600}", "\u{10FFFF}",
            "\u{D7FF}\u{E000}", "ascii then \u{E9} then ascii again",
        ])
    func validUTF8(_ string: String) throws {
        // scalar_string (14, tag 72).
        let input = [0x72, UInt8(string.utf8.count)] + Array(string.utf8)
        let message = try decode(bytes: input, as: "KitchenSink")
        #expect(message.value(forField: 14) == (string.isEmpty ? nil : .string(string)))
    }

    @Test("proto2 strings are not checked and re-encode unchanged")
    func proto2StringsUnchecked() throws {
        // str_default (2, tag 12) holding C3 28.
        let message = try decode("12 02 C3 28", as: "LegacyMessage")
        #expect(message.fields == [Self.field(2, .bytes([0xC3, 0x28]))])
        #expect(message.encoded().hex == [UInt8](hex: "12 02 C3 28").hex)
    }

    @Test("a packed fixed-width run must hold whole elements")
    func invalidPackedLength() throws {
        // repeated_fixed32 (24, tag C2 01) with three bytes: the error points at the length.
        let error = try #require(throws: WireDecodingError.self) { try decode("C2 01 03 00 00 00", as: "KitchenSink") }
        #expect(error == WireDecodingError(.invalidPackedLength, at: 2))
    }

    @Test("map entries are written with both key and value, as protoc writes them")
    func mapEntryDefaults() throws {
        // map_string_string (80, tag 82 05) entry with only a value; map_string_message (81, tag
        // 8A 05) entry with only a key.
        let message = try decode("82 05 03 12 01 78  8A 05 03 0A 01 6B", as: "KitchenSink")
        #expect(message.encoded().hex == [UInt8](hex: "82 05 05 0A 00 12 01 78  8A 05 05 0A 01 6B 12 00").hex)
    }
}

extension DynamicMessageTests {
    /// Setting another oneof member clears a message member, so later arrivals of the message do
    /// not merge with earlier ones (found by review; `protoc --decode` of these bytes prints only
    /// `choice_message { b: "y" }`).
    @Test func oneofMessageMemberDoesNotMergeAcrossAnotherMember() throws {
        // choice_message(52) {a: 1}, choice_string(50) "x", choice_message(52) {b: "y"}
        let message = try decode("a2 03 02 08 01  92 03 01 78  a2 03 03 12 01 79", as: "KitchenSink")
        #expect(message.encoded().hex == [UInt8](hex: "a2 03 03 12 01 79").hex)
    }

    /// Without an interleaved member, a message member's arrivals still merge.
    @Test func oneofMessageMemberArrivalsMerge() throws {
        let message = try decode("a2 03 02 08 01  a2 03 03 12 01 79", as: "KitchenSink")
        #expect(message.encoded().hex == [UInt8](hex: "a2 03 05 08 01 12 01 79").hex)
    }
}
