import ProtoWire

extension HttpRule {
    /// Field numbers of `google.api.HttpRule` and `google.api.CustomHttpPattern`
    /// (`google/api/http.proto`).
    enum FieldNumber {
        static let selector: UInt32 = 1
        static let get: UInt32 = 2
        static let put: UInt32 = 3
        static let post: UInt32 = 4
        static let delete: UInt32 = 5
        static let patch: UInt32 = 6
        static let body: UInt32 = 7
        static let custom: UInt32 = 8
        static let additionalBindings: UInt32 = 11
        static let responseBody: UInt32 = 12
        static let customKind: UInt32 = 1
        static let customPath: UInt32 = 2
    }

    /// The `google.api.http` rule of a method (extension 72295728 of `MethodOptions`,
    /// `google/api/annotations.proto`), or nil when the method has none.
    ///
    /// Protobuf merges repeated occurrences of a singular message field, so every occurrence's
    /// payload is concatenated and decoded once: scalars and the `pattern` oneof take the last
    /// value, `additional_bindings` accumulate in order.
    public init?(methodOptions options: RawOptions) throws(WireDecodingError) {
        let payloads = try options.lengthDelimitedValues(fieldNumber: Transcoder.httpRuleExtensionFieldNumber)
        if payloads.isEmpty { return nil }
        try self.init(decoding: payloads.flatMap { $0 })
    }

    /// Decodes an encoded `google.api.HttpRule`.
    public init(decoding bytes: [UInt8]) throws(WireDecodingError) {
        self.init()
        try WireReader.withReader(over: bytes) { (reader: inout WireReader) throws(WireDecodingError) in
            try self.merge(from: &reader)
        }
    }

    mutating func merge(from reader: inout WireReader) throws(WireDecodingError) {
        var patternIsCustom = false
        while let tag = try reader.readTag() {
            guard tag.wireType == .lengthDelimited else {
                try reader.skipField(tag)
                continue
            }
            switch tag.fieldNumber {
            case FieldNumber.selector: selector = try reader.readString()
            case FieldNumber.get:
                patternIsCustom = false
                pattern = Pattern(method: "GET", path: try reader.readString())
            case FieldNumber.put:
                patternIsCustom = false
                pattern = Pattern(method: "PUT", path: try reader.readString())
            case FieldNumber.post:
                patternIsCustom = false
                pattern = Pattern(method: "POST", path: try reader.readString())
            case FieldNumber.delete:
                patternIsCustom = false
                pattern = Pattern(method: "DELETE", path: try reader.readString())
            case FieldNumber.patch:
                patternIsCustom = false
                pattern = Pattern(method: "PATCH", path: try reader.readString())
            case FieldNumber.custom:
                var custom = try reader.enterMessage()
                // A repeated occurrence of the oneof's message member merges into it; after
                // another member it starts afresh.
                var merged = patternIsCustom ? pattern ?? Pattern(method: "", path: "") : Pattern(method: "", path: "")
                patternIsCustom = true
                while let inner = try custom.readTag() {
                    switch (inner.fieldNumber, inner.wireType) {
                    case (FieldNumber.customKind, .lengthDelimited): merged.method = try custom.readString()
                    case (FieldNumber.customPath, .lengthDelimited): merged.path = try custom.readString()
                    default: try custom.skipField(inner)
                    }
                }
                pattern = merged
            case FieldNumber.body: body = try reader.readString()
            case FieldNumber.responseBody: responseBody = try reader.readString()
            case FieldNumber.additionalBindings:
                var nested = try reader.enterMessage()
                var binding = HttpRule()
                try binding.merge(from: &nested)
                additionalBindings.append(binding)
            default:
                try reader.skipField(tag)
            }
        }
    }
}
