/// Message bodies and their statements.
///
///     message     = "message" messageName messageBody
///     messageBody = "{" { field | enum | message | extend | extensions | group | option | oneof
///                   | mapField | reserved | emptyStatement } "}"
///     field       = [ label ] type fieldName "=" fieldNumber [ "[" fieldOptions "]" ] ";"
///     group       = label "group" groupName "=" fieldNumber [ "[" fieldOptions "]" ] messageBody
///     oneof       = "oneof" oneofName "{" { option | oneofField | group | emptyStatement } "}"
///     mapField    = "map" "<" keyType "," type ">" mapName "=" fieldNumber [ "[" fieldOptions "]" ] ";"
///     extensions  = "extensions" ranges [ "[" fieldOptions "]" ] ";"
///     reserved    = "reserved" ( ranges | strFieldNames ) ";"
///     extend      = "extend" messageType "{" { field | group | emptyStatement } "}"
extension SchemaParser {
    typealias Message = SchemaSyntaxTree.Message
    typealias Field = SchemaSyntaxTree.Field

    /// Where a field is declared, which decides the labels it may have.
    enum FieldContext {
        case message
        case oneof(Int32)
        case extend(String, SchemaLocation)
    }

    /// The largest field number (2^29 - 1), which `max` stands for in message ranges.
    static let maximumFieldNumber: Int32 = 536_870_911

    /// The scalar type keywords and their `FieldDescriptorProto.Type` numbers.
    static let scalarTypes: [String: Int32] = [
        "double": 1, "float": 2, "int64": 3, "uint64": 4, "int32": 5, "fixed64": 6, "fixed32": 7, "bool": 8,
        "string": 9, "bytes": 12, "uint32": 13, "sfixed32": 15, "sfixed64": 16, "sint32": 17, "sint64": 18,
    ]

    mutating func parseMessage(at start: SchemaLocation) throws(Failure) -> Message {
        let nameLocation = location
        var message = Message(name: try identifier("a message name"), location: nameLocation)
        try parseMessageBody(&message)
        return message
    }

    mutating func parseMessageBody(_ message: inout Message) throws(Failure) {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth { throw fail("messages nest more than \(Self.maximumDepth) levels deep") }
        try expect("{")
        while !consume("}") {
            if atEnd { throw fail("reached end of file inside the body of \"\(message.name)\"; missing \"}\"") }
            do throws(Failure) {
                try parseMessageStatement(&message)
            } catch {
                skipStatement()
            }
        }
        if file.syntax == "proto3" { addSyntheticOneofs(&message) }
    }

    private mutating func parseMessageStatement(_ message: inout Message) throws(Failure) {
        if consume(";") { return }
        let start = location
        if consumeKeyword("message") {
            message.nested.append(try parseMessage(at: start))
        } else if consumeKeyword("enum") {
            message.enums.append(try parseEnum(at: start))
        } else if consumeKeyword("extend") {
            let (extensions, groups) = try parseExtend()
            message.extensions += extensions
            message.nested += groups
        } else if consumeKeyword("option") {
            message.options.append(try parseOptionStatement())
        } else if consumeKeyword("oneof") {
            try parseOneof(&message)
        } else if consumeKeyword("extensions") {
            let options: [SchemaSyntaxTree.Option]
            var ranges = try parseRanges(maximum: Self.maximumFieldNumber)
            options = isSymbol("[") ? try parseBracketOptions() : []
            for index in ranges.indices { ranges[index].options = options }
            message.extensionRanges += ranges
            try expect(";")
        } else if consumeKeyword("reserved") {
            if current.kind == .string {
                message.reservedNames += try parseReservedNames()
            } else {
                message.reservedRanges += try parseRanges(maximum: Self.maximumFieldNumber)
            }
            try expect(";")
        } else {
            message.fields.append(try parseField(context: .message, groups: &message.nested))
        }
    }

    private mutating func parseOneof(_ message: inout Message) throws(Failure) {
        let nameLocation = location
        let oneof = SchemaSyntaxTree.Oneof(name: try identifier("a oneof name"), location: nameLocation)
        let index = Int32(message.oneofs.count)
        message.oneofs.append(oneof)
        try expect("{")
        // protoc parses a oneof body as do { option | field } while not "}": at least one
        // statement, and no empty ";" statements.
        repeat {
            if atEnd { throw fail("reached end of file inside oneof \"\(oneof.name)\"; missing \"}\"") }
            do throws(Failure) {
                if consumeKeyword("option") {
                    message.oneofs[Int(index)].options.append(try parseOptionStatement())
                } else {
                    message.fields.append(try parseField(context: .oneof(index), groups: &message.nested))
                }
            } catch {
                skipStatement()
            }
        } while !consume("}")
    }

    /// The extensions of an `extend` block, and the group messages it declares.
    mutating func parseExtend() throws(Failure) -> (extensions: [Field], groups: [Message]) {
        var extensions: [Field] = []
        var groups: [Message] = []
        let extendeeLocation = location
        let extendee = try fullIdentifier("a message type to extend", allowLeadingDot: true)
        try expect("{")
        // Like protoc: at least one field, and no empty ";" statements.
        repeat {
            if atEnd { throw fail("reached end of file inside \"extend \(extendee)\"; missing \"}\"") }
            do throws(Failure) {
                extensions.append(try parseField(context: .extend(extendee, extendeeLocation), groups: &groups))
            } catch {
                skipStatement()
            }
        } while !consume("}")
        return (extensions, groups)
    }

    /// ranges = range { "," range };  range = intLit [ "to" ( intLit | "max" ) ]
    mutating func parseRanges(maximum: Int32, allowNegative: Bool = false) throws(Failure) -> [SchemaSyntaxTree.Range] {
        var ranges: [SchemaSyntaxTree.Range] = []
        let bounds: ClosedRange<Int64> = allowNegative ? Int64(Int32.min)...Int64(Int32.max) : 0...Int64(Int32.max)
        repeat {
            let start = location
            let low = try signedInteger("a range start", in: bounds)
            var high = low
            if consumeKeyword("to") {
                high = consumeKeyword("max") ? maximum : try signedInteger("a range end or \"max\"", in: bounds)
            }
            ranges.append(SchemaSyntaxTree.Range(start: low, end: high, location: start))
        } while consume(",")
        return ranges
    }

    mutating func parseReservedNames() throws(Failure) -> [(String, SchemaLocation)] {
        var names: [(String, SchemaLocation)] = []
        repeat {
            let start = location
            let name = String(decoding: try stringLiteral("a reserved name"), as: UTF8.self)
            names.append((name, start))
        } while consume(",")
        return names
    }

    /// A field, group or map field in `context`.
    mutating func parseField(context: FieldContext, groups: inout [Message]) throws(Failure) -> Field {
        let start = location
        var label: Field.Label?
        if consumeKeyword("optional") {
            label = .optional
        } else if consumeKeyword("required") {
            label = .required
        } else if consumeKeyword("repeated") {
            label = .repeated
        }
        let proto3 = file.syntax == "proto3"
        if label != nil, case .oneof = context {
            throw fail("fields in oneofs must not have labels (required / optional / repeated)", at: start)
        }
        if label == .required && proto3 { throw fail("required fields are not allowed in proto3", at: start) }
        let isMap = isKeyword("map") && tokens[position + 1].kind == .symbol && tokens[position + 1].payload == 0x3C
        if label == nil && !isMap && !proto3 {
            if case .oneof = context {
            } else {
                throw fail("expected \"required\", \"optional\", or \"repeated\", found \(found)")
            }
        }
        if isMap { return try parseMapField(context: context, label: label, at: start, groups: &groups) }
        if isKeyword("group") && tokens[position + 1].kind == .identifier {
            if proto3 { throw fail("groups are not supported in proto3; use a nested message", at: location) }
            next()
            return try parseGroup(context: context, label: label, groups: &groups)
        }
        let typeLocation = location
        let typeName = try fullIdentifier("a field type", allowLeadingDot: true)
        let nameLocation = location
        var field = Field(
            name: try identifier("a field name"), location: nameLocation, label: label,
            scalarType: Self.scalarTypes[typeName], typeName: typeName, typeLocation: typeLocation, number: 0,
            numberLocation: nameLocation)
        try parseFieldTail(&field, context: context)
        try expect(";")
        if label == .optional && proto3 { field.proto3Optional = true }
        return field
    }

    /// `= number [options]`, and the context's oneof or extendee.
    private mutating func parseFieldTail(_ field: inout Field, context: FieldContext) throws(Failure) {
        try expect("=", "after the field name")
        field.numberLocation = location
        field.number = try signedInteger("a field number", in: Int64(Int32.min)...Int64(Int32.max))
        switch context {
        case .message: break
        case .oneof(let index): field.oneofIndex = index
        case .extend(let extendee, let location):
            field.extendee = extendee
            field.extendeeLocation = location
        }
        if isSymbol("[") { try parseFieldOptions(&field, context: context) }
    }

    private mutating func parseGroup(context: FieldContext, label: Field.Label?, groups: inout [Message])
        throws(Failure)
        -> Field
    {
        let nameLocation = location
        let groupName = try identifier("a group name")
        guard let first = groupName.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else {
            throw fail("group names must start with a capital letter", at: nameLocation)
        }
        var field = Field(
            name: groupName.lowercased(), location: nameLocation, label: label, scalarType: 10, typeName: groupName,
            typeLocation: nameLocation, number: 0, numberLocation: nameLocation)
        field.isGroup = true
        try parseFieldTail(&field, context: context)
        var message = Message(name: groupName, location: nameLocation)
        let index = groups.count
        groups.append(message)
        try parseMessageBody(&message)
        groups[index] = message
        return field
    }

    private mutating func parseMapField(
        context: FieldContext, label: Field.Label?, at start: SchemaLocation,
        groups: inout [Message]
    ) throws(Failure) -> Field {
        next()  // map
        try expect("<")
        let keyLocation = location
        let keyName = try fullIdentifier("a map key type", allowLeadingDot: true)
        try expect(",")
        let valueLocation = location
        let valueName = try fullIdentifier("a map value type", allowLeadingDot: true)
        try expect(">")
        let nameLocation = location
        let name = try identifier("a field name")
        let entryName = Self.mapEntryName(name)
        var field = Field(
            name: name, location: nameLocation, label: .repeated, scalarType: nil, typeName: entryName,
            typeLocation: start, number: 0, numberLocation: nameLocation)
        field.isMap = true
        try parseFieldTail(&field, context: context)
        try expect(";")
        if label != nil {
            throw fail("field labels (required/optional/repeated) are not allowed on map fields", at: start)
        }
        if case .oneof = context { throw fail("map fields are not allowed in oneofs", at: start) }
        if case .extend = context { throw fail("map fields are not allowed to be extensions", at: start) }
        var entry = Message(name: entryName, location: nameLocation)
        entry.isMapEntry = true
        entry.fields = [
            Field(
                name: "key", location: keyLocation, label: .optional, scalarType: Self.scalarTypes[keyName],
                typeName: keyName, typeLocation: keyLocation, number: 1, numberLocation: keyLocation),
            Field(
                name: "value", location: valueLocation, label: .optional, scalarType: Self.scalarTypes[valueName],
                typeName: valueName, typeLocation: valueLocation, number: 2, numberLocation: valueLocation),
        ]
        groups.append(entry)
        return field
    }

    /// protoc's map entry name: `foo_bar` → `FooBarEntry`.
    static func mapEntryName(_ fieldName: String) -> String {
        var result = ""
        var capitalizeNext = true
        for scalar in fieldName.unicodeScalars {
            if scalar == "_" {
                capitalizeNext = true
            } else if capitalizeNext {
                result.unicodeScalars.append(
                    scalar >= "a" && scalar <= "z" ? Unicode.Scalar(scalar.value - 32)! : scalar)
                capitalizeNext = false
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "Entry"
    }

    /// proto3 `optional` fields each get a one-field oneof, named `_field` (prefixed with `X`
    /// until it clashes with no field or oneof), after the declared oneofs, as protoc's parser does.
    func addSyntheticOneofs(_ message: inout Message) {
        var names = Set(message.fields.map(\.name))
        names.formUnion(message.oneofs.map(\.name))
        for index in message.fields.indices where message.fields[index].proto3Optional {
            var name = message.fields[index].name
            if !name.hasPrefix("_") { name = "_" + name }
            while names.contains(name) { name = "X" + name }
            names.insert(name)
            message.fields[index].oneofIndex = Int32(message.oneofs.count)
            var oneof = SchemaSyntaxTree.Oneof(name: name, location: message.fields[index].location)
            oneof.isSynthetic = true
            message.oneofs.append(oneof)
        }
    }
}
