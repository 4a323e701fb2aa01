/// Splits a `.proto` file into tokens in one pass over its bytes.
///
/// Grammar (protobuf language specification, "Lexical elements"; protoc's `io::Tokenizer`):
///
///     ident   = letter { letter | decimalDigit | "_" }          letter includes "_"
///     intLit  = decimalLit | octalLit | hexLit                   "0x1F", "017", "42"
///     floatLit= decimals "." [decimals] [exponent] | decimals exponent | "." decimals [exponent]
///     strLit  = ( "'" { charValue } "'" ) | ( '"' { charValue } '"' )
///     charValue = hexEscape | octEscape | charEscape | unicodeEscape | /[^\0\n\\]/
///     comment = "//" ... newline | "/*" ... "*/"
///
/// Every other printable character is a one-byte symbol. Errors are collected, not thrown, so a
/// file with several bad literals reports all of them.
struct SchemaLexer {
    private(set) var tokens: [SchemaToken] = []
    /// Decoded string literals, referenced by ``SchemaToken/payload``.
    private(set) var strings: [[UInt8]] = []
    private(set) var diagnostics: [SchemaDiagnostic] = []

    private let source: [UInt8]
    private let file: String
    private var offset = 0
    private var line: Int32 = 1
    private var column: Int32 = 1

    /// Lexes `source` completely.
    init(source: [UInt8], file: String) {
        self.source = source
        self.file = file
        tokens.reserveCapacity(source.count / 4)
        if source.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }  // a UTF-8 byte order mark, which protoc skips
        run()
    }

    private func peek(_ ahead: Int = 0) -> UInt8 {
        offset + ahead < source.count ? source[offset + ahead] : 0
    }

    private var atEnd: Bool { offset >= source.count }

    private mutating func advance() {
        let byte = source[offset]
        offset += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte == UInt8(ascii: "\t") {
            column += 8 - (column - 1) % 8
        } else if byte & 0xC0 != 0x80 {
            column += 1  // count UTF-8 continuation bytes as part of their character
        }
    }

    private mutating func error(_ message: String, at location: SchemaLocation) {
        diagnostics.append(SchemaDiagnostic(file: file, location: location, message: message))
    }

    private mutating func run() {
        while true {
            skipWhitespaceAndComments()
            let start = offset
            let location = SchemaLocation(line: line, column: column)
            if atEnd {
                tokens.append(
                    SchemaToken(
                        kind: .end, start: Int32(start), end: Int32(start), line: location.line,
                        column: location.column))
                return
            }
            var token = SchemaToken(
                kind: .symbol, start: Int32(start), end: Int32(start), line: location.line, column: location.column)
            let byte = peek()
            if Self.isLetter(byte) {
                while Self.isLetter(peek()) || Self.isDigit(peek()) { advance() }
                token.kind = .identifier
            } else if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && Self.isDigit(peek(1))) {
                token.kind = lexNumber(at: location)
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                token.kind = .string
                token.payload = Int32(strings.count)
                strings.append(lexString(quote: byte, at: location))
            } else {
                advance()
                if byte < 0x20 || byte == 0x7F {
                    error("invalid control character \(byte) in text", at: location)
                    continue
                }
                if byte >= 0x80 {
                    while !atEnd && peek() & 0xC0 == 0x80 { advance() }
                    error(
                        "unexpected non-ASCII character; only string literals and comments may hold them", at: location)
                    continue
                }
                token.payload = Int32(byte)
            }
            token.end = Int32(offset)
            tokens.append(token)
        }
    }

    private mutating func skipWhitespaceAndComments() {
        while !atEnd {
            let byte = peek()
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C {
                advance()
            } else if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/") {
                while !atEnd && peek() != 0x0A {
                    rejectNul()
                    advance()
                }
            } else if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                let location = SchemaLocation(line: line, column: column)
                advance()
                advance()
                while !atEnd && !(peek() == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) {
                    rejectNul()
                    advance()
                }
                if atEnd {
                    error("block comment is never closed (missing \"*/\")", at: location)
                } else {
                    advance()
                    advance()
                }
            } else {
                return
            }
        }
    }

    /// protoc's tokenizer stops at a NUL byte even inside comments; so do we, with its error.
    private mutating func rejectNul() {
        if peek() == 0 && offset < source.count {
            error("invalid control characters encountered in text", at: SchemaLocation(line: line, column: column))
        }
    }

    /// intLit or floatLit. A letter straight after a number is an error, as in protoc.
    private mutating func lexNumber(at location: SchemaLocation) -> SchemaToken.Kind {
        var kind = SchemaToken.Kind.integer
        if peek() == UInt8(ascii: "0") && (peek(1) | 0x20) == UInt8(ascii: "x") {
            advance()
            advance()
            if !Self.isHexDigit(peek()) { error("\"0x\" must be followed by hex digits", at: location) }
            while Self.isHexDigit(peek()) { advance() }
        } else if peek() == UInt8(ascii: "0") && Self.isDigit(peek(1)) {
            while Self.isDigit(peek()) {
                if peek() >= UInt8(ascii: "8") {
                    error("numbers starting with 0 are octal; 8 and 9 are not octal digits", at: location)
                }
                advance()
            }
        } else {
            while Self.isDigit(peek()) { advance() }
            if peek() == UInt8(ascii: ".") {
                kind = .float
                advance()
                while Self.isDigit(peek()) { advance() }
            }
            if (peek() | 0x20) == UInt8(ascii: "e") {
                kind = .float
                advance()
                if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { advance() }
                if !Self.isDigit(peek()) { error("the exponent of a float needs digits", at: location) }
                while Self.isDigit(peek()) { advance() }
            }
        }
        if Self.isLetter(peek()) || (kind == .integer && peek() == UInt8(ascii: ".")) {
            error("need space between a number and what follows it", at: SchemaLocation(line: line, column: column))
            while Self.isLetter(peek()) || Self.isDigit(peek()) || peek() == UInt8(ascii: ".") { advance() }
        }
        return kind
    }

    /// strLit: decodes escapes into bytes; `\u` and `\U` become UTF-8.
    private mutating func lexString(quote: UInt8, at location: SchemaLocation) -> [UInt8] {
        var bytes: [UInt8] = []
        advance()
        while true {
            if atEnd || peek() == 0x0A {
                error("string literal is not closed before the end of the line", at: location)
                return bytes
            }
            let byte = peek()
            if byte == quote {
                advance()
                return bytes
            }
            if byte != UInt8(ascii: "\\") {
                if byte == 0 {
                    error(
                        "invalid control characters encountered in text", at: SchemaLocation(line: line, column: column)
                    )
                }
                bytes.append(byte)
                advance()
                continue
            }
            let escapeLocation = SchemaLocation(line: line, column: column)
            advance()
            lexEscape(into: &bytes, at: escapeLocation)
        }
    }

    private mutating func lexEscape(into bytes: inout [UInt8], at location: SchemaLocation) {
        let byte = peek()
        switch byte {
        case UInt8(ascii: "a"): bytes.append(0x07)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "v"): bytes.append(0x0B)
        case UInt8(ascii: "\\"), UInt8(ascii: "?"), UInt8(ascii: "'"), UInt8(ascii: "\""): bytes.append(byte)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var value = 0
            var count = 0
            while count < 3 && peek() >= UInt8(ascii: "0") && peek() <= UInt8(ascii: "7") {
                value = value * 8 + Int(peek() - UInt8(ascii: "0"))
                advance()
                count += 1
            }
            bytes.append(UInt8(truncatingIfNeeded: value))
            return
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
            advance()
            var value = 0
            var count = 0
            while count < 2, let digit = Self.hexValue(peek()) {
                value = value * 16 + digit
                advance()
                count += 1
            }
            if count == 0 { error("\"\\x\" must be followed by hex digits", at: location) }
            bytes.append(UInt8(value))
            return
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            advance()
            let digits = byte == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            for _ in 0..<digits {
                guard let digit = Self.hexValue(peek()) else {
                    error(
                        "\"\\\(Character(Unicode.Scalar(byte)))\" must be followed by \(digits) hex digits",
                        at: location)
                    return
                }
                value = value &* 16 &+ UInt32(digit)
                advance()
            }
            guard let scalar = Unicode.Scalar(value) else {
                error("\"\\\(Character(Unicode.Scalar(byte)))\" escape is not a valid Unicode code point", at: location)
                return
            }
            bytes.append(contentsOf: String(Character(scalar)).utf8)
            return
        default:
            error("invalid escape sequence in string literal", at: location)
            if atEnd || peek() == 0x0A { return }
        }
        advance()
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_")
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isHexDigit(_ byte: UInt8) -> Bool { hexValue(byte) != nil }

    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
