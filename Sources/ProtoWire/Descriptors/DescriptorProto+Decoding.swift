// Decoding of `google.protobuf.FileDescriptorSet` with ProtoWire. Each function handles one
// message of descriptor.proto; field numbers are cited next to each case.

extension DescriptorProto {
    /// Decodes a serialized `google.protobuf.FileDescriptorSet` (`protoc --descriptor_set_out`).
    public static func decodeFileDescriptorSet(_ bytes: [UInt8]) throws(WireDecodingError) -> [File] {
        var files: [File] = []
        try WireReader.withReader(over: bytes) { (reader: inout WireReader) throws(WireDecodingError) in
            while let tag = try reader.readTag() {
                if tag.fieldNumber == 1 && tag.wireType == .lengthDelimited {  // file
                    var sub = try reader.enterMessage()
                    files.append(try File(from: &sub))
                } else {
                    try reader.skipField(tag)
                }
            }
        }
        return files
    }

    /// Decodes a serialized `google.protobuf.FileDescriptorProto`.
    public static func decodeFile(_ bytes: [UInt8]) throws(WireDecodingError) -> File {
        try WireReader.withReader(over: bytes) { (reader: inout WireReader) throws(WireDecodingError) in
            return try File(from: &reader)
        }
    }
}

extension WireReader {
    /// Reads an int32 varint (sign-extended on the wire), truncating as protobuf does.
    @inlinable
    mutating func readInt32() throws(WireDecodingError) -> Int32 {
        Int32(truncatingIfNeeded: try readVarint())
    }

    @inlinable
    mutating func readBool() throws(WireDecodingError) -> Bool {
        try readVarint() != 0
    }

    /// Reads a repeated int32 field in either packed or unpacked form.
    mutating func readRepeatedInt32(_ tag: FieldTag, into values: inout [Int32]) throws(WireDecodingError) {
        if tag.wireType == .lengthDelimited {
            try readPackedVarints { values.append(Int32(truncatingIfNeeded: $0)) }
        } else {
            values.append(try readInt32())
        }
    }

    /// Reads a `{ start = 1; end = 2; }` range message (end exclusive) into a closed range.
    mutating func readRange(endIsExclusive: Bool) throws(WireDecodingError) -> ClosedRange<Int32> {
        var sub = try enterMessage()
        var start: Int32 = 0
        var end: Int32 = 0
        while let tag = try sub.readTag() {
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .varint): start = try sub.readInt32()
            case (2, .varint): end = try sub.readInt32()
            default: try sub.skipField(tag)
            }
        }
        let upper = endIsExclusive ? end &- 1 : end
        return start...max(start, upper)
    }
}

extension DescriptorProto.File {
    init(from reader: inout WireReader) throws(WireDecodingError) {
        self.init()
        while let tag = try reader.readTag() {
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited): name = try reader.readString()
            case (2, .lengthDelimited): package = try reader.readString()
            case (3, .lengthDelimited): dependencies.append(try reader.readString())
            case (4, .lengthDelimited):
                var sub = try reader.enterMessage()
                messages.append(try DescriptorProto.Message(from: &sub))
            case (5, .lengthDelimited):
                var sub = try reader.enterMessage()
                enums.append(try DescriptorProto.Enum(from: &sub))
            case (6, .lengthDelimited):
                var sub = try reader.enterMessage()
                services.append(try DescriptorProto.Service(from: &sub))
            case (7, .lengthDelimited):
                var sub = try reader.enterMessage()
                extensions.append(try DescriptorProto.Field(from: &sub))
            case (8, .lengthDelimited): options.merge(try reader.readByteArray())
            case (10, _): try reader.readRepeatedInt32(tag, into: &publicDependencies)
            case (11, _): try reader.readRepeatedInt32(tag, into: &weakDependencies)
            case (12, .lengthDelimited): syntax = try reader.readString()
            case (14, .varint): edition = try reader.readInt32()
            default: try reader.skipField(tag)  // 9 source_code_info and anything newer
            }
        }
    }
}

extension DescriptorProto.Message {
    init(from reader: inout WireReader) throws(WireDecodingError) {
        self.init()
        while let tag = try reader.readTag() {
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited): name = try reader.readString()
            case (2, .lengthDelimited):
                var sub = try reader.enterMessage()
                fields.append(try DescriptorProto.Field(from: &sub))
            case (3, .lengthDelimited):
                var sub = try reader.enterMessage()
                nestedMessages.append(try DescriptorProto.Message(from: &sub))
            case (4, .lengthDelimited):
                var sub = try reader.enterMessage()
                enums.append(try DescriptorProto.Enum(from: &sub))
            case (5, .lengthDelimited): extensionRanges.append(try reader.readRange(endIsExclusive: true))
            case (6, .lengthDelimited):
                var sub = try reader.enterMessage()
                extensions.append(try DescriptorProto.Field(from: &sub))
            case (7, .lengthDelimited): options.merge(try reader.readByteArray())
            case (8, .lengthDelimited):
                var sub = try reader.enterMessage()
                oneofs.append(try DescriptorProto.Oneof(from: &sub))
            case (9, .lengthDelimited): reservedRanges.append(try reader.readRange(endIsExclusive: true))
            case (10, .lengthDelimited): reservedNames.append(try reader.readString())
            default: try reader.skipField(tag)
            }
        }
    }
}

extension DescriptorProto.Field {
    init(from reader: inout WireReader) throws(WireDecodingError) {
        self.init()
        while let tag = try reader.readTag() {
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited): name = try reader.readString()
            case (2, .lengthDelimited): extendee = try reader.readString()
            case (3, .varint): number = try reader.readInt32()
            case (4, .varint): label = try reader.readInt32()
            case (5, .varint): type = try reader.readInt32()
            case (6, .lengthDelimited): typeName = try reader.readString()
            case (7, .lengthDelimited): defaultValue = try reader.readString()
            case (8, .lengthDelimited): options.merge(try reader.readByteArray())
            case (9, .varint): oneofIndex = try reader.readInt32()
            case (10, .lengthDelimited): jsonName = try reader.readString()
            case (17, .varint): proto3Optional = try reader.readBool()
            default: try reader.skipField(tag)
            }
        }
    }
}

extension DescriptorProto.Oneof {
    init(from reader: inout WireReader) throws(WireDecodingError) {
        self.init()
        while let tag = try reader.readTag() {
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited): name = try reader.readString()
            case (2, .lengthDelimited): options.merge(try reader.readByteArray())
            default: try reader.skipField(tag)
            }
        }
    }
}

extension DescriptorProto.Enum {
    init(from reader: inout WireReader) throws(WireDecodingError) {
        self.init()
        while let tag = try reader.readTag() {
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited): name = try reader.readString()
            case (2, .lengthDelimited):
                var sub = try reader.enterMessage()
                values.append(try DescriptorProto.EnumValue(from: &sub))
            case (3, .lengthDelimited): options.merge(try reader.readByteArray())
            case (4, .lengthDelimited): reservedRanges.append(try reader.readRange(endIsExclusive: false))
            case (5, .lengthDelimited): reservedNames.append(try reader.readString())
            default: try reader.skipField(tag)
            }
        }
    }
}

extension DescriptorProto.EnumValue {
    init(from reader: inout WireReader) throws(WireDecodingError) {
        self.init()
        while let tag = try reader.readTag() {
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited): name = try reader.readString()
            case (2, .varint): number = try reader.readInt32()
            case (3, .lengthDelimited): options.merge(try reader.readByteArray())
            default: try reader.skipField(tag)
            }
        }
    }
}

extension DescriptorProto.Service {
    init(from reader: inout WireReader) throws(WireDecodingError) {
        self.init()
        while let tag = try reader.readTag() {
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited): name = try reader.readString()
            case (2, .lengthDelimited):
                var sub = try reader.enterMessage()
                methods.append(try DescriptorProto.Method(from: &sub))
            case (3, .lengthDelimited): options.merge(try reader.readByteArray())
            default: try reader.skipField(tag)
            }
        }
    }
}

extension DescriptorProto.Method {
    init(from reader: inout WireReader) throws(WireDecodingError) {
        self.init()
        while let tag = try reader.readTag() {
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited): name = try reader.readString()
            case (2, .lengthDelimited): inputType = try reader.readString()
            case (3, .lengthDelimited): outputType = try reader.readString()
            case (4, .lengthDelimited): options.merge(try reader.readByteArray())
            case (5, .varint): clientStreaming = try reader.readBool()
            case (6, .varint): serverStreaming = try reader.readBool()
            default: try reader.skipField(tag)
            }
        }
    }
}
