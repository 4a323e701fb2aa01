import ProtoWire

/// A chain of fields from a request or response message down to one field, as named in a path
/// variable (`{book.name}`), `body`, `response_body`, or a query parameter (`author.given_name`).
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    /// The fields from the outermost message inwards; every field but the last is a singular
    /// message field.
    public let fields: [FieldDescriptor]

    public init(_ fields: [FieldDescriptor]) {
        precondition(!fields.isEmpty, "a field path names at least one field")
        self.fields = fields
    }

    /// The field the path ends at.
    public var leaf: FieldDescriptor { fields[fields.count - 1] }

    /// Proto names joined by dots: `book.name`.
    public var description: String { fields.map(\.name).joined(separator: ".") }

    /// Field numbers from the outermost message inwards.
    public var numbers: [Int32] { fields.map(\.number) }

    /// Whether `self` starts with every field of `prefix`.
    public func hasPrefix(_ prefix: FieldPath) -> Bool {
        fields.count >= prefix.fields.count && zip(fields, prefix.fields).allSatisfy { $0.number == $1.number }
    }
}
