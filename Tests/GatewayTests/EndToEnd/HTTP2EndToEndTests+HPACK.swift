import Foundation
import Testing

/// Per-connection memory: the h2c response encoder keeps no HPACK dynamic table, so answers with a
/// fresh `x-request-id` each leave nothing behind on the connection (RFC 7541 §4.2, §6.3).
extension HTTP2EndToEndTests {
    struct Block: Decodable {
        var sizeUpdates: [Int]
        var indexed: Int
        var incremental: Int
        var withoutIndexing: Int
        var neverIndexed: Int
    }

    /// Three answers on one connection, as a raw-frame Python peer parses their header blocks: the
    /// first block shrinks the table to 0, and no field is ever added to it.
    @Test func responseHeadersAreNeverIndexed() async throws {
        let url = URL(string: try await Self.base())!
        let (status, output) = try await offPool {
            try HTTP2Client.run(
                "/usr/bin/env",
                ["python3", GatewayTestSupport.peers + "/hpack_probe.py", "127.0.0.1", String(url.port!),
                 "/v1/shelves/1/books/2", "3"])
        }
        #expect(status == 0, "\(output)")
        let blocks = try JSONDecoder().decode([String: [Block]].self, from: Data(output.utf8))["blocks"] ?? []
        try #require(blocks.count == 3, "\(output)")
        #expect(blocks[0].sizeUpdates == [0], "\(output)")
        for block in blocks {
            #expect(block.incremental == 0, "\(output)")
            // :status, content-type, x-request-id, content-length at least; all literal or static.
            #expect(block.indexed + block.withoutIndexing + block.neverIndexed >= 4, "\(output)")
        }
    }
}
