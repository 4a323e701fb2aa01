import ProtoWire

/// What one request's path and query have filled so far, to reject a non-repeated field given
/// twice and two members of one oneof (ProtoJSON rejects both in a body, too).
///
/// A oneof is set by any parameter whose path passes through one of its members, not only by
/// one that ends there: `?picked.note=a` sets the oneof that holds `picked`, so a later
/// `?pick_name=b` conflicts with it, while `?picked.counts=1` does not.
struct QueryBindings {
    /// Where a oneof lives: the field-number path of its message, then `-1 - index`.
    private typealias OneofKey = [Int32]

    /// Field-number paths of the singular fields set.
    private var singular: Set<[Int32]> = []
    /// For each oneof set: the member's field number, and who set it (for the error).
    private var oneofs: [OneofKey: (member: Int32, setter: String)] = [:]

    /// Records a field the path template bound, so the query cannot set another member of its
    /// oneofs.
    mutating func recordPathBinding(_ path: FieldPath) {
        for (key, member) in Self.oneofs(on: path) { oneofs[key] = (member, "path field '\(path)'") }
    }

    mutating func record(_ parameter: QueryParameter, path: FieldPath) throws(RequestBindingError) {
        if !path.leaf.isRepeated && !singular.insert(path.numbers).inserted {
            throw RequestBindingError(
                .repeatedParameter, .query, parameter.name, "field '\(path)' is not repeated but is given twice")
        }
        let members = Self.oneofs(on: path)
        for (key, member) in members {
            if let set = oneofs[key], set.member != member {
                throw RequestBindingError(
                    .oneofConflict, .query, parameter.name, "\(set.setter) already set another member of the same oneof")
            }
        }
        for (key, member) in members { oneofs[key] = (member, "'\(parameter.name)'") }
    }

    /// The oneofs `path` passes through (proto3 `optional` makes synthetic ones, which do not
    /// count): each one's key and the member's field number. Empty, and unallocated, for most.
    private static func oneofs(on path: FieldPath) -> [(key: OneofKey, member: Int32)] {
        var found: [(key: OneofKey, member: Int32)] = []
        for (depth, field) in path.fields.enumerated() {
            guard let oneof = field.oneofIndex, !field.isProto3Optional else { continue }
            found.append((path.fields[..<depth].map(\.number) + [-1 - Int32(oneof)], field.number))
        }
        return found
    }
}
