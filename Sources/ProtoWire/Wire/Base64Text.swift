/// Base64 (RFC 4648) for the modules above: ProtoJSON's `bytes` values and gRPC's binary
/// metadata (`-bin` headers, `grpc-status-details-bin`). Both write the standard alphabet with
/// padding (§4). Both read the standard and the URL-safe alphabet (§5), with or without padding:
/// ProtoJSON's mapping accepts either form, and gRPC's receivers must accept unpadded values
/// (gRPC `doc/PROTOCOL-HTTP2.md`, "Custom-Metadata").
///
/// Callers own the memory: these work from pointer to pointer, so a JSON printer can encode
/// straight into its output and a parser can decode into a scratch buffer.
public enum Base64Text {
    /// The standard alphabet (RFC 4648 §4, Table 1).
    @usableFromInline
    static let symbols: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    /// 0...63 for a symbol of either alphabet, 0xFF for any other byte.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for index in 0..<64 { table[Int(symbols.utf8Start[index])] = UInt8(index) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// The length of the padded encoding of `count` bytes.
    @inlinable
    public static func encodedLength(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Writes the padded standard encoding of the `count` bytes at `source` to `destination`,
    /// which has room for ``encodedLength(_:)`` bytes.
    @inlinable
    public static func encode(_ source: UnsafePointer<UInt8>, count: Int, to destination: UnsafeMutablePointer<UInt8>) {
        let table = symbols.utf8Start
        var index = 0
        var written = 0
        while index + 3 <= count {
            let value = UInt32(source[index]) << 16 | UInt32(source[index + 1]) << 8 | UInt32(source[index + 2])
            destination[written] = table[Int(value >> 18 & 63)]
            destination[written + 1] = table[Int(value >> 12 & 63)]
            destination[written + 2] = table[Int(value >> 6 & 63)]
            destination[written + 3] = table[Int(value & 63)]
            index += 3
            written += 4
        }
        let rest = count - index
        if rest > 0 {
            var value = UInt32(source[index]) << 16
            if rest == 2 { value |= UInt32(source[index + 1]) << 8 }
            destination[written] = table[Int(value >> 18 & 63)]
            destination[written + 1] = table[Int(value >> 12 & 63)]
            destination[written + 2] = rest == 2 ? table[Int(value >> 6 & 63)] : UInt8(ascii: "=")
            destination[written + 3] = UInt8(ascii: "=")
        }
    }

    /// The number of symbols in `text`: one or two `=` of padding are recognised only at the
    /// end of text whose length is a multiple of four.
    static func symbolCount(_ text: UnsafeRawBufferPointer) -> Int {
        var symbols = text.count
        if symbols % 4 == 0 && symbols > 0 && text[symbols - 1] == UInt8(ascii: "=") {
            symbols -= 1
            if text[symbols - 1] == UInt8(ascii: "=") { symbols -= 1 }
        }
        return symbols
    }

    /// The decoded length when `text` is base64 of either alphabet, padded or not; else nil (a
    /// byte outside both alphabets, misplaced padding, or a length no encoding has).
    public static func decodedLength(_ text: UnsafeRawBufferPointer) -> Int? {
        let symbols = symbolCount(text)
        if symbols % 4 == 1 { return nil }
        return decodeTable.withUnsafeBufferPointer { table in
            for index in 0..<symbols where table[Int(text[index])] == 0xFF { return nil }
            return symbols / 4 * 3 + max(0, symbols % 4 - 1)
        }
    }

    /// Decodes `text`, which ``decodedLength(_:)`` accepted, into `destination`, which has room
    /// for that many bytes; returns the count written.
    public static func decode(_ text: UnsafeRawBufferPointer, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        let symbols = symbolCount(text)
        return decodeTable.withUnsafeBufferPointer { table in
            var index = 0
            var written = 0
            while index + 4 <= symbols {
                let value =
                    UInt32(table[Int(text[index])]) << 18 | UInt32(table[Int(text[index + 1])]) << 12
                    | UInt32(table[Int(text[index + 2])]) << 6 | UInt32(table[Int(text[index + 3])])
                destination[written] = UInt8(truncatingIfNeeded: value >> 16)
                destination[written + 1] = UInt8(truncatingIfNeeded: value >> 8)
                destination[written + 2] = UInt8(truncatingIfNeeded: value)
                written += 3
                index += 4
            }
            let rest = symbols - index
            if rest >= 2 {
                var value = UInt32(table[Int(text[index])]) << 18 | UInt32(table[Int(text[index + 1])]) << 12
                if rest == 3 { value |= UInt32(table[Int(text[index + 2])]) << 6 }
                destination[written] = UInt8(truncatingIfNeeded: value >> 16)
                if rest == 3 { destination[written + 1] = UInt8(truncatingIfNeeded: value >> 8) }
                written += rest - 1
            }
            return written
        }
    }
}
