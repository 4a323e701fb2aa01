import Foundation
import ProtoWire
import Testing

@testable import Transcoder

/// The printer's raw-pointer scalar writers against the reference forms: `String(value)` for
/// integers, ``JSONOutput/appendString(_:into:)`` and ``UTF8Validation`` for strings, the
/// byte-at-a-time ``Base64/encode(_:into:)`` for bytes.
@Suite("Scalar text writers")
struct ScalarTextTests {
    static func text(_ body: (inout OutputBuffer) -> Void) -> String {
        var output = OutputBuffer(capacity: 4)
        defer { output.release() }
        body(&output)
        return String(decoding: output.bytes, as: UTF8.self)
    }

    static let integers: [Int64] = [
        0, 1, -1, 9, 10, 11, 99, 100, 101, 999, 1_000, 9_999, 10_000, 10_001, 99_999, 100_000, 12_345_678, 123_456_789,
        -2_147_483_648, 2_147_483_647, 4_294_967_295, 1_000_000_000_000, 9_007_199_254_740_993,
        Int64.max, Int64.min, Int64.min + 1,
    ]

    @Test(arguments: integers)
    func signedDecimal(_ value: Int64) {
        #expect(Self.text { DecimalText.append(value, into: &$0) } == String(value))
        #expect(Self.text { DecimalText.append(value, quoted: true, into: &$0) } == "\"\(value)\"")
    }

    @Test func unsignedDecimalAtEveryLength() {
        var random = SplitMix64(seed: 7)
        var values: [UInt64] = [UInt64.max, UInt64.max - 1, 1 << 63]
        for digits in 1...20 {
            let low = digits == 1 ? 0 : UInt64(pow(10.0, Double(digits - 1)))
            values += [low, low &+ 1, low &* 10 &- 1]
            for _ in 0..<50 { values.append(low &+ random.next() % max(low &* 9, 10)) }
        }
        for value in values {
            #expect(Self.text { DecimalText.append(value, into: &$0) } == String(value))
        }
    }

    /// Random byte strings (valid UTF-8 or not, short and over a block of 256 bytes, characters
    /// across block boundaries): the same text as the reference writer, or rejected exactly
    /// when UTF8Validation rejects.
    @Test func stringsMatchTheReferenceWriter() {
        var random = SplitMix64(seed: 11)
        let pieces: [[UInt8]] = [
            Array("abcdefgh".utf8), Array("x".utf8), [0x22], [0x5C], [0x00], [0x1F], [0x0A], [0x7F], Array("é".utf8),
            Array("€".utf8), Array("😀".utf8), [0xC3], [0xFF], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80],
        ]
        for round in 0..<3_000 {
            var bytes: [UInt8] = []
            let length = round % 10 == 0 ? 200 + Int(random.next() % 400) : Int(random.next() % 24)
            while bytes.count < length {
                // Mostly valid text; now and then a lone lead byte, a surrogate, an overlong form.
                let piece = pieces[Int(random.next() % UInt64(random.next() % 20 == 0 ? pieces.count : 11))]
                bytes += piece
            }
            let valid = bytes.withUnsafeBytes { UTF8Validation.isValid($0) }
            var output = OutputBuffer(capacity: 4)
            defer { output.release() }
            let accepted = bytes.withUnsafeBufferPointer {
                JSONStringText.append($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: $0.count, into: &output)
            }
            #expect(accepted == valid, "\(JSONTestSupport.hex(bytes))")
            if valid && accepted {
                var reference: [UInt8] = []
                bytes.withUnsafeBytes { JSONOutput.appendString($0, into: &reference) }
                #expect(output.bytes == reference, "\(JSONTestSupport.hex(bytes))")
            }
        }
    }

    /// The printer's Timestamp writer against the generic one, over the whole range and every
    /// fraction length.
    @Test func timestampsMatchTheGenericWriter() {
        var random = SplitMix64(seed: 5)
        var cases: [(Int64, Int32)] = [
            (TimestampText.minimumSeconds, 0), (TimestampText.maximumSeconds, 999_999_999), (0, 0), (-1, 1),
            (951_782_400, 500_000_000),
        ]
        for _ in 0..<2_000 {
            let span = UInt64(TimestampText.maximumSeconds - TimestampText.minimumSeconds + 1)
            let seconds = TimestampText.minimumSeconds + Int64(random.next() % span)
            let nanos = Int32(random.next() % 1_000_000_000)
            cases += [(seconds, nanos), (seconds, nanos / 1_000 * 1_000), (seconds, nanos / 1_000_000 * 1_000_000)]
        }
        for (seconds, nanos) in cases {
            var generic: [UInt8] = []
            #expect(TimestampText.format(seconds: seconds, nanos: nanos, into: &generic))
            var accepted = false
            let printed = Self.text { accepted = TimestampText.format(seconds: seconds, nanos: nanos, into: &$0) }
            #expect(accepted)
            #expect(printed == String(decoding: generic, as: UTF8.self))
        }
        var output = OutputBuffer(capacity: 4)
        defer { output.release() }
        #expect(!TimestampText.format(seconds: TimestampText.maximumSeconds + 1, nanos: 0, into: &output))
        #expect(!TimestampText.format(seconds: 0, nanos: -1, into: &output))
    }

    /// Foundation's encoder is the reference; lengths cover every remainder of three.
    @Test(arguments: 0..<8)
    func base64MatchesFoundation(length: Int) throws {
        let bytes = (0..<(length * 7)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) }
        let reference = "\"" + Data(bytes).base64EncodedString() + "\""
        let text = Self.text { output in
            bytes.withUnsafeBufferPointer {
                Base64.appendQuoted($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: $0.count, into: &output)
            }
        }
        #expect(text == reference)
        // And back, from the standard and the URL-safe alphabet, padded and not.
        let standard = Data(bytes).base64EncodedString()
        let urlSafe = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        for form in [standard, urlSafe, String(standard.prefix { $0 != "=" })] {
            var writer = OutputBuffer(capacity: 16)
            defer { writer.release() }
            let accepted = Array(form.utf8).withUnsafeBytes { Base64.writeDecoded($0, into: &writer) }
            #expect(accepted, "\(form)")
            var expected = OutputBuffer(capacity: 16)
            defer { expected.release() }
            expected.writeVarint(UInt64(bytes.count))
            bytes.withUnsafeBytes { expected.writeRaw($0) }
            #expect(writer.bytes == expected.bytes, "\(form)")
        }
    }
}
