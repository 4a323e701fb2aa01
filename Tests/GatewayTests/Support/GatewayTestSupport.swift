import Foundation
import Gateway
import NIOCore
import NIOPosix
import ProtoWire
import Testing
import Transcoder

/// Paths and shared fixtures of the gateway tests.
enum GatewayTestSupport {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let bookstoreDescriptorSet = root.appendingPathComponent("protos/descriptors/bookstore.pb").path
    static let peers = root.appendingPathComponent("Tests/GatewayTests/Peers").path

    static let pool: DescriptorPool = {
        try! SchemaLoader.loadDescriptorSets(paths: [bookstoreDescriptorSet])
    }()
    static let routes: RouteTable = { try! RouteTable(pool: pool) }()
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    /// A pipeline whose only backend is `port` on loopback.
    static func pipeline(backendPort: Int, configure: (inout GatewayConfiguration) -> Void = { _ in }) -> GatewayPipeline {
        var configuration = GatewayConfiguration()
        configure(&configuration)
        let backends = BackendDirectory(
            targets: [.init(host: "127.0.0.1", port: backendPort)], group: group, connectTimeout: .seconds(2))
        return GatewayPipeline(routes: routes, backends: backends, configuration: configuration)
    }

    /// Runs `binary` (the `grpc-gateway` binary by default) to its end on a thread of its own;
    /// returns its exit status, standard output and standard error.
    static func run(_ arguments: [String], binary: String? = nil) async throws -> (Int32, String, String) {
        let path = try #require(binary ?? Self.binary, "swift build --build-tests builds grpc-gateway")
        return try await onOwnThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, out, err)
        }
    }

    /// The `grpc-gateway` binary `swift build --build-tests` puts next to the tests.
    static var binary: String? {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("grpc-gateway").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

/// A child process on loopback that prints a line with a port when ready (a Python grpcio
/// server, the gateway binary). Stopped by PID only; its stdin is a pipe that closes if the test
/// process dies, and the peers exit on that, so a crashed test leaves nothing running.
final class TestProcess: @unchecked Sendable {
    let process = Process()
    private let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()
    private(set) var port = 0
    private(set) var lines: [String] = []

    /// Starts `arguments` and waits (at most `timeout` seconds) for a line starting with
    /// `prefix` and ending in a port number (`PORT 1234`, `… http://127.0.0.1:1234`).
    init(_ executable: String, _ arguments: [String], portLinePrefix prefix: String, timeout: TimeInterval = 20) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.standardError
        try process.run()
        let handle = stdoutPipe.fileHandleForReading
        let start = Date()
        var line: [UInt8] = []
        while Date().timeIntervalSince(start) < timeout {
            guard let byte = handle.readData(ofLength: 1).first else { break }
            guard byte == UInt8(ascii: "\n") else {
                line.append(byte)
                continue
            }
            let text = String(decoding: line, as: UTF8.self)
            lines.append(text)
            line = []
            if text.hasPrefix(prefix), let port = Int(text.reversed().prefix { $0.isNumber }.reversed().map(String.init).joined()) {
                self.port = port
                return
            }
        }
        kill()
        throw TestFailure("\(arguments) did not report its port")
    }

    /// The Python grpcio bookstore (`Peers/bookstore_server.py`), optionally on a fixed port.
    static func bookstore(port: Int = 0) throws -> TestProcess {
        try TestProcess(
            "/usr/bin/env",
            ["python3", GatewayTestSupport.peers + "/bookstore_server.py", GatewayTestSupport.bookstoreDescriptorSet, String(port)],
            portLinePrefix: "PORT ")
    }

    /// Reads stdout lines until one starts with `prefix` or the stream ends (bounded by the caller's process exit).
    func readLine(startingWith prefix: String, timeout: TimeInterval = 10) -> String? {
        let handle = stdoutPipe.fileHandleForReading
        let start = Date()
        var line: [UInt8] = []
        while Date().timeIntervalSince(start) < timeout {
            guard let byte = handle.readData(ofLength: 1).first else { return nil }
            guard byte == UInt8(ascii: "\n") else {
                line.append(byte)
                continue
            }
            let text = String(decoding: line, as: UTF8.self)
            lines.append(text)
            if text.hasPrefix(prefix) { return text }
            line = []
        }
        return nil
    }

    /// SIGTERM, and closes stdin (the Python peers also stop on that).
    func terminate() {
        if process.isRunning { process.terminate() }
        try? stdinPipe.fileHandleForWriting.close()
    }

    func kill() { if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) } }

    /// Waits (bounded) for the process to exit and returns its status; kills it past the bound.
    /// Never `waitUntilExit`: Foundation on Linux can miss a child's exit (a CI run left one as a
    /// zombie), and then that call spins forever. -1 when the exit was never seen.
    func waitForExit(timeout: TimeInterval = 10) -> Int32 {
        let start = Date()
        while process.isRunning && Date().timeIntervalSince(start) < timeout { usleep(10_000) }
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            let killed = Date()
            while process.isRunning && Date().timeIntervalSince(killed) < 5 { usleep(10_000) }
        }
        return process.isRunning ? -1 : process.terminationStatus
    }

    deinit {
        kill()
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
