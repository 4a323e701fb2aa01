import Foundation
@testable import Gateway
import Testing

/// Runs every golden scenario folder of `Tests/GatewayTests/Scenarios/` (see ``GoldenScenario``
/// and the folder's README) through ``GoldenRunner``: the real HTTP/1.1 server and pipeline
/// against a scripted in-process backend. A failure names the folder and file.
@Suite("Golden scenarios")
struct ScenarioTests {
    static let directory = GatewayTestSupport.root.appendingPathComponent("Tests/GatewayTests/Scenarios").path
    static let runner = GoldenRunner(routes: GatewayTestSupport.routes, group: GatewayTestSupport.group)

    /// Every folder's name, sorted.
    static var names: [String] {
        ((try? GoldenScenario.folders(at: directory)) ?? []).map { URL(fileURLWithPath: $0).lastPathComponent }
    }

    @Test func thereAreEnoughScenarios() {
        #expect(Self.names.count >= 40, "\(Self.names)")
    }

    @Test(arguments: names)
    func scenario(_ name: String) async throws {
        let problems = await Self.runner.run(try GoldenScenario(folder: Self.directory + "/" + name))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}

/// The golden files' JSON comparison: by meaning, but a boolean is not a number.
@Suite("Golden JSON comparison")
struct GoldenJSONTests {
    @Test(arguments: [
        ("{\"a\": true}", "{\"a\": true}", true),
        ("{\"a\": 1}", "{\"a\": 1.0}", true),
        ("{\"a\": true}", "{\"a\": 1}", false),
        ("{\"a\": 0}", "{\"a\": false}", false),
        ("[1, \"x\"]", "[1, \"x\"]", true),
        ("[\"~ab\"]", "[\"abc\"]", true),
        ("{\"a\": null}", "{\"a\": 0}", false),
    ])
    func comparesByMeaning(want: String, got: String, equal: Bool) throws {
        let wanted = try #require(GoldenJSON.parse(want))
        let received = try #require(GoldenJSON.parse(got))
        #expect((GoldenJSON.mismatch(want: wanted, got: received, at: "body") == nil) == equal)
    }
}
