import Testing

@testable import Gateway

/// The per-request media type checks (`content-type`), made without strings: JSON for REST bodies
/// (RFC 6839 §3.1 `+json`), gRPC for the passthrough (gRPC `doc/PROTOCOL-HTTP2.md`, not gRPC-Web).
struct MediaTypeTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var input: String
        var want: Bool
        var testDescription: String { "'\(input)' → \(want)" }
    }

    @Test(arguments: [
        Row(input: "application/json", want: true),
        Row(input: "Application/JSON; charset=utf-8", want: true),
        Row(input: "application/json ;charset=utf-8", want: true),
        Row(input: " application/ json", want: true),
        Row(input: "application/merge-patch+json", want: true),
        Row(input: "APPLICATION/VND.API+JSON", want: true),
        Row(input: "application/+json", want: true),
        Row(input: "application/jsonx", want: false),
        Row(input: "application/json5", want: false),
        Row(input: "text/json", want: false),
        Row(input: "application/x-ndjson", want: false),
        Row(input: "application/grpc", want: false),
        Row(input: "", want: false),
        Row(input: ";application/json", want: false),
        Row(input: "applicatión/json", want: false),
    ])
    func isJSON(_ row: Row) {
        #expect(GatewayPipeline.isJSON(row.input) == row.want)
    }

    @Test(arguments: [
        Row(input: "application/grpc", want: true),
        Row(input: "application/grpc+proto", want: true),
        Row(input: "Application/GRPC;charset=utf-8", want: true),
        Row(input: "application/grpc-web", want: false),
        Row(input: "application/grpc-web+proto", want: false),
        Row(input: "application/grpcx", want: false),
        Row(input: "application/json", want: false),
        Row(input: "application/grp", want: false),
        Row(input: "", want: false),
    ])
    func isGRPC(_ row: Row) {
        #expect(GRPCPassthrough.isGRPC(row.input) == row.want)
    }
}
