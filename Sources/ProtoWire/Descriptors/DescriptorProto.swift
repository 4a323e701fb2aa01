/// Plain copies of the `google/protobuf/descriptor.proto` messages, as decoded off the wire and
/// before any name is resolved. ``DescriptorPool`` builds its resolved model from these; the
/// `.proto` compiler front end produces them too.
///
/// Field numbers are those of `descriptor.proto`; only the fields a gateway needs are kept.
public enum DescriptorProto {
    public struct File: Sendable, Hashable {
        public var name = ""
        public var package = ""
        public var dependencies: [String] = []
        public var publicDependencies: [Int32] = []
        public var weakDependencies: [Int32] = []
        public var messages: [Message] = []
        public var enums: [Enum] = []
        public var services: [Service] = []
        public var extensions: [Field] = []
        public var options = RawOptions()
        public var syntax = ""
        public var edition: Int32?
        public init() {}
    }

    public struct Message: Sendable, Hashable {
        public var name = ""
        public var fields: [Field] = []
        public var extensions: [Field] = []
        public var nestedMessages: [Message] = []
        public var enums: [Enum] = []
        public var extensionRanges: [ClosedRange<Int32>] = []
        public var oneofs: [Oneof] = []
        public var options = RawOptions()
        public var reservedRanges: [ClosedRange<Int32>] = []
        public var reservedNames: [String] = []
        public init() {}
    }

    public struct Field: Sendable, Hashable {
        public var name = ""
        public var extendee: String?
        public var number: Int32 = 0
        public var label: Int32 = 1
        public var type: Int32?
        public var typeName: String?
        public var defaultValue: String?
        public var options = RawOptions()
        public var oneofIndex: Int32?
        public var jsonName: String?
        public var proto3Optional = false
        public init() {}
    }

    public struct Oneof: Sendable, Hashable {
        public var name = ""
        public var options = RawOptions()
        public init() {}
    }

    public struct Enum: Sendable, Hashable {
        public var name = ""
        public var values: [EnumValue] = []
        public var options = RawOptions()
        public var reservedRanges: [ClosedRange<Int32>] = []
        public var reservedNames: [String] = []
        public init() {}
    }

    public struct EnumValue: Sendable, Hashable {
        public var name = ""
        public var number: Int32 = 0
        public var options = RawOptions()
        public init() {}
    }

    public struct Service: Sendable, Hashable {
        public var name = ""
        public var methods: [Method] = []
        public var options = RawOptions()
        public init() {}
    }

    public struct Method: Sendable, Hashable {
        public var name = ""
        public var inputType = ""
        public var outputType = ""
        public var options = RawOptions()
        public var clientStreaming = false
        public var serverStreaming = false
        public init() {}
    }
}
