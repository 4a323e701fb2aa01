/// Why a path template does not follow the `google.api.http` grammar, with the 1-based column
/// (in UTF-8 bytes) of the offending character.
///
/// `"/v1/{name=**}/x": '**' must be the last segment (col 11)`
public struct PathTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of mistake; compare with the `static let` values.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case missingLeadingSlash, emptySegment, unexpectedCharacter, invalidPercentEncoding
            case multiWildcardNotLast, nestedVariable, unterminatedVariable, invalidFieldPath
            case invalidVerb, tooManySegments, duplicateVariable, emptyTemplate
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        public static let missingLeadingSlash = Code(.missingLeadingSlash)
        public static let emptySegment = Code(.emptySegment)
        public static let unexpectedCharacter = Code(.unexpectedCharacter)
        public static let invalidPercentEncoding = Code(.invalidPercentEncoding)
        public static let multiWildcardNotLast = Code(.multiWildcardNotLast)
        public static let nestedVariable = Code(.nestedVariable)
        public static let unterminatedVariable = Code(.unterminatedVariable)
        public static let invalidFieldPath = Code(.invalidFieldPath)
        public static let invalidVerb = Code(.invalidVerb)
        public static let tooManySegments = Code(.tooManySegments)
        public static let duplicateVariable = Code(.duplicateVariable)
        public static let emptyTemplate = Code(.emptyTemplate)

        public var description: String { "\(base)" }
    }

    public let code: Code
    /// The template as written.
    public let template: String
    /// 1-based column, in UTF-8 bytes, of the character where the mistake is.
    public let column: Int
    /// What is wrong, without the template and column.
    public let message: String

    init(_ code: Code, template: String, column: Int, _ message: String) {
        self.code = code
        self.template = template
        self.column = column
        self.message = message
    }

    public var description: String { "\"\(template)\": \(message) (col \(column))" }
}
