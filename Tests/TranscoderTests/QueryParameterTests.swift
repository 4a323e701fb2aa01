import ProtoWire
import Testing

@testable import Transcoder

/// Query parameters of every field kind, checked by decoding the produced bytes with protoc.
@Suite("Query parameters")
struct QueryParameterTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let query: String
        /// protoc's text format of the `QueryRequest` the bytes decode to, on one line.
        let want: String
        var testDescription: String { query }
        init(_ query: String, _ want: String) {
            self.query = query
            self.want = want
        }
    }

    static let rows: [Row] = [
        Row("id=abc", #"id: "abc""#),
        Row("id=", ""),
        Row("f_double=1.5&f_float=-2.5", "f_double: 1.5 f_float: -2.5"),
        Row(
            "f_int64=-9007199254740993&f_uint64=18446744073709551615",
            "f_int64: -9007199254740993 f_uint64: 18446744073709551615"),
        Row("f_int32=-5&f_uint32=4294967295", "f_int32: -5 f_uint32: 4294967295"),
        Row(
            "f_fixed64=7&f_fixed32=8&f_sfixed32=-1&f_sfixed64=-2",
            "f_fixed64: 7 f_fixed32: 8 f_sfixed32: -1 f_sfixed64: -2"),
        Row("f_sint32=-3&f_sint64=-4", "f_sint32: -3 f_sint64: -4"),
        Row("f_bool=true", "f_bool: true"),
        Row("f_string=hello+world%21", #"f_string: "hello world!""#),
        Row("f_string=a%26b%3Dc", #"f_string: "a&b=c""#),
        Row("f_bytes=aGk-_w", #"f_bytes: "hi>\377""#),
        Row("f_bytes=aGk%2B%2Fw%3D%3D", #"f_bytes: "hi>\377""#),
        Row("color=COLOR_RED", "color: COLOR_RED"),
        Row("color=2", "color: COLOR_GREEN"),
        Row("tags=a&tags=b&tags=a", #"tags: "a" tags: "b" tags: "a""#),
        Row("colors=COLOR_RED&colors=2", "colors: COLOR_RED colors: COLOR_GREEN"),
        Row("numbers=1&numbers=-2", "numbers: 1 numbers: -2"),
        Row("nested.note=x", #"nested { note: "x" }"#),
        Row("nested.inner.note=deep&nested.note=top", #"nested { note: "top" inner { note: "deep" } }"#),
        Row("nested.counts=1&nested.counts=2", "nested { counts: 1 counts: 2 }"),
        Row("timestamp=2024-01-02T03:04:05.5Z", "timestamp { seconds: 1704164645 nanos: 500000000 }"),
        Row("duration=1.5s", "duration { seconds: 1 nanos: 500000000 }"),
        Row("duration=-0.25s", "duration { nanos: -250000000 }"),
        Row("mask=fooBar,baz.quxQuux", #"mask { paths: "foo_bar" paths: "baz.qux_quux" }"#),
        Row("wrapped_int=5", "wrapped_int { value: 5 }"),
        Row("wrapped_bool=false", "wrapped_bool { }"),
        Row("wrapped_string=hi", #"wrapped_string { value: "hi" }"#),
        Row("labels[a]=b&labels[c%20d]=e", #"labels { key: "a" value: "b" } labels { key: "c d" value: "e" }"#),
        Row("color_by_slot[3]=COLOR_RED", "color_by_slot { key: 3 value: COLOR_RED }"),
        Row("choice_text=x", #"choice_text: "x""#),
        Row("choice_number=0", "choice_number: 0"),
        Row("picked.note=a&picked.counts=1", #"picked { note: "a" counts: 1 }"#),
        Row("pick_name=p", #"pick_name: "p""#),
        Row("maybe=0", "maybe: 0"),
        Row("renamed=v", #"custom_json: "v""#),
        Row("custom_json=v", #"custom_json: "v""#),
        Row("fDouble=2&wrappedInt=3&nested.counts=4", "f_double: 2 nested { counts: 4 } wrapped_int { value: 3 }"),
        Row("f%5Fint32=3", "f_int32: 3"),
        Row("f_string=%E2%9C%93", #"f_string: "\342\234\223""#),
        Row("&&id=a&&", #"id: "a""#),
    ]

    @Test(arguments: rows)
    func fillsFields(_ row: Row) throws {
        let bytes = try RoutingTestSupport.requestFields("GET", "/v1/items?" + row.query)
        #expect(try RoutingTestSupport.protocDecode(bytes, as: "QueryRequest") == row.want)
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        let method: String
        let target: String
        let error: String
        let code: RequestBindingError.Code
        var testDescription: String { "\(method) \(target)" }
        init(_ method: String, _ target: String, _ error: String, _ code: RequestBindingError.Code) {
            self.method = method
            self.target = target
            self.error = error
            self.code = code
        }

        init(_ target: String, _ error: String, _ code: RequestBindingError.Code) {
            self.init("GET", target, error, code)
        }
    }

    static let bad: [Bad] = [
        Bad(
            "/v1/items?nope=1", "query parameter 'nope': no field 'nope' in example.routing.v1.QueryRequest",
            .unknownParameter),
        Bad(
            "/v1/items?nested.nope=1", "query parameter 'nested.nope': no field 'nope' in example.routing.v1.Nested",
            .unknownParameter),
        Bad("/v1/items?id.x=1", "query parameter 'id.x': 'id' is not a singular message field", .unknownParameter),
        Bad(
            "/v1/items?nested_list.note=x",
            "query parameter 'nested_list.note': 'nested_list' is not a singular message field", .unknownParameter),
        Bad(
            "/v1/items?nested=1", "query parameter 'nested': field 'nested' is a message; name one of its fields",
            .notQueryable),
        Bad(
            "/v1/items?nested_list=1", "query parameter 'nested_list': field 'nested_list' is a repeated message",
            .notQueryable),
        Bad(
            "/v1/items?labels=x", "query parameter 'labels': map field 'labels' needs a key: labels[key]=value",
            .notQueryable),
        Bad(
            "/v1/items?nested_map[a]=x", "query parameter 'nested_map[a]': map field 'nested_map' has message values",
            .notQueryable),
        Bad(
            "/v1/items?id[a]=x", "query parameter 'id[a]': field 'id' is not a map, so it takes no [key]", .notQueryable
        ),
        Bad(
            "/v1/items?id=a&id=b", "query parameter 'id': field 'id' is not repeated but is given twice",
            .repeatedParameter),
        Bad(
            "/v1/items?id=a&id=a", "query parameter 'id': field 'id' is not repeated but is given twice",
            .repeatedParameter),
        Bad(
            "/v1/items?choice_text=a&choice_number=1",
            "query parameter 'choice_number': 'choice_text' already set another member of the same oneof",
            .oneofConflict),
        Bad(
            "/v1/items?picked.note=a&pick_name=b",
            "query parameter 'pick_name': 'picked.note' already set another member of the same oneof",
            .oneofConflict),
        Bad(
            "/v1/items?pick_name=b&picked.inner.note=a",
            "query parameter 'picked.inner.note': 'pick_name' already set another member of the same oneof",
            .oneofConflict),
        Bad(
            "/v1/picks/p?picked.note=a",
            "query parameter 'picked.note': path field 'pick_name' already set another member of the same oneof",
            .oneofConflict),
        Bad(
            "/v1/items?f_string=%FF", "query parameter 'f_string': value is not UTF-8 once percent-decoded",
            .invalidEncoding),
        Bad("/v1/items?%FF=1", "query parameter '%FF': name is not UTF-8 once percent-decoded", .invalidEncoding),
        Bad("/v1/items?f_int32=ten", #"query parameter 'f_int32': expected int32, got "ten""#, .invalidValue),
        Bad(
            "/v1/items?f_int32=2147483648",
            #"query parameter 'f_int32': expected int32, got "2147483648" (out of range)"#, .invalidValue),
        Bad(
            "/v1/items?f_bool=yes", #"query parameter 'f_bool': expected bool (true or false), got "yes""#,
            .invalidValue),
        Bad(
            "/v1/items?color=COLOR_BLUE",
            #"query parameter 'color': expected a value of enum example.routing.v1.Color, got "COLOR_BLUE""#,
            .invalidValue),
        Bad(
            "/v1/items?color_by_slot[x]=COLOR_RED", #"query parameter 'color_by_slot[x]': expected int32, got "x""#,
            .invalidValue),
        Bad(
            "/v1/items?timestamp=yesterday",
            #"query parameter 'timestamp': expected RFC 3339 timestamp, got "yesterday""#, .invalidValue),
        Bad(
            "/v1/items?duration=5", #"query parameter 'duration': expected duration such as "1.5s", got "5""#,
            .invalidValue),
        Bad("/v1/items?f_bytes=!!", #"query parameter 'f_bytes': expected base64 bytes, got "!!""#, .invalidValue),
        // Fields the path or the body binds are not query parameters.
        Bad("/v1/items/abc?id=x", "query parameter 'id': field 'id' is bound by the path", .unknownParameter),
        Bad(
            "POST", "/v1/items?item.name=x", "query parameter 'item.name': field 'item.name' is bound by the body",
            .unknownParameter),
        Bad(
            "PATCH", "/v1/items/5?request_id=r",
            "query parameter 'request_id': the body fills the whole request message, so the query can bind no field",
            .unknownParameter),
        // Path values go through the same encoder.
        Bad(
            "/v1/items/since/notatime/COLOR_RED",
            #"path variable 'timestamp': expected RFC 3339 timestamp, got "notatime""#, .invalidValue),
        Bad("/v1/parents/abc/x/children/9", #"path variable 'parent.id': expected int64, got "abc""#, .invalidValue),
        Bad(
            "/v1/items/since/2024-01-01T00:00:00Z/%FF",
            "path variable 'color': value is not UTF-8 once percent-decoded",
            .invalidEncoding),
    ]

    @Test(arguments: bad)
    func rejects(_ row: Bad) {
        do {
            _ = try RoutingTestSupport.requestFields(row.method, row.target)
            Issue.record("accepted")
        } catch let error as RequestBindingError {
            #expect(error.code == row.code)
            #expect(error.description == row.error)
            #expect((error.cause != nil) == (row.code == .invalidValue))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func tooManyParametersAreRejected() throws {
        let query = Array(repeating: "tags=a", count: RouteTable.maximumQueryParameterCount + 1).joined(separator: "&")
        #expect(throws: RequestBindingError.self) { try RoutingTestSupport.requestFields("GET", "/v1/items?" + query) }
        let atLimit = Array(repeating: "tags=a", count: RouteTable.maximumQueryParameterCount).joined(separator: "&")
        // Each element is tag 0x92 0x01, length 1, "a".
        #expect(try RoutingTestSupport.requestFields("GET", "/v1/items?" + atLimit).count == 4 * 1024)
    }

    /// A recursive message can be named to any depth; past protobuf's nesting limit it is refused.
    @Test func deepFieldPathsAreLimited() throws {
        let deep = Array(repeating: "inner", count: 99).joined(separator: ".")
        let bytes = try RoutingTestSupport.requestFields("GET", "/v1/items?nested.\(deep).note=x")
        #expect(bytes.count > 200)
        let tooDeep = Array(repeating: "inner", count: 100).joined(separator: ".")
        do {
            _ = try RoutingTestSupport.requestFields("GET", "/v1/items?nested.\(tooDeep).note=x")
            Issue.record("accepted")
        } catch let error as RequestBindingError {
            #expect(error.code == .notQueryable)
            #expect(error.message == "names fields nested deeper than 100")
        }
    }

    /// With `.ignore`, parameters that fill nothing are dropped and the rest still apply.
    @Test func unknownParametersCanBeIgnored() throws {
        let table = try RouteTable(
            pool: RoutingTestSupport.routingPool, options: RouteTableOptions(unknownQueryParameters: .ignore))
        let bytes = try RoutingTestSupport.requestFields(
            "GET", "/v1/items/abc?nope=1&id=x&_=123&f_int32=4&nested.nope=2", table: table)
        #expect(try RoutingTestSupport.protocDecode(bytes, as: "QueryRequest") == #"id: "abc" f_int32: 4"#)
        // Malformed values are still errors.
        #expect(throws: RequestBindingError.self) {
            try RoutingTestSupport.requestFields("GET", "/v1/items?f_int32=x", table: table)
        }
    }
}
