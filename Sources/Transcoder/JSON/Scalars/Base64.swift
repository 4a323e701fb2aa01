import ProtoWire

/// Base64 for `bytes` fields, on ProtoWire's ``Base64Text``: ProtoJSON writes standard base64
/// with padding (RFC 4648 §4) and reads either the standard or the URL-safe alphabet (§5), with
/// or without padding.
enum Base64 {
    /// Appends the decoded bytes of `text` to `writer` as a length-delimited value. Returns false,
    /// writing nothing, when `text` is not base64.
    static func writeDecoded<W: WireSink>(_ text: UnsafeRawBufferPointer, into writer: inout W) -> Bool {
        guard let decoded = Base64Text.decodedLength(text) else { return false }
        writer.writeVarint(UInt64(decoded))
        // Decoded into one scratch buffer (on the stack when small), then written at once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(decoded, 1)) { output in
            let written = Base64Text.decode(text, to: output.baseAddress!)
            writer.writeRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: output[0..<written])))
        }
        return true
    }

    /// Appends the padded standard base64 of the `count` bytes at `source` in quotes, with one
    /// capacity check.
    @inline(__always)
    static func appendQuoted(_ source: UnsafePointer<UInt8>, count: Int, into output: inout OutputBuffer) {
        let length = Base64Text.encodedLength(count)
        let destination = output.reserveTail(length + 2)
        destination[0] = UInt8(ascii: "\"")
        Base64Text.encode(source, count: count, to: destination + 1)
        destination[length + 1] = UInt8(ascii: "\"")
        output.commit(length + 2)
    }
}
