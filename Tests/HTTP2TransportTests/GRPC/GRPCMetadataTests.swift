import Testing

@testable import HTTP2Transport

/// Caller metadata on a request (gRPC `doc/PROTOCOL-HTTP2.md`, "Custom-Metadata"; RFC 9113 §8.2.2).
@Suite("GRPCMetadata")
struct GRPCMetadataTests {
    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var value: String
        var passthrough = false
        /// "keep", "drop", or the start of the rejection message.
        var want: String
        var description: String { "\(name): \(value)\(passthrough ? " (passthrough)" : "") → \(want)" }
    }

    static let rows: [Row] = [
        Row(name: "x-user", value: "alice", want: "keep"),
        Row(name: "x.dotted_name-1", value: "a b ~!", want: "keep"),
        Row(name: "x-blob-bin", value: "AAEC/w==", want: "keep"),
        Row(name: "x-blob-bin", value: "AAEC_w", want: "metadata \"x-blob-bin\": value byte 0x5f is not base64"),
        Row(name: ":path", value: "/evil", want: "drop"),
        Row(name: ":authority", value: "evil", want: "drop"),
        Row(name: "connection", value: "close", want: "drop"),
        Row(name: "keep-alive", value: "5", want: "drop"),
        Row(name: "proxy-connection", value: "keep-alive", want: "drop"),
        Row(name: "transfer-encoding", value: "chunked", want: "drop"),
        Row(name: "upgrade", value: "h2c", want: "drop"),
        Row(name: "te", value: "gzip", want: "drop"),
        Row(name: "te", value: "trailers", want: "drop"),  // the client sends its own
        Row(name: "host", value: "evil", want: "drop"),
        Row(name: "content-length", value: "12", want: "drop"),
        Row(name: "content-type", value: "application/json", want: "drop"),
        Row(name: "content-type", value: "application/grpc+proto", passthrough: true, want: "keep"),
        Row(name: "grpc-timeout", value: "1S", want: "drop"),
        Row(name: "grpc-timeout", value: "1S", passthrough: true, want: "drop"),
        Row(name: "grpc-encoding", value: "gzip", want: "drop"),
        Row(name: "grpc-encoding", value: "gzip", passthrough: true, want: "keep"),
        Row(name: "grpc-accept-encoding", value: "gzip", passthrough: true, want: "keep"),
        Row(name: "grpc-status", value: "0", want: "drop"),
        Row(name: "grpc-previous-rpc-attempts", value: "1", want: "drop"),
        Row(name: "X-User", value: "alice", want: "metadata \"X-User\": uppercase character in the name"),
        Row(name: "x user", value: "alice", want: "metadata \"x user\": invalid character in the name"),
        Row(name: "x-ü", value: "alice", want: "metadata \"x-ü\": invalid character in the name"),
        Row(name: "", value: "alice", want: "metadata with an empty name"),
        Row(name: "x-user", value: "line\r\nbreak", want: "metadata \"x-user\": value byte 0xd is not printable ASCII"),
        Row(name: "x-user", value: "tab\there", want: "metadata \"x-user\": value byte 0x9 is not printable ASCII"),
        Row(name: "x-user", value: "café", want: "metadata \"x-user\": value byte 0xc3 is not printable ASCII"),
    ]

    @Test(arguments: rows)
    func filtersAndValidates(_ row: Row) {
        let field = HTTP2Headers.Field(name: row.name, value: row.value)
        do {
            let kept = try GRPCMetadata.keeps(field, passthrough: row.passthrough)
            #expect((kept ? "keep" : "drop") == row.want)
        } catch {
            #expect(error.code == .internal)
            #expect(error.message.hasPrefix(row.want), "\(error.message)")
            #expect(row.want != "keep" && row.want != "drop")
        }
    }

    @Test func appendKeepsOrderAndDropsOwnedFields() throws {
        var headers: HTTP2Headers = [(":method", "POST")]
        try GRPCMetadata.append(
            [("x-a", "1"), ("connection", "close"), ("x-b", "2"), ("grpc-timeout", "1S"), ("x-a", "3")], to: &headers,
            passthrough: false)
        #expect(headers == [(":method", "POST"), ("x-a", "1"), ("x-b", "2"), ("x-a", "3")])
    }
}
