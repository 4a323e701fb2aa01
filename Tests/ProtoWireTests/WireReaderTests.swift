import Testing

@testable import ProtoWire

@Suite("WireReader")
struct WireReaderTests {
    struct VarintCase: CustomTestStringConvertible, Sendable {
        let hex: String
        let value: UInt64
        var testDescription: String { hex }
    }

    @Test(arguments: [
        VarintCase(hex: "00", value: 0),
        VarintCase(hex: "01", value: 1),
        VarintCase(hex: "7f", value: 127),
        VarintCase(hex: "80 01", value: 128),
        VarintCase(hex: "96 01", value: 150),
        VarintCase(hex: "ff ff ff ff 0f", value: 0xFFFF_FFFF),
        VarintCase(hex: "ff ff ff ff ff ff ff ff 7f", value: 0x7FFF_FFFF_FFFF_FFFF),
        VarintCase(hex: "ff ff ff ff ff ff ff ff ff 01", value: .max),
        // A non-minimal encoding is still a valid varint.
        VarintCase(hex: "80 80 80 00", value: 0),
    ])
    func decodesVarint(_ row: VarintCase) throws {
        let bytes = [UInt8](hex: row.hex)
        let (value, offset) = try WireReader.withReader(over: bytes) { reader in
            (try reader.readVarint(), reader.offset)
        }
        #expect(value == row.value)
        #expect(offset == bytes.count)
    }

    @Test(arguments: [UInt64(0), 1, 127, 128, 300, 16_383, 16_384, 1 << 35, UInt64(Int64.max), .max])
    func varintRoundTripsWithExactSize(_ value: UInt64) throws {
        var writer = WireWriter()
        writer.writeVarint(value)
        #expect(writer.count == WireSize.varint(value))
        let decoded = try WireReader.withReader(over: writer.bytes) { try $0.readVarint() }
        #expect(decoded == value)
    }

    @Test func negativeInt32IsTenBytes() throws {
        var writer = WireWriter()
        writer.writeVarint(Int32(-1))
        #expect(writer.bytes == [UInt8](hex: "ff ff ff ff ff ff ff ff ff 01"))
        #expect(WireSize.varint(Int32(-1)) == 10)
    }

    @Test(arguments: [
        (Int64(0), UInt64(0)), (-1, 1), (1, 2), (-2, 3), (2_147_483_647, 4_294_967_294),
        (-2_147_483_648, 4_294_967_295), (.max, .max - 1), (.min, .max),
    ])
    func zigZag64(_ signed: Int64, _ unsigned: UInt64) {
        #expect(ZigZag.encode(signed) == unsigned)
        #expect(ZigZag.decode(unsigned) == signed)
    }

    @Test(arguments: [(Int32(0), UInt32(0)), (-1, 1), (1, 2), (.max, .max - 1), (.min, .max)])
    func zigZag32(_ signed: Int32, _ unsigned: UInt32) {
        #expect(ZigZag.encode(signed) == unsigned)
        #expect(ZigZag.decode(unsigned) == signed)
    }

    @Test func fixedWidthIsLittleEndian() throws {
        let bytes = [UInt8](hex: "78 56 34 12  f0 de bc 9a 78 56 34 12")
        let (a, b) = try WireReader.withReader(over: bytes) { reader in
            (try reader.readFixed32(), try reader.readFixed64())
        }
        #expect(a == 0x1234_5678)
        #expect(b == 0x1234_5678_9ABC_DEF0)
        var writer = WireWriter()
        writer.writeFixed32(a)
        writer.writeFixed64(b)
        #expect(writer.bytes == bytes)
    }

    @Test func readsTagsAndLengthDelimited() throws {
        // field 1 varint 150; field 2 "testing"; field 3 fixed32; field 4 fixed64.
        let bytes = [UInt8](hex: "08 96 01  12 07 74 65 73 74 69 6e 67  1d 01 00 00 00  21 02 00 00 00 00 00 00 00")
        let seen = try WireReader.withReader(over: bytes) { reader in
            var seen: [String] = []
            while let tag = try reader.readTag() {
                switch tag.wireType {
                case .varint: seen.append("\(tag.fieldNumber)=\(try reader.readVarint())")
                case .lengthDelimited: seen.append("\(tag.fieldNumber)=\(try reader.readString())")
                case .fixed32: seen.append("\(tag.fieldNumber)=\(try reader.readFixed32())")
                case .fixed64: seen.append("\(tag.fieldNumber)=\(try reader.readFixed64())")
                default: try reader.skipField(tag)
                }
            }
            return seen
        }
        #expect(seen == ["1=150", "2=testing", "3=1", "4=2"])
    }

    @Test func largestFieldNumberIsAccepted() throws {
        var writer = WireWriter()
        writer.writeTag(fieldNumber: FieldTag.maximumFieldNumber, wireType: .varint)
        writer.writeVarint(UInt64(7))
        let tag = try WireReader.withReader(over: writer.bytes) { try $0.readTag() }
        #expect(tag == FieldTag(fieldNumber: FieldTag.maximumFieldNumber, wireType: .varint))
    }

    @Test func packedFieldsDecode() throws {
        // packed varints [3, 270, 86942], packed fixed32 [1, 2].
        let bytes = [UInt8](hex: "22 06 03 8e 02 9e a7 05  2a 08 01 00 00 00 02 00 00 00")
        var varints: [UInt64] = []
        var fixed: [UInt32] = []
        try WireReader.withReader(over: bytes) { reader in
            _ = try reader.readTag()
            try reader.readPackedVarints { varints.append($0) }
            _ = try reader.readTag()
            try reader.readPackedFixed32 { fixed.append($0) }
        }
        #expect(varints == [3, 270, 86942])
        #expect(fixed == [1, 2])
    }

    @Test func skipFieldReturnsTheRawFieldForUnknowns() throws {
        // A group (field 5) holding a varint and a nested group, then field 6.
        let bytes = [UInt8](hex: "2b 08 01 33 10 02 34 2c  30 09")
        let (raw, next) = try WireReader.withReader(over: bytes) { reader in
            let tag = try reader.readTag()!
            var unknown = UnknownFields()
            unknown.append(reader.bytes(in: try reader.skipField(tag)))
            return (unknown.bytes, try reader.readTag())
        }
        #expect(raw == [UInt8](hex: "2b 08 01 33 10 02 34 2c"))
        #expect(next == FieldTag(fieldNumber: 6, wireType: .varint))
    }

    @Test func enterGroupReadsTheGroupBody() throws {
        let bytes = [UInt8](hex: "2b 08 01 2c 30 09")
        let (inner, end, after) = try WireReader.withReader(over: bytes) { reader in
            var group = try reader.enterGroup(try reader.readTag()!)
            _ = try group.readTag()
            let inner = try group.readVarint()
            return (inner, try group.readTag(), try reader.readTag()?.fieldNumber)
        }
        #expect(inner == 1)
        #expect(end == nil)
        #expect(after == 6)
    }
}
