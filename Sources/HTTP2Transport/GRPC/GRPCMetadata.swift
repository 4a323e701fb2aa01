/// Which caller-supplied metadata a gRPC request may carry (gRPC `doc/PROTOCOL-HTTP2.md`,
/// "Requests"; RFC 9113 §8.2).
///
/// ```
/// Custom-Metadata → Binary-Header / ASCII-Header
/// Binary-Header   → {Header-Name "-bin" } {base64 encoded value}
/// ASCII-Header    → Header-Name ASCII-Value
/// Header-Name     → 1*( %x30-39 / %x61-7A / "_" / "-" / ".") ; 0-9 a-z _ - .
/// ASCII-Value     → 1*( %x20-%x7E ) ; space and printable ASCII
/// ```
///
/// Fields the transport owns are dropped, so a proxy can hand over the header list it received:
/// pseudo-header fields (`:path`, …), the connection-specific fields HTTP/2 forbids (RFC 9113
/// §8.2.2: `connection`, `keep-alive`, `proxy-connection`, `transfer-encoding`, `upgrade`, and
/// `te` — the client sends `te: trailers` itself), `host` and `content-length` (the client sets
/// `:authority` and frames the body), and the reserved `grpc-*` fields. In passthrough mode the
/// caller owns the gRPC fields describing the body (`content-type`, `grpc-encoding`,
/// `grpc-accept-encoding`), so those are kept. Anything else must be a valid custom field, or the
/// call is rejected with INTERNAL naming the field: an uppercase or otherwise invalid name, or a
/// value with bytes outside %x20-%x7E (for `-bin` fields, outside the base64 alphabet).
enum GRPCMetadata {
    /// Appends the fields of `metadata` a request may carry to `headers`.
    static func append(_ metadata: HTTP2Headers, to headers: inout HTTP2Headers, passthrough: Bool) throws(GRPCStatus) {
        for field in metadata {
            guard try keeps(field, passthrough: passthrough) else { continue }
            headers.add(name: field.name, value: field.value)
        }
    }

    /// True if `field` goes on the wire, false if the transport owns it; throws if it is invalid.
    static func keeps(_ field: HTTP2Headers.Field, passthrough: Bool) throws(GRPCStatus) -> Bool {
        let name = field.name.utf8
        guard let first = name.first else { throw GRPCStatus(.internal, "metadata with an empty name") }
        if first == UInt8(ascii: ":") { return false }
        if isOwnedByTransport(field.name, passthrough: passthrough) { return false }
        for byte in name where !isNameByte(byte) {
            let problem = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? "uppercase" : "invalid"
            throw GRPCStatus(.internal, "metadata \"\(field.name)\": \(problem) character in the name (gRPC names are 0-9 a-z _ - .)")
        }
        let binary = field.name.hasSuffix("-bin")
        for byte in field.value.utf8 where !(binary ? isBase64Byte(byte) : (0x20...0x7E).contains(byte)) {
            let allowed = binary ? "base64" : "printable ASCII"
            throw GRPCStatus(.internal, "metadata \"\(field.name)\": value byte 0x\(String(byte, radix: 16)) is not \(allowed)")
        }
        return true
    }

    private static func isOwnedByTransport(_ name: String, passthrough: Bool) -> Bool {
        switch name {
        case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "host",
            "content-length":
            return true
        case "content-type", "grpc-encoding", "grpc-accept-encoding":
            return !passthrough
        default:
            return name.utf8.starts(with: "grpc-".utf8)
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"),
            UInt8(ascii: "-"), UInt8(ascii: "."):
            true
        default: false
        }
    }

    /// Base64 with or without padding (gRPC accepts both on receipt, sends unpadded).
    private static func isBase64Byte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
            true
        default: false
        }
    }
}
