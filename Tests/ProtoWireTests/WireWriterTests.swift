import Testing

@testable import ProtoWire

@Suite("WireWriter")
struct WireWriterTests {
    @Test(arguments: [0, 1, 127, 128, 300, 16_383, 16_384, 70_000, 2_100_000])
    func backPatchedLengthMatchesExactSize(_ payloadCount: Int) throws {
        var writer = WireWriter()
        writer.writeTag(fieldNumber: 1, wireType: .lengthDelimited)
        let mark = writer.beginLengthDelimited()
        let payload = (0..<payloadCount).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        writer.writeRaw(payload)
        writer.endLengthDelimited(mark)
        writer.writeTag(fieldNumber: 2, wireType: .varint)
        writer.writeVarint(UInt64(9))

        #expect(writer.count == WireSize.tag(fieldNumber: 1) + WireSize.lengthDelimited(payloadCount) + 2)
        let (tag1, decoded, tag2, value) = try WireReader.withReader(over: writer.bytes) { reader in
            (try reader.readTag(), Array(try reader.readBytes()), try reader.readTag(), try reader.readVarint())
        }
        #expect(tag1 == FieldTag(fieldNumber: 1, wireType: .lengthDelimited))
        #expect(decoded == payload)
        #expect(tag2 == FieldTag(fieldNumber: 2, wireType: .varint))
        #expect(value == 9)
    }

    @Test func nestedBackPatchesCompose() {
        // Three levels, the innermost large enough to need a 2-byte length.
        var writer = WireWriter()
        let outer = writer.beginLengthDelimited()
        writer.writeTag(fieldNumber: 2, wireType: .lengthDelimited)
        let middle = writer.beginLengthDelimited()
        writer.writeTag(fieldNumber: 3, wireType: .lengthDelimited)
        writer.writeLengthDelimited([UInt8](repeating: 0xAB, count: 200))
        writer.endLengthDelimited(middle)
        writer.endLengthDelimited(outer)
        // 200 payload + 2 length + 1 tag = 203 in middle; + 2 length + 1 tag = 206 in outer.
        #expect(Array(writer.bytes.prefix(6)) == [UInt8](hex: "ce 01 12 cb 01 1a"))
        #expect(writer.count == 2 + 206)
    }

    @Test func groupIsWrittenWithMatchingTags() {
        var writer = WireWriter()
        writer.writeGroup(fieldNumber: 5) { $0.writeTag(fieldNumber: 1, wireType: .varint); $0.writeVarint(UInt64(1)) }
        #expect(writer.bytes == [UInt8](hex: "2b 08 01 2c"))
    }

    @Test func stringIsUTF8LengthDelimited() {
        var writer = WireWriter()
        writer.writeString("héllo")
        #expect(writer.bytes == [UInt8](hex: "06 68 c3 a9 6c 6c 6f"))
    }
}
