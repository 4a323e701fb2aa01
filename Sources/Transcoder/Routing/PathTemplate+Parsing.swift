extension PathTemplate {
    /// Parses `text` by the grammar in ``PathTemplate``'s documentation, one function per rule.
    ///
    /// Beyond the grammar: `**` may only be the last segment (before the verb); variables do not
    /// nest; a field is bound at most once; a template has at most ``maximumSegmentCount``
    /// segments. `/` alone is accepted as the root path. LITERAL characters are RFC 3986 `pchar`
    /// minus `*` and `:` (which the grammar gives meanings), with `%XX` escapes checked.
    public init(parsing text: String) throws(PathTemplateError) {
        var parser = Parser(text: text)
        self = try parser.parseTemplate()
    }

    /// A recursive-descent parser over the template's UTF-8 bytes.
    struct Parser {
        let text: String
        let bytes: [UInt8]
        var position = 0
        var segments: [Segment] = []
        /// 1-based column of each segment, for errors found after parsing.
        var segmentColumns: [Int] = []
        var variables: [Variable] = []
        var variableColumns: [Int] = []

        init(text: String) {
            self.text = text
            self.bytes = Array(text.utf8)
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }
        var column: Int { position + 1 }

        func error(_ code: PathTemplateError.Code, at column: Int, _ message: String) -> PathTemplateError {
            PathTemplateError(code, template: text, column: column, message)
        }

        /// `Template = "/" Segments [ Verb ] ;`
        mutating func parseTemplate() throws(PathTemplateError) -> PathTemplate {
            if bytes.isEmpty { throw error(.emptyTemplate, at: 1, "a template must not be empty") }
            guard current == UInt8(ascii: "/") else {
                throw error(.missingLeadingSlash, at: 1, "a template must start with '/'")
            }
            position += 1
            if current != nil {
                try parseSegments(insideVariable: false)
            }
            var verb: String?
            if current == UInt8(ascii: ":") {
                verb = try parseVerb()
            }
            if let byte = current {
                throw error(.unexpectedCharacter, at: column, "unexpected \(describe(byte))")
            }
            try checkMultiWildcardIsLast()
            return PathTemplate(text: text, segments: segments, variables: variables, verb: verb)
        }

        /// `Segments = Segment { "/" Segment } ;`
        mutating func parseSegments(insideVariable: Bool) throws(PathTemplateError) {
            try parseSegment(insideVariable: insideVariable)
            while current == UInt8(ascii: "/") {
                position += 1
                try parseSegment(insideVariable: insideVariable)
            }
        }

        /// `Segment = "*" | "**" | LITERAL | Variable ;`
        mutating func parseSegment(insideVariable: Bool) throws(PathTemplateError) {
            let start = column
            if segments.count == PathTemplate.maximumSegmentCount {
                throw error(
                    .tooManySegments, at: start, "more than \(PathTemplate.maximumSegmentCount) segments")
            }
            switch current {
            case UInt8(ascii: "*"):
                position += 1
                if current == UInt8(ascii: "*") {
                    position += 1
                    append(.multiWildcard, column: start)
                } else {
                    append(.wildcard, column: start)
                }
                if let byte = current, !isSegmentEnd(byte) {
                    throw error(.unexpectedCharacter, at: column, "unexpected \(describe(byte)) after a wildcard")
                }
            case UInt8(ascii: "{"):
                if insideVariable {
                    throw error(.nestedVariable, at: start, "variables must not nest")
                }
                try parseVariable()
            case nil, UInt8(ascii: "/"), UInt8(ascii: "}"), UInt8(ascii: ":"):
                throw error(.emptySegment, at: start, "expected a segment")
            default:
                append(.literal(try parseLiteral(what: "segment")), column: start)
            }
        }

        mutating func append(_ segment: Segment, column: Int) {
            segments.append(segment)
            segmentColumns.append(column)
        }

        /// `Variable = "{" FieldPath [ "=" Segments ] "}" ;`
        mutating func parseVariable() throws(PathTemplateError) {
            let start = column
            position += 1  // "{"
            let fieldPath = try parseFieldPath()
            let first = segments.count
            if current == UInt8(ascii: "=") {
                position += 1
                try parseSegments(insideVariable: true)
            } else {
                append(.wildcard, column: start)
            }
            guard current == UInt8(ascii: "}") else {
                if current == UInt8(ascii: "{") {
                    throw error(.nestedVariable, at: column, "variables must not nest")
                }
                throw error(
                    .unterminatedVariable, at: column,
                    current.map { "expected '}', found \(describe($0))" } ?? "variable is not closed with '}'")
            }
            position += 1
            if variables.contains(where: { $0.fieldPath == fieldPath }) {
                throw error(
                    .duplicateVariable, at: start, "field '\(fieldPath.joined(separator: "."))' is bound twice")
            }
            let isMultiSegment = segments.count - first != 1 || segments[first] == .multiWildcard
            variables.append(
                Variable(fieldPath: fieldPath, segments: first..<segments.count, isMultiSegment: isMultiSegment))
            variableColumns.append(start)
        }

        /// `FieldPath = IDENT { "." IDENT } ;` with `IDENT = [A-Za-z_][A-Za-z0-9_]*`.
        mutating func parseFieldPath() throws(PathTemplateError) -> [String] {
            var path = [try parseIdentifier()]
            while current == UInt8(ascii: ".") {
                position += 1
                path.append(try parseIdentifier())
            }
            return path
        }

        mutating func parseIdentifier() throws(PathTemplateError) -> String {
            let start = position
            guard let first = current, first == UInt8(ascii: "_") || RoutingBytes.isLetter(first) else {
                throw error(
                    .invalidFieldPath, at: column,
                    "expected a field name, found \(current.map(describe) ?? "the end")")
            }
            position += 1
            while let byte = current,
                byte == UInt8(ascii: "_") || RoutingBytes.isLetter(byte) || RoutingBytes.isDigit(byte)
            {
                position += 1
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        /// `Verb = ":" LITERAL ;`
        mutating func parseVerb() throws(PathTemplateError) -> String {
            position += 1  // ":"
            guard let byte = current, isLiteralByte(byte) else {
                throw error(
                    .invalidVerb, at: column, "expected a verb after ':', found \(current.map(describe) ?? "the end")")
            }
            return try parseLiteral(what: "verb")
        }

        /// LITERAL: one or more `pchar` other than `*` and `:`, with valid `%XX` escapes.
        mutating func parseLiteral(what: String) throws(PathTemplateError) -> String {
            let start = position
            while let byte = current, !isSegmentEnd(byte) {
                if byte == UInt8(ascii: "%") {
                    guard position + 2 < bytes.count, RoutingBytes.isHexDigit(bytes[position + 1]),
                        RoutingBytes.isHexDigit(bytes[position + 2])
                    else {
                        throw error(.invalidPercentEncoding, at: column, "'%' must be followed by two hex digits")
                    }
                    position += 3
                    continue
                }
                guard isLiteralByte(byte) else {
                    throw error(.unexpectedCharacter, at: column, "unexpected \(describe(byte)) in a \(what)")
                }
                position += 1
            }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        /// `**` matches the rest of the path, so nothing but the verb may follow it.
        func checkMultiWildcardIsLast() throws(PathTemplateError) {
            for (index, segment) in segments.enumerated() where segment == .multiWildcard {
                if index != segments.count - 1 {
                    throw error(.multiWildcardNotLast, at: segmentColumns[index], "'**' must be the last segment")
                }
            }
        }

        func isSegmentEnd(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "/") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ":")
                || byte == UInt8(ascii: "{")
        }

        /// RFC 3986 `pchar` without `:` and `*` and `%` (escapes are handled by the caller).
        func isLiteralByte(_ byte: UInt8) -> Bool {
            if RoutingBytes.isLetter(byte) || RoutingBytes.isDigit(byte) { return true }
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "!"),
                UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "@"):
                return true
            default:
                return false
            }
        }

        func describe(_ byte: UInt8) -> String {
            byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        }
    }
}
