/// Why a path variable or query parameter of a matched request cannot fill the request message:
/// a 400 `INVALID_ARGUMENT` naming the parameter.
///
/// `query parameter 'page_size': expected int32, got "ten"`
public struct RequestBindingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem; compare with the `static let` values.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case invalidValue, unknownParameter, notQueryable, repeatedParameter, oneofConflict
            case invalidEncoding, tooManyParameters
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The value does not parse as the field's type (``RequestBindingError/cause`` says why).
        public static let invalidValue = Code(.invalidValue)
        /// No field the query may fill has this name (see ``UnknownQueryParameterPolicy``).
        public static let unknownParameter = Code(.unknownParameter)
        /// The field exists but one text value cannot fill it (a message, a repeated message, a
        /// map without `[key]`, `[key]` on a non-map).
        public static let notQueryable = Code(.notQueryable)
        /// A non-repeated field given more than once.
        public static let repeatedParameter = Code(.repeatedParameter)
        /// Two members of one oneof given.
        public static let oneofConflict = Code(.oneofConflict)
        /// The percent-decoded bytes are not UTF-8.
        public static let invalidEncoding = Code(.invalidEncoding)
        /// More than ``RouteTable/maximumQueryParameterCount`` parameters.
        public static let tooManyParameters = Code(.tooManyParameters)

        public var description: String { "\(base)" }
    }

    /// Where the value came from.
    public enum Source: String, Sendable, Hashable {
        case path = "path variable"
        case query = "query parameter"
    }

    public let code: Code
    public let source: Source
    /// The variable's field path or the parameter name as sent (decoded).
    public let parameter: String
    /// What is wrong.
    public let message: String
    /// The value encoder's error, for ``Code/invalidValue``.
    public let cause: TranscodingError?

    init(_ code: Code, _ source: Source, _ parameter: String, _ message: String, cause: TranscodingError? = nil) {
        self.code = code
        self.source = source
        self.parameter = parameter
        self.message = message
        self.cause = cause
    }

    public var description: String {
        parameter.isEmpty ? "\(source.rawValue)s: \(message)" : "\(source.rawValue) '\(parameter)': \(message)"
    }
}
