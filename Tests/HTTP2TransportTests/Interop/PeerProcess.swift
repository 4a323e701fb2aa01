import Foundation
import Synchronization

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
    static func grpcServer(port: Int = 0, options: [String] = []) throws -> PeerProcess {
        try PeerProcess(["python3", peersDirectory + "/grpc_test_server.py", String(port)] + options)
    }

    /// SIGUSR1: a server started with `--handover` moves to a fresh server on the same port and
    /// stops the old one with grace (GOAWAY on its connections).
    func handOver() { if process.isRunning { Foundation.kill(process.processIdentifier, SIGUSR1) } }

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

    /// Waits (bounded) for the process to exit, without blocking a Swift concurrency thread;
    /// kills it past the bound. Never `waitUntilExit`: Foundation on Linux can miss a child's
    /// exit (a CI run left one as a zombie), and then that call spins forever.
    func waitForExit(timeout: TimeInterval = 10) async {
        let start = Date()
        while process.isRunning && Date().timeIntervalSince(start) < timeout {
            try? await Task.sleep(for: .milliseconds(10))
        }
        guard process.isRunning else { return }
        kill()
        let killed = Date()
        while process.isRunning && Date().timeIntervalSince(killed) < 5 {
            try? await Task.sleep(for: .milliseconds(10))
        }
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
///
/// It does not wait for `body` to notice cancellation (a task group would), so a body stuck on
/// something that ignores cancellation still fails the test on time instead of hanging it.
func withTimeout<T: Sendable>(
    _ seconds: Double, _ what: String = "operation", _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let slot = ContinuationSlot<T>()
    return try await withCheckedThrowingContinuation { continuation in
        slot.store(continuation)
        let work = Task {
            do {
                let value = try await body()
                slot.take()?.resume(returning: value)
            } catch {
                slot.take()?.resume(throwing: error)
            }
        }
        Task {
            try? await Task.sleep(for: .seconds(seconds))
            if let continuation = slot.take() {
                work.cancel()
                continuation.resume(throwing: PeerError(description: "\(what) timed out after \(seconds) s"))
            }
        }
    }
}

/// A continuation resumed by whichever of two tasks gets to it first.
final class ContinuationSlot<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)

    func store(_ value: CheckedContinuation<T, any Error>) { continuation.withLock { $0 = value } }

    func take() -> CheckedContinuation<T, any Error>? { continuation.withLock { value in defer { value = nil }; return value } }
}
