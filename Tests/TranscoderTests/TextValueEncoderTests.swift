import ProtoWire
import Testing

@testable import Transcoder

/// URL values encoded as fields of `example.kitchen_sink.v1.KitchenSink`. Expected bytes were
/// produced by Python `protobuf` setting the same value (independent of our encoder).
@Suite("TextValueEncoder")
struct TextValueEncoderTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let field: String
        let text: String
        let want: String
        var testDescription: String { "\(field)=\(text)" }
    }

    static let accepted: [Row] = [
        Row(field: "scalar_int32", text: "42", want: "18 2a"),
        Row(field: "scalar_int32", text: "-1", want: "18 ff ff ff ff ff ff ff ff ff 01"),
        Row(field: "scalar_int32", text: "1e2", want: "18 64"),
        Row(field: "scalar_int32", text: "2147483647", want: "18 ff ff ff ff 07"),
        Row(field: "scalar_int32", text: "0", want: ""),
        Row(field: "scalar_int64", text: "9223372036854775807", want: "20 ff ff ff ff ff ff ff ff 7f"),
        Row(field: "scalar_uint32", text: "4294967295", want: "28 ff ff ff ff 0f"),
        Row(field: "scalar_uint64", text: "18446744073709551615", want: "30 ff ff ff ff ff ff ff ff ff 01"),
        Row(field: "scalar_sint32", text: "-1", want: "38 01"),
        Row(field: "scalar_sint64", text: "-9223372036854775808", want: "40 ff ff ff ff ff ff ff ff ff 01"),
        Row(field: "scalar_fixed32", text: "1", want: "4d 01 00 00 00"),
        Row(field: "scalar_sfixed64", text: "-2", want: "61 fe ff ff ff ff ff ff ff"),
        Row(field: "scalar_double", text: "NaN", want: "09 00 00 00 00 00 00 f8 7f"),
        Row(field: "scalar_double", text: "-Infinity", want: "09 00 00 00 00 00 00 f0 ff"),
        Row(field: "scalar_double", text: "-0", want: "09 00 00 00 00 00 00 00 80"),
        Row(field: "scalar_float", text: "1.5", want: "15 00 00 c0 3f"),
        Row(field: "scalar_bool", text: "true", want: "68 01"),
        Row(field: "scalar_bool", text: "false", want: ""),
        Row(field: "scalar_string", text: "héllo", want: "72 06 68 c3 a9 6c 6c 6f"),
        Row(field: "scalar_bytes", text: "AQID", want: "7a 03 01 02 03"),
        Row(field: "scalar_bytes", text: "_-8", want: "7a 02 ff ef"),
        Row(field: "scalar_bytes", text: "/+8=", want: "7a 02 ff ef"),
        Row(field: "nested_enum", text: "NESTED_ENUM_FOO", want: "d0 02 01"),
        Row(field: "nested_enum", text: "NESTED_ENUM_BAR_ALIAS", want: "d0 02 02"),
        Row(field: "nested_enum", text: "2", want: "d0 02 02"),
        Row(field: "top_level_enum", text: "-2147483648", want: "e0 02 80 80 80 80 f8 ff ff ff ff 01"),
        Row(field: "repeated_int32", text: "0", want: "90 01 00"),
        Row(field: "repeated_string", text: "", want: "ea 01 00"),
        Row(field: "opt_int32", text: "0", want: "e0 03 00"),
        Row(field: "max_field_number", text: "1", want: "f8 ff ff ff 0f 01"),
        Row(field: "wkt_timestamp", text: "1970-01-01T00:00:01.5Z", want: "aa 06 08 08 01 10 80 ca b5 ee 01"),
        Row(field: "wkt_timestamp", text: "2024-02-29T12:30:00+01:00", want: "aa 06 06 08 b8 d5 81 af 06"),
        Row(
            field: "wkt_duration", text: "-1.000000001s",
            want: "b2 06 16 08 ff ff ff ff ff ff ff ff ff 01 10 ff ff ff ff ff ff ff ff ff 01"),
        Row(field: "wkt_field_mask", text: "fooBar,a.bC", want: "ba 06 10 0a 07 66 6f 6f 5f 62 61 72 0a 05 61 2e 62 5f 63"),
        Row(field: "wkt_int32_value", text: "-2", want: "8a 07 0b 08 fe ff ff ff ff ff ff ff ff 01"),
        Row(field: "wkt_int32_value", text: "0", want: "8a 07 00"),
        Row(field: "wkt_string_value", text: "x", want: "a2 07 03 0a 01 78"),
        Row(field: "wkt_bool_value", text: "true", want: "9a 07 02 08 01"),
        Row(field: "wkt_bytes_value", text: "_-8", want: "aa 07 04 0a 02 ff ef"),
        Row(field: "wkt_double_value", text: "0.1", want: "ea 06 09 09 9a 99 99 99 99 99 b9 3f"),
        Row(field: "wkt_uint64_value", text: "18446744073709551615", want: "82 07 0b 08 ff ff ff ff ff ff ff ff ff 01"),
    ]

    @Test(arguments: accepted)
    func encodes(_ row: Row) throws {
        let field = try #require(JSONTestSupport.kitchenSink.field(named: row.field))
        var writer = WireWriter()
        try TextValueEncoder.encode(Substring(row.text), as: field, pool: JSONTestSupport.kitchenSinkPool, into: &writer)
        #expect(JSONTestSupport.hex(writer.bytes) == row.want)
    }

    struct Rejection: CustomTestStringConvertible, Sendable {
        let field: String
        let text: String
        let error: String
        var testDescription: String { "\(field)=\(text)" }
    }

    static let rejected: [Rejection] = [
        Rejection(field: "scalar_int32", text: "ten", error: "scalarInt32: expected int32, got \"ten\""),
        Rejection(field: "scalar_int32", text: "", error: "scalarInt32: expected int32, got \"\""),
        Rejection(field: "scalar_int32", text: " 1", error: "scalarInt32: expected int32, got \" 1\""),
        Rejection(field: "scalar_int32", text: "+1", error: "scalarInt32: expected int32, got \"+1\""),
        Rejection(field: "scalar_int32", text: "01", error: "scalarInt32: expected int32, got \"01\""),
        Rejection(field: "scalar_int32", text: "1.5", error: "scalarInt32: expected int32, got \"1.5\" (not an integer)"),
        Rejection(field: "scalar_int32", text: "1e-1", error: "scalarInt32: expected int32, got \"1e-1\" (not an integer)"),
        Rejection(
            field: "scalar_int32", text: "2147483648", error: "scalarInt32: expected int32, got \"2147483648\" (out of range)"),
        Rejection(
            field: "scalar_uint64", text: "-1", error: "scalarUint64: expected uint64, got \"-1\" (out of range)"),
        Rejection(
            field: "scalar_uint64", text: "18446744073709551616",
            error: "scalarUint64: expected uint64, got \"18446744073709551616\" (out of range)"),
        Rejection(field: "scalar_float", text: "1e39", error: "scalarFloat: expected float, got \"1e39\" (out of range)"),
        Rejection(field: "scalar_double", text: "1e400", error: "scalarDouble: expected double, got \"1e400\" (out of range)"),
        Rejection(field: "scalar_double", text: "nan", error: "scalarDouble: expected double, got \"nan\""),
        Rejection(field: "scalar_bool", text: "1", error: "scalarBool: expected bool (true or false), got \"1\""),
        Rejection(field: "scalar_bytes", text: "A", error: "scalarBytes: expected base64 bytes, got \"A\""),
        Rejection(field: "scalar_bytes", text: "a*b=", error: "scalarBytes: expected base64 bytes, got \"a*b=\""),
        Rejection(
            field: "nested_enum", text: "NOPE",
            error: "nestedEnum: expected a value of enum example.kitchen_sink.v1.KitchenSink.NestedEnum, got \"NOPE\""),
        Rejection(
            field: "wkt_timestamp", text: "2023-02-29T00:00:00Z",
            error: "wktTimestamp: expected RFC 3339 timestamp, got \"2023-02-29T00:00:00Z\""),
        Rejection(
            field: "wkt_timestamp", text: "2023-01-01T23:59:60Z",
            error: "wktTimestamp: expected RFC 3339 timestamp, got \"2023-01-01T23:59:60Z\""),
        Rejection(
            field: "wkt_duration", text: "1.5", error: "wktDuration: expected duration such as \"1.5s\", got \"1.5\""),
        Rejection(
            field: "wkt_field_mask", text: "foo_bar",
            error: "wktFieldMask: expected comma-separated lowerCamelCase paths, got \"foo_bar\""),
        Rejection(
            field: "nested_message", text: "x",
            error: "nestedMessage: message example.kitchen_sink.v1.KitchenSink.Nested cannot be set from a URL value"),
        Rejection(field: "wkt_struct", text: "x", error: "wktStruct: message google.protobuf.Struct cannot be set from a URL value"),
        Rejection(field: "map_string_string", text: "x", error: "mapStringString: map fields cannot be set from a URL value"),
    ]

    @Test(arguments: rejected)
    func rejects(_ row: Rejection) throws {
        let field = try #require(JSONTestSupport.kitchenSink.field(named: row.field))
        var writer = WireWriter()
        #expect {
            try TextValueEncoder.encode(Substring(row.text), as: field, pool: JSONTestSupport.kitchenSinkPool, into: &writer)
        } throws: { error in
            (error as? TranscodingError)?.description == row.error
        }
    }

    @Test func closedEnumRejectsUnknownNumbers() throws {
        let pool = JSONTestSupport.legacyPool
        let field = try #require(pool.message(named: "example.kitchen_sink.v1.LegacyMessage")?.field(named: "closed_enum"))
        var writer = WireWriter()
        try TextValueEncoder.encode("LEGACY_NEGATIVE", as: field, pool: pool, into: &writer)
        #expect(JSONTestSupport.hex(writer.bytes) == "a8 01 fb ff ff ff ff ff ff ff ff 01")
        #expect(throws: TranscodingError.self) {
            try TextValueEncoder.encode("3", as: field, pool: pool, into: &writer)
        }
    }
}
