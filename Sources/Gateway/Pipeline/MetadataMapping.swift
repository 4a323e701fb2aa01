import HTTP2Transport

/// Which HTTP headers become gRPC metadata and back (gRPC `doc/PROTOCOL-HTTP2.md`, "Custom-Metadata").
///
/// Request headers are forwarded except hop-by-hop fields (RFC 9110 §7.6.1) and the ones the
/// gateway or gRPC owns (`host`, `content-*`, `grpc-*`, pseudo-headers). `authorization` is
/// kept. `-bin` values must be base64 (as on the gRPC wire) and pass through; others must be
/// printable ASCII, since gRPC ASCII metadata allows nothing else.
enum MetadataMapping {
    static let droppedRequestHeaders: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "upgrade", "trailer",
        "proxy-authorization", "proxy-authenticate", "host", "content-type", "content-length",
        "accept-encoding", "expect", "http2-settings", "user-agent",
    ]
    static let droppedResponseHeaders: Set<String> = [
        "content-type", "content-length", "te", "trailer", "transfer-encoding", "connection", "keep-alive",
        "grpc-status", "grpc-message", "grpc-status-details-bin", "grpc-encoding", "grpc-accept-encoding",
        "x-request-id", "date", "server",
        // The gateway writes the body: a backend's coding would mislabel its JSON (an HttpBody
        // reply's data may carry one, `GatewayPipeline.successResponse`).
        "content-encoding",
    ]

    /// The metadata for a backend call.
    static func requestMetadata(for request: GatewayRequest, requestID: String) -> HTTP2Headers {
        var metadata = HTTP2Headers()
        var forwardedFor: String?
        for (rawName, value) in request.headers {
            let name = rawName.lowercased()
            if name.hasPrefix(":") || name.hasPrefix("grpc-") || droppedRequestHeaders.contains(name) { continue }
            if name == "x-request-id" { continue }
            if name == "x-forwarded-for" {
                forwardedFor = value
                continue
            }
            guard isValidMetadata(name: name, value: value) else { continue }
            metadata.add(name: name, value: value)
        }
        if let address = request.remoteAddress {
            metadata.add(name: "x-forwarded-for", value: forwardedFor.map { "\($0), \(address)" } ?? address)
        } else if let forwardedFor {
            metadata.add(name: "x-forwarded-for", value: forwardedFor)
        }
        if let host = request.header("host") { metadata.add(name: "x-forwarded-host", value: host) }
        metadata.add(name: "x-request-id", value: requestID)
        return metadata
    }

    /// Backend headers and trailers as HTTP response headers.
    static func responseHeaders(_ fields: HTTP2Headers, into headers: inout [(name: String, value: String)]) {
        for field in fields {
            if field.name.hasPrefix(":") || droppedResponseHeaders.contains(field.name) { continue }
            guard isValidMetadata(name: field.name, value: field.value) else { continue }
            headers.append((field.name, field.value))
        }
    }

    /// The trailer section for a client that takes trailers: the status fields (gRPC
    /// `doc/PROTOCOL-HTTP2.md`, "Responses") and the backend's custom trailing metadata.
    static func trailers(status: GRPCStatus, backendTrailers: HTTP2Headers) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = status.trailerFields.map { ($0.name, $0.value) }
        responseHeaders(backendTrailers, into: &fields)
        return fields
    }

    static func isValidMetadata(name: String, value: String) -> Bool {
        guard !name.isEmpty,
            name.utf8.allSatisfy({
                ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E
            })
        else { return false }
        if name.hasSuffix("-bin") { return Base64.decode(value) != nil }
        return value.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }
    }

    /// A fresh request id: 16 random bytes in hex.
    static func makeRequestID() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<2 {
            var word = generator.next() as UInt64
            for _ in 0..<16 {
                bytes.append(hex[Int(word & 0xF)])
                word >>= 4
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
