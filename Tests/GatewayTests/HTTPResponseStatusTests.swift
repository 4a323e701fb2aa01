import HTTP2Transport
import Testing

@testable import Gateway

@Suite("gRPC code → HTTP status")
struct HTTPResponseStatusTests {
    /// Every code, from the table in the gateway issue (google/rpc/code.proto "HTTP Mapping").
    static let table: [(Int, Int)] = [
        (0, 200), (1, 499), (2, 500), (3, 400), (4, 504), (5, 404), (6, 409), (7, 403), (8, 429), (9, 400),
        (10, 409), (11, 400), (12, 501), (13, 500), (14, 503), (15, 500), (16, 401),
    ]

    @Test func coversEveryCode() {
        #expect(Set(Self.table.map(\.0)) == Set(GRPCStatus.Code.allCases.map(\.rawValue)))
    }

    @Test(arguments: table)
    func maps(_ code: Int, _ status: Int) throws {
        let grpcCode = try #require(GRPCStatus.Code(rawValue: code))
        #expect(grpcCode.httpResponseStatus == status)
    }
}
