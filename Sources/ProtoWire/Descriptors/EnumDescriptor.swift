/// A resolved enum type.
public struct EnumDescriptor: Sendable, Hashable {
    public struct Value: Sendable, Hashable {
        public let name: String
        public let number: Int32
        public let options: RawOptions
    }

    public let name: String
    public let fullName: String
    public let index: Int
    public let fileIndex: Int
    public let containingMessageIndex: Int?
    /// Values in declaration order; aliases share a number.
    public let values: [Value]
    /// `EnumOptions.allow_alias` (field 2).
    public let allowsAlias: Bool
    /// Closed enums (proto2) reject unknown numbers; open enums (proto3) keep them.
    public let isClosed: Bool
    public let reservedRanges: [ClosedRange<Int32>]
    public let reservedNames: [String]
    public let options: RawOptions
    let valueIndexByName: [String: Int]
    let firstValueIndexByNumber: [Int32: Int]

    /// The value named `name` (any alias), or nil.
    public func value(named name: String) -> Value? {
        valueIndexByName[name].map { values[$0] }
    }

    /// The first declared value with `number` (the canonical name for output), or nil.
    public func value(number: Int32) -> Value? {
        firstValueIndexByNumber[number].map { values[$0] }
    }
}
