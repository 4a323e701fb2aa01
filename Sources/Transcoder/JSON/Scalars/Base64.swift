import ProtoWire

/// Base64 for `bytes` fields (RFC 4648). ProtoJSON writes standard base64 with padding (§4) and
/// reads either the standard or the URL-safe alphabet (§5), with or without padding.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0...63 for a character of either alphabet, 0xFF otherwise.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// The number of base64 symbols in `text`: padding (one or two `=`) is only recognised at
    /// the end of text whose length is a multiple of 4.
    static func symbolCount(_ text: UnsafeRawBufferPointer) -> Int {
        var symbols = text.count
        if symbols % 4 == 0 && symbols > 0 && text[symbols - 1] == UInt8(ascii: "=") {
            symbols -= 1
            if text[symbols - 1] == UInt8(ascii: "=") { symbols -= 1 }
        }
        return symbols
    }

    /// The decoded length when `text` is valid base64 of either alphabet, else nil.
    static func validate(_ text: UnsafeRawBufferPointer) -> Int? {
        let symbols = symbolCount(text)
        if symbols % 4 == 1 { return nil }
        let table = decodeTable
        for index in 0..<symbols where table[Int(text[index])] == 0xFF { return nil }
        return symbols / 4 * 3 + max(0, symbols % 4 - 1)
    }

    /// Appends the decoded bytes of `text` to `writer` as a length-delimited value. Returns false,
    /// writing nothing, when `text` is not base64.
    static func writeDecoded<W: WireSink>(_ text: UnsafeRawBufferPointer, into writer: inout W) -> Bool {
        guard let decoded = validate(text) else { return false }
        let symbols = symbolCount(text)
        writer.writeVarint(UInt64(decoded))
        // Decoded into one scratch buffer (on the stack when small), then written at once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(decoded, 1)) { output in
            decodeTable.withUnsafeBufferPointer { table in
                var index = 0
                var written = 0
                while index + 4 <= symbols {
                    let value = UInt32(table[Int(text[index])]) << 18 | UInt32(table[Int(text[index + 1])]) << 12
                        | UInt32(table[Int(text[index + 2])]) << 6 | UInt32(table[Int(text[index + 3])])
                    output[written] = UInt8(truncatingIfNeeded: value >> 16)
                    output[written + 1] = UInt8(truncatingIfNeeded: value >> 8)
                    output[written + 2] = UInt8(truncatingIfNeeded: value)
                    written += 3
                    index += 4
                }
                let rest = symbols - index
                if rest >= 2 {
                    var value = UInt32(table[Int(text[index])]) << 18 | UInt32(table[Int(text[index + 1])]) << 12
                    if rest == 3 { value |= UInt32(table[Int(text[index + 2])]) << 6 }
                    output[written] = UInt8(truncatingIfNeeded: value >> 16)
                    if rest == 3 { output[written + 1] = UInt8(truncatingIfNeeded: value >> 8) }
                    written += rest - 1
                }
                writer.writeRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: output[0..<written])))
            }
        }
        return true
    }

    /// Appends the padded standard base64 of the `count` bytes at `source` in quotes, with one
    /// capacity check: three input bytes become four symbols, looked up in a literal table.
    @inline(__always)
    static func appendQuoted(_ source: UnsafePointer<UInt8>, count: Int, into output: inout OutputBuffer) {
        let length = (count + 2) / 3 * 4
        let destination = output.reserveTail(length + 2)
        let symbols: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        let table = symbols.utf8Start
        destination[0] = UInt8(ascii: "\"")
        var index = 0
        var written = 1
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
            written += 4
        }
        destination[written] = UInt8(ascii: "\"")
        output.commit(written + 1)
    }

    /// Appends the padded standard base64 of `bytes` to `output`.
    static func encode<S: JSONSink>(_ bytes: UnsafeRawBufferPointer, into output: inout S) {
        let table = alphabet
        var index = 0
        let count = bytes.count
        while index + 3 <= count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(table[Int(value >> 18 & 63)])
            output.append(table[Int(value >> 12 & 63)])
            output.append(table[Int(value >> 6 & 63)])
            output.append(table[Int(value & 63)])
            index += 3
        }
        let rest = count - index
        if rest > 0 {
            var value = UInt32(bytes[index]) << 16
            if rest == 2 { value |= UInt32(bytes[index + 1]) << 8 }
            output.append(table[Int(value >> 18 & 63)])
            output.append(table[Int(value >> 12 & 63)])
            output.append(rest == 2 ? table[Int(value >> 6 & 63)] : UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        }
    }
}
