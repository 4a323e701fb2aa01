import Gateway
import HTTP2Transport
import Testing

@Suite("Accept-Encoding negotiation (RFC 9110 §12.5.3)")
struct AcceptEncodingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var header: String?
        var supported: [CompressionFormat] = [.gzip, .deflate]
        var coding: CompressionFormat?
        var identity = true
        var testDescription: String { header ?? "(absent)" }
    }

    @Test(arguments: [
        Case(header: nil, coding: nil),
        Case(header: "", coding: nil),
        Case(header: "gzip", coding: .gzip),
        Case(header: "deflate", coding: .deflate),
        Case(header: "gzip, deflate, br", coding: .gzip),
        Case(header: "deflate, gzip", coding: .gzip),  // a tie goes to the server's order
        Case(header: "gzip, deflate", supported: [.deflate, .gzip], coding: .deflate),
        Case(header: "gzip;q=0.5, deflate;q=0.8", coding: .deflate),
        Case(header: "gzip;q=1.0, deflate;q=0.999", coding: .gzip),
        Case(header: "GZIP", coding: .gzip),
        Case(header: "x-gzip", coding: .gzip),
        Case(header: "gzip ; q=0.3", coding: .gzip),
        Case(header: "*", coding: .gzip),
        Case(header: "*;q=0.2, gzip;q=0", coding: .deflate),
        Case(header: "gzip;q=0", coding: nil),
        Case(header: "gzip;q=0, deflate;q=0", coding: nil),
        Case(header: "identity", coding: nil),
        Case(header: "br", coding: nil),
        Case(header: "gzip;q=0.5, identity", coding: nil),  // identity weighs more
        Case(header: "gzip;q=0.5, identity;q=0.5", coding: .gzip),
        Case(header: "gzip, identity;q=0", coding: .gzip, identity: false),
        Case(header: "identity;q=0", coding: nil, identity: false),
        Case(header: "*;q=0", coding: nil, identity: false),
        Case(header: "*;q=0, identity", coding: nil),
        Case(header: "deflate, *;q=0", coding: .deflate, identity: false),
        Case(header: "gzip;q=2", coding: nil),  // malformed weight: element ignored
        Case(header: "gzip;q=0.1234", coding: nil),
        Case(header: "gzip;q=x, deflate", coding: .deflate),
        Case(header: "gzip;level=1", coding: .gzip),
        Case(header: ",,gzip,,", coding: .gzip),
        Case(header: "gzip;Q=0.5, deflate;q=0.6", coding: .deflate),
        Case(header: "X-GZIP;q=0.2, deflate;q=0.1", coding: .gzip),
        Case(header: "gzip;level=1;q=0.5, deflate;q=0.4", coding: .gzip),
        Case(header: "gzip;q=0., deflate;q=0.1", coding: .deflate),
        Case(header: "gzip, gzip;q=0", coding: nil),  // the later element for a coding wins
        Case(header: "\tgzip\t;\tq=1", coding: .gzip),
        Case(header: "gzipx, deflat, identit", coding: nil),
        Case(header: "gzip;q", coding: .gzip),  // not a weight: a parameter named q without =
        Case(header: "*;q=0.5, identity;q=0.4", coding: .gzip),
        // Fuzz/corpus/offload/regression-accept-encoding-combining-mark: `;` before a combining
        // mark still delimits (bytes, not Characters), so `*` gets weight 1.
        Case(header: "p;q=0.5a, *;\u{0616}q5a,\u{FFFD}*;q", coding: .gzip),
        // …-after-q: `q=` then a combining mark is a malformed weight, so `*` is ignored.
        Case(header: "deflate;q=0.1, *;q=\u{030B}5, identity;q=0", coding: .deflate, identity: false),
    ])
    func negotiation(_ row: Case) {
        let result = AcceptEncoding(header: row.header, supported: row.supported)
        #expect(result.coding == row.coding)
        #expect(result.identityAcceptable == row.identity)
    }
}
