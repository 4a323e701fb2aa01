internal import ProtoWire

/// Base64 for binary metadata (`-bin` fields; gRPC `doc/PROTOCOL-HTTP2.md`, "Custom-Metadata"),
/// on ProtoWire's ``Base64Text``. Senders pad (RFC 4648 §4); receivers must accept padded and
/// unpadded values alike, of the standard or the URL-safe alphabet.
public enum Base64 {
    public static func encode(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "" }
        let length = Base64Text.encodedLength(bytes.count)
        return String(unsafeUninitializedCapacity: length) { destination in
            bytes.withUnsafeBufferPointer { source in
                Base64Text.encode(source.baseAddress!, count: source.count, to: destination.baseAddress!)
            }
            return length
        }
    }

    /// Decodes padded or unpadded base64; nil for any other character or an impossible length.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            guard let length = Base64Text.decodedLength(raw) else { return nil }
            guard length > 0 else { return [] }
            return [UInt8](unsafeUninitializedCapacity: length) { destination, count in
                count = Base64Text.decode(raw, to: destination.baseAddress!)
            }
        }
    }
}
