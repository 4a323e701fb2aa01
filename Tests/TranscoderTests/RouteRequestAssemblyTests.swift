import ProtoWire
import Testing

@testable import Transcoder

/// The request message as the gateway builds it: body bytes, then the path and query fields,
/// concatenated. The body comes from `protoc --encode` and the result is read by `protoc --decode`.
@Suite("Request assembly")
struct RouteRequestAssemblyTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let method: String
        let target: String
        /// Text-format request message for the body's bytes (already wrapped in the body field
        /// for `body: "field"`), or empty for no body.
        let body: String
        let type: String
        let want: String
        var schema = RoutingTestSupport.Schema.routing
        var testDescription: String { "\(method) \(target)" }
    }

    static let rows: [Row] = [
        // The path value overrides the same field in the body; other body fields stay.
        Row(
            method: "PUT", target: "/v1/items/from-path?request_id=r", body: #"item { id: "from-body" name: "n" }"#,
            type: "CreateItemRequest", want: #"item { id: "from-path" name: "n" } request_id: "r""#),
        Row(
            method: "PATCH", target: "/v1/items/p", body: #"item { name: "n" } validate_only: true"#,
            type: "CreateItemRequest", want: #"item { id: "p" name: "n" } validate_only: true"#),
        Row(
            method: "POST", target: "/v1/items?request_id=r&validateOnly=true", body: #"item { name: "n" }"#,
            type: "CreateItemRequest", want: #"item { name: "n" } request_id: "r" validate_only: true"#),
        // Nested path variable and a query parameter in the same sub-message merge.
        Row(
            method: "GET", target: "/v1/parents/7/x/children/9?parent.label=L&filter=f", body: "",
            type: "ChildRequest", want: #"parent { id: 7 label: "L" } child_id: 9 filter: "f""#),
        Row(
            method: "GET", target: "/v1/files/a%2Fb/c%20d", body: "", type: "NameRequest",
            want: #"name: "a%2Fb/c d""#),
        Row(
            method: "GET", target: "/v1/items/since/2024-01-01T00:00:00Z/2?f_int32=1", body: "", type: "QueryRequest",
            want: "f_int32: 1 color: COLOR_GREEN timestamp { seconds: 1704067200 }"),
        Row(
            method: "POST", target: "/example.routing.v1.Routing/GetItem", body: #"id: "x" tags: "t""#,
            type: "QueryRequest", want: #"id: "x" tags: "t""#),
        // The bookstore's resource-name PATCH and its query parameters.
        Row(
            method: "PATCH", target: "/v1/shelves/1/books/2?update_mask=title,pageCount",
            body: #"book { name: "old" title: "T" }"#, type: "UpdateBookRequest",
            want: #"book { name: "shelves/1/books/2" title: "T" } update_mask { paths: "title" paths: "page_count" }"#,
            schema: .bookstore),
        Row(
            method: "GET",
            target:
                "/v1/shelves/3/books?authors=a&authors=b&genre=GENRE_POETRY&published_after=2024-01-01T00:00:00Z&pageSize=10",
            body: "", type: "ListBooksRequest",
            want:
                #"shelf: 3 page_size: 10 authors: "a" authors: "b" genre: GENRE_POETRY published_after { seconds: 1704067200 }"#,
            schema: .bookstore),
    ]

    @Test(arguments: rows)
    func buildsTheRequestMessage(_ row: Row) throws {
        let table = try RouteTable(pool: RoutingTestSupport.pool(row.schema.set))
        let body =
            row.body.isEmpty ? [] : try RoutingTestSupport.protocEncode(row.body, as: row.type, schema: row.schema)
        let fields = try RoutingTestSupport.requestFields(row.method, row.target, table: table)
        let message = try RoutingTestSupport.protocDecode(body + fields, as: row.type, schema: row.schema)
        #expect(message == row.want)
    }

    /// The bytes also decode with ProtoWire's own descriptor-driven decoder, field for field.
    @Test func decodesWithDynamicMessage() throws {
        let pool = RoutingTestSupport.routingPool
        let fields = try RoutingTestSupport.requestFields("GET", "/v1/parents/7/x/children/9?parent.label=L")
        let index = try #require(pool.messageIndex(named: "example.routing.v1.ChildRequest"))
        let message = try DynamicMessage(decoding: fields, messageIndex: index, pool: pool)
        #expect(message.fields.map(\.number) == [1, 2])
        let parent = try #require(message.values(forField: 1).compactMap(\.messageValue).first)
        #expect(parent.fields.map(\.number) == [1, 2])
    }
}
