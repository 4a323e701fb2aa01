import Foundation
import Testing

extension JSONTestSupport {
    /// Runs a table generator (`scripts/gen-*.py --output FILE`) and expects its output to be
    /// byte-identical to the checked-in file, so a hand edit or a changed script cannot drift.
    static func expectGeneratedFileMatches(script: String, checkedIn: String) throws {
        let python = try #require(executable("python3"))
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("generated-\(UUID().uuidString).swift")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent(script).path, "--output", output.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(script) failed")
        #expect(try Data(contentsOf: output) == Data(contentsOf: root.appendingPathComponent(checkedIn)), "\(checkedIn) differs from what \(script) writes")
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): reproducible random bit patterns for the seeded cases.
struct SplitMix64: RandomNumberGenerator {
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
