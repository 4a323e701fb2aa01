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
    /// `"jsonName":` and `"proto_name":` of every rank back to back, ready to append; the key
    /// of rank r with proto names p ends at `keyEnds[2 * r + p]`.
    let keyBytes: [UInt8]
    let keyEnds: [Int32]
    /// Key bytes (either name) → rank.
    let names: ByteNameTable
    /// The JSON name of every rank back to back (raw UTF-8), and where each one is. The parser
    /// checks a key against the next field's name before it hashes the key: JSON printed by
    /// ProtoJSON printers has its keys in field-number order. A name that `names` maps to
    /// another rank (two fields with one JSON name) has a count of -1, so it never matches.
    let jsonNameBytes: [UInt8]
    let jsonNameSpans: [(start: Int32, count: Int32)]
    /// Rank by field number for numbers below `denseLimit`; -1 where there is none.
    let denseRanks: [Int32]
    /// Field numbers in rank order, for binary search above `denseLimit`.
    let numbers: [UInt32]
    let realOneofCount: Int
    let oneofNames: [String]
    /// Not `Value` or `ListValue`, so one level of nesting when printed (the parser's count).
    let countsAsLevel: Bool
    /// A well-known type with its own JSON form (all but `Empty`, which prints as `{}`).
    let hasSpecialForm: Bool

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
        var keyBytes: [UInt8] = []
        var keyEnds: [Int32] = []
        for field in ordered {
            keyBytes += Self.quotedKey(field.jsonName)
            keyEnds.append(Int32(keyBytes.count))
            keyBytes += Self.quotedKey(field.name)
            keyEnds.append(Int32(keyBytes.count))
        }
        // Padding, so that a key can be copied a word at a time (``appendKey(rank:protoName:comma:into:)``).
        keyBytes += repeatElement(0, count: 8)
        self.keyBytes = keyBytes
        self.keyEnds = keyEnds
        var names = ByteNameTable(capacity: ordered.count * 2)
        for (rank, field) in ordered.enumerated() {
            names.insert(field.jsonName, value: rank)
        }
        for (rank, field) in ordered.enumerated() {
            names.insert(field.name, value: rank)
        }
        self.names = names
        var jsonNameBytes: [UInt8] = []
        var jsonNameSpans: [(start: Int32, count: Int32)] = []
        for (rank, field) in ordered.enumerated() {
            var name = field.jsonName
            let unique = name.withUTF8 { names.lookup(UnsafeRawBufferPointer($0)) } == rank
            jsonNameSpans.append((Int32(jsonNameBytes.count), unique ? Int32(name.utf8.count) : -1))
            jsonNameBytes += name.utf8
        }
        self.jsonNameBytes = jsonNameBytes
        self.jsonNameSpans = jsonNameSpans
        var dense = [Int32](repeating: -1, count: Int(Self.denseLimit))
        for (rank, field) in ordered.enumerated() where field.number < Int32(Self.denseLimit) {
            dense[Int(field.number)] = Int32(rank)
        }
        denseRanks = dense
        numbers = ordered.map { UInt32($0.number) }
        realOneofCount = message.oneofs.count
        oneofNames = message.oneofs.map(\.name)
        countsAsLevel = message.wellKnownType != .value && message.wellKnownType != .listValue
        hasSpecialForm = message.wellKnownType != nil && message.wellKnownType != .empty
    }

    private static func quotedKey(_ name: String) -> [UInt8] {
        var bytes: [UInt8] = []
        JSONOutput.appendString(name, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        return bytes
    }

    /// Appends the pre-rendered `"name":` of the field at `rank`.
    @inline(__always)
    func appendKey<S: JSONSink>(rank: Int, protoName: Bool, into output: inout S) {
        let slot = 2 * rank + (protoName ? 1 : 0)
        let start = slot == 0 ? 0 : Int(keyEnds[slot - 1])
        let end = Int(keyEnds[slot])
        keyBytes.withUnsafeBytes { output.appendBytes(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Appends `,` when `comma`, then the pre-rendered `"name":` of the field at `rank`: one
    /// capacity check, the key copied eight bytes at a time (the table is padded for the last).
    @inline(__always)
    func appendKey(rank: Int, protoName: Bool, comma: Bool, into output: inout OutputBuffer) {
        let slot = 2 &* rank &+ (protoName ? 1 : 0)
        let start = slot == 0 ? 0 : Int(keyEnds[slot &- 1])
        let length = Int(keyEnds[slot]) &- start
        let destination = output.reserveTail(length &+ 9)
        let offset = comma ? 1 : 0
        destination[0] = UInt8(ascii: ",")
        keyBytes.withUnsafeBytes { source in
            let from = source.baseAddress.unsafelyUnwrapped + start
            let to = UnsafeMutableRawPointer(destination + offset)
            var copied = 0
            while copied < length {
                let word = from.loadUnaligned(fromByteOffset: copied, as: UInt64.self)
                to.storeBytes(of: word, toByteOffset: copied, as: UInt64.self)
                copied &+= 8
            }
        }
        output.commit(length &+ offset)
    }

    /// The rank among the four from `rank` on whose JSON name `key` is, if any: the fields
    /// after the previous key's, some of them left out of the text.
    @inline(__always)
    func predictedRank(of key: UnsafeRawBufferPointer, from rank: Int) -> Int? {
        var candidate = rank
        let end = min(rank &+ 4, jsonNameSpans.count)
        while candidate < end {
            let span = jsonNameSpans[candidate]
            if Int(span.count) == key.count
                && (key.count == 0
                    || jsonNameBytes.withUnsafeBytes {
                        memcmpEqual($0.baseAddress.unsafelyUnwrapped + Int(span.start), key.baseAddress!, key.count)
                    })
            {
                return candidate
            }
            candidate &+= 1
        }
        return nil
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
    /// `"NAME"` of the first value with each number, back to back.
    private let quotedNames: [UInt8]
    /// For numbers 0..<count: the span of its name in `quotedNames` as (start << 32 | end), or -1.
    private let denseSpans: [Int64]
    /// The same for the numbers outside the dense range.
    private let sparseSpans: [Int32: Int64]

    init(_ enumType: EnumDescriptor) {
        fullName = enumType.fullName
        isClosed = enumType.isClosed
        var names = ByteNameTable(capacity: enumType.values.count)
        var quotedNames: [UInt8] = []
        var spans: [Int32: Int64] = [:]
        for value in enumType.values {
            names.insert(value.name, value: Int(value.number))
            if spans[value.number] == nil {
                let start = quotedNames.count
                JSONOutput.appendString(value.name, into: &quotedNames)
                spans[value.number] = Int64(start) << 32 | Int64(quotedNames.count)
            }
        }
        // Dense up to a small multiple of the value count, so a sparse enum costs no memory.
        let denseLimit = Int32(min(4 * enumType.values.count + 16, 4096))
        var dense = [Int64](repeating: -1, count: Int(denseLimit))
        for (number, span) in spans where number >= 0 && number < denseLimit { dense[Int(number)] = span }
        self.names = names
        self.quotedNames = quotedNames
        denseSpans = dense
        sparseSpans = spans.filter { $0.key < 0 || $0.key >= denseLimit }
    }

    @inline(__always)
    private func span(_ number: Int32) -> Int64? {
        if number >= 0 && Int(number) < denseSpans.count {
            let span = denseSpans[Int(number)]
            return span < 0 ? nil : span
        }
        return sparseSpans[number]
    }

    func contains(_ number: Int32) -> Bool { span(number) != nil }

    /// Appends `"NAME"` of `number`; false (nothing appended) when the enum has no such value.
    @inline(__always)
    func appendQuotedName<S: JSONSink>(_ number: Int32, into output: inout S) -> Bool {
        guard let span = span(number) else { return false }
        let start = Int(span >> 32)
        let end = Int(span & 0xFFFF_FFFF)
        quotedNames.withUnsafeBytes { output.appendBytes(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
        return true
    }
}
