import Gateway
import HTTP2Transport
import Testing

/// Faults a real server is hard to make produce, from a scripted in-process backend on
/// `HTTP2Server`: each row is the request, the backend's scripted reply, and the HTTP answer.
@Suite("Gateway against a scripted backend")
struct ScriptedBackendTests {
    enum Reply: Sendable {
        /// 200 + application/grpc, these message bytes framed, then these trailers.
        case messages([[UInt8]], trailers: [(String, String)])
        /// A trailers-only answer (status in the headers).
        case trailersOnly([(String, String)])
        /// A non-gRPC HTTP status.
        case http(String)
        /// Never answers (until the client gives up).
        case hang
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var target = "/v1/shelves/1"
        var headers: [(name: String, value: String)] = []
        var reply: Reply
        var status: Int
        var body: String
        var testDescription: String { name }
    }

    static let shelfDetail: [UInt8] = {
        // google.rpc.Status{code: 7, message: "no", details: [Any{Shelf{id: 5}}]}
        let url = Array("type.googleapis.com/example.bookstore.v1.Shelf".utf8)
        let any: [UInt8] = [0x0A, UInt8(url.count)] + url + [0x12, 0x02, 0x08, 0x05]
        return [0x08, 0x07, 0x12, 0x02, 0x6E, 0x6F, 0x1A, UInt8(any.count)] + any
    }()

    static let rows: [Row] = [
        Row(
            name: "reply with a malformed message", reply: .messages([[0x08]], trailers: [("grpc-status", "0")]),
            status: 500, body: #"{"code":13,"message":"cannot translate the backend's reply: "#),
        Row(
            name: "trailers-only error with details",
            reply: .trailersOnly([
                ("grpc-status", "7"), ("grpc-message", "no"),
                ("grpc-status-details-bin", Base64.encode(shelfDetail)),
            ]),
            status: 403,
            body: #"{"code":7,"message":"no","details":[{"@type":"type.googleapis.com/example.bookstore.v1.Shelf","id":"5"}]}"#),
        Row(
            name: "percent-encoded grpc-message", reply: .trailersOnly([("grpc-status", "6"), ("grpc-message", "already%20there%20%E2%9C%93")]),
            status: 409, body: #"{"code":6,"message":"already there ✓","details":[]}"#),
        Row(
            name: "HTTP 503 without grpc-status", reply: .http("503"), status: 503, body: #"{"code":14,"#),
        Row(
            name: "backend never answers", headers: [("grpc-timeout", "200m")], reply: .hang, status: 504,
            body: #"{"code":4,"#),
        Row(
            name: "response trailers become headers",
            reply: .messages([[0x08, 0x01]], trailers: [("grpc-status", "0"), ("x-cost", "3")]), status: 200,
            body: #"{"id":"1"}"#),
    ]

    @Test(arguments: rows)
    func answers(_ row: Row) async throws {
        let reply = row.reply
        let backend = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: GatewayTestSupport.group) {
            request, response in
            _ = try? await request.body.collect(upTo: 1 << 20)
            switch reply {
            case .messages(let messages, let trailers):
                var body: [UInt8] = []
                for message in messages { try? GRPCMessageFramer().frame(message, into: &body) }
                try? await response.writeResponse(
                    headers: [(":status", "200"), ("content-type", "application/grpc")], body: body,
                    trailers: HTTP2Headers(trailers))
            case .trailersOnly(let fields):
                try? await response.writeHeaders(
                    HTTP2Headers([(":status", "200"), ("content-type", "application/grpc")] + fields), endStream: true)
            case .http(let status):
                try? await response.writeHeaders([(":status", status)], endStream: true)
            case .hang:
                try? await Task.sleep(for: .seconds(5))
            }
        }
        let pipeline = GatewayTestSupport.pipeline(backendPort: backend.port)
        let response = await pipeline.handle(GatewayRequest(method: "GET", target: row.target, headers: row.headers))
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == row.status, "\(text)")
        #expect(text.hasPrefix(row.body), "\(text)")
        #expect(response.header("content-type") == "application/json")
        if row.name == "response trailers become headers" { #expect(response.header("x-cost") == "3") }
        try await backend.shutDown()
        await pipeline.backends.close()
    }
}
