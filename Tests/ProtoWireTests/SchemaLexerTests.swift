import Testing

@testable import ProtoWire

/// The lexer and the small formatting rules protoc applies: tokens with line and column,
/// string escapes, integer bases, json names, map entry names and default-value number text.
@Suite("Schema lexer and formatting")
struct SchemaLexerTests {
    static func tokens(_ source: String) -> [String] {
        let lexer = SchemaLexer(source: Array(source.utf8), file: "t.proto")
        return lexer.tokens.dropLast().map { token in
            let text = String(decoding: Array(source.utf8)[Int(token.start)..<Int(token.end)], as: UTF8.self)
            return "\(token.kind)@\(token.line):\(token.column) \(text)"
        }
    }

    @Test func tokensCarryLinesAndColumnsThroughComments() {
        let source = "syntax/* c */= \"proto3\"; // tail\n\tmessage\n  /* multi\n line */ M1 {}"
        #expect(
            Self.tokens(source) == [
                "identifier@1:1 syntax", "symbol@1:14 =", "string@1:16 \"proto3\"", "symbol@1:24 ;",
                "identifier@2:9 message", "identifier@4:10 M1", "symbol@4:13 {", "symbol@4:14 }",
            ])
    }

    @Test func byteOrderMarkAndCRLFAreSkipped() {
        #expect(Self.tokens("\u{FEFF}syntax\r\n=") == ["identifier@1:1 syntax", "symbol@2:1 ="])
    }

    struct StringRow: Sendable {
        var literal: String
        var bytes: [UInt8]
    }

    @Test(arguments: [
        StringRow(literal: #""plain""#, bytes: Array("plain".utf8)),
        StringRow(literal: #"'single "inner"'"#, bytes: Array("single \"inner\"".utf8)),
        StringRow(literal: #""\a\b\f\n\r\t\v\\\?\'\"""#, bytes: [7, 8, 12, 10, 13, 9, 11, 92, 63, 39, 34]),
        StringRow(literal: #""\0\01\101\1234""#, bytes: [0, 1, 65, 83, 52]),
        StringRow(literal: #""\x41\x4a\xfF\x4""#, bytes: [0x41, 0x4A, 0xFF, 0x04]),
        StringRow(literal: #""\u00e9\U0001F600""#, bytes: [0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80]),
        StringRow(literal: "\"caf\u{E9}\"", bytes: [0x63, 0x61, 0x66, 0xC3, 0xA9]),
    ])
    func stringEscapes(_ row: StringRow) {
        let lexer = SchemaLexer(source: Array(row.literal.utf8), file: "t.proto")
        #expect(lexer.diagnostics.isEmpty)
        #expect(lexer.strings == [row.bytes])
    }

    @Test(arguments: [
        ("0", UInt64(0)), ("42", 42), ("0x2A", 42), ("0X2a", 42), ("052", 42), ("18446744073709551615", UInt64.max),
        ("0xFFFFFFFFFFFFFFFF", UInt64.max), ("01777777777777777777777", UInt64.max),
    ])
    func integerLiterals(_ text: String, _ want: UInt64) {
        let (file, diagnostics) = SchemaParser.parse(
            source: Array("syntax = \"proto2\"; enum E { A = 0; } option (x) = \(text);".utf8), name: "t.proto")
        #expect(diagnostics.isEmpty)
        #expect(file.options.first?.value == .integer(negative: false, magnitude: want))
    }

    @Test func integerOverflowIsAnError() {
        let (_, diagnostics) = SchemaParser.parse(
            source: Array("syntax = \"proto2\";\noption (x) = 18446744073709551616;".utf8), name: "t.proto")
        #expect(diagnostics.map(\.description) == ["t.proto:2:14: integer out of range"])
    }

    @Test(arguments: [
        ("foo_bar", "fooBar"), ("foo", "foo"), ("_foo", "Foo"), ("foo_", "foo"), ("foo__bar", "fooBar"),
        ("foo_1bar", "foo1bar"), ("FooBar", "FooBar"), ("a_b_c", "aBC"), ("foo_bAR", "fooBAR"),
    ])
    func jsonNames(_ name: String, _ want: String) {
        #expect(SchemaLinker.jsonName(name) == want)
    }

    @Test(arguments: [("tags", "TagsEntry"), ("by_name", "ByNameEntry"), ("_x", "XEntry"), ("a1_b", "A1BEntry")])
    func mapEntryNames(_ name: String, _ want: String) {
        #expect(SchemaParser.mapEntryName(name) == want)
    }

    /// Expected texts are C's printf (`'%.15g'`, then `'%.17g'` when that does not round-trip),
    /// as computed by Python's `%` operator.
    @Test(arguments: [
        (0.1, "0.1"), (1e10, "10000000000"), (1.5e-10, "1.5e-10"),
        (Double("123456789012345678")!, "1.2345678901234568e+17"),
        (0.30000000000000004, "0.30000000000000004"), (1e15, "1e+15"), (1e16, "1e+16"), (100000, "100000"),
        (0.0001, "0.0001"), (0.00001, "1e-05"), (Double("5e-324")!, "4.94065645841247e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (2.5, "2.5"), (-0.0, "-0"), (1_234_567, "1234567"),
        (0.7999999999999999, "0.79999999999999993"), (1.0000000000000002, "1.0000000000000002"),
        (9_007_199_254_740_992, "9007199254740992"), (2.2250738585072014e-308, "2.2250738585072014e-308"),
        (Double.infinity, "inf"), (-Double.infinity, "-inf"), (Double.nan, "nan"),
    ])
    func doubleDefaults(_ value: Double, _ want: String) {
        #expect(SchemaNumberFormat.simpleDtoa(value) == want)
    }

    /// `'%.6g'`, then `'%.9g'` (protoc's `SimpleFtoa`), from Python on the float32 value.
    @Test(arguments: [
        (Float(3.4028234663852886e38), "3.40282347e+38"), (1e6, "1e+06"), (0.1, "0.1"),
        (Float("1.17549435e-38")!, "1.17549435e-38"), (Float("16777217")!, "16777216"), (3.14159274, "3.14159274"),
        // Subnormal: protoc's strtof check fails with ERANGE, so 9 digits (checked with protoc).
        (Float("1e-45")!, "1.40129846e-45"), (Float("1e-40")!, "9.9999461e-41"),
    ])
    func floatDefaults(_ value: Float, _ want: String) {
        #expect(SchemaNumberFormat.simpleFtoa(value) == want)
    }

    @Test func bytesDefaultsAreCEscaped() {
        #expect(
            SchemaNumberFormat.cEscape([0, 1, 0xFF, 0x7F, 0x27, 0x22, 0x5C, 0x0A, 0x41])
                == #"\000\001\377\177\'\"\\\nA"#)
    }

    @Test func emptyMethodBodyAndStreamKeyword() throws {
        let files = try SchemaHarness.compiler(sources: [
            "s.proto": """
            syntax = "proto3";
            message M {}
            service S { rpc A(stream M) returns (stream .M) {} rpc B(M) returns (M) { ; } }
            """
        ]).compile(["s.proto"])
        let methods = files[0].services[0].methods
        #expect(methods.map(\.clientStreaming) == [true, false])
        #expect(methods.map(\.serverStreaming) == [true, false])
        #expect(methods.map(\.outputType) == [".M", ".M"])
    }
}
