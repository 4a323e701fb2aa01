import Foundation

/// A test peer process on loopback (a Python grpcio server, …) that prints "PORT <n>" when ready.
/// It is stopped by PID only, and its stdin is a pipe that closes if the test process dies, so a
/// crashed test never leaves it running.
final class PeerProcess: @unchecked Sendable {
    let process = Process()
    private let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()
    private(set) var port = 0

    /// Starts `arguments` and waits (at most `timeout`) for its "PORT <n>" line.
    init(_ arguments: [String], timeout: TimeInterval = 20) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.standardError
        try process.run()
        let handle = stdoutPipe.fileHandleForReading
        let start = Date()
        var line: [UInt8] = []
        while Date().timeIntervalSince(start) < timeout {
            let byte = handle.readData(ofLength: 1)
            guard let first = byte.first else { break }  // EOF: the peer died
            if first == UInt8(ascii: "\n") {
                let text = String(decoding: line, as: UTF8.self)
                if text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) {
                    self.port = port
                    return
                }
                line = []
            } else {
                line.append(first)
            }
        }
        kill()
        throw PeerError(description: "\(arguments) did not report its port")
    }

    /// The Python grpcio test server (`Peers/grpc_test_server.py`), optionally on a fixed port.
    static func grpcServer(port: Int = 0) throws -> PeerProcess {
        try PeerProcess(["python3", peersDirectory + "/grpc_test_server.py", String(port)])
    }

    static var peersDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Peers").path
    }

    /// SIGTERM: the gRPC server stops with grace (GOAWAY, in-flight calls finish).
    func terminate() { if process.isRunning { process.terminate() } }

    /// SIGKILL: abrupt death, mid-stream.
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits (bounded) for the process to exit, without blocking a Swift concurrency thread.
    func waitForExit(timeout: TimeInterval = 10) async {
        let start = Date()
        while process.isRunning && Date().timeIntervalSince(start) < timeout {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning { kill() }
        process.waitUntilExit()
    }

    deinit {
        kill()
        try? stdinPipe.fileHandleForWriting.close()
    }
}

struct PeerError: Error, CustomStringConvertible {
    var description: String
}

/// Runs `body`, failing with a clear error if it takes longer than `seconds`.
func withTimeout<T: Sendable>(
    _ seconds: Double, _ what: String = "operation", _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw PeerError(description: "\(what) timed out after \(seconds) s")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
