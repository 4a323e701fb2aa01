import ProtoWire

/// The per-message tables of the codec, frozen at start-up: field lookup by JSON key bytes
/// (both the JSON name and the proto name, like swift-protobuf's `NameMap`), by field number,
/// and the pre-quoted keys the printer writes.
final class MessageTable: Sendable {
    let index: Int
    let fullName: String
    let wellKnownType: WellKnownType?
    let isMapEntry: Bool
    /// Fields in field-number order; a field's position here is its rank.
    let fields: [FieldInfo]
    /// Names per rank, for errors and output.
    let jsonNames: [String]
    let protoNames: [String]
    /// `"jsonName":` and `"proto_name":` per rank, ready to append.
    let quotedJSONKeys: [[UInt8]]
    let quotedProtoKeys: [[UInt8]]
    /// Key bytes (either name) → rank.
    let names: ByteNameTable
    /// Rank by field number for numbers below `denseLimit`; -1 where there is none.
    let denseRanks: [Int32]
    /// Field numbers in rank order, for binary search above `denseLimit`.
    let numbers: [UInt32]
    let realOneofCount: Int
    let oneofNames: [String]

    static let denseLimit: UInt32 = 512

    init(_ message: MessageDescriptor, pool: DescriptorPool) {
        index = message.index
        fullName = message.fullName
        wellKnownType = message.wellKnownType
        isMapEntry = message.isMapEntry
        let ordered = message.fieldIndicesByNumber.map { message.fields[$0] }
        fields = ordered.map { FieldInfo($0, in: message, pool: pool) }
        jsonNames = ordered.map(\.jsonName)
        protoNames = ordered.map(\.name)
        quotedJSONKeys = ordered.map { Self.quotedKey($0.jsonName) }
        quotedProtoKeys = ordered.map { Self.quotedKey($0.name) }
        var names = ByteNameTable(capacity: ordered.count * 2)
        for (rank, field) in ordered.enumerated() {
            names.insert(field.jsonName, value: rank)
        }
        for (rank, field) in ordered.enumerated() {
            names.insert(field.name, value: rank)
        }
        self.names = names
        var dense = [Int32](repeating: -1, count: Int(Self.denseLimit))
        for (rank, field) in ordered.enumerated() where field.number < Int32(Self.denseLimit) {
            dense[Int(field.number)] = Int32(rank)
        }
        denseRanks = dense
        numbers = ordered.map { UInt32($0.number) }
        realOneofCount = message.oneofs.count
        oneofNames = message.oneofs.map(\.name)
    }

    private static func quotedKey(_ name: String) -> [UInt8] {
        var bytes: [UInt8] = []
        JSONOutput.appendString(name, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        return bytes
    }

    /// The rank of the field with `number`, or nil.
    @inline(__always)
    func rank(ofNumber number: UInt32) -> Int? {
        if number < Self.denseLimit {
            let rank = denseRanks[Int(number)]
            return rank < 0 ? nil : Int(rank)
        }
        var low = 0
        var high = numbers.count
        while low < high {
            let middle = (low + high) / 2
            if numbers[middle] < number { low = middle + 1 } else { high = middle }
        }
        return low < numbers.count && numbers[low] == number ? low : nil
    }
}

/// The per-enum tables: value lookup by name bytes and the quoted name of each number.
final class EnumTable: Sendable {
    let fullName: String
    let isClosed: Bool
    let names: ByteNameTable
    /// `"NAME"` for the first value with each number.
    let quotedNameByNumber: [Int32: [UInt8]]

    init(_ enumType: EnumDescriptor) {
        fullName = enumType.fullName
        isClosed = enumType.isClosed
        var names = ByteNameTable(capacity: enumType.values.count)
        var quoted: [Int32: [UInt8]] = [:]
        for value in enumType.values {
            names.insert(value.name, value: Int(value.number))
            if quoted[value.number] == nil {
                var bytes: [UInt8] = []
                JSONOutput.appendString(value.name, into: &bytes)
                quoted[value.number] = bytes
            }
        }
        self.names = names
        quotedNameByNumber = quoted
    }

    func contains(_ number: Int32) -> Bool { quotedNameByNumber[number] != nil }
}
