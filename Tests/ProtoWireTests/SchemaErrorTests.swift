import Foundation
import Testing

@testable import ProtoWire

/// Rejected inputs with their exact compiler-style messages. Each row is also given to protoc,
/// which must reject it too.
@Suite("Schema compiler errors")
struct SchemaErrorTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var name: String
        /// Files by name; the first is compiled.
        var files: [(String, String)]
        var want: [String]
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(
            name: "unknown type with suggestion",
            files: [
                (
                    "shop.proto",
                    """
                    syntax = "proto3";
                    package shop;
                    message Book { string title = 1; }
                    message Shelf { Boook book = 1; }
                    """
                )
            ],
            want: [#"shop.proto:4:17: unknown type "Boook" (did you mean "Book"?)"#]),
        Row(
            name: "every error at once",
            files: [
                (
                    "many.proto",
                    """
                    syntax = "proto3";
                    message A {
                      int32 x = 1;
                      int32 y = 1;
                      Missing m = 2;
                      int32 z = 0;
                      int32 big = 536870912;
                      int32 mine = 19000;
                    }
                    enum E { E_ONE = 1; }
                    """
                )
            ],
            want: [
                #"many.proto:4:13: field number 1 has already been used in "A" by field "x""#,
                #"many.proto:5:3: unknown type "Missing""#,
                #"many.proto:6:13: field numbers must be positive integers"#,
                #"many.proto:7:15: field numbers cannot be greater than 536870911"#,
                #"many.proto:8:16: field numbers 19000 through 19999 are reserved for the protocol buffer library implementation"#,
                #"many.proto:10:10: the first enum value must be zero in proto3"#,
            ]),
        Row(
            name: "syntax errors recover per statement",
            files: [
                (
                    "syntax.proto",
                    """
                    syntax = "proto2";
                    message A {
                      optional int32 a = 1
                      optional int32 b = 2;
                      int32 c = 3;
                    }
                    message B { optional string s = 1 [default = "unterminated]; }
                    """
                )
            ],
            want: [
                #"syntax.proto:4:3: expected ";", found "optional""#,
                #"syntax.proto:5:3: expected "required", "optional", or "repeated", found "int32""#,
                #"syntax.proto:7:46: string literal is not closed before the end of the line"#,
                #"syntax.proto:7:63: expected "]", found end of file"#,
                #"syntax.proto:7:63: reached end of file inside the body of "B"; missing "}""#,
            ]),
        Row(
            name: "editions are not supported",
            files: [("ed.proto", "// header\nedition = \"2023\";\nmessage A {}\n")],
            want: [#"ed.proto:2:1: editions are not supported yet; use syntax = "proto2" or "proto3""#]),
        Row(
            name: "missing import",
            files: [("a.proto", "syntax = \"proto3\";\nimport \"nowhere/b.proto\";\n")],
            want: [
                #"a.proto:2:1: import "nowhere/b.proto" was not found on the import path or among the bundled schemas"#
            ]),
        Row(
            name: "import cycle",
            files: [
                ("a.proto", "syntax = \"proto3\";\nimport \"b.proto\";\n"),
                ("b.proto", "syntax = \"proto3\";\n\nimport \"a.proto\";\n"),
            ],
            want: [
                #"b.proto:3:1: file recursively imports itself: a.proto -> b.proto -> a.proto"#,
                #"a.proto:2:1: import "b.proto" was not found or had errors"#,
            ]),
        Row(
            name: "reserved numbers and names",
            files: [
                (
                    "r.proto",
                    """
                    syntax = "proto2";
                    message R {
                      reserved 5 to 10, 20 to max;
                      reserved "old";
                      optional int32 a = 7;
                      optional int32 old = 1;
                      optional int32 far = 100000;
                    }
                    """
                )
            ],
            want: [
                #"r.proto:5:22: field "a" uses reserved number 7"#,
                #"r.proto:6:18: field name "old" is reserved"#,
                #"r.proto:7:24: field "far" uses reserved number 100000"#,
            ]),
        Row(
            name: "proto3 restrictions",
            files: [
                (
                    "p3.proto",
                    """
                    syntax = "proto3";
                    message P {
                      int32 a = 1;
                      int32 b = 2 [default = 5];
                      map<float, string> m = 3;
                      int32 foo_bar = 4;
                      int32 fooBar = 5;
                    }
                    """
                )
            ],
            want: [
                #"p3.proto:4:26: explicit default values are not allowed in proto3"#,
                #"p3.proto:5:7: key in map fields cannot be float/double, bytes or message types"#,
                #"p3.proto:7:9: the JSON camel-case name of field "fooBar" conflicts with field "foo_bar"; this is not allowed in proto3"#,
            ]),
        Row(
            name: "empty oneof and extend bodies, NUL in a comment",
            files: [
                (
                    "empty.proto",
                    "syntax = \"proto2\";\nmessage A { oneof o { } extensions 1 to 5; }\nextend A { }\n// \u{0}\n"
                )
            ],
            want: [
                #"empty.proto:2:23: expected a field type, found "}""#,
                #"empty.proto:3:12: expected "required", "optional", or "repeated", found "}""#,
                #"empty.proto:4:4: invalid control characters encountered in text"#,
            ]),
        Row(
            name: "options that only fit some fields",
            files: [
                (
                    "fo.proto",
                    """
                    syntax = "proto2";
                    message M {
                      optional int32 a = 1 [packed = true];
                      repeated string b = 2 [packed = true];
                      optional int32 c = 3 [lazy = true];
                      optional int32 d = 4 [jstype = JS_STRING];
                      repeated int32 e = 5 [default = 1];
                    }
                    """
                )
            ],
            want: [
                #"fo.proto:3:18: [packed = true] can only be specified for repeated primitive fields"#,
                #"fo.proto:4:19: [packed = true] can only be specified for repeated primitive fields"#,
                #"fo.proto:5:18: [lazy = true] can only be specified for submessage fields"#,
                #"fo.proto:6:18: jstype is only allowed on int64, uint64, sint64, fixed64 or sfixed64 fields"#,
                #"fo.proto:7:35: repeated fields can't have default values"#,
            ]),
        Row(
            name: "proto3 enum values that clash without the enum's prefix",
            files: [
                (
                    "ev.proto",
                    """
                    syntax = "proto3";
                    enum MyEnum {
                      MY_ENUM_UNSPECIFIED = 0;
                      MY_ENUM_FOO = 1;
                      FOO = 2;
                      my_enum_unspecified_alias = 3;
                    }
                    enum Ok { OK_ZERO = 0; ZERO_OK = 1; }
                    """
                )
            ],
            want: [
                #"ev.proto:5:3: enum name FOO has the same name as MY_ENUM_FOO if you ignore case and strip out the enum name prefix (if any); if you are using allow_alias, please assign the same numeric value to both enums"#
            ]),
        Row(
            name: "did you mean, for options, option fields and enum values",
            files: [
                (
                    "dym.proto",
                    """
                    syntax = "proto3";
                    import "google/api/annotations.proto";
                    option java_pakage = "x";
                    option optimize_for = SPED;
                    message M {}
                    service S {
                      rpc A(M) returns (M) { option (google.api.htp) = { get: "/a" }; }
                      rpc B(M) returns (M) { option (google.api.http) = { gett: "/b" }; }
                    }
                    """
                )
            ],
            want: [
                #"dym.proto:3:8: option "java_pakage" unknown (did you mean "java_package"?)"#,
                #"dym.proto:4:23: enum type "google.protobuf.FileOptions.OptimizeMode" has no value named "SPED" for option "optimize_for" (did you mean "SPEED"?)"#,
                #"dym.proto:7:33: option "(google.api.htp)" unknown (did you mean "http"?); ensure that your proto definition file imports the proto which defines the option"#,
                #"dym.proto:8:55: message type "google.api.HttpRule" has no field named "gett" (did you mean "get"?)"#,
            ]),
        Row(
            name: "required in proto3",
            files: [("req.proto", "syntax = \"proto3\";\nmessage P {\n  required int32 a = 1;\n}\n")],
            want: [#"req.proto:3:3: required fields are not allowed in proto3"#]),
        Row(
            name: "symbols: duplicates, visibility, kinds",
            files: [
                (
                    "main.proto",
                    """
                    syntax = "proto3";
                    package m;
                    import "mid.proto";
                    message Dup {}
                    enum Dup { X = 0; }
                    message Uses { deep.Hidden h = 1; }
                    enum Kind { KIND_ZERO = 0; }
                    service S { rpc Call(Kind) returns (Uses); }
                    """
                ),
                ("mid.proto", "syntax = \"proto3\";\npackage mid;\nimport \"deep.proto\";\n"),
                ("deep.proto", "syntax = \"proto3\";\npackage deep;\nmessage Hidden {}\n"),
            ],
            want: [
                #"main.proto:5:6: "Dup" is already defined in "m""#,
                #"main.proto:6:16: "deep.Hidden" seems to be defined in "deep.proto", which is not imported by "main.proto"; to use it here, please add the necessary import"#,
                #"main.proto:8:22: "Kind" is not a message type; it names an enum"#,
            ]),
        Row(
            name: "enums: aliases and defaults",
            files: [
                (
                    "e.proto",
                    """
                    syntax = "proto2";
                    enum Color { RED = 1; CRIMSON = 1; }
                    message M {
                      optional Color c = 1 [default = BLUE];
                      optional uint32 u = 2 [default = -1];
                      optional int32 i = 3 [default = 1.5];
                      optional M self = 4 [default = 1];
                    }
                    """
                )
            ],
            want: [
                #"e.proto:2:23: "CRIMSON" uses the same enum value as "RED"; if this is intended, set "option allow_alias = true;" to the enum definition"#,
                #"e.proto:4:35: enum type "Color" has no value named "BLUE""#,
                #"e.proto:5:36: unsigned field can't have negative default value"#,
                #"e.proto:6:35: expected an integer for the default value"#,
                #"e.proto:7:34: messages can't have default values"#,
            ]),
        Row(
            name: "options: unknown, repeated, wrong type, outside extension ranges",
            files: [
                (
                    "o.proto",
                    """
                    syntax = "proto2";
                    import "google/protobuf/descriptor.proto";
                    extend google.protobuf.FieldOptions { optional int32 weight = 50000; }
                    message Target { extensions 10 to 20; }
                    extend Target { optional int32 outside = 30; }
                    option java_package = "a";
                    option java_package = "b";
                    option no_such_option = 1;
                    message M {
                      optional int32 a = 1 [(weight) = "heavy", (nothing) = 1, packed = maybe];
                    }
                    """
                )
            ],
            want: [
                #"o.proto:5:42: "Target" does not declare 30 as an extension number"#,
                #"o.proto:7:8: option "java_package" was already set"#,
                #"o.proto:8:8: option "no_such_option" unknown"#,
                #"o.proto:10:36: value must be integer for int32 option "(weight)""#,
                #"o.proto:10:45: option "(nothing)" unknown; ensure that your proto definition file imports the proto which defines the option"#,
                #"o.proto:10:69: value must be "true" or "false" for boolean option "packed""#,
            ]),
        Row(
            name: "lexical errors",
            files: [
                (
                    "lex.proto",
                    "syntax = \"proto2\";\nmessage M { optional string s = 1 [default = \"bad\\q\"]; optional int32 n = 0x; }\n"
                )
            ],
            want: [
                #"lex.proto:2:50: invalid escape sequence in string literal"#,
                #"lex.proto:2:75: "0x" must be followed by hex digits"#,
            ]),
    ]

    @Test(arguments: rows)
    func rejects(_ row: Row) throws {
        let sources = Dictionary(uniqueKeysWithValues: row.files)
        let error = #expect(throws: SchemaError.self) {
            try SchemaHarness.compiler(sources: sources).compile([row.files[0].0])
        }
        #expect(error?.diagnostics.map(\.description) == row.want)
    }

    @Test(arguments: rows)
    func protocRejectsToo(_ row: Row) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "schema-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in row.files {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        let result = try SchemaHarness.runProtoc(
            includes: [directory.path, SchemaHarness.protos.path, SchemaHarness.systemInclude], files: [row.files[0].0])
        #expect(result.status != 0, "protoc accepted \(row.name)")
        // Every line protoc complains about, we do too. (protoc stops after its first failing
        // phase, so it may name fewer; each of our messages was checked against protoc alone.)
        let protocLines = Set(
            result.stderr.split(separator: "\n").filter { !$0.contains("warning") }.compactMap {
                line -> String? in
                let parts = line.split(separator: ":", maxSplits: 2)
                return parts.count == 3 && Int(parts[1]) != nil ? "\(parts[0]):\(parts[1])" : nil
            })
        let ourLines = Set(
            row.want.compactMap { want -> String? in
                let parts = want.split(separator: ":", maxSplits: 2)
                return parts.count == 3 && Int(parts[1]) != nil ? "\(parts[0]):\(parts[1])" : nil
            })
        #expect(!protocLines.isEmpty && protocLines.isSubset(of: ourLines), "protoc said:\n\(result.stderr)")
    }
}
