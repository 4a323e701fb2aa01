/// Option values: scalars of every field type, and text-format aggregate values encoded as a
/// protobuf runtime would serialize the parsed message (fields in number order, proto3 scalars
/// left out when zero, numeric repeated fields packed where the field is packed).
extension SchemaLinker {
    /// Encodes an aggregate value (the inside of `{ ... }`) as a message of type `messageName`.
    mutating func encodeAggregate(_ fields: [Tree.AggregateField], messageName: String, at location: SchemaLocation)
        -> [UInt8]?
    {
        guard let message = messageDefinition(messageName) else {
            error("unknown message type \"\(messageName)\" in option value", at: location)
            return nil
        }
        var entries: [(field: DescriptorProto.Field, wireType: WireType, bytes: [UInt8])] = []
        var seen: Set<Int32> = []
        var oneofs: [Int32: String] = [:]
        var failed = false
        for item in fields {
            guard let field = aggregateField(item, in: message, messageName: messageName) else {
                failed = true
                continue
            }
            let repeated = field.label == 3
            if !repeated && (seen.contains(field.number) || item.values.count != 1) {
                error("non-repeated field \"\(item.name)\" is specified multiple times", at: item.location)
                failed = true
                continue
            }
            seen.insert(field.number)
            if let oneof = field.oneofIndex, field.extendee == nil {
                if let other = oneofs[oneof], other != field.name {
                    error(
                        "field \"\(field.name)\" is specified along with field \"\(other)\", another member of oneof \"\(message.proto.oneofs[Int(oneof)].name)\"",
                        at: item.location)
                    failed = true
                    continue
                }
                oneofs[oneof] = field.name
            }
            for value in item.values {
                switch value {
                case .message(let subfields, let valueLocation):
                    guard field.type == 11 || field.type == 10, let typeName = field.typeName else {
                        error("field \"\(item.name)\" is not a message; it takes a scalar value", at: valueLocation)
                        failed = true
                        continue
                    }
                    guard
                        let payload = encodeAggregate(
                            subfields, messageName: String(typeName.dropFirst()), at: valueLocation)
                    else {
                        failed = true
                        continue
                    }
                    entries.append((field, field.type == 10 ? .startGroup : .lengthDelimited, payload))
                case .scalar(let scalar, let valueLocation):
                    if field.type == 11 || field.type == 10 {
                        error("field \"\(item.name)\" is a message; expected \"{\"", at: valueLocation)
                        failed = true
                        continue
                    }
                    guard
                        let (wireType, bytes) = encodeScalarValue(
                            scalar, field: field, what: "field \"\(item.name)\"", textFormat: true, at: valueLocation)
                    else {
                        failed = true
                        continue
                    }
                    let implicit =
                        message.isProto3 && !repeated && field.oneofIndex == nil && !field.proto3Optional
                        && field.extendee == nil
                    if implicit && (wireType == .lengthDelimited ? bytes.isEmpty : bytes.allSatisfy { $0 == 0 }) {
                        continue
                    }
                    entries.append((field, wireType, bytes))
                }
            }
        }
        for field in message.proto.fields where field.label == 2 && !seen.contains(field.number) {
            error("option value of type \"\(messageName)\" is missing required field \"\(field.name)\"", at: location)
            failed = true
        }
        if failed { return nil }
        var writer = WireWriter()
        let ordered = entries.enumerated().sorted {
            ($0.element.field.number, $0.offset) < ($1.element.field.number, $1.offset)
        }.map(\.element)
        var index = 0
        while index < ordered.count {
            let field = ordered[index].field
            if isPacked(field, proto3: message.isProto3) {
                var payload: [UInt8] = []
                while index < ordered.count && ordered[index].field.number == field.number {
                    payload += ordered[index].bytes
                    index += 1
                }
                writer.writeTag(fieldNumber: UInt32(field.number), wireType: .lengthDelimited)
                writer.writeLengthDelimited(payload)
                continue
            }
            let entry = ordered[index]
            switch entry.wireType {
            case .startGroup:
                writer.writeGroup(fieldNumber: UInt32(field.number)) { $0.writeRaw(entry.bytes) }
            case .lengthDelimited:
                writer.writeTag(fieldNumber: UInt32(field.number), wireType: .lengthDelimited)
                writer.writeLengthDelimited(entry.bytes)
            default:
                writer.writeTag(fieldNumber: UInt32(field.number), wireType: entry.wireType)
                writer.writeRaw(entry.bytes)
            }
            index += 1
        }
        return writer.bytes
    }

    /// The field an aggregate entry names: a field (or a group by its type name), or `[extension]`.
    private mutating func aggregateField(
        _ item: Tree.AggregateField, in message: SchemaLinkState.LinkedMessage, messageName: String
    ) -> DescriptorProto.Field? {
        if item.isExtension {
            if item.name.contains("/") {
                error("expanded Any values ([type.url/Name]) are not supported in option values", at: item.location)
                return nil
            }
            let fullName = item.name.hasPrefix(".") ? String(item.name.dropFirst()) : item.name
            guard let linked = state.extensions[fullName], visible.contains(linked.file) || linked.file < 0,
                linked.field.extendee == "." + messageName
            else {
                error(
                    "extension \"\(fullName)\" is not defined or is not an extension of \"\(messageName)\"",
                    at: item.location)
                return nil
            }
            return linked.field
        }
        if let field = message.proto.fields.first(where: { $0.name == item.name && $0.type != 10 }) { return field }
        if let field = message.proto.fields.first(where: {
            $0.type == 10 && $0.typeName.map { $0.split(separator: ".").last.map(String.init) == item.name } == true
        }) {
            return field
        }
        error(
            "message type \"\(messageName)\" has no field named \"\(item.name)\""
                + SchemaSymbolTable.didYouMean(item.name, among: message.proto.fields.map(\.name)),
            at: item.location)
        return nil
    }

    private func isPacked(_ field: DescriptorProto.Field, proto3: Bool) -> Bool {
        guard field.label == 3, let type = field.type, ![9, 10, 11, 12].contains(type) else { return false }
        let packed = (try? field.options.boolValue(fieldNumber: 2)) ?? nil
        return packed ?? proto3
    }

    /// A scalar option value with its tag.
    mutating func encodeScalar(
        _ value: Tree.Value, field: DescriptorProto.Field, what: String, textFormat: Bool, at location: SchemaLocation
    ) -> [UInt8]? {
        guard
            let (wireType, bytes) = encodeScalarValue(
                value, field: field, what: what, textFormat: textFormat, at: location)
        else { return nil }
        var writer = WireWriter(capacity: bytes.count + 6)
        writer.writeTag(fieldNumber: UInt32(field.number), wireType: wireType)
        if wireType == .lengthDelimited {
            writer.writeLengthDelimited(bytes)
        } else {
            writer.writeRaw(bytes)
        }
        return writer.bytes
    }

    /// The wire type and encoded value (for length-delimited: the payload without its length).
    mutating func encodeScalarValue(
        _ value: Tree.Value, field: DescriptorProto.Field, what: String, textFormat: Bool, at location: SchemaLocation
    ) -> (WireType, [UInt8])? {
        guard let type = field.type else { return nil }
        var writer = WireWriter(capacity: 10)
        func integer(min: Int64, max: UInt64, typeName: String) -> (negative: Bool, magnitude: UInt64)? {
            let signed = min < 0
            guard case .integer(let negative, let magnitude) = value else {
                error("value must be \(signed ? "" : "non-negative ")integer for \(typeName) \(what)", at: location)
                return nil
            }
            if negative && !signed {
                error("value must be non-negative integer for \(typeName) \(what)", at: location)
                return nil
            }
            let fits = negative ? magnitude <= UInt64(-(min + 1)) + 1 : magnitude <= max
            if !fits {
                error("value out of range for \(typeName) \(what)", at: location)
                return nil
            }
            return (negative, magnitude)
        }
        func signedValue(_ parts: (negative: Bool, magnitude: UInt64)) -> Int64 {
            parts.negative ? Int64(bitPattern: 0 &- parts.magnitude) : Int64(bitPattern: parts.magnitude)
        }
        switch type {
        case 1, 2:
            var number: Double
            switch value {
            case .float(let double): number = double
            case .integer(let negative, let magnitude): number = negative ? -Double(magnitude) : Double(magnitude)
            case .identifier(let word) where textFormat:
                let lower = word.lowercased()
                let body = lower.hasPrefix("-") ? String(lower.dropFirst()) : lower
                if body == "inf" || (textFormat && body == "infinity") {
                    number = .infinity
                } else if body == "nan" {
                    number = .nan
                } else {
                    error("value must be number for \(type == 1 ? "double" : "float") \(what)", at: location)
                    return nil
                }
                if lower.hasPrefix("-") { number = -number }
            default:
                error("value must be number for \(type == 1 ? "double" : "float") \(what)", at: location)
                return nil
            }
            if type == 1 {
                writer.writeFixed64(number.bitPattern)
                return (.fixed64, writer.bytes)
            }
            writer.writeFixed32(Float(number).bitPattern)
            return (.fixed32, writer.bytes)
        case 5, 15, 17:
            guard
                let parts = integer(
                    min: Int64(Int32.min), max: UInt64(Int32.max),
                    typeName: type == 5 ? "int32" : type == 15 ? "sfixed32" : "sint32")
            else { return nil }
            let number = Int32(signedValue(parts))
            if type == 15 {
                writer.writeFixed32(UInt32(bitPattern: number))
                return (.fixed32, writer.bytes)
            }
            writer.writeVarint(type == 17 ? UInt64(ZigZag.encode(number)) : UInt64(bitPattern: Int64(number)))
            return (.varint, writer.bytes)
        case 3, 16, 18:
            guard
                let parts = integer(
                    min: Int64.min, max: UInt64(Int64.max),
                    typeName: type == 3 ? "int64" : type == 16 ? "sfixed64" : "sint64")
            else { return nil }
            let number = signedValue(parts)
            if type == 16 {
                writer.writeFixed64(UInt64(bitPattern: number))
                return (.fixed64, writer.bytes)
            }
            writer.writeVarint(type == 18 ? ZigZag.encode(number) : UInt64(bitPattern: number))
            return (.varint, writer.bytes)
        case 13, 7:
            guard let parts = integer(min: 0, max: UInt64(UInt32.max), typeName: type == 13 ? "uint32" : "fixed32")
            else { return nil }
            if type == 7 {
                writer.writeFixed32(UInt32(parts.magnitude))
                return (.fixed32, writer.bytes)
            }
            writer.writeVarint(parts.magnitude)
            return (.varint, writer.bytes)
        case 4, 6:
            guard let parts = integer(min: 0, max: UInt64.max, typeName: type == 4 ? "uint64" : "fixed64")
            else { return nil }
            if type == 6 {
                writer.writeFixed64(parts.magnitude)
                return (.fixed64, writer.bytes)
            }
            writer.writeVarint(parts.magnitude)
            return (.varint, writer.bytes)
        case 8:
            var flag: Bool?
            switch value {
            case .identifier("true"): flag = true
            case .identifier("false"): flag = false
            case .identifier("True"), .identifier("t"), .integer(false, 1): flag = textFormat ? true : nil
            case .identifier("False"), .identifier("f"), .integer(false, 0): flag = textFormat ? false : nil
            default: flag = nil
            }
            guard let flag else {
                error("value must be \"true\" or \"false\" for boolean \(what)", at: location)
                return nil
            }
            writer.writeVarint(UInt64(flag ? 1 : 0))
            return (.varint, writer.bytes)
        case 9, 12:
            guard case .string(let bytes) = value else {
                error("value must be quoted string for \(type == 9 ? "string" : "bytes") \(what)", at: location)
                return nil
            }
            return (.lengthDelimited, bytes)
        case 14:
            let enumName = String((field.typeName ?? "").dropFirst())
            let linked = state.enums[enumName] ?? state.builtinEnums[enumName]
            switch value {
            case .identifier(let word):
                guard let number = linked?.values.first(where: { $0.name == word })?.number else {
                    let suggestion = SchemaSymbolTable.didYouMean(word, among: linked?.values.map(\.name) ?? [])
                    error(
                        "enum type \"\(enumName)\" has no value named \"\(word)\" for \(what)\(suggestion)",
                        at: location)
                    return nil
                }
                writer.writeVarint(UInt64(bitPattern: Int64(number)))
            case .integer where textFormat:
                guard let parts = integer(min: Int64(Int32.min), max: UInt64(Int32.max), typeName: "enum") else {
                    return nil
                }
                let number = Int32(signedValue(parts))
                if let linked, !linked.isProto3, !linked.values.contains(where: { $0.number == number }) {
                    error("enum type \"\(enumName)\" has no value with number \(number) for \(what)", at: location)
                    return nil
                }
                writer.writeVarint(UInt64(bitPattern: Int64(number)))
            default:
                error("value must be identifier for enum-valued \(what)", at: location)
                return nil
            }
            return (.varint, writer.bytes)
        default:
            return nil
        }
    }
}
