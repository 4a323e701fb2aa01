import Foundation
import Testing

/// `grpc-gateway demo` as a newcomer runs it: start it, paste every curl line it prints.
@Suite("grpc-gateway demo")
struct DemoCommandTests {
    @Test func printedCurlLinesWork() async throws {
        let binary = try #require(GatewayTestSupport.binary, "swift build --build-tests builds grpc-gateway")
        let demo = try await offPool {
            try TestProcess(
                binary, ["demo", "--descriptor-set", GatewayTestSupport.bookstoreDescriptorSet, "--listen", "127.0.0.1:0"],
                portLinePrefix: "grpc-gateway demo:")
        }
        _ = try await offPool { demo.readLine(startingWith: "Press Ctrl-C") }
        let curls = demo.lines.filter { $0.hasPrefix("curl ") }
        #expect(curls.count == 11)
        var statuses: [String] = []
        for line in curls {
            let output = try await offPool { () throws -> String in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", line + " --max-time 10 -w ' %{http_code} %{content_type}'"]
                let pipe = Pipe()
                process.standardOutput = pipe
                try process.run()
                let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                return text
            }
            #expect(output.hasSuffix(" application/json"), "\(line) → \(output)")
            statuses.append(String(output.split(separator: " ").dropLast().last ?? ""))
            if line.hasSuffix("/v1/books/1") {
                #expect(output.hasPrefix(#"{"name":"shelves/1/books/1""#), "\(output)")
            }
        }
        // Every line works; the last shows an error answer.
        #expect(statuses == Array(repeating: "200", count: 10) + ["404"], "\(statuses)")
        demo.terminate()
        #expect(try await offPool { demo.waitForExit() } == 0)
    }
}
