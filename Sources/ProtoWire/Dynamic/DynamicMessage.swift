/// A protobuf message of any type in a ``DescriptorPool``, read and written through its
/// descriptor rather than generated code.
///
/// The value keeps everything protobuf C++ keeps, so that decoding and re-encoding reproduces
/// protoc's bytes:
/// - the elements of a repeated field in order, and the entries of a `map<K, V>` field in wire
///   order (each a map-entry ``DynamicValue/message(_:)``), not re-keyed into a dictionary (so a
///   repeated key stays too, where protobuf's map would keep the last);
/// - extensions the pool knows, as ordinary fields;
/// - proto2 groups, as ``DynamicValue/group(_:)``;
/// - everything else as ``unknownFields``, byte for byte, written after the known fields.
///
/// ```swift
/// let message = try DynamicMessage(decoding: bytes, messageIndex: index, pool: pool)
/// for field in message.fields { print(field.number, field.values) }
/// let again = message.encoded()  // == bytes when they came from protoc
/// ```
///
/// Fields live in one array ordered by field number (a repeated field's elements side by side),
/// so a message costs one allocation for its fields however many it has.
public struct DynamicMessage: Sendable {
    /// The pool that describes this message and every message nested in it.
    public let pool: DescriptorPool
    /// This message's type: an index into ``DescriptorPool/messages``.
    public let messageIndex: Int
    /// Set fields in ascending number order; the elements of a repeated field are consecutive.
    var entries: [Entry]
    /// Fields the descriptor does not know (or that arrived with the wrong wire type), kept raw.
    public var unknownFields: UnknownFields

    /// One stored value and how its field is encoded.
    struct Entry: Sendable {
        var number: Int32
        /// The field's declared type, which says how ``value`` goes on the wire.
        var type: FieldDescriptor.FieldType
        /// Whether the field is written packed (the run of equal numbers shares one tag).
        var isPacked: Bool
        var value: DynamicValue
    }

    /// All the values of one field, in order: one for a singular field.
    public struct Field: Sendable, Hashable {
        /// The field number (of a field of the message or of an extension).
        public let number: Int32
        /// The values in wire order.
        public let values: [DynamicValue]

        /// A field with `values`, e.g. to compare with ``DynamicMessage/fields``.
        public init(number: Int32, values: [DynamicValue]) {
            self.number = number
            self.values = values
        }
    }

    /// An empty message of type `messageIndex`.
    public init(messageIndex: Int, pool: DescriptorPool) {
        precondition(pool.messages.indices.contains(messageIndex), "message index outside the pool")
        self.pool = pool
        self.messageIndex = messageIndex
        self.entries = []
        self.unknownFields = UnknownFields()
    }

    /// This message's descriptor.
    public var descriptor: MessageDescriptor { pool.messages[messageIndex] }

    /// The descriptor of field `number`: a field of this message, or an extension of it that the
    /// pool knows. Nil for a number the schema does not define.
    public func fieldDescriptor(number: Int32) -> FieldDescriptor? {
        pool.messages[messageIndex].field(number: number) ?? pool.extension(of: messageIndex, number: number)
    }

    // MARK: Reading fields

    /// True when no field is set and there are no unknown fields.
    public var isEmpty: Bool { entries.isEmpty && unknownFields.isEmpty }

    /// The set fields in ascending field-number order, extensions included.
    public var fields: [Field] {
        var result: [Field] = []
        var start = 0
        while start < entries.count {
            let end = runEnd(from: start)
            result.append(Field(number: entries[start].number, values: entries[start..<end].map(\.value)))
            start = end
        }
        return result
    }

    /// The values of field `number` in order; empty when the field is not set.
    public func values(forField number: Int32) -> [DynamicValue] {
        entries[entryRange(of: number)].map(\.value)
    }

    /// The value of singular field `number`, or nil when it is not set.
    public func value(forField number: Int32) -> DynamicValue? {
        let range = entryRange(of: number)
        return range.isEmpty ? nil : entries[range.upperBound - 1].value
    }

    /// Whether field `number` holds at least one value.
    public func hasField(_ number: Int32) -> Bool {
        !entryRange(of: number).isEmpty
    }

    // MARK: Entry ranges

    /// The index after the run of entries that share `entries[start].number`.
    func runEnd(from start: Int) -> Int {
        let number = entries[start].number
        var end = start + 1
        while end < entries.count && entries[end].number == number { end += 1 }
        return end
    }

    /// The entries of field `number`, or the empty range where they would go.
    func entryRange(of number: Int32) -> Range<Int> {
        let count = entries.count
        // Fields usually arrive in number order, so most lookups land past the end.
        if count == 0 || entries[count - 1].number < number { return count..<count }
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].number < number { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < count && entries[end].number == number { end += 1 }
        return low..<end
    }
}

extension DynamicMessage.Entry: Hashable {
    // The type and packing follow from the number and the message type, so they are not compared.
    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.number == rhs.number && lhs.value == rhs.value
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(number)
        hasher.combine(value)
    }
}

extension DynamicMessage: Hashable {
    /// Messages are equal when they share a pool (by identity) and type, and hold the same fields
    /// in the same order and the same unknown bytes.
    public static func == (lhs: DynamicMessage, rhs: DynamicMessage) -> Bool {
        lhs.pool === rhs.pool && lhs.messageIndex == rhs.messageIndex && lhs.entries == rhs.entries
            && lhs.unknownFields == rhs.unknownFields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(messageIndex)
        hasher.combine(entries)
        hasher.combine(unknownFields)
    }
}
