@testable import Gateway
import Testing

/// The client-streaming body splitter: framings, errors with the message index, the size
/// limit, and the same result however the input is chunked.
@Suite("JSONStreamSplitter")
struct JSONStreamSplitterTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var framing: JSONStreamSplitter.Framing
        var input: String
        var want: [String]
        /// The error's description, if splitting fails after the `want` messages.
        var error: String? = nil
        var limit = 64
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "ndjson lines", framing: .ndjson, input: "{\"a\":1}\n{\"b\":[1,2]}\n", want: [#"{"a":1}"#, #"{"b":[1,2]}"#]),
        Row(name: "ndjson CRLF, blank lines, no final newline", framing: .ndjson, input: "{}\r\n\n  \n{\"x\":\"y\"}",
            want: ["{}", #"{"x":"y"}"#]),
        Row(name: "ndjson empty body", framing: .ndjson, input: "", want: []),
        Row(name: "array of objects", framing: .jsonArray, input: #" [ {"a":"]"} , {"b":{"c":[1,{}]}} ] "#,
            want: [#"{"a":"]"}"#, #"{"b":{"c":[1,{}]}}"#]),
        Row(name: "escaped quote inside a string", framing: .jsonArray, input: #"[{"a":"x\"}"},{}]"#,
            want: [#"{"a":"x\"}"}"#, "{}"]),
        Row(name: "empty array", framing: .jsonArray, input: "[]", want: []),
        Row(name: "scalar element passes through for the codec to reject", framing: .jsonArray, input: "[{},12]",
            want: ["{}", "12"]),
        Row(name: "not an array", framing: .jsonArray, input: #"{"a":1}"#, want: [],
            error: "[0]: expected a JSON array of messages, got '{'"),
        Row(name: "missing comma", framing: .jsonArray, input: "[{} {}]", want: ["{}"],
            error: "[1]: expected ',' or ']' after a message, got '{'"),
        Row(name: "trailing comma", framing: .jsonArray, input: "[{},]", want: ["{}"],
            error: "[1]: expected a message, got ']'"),
        Row(name: "unclosed array", framing: .jsonArray, input: "[{},{}", want: ["{}", "{}"],
            error: "[2]: the JSON array is not closed"),
        Row(name: "garbage after the array", framing: .jsonArray, input: "[{}] x", want: ["{}"],
            error: "[1]: unexpected 'x' after the end of the array"),
        Row(name: "message over the limit (array)", framing: .jsonArray, input: "[{},\"" + String(repeating: "a", count: 20) + "\"]",
            want: ["{}"], error: "[1]: message exceeds the limit of 16 bytes", limit: 16),
        Row(name: "message over the limit (ndjson)", framing: .ndjson, input: "{}\n" + String(repeating: "b", count: 20) + "\n",
            want: ["{}"], error: "[1]: message exceeds the limit of 16 bytes", limit: 16),
        Row(name: "message exactly at the limit", framing: .jsonArray, input: "[1234567890123456]",
            want: ["1234567890123456"], limit: 16),
        // Fuzz/corpus/splitter/crash-padded-line: fed a byte at a time, the padding counted.
        Row(name: "padding around an NDJSON line does not count", framing: .ndjson,
            input: "   {\"a\":\"12345678\"}   \n{}", want: [#"{"a":"12345678"}"#, "{}"], limit: 16),
        Row(name: "endless padding is bounded", framing: .ndjson,
            input: String(repeating: " ", count: 16 + 4097) + "{}\n", want: [],
            error: "[0]: message exceeds the limit of 16 bytes", limit: 16),
    ]

    /// Splits `input` fed in the given chunk sizes; returns the messages and the error.
    static func split(_ row: Row, chunks: [Int]) -> ([String], String?) {
        var splitter = JSONStreamSplitter(framing: row.framing, maximumMessageSize: row.limit)
        let bytes = Array(row.input.utf8)
        var out: [String] = []
        var offset = 0
        var sizes = chunks.makeIterator()
        do {
            while offset < bytes.count {
                let size = min(sizes.next() ?? bytes.count, bytes.count - offset)
                splitter.append(bytes[offset..<(offset + size)])
                offset += size
                while let message = try splitter.next() { out.append(String(decoding: message, as: UTF8.self)) }
            }
            if let last = try splitter.finish() { out.append(String(decoding: last, as: UTF8.self)) }
        } catch {
            return (out, error.description)
        }
        return (out, nil)
    }

    @Test(arguments: rows)
    func allAtOnce(_ row: Row) {
        let (messages, error) = Self.split(row, chunks: [])
        #expect(messages == row.want)
        #expect(error == row.error)
    }

    /// Chunking invariance: one byte at a time and 50 random partitions give the same result.
    @Test(arguments: rows)
    func anyChunking(_ row: Row) {
        let want = Self.split(row, chunks: [])
        let bytewise = Self.split(row, chunks: Array(repeating: 1, count: row.input.utf8.count))
        #expect(bytewise.0 == want.0 && bytewise.1 == want.1)
        var generator = SplitMix(seed: UInt64(row.input.utf8.count))
        for _ in 0..<50 {
            let sizes = (0..<row.input.utf8.count).map { _ in Int(generator.next() % 7) + 1 }
            let got = Self.split(row, chunks: sizes)
            #expect(got.0 == want.0 && got.1 == want.1, "sizes \(sizes)")
        }
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
