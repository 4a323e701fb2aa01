/// The rules protoc enforces beyond the grammar (its `DescriptorBuilder` checks): field and enum
/// numbers, reserved numbers and names, extension ranges, proto3 restrictions, map keys, enum
/// aliases, and default values in protoc's canonical text.
extension SchemaLinker {
    static let maximumFieldNumber: Int32 = 536_870_911
    static let implementationReserved: ClosedRange<Int32> = 19000...19999

    mutating func checkMessage(_ message: Tree.Message, _ result: DescriptorProto.Message, fullName: String) {
        var numbers: [Int32: String] = [:]
        var jsonNames: [String: String] = [:]
        for field in message.fields {
            checkFieldNumber(field)
            if let previous = numbers[field.number] {
                error(
                    "field number \(field.number) has already been used in \"\(fullName)\" by field \"\(previous)\"",
                    at: field.numberLocation)
            } else {
                numbers[field.number] = field.name
            }
            if message.reservedRanges.contains(where: { ($0.start...max($0.start, $0.end)).contains(field.number) }) {
                error("field \"\(field.name)\" uses reserved number \(field.number)", at: field.numberLocation)
            }
            if message.reservedNames.contains(where: { $0.0 == field.name }) {
                error("field name \"\(field.name)\" is reserved", at: field.location)
            }
            if let range = message.extensionRanges.first(where: {
                ($0.start...max($0.start, $0.end)).contains(field.number)
            }) {
                error(
                    "extension range \(range.start) to \(range.end) includes field \"\(field.name)\" (\(field.number))",
                    at: field.numberLocation)
            }
            if isProto3 {
                let key = String(field.name.lowercased().unicodeScalars.filter { $0 != "_" })
                if let previous = jsonNames[key] {
                    error(
                        "the JSON camel-case name of field \"\(field.name)\" conflicts with field \"\(previous)\"; "
                            + "this is not allowed in proto3", at: field.location)
                } else {
                    jsonNames[key] = field.name
                }
            }
        }
        checkRanges(message.reservedRanges, what: "reserved", maximum: Self.maximumFieldNumber)
        checkRanges(message.extensionRanges, what: "extension", maximum: Self.maximumFieldNumber)
        for range in message.extensionRanges {
            if let reserved = message.reservedRanges.first(where: { $0.start <= range.end && range.start <= $0.end }) {
                error(
                    "extension range \(range.start) to \(range.end) overlaps with reserved range \(reserved.start) to \(reserved.end)",
                    at: range.location)
            }
        }
        if isProto3, let range = message.extensionRanges.first {
            error("extension ranges are not allowed in proto3", at: range.location)
        }
        if message.isMapEntry, let key = result.fields.first {
            switch key.type {
            case 1, 2, 10, 11, 12:
                error(
                    "key in map fields cannot be float/double, bytes or message types",
                    at: message.fields[0].typeLocation)
            case 14:
                error("key in map fields cannot be enum types", at: message.fields[0].typeLocation)
            default: break
            }
        }
    }

    private mutating func checkFieldNumber(_ field: Tree.Field) {
        if field.number <= 0 {
            error("field numbers must be positive integers", at: field.numberLocation)
        } else if field.number > Self.maximumFieldNumber {
            error("field numbers cannot be greater than \(Self.maximumFieldNumber)", at: field.numberLocation)
        } else if Self.implementationReserved.contains(field.number) {
            error(
                "field numbers 19000 through 19999 are reserved for the protocol buffer library implementation",
                at: field.numberLocation)
        }
    }

    private mutating func checkRanges(_ ranges: [Tree.Range], what: String, maximum: Int32) {
        for (index, range) in ranges.enumerated() {
            if range.start <= 0 && maximum == Self.maximumFieldNumber {
                error("\(what) numbers must be positive integers", at: range.location)
            } else if range.end > maximum {
                error("\(what) numbers cannot be greater than \(maximum)", at: range.location)
            } else if range.end < range.start {
                error("\(what) range end number must be greater than start number", at: range.location)
            }
            for other in ranges[..<index] where other.start <= range.end && range.start <= other.end {
                error(
                    "\(what) range \(range.start) to \(range.end) overlaps with already-defined range \(other.start) to \(other.end)",
                    at: range.location)
            }
        }
    }

    mutating func checkField(_ field: Tree.Field, _ result: DescriptorProto.Field, scope: String, isExtension: Bool) {
        if isProto3, let location = field.defaultLocation {
            error("explicit default values are not allowed in proto3", at: location)
        } else if field.label == .repeated, let location = field.defaultLocation {
            error("repeated fields can't have default values", at: location)
        }
        if isProto3, result.type == 14, let typeName = result.typeName,
            let linked = state.enums[String(typeName.dropFirst())], !linked.isProto3, !isExtension
        {
            error(
                "enum type \"\(typeName.dropFirst())\" is not a proto3 enum, but is used in \"\(scope)\" which is a proto3 message type",
                at: field.typeLocation)
        }
        guard isExtension else { return }
        checkFieldNumber(field)
        if field.label == .required { error("extensions cannot be required", at: field.location) }
        if let extendee = result.extendee, !extendee.isEmpty {
            let name = String(extendee.dropFirst())
            if isProto3 && !name.hasPrefix("google.protobuf.") || isProto3 && !name.hasSuffix("Options") {
                error("extensions in proto3 are only allowed for defining options", at: field.extendeeLocation)
            }
        }
    }

    /// The checks that need every message of the file linked.
    mutating func checkFile(_ file: DescriptorProto.File) {
        checkExtensionNumbers(tree.extensions, file.extensions)
        func visit(_ message: Tree.Message, _ result: DescriptorProto.Message, linker: inout SchemaLinker) {
            linker.checkExtensionNumbers(message.extensions, result.extensions)
            for (nested, nestedResult) in zip(message.nested, result.nestedMessages) {
                visit(nested, nestedResult, linker: &linker)
            }
        }
        for (message, result) in zip(tree.messages, file.messages) { visit(message, result, linker: &self) }
    }

    /// The checks that need the options interpreted: `packed`, `lazy` and `jstype` only where
    /// they mean something.
    mutating func checkInterpretedOptions(_ file: DescriptorProto.File) {
        func fields(_ trees: [Tree.Field], _ results: [DescriptorProto.Field], linker: inout SchemaLinker) {
            for (field, result) in zip(trees, results) { linker.checkFieldOptions(field, result) }
        }
        func visit(_ message: Tree.Message, _ result: DescriptorProto.Message, linker: inout SchemaLinker) {
            fields(message.fields, result.fields, linker: &linker)
            fields(message.extensions, result.extensions, linker: &linker)
            for (nested, nestedResult) in zip(message.nested, result.nestedMessages) {
                visit(nested, nestedResult, linker: &linker)
            }
        }
        fields(tree.extensions, file.extensions, linker: &self)
        for (message, result) in zip(tree.messages, file.messages) { visit(message, result, linker: &self) }
    }

    private mutating func checkFieldOptions(_ field: Tree.Field, _ result: DescriptorProto.Field) {
        let options = result.options
        let type = result.type ?? 0
        if (try? options.boolValue(fieldNumber: 2)) == true && (result.label != 3 || [9, 10, 11, 12].contains(type)) {
            error("[packed = true] can only be specified for repeated primitive fields", at: field.location)
        }
        if (try? options.boolValue(fieldNumber: 5)) == true && type != 11 {
            error("[lazy = true] can only be specified for submessage fields", at: field.location)
        }
        if (try? options.varintValue(fieldNumber: 6)) ?? nil != nil && ![3, 4, 6, 16, 18].contains(type) {
            error("jstype is only allowed on int64, uint64, sint64, fixed64 or sfixed64 fields", at: field.location)
        }
    }

    /// Extension numbers must lie in the extendee's ranges and be unique per extendee; run once
    /// the file's own messages are registered.
    mutating func checkExtensionNumbers(_ fields: [Tree.Field], _ results: [DescriptorProto.Field]) {
        for (field, result) in zip(fields, results) {
            guard let extendee = result.extendee, !extendee.isEmpty,
                let message = state.messages[String(extendee.dropFirst())]
            else { continue }
            if !message.proto.extensionRanges.contains(where: { $0.contains(field.number) }) {
                error(
                    "\"\(extendee.dropFirst())\" does not declare \(field.number) as an extension number",
                    at: field.numberLocation)
            }
            for (name, other) in state.extensions
            where other.field.extendee == extendee && other.field.number == field.number
                && other.field.name != field.name && visible.contains(other.file)
            {
                error(
                    "extension number \(field.number) has already been used in \"\(extendee.dropFirst())\" by extension \"\(name)\"",
                    at: field.numberLocation)
                break
            }
        }
    }

    mutating func checkEnum(_ item: Tree.Enum, fullName: String) {
        guard let first = item.values.first else {
            error("enums must contain at least one value", at: item.location)
            return
        }
        if isProto3 && first.number != 0 {
            error("the first enum value must be zero in proto3", at: first.location)
        }
        let allowAlias = item.options.contains {
            $0.name.count == 1 && $0.name[0].name == "allow_alias" && !$0.name[0].isExtension
                && $0.value == .identifier("true")
        }
        var numbers: [Int32: String] = [:]
        var aliased = false
        for value in item.values {
            if let previous = numbers[value.number] {
                aliased = true
                if !allowAlias {
                    error(
                        "\"\(value.name)\" uses the same enum value as \"\(previous)\"; if this is intended, "
                            + "set \"option allow_alias = true;\" to the enum definition", at: value.location)
                }
            } else {
                numbers[value.number] = value.name
            }
            if item.reservedRanges.contains(where: { ($0.start...max($0.start, $0.end)).contains(value.number) }) {
                error("enum value \"\(value.name)\" uses reserved number \(value.number)", at: value.location)
            }
            if item.reservedNames.contains(where: { $0.0 == value.name }) {
                error("enum value \"\(value.name)\" is reserved", at: value.location)
            }
        }
        if isProto3 { checkStrippedNames(item) }
        if allowAlias && !aliased {
            error(
                "\"\(fullName)\" declares support for enum aliases but no enum values share field numbers; "
                    + "remove the unnecessary \"option allow_alias = true;\"", at: item.location)
        }
        checkRanges(item.reservedRanges, what: "reserved", maximum: Int32.max)
    }

    /// protoc's `CheckEnumValueUniqueness` (an error in proto3): value names must stay distinct,
    /// with different numbers, once the enum's name is stripped as a prefix and case is ignored
    /// (`MY_ENUM_FOO` and `FOO` in `MyEnum` clash), since code generators strip such prefixes.
    private mutating func checkStrippedNames(_ item: Tree.Enum) {
        let prefix = Array(item.name.lowercased().utf8.filter { $0 != UInt8(ascii: "_") })
        var seen: [String: Tree.EnumValue] = [:]
        for value in item.values {
            let key = Self.pascalCase(Self.strippingPrefix(prefix, from: Array(value.name.utf8)))
            if let previous = seen[key] {
                if previous.name != value.name && previous.number != value.number {
                    error(
                        "enum name \(value.name) has the same name as \(previous.name) if you ignore case and strip out "
                            + "the enum name prefix (if any); if you are using allow_alias, please assign the same "
                            + "numeric value to both enums", at: value.location)
                }
            } else {
                seen[key] = value
            }
        }
    }

    /// protoc's `PrefixRemover::MaybeRemove`: drops `prefix` (lower-case, no underscores) from the
    /// start of `name`, ignoring case and underscores, unless nothing would be left.
    static func strippingPrefix(_ prefix: [UInt8], from name: [UInt8]) -> [UInt8] {
        var index = 0
        var matched = 0
        while index < name.count && matched < prefix.count {
            if name[index] == UInt8(ascii: "_") {
                index += 1
                continue
            }
            let lower =
                name[index] >= UInt8(ascii: "A") && name[index] <= UInt8(ascii: "Z") ? name[index] + 32 : name[index]
            if lower != prefix[matched] { return name }
            index += 1
            matched += 1
        }
        if matched < prefix.count { return name }
        while index < name.count && name[index] == UInt8(ascii: "_") { index += 1 }
        return index == name.count ? name : Array(name[index...])
    }

    /// protoc's `EnumValueToPascalCase`.
    static func pascalCase(_ name: [UInt8]) -> String {
        var result: [UInt8] = []
        var upper = true
        for byte in name {
            if byte == UInt8(ascii: "_") {
                upper = true
                continue
            }
            let isLower = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            let isUpper = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
            result.append(upper ? (isLower ? byte - 32 : byte) : (isUpper ? byte + 32 : byte))
            upper = false
        }
        return String(decoding: result, as: UTF8.self)
    }

    // MARK: Defaults

    /// The default as protoc stores it: decimal integers, `SimpleDtoa` floats, `CEscape`d bytes,
    /// raw strings, enum value names, `true`/`false`.
    mutating func defaultText(_ value: Tree.Value, for field: DescriptorProto.Field, at location: SchemaLocation)
        -> String?
    {
        guard let type = field.type else { return nil }
        switch (type, value) {
        case (9, .string(let bytes)):
            return String(decoding: bytes, as: UTF8.self)
        case (12, .string(let bytes)):
            return SchemaNumberFormat.cEscape(bytes)
        case (8, .identifier(let word)) where word == "true" || word == "false":
            return word
        case (1, _), (2, _):
            var number: Double?
            switch value {
            case .float(let double): number = double
            case .integer(let negative, let magnitude): number = negative ? -Double(magnitude) : Double(magnitude)
            case .identifier("inf"): number = .infinity
            case .identifier("nan"): number = .nan
            default: break
            }
            if let number {
                return type == 1 ? SchemaNumberFormat.simpleDtoa(number) : SchemaNumberFormat.simpleFtoa(Float(number))
            }
        case (3, .integer(let negative, let magnitude)), (5, .integer(let negative, let magnitude)),
            (15, .integer(let negative, let magnitude)), (16, .integer(let negative, let magnitude)),
            (17, .integer(let negative, let magnitude)), (18, .integer(let negative, let magnitude)):
            let is32 = type == 5 || type == 15 || type == 17
            let limit: UInt64 = is32 ? UInt64(Int32.max) : UInt64(Int64.max)
            guard magnitude <= limit + (negative ? 1 : 0) else {
                error("integer out of range for the default value", at: location)
                return nil
            }
            return (negative ? "-" : "") + String(magnitude)
        case (4, .integer(let negative, let magnitude)), (6, .integer(let negative, let magnitude)),
            (7, .integer(let negative, let magnitude)), (13, .integer(let negative, let magnitude)):
            if negative {
                error("unsigned field can't have negative default value", at: location)
                return nil
            }
            let is32 = type == 7 || type == 13
            guard !is32 || magnitude <= UInt64(UInt32.max) else {
                error("integer out of range for the default value", at: location)
                return nil
            }
            return String(magnitude)
        case (14, .identifier(let word)):
            guard let typeName = field.typeName, let linked = state.enums[String(typeName.dropFirst())] else {
                return word
            }
            if !linked.values.contains(where: { $0.name == word }) {
                error(
                    "enum type \"\(typeName.dropFirst())\" has no value named \"\(word)\""
                        + SchemaSymbolTable.didYouMean(word, among: linked.values.map(\.name)), at: location)
            }
            return word
        case (10, _), (11, _):
            error("messages can't have default values", at: location)
            return nil
        default:
            break
        }
        let expected = [
            "", "a number", "a number", "an integer", "an integer", "an integer", "an integer",
            "an integer", "true or false", "a string", "", "", "a string", "an integer",
            "an enum value name", "an integer", "an integer", "an integer", "an integer",
        ]
        error("expected \(expected[Int(type)]) for the default value", at: location)
        return nil
    }
}
