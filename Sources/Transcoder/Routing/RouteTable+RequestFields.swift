import ProtoWire

extension RouteTable {
    /// The most query parameters one request may carry.
    public static let maximumQueryParameterCount = 1024

    /// Appends to `writer` the request-message fields that a matched request's path variables and
    /// query parameters bind, as protobuf wire bytes.
    ///
    /// The gateway builds the request message as `body ++ these bytes`: the body's encoding
    /// (the whole message for `body: "*"`, or the body field's tag, length and value), then the
    /// bytes written here. Protobuf parsers merge concatenated encodings (`encoding.md`, "Last
    /// One Wins"; embedded messages merge, repeated fields append), so:
    /// - a field nested in a message (`{book.name}`, `?author.name=x`) is written as its own
    ///   length-delimited chain of enclosing messages, which merges into the body's;
    /// - a path variable overrides the same field in the body (`PUT /v1/items/{item.id}` with
    ///   `body: "item"`), because it comes later;
    /// - repeated parameters append in the order given.
    ///
    /// Path values are percent-decoded per `google/api/http.proto` (single-segment variables
    /// keep reserved characters encoded, multi-segment ones keep `%2F`); query names and values
    /// are form-decoded. Every value goes through ``TextValueEncoder``, so it takes the ProtoJSON
    /// string forms: enums by name or number, bytes as base64 of either alphabet, `Timestamp` as
    /// RFC 3339, `Duration` as `1.5s`, `FieldMask` as `a,b.c`, wrappers as their value.
    ///
    /// Query rules: a parameter names a field by a dotted path of proto or JSON names; it may
    /// fill any field not bound by the path or the body (with `body: "*"`, none); a repeated
    /// scalar field takes one element per occurrence (`?tag=a&tag=b`); a map entry is
    /// `?labels[key]=value`; a non-repeated field given twice, or two members of one oneof,
    /// are rejected. Parameters that name no fillable field follow
    /// ``RouteTableOptions/unknownQueryParameters``.
    ///
    /// On error the writer may hold part of the fields; discard it with the request.
    public func appendPathAndQueryFields(
        of match: RouteMatch, target: UnsafeRawBufferPointer, into writer: inout WireWriter
    ) throws(RequestBindingError) {
        let route = routes[match.routeIndex]
        var seen = QueryBindings()
        for binding in route.pathBindings {
            let raw = UnsafeRawBufferPointer(rebasing: target[match.range(of: binding)])
            let name = binding.fieldPath.description
            guard
                let text = PercentDecoding.decodeString(
                    raw, mode: binding.isMultiSegment ? .pathSegments : .pathSegment)
            else {
                throw RequestBindingError(.invalidEncoding, .path, name, "value is not UTF-8 once percent-decoded")
            }
            try writeValue(text, at: binding.fieldPath, mapKey: nil, source: .path, parameter: name, into: &writer)
            if match.query != nil { seen.recordPathBinding(binding.fieldPath) }
        }
        guard let queryRange = match.query else { return }
        let parameters = try QueryParameter.parse(
            UnsafeRawBufferPointer(rebasing: target[queryRange]), limit: Self.maximumQueryParameterCount)
        for parameter in parameters {
            guard let path = try queryField(for: parameter, of: route) else { continue }
            try seen.record(parameter, path: path)
            try writeValue(
                parameter.value, at: path, mapKey: parameter.mapKey, source: .query, parameter: parameter.name,
                into: &writer)
        }
    }

    /// The same, for a request target given as a string.
    public func appendPathAndQueryFields(
        of match: RouteMatch, target: String, into writer: inout WireWriter
    ) throws(RequestBindingError) {
        var target = target
        let result: Result<Void, RequestBindingError> = target.withUTF8 { bytes in
            do throws(RequestBindingError) {
                try appendPathAndQueryFields(of: match, target: UnsafeRawBufferPointer(bytes), into: &writer)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// The field `parameter` fills, or nil when it is to be ignored.
    func queryField(for parameter: QueryParameter, of route: Route) throws(RequestBindingError) -> FieldPath? {
        func unknown(_ why: String) throws(RequestBindingError) -> FieldPath? {
            if options.unknownQueryParameters == .ignore { return nil }
            throw RequestBindingError(.unknownParameter, .query, parameter.name, why)
        }
        if parameter.fieldNames.count - 1 > WireReader.maximumDepth {
            throw RequestBindingError(
                .notQueryable, .query, parameter.name, "names fields nested deeper than \(WireReader.maximumDepth)")
        }
        if route.body == .wholeMessage {
            return try unknown("the body fills the whole request message, so the query can bind no field")
        }
        let path: FieldPath
        switch FieldPath.resolve(
            parameter.fieldNames, from: route.method.inputIndex, pool: pool, acceptJSONNames: true)
        {
        case .failure(.unknownField(let name, let message)):
            return try unknown("no field '\(name)' in \(message)")
        case .failure(.notAMessage(let name)):
            return try unknown("'\(name)' is not a singular message field")
        case .success(let resolved):
            path = resolved
        }
        if case .field(let bodyField) = route.body, path.hasPrefix(bodyField) {
            return try unknown("field '\(path)' is bound by the body")
        }
        if route.pathBindings.contains(where: { $0.fieldPath.numbers == path.numbers }) {
            return try unknown("field '\(path)' is bound by the path")
        }
        return path
    }

    /// Writes one text value at `path` (a map entry when `mapKey` is set), wrapping it in the
    /// enclosing messages.
    func writeValue(
        _ text: String, at path: FieldPath, mapKey: Substring?, source: RequestBindingError.Source,
        parameter: String, into writer: inout WireWriter
    ) throws(RequestBindingError) {
        let leaf = path.leaf
        var entryFields: (key: FieldDescriptor, value: FieldDescriptor)?
        if leaf.isMap {
            guard mapKey != nil, let entry = leaf.messageIndex,
                let keyField = pool.messages[entry].mapKeyField, let valueField = pool.messages[entry].mapValueField
            else {
                throw RequestBindingError(
                    .notQueryable, source, parameter, "map field '\(path)' needs a key: \(path)[key]=value")
            }
            guard FieldPath.takesText(valueField, pool: pool) else {
                throw RequestBindingError(.notQueryable, source, parameter, "map field '\(path)' has message values")
            }
            entryFields = (keyField, valueField)
        } else if mapKey != nil {
            throw RequestBindingError(
                .notQueryable, source, parameter, "field '\(path)' is not a map, so it takes no [key]")
        } else if !FieldPath.takesText(leaf, pool: pool) {
            let kind = leaf.isRepeated ? "a repeated message" : "a message; name one of its fields"
            throw RequestBindingError(.notQueryable, source, parameter, "field '\(path)' is \(kind)")
        }

        var marks: [WireWriter.LengthMark] = []
        for field in path.fields.dropLast() {
            writer.writeTag(fieldNumber: UInt32(field.number), wireType: .lengthDelimited)
            marks.append(writer.beginLengthDelimited())
        }
        do throws(TranscodingError) {
            if let entryFields, let mapKey {
                writer.writeTag(fieldNumber: UInt32(leaf.number), wireType: .lengthDelimited)
                let entryMark = writer.beginLengthDelimited()
                try TextValueEncoder.encode(mapKey, as: entryFields.key, pool: pool, into: &writer)
                try TextValueEncoder.encode(Substring(text), as: entryFields.value, pool: pool, into: &writer)
                writer.endLengthDelimited(entryMark)
            } else {
                try TextValueEncoder.encode(Substring(text), as: leaf, pool: pool, into: &writer)
            }
        } catch {
            throw RequestBindingError(.invalidValue, source, parameter, error.message, cause: error)
        }
        for mark in marks.reversed() {
            writer.endLengthDelimited(mark)
        }
    }
}
