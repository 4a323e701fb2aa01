import ProtoWire
import Testing

@testable import Transcoder

/// `OutputBuffer.array(capacity:_:)`: both codec directions write straight into the array they
/// return, and output that outgrows the estimate continues in a buffer of its own.
@Suite("Output written in place")
struct OutputBufferTests {
    static let codec = ProtoJSONCodec(pool: JSONTestSupport.kitchenSinkPool)
    static let sink = JSONTestSupport.kitchenSink.index

    @Test(arguments: [0, 10, 64, 65, 1_000, 100_000])
    func arrayHoldsEveryByteWrittenWhetherOrNotItSpilled(length: Int) throws {
        let expected = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let bytes = try OutputBuffer.array(capacity: 16) { output throws(TranscodingError) in
            // Bytes one at a time and in blocks, so that growth happens inside both.
            let half = length / 2
            for byte in expected[..<half] { output.append(byte) }
            expected[half...].withUnsafeBytes { output.appendBytes($0) }
        }
        #expect(bytes == expected)
    }

    /// A small estimate's slack stays (the bytes were written in place); a large estimate mostly
    /// unused is not kept by the result.
    @Test(arguments: [(3_000, 1_000, true), (1_000_000, 10_000, false), (100_000, 60_000, true)])
    func resultKeepsOnlyModestSlack(estimate: Int, length: Int, inPlace: Bool) throws {
        let bytes = try OutputBuffer.array(capacity: estimate) { output throws(TranscodingError) in
            for index in 0..<length { output.append(UInt8(truncatingIfNeeded: index)) }
        }
        #expect(bytes.count == length)
        #expect(bytes.elementsEqual((0..<length).lazy.map { UInt8(truncatingIfNeeded: $0) }))
        #expect((bytes.capacity >= estimate) == inPlace, "capacity \(bytes.capacity)")
    }

    @Test(arguments: [10, 1_000])
    func aFailureAfterSpillingThrowsTheError(length: Int) {
        #expect(throws: TranscodingError.self) {
            _ = try OutputBuffer.array(capacity: 64) { output throws(TranscodingError) in
                for _ in 0..<length { output.append(1) }
                throw TranscodingError(.invalidValue, "stop")
            }
        }
    }

    /// An empty message with `emitDefaults` prints every field from no input at all: far past
    /// the estimate of three bytes per input byte. The codec's answer equals the printer's own
    /// buffer's.
    @Test func printedTextPastTheEstimateIsWhole() throws {
        let options = JSONOptions(emitDefaults: true)
        let json = try Self.codec.json(fromProtobuf: [], messageIndex: Self.sink, options: options)
        #expect(json.count > ProtoToJSON.outputEstimate(UnsafeRawBufferPointer(start: nil, count: 0)))
        let own: [UInt8] = try [UInt8]().withUnsafeBytes { buffer throws(TranscodingError) in
            var printer = ProtoToJSON(codec: Self.codec, input: buffer, options: options)
            defer { printer.release() }
            return try printer.run(messageIndex: Self.sink)
        }
        #expect(json == own)
    }

    /// `-1` as an int64 is a ten-byte varint from four bytes of JSON: the protobuf outgrows the
    /// estimate (the JSON's length), and still decodes to the same values.
    @Test func encodedBytesPastTheEstimateAreWhole() throws {
        let values = Array(repeating: "\"-1\"", count: 500).joined(separator: ",")
        let json = Array("{\"repeatedInt64\":[\(values)]}".utf8)
        let wire = try Self.codec.protobuf(fromJSON: json, messageIndex: Self.sink)
        #expect(wire.count > json.count + 16)
        let printed = try Self.codec.json(fromProtobuf: wire, messageIndex: Self.sink)
        #expect(printed == json)
    }
}
