/// Every problem found while building a ``RouteTable`` from `google.api.http` annotations,
/// reported together so one run shows them all. Each problem names its method.
public struct RouteTableError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One invalid annotation.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public let code: Code
        /// The method's full name, `package.Service.Method`.
        public let method: String
        /// What is wrong, naming the binding and field where that helps.
        public let message: String

        public var description: String { "\(method): \(message)" }
    }

    /// The kind of problem; compare with the `static let` values.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case malformedOption, missingPattern, invalidCustomKind, nestedAdditionalBindings
            case invalidTemplate, unknownField, invalidVariableField, invalidBody, invalidResponseBody
            case bodyCollision, duplicateRoute, tooManyMethods
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The option bytes do not decode as `google.api.HttpRule`.
        public static let malformedOption = Code(.malformedOption)
        /// A rule sets none of `get`, `put`, `post`, `delete`, `patch`, `custom`.
        public static let missingPattern = Code(.missingPattern)
        /// `custom.kind` is not an HTTP method token (RFC 9110 §9.1).
        public static let invalidCustomKind = Code(.invalidCustomKind)
        /// An additional binding has its own `additional_bindings`.
        public static let nestedAdditionalBindings = Code(.nestedAdditionalBindings)
        /// The path template does not parse (the message carries its column).
        public static let invalidTemplate = Code(.invalidTemplate)
        /// A path variable names a field the request message does not have.
        public static let unknownField = Code(.unknownField)
        /// A path variable binds a repeated, map or message field, or walks through a non-message.
        public static let invalidVariableField = Code(.invalidVariableField)
        public static let invalidBody = Code(.invalidBody)
        public static let invalidResponseBody = Code(.invalidResponseBody)
        /// A path variable binds the very field the body fills.
        public static let bodyCollision = Code(.bodyCollision)
        /// Two bindings share an HTTP method and template shape.
        public static let duplicateRoute = Code(.duplicateRoute)
        /// More distinct HTTP methods than a table supports.
        public static let tooManyMethods = Code(.tooManyMethods)

        public var description: String { "\(base)" }
    }

    public let problems: [Problem]

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
