/// Tells HTTP/2 with prior knowledge from HTTP/1.1 by a connection's first bytes, so both can
/// share one port (sans-I/O; ``ProtocolSniffer`` feeds it).
///
/// An h2c client with prior knowledge starts with the 24-octet client connection preface
/// `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n` (RFC 9113 §3.4). No valid HTTP/1.1 request line starts with
/// `PRI * HTTP/2.0` (RFC 9112 §3 would read it as method `PRI`, which RFC 9113 §11.6 reserves for
/// exactly this purpose), so the first byte that differs from the preface decides HTTP/1.1, and
/// all 24 octets matching decide HTTP/2.
enum ConnectionPreface {
    /// The client connection preface (RFC 9113 §3.4).
    static let bytes: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    enum Verdict: Equatable {
        /// The bytes so far are a proper prefix of the preface: read more.
        case needMoreBytes
        case http2
        case http1
    }

    /// The verdict on a connection's first bytes (everything received so far).
    static func classify<Bytes: Collection<UInt8>>(_ received: Bytes) -> Verdict {
        var index = 0
        for byte in received {
            if index == bytes.count { break }
            if byte != bytes[index] { return .http1 }
            index += 1
        }
        return index == bytes.count ? .http2 : .needMoreBytes
    }
}
