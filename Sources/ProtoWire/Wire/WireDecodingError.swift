/// A malformed protobuf encoding, with the byte offset where decoding stopped.
///
/// Every way that hostile input can fail surfaces as one of these codes: the reader never traps
/// and never reads past its buffer.
public struct WireDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case truncatedVarint
            case varintTooLong
            case truncatedFixed
            case lengthOutOfBounds
            case invalidWireType
            case invalidFieldNumber
            case mismatchedEndGroup
            case unexpectedEndGroup
            case unterminatedGroup
            case nestingTooDeep
            case invalidUTF8
            case invalidPackedLength
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The input ended inside a varint.
        public static let truncatedVarint = Code(.truncatedVarint)
        /// A varint ran past 10 bytes.
        public static let varintTooLong = Code(.varintTooLong)
        /// The input ended inside a fixed32 or fixed64 value.
        public static let truncatedFixed = Code(.truncatedFixed)
        /// A length prefix points past the end of the enclosing buffer.
        public static let lengthOutOfBounds = Code(.lengthOutOfBounds)
        /// A tag carries wire type 6 or 7.
        public static let invalidWireType = Code(.invalidWireType)
        /// A tag carries field number 0 or one above 2^29 - 1.
        public static let invalidFieldNumber = Code(.invalidFieldNumber)
        /// An end-group tag closes a group with a different field number.
        public static let mismatchedEndGroup = Code(.mismatchedEndGroup)
        /// An end-group tag appears where no group is open.
        public static let unexpectedEndGroup = Code(.unexpectedEndGroup)
        /// The input ended while a group was still open.
        public static let unterminatedGroup = Code(.unterminatedGroup)
        /// Messages or groups are nested deeper than ``WireReader/maximumDepth``.
        public static let nestingTooDeep = Code(.nestingTooDeep)
        /// A string field does not hold valid UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// A packed fixed-width field's length is not a multiple of the element size.
        public static let invalidPackedLength = Code(.invalidPackedLength)

        public var description: String {
            switch base {
            case .truncatedVarint: "truncated varint"
            case .varintTooLong: "varint longer than 10 bytes"
            case .truncatedFixed: "truncated fixed-width value"
            case .lengthOutOfBounds: "length runs past the end of the input"
            case .invalidWireType: "invalid wire type"
            case .invalidFieldNumber: "invalid field number"
            case .mismatchedEndGroup: "end-group tag does not match the open group"
            case .unexpectedEndGroup: "end-group tag without an open group"
            case .unterminatedGroup: "group is not terminated"
            case .nestingTooDeep: "nesting deeper than 100"
            case .invalidUTF8: "string is not valid UTF-8"
            case .invalidPackedLength: "packed length is not a multiple of the element size"
            }
        }
    }

    /// What went wrong.
    public let code: Code
    /// The byte offset, from the start of the outermost buffer, of the element that failed.
    public let offset: Int

    @inlinable
    public init(_ code: Code, at offset: Int) {
        self.code = code
        self.offset = offset
    }

    public var description: String { "\(code) at byte \(offset)" }
}
