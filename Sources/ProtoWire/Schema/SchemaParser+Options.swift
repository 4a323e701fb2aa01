/// Options and constants, including text-format aggregate values.
///
///     option      = "option" optionName "=" constant ";"
///     optionName  = ( ident | "(" ["."] fullIdent ")" ) { "." ( ident | "(" ["."] fullIdent ")" ) }
///     constant    = fullIdent | ( [ "-" | "+" ] intLit ) | ( [ "-" | "+" ] floatLit ) | strLit
///                 | "{" textFormatMessage "}"
///     fieldOptions = fieldOption { "," fieldOption }     ("default" and "json_name" are fields, not options)
///
/// Text format (https://protobuf.dev/reference/protobuf/textformat-spec/):
///
///     message = { field [ ";" | "," ] }
///     field   = name ( ":" scalar | [ ":" ] ( messageValue | list ) | ":" list )
///     name    = ident | "[" typeName [ "/" typeName ] "]"
///     messageValue = "{" message "}" | "<" message ">"
///     list    = "[" [ value { "," value } ] "]"
extension SchemaParser {
    typealias Option = SchemaSyntaxTree.Option

    mutating func parseOptionStatement() throws(Failure) -> Option {
        let option = try parseOptionAssignment()
        try expect(";")
        return option
    }

    /// `[ a = 1, (b) = 2 ]` on an extension range or enum value.
    mutating func parseBracketOptions() throws(Failure) -> [Option] {
        try expect("[")
        var options: [Option] = []
        repeat { options.append(try parseOptionAssignment()) } while consume(",")
        try expect("]")
        return options
    }

    /// A field's `[...]`: `default` and `json_name` become the field's own properties.
    mutating func parseFieldOptions(_ field: inout Field, context: FieldContext) throws(Failure) {
        try expect("[")
        repeat {
            let option = try parseOptionAssignment()
            if option.name.count == 1 && !option.name[0].isExtension && option.name[0].name == "default" {
                if field.defaultValue != nil { throw fail("already set option \"default\"", at: option.location) }
                field.defaultValue = option.value
                field.defaultLocation = option.valueLocation
            } else if option.name.count == 1 && !option.name[0].isExtension && option.name[0].name == "json_name" {
                if case .extend = context {
                    throw fail("option json_name is not allowed on extension fields", at: option.location)
                }
                if field.jsonName != nil { throw fail("already set option \"json_name\"", at: option.location) }
                guard case .string(let bytes) = option.value else {
                    throw fail("expected a string for json_name", at: option.valueLocation)
                }
                field.jsonName = String(decoding: bytes, as: UTF8.self)
            } else {
                field.options.append(option)
            }
        } while consume(",")
        try expect("]")
    }

    private mutating func parseOptionAssignment() throws(Failure) -> Option {
        let start = location
        var parts: [SchemaSyntaxTree.NamePart] = []
        repeat {
            let partLocation = location
            if consume("(") {
                let name = try fullIdentifier("an extension name", allowLeadingDot: true)
                try expect(")")
                parts.append(SchemaSyntaxTree.NamePart(name: name, isExtension: true, location: partLocation))
            } else {
                let name = try identifier("an option name")
                parts.append(SchemaSyntaxTree.NamePart(name: name, isExtension: false, location: partLocation))
            }
            if parts.count > Self.maximumDepth { throw fail("option name has more than \(Self.maximumDepth) parts") }
        } while consume(".")
        try expect("=", "after the option name")
        let valueLocation = location
        let isDefault = parts.count == 1 && !parts[0].isExtension && parts[0].name == "default"
        let value = try parseConstant(allowsSignedIdentifier: isDefault)
        return Option(name: parts, value: value, location: start, valueLocation: valueLocation)
    }

    /// A constant of an option or default.
    /// Only defaults take `-inf` and `-nan`; protoc rejects a sign before an identifier elsewhere.
    mutating func parseConstant(allowsSignedIdentifier: Bool) throws(Failure) -> SchemaSyntaxTree.Value {
        if consume("{") {
            let fields = try parseAggregateFields(closing: "}")
            return .aggregate(fields)
        }
        if current.kind == .string { return .string(try stringLiteral("a value")) }
        let start = location
        let negative = consume("-")
        if !negative { _ = consume("+") }
        switch current.kind {
        case .integer:
            guard let magnitude = integerValue(current) else { throw fail("integer out of range", at: start) }
            next()
            if negative && magnitude > UInt64(1) << 63 { throw fail("integer out of range", at: start) }
            return .integer(negative: negative, magnitude: magnitude)
        case .float:
            let value = floatValue(current)
            next()
            return .float(negative ? -value : value)
        case .identifier:
            let word = text(current)
            let wordLocation = location
            next()
            if negative && !allowsSignedIdentifier {
                throw fail("invalid \"-\" symbol before identifier", at: wordLocation)
            }
            if negative {
                switch word {
                case "inf": return .float(-.infinity)
                case "nan": return .float(-Double.nan)
                default: throw fail("identifier after \"-\" must be inf or nan", at: start)
                }
            }
            return .identifier(word)
        default:
            throw fail("expected a value, found \(found)", at: start)
        }
    }

    /// The fields of a text-format message, up to and including `closing`.
    mutating func parseAggregateFields(closing: Unicode.Scalar) throws(Failure) -> [SchemaSyntaxTree.AggregateField] {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth { throw fail("aggregate value nests more than \(Self.maximumDepth) levels deep") }
        var fields: [SchemaSyntaxTree.AggregateField] = []
        while !consume(closing) {
            if atEnd { throw fail("reached end of file inside an aggregate value; missing \"\(closing)\"") }
            let start = location
            var name: String
            var isExtension = false
            if consume("[") {
                isExtension = true
                name = try fullIdentifier("an extension name or type URL", allowLeadingDot: true)
                while consume("/") { name += "/" + (try fullIdentifier("a type URL")) }
                try expect("]")
            } else {
                name = try identifier("a field name")
            }
            let hasColon = consume(":")
            var values: [SchemaSyntaxTree.AggregateValue] = []
            if consume("[") {
                if !consume("]") {
                    repeat { values.append(try parseAggregateValue(scalarAllowed: hasColon)) } while consume(",")
                    try expect("]")
                }
            } else {
                if !hasColon && !isSymbol("{") && !isSymbol("<") {
                    throw fail("expected \":\" after field \"\(name)\", found \(found)")
                }
                values.append(try parseAggregateValue(scalarAllowed: hasColon))
            }
            fields.append(
                SchemaSyntaxTree.AggregateField(name: name, isExtension: isExtension, values: values, location: start))
            if !consume(";") { _ = consume(",") }
        }
        return fields
    }

    private mutating func parseAggregateValue(scalarAllowed: Bool) throws(Failure) -> SchemaSyntaxTree.AggregateValue {
        let start = location
        if consume("{") { return .message(try parseAggregateFields(closing: "}"), start) }
        if consume("<") { return .message(try parseAggregateFields(closing: ">"), start) }
        guard scalarAllowed else { throw fail("expected \"{\" or \"<\", found \(found)") }
        if current.kind == .string { return .scalar(.string(try stringLiteral("a value")), start) }
        let negative = consume("-")
        switch current.kind {
        case .integer:
            guard let magnitude = integerValue(current) else { throw fail("integer out of range", at: start) }
            next()
            return .scalar(.integer(negative: negative, magnitude: magnitude), start)
        case .float:
            let value = floatValue(current)
            next()
            return .scalar(.float(negative ? -value : value), start)
        case .identifier:
            let word = text(current)
            next()
            return .scalar(.identifier(negative ? "-" + word : word), start)
        default:
            throw fail("expected a value, found \(found)", at: start)
        }
    }
}
