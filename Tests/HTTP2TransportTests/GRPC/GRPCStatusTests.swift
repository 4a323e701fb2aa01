import Testing

@testable import HTTP2Transport

@Suite("GRPCStatus")
struct GRPCStatusTests {
    /// Every code, its number and its name from `google/rpc/code.proto`.
    static let codes: [(GRPCStatus.Code, Int, String)] = [
        (.ok, 0, "OK"), (.cancelled, 1, "CANCELLED"), (.unknown, 2, "UNKNOWN"),
        (.invalidArgument, 3, "INVALID_ARGUMENT"), (.deadlineExceeded, 4, "DEADLINE_EXCEEDED"),
        (.notFound, 5, "NOT_FOUND"), (.alreadyExists, 6, "ALREADY_EXISTS"), (.permissionDenied, 7, "PERMISSION_DENIED"),
        (.resourceExhausted, 8, "RESOURCE_EXHAUSTED"), (.failedPrecondition, 9, "FAILED_PRECONDITION"),
        (.aborted, 10, "ABORTED"), (.outOfRange, 11, "OUT_OF_RANGE"), (.unimplemented, 12, "UNIMPLEMENTED"),
        (.internal, 13, "INTERNAL"), (.unavailable, 14, "UNAVAILABLE"), (.dataLoss, 15, "DATA_LOSS"),
        (.unauthenticated, 16, "UNAUTHENTICATED"),
    ]

    @Test(arguments: codes)
    func codeNumberAndName(_ code: GRPCStatus.Code, _ number: Int, _ name: String) {
        #expect(code.rawValue == number)
        #expect(code.description == name)
        #expect(GRPCStatus.Code(grpcStatusField: Substring(String(number))) == code)
        let status = GRPCStatus(trailers: GRPCStatus(code, "m").trailerFields, httpStatus: 200)
        #expect(status.code == code)
    }

    @Test func everyCodeIsListed() {
        #expect(Set(Self.codes.map(\.0)) == Set(GRPCStatus.Code.allCases))
    }

    @Test(arguments: ["", "17", "-1", "1x", " 1", "0001", "99999999999999999999"])
    func malformedStatusIsUnknown(_ field: String) {
        #expect(GRPCStatus.Code(grpcStatusField: Substring(field)) == .unknown)
    }

    /// gRPC `doc/http-grpc-status-mapping.md`.
    @Test(arguments: [
        (400, GRPCStatus.Code.internal), (401, .unauthenticated), (403, .permissionDenied), (404, .unimplemented),
        (429, .unavailable), (502, .unavailable), (503, .unavailable), (504, .unavailable), (500, .unknown),
        (418, .unknown), (301, .unknown),
    ])
    func httpStatusWithoutGRPCStatus(_ http: Int, _ want: GRPCStatus.Code) {
        #expect(GRPCStatus.Code(httpStatus: http) == want)
        #expect(GRPCStatus(trailers: [(":status", String(http))], httpStatus: http).code == want)
    }

    @Test func twoHundredWithoutGRPCStatusIsUnknown() {
        #expect(GRPCStatus(trailers: [], httpStatus: 200).code == .unknown)
    }

    @Test func trailersRoundTripMessageAndDetails() {
        let status = GRPCStatus(.notFound, "shelf 7 not found: 100% gone ✓\n", details: [0x08, 0x05, 0x12, 0x01, 0x78])
        let fields = status.trailerFields
        #expect(fields[first: "grpc-message"] == "shelf 7 not found: 100%25 gone %E2%9C%93%0A")
        #expect(fields[first: "grpc-status-details-bin"] == "CAUSAXg=")
        #expect(GRPCStatus(trailers: fields, httpStatus: 200) == status)
    }
}

@Suite("grpc-message percent-encoding")
struct PercentEncodingTests {
    @Test(arguments: [
        ("plain", "plain"), ("a%20b", "a b"), ("%E2%9C%93", "✓"), ("100%", "100%"), ("%zz", "%zz"), ("%4", "%4"),
        ("%e2%9c%93", "✓"), ("%FF", "\u{FFFD}"),
    ])
    func decodesLeniently(_ input: String, _ want: String) {
        #expect(PercentEncoding.decode(input) == want)
    }
}

@Suite("Base64 for -bin metadata")
struct Base64Tests {
    @Test(arguments: [
        ([UInt8](), ""), ([0x66], "Zg=="), ([0x66, 0x6F], "Zm8="), ([0x66, 0x6F, 0x6F], "Zm9v"),
        ([0xFF, 0xFE, 0xFD, 0x00], "//79AA=="),
    ])
    func roundTrips(_ bytes: [UInt8], _ text: String) {
        #expect(Base64.encode(bytes) == text)
        #expect(Base64.decode(text) == bytes)
        #expect(Base64.decode(String(text.filter { $0 != "=" })) == bytes)  // unpadded is accepted
    }

    @Test(arguments: ["Z", "Zg=a", "Zm9v!", "Zg==="])
    func rejectsMalformed(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }
}

@Suite("grpc-timeout")
struct GRPCTimeoutTests {
    @Test(arguments: [
        (Duration.milliseconds(250), "250000u"), (.seconds(1), "1000000u"), (.nanoseconds(5), "5n"),
        (.seconds(100), "100000m"), (.seconds(100_000), "100000S"), (.seconds(-1), "1n"), (.zero, "1n"),
        (.seconds(400_000_000), "6666667M"),
    ])
    func encodes(_ duration: Duration, _ want: String) {
        #expect(GRPCTimeout.encode(duration) == want)
    }

    @Test(arguments: [
        ("1H", Duration.seconds(3600)), ("2M", .seconds(120)), ("3S", .seconds(3)), ("4m", .milliseconds(4)),
        ("5u", .microseconds(5)), ("6n", .nanoseconds(6)), ("99999999S", .seconds(99_999_999)),
    ])
    func parses(_ text: String, _ want: Duration) {
        #expect(GRPCTimeout.parse(text) == want)
    }

    @Test(arguments: ["", "S", "1", "123456789S", "1s", "-1S", "1.5S", " 1S"])
    func rejects(_ text: String) {
        #expect(GRPCTimeout.parse(text) == nil)
    }
}
