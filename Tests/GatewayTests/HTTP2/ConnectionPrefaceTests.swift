@testable import Gateway
import Testing

/// Telling h2c prior knowledge from HTTP/1.1 by the first bytes (RFC 9113 §3.4).
@Suite("ConnectionPreface")
struct ConnectionPrefaceTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var input: [UInt8]
        var want: ConnectionPreface.Verdict
        var testDescription: String { name }
    }

    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    static let rows: [Row] = [
        Row(name: "nothing yet", input: [], want: .needMoreBytes),
        Row(name: "the whole preface", input: preface, want: .http2),
        Row(name: "preface followed by SETTINGS", input: preface + [0, 0, 0, 4, 0, 0, 0, 0, 0], want: .http2),
        Row(name: "a proper prefix", input: Array(preface.prefix(23)), want: .needMoreBytes),
        Row(name: "HTTP/1.1 GET", input: Array("GET / HTTP/1.1\r\n".utf8), want: .http1),
        Row(name: "HTTP/1.1 POST, one byte", input: Array("P".utf8), want: .needMoreBytes),
        Row(name: "PRI-like HTTP/1.1 method", input: Array("PRIX / HTTP/1.1\r\n".utf8), want: .http1),
        Row(name: "differs at the last byte", input: Array(preface.prefix(23)) + [UInt8(ascii: "X")], want: .http1),
        Row(name: "TLS ClientHello is not h2c", input: [0x16, 0x03, 0x01], want: .http1),
    ]

    @Test(arguments: rows)
    func classify(_ row: Row) {
        #expect(ConnectionPreface.classify(row.input) == row.want)
    }

    /// Fed a byte at a time, the verdict is "more" until the first deciding byte, then final.
    @Test func byteAtATime() {
        for input in [Self.preface, Array("GET / HTTP/1.1\r\n".utf8)] {
            var verdicts: [ConnectionPreface.Verdict] = []
            for end in 1...input.count { verdicts.append(ConnectionPreface.classify(input[..<end])) }
            let firstFinal = verdicts.firstIndex { $0 != .needMoreBytes }!
            #expect(verdicts[firstFinal...].allSatisfy { $0 == verdicts[firstFinal] })
            #expect(verdicts[firstFinal] == (input == Self.preface ? .http2 : .http1))
        }
    }
}
