/// One compiler message about a `.proto` file, printed as compilers do:
/// `bookstore.proto:12:5: unknown type "Boook" (did you mean "Book"?)`.
public struct SchemaDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The file's name as imported (relative to its import path).
    public var file: String
    /// Where the problem is; nil for problems of a whole file (such as a file not found).
    public var location: SchemaLocation?
    /// A sentence saying what is wrong (and, for unknown names, the nearest known one).
    public var message: String

    /// A diagnostic for `file` at `location`.
    public init(file: String, location: SchemaLocation?, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// `file:line:column: message`, or `file: message` without a location.
    public var description: String {
        guard let location else { return "\(file): \(message)" }
        return "\(file):\(location.line):\(location.column): \(message)"
    }
}

/// A set of `.proto` files that does not compile. Holds every problem found, in file and line
/// order, not just the first.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case syntax, semantic, fileNotFound
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A file does not follow the protobuf grammar (lexical or parse errors).
        public static let syntax = Code(.syntax)
        /// The files parse, but break a rule of the language (unknown types, duplicate numbers, …).
        public static let semantic = Code(.semantic)
        /// A file or an import cannot be found on the import path or among the bundled schemas.
        public static let fileNotFound = Code(.fileNotFound)

        /// A short name of the kind.
        public var description: String {
            switch base {
            case .syntax: "syntax error"
            case .semantic: "semantic error"
            case .fileNotFound: "file not found"
            }
        }
    }

    /// The kind of the first problem.
    public let code: Code
    /// Every problem, files in compile order, each file's problems in source order.
    public let diagnostics: [SchemaDiagnostic]

    init(_ code: Code, diagnostics: [SchemaDiagnostic]) {
        self.code = code
        self.diagnostics = diagnostics
    }

    /// One diagnostic a line, compiler style.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
