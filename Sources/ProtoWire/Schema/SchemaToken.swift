/// One token of a `.proto` file, as the protobuf language specification's lexical grammar
/// defines it (https://protobuf.dev/reference/protobuf/proto3-spec/#lexical-elements).
///
/// A token does not copy its text: `start..<end` indexes the source bytes. String literals are
/// the one exception, since escapes must be decoded; their bytes live in ``SchemaLexer/strings``.
struct SchemaToken: Sendable, Hashable {
    enum Kind: UInt8, Sendable, Hashable {
        case identifier
        case integer
        case float
        case string
        case symbol
        case end
    }

    var kind: Kind
    var start: Int32
    var end: Int32
    /// 1-based line and column; tabs advance the column to the next multiple of 8, as protoc counts.
    var line: Int32
    var column: Int32
    /// For strings: the index into ``SchemaLexer/strings``. For symbols: the byte.
    var payload: Int32 = 0

    var location: SchemaLocation { SchemaLocation(line: line, column: column) }
}

/// A 1-based line and column in a `.proto` file.
public struct SchemaLocation: Sendable, Hashable, Comparable {
    /// 1-based line number.
    public var line: Int32
    /// 1-based column; a tab advances it to the next multiple of 8 (plus one), as protoc counts.
    public var column: Int32

    /// A location at `line` and `column`, both 1-based.
    public init(line: Int32, column: Int32) {
        self.line = line
        self.column = column
    }

    /// Source order: by line, then column.
    public static func < (a: SchemaLocation, b: SchemaLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}
