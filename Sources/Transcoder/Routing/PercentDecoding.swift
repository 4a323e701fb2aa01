/// Percent-decoding of path and query values (RFC 3986 §2.1), with the exceptions
/// `google/api/http.proto` gives for path variables.
///
/// An escape that is not `%` followed by two hex digits is kept as written, as Google's
/// reference implementation does (grpc-httpjson-transcoding, `UrlUnescapeString`).
enum PercentDecoding {
    enum Mode {
        /// A single-segment variable (`{name}`, `{name=*}`): every escape is decoded except those
        /// of RFC 6570 reserved characters, which stay encoded.
        case pathSegment
        /// A multi-segment variable (`{name=shelves/*}`, `{name=**}`): every escape is decoded
        /// except `%2F`/`%2f`, so an encoded slash stays distinguishable from a separator.
        case pathSegments
        /// A query name or value (`application/x-www-form-urlencoded`): every escape is decoded
        /// and `+` means a space.
        case query
    }

    /// The decoded bytes of `raw`.
    static func decode(_ raw: UnsafeRawBufferPointer, mode: Mode) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            if byte == UInt8(ascii: "%"), index + 2 < raw.count,
                let high = RoutingBytes.hexValue(raw[index + 1]), let low = RoutingBytes.hexValue(raw[index + 2])
            {
                let decoded = high << 4 | low
                if keepsEncoded(decoded, mode: mode) {
                    output.append(contentsOf: raw[index..<index + 3])
                } else {
                    output.append(decoded)
                }
                index += 3
                continue
            }
            output.append(mode == .query && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return output
    }

    /// The decoded bytes as a string, or nil when they are not valid UTF-8.
    static func decodeString(_ raw: UnsafeRawBufferPointer, mode: Mode) -> String? {
        if !raw.contains(UInt8(ascii: "%")) && !(mode == .query && raw.contains(UInt8(ascii: "+"))) {
            return String(validating: raw, as: UTF8.self)
        }
        return String(validating: decode(raw, mode: mode), as: UTF8.self)
    }

    static func keepsEncoded(_ decoded: UInt8, mode: Mode) -> Bool {
        switch mode {
        case .pathSegment: RoutingBytes.isReserved(decoded)
        case .pathSegments: decoded == UInt8(ascii: "/")
        case .query: false
        }
    }

    /// Whether the raw segment equals `literal` once escapes of unreserved characters are decoded
    /// (RFC 3986 §6.2.2.2: such escapes are equivalent to the characters themselves).
    static func segment(_ raw: UnsafeRawBufferPointer, equalsLiteral literal: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var literalIndex = 0
        while index < raw.count {
            guard literalIndex < literal.count else { return false }
            var byte = raw[index]
            var width = 1
            if byte == UInt8(ascii: "%"), index + 2 < raw.count,
                let high = RoutingBytes.hexValue(raw[index + 1]), let low = RoutingBytes.hexValue(raw[index + 2]),
                RoutingBytes.isUnreserved(high << 4 | low)
            {
                byte = high << 4 | low
                width = 3
            }
            if byte != literal[literalIndex] { return false }
            index += width
            literalIndex += 1
        }
        return literalIndex == literal.count
    }
}
