/// A descriptor set that cannot form a valid pool: it names the file and the symbol at fault.
public struct DescriptorError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case malformed, duplicateFile, missingDependency, duplicateSymbol, unresolvedType
            case wrongTypeKind, invalidField, invalidOneof, unsupportedEdition
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The bytes are not a valid `FileDescriptorSet` encoding.
        public static let malformed = Code(.malformed)
        /// Two different files share a name.
        public static let duplicateFile = Code(.duplicateFile)
        /// A file imports one that is not in the set.
        public static let missingDependency = Code(.missingDependency)
        /// Two definitions share a full name.
        public static let duplicateSymbol = Code(.duplicateSymbol)
        /// A type name (field type, extendee, method input or output) resolves to nothing.
        public static let unresolvedType = Code(.unresolvedType)
        /// A type name resolves, but to the wrong kind (an enum where a message is needed, …).
        public static let wrongTypeKind = Code(.wrongTypeKind)
        /// A field's number, label or type is out of range.
        public static let invalidField = Code(.invalidField)
        /// A field's `oneof_index` points at no oneof.
        public static let invalidOneof = Code(.invalidOneof)
        /// An editions file of an edition whose feature defaults this pool does not know.
        public static let unsupportedEdition = Code(.unsupportedEdition)

        public var description: String {
            switch base {
            case .malformed: "malformed descriptor set"
            case .duplicateFile: "duplicate file"
            case .missingDependency: "missing dependency"
            case .duplicateSymbol: "duplicate symbol"
            case .unresolvedType: "unresolved type"
            case .wrongTypeKind: "wrong type kind"
            case .invalidField: "invalid field"
            case .invalidOneof: "invalid oneof"
            case .unsupportedEdition: "unsupported edition"
            }
        }
    }

    public let code: Code
    /// The file at fault (empty when the set itself cannot be decoded).
    public let file: String
    /// The full name of the symbol at fault, when there is one.
    public let symbol: String
    /// A sentence saying what is wrong.
    public let message: String
    /// The wire error, for ``Code/malformed``.
    public let wireError: WireDecodingError?

    init(_ code: Code, file: String, symbol: String = "", _ message: String, wireError: WireDecodingError? = nil) {
        self.code = code
        self.file = file
        self.symbol = symbol
        self.message = message
        self.wireError = wireError
    }

    public var description: String {
        var text = file.isEmpty ? "" : "\(file): "
        if !symbol.isEmpty { text += "\(symbol): " }
        return text + message
    }
}
