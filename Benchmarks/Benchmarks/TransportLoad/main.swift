// Unary gRPC load over one HTTP/2 connection: our GRPCChannel against h2load, same backend, same run.
//
//   swift run -c release --scratch-path ../.build-bench-h2 TransportLoad [--calls N] [--payload BYTES] [--concurrency 1,64,256] [--repeat 3]
//
// To profile the client alone, start a backend with `TransportLoad --serve` and run the client
// against it without h2load (valgrind 3.19 crashes on this binary; perf works). Allocations per
// call are the difference between two call counts, counted with a uprobe on malloc:
//
//   perf probe -x /lib/x86_64-linux-gnu/libc.so.6 malloc
//   perf stat -e probe_libc:malloc TransportLoad --backend-port P --no-h2load --concurrency 64 --repeat 1 --calls 10000
//   perf stat -e probe_libc:malloc TransportLoad --backend-port P --no-h2load --concurrency 64 --repeat 1 --calls 60000
//
// "client CPU/call" is this process's user+system time over the timed calls (the backend and
// h2load are other processes), the lowest of the runs.
//
// The backend is this executable in `--serve` mode (our HTTP2Server answering /bench.Echo/Unary
// with the request message), in its own process so that it shares no threads with the client.
// h2load sends the same gRPC frame with the same headers, so the first table row per concurrency
// also measures the backend alone.
import Foundation
import HTTP2Transport
import NIOCore
import NIOPosix

struct Options {
    var calls = 20_000
    var payload = 100
    var concurrency = [1, 64, 256]
    var serve = false
    /// Runs per configuration; the best of them is reported (the machine is shared and noisy).
    var repeats = 3
    /// Use a backend already listening on this port instead of starting one.
    var backendPort: Int?
    /// Measure only our channel (for profilers that cannot run h2load alongside).
    var h2load = true

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--calls": calls = Int(iterator.next() ?? "") ?? calls
            case "--payload": payload = Int(iterator.next() ?? "") ?? payload
            case "--concurrency": concurrency = (iterator.next() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--serve": serve = true
            case "--repeat": repeats = max(1, Int(iterator.next() ?? "") ?? repeats)
            case "--backend-port": backendPort = Int(iterator.next() ?? "")
            case "--no-h2load": h2load = false
            default: fatalError("unknown argument \(argument)")
            }
        }
    }
}

let options = Options(CommandLine.arguments)

if options.serve {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    var configuration = HTTP2Server.Configuration()
    configuration.session.maxConcurrentStreams = 1000
    let server = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: group, configuration: configuration) {
        request, response in
        do {
            let body = try await request.body.collect(upTo: 1 << 20)
            try await response.writeResponse(
                headers: [(":status", "200"), ("content-type", "application/grpc")], body: body,
                trailers: [("grpc-status", "0")])
        } catch {
            response.reset(.internalError)
        }
    }
    FileHandle.standardOutput.write(Data("PORT \(server.port)\n".utf8))
    // Exit when the parent closes our stdin.
    _ = FileHandle.standardInput.readDataToEndOfFile()
    exit(0)
}

// MARK: Parent: start the backend, then measure.

/// Starts the backend (this executable with `--serve`) and returns its port.
func startBackend() throws -> (port: Int, process: Process, stdin: Pipe) {
    let backend = Process()
    backend.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    backend.arguments = ["--serve"]
    let backendIn = Pipe()
    let backendOut = Pipe()
    backend.standardInput = backendIn
    backend.standardOutput = backendOut
    try backend.run()
    var portBytes = Data()
    while !portBytes.contains(UInt8(ascii: "\n")) {
        let chunk = backendOut.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        portBytes += chunk
    }
    let portLine = String(decoding: portBytes, as: UTF8.self)
    let portText = portLine.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    guard let port = Int(portText) else {
        fatalError("backend did not report its port: \(portLine)")
    }
    return (port, backend, backendIn)
}

let backend = try options.backendPort == nil ? startBackend() : nil
let port = options.backendPort ?? backend!.port
defer { if let backend { kill(backend.process.processIdentifier, SIGKILL) } }

let message = [UInt8](repeating: 0x42, count: options.payload)
let frame = try GRPCMessageFramer().frame(message)
let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("transport-load-\(getpid()).bin")
try Data(frame).write(to: bodyFile)
defer { try? FileManager.default.removeItem(at: bodyFile) }

func runH2load(concurrency: Int) throws -> (rate: Double, mean: String) {
    guard options.h2load else { return (0, "-") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "h2load", "-n", String(options.calls), "-c", "1", "-m", String(concurrency), "-d", bodyFile.path,
        "-H", "content-type: application/grpc", "-H", "te: trailers", "http://127.0.0.1:\(port)/bench.Echo/Unary",
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard output.contains("\(options.calls) succeeded") else { fatalError("h2load failed:\n\(output)") }
    let finished = output.split(separator: "\n").first { $0.hasPrefix("finished in") } ?? ""
    let rate = finished.split(separator: ",").dropFirst().first.flatMap {
        Double($0.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
    } ?? 0
    let timing = output.split(separator: "\n").first { $0.hasPrefix("time for request:") } ?? ""
    let fields = timing.split(separator: " ", omittingEmptySubsequences: true)
    return (rate, fields.count > 5 ? String(fields[5]) : "?")
}

/// CPU time this process has used (user + system), in microseconds: the client's cost, since the
/// backend and h2load are other processes.
func processCPUMicroseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) * 1e6 + Double(usage.ru_utime.tv_usec)
    return user + Double(usage.ru_stime.tv_sec) * 1e6 + Double(usage.ru_stime.tv_usec)
}

func runOurs(
    concurrency: Int, group: any EventLoopGroup
) async throws -> (rate: Double, p50: Duration, p99: Duration, cpuPerCall: Double) {
    var configuration = GRPCChannel.Configuration(host: "127.0.0.1", port: port)
    configuration.maxConnectionsPerEventLoop = 1
    let channel = GRPCChannel(configuration: configuration, group: group)
    _ = try await channel.unary(path: "/bench.Echo/Unary", request: message)  // connect and warm up
    let perWorker = options.calls / concurrency
    let clock = ContinuousClock()
    let cpuBefore = processCPUMicroseconds()
    let start = clock.now
    let parts = try await withThrowingTaskGroup(of: [Duration].self) { tasks in
        for _ in 0..<concurrency {
            // Each worker prefers its loop's shared executor, as a gateway handler does: its calls
            // start, wait and resume on the loop without switching executors.
            let executor = EventLoopTaskExecutor.shared(on: group.next())
            tasks.addTask(executorPreference: executor) {
                try await runWorker(channel: channel, calls: perWorker, message: message)
            }
        }
        var parts: [[Duration]] = []
        for try await part in tasks { parts.append(part) }
        return parts
    }
    let elapsed = clock.now - start
    let cpu = processCPUMicroseconds() - cpuBefore
    await channel.close()
    let latencies = parts.joined().sorted()  // after the clock stopped: sorting is not the client's work
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (
        Double(latencies.count) / seconds, latencies[latencies.count / 2], latencies[latencies.count * 99 / 100],
        cpu / Double(latencies.count)
    )
}

/// Issues `calls` unary calls one after another, from the loop whose executor the task prefers
/// (nonisolated, so it runs there): how a gateway handler on that loop calls its backend.
func runWorker(channel: GRPCChannel, calls: Int, message: [UInt8]) async throws -> [Duration] {
    let clock = ContinuousClock()
    var latencies: [Duration] = []
    latencies.reserveCapacity(calls)
    for _ in 0..<calls {
        let began = clock.now
        let reply = try await channel.unary(path: "/bench.Echo/Unary", request: message)
        precondition(reply.message.count == message.count)
        latencies.append(clock.now - began)
    }
    return latencies
}

func milliseconds(_ duration: Duration) -> String {
    let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    return String(format: "%.2fms", ms)
}

print("unary echo, \(options.payload) B messages, \(options.calls) calls per run, best of \(options.repeats), one HTTP/2 connection, backend on 1 event loop")
print("concurrency | h2load calls/s (mean) | GRPCChannel calls/s | p50 | p99 | client CPU/call (best) | ratio")
let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
for concurrency in options.concurrency {
    var h2load = try runH2load(concurrency: concurrency)
    var ours = try await runOurs(concurrency: concurrency, group: group)
    for _ in 1..<options.repeats {
        let again = try runH2load(concurrency: concurrency)
        if again.rate > h2load.rate { h2load = again }
        let oursAgain = try await runOurs(concurrency: concurrency, group: group)
        let bestCPU = min(ours.cpuPerCall, oursAgain.cpuPerCall)
        if oursAgain.rate > ours.rate { ours = oursAgain }
        ours.cpuPerCall = bestCPU
    }
    print(
        String(
            format: "%11d | %12.0f (%@) | %19.0f | %@ | %@ | %17.1f us | %.2fx", concurrency, h2load.rate, h2load.mean,
            ours.rate, milliseconds(ours.p50), milliseconds(ours.p99), ours.cpuPerCall,
            ours.rate / max(h2load.rate, 1)))
}
try? backend?.stdin.fileHandleForWriting.close()
