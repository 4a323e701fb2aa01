/// Parses one `.proto` file (proto2 or proto3) into a ``SchemaSyntaxTree/File``.
///
/// A recursive-descent parser with one function per grammar rule of the protobuf language
/// specification (https://protobuf.dev/reference/protobuf/proto2-spec/ and proto3-spec). On an
/// error it records a diagnostic and skips to the end of the statement, as protoc does, so one
/// run reports every syntax error of the file.
///
///     proto   = [syntax] { import | package | option | topLevelDef | emptyStatement }
///     syntax  = "syntax" "=" strLit ";"
///     import  = "import" [ "weak" | "public" ] strLit ";"
///     package = "package" fullIdent ";"
///     option  = "option" optionName "=" constant ";"
///     topLevelDef = message | enum | extend | service
struct SchemaParser {
    /// Thrown after a diagnostic has been recorded, to unwind to the statement being parsed.
    struct Failure: Error {}

    /// Deepest nesting of messages and aggregate values accepted; deeper input is an error, so
    /// hostile files cannot exhaust the stack.
    static let maximumDepth = 64

    var tokens: [SchemaToken]
    var strings: [[UInt8]]
    let source: [UInt8]
    var position = 0
    var depth = 0
    var diagnostics: [SchemaDiagnostic]
    var file: SchemaSyntaxTree.File

    /// Parses `source`; the result holds the tree and every lexical and syntax diagnostic.
    static func parse(source: [UInt8], name: String) -> (file: SchemaSyntaxTree.File, diagnostics: [SchemaDiagnostic]) {
        let lexer = SchemaLexer(source: source, file: name)
        var parser = SchemaParser(
            tokens: lexer.tokens, strings: lexer.strings, source: source, diagnostics: lexer.diagnostics,
            file: SchemaSyntaxTree.File(name: name))
        parser.parseFile()
        return (parser.file, parser.diagnostics)
    }

    // MARK: Token cursor

    var current: SchemaToken { tokens[position] }
    var location: SchemaLocation { current.location }
    var atEnd: Bool { current.kind == .end }

    mutating func next() {
        if current.kind != .end { position += 1 }
    }

    func text(_ token: SchemaToken) -> String {
        String(decoding: source[Int(token.start)..<Int(token.end)], as: UTF8.self)
    }

    func isSymbol(_ symbol: Unicode.Scalar) -> Bool {
        current.kind == .symbol && current.payload == Int32(symbol.value)
    }

    func isKeyword(_ keyword: String) -> Bool {
        current.kind == .identifier && sourceEquals(current, keyword)
    }

    func sourceEquals(_ token: SchemaToken, _ word: String) -> Bool {
        var word = word
        return word.withUTF8 { utf8 in
            Int(token.end - token.start) == utf8.count
                && source.withUnsafeBufferPointer { buffer in
                    utf8.indices.allSatisfy { buffer[Int(token.start) + $0] == utf8[$0] }
                }
        }
    }

    mutating func consume(_ symbol: Unicode.Scalar) -> Bool {
        if isSymbol(symbol) {
            next()
            return true
        }
        return false
    }

    mutating func consumeKeyword(_ keyword: String) -> Bool {
        if isKeyword(keyword) {
            next()
            return true
        }
        return false
    }

    /// Describes the current token for "expected X, found Y" messages.
    var found: String {
        switch current.kind {
        case .end: "end of file"
        case .string: "string literal"
        default: "\"\(text(current))\""
        }
    }

    mutating func fail(_ message: String, at location: SchemaLocation? = nil) -> Failure {
        diagnostics.append(SchemaDiagnostic(file: file.name, location: location ?? self.location, message: message))
        return Failure()
    }

    mutating func expect(_ symbol: Unicode.Scalar, _ context: String = "") throws(Failure) {
        guard consume(symbol) else {
            throw fail("expected \"\(symbol)\"\(context.isEmpty ? "" : " " + context), found \(found)")
        }
    }

    mutating func expectKeyword(_ keyword: String) throws(Failure) {
        guard consumeKeyword(keyword) else { throw fail("expected \"\(keyword)\", found \(found)") }
    }

    mutating func identifier(_ what: String) throws(Failure) -> String {
        guard current.kind == .identifier else { throw fail("expected \(what), found \(found)") }
        defer { next() }
        return text(current)
    }

    /// fullIdent = ident { "." ident }, with an optional leading "." when `allowLeadingDot`.
    mutating func fullIdentifier(_ what: String, allowLeadingDot: Bool = false) throws(Failure) -> String {
        var name = ""
        if allowLeadingDot && consume(".") { name = "." }
        name += try identifier(what)
        while isSymbol(".") {
            next()
            name += "." + (try identifier(what))
        }
        return name
    }

    /// One or more adjacent string literals, concatenated.
    mutating func stringLiteral(_ what: String) throws(Failure) -> [UInt8] {
        guard current.kind == .string else { throw fail("expected \(what), found \(found)") }
        var bytes: [UInt8] = []
        while current.kind == .string {
            bytes += strings[Int(current.payload)]
            next()
        }
        return bytes
    }

    /// An integer literal's value: decimal, `0x` hex or `0` octal. Nil when it overflows 64 bits.
    func integerValue(_ token: SchemaToken) -> UInt64? {
        let bytes = source[Int(token.start)..<Int(token.end)]
        var radix: UInt64 = 10
        var digits = bytes[...]
        if bytes.count > 1 && bytes.first == UInt8(ascii: "0") {
            if (bytes[bytes.startIndex + 1] | 0x20) == UInt8(ascii: "x") {
                radix = 16
                digits = bytes.dropFirst(2)
            } else {
                radix = 8
                digits = bytes.dropFirst()
            }
        }
        var value: UInt64 = 0
        for byte in digits {
            guard let digit = SchemaLexer.hexValue(byte) else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    /// A float literal's value (decimal text, which Swift's parser reads exactly as strtod does).
    func floatValue(_ token: SchemaToken) -> Double {
        Double(text(token)) ?? .nan
    }

    /// `[-] intLit` fitting in `range`.
    mutating func signedInteger(_ what: String, in range: ClosedRange<Int64>) throws(Failure) -> Int32 {
        let start = location
        let negative = consume("-")
        guard current.kind == .integer else { throw fail("expected \(what), found \(found)") }
        guard let magnitude = integerValue(current), magnitude <= UInt64(Int64.max) else {
            throw fail("integer out of range", at: start)
        }
        next()
        let value = negative ? -Int64(magnitude) : Int64(magnitude)
        guard range.contains(value) else { throw fail("integer out of range", at: start) }
        return Int32(value)
    }

    // MARK: Statement recovery

    /// Skips the rest of a statement after an error: through the next ";" or balanced "{...}",
    /// or up to a "}" that closes the enclosing block.
    mutating func skipStatement() {
        while !atEnd {
            if consume(";") { return }
            if consume("{") {
                skipRestOfBlock()
                return
            }
            if isSymbol("}") { return }
            next()
        }
    }

    mutating func skipRestOfBlock() {
        var open = 1
        while !atEnd {
            if consume("{") {
                open += 1
            } else if consume("}") {
                open -= 1
                if open == 0 { return }
            } else {
                next()
            }
        }
    }

    // MARK: File

    mutating func parseFile() {
        if isKeyword("syntax") || isKeyword("edition") {
            do throws(Failure) {
                try parseSyntax()
            } catch {
                skipStatement()
            }
        }
        while !atEnd {
            do throws(Failure) {
                try parseTopLevelStatement()
            } catch {
                skipStatement()
                if consume("}") { continue }
            }
        }
    }

    mutating func parseSyntax() throws(Failure) {
        let start = location
        if consumeKeyword("edition") {
            throw fail("editions are not supported yet; use syntax = \"proto2\" or \"proto3\"", at: start)
        }
        next()
        try expect("=")
        let valueLocation = location
        let value = String(decoding: try stringLiteral("a syntax string"), as: UTF8.self)
        if value == "editions" {
            throw fail("editions are not supported yet; use syntax = \"proto2\" or \"proto3\"", at: valueLocation)
        }
        guard value == "proto2" || value == "proto3" else {
            throw fail(
                "unrecognized syntax \"\(value)\"; this compiler knows only \"proto2\" and \"proto3\"",
                at: valueLocation)
        }
        try expect(";")
        file.syntax = value
        file.hasSyntaxStatement = true
    }

    mutating func parseTopLevelStatement() throws(Failure) {
        if consume(";") { return }
        let start = location
        if consumeKeyword("message") {
            file.messages.append(try parseMessage(at: start))
        } else if consumeKeyword("enum") {
            file.enums.append(try parseEnum(at: start))
        } else if consumeKeyword("service") {
            file.services.append(try parseService(at: start))
        } else if consumeKeyword("extend") {
            let (extensions, groups) = try parseExtend()
            file.extensions += extensions
            file.messages += groups
        } else if consumeKeyword("import") {
            var kind = SchemaSyntaxTree.Import.Kind.normal
            if consumeKeyword("public") {
                kind = .public
            } else if consumeKeyword("weak") {
                kind = .weak
            }
            let path = String(decoding: try stringLiteral("a file name to import"), as: UTF8.self)
            try expect(";")
            file.imports.append(SchemaSyntaxTree.Import(path: path, kind: kind, location: start))
        } else if consumeKeyword("package") {
            if file.packageLocation != nil { throw fail("multiple package definitions", at: start) }
            file.packageLocation = location
            file.package = try fullIdentifier("a package name")
            try expect(";")
        } else if consumeKeyword("option") {
            file.options.append(try parseOptionStatement())
        } else if isKeyword("syntax") || isKeyword("edition") {
            throw fail("\"\(text(current))\" must be the first statement of the file")
        } else {
            throw fail(
                "expected a top-level statement (message, enum, service, extend, import, package, option), found \(found)"
            )
        }
    }
}
