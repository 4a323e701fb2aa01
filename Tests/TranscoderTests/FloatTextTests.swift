import Foundation
import Testing

@testable import Transcoder

/// The Schubfach printer (``ShortestDecimal``, ``FloatText``) against its oracle, Swift's own
/// `description`, which the codec printed through before: the same bytes for every finite
/// double and float tried — random bit patterns (uniform over all encodings, so every binade,
/// subnormals included), and the edges where shortest-digit printers go wrong.
@Suite("Shortest float text")
struct FloatTextTests {
    static let randomCount = 1_000_000

    struct DoubleRow: Sendable, CustomTestStringConvertible {
        let value: Double
        var testDescription: String { "\(value.bitPattern)" }
    }

    static let doubleEdges: [DoubleRow] = {
        var values: [Double] = [
            0, -0.0, 1, -1, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 100.5, 1e15, 1e16, 1e21, 1e22, 1e23,
            9_007_199_254_740_992, 9_007_199_254_740_994, 18_014_398_509_481_984, 0.0001, 0.00001,
            0.000099999999999999991, 123_456_789_012_345.6, 1_234_567_890_123_456.8, .pi, -.pi,
            .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
            Double.leastNormalMagnitude.nextDown, -.greatestFiniteMagnitude,
            Double(bitPattern: 2), Double(bitPattern: 3), Double(bitPattern: 16), Double(bitPattern: 20),
            2.9802322387695312e-8, 5.764607523034235e17, 1.8446744073709552e19,
        ]
        for exponent in -1074...1023 {
            let power = Double(sign: .plus, exponent: exponent, significand: 1)
            values += [power, power.nextUp, power.nextDown]
        }
        for exponent in -323...308 {
            guard let power = Double("1e\(exponent)") else { continue }
            values += [power, power.nextUp, power.nextDown]
        }
        return values.map(DoubleRow.init)
    }()

    struct FloatRow: Sendable, CustomTestStringConvertible {
        let value: Float
        var testDescription: String { "\(value.bitPattern)" }
    }

    static let floatEdges: [FloatRow] = {
        var values: [Float] = [
            0, -0.0, 1, 0.1, 0.3, 1e7, 1.5e7, 16_777_216, 16_777_218, 33_554_432, 0.0001, 0.00001, 123_456.7,
            .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            Float(bitPattern: 71), Float(bitPattern: 2), .pi,
        ]
        for exponent in -149...127 {
            let power = Float(sign: .plus, exponent: exponent, significand: 1)
            values += [power, power.nextUp, power.nextDown]
        }
        for exponent in -45...38 {
            guard let power = Float("1e\(exponent)") else { continue }
            values += [power, power.nextUp, power.nextDown]
        }
        return values.map(FloatRow.init)
    }()

    @Test func doubleEdgesPrintAsDescriptionDoes() {
        for row in Self.doubleEdges where FloatText.text(row.value) != row.value.description {
            Issue.record("\(row.value.bitPattern): \(FloatText.text(row.value)) != \(row.value.description)")
        }
    }

    @Test func floatEdgesPrintAsDescriptionDoes() {
        for row in Self.floatEdges where FloatText.text(row.value) != row.value.description {
            Issue.record("\(row.value.bitPattern): \(FloatText.text(row.value)) != \(row.value.description)")
        }
    }

    @Test func randomDoublesPrintAsDescriptionDoes() {
        var random = SplitMix64(seed: 0x5C4B_F0AC_2020)
        var mismatches = 0
        var buffer: [UInt8] = []
        for _ in 0..<Self.randomCount {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else { continue }
            buffer.removeAll(keepingCapacity: true)
            FloatText.appendDouble(value, into: &buffer)
            let expected = value.description
            if !buffer.elementsEqual(expected.utf8) {
                mismatches += 1
                if mismatches <= 10 { Issue.record("\(value.bitPattern): \(FloatText.text(value)) != \(expected)") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func randomFloatsPrintAsDescriptionDoes() {
        var random = SplitMix64(seed: 0xF10A7)
        var mismatches = 0
        var buffer: [UInt8] = []
        for _ in 0..<Self.randomCount {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))
            guard value.isFinite else { continue }
            buffer.removeAll(keepingCapacity: true)
            FloatText.appendFloat(value, into: &buffer)
            let expected = value.description
            if !buffer.elementsEqual(expected.utf8) {
                mismatches += 1
                if mismatches <= 10 { Issue.record("\(value.bitPattern): \(FloatText.text(value)) != \(expected)") }
            }
        }
        #expect(mismatches == 0)
    }

    /// Every double of a few thousand ulps around binade and decade boundaries reads back as
    /// itself from the printed text (round trip, independent of `description`).
    @Test func printedDoublesReadBack() {
        for row in Self.doubleEdges {
            let text = FloatText.text(row.value)
            #expect(Double(text)?.bitPattern == row.value.bitPattern, "\(text)")
        }
    }

    struct CodecRow: Sendable, CustomTestStringConvertible {
        let value: Double
        let want: String
        var testDescription: String { want }
    }

    /// The codec's rules around the printer: integers below 10^15 without `.0`, `-0.0`, the
    /// ProtoJSON names, and the printer for the rest.
    @Test(arguments: [
        CodecRow(value: 0, want: "0"), CodecRow(value: -0.0, want: "-0.0"), CodecRow(value: 42, want: "42"),
        CodecRow(value: 1e15, want: "1000000000000000.0"), CodecRow(value: 1e16, want: "1e+16"),
        CodecRow(value: 0.5, want: "0.5"), CodecRow(value: 1e-7, want: "1e-07"),
        CodecRow(value: .leastNonzeroMagnitude, want: "5e-324"), CodecRow(value: 1.7976931348623157e308, want: "1.7976931348623157e+308"),
        CodecRow(value: .nan, want: "\"NaN\""), CodecRow(value: -.infinity, want: "\"-Infinity\""),
    ])
    func codecDoubleRules(_ row: CodecRow) {
        var output: [UInt8] = []
        JSONOutput.appendDouble(row.value, into: &output)
        #expect(String(decoding: output, as: UTF8.self) == row.want)
    }

    /// The generated Schubfach table is what its script writes.
    @Test func tableHasNotDrifted() throws {
        try JSONTestSupport.expectGeneratedFileMatches(
            script: "scripts/gen-schubfach-table.py", checkedIn: "Sources/Transcoder/JSON/Scalars/SchubfachTable.swift")
    }
}
