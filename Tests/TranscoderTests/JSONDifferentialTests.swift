import Foundation
import Testing

@testable import Transcoder

/// Differential test against an independent implementation: Python `protobuf`'s `json_format`
/// (`scripts/json-differential.py`). Python makes random kitchen-sink messages and prints each
/// under four option sets; we translate both ways; Python checks that our bytes parse to the
/// original message and our JSON means the same as its own and parses back to the original.
/// The two known, justified differences are documented in the script.
@Suite("JSON differential vs Python protobuf", .serialized)
struct JSONDifferentialTests {
    @Test(arguments: [(seed: 1, count: 600), (seed: 2, count: 600)])
    func agreesWithPython(_ run: (seed: Int, count: Int)) throws {
        let python = try #require(JSONTestSupport.executable("python3"), "python3 is needed (scripts/bootstrap.sh)")
        let script = JSONTestSupport.root.appendingPathComponent("scripts/json-differential.py").path
        let descriptorSet = JSONTestSupport.root.appendingPathComponent("protos/descriptors/kitchen_sink.pb").path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("json-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases = directory.appendingPathComponent("cases.tsv").path
        let ours = directory.appendingPathComponent("ours.tsv").path

        let generated = try Self.run(python, [script, "generate", "--descriptor-set", descriptorSet,
            "--count", "\(run.count)", "--seed", "\(run.seed)", "--out", cases])
        #expect(generated.status == 0, "\(generated.output)")

        let codec = ProtoJSONCodec(pool: JSONTestSupport.kitchenSinkPool)
        let text = try String(contentsOfFile: cases, encoding: .utf8)
        let result = DifferentialRunner.run(cases: text, codec: codec, messageIndex: JSONTestSupport.kitchenSink.index)
        try result.write(toFile: ours, atomically: true, encoding: .utf8)

        let verified = try Self.run(python, [script, "verify", "--descriptor-set", descriptorSet,
            "--cases", cases, "--ours", ours])
        #expect(verified.status == 0, "\(verified.output.suffix(4000))")
        #expect(verified.output.contains("\(run.count) cases, 0 disagreements"))
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
