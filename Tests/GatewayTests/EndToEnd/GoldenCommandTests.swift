import Foundation
import Testing

/// `grpc-gateway golden`: the golden scenario runner as users run it on their own schemas.
@Suite("grpc-gateway golden")
struct GoldenCommandTests {
    static func run(_ arguments: [String]) async throws -> (Int32, String, String) {
        try await GatewayTestSupport.run(["golden", "--descriptor-set", GatewayTestSupport.bookstoreDescriptorSet] + arguments)
    }

    static let scenarios = GatewayTestSupport.root.appendingPathComponent("Tests/GatewayTests/Scenarios")

    /// A few of the checked-in scenarios, none timing-sensitive (the "Golden scenarios" suite
    /// plays all of them in-process); folders and a folder of folders both work.
    @Test func checkedInScenariosPass() async throws {
        let picked = ["rule-additional-binding", "stream-ndjson", "code-05-not-found", "error-method-not-allowed"]
        let (status, out, _) = try await Self.run(picked.map { Self.scenarios.appendingPathComponent($0).path })
        #expect(status == 0, "\(out)")
        #expect(out == picked.map { "ok   \($0)\n" }.joined() + "4 passed, 0 failed\n", "\(out)")
    }

    @Test func aDifferenceIsReportedWithItsFolderAndFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("get-book")
        let broken = folder.appendingPathComponent("broken-reply")
        for scenario in [good, broken] {
            try FileManager.default.copyItem(at: Self.scenarios.appendingPathComponent("rule-additional-binding"), to: scenario)
        }
        // The backend's answer says id 7; this expectation says 8, and the upstream path is wrong.
        try #"{"status": 200, "body": {"id": "8"}}"#.write(
            to: good.appendingPathComponent("response.json"), atomically: true, encoding: .utf8)
        try #"{"path": "/example.bookstore.v1.Bookstore/GetShelf"}"#.write(
            to: good.appendingPathComponent("upstream.json"), atomically: true, encoding: .utf8)
        try #"{"messages": [], "fault": "sideways"}"#.write(
            to: broken.appendingPathComponent("reply.json"), atomically: true, encoding: .utf8)
        let (status, out, _) = try await Self.run([folder.path])
        #expect(status == 1)
        #expect(out.contains("FAIL broken-reply\n     broken-reply/reply.json: unknown fault sideways\n"), "\(out)")
        #expect(out.contains("FAIL get-book\n"), "\(out)")
        #expect(out.contains("get-book/response.json: body.id: '7', want '8'"), "\(out)")
        #expect(
            out.contains(
                "get-book/upstream.json: path /example.bookstore.v1.Bookstore/GetBook, want /example.bookstore.v1.Bookstore/GetShelf"),
            "\(out)")
        #expect(out.hasSuffix("0 passed, 2 failed\n"), "\(out)")
    }

    @Test func aFolderWithoutScenariosIsAUsageError() async throws {
        let (status, _, errors) = try await Self.run([FileManager.default.temporaryDirectory.path + "/no-such-golden"])
        #expect(status != 0)
        #expect(errors.contains("no-such-golden: not a readable directory"), "\(errors)")
    }
}
