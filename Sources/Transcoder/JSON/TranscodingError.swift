/// A request or response body that cannot be translated between ProtoJSON and protobuf.
///
/// The gateway answers these with HTTP 400 / `INVALID_ARGUMENT` (`google/rpc/code.proto`). The
/// ``path`` names where the problem is, in ProtoJSON terms (`book.pages`, `tags[2]`,
/// `labels["env"]`), and ``description`` reads `book.pages: expected int32, got "ten"`.
public struct TranscodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule that failed. New codes may be added; switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case malformedJSON
            case invalidValue
            case unknownField
            case duplicateField
            case oneofConflict
            case nullNotAllowed
            case unresolvableType
            case limitExceeded
            case malformedProto
            case notRepresentable
            case unsupportedType
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The input is not JSON (RFC 8259): a syntax error, a bad escape, invalid UTF-8.
        public static let malformedJSON = Code(.malformedJSON)
        /// A value is JSON but not a valid ProtoJSON value for its field's type.
        public static let invalidValue = Code(.invalidValue)
        /// A key names no field of the message (and unknown fields are not ignored).
        public static let unknownField = Code(.unknownField)
        /// A field appears twice in one object, by either of its names.
        public static let duplicateField = Code(.duplicateField)
        /// Two members of one `oneof` are set.
        public static let oneofConflict = Code(.oneofConflict)
        /// `null` as a repeated element or a map value.
        public static let nullNotAllowed = Code(.nullNotAllowed)
        /// An `Any` type URL that the descriptor pool does not know.
        public static let unresolvableType = Code(.unresolvableType)
        /// Nesting deeper than 100, an input or string over its configured size.
        public static let limitExceeded = Code(.limitExceeded)
        /// The protobuf input is not a valid encoding of the message.
        public static let malformedProto = Code(.malformedProto)
        /// A protobuf value that has no ProtoJSON form (a Duration with mixed signs, a FieldMask
        /// path that does not round-trip, a Timestamp out of range).
        public static let notRepresentable = Code(.notRepresentable)
        /// A field whose type the operation does not accept (a message in a URL path segment).
        public static let unsupportedType = Code(.unsupportedType)

        public var description: String {
            switch base {
            case .malformedJSON: "malformed JSON"
            case .invalidValue: "invalid value"
            case .unknownField: "unknown field"
            case .duplicateField: "duplicate field"
            case .oneofConflict: "oneof conflict"
            case .nullNotAllowed: "null not allowed"
            case .unresolvableType: "unresolvable type"
            case .limitExceeded: "limit exceeded"
            case .malformedProto: "malformed protobuf"
            case .notRepresentable: "not representable in JSON"
            case .unsupportedType: "unsupported type"
            }
        }
    }

    /// Which rule failed.
    public let code: Code
    /// The ProtoJSON path of the offending value (`book.pages`, `tags[2]`); empty for the root.
    public let path: String
    /// What is wrong, e.g. `expected int32, got "ten"`.
    public let message: String

    public init(_ code: Code, path: String = "", _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// `path: message`, or just the message at the root.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// The same error one level further out: `name` becomes the first path component.
    public func inField(_ name: String) -> TranscodingError {
        let joined: String
        if path.isEmpty {
            joined = name
        } else if path.utf8.first == UInt8(ascii: "[") {
            joined = name + path
        } else {
            joined = name + "." + path
        }
        return TranscodingError(code, path: joined, message)
    }

    /// The same error inside element `index` of a repeated field.
    public func atIndex(_ index: Int) -> TranscodingError {
        let component = "[\(index)]"
        let joined = path.isEmpty ? component : (path.utf8.first == UInt8(ascii: "[") ? component + path : component + "." + path)
        return TranscodingError(code, path: joined, message)
    }

    /// The same error inside the map entry with `key`.
    public func atKey(_ key: String) -> TranscodingError {
        var quoted = "[\""
        for scalar in key.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { quoted.append("\\") }
            quoted.unicodeScalars.append(scalar)
        }
        quoted += "\"]"
        let joined = path.isEmpty ? quoted : (path.utf8.first == UInt8(ascii: "[") ? quoted + path : quoted + "." + path)
        return TranscodingError(code, path: joined, message)
    }
}
