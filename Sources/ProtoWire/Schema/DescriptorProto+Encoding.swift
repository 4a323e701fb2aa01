// Encoding of `google.protobuf.FileDescriptorSet` (descriptor.proto), fields in number order as
// protoc writes them, so `grpc-gateway compile` can emit what `protoc --descriptor_set_out` would.

extension DescriptorProto {
    /// Encodes `files` as a `FileDescriptorSet`.
    public static func encodeFileDescriptorSet(_ files: [File]) -> [UInt8] {
        var writer = WireWriter()
        for file in files { writer.writeMessage(1) { file.encode(into: &$0) } }
        return writer.bytes
    }

    /// Encodes one `FileDescriptorProto`.
    public static func encodeFile(_ file: File) -> [UInt8] {
        var writer = WireWriter()
        file.encode(into: &writer)
        return writer.bytes
    }
}

extension WireWriter {
    mutating func writeMessage(_ number: UInt32, _ body: (inout WireWriter) -> Void) {
        writeTag(fieldNumber: number, wireType: .lengthDelimited)
        let mark = beginLengthDelimited()
        body(&self)
        endLengthDelimited(mark)
    }

    mutating func writeString(_ number: UInt32, _ value: String) {
        writeTag(fieldNumber: number, wireType: .lengthDelimited)
        writeString(value)
    }

    mutating func writeInt32(_ number: UInt32, _ value: Int32) {
        writeTag(fieldNumber: number, wireType: .varint)
        writeVarint(value)
    }

    mutating func writeOptions(_ number: UInt32, _ options: RawOptions) {
        if options.isEmpty { return }
        writeTag(fieldNumber: number, wireType: .lengthDelimited)
        writeLengthDelimited(options.bytes)
    }

    /// A `{ start = 1; end = 2; }` range; `exclusiveEnd` for the message ranges of descriptor.proto.
    mutating func writeRange(_ number: UInt32, _ range: ClosedRange<Int32>, exclusiveEnd: Bool) {
        writeMessage(number) {
            $0.writeInt32(1, range.lowerBound)
            $0.writeInt32(2, exclusiveEnd ? range.upperBound &+ 1 : range.upperBound)
        }
    }
}

extension DescriptorProto.File {
    func encode(into writer: inout WireWriter) {
        writer.writeString(1, name)
        if !package.isEmpty { writer.writeString(2, package) }
        for dependency in dependencies { writer.writeString(3, dependency) }
        for message in messages { writer.writeMessage(4) { message.encode(into: &$0) } }
        for item in enums { writer.writeMessage(5) { item.encode(into: &$0) } }
        for service in services { writer.writeMessage(6) { service.encode(into: &$0) } }
        for field in extensions { writer.writeMessage(7) { field.encode(into: &$0) } }
        writer.writeOptions(8, options)
        for index in publicDependencies { writer.writeInt32(10, index) }
        for index in weakDependencies { writer.writeInt32(11, index) }
        if !syntax.isEmpty { writer.writeString(12, syntax) }
        if let edition { writer.writeInt32(14, edition) }
    }
}

extension DescriptorProto.Message {
    func encode(into writer: inout WireWriter) {
        writer.writeString(1, name)
        for field in fields { writer.writeMessage(2) { field.encode(into: &$0) } }
        for message in nestedMessages { writer.writeMessage(3) { message.encode(into: &$0) } }
        for item in enums { writer.writeMessage(4) { item.encode(into: &$0) } }
        for range in extensionRanges { writer.writeRange(5, range, exclusiveEnd: true) }
        for field in extensions { writer.writeMessage(6) { field.encode(into: &$0) } }
        writer.writeOptions(7, options)
        for oneof in oneofs {
            writer.writeMessage(8) {
                $0.writeString(1, oneof.name)
                $0.writeOptions(2, oneof.options)
            }
        }
        for range in reservedRanges { writer.writeRange(9, range, exclusiveEnd: true) }
        for name in reservedNames { writer.writeString(10, name) }
    }
}

extension DescriptorProto.Field {
    func encode(into writer: inout WireWriter) {
        writer.writeString(1, name)
        if let extendee { writer.writeString(2, extendee) }
        writer.writeInt32(3, number)
        writer.writeInt32(4, label)
        if let type { writer.writeInt32(5, type) }
        if let typeName { writer.writeString(6, typeName) }
        if let defaultValue { writer.writeString(7, defaultValue) }
        writer.writeOptions(8, options)
        if let oneofIndex { writer.writeInt32(9, oneofIndex) }
        if let jsonName { writer.writeString(10, jsonName) }
        if proto3Optional { writer.writeInt32(17, 1) }
    }
}

extension DescriptorProto.Enum {
    func encode(into writer: inout WireWriter) {
        writer.writeString(1, name)
        for value in values {
            writer.writeMessage(2) {
                $0.writeString(1, value.name)
                $0.writeInt32(2, value.number)
                $0.writeOptions(3, value.options)
            }
        }
        writer.writeOptions(3, options)
        for range in reservedRanges { writer.writeRange(4, range, exclusiveEnd: false) }
        for name in reservedNames { writer.writeString(5, name) }
    }
}

extension DescriptorProto.Service {
    func encode(into writer: inout WireWriter) {
        writer.writeString(1, name)
        for method in methods {
            writer.writeMessage(2) {
                $0.writeString(1, method.name)
                $0.writeString(2, method.inputType)
                $0.writeString(3, method.outputType)
                $0.writeOptions(4, method.options)
                if method.clientStreaming { $0.writeInt32(5, 1) }
                if method.serverStreaming { $0.writeInt32(6, 1) }
            }
        }
        writer.writeOptions(3, options)
    }
}
