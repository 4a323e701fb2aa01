import Gateway
import HTTP2Transport
import Testing

/// Request bodies through ``GatewayPipeline/prepare(_:requestID:)``: a field body
/// (`body: "shelf"`) must be one complete JSON value of the field's type, and its errors name the
/// path from the field and the rule that failed (never a wrapper's artefact), like `body: "*"`.
@Suite("Request bodies")
struct RequestBodyTests {
    static let pipeline = GatewayTestSupport.pipeline(backendPort: 1)

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var method = "POST"
        var target: String
        var body: String
        /// The whole error message (`path: rule`), or nil when the body is accepted.
        var error: String?
        /// The upstream message when accepted.
        var message: [UInt8] = []
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        // body: "shelf" (CreateShelf)
        Row(
            name: "field: truncated after a key", target: "/v1/shelves", body: #"{"theme":"#,
            error: "shelf.theme: invalid JSON at byte 9: unexpected end of input"),
        Row(
            name: "field: truncated inside a string", target: "/v1/shelves", body: #"{"theme":"ab"#,
            error: "shelf.theme: invalid JSON at byte 12: unterminated string"),
        Row(
            name: "field: truncated before a key", target: "/v1/shelves", body: #"{"theme":"a","#,
            error: "shelf: invalid JSON at byte 13: unexpected end of input"),
        Row(
            name: "field: unclosed object", target: "/v1/shelves", body: #"{"theme":"a""#,
            error: "shelf: invalid JSON at byte 12: unexpected end of input"),
        Row(
            name: "field: whitespace only", target: "/v1/shelves", body: "  \n",
            error: "shelf: invalid JSON at byte 3: unexpected end of input"),
        Row(
            name: "field: trailing garbage", target: "/v1/shelves", body: #"{"theme":"a"} x"#,
            error: "invalid JSON at byte 14: unexpected data after the value"),
        Row(
            name: "field: two values", target: "/v1/shelves", body: "{}{}",
            error: "invalid JSON at byte 2: unexpected data after the value"),
        Row(
            name: "field: not an object", target: "/v1/shelves", body: #""shelf""#,
            error: "shelf: expected object for example.bookstore.v1.Shelf, got string"),
        Row(
            name: "field: wrong member type", target: "/v1/shelves", body: #"{"theme":7}"#,
            error: "shelf.theme: expected string, got number"),
        Row(name: "field: empty body sets nothing", target: "/v1/shelves", body: "", message: []),
        Row(name: "field: null sets nothing", target: "/v1/shelves", body: " null ", message: []),
        Row(
            name: "field: complete", target: "/v1/shelves", body: #" {"theme":"t"} "#,
            message: [0x0A, 0x03, 0x12, 0x01, 0x74]),
        // body: "*" (ClearShelf, shelf from the path)
        Row(
            name: "star: truncated after a key", target: "/v1/shelves/1:clear", body: #"{"force":"#,
            error: "force: invalid JSON at byte 9: unexpected end of input"),
        Row(
            name: "star: trailing garbage", target: "/v1/shelves/1:clear", body: #"{"force":true}]"#,
            error: "invalid JSON at byte 14: unexpected data after the value"),
        Row(
            name: "star: whitespace only", target: "/v1/shelves/1:clear", body: " ",
            error: "invalid JSON at byte 1: unexpected end of input"),
        Row(name: "star: empty body is {}", target: "/v1/shelves/1:clear", body: "", message: [0x08, 0x01]),
        Row(
            name: "star: complete", target: "/v1/shelves/1:clear", body: #"{"force":true}"#,
            message: [0x10, 0x01, 0x08, 0x01]),
    ]

    @Test(arguments: rows)
    func body(_ row: Row) throws {
        let request = GatewayRequest(
            method: row.method, target: row.target, headers: [("content-type", "application/json")],
            body: Array(row.body.utf8))
        guard let want = row.error else {
            let call = try Self.pipeline.prepare(request, requestID: "r")
            #expect(call.message == row.message)
            return
        }
        let error = #expect(throws: GatewayError.self) { _ = try Self.pipeline.prepare(request, requestID: "r") }
        #expect(error?.httpStatus == 400)
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == want)
    }
}
