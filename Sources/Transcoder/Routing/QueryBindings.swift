import ProtoWire

/// What one request's query parameters have filled so far, to reject a non-repeated field
/// given twice and two members of one oneof (ProtoJSON rejects both in a body, too).
struct QueryBindings {
    /// Field-number paths of the singular fields set.
    private var singular: Set<[Int32]> = []
    /// For each oneof set: its message's field-number path plus the oneof index, and the
    /// parameter that set it.
    private var oneofs: [[Int32]: String] = [:]

    mutating func record(_ parameter: QueryParameter, path: FieldPath) throws(RequestBindingError) {
        let leaf = path.leaf
        if !leaf.isRepeated && !singular.insert(path.numbers).inserted {
            throw RequestBindingError(
                .repeatedParameter, .query, parameter.name, "field '\(path)' is not repeated but is given twice")
        }
        if let oneof = leaf.oneofIndex, !leaf.isProto3Optional {
            let key = Array(path.numbers.dropLast()) + [-1 - Int32(oneof)]
            if let other = oneofs[key], other != parameter.name {
                throw RequestBindingError(
                    .oneofConflict, .query, parameter.name, "'\(other)' already set another member of the same oneof")
            }
            oneofs[key] = parameter.name
        }
    }
}
