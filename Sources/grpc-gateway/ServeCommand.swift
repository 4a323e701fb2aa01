import ArgumentParser
import Foundation
import Gateway
import NIOCore
import NIOPosix
import Transcoder

extension GRPCGatewayCommand {
    /// `grpc-gateway serve`: the gateway itself, REST/JSON in front of gRPC backends.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve REST/JSON over HTTP/1.1, calling gRPC backends.",
            discussion: """
                Routes come from the schemas' google.api.http annotations plus POST \
                /package.Service/Method. Each --backend is HOST:PORT (the default backend) or \
                SERVICE=HOST:PORT / PACKAGE=HOST:PORT. SIGTERM or SIGINT drains and exits 0.
                """)

        @OptionGroup var schema: SchemaOptions

        @Option(help: "A gRPC backend: HOST:PORT or pkg.Service=HOST:PORT (repeatable).")
        var backend: [String] = []

        @Option(help: "Where to listen, HOST:PORT (port 0 picks a free one).")
        var listen = "127.0.0.1:8080"

        @Option(name: .customLong("max-body-bytes"), help: "The largest request body accepted.")
        var maxBodyBytes = 4 << 20

        @Option(name: .customLong("timeout-ms"), help: "The deadline of calls without grpc-timeout.")
        var timeoutMilliseconds = 30_000

        @Option(name: .customLong("max-timeout-ms"), help: "The cap on any call's deadline.")
        var maxTimeoutMilliseconds = 300_000

        @Option(name: .customLong("drain-timeout-ms"), help: "How long SIGTERM waits for requests in flight.")
        var drainTimeoutMilliseconds = 10_000

        @Flag(inversion: .prefixedNo, help: "Log one line per request to standard output.")
        var accessLog = true

        @Option(
            help: """
                A gateway.yaml: its listeners, backends, JSON options, limits and timeouts replace the flags; \
                its schemas too when it names any (the schema flags are still required by the parser).
                """)
        var config: String?

        func validate() throws {
            if backend.isEmpty && config == nil { throw ValidationError("give at least one --backend HOST:PORT") }
        }

        func run() throws {
            if let config { return try serve(configPath: config) }
            var targets: [BackendDirectory.Target] = []
            for text in backend {
                do { targets.append(try BackendDirectory.Target(parsing: text)) } catch {
                    throw ValidationError(error.message)
                }
            }
            let listenTarget = try ListenAddress(parsing: listen)
            var configuration = GatewayConfiguration()
            configuration.maximumBodySize = maxBodyBytes
            configuration.defaultTimeout = .milliseconds(timeoutMilliseconds)
            configuration.maximumTimeout = .milliseconds(maxTimeoutMilliseconds)
            let pool = try schema.loadPool()
            let routes = try RouteTable(pool: pool)
            let drain = Duration.milliseconds(drainTimeoutMilliseconds)
            let logRequests = accessLog
            let backendTargets = targets
            let gatewayConfiguration = configuration
            try runUntilSignalled { group in
                let backends = BackendDirectory(targets: backendTargets, group: group)
                let pipeline = GatewayPipeline(routes: routes, backends: backends, configuration: gatewayConfiguration)
                let server = try await GatewayServer.start(
                    host: listenTarget.host, port: listenTarget.port, pipeline: pipeline, group: group,
                    accessLog: logRequests ? GatewayServer.standardOutputAccessLog() : nil)
                var banner = "grpc-gateway listening on http://\(listenTarget.host):\(server.port)\n"
                banner += "routes: \(routes.routes.count)\n"
                for target in backendTargets { banner += "backend: \(target)\n" }
                writeOut(banner)
                return {
                    await server.shutDown(drainTimeout: drain)
                    // GOAWAY to the backends; don't wait on a backend slow to hang up.
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { await backends.close() }
                        group.addTask { try? await Task.sleep(for: .seconds(1)) }
                        await group.next()
                        group.cancelAll()
                    }
                }
            }
        }
    }
}

extension GRPCGatewayCommand.Serve {
    /// `serve --config F`: everything from the file (the first listener is used).
    func serve(configPath: String) throws {
        let file: GatewayConfigFile
        let routes: RouteTable
        do {
            file = try GatewayConfigFile(contentsOf: configPath)
            routes = try file.loadRoutes(relativeTo: configPath, fallback: schema.loadPool)
        } catch {
            throw ValidationError("\(error)")
        }
        let logRequests = accessLog
        try runUntilSignalled { group in
            let backends = BackendDirectory(targets: file.backends, group: group)
            let pipeline = GatewayPipeline(routes: routes, backends: backends, configuration: file.configuration)
            let listener = file.listeners[0]
            let server = try await GatewayServer.start(
                host: listener.host, port: listener.port, pipeline: pipeline, group: group,
                accessLog: logRequests ? GatewayServer.standardOutputAccessLog() : nil)
            var banner = "grpc-gateway listening on http://\(listener.host):\(server.port)\n"
            banner += "routes: \(routes.routes.count)\n"
            for target in file.backends { banner += "backend: \(target)\n" }
            writeOut(banner)
            return {
                await server.shutDown(drainTimeout: file.drainTimeout)
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await backends.close() }
                    group.addTask { try? await Task.sleep(for: .seconds(1)) }
                    await group.next()
                    group.cancelAll()
                }
            }
        }
    }
}

/// Starts what `start` builds on a fresh event loop group, then blocks until SIGTERM or SIGINT,
/// runs the returned shutdown, and returns (exit status 0).
func runUntilSignalled(
    _ start: @escaping @Sendable (MultiThreadedEventLoopGroup) async throws -> @Sendable () async -> Void
) throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: ProcessInfo.processInfo.activeProcessorCount)
    signal(SIGTERM, SIG_IGN)
    signal(SIGINT, SIG_IGN)
    let finished = DispatchSemaphore(value: 0)
    let failure = LockedError()
    let signals = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
    Task.detached {
        let shutDown: @Sendable () async -> Void
        do {
            shutDown = try await start(group)
        } catch {
            failure.set(error)
            finished.signal()
            return
        }
        let stop = AsyncStream<Void>.makeStream()
        for source in signals {
            source.setEventHandler { stop.continuation.yield() }
            source.resume()
        }
        for await _ in stop.stream { break }
        writeOut("draining\n")
        await shutDown()
        finished.signal()
    }
    finished.wait()
    try? group.syncShutdownGracefully()
    if let error = failure.error { throw error }
}

/// An error handed from the server task to the blocked main thread.
final class LockedError: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?
    var error: (any Error)? { lock.withLock { stored } }
    func set(_ error: any Error) { lock.withLock { stored = error } }
}

/// Writes to stdout at once (unbuffered), so a supervising process sees each line when it happens.
func writeOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// `--listen HOST:PORT`; port 0 lets the system pick.
struct ListenAddress: Sendable {
    var host: String
    var port: Int

    init(parsing text: String) throws {
        guard let colon = text.lastIndex(of: ":"), colon > text.startIndex,
            let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { throw ValidationError("--listen '\(text)': expected HOST:PORT") }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        self.host = String(host)
        self.port = port
    }
}
