import Testing

@testable import ProtoWire

/// Hostile input: each malformed encoding is a typed error at an exact offset, never a trap.
@Suite("Malformed wire input")
struct WireMalformedInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let hex: String
        let code: WireDecodingError.Code
        let offset: Int
        var testDescription: String { name }
    }

    /// Decodes every field generically, descending into length-delimited values that parse as
    /// messages is not attempted; groups are skipped.
    static func skipAll(_ bytes: [UInt8]) throws(WireDecodingError) {
        try WireReader.withReader(over: bytes) { (reader: inout WireReader) throws(WireDecodingError) in
            while let tag = try reader.readTag() {
                try reader.skipField(tag)
            }
        }
    }

    static let cases: [Case] = [
        Case(name: "truncated varint value", hex: "08 96", code: .truncatedVarint, offset: 1),
        Case(name: "truncated tag", hex: "80", code: .truncatedVarint, offset: 0),
        Case(name: "varint of 11 bytes", hex: "08 ff ff ff ff ff ff ff ff ff ff 01", code: .varintTooLong, offset: 1),
        Case(name: "tag varint of 11 bytes", hex: "88 80 80 80 80 80 80 80 80 80 00", code: .varintTooLong, offset: 0),
        Case(name: "length past the end", hex: "12 05 61 62", code: .lengthOutOfBounds, offset: 1),
        Case(name: "huge length", hex: "12 ff ff ff ff ff ff ff ff 7f", code: .lengthOutOfBounds, offset: 1),
        Case(name: "wire type 6", hex: "0e 00", code: .invalidWireType, offset: 0),
        Case(name: "wire type 7", hex: "08 01 0f", code: .invalidWireType, offset: 2),
        Case(name: "field number 0", hex: "00 01", code: .invalidFieldNumber, offset: 0),
        Case(name: "field number 2^29", hex: "80 80 80 80 10", code: .invalidFieldNumber, offset: 0),
        Case(name: "tag above 32 bits", hex: "80 80 80 80 80 01", code: .invalidFieldNumber, offset: 0),
        Case(name: "truncated fixed32", hex: "0d 01 02 03", code: .truncatedFixed, offset: 1),
        Case(name: "truncated fixed64", hex: "09 01 02 03 04 05 06 07", code: .truncatedFixed, offset: 1),
        Case(name: "end-group does not match", hex: "0b 08 01 14", code: .mismatchedEndGroup, offset: 3),
        Case(name: "end-group with no group", hex: "08 01 0c", code: .unexpectedEndGroup, offset: 2),
        Case(name: "group never ends", hex: "0b 08 01", code: .unterminatedGroup, offset: 3),
    ]

    @Test(arguments: cases)
    func rejects(_ row: Case) {
        #expect(throws: WireDecodingError(row.code, at: row.offset)) {
            try Self.skipAll([UInt8](hex: row.hex))
        }
    }

    @Test func groupsNestedDeeperThan100AreRejected() {
        let depth = 101
        let bytes = Array(repeating: UInt8(0x0b), count: depth) + Array(repeating: UInt8(0x0c), count: depth)
        #expect(throws: WireDecodingError(.nestingTooDeep, at: 100)) {
            try Self.skipAll(bytes)
        }
        // Exactly 100 levels are fine.
        #expect(throws: Never.self) {
            try Self.skipAll(Array(repeating: 0x0b, count: 100) + Array(repeating: 0x0c, count: 100))
        }
    }

    /// Builds `levels` messages nested in field 1.
    static func nestedMessages(_ levels: Int) -> [UInt8] {
        var writer = WireWriter()
        var marks: [WireWriter.LengthMark] = []
        for _ in 0..<levels {
            writer.writeTag(fieldNumber: 1, wireType: .lengthDelimited)
            marks.append(writer.beginLengthDelimited())
        }
        for mark in marks.reversed() { writer.endLengthDelimited(mark) }
        return writer.bytes
    }

    static func descend(_ reader: inout WireReader) throws(WireDecodingError) -> Int {
        guard try reader.readTag() != nil else { return reader.depth }
        var child = try reader.enterMessage()
        return try descend(&child)
    }

    @Test func messagesNestedDeeperThan100AreRejected() throws {
        let ok = try WireReader.withReader(over: Self.nestedMessages(100)) { try Self.descend(&$0) }
        #expect(ok == 100)
        let tooDeep = Self.nestedMessages(101)
        let error = #expect(throws: WireDecodingError.self) {
            _ = try WireReader.withReader(over: tooDeep) { try Self.descend(&$0) }
        }
        // The innermost message is the last two bytes: its tag, then its (zero) length prefix.
        #expect(error == WireDecodingError(.nestingTooDeep, at: tooDeep.count - 1))
    }

    @Test func invalidUTF8StringIsRejected() {
        #expect(throws: WireDecodingError(.invalidUTF8, at: 2)) {
            try WireReader.withReader(over: [UInt8](hex: "0a 02 c3 28")) { reader in
                _ = try reader.readTag()
                _ = try reader.readString()
            }
        }
    }

    @Test func packedFixedWithRaggedLengthIsRejected() {
        #expect(throws: WireDecodingError(.invalidPackedLength, at: 1)) {
            try WireReader.withReader(over: [UInt8](hex: "0a 03 01 02 03")) { reader in
                _ = try reader.readTag()
                try reader.readPackedFixed32 { _ in }
            }
        }
    }

    @Test func packedVarintRunningPastItsLengthIsRejected() {
        // The packed payload is 2 bytes but its last varint continues past them.
        #expect(throws: WireDecodingError(.truncatedVarint, at: 3)) {
            try WireReader.withReader(over: [UInt8](hex: "0a 02 01 80 01")) { reader in
                _ = try reader.readTag()
                try reader.readPackedVarints { _ in }
            }
        }
    }

    /// Every prefix of a valid message either decodes or throws; none traps or over-reads.
    @Test func everyTruncationFailsCleanly() throws {
        let valid = [UInt8](hex: "08 96 01 12 07 74 65 73 74 69 6e 67 1d 01 00 00 00 2b 08 01 2c 21 02 00 00 00 00 00 00 00")
        try Self.skipAll(valid)
        for count in 0..<valid.count {
            let prefix = Array(valid[0..<count])
            do {
                try Self.skipAll(prefix)
            } catch {
                #expect(error.offset <= count)
            }
        }
    }
}
