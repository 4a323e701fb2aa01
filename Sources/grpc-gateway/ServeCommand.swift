import ArgumentParser
import Foundation
import Gateway
import NIOCore
import NIOPosix
import ProtoWire
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

        @Option(help: "A gRPC backend: HOST:PORT or pkg.Service=HOST:PORT (repeatable; replaces the config's).")
        var backend: [String] = []

        @Option(help: "Where to listen, HOST:PORT (port 0 picks a free one; default 127.0.0.1:8080).")
        var listen: String?

        @Option(name: .customLong("max-body-bytes"), help: "The largest request body accepted (default 4 MiB).")
        var maxBodyBytes: Int?

        @Option(name: .customLong("timeout-ms"), help: "The deadline of calls without grpc-timeout (default 30000).")
        var timeoutMilliseconds: Int?

        @Option(name: .customLong("max-timeout-ms"), help: "The cap on any call's deadline (default 300000).")
        var maxTimeoutMilliseconds: Int?

        @Option(
            name: .customLong("drain-timeout-ms"), help: "How long SIGTERM waits for requests in flight (default 10000).")
        var drainTimeoutMilliseconds: Int?

        @Flag(inversion: .prefixedNo, help: "Log one line per request to standard output.")
        var accessLog = true

        @Option(
            name: .customLong("cors-allow-origin"),
            help: "Enable CORS for this origin: scheme://host[:port], *.domain or * (repeatable).")
        var corsAllowOrigin: [String] = []

        @Flag(help: "Compress responses with gzip/deflate (>= 1 KiB, JSON and text) and inflate compressed requests.")
        var compress = false

        @Option(
            help: """
                A gateway.yaml naming schemas, listeners, backends, JSON options, limits and timeouts. \
                Flags given as well override its values.
                """)
        var config: String?

        func validate() throws {
            if backend.isEmpty && config == nil { throw ValidationError("give at least one --backend HOST:PORT") }
            if schema.isEmpty && config == nil {
                throw ValidationError("give at least one --descriptor-set FILE or --proto FILE, or --config FILE")
            }
            for (name, value) in [
                ("--max-body-bytes", maxBodyBytes), ("--timeout-ms", timeoutMilliseconds),
                ("--max-timeout-ms", maxTimeoutMilliseconds), ("--drain-timeout-ms", drainTimeoutMilliseconds),
            ] {
                if let value, value <= 0 { throw ValidationError("\(name) must be positive") }
            }
        }

        /// The configuration in effect: the file's (or the defaults), then each flag given.
        func effectiveConfiguration() throws -> (GatewayConfigFile, RouteTable) {
            var file = GatewayConfigFile()
            do {
                if let config { file = try GatewayConfigFile(contentsOf: config) }
            } catch {
                throw ValidationError("\(error)")
            }
            if !backend.isEmpty {
                file.backends = []
                for text in backend {
                    do { file.backends.append(try BackendDirectory.Target(parsing: text)) } catch {
                        throw ValidationError(error.message)
                    }
                }
            }
            if let listen {
                let address = try ListenAddress(parsing: listen)
                file.listeners = [(address.host, address.port)]
            }
            if let maxBodyBytes { file.configuration.maximumBodySize = maxBodyBytes }
            if let timeoutMilliseconds { file.configuration.defaultTimeout = .milliseconds(timeoutMilliseconds) }
            if let maxTimeoutMilliseconds { file.configuration.maximumTimeout = .milliseconds(maxTimeoutMilliseconds) }
            if let drainTimeoutMilliseconds { file.drainTimeout = .milliseconds(drainTimeoutMilliseconds) }
            try applyOffloadFlags(to: &file.configuration.offload)
            guard let config else { return (file, try RouteTable(pool: try schema.loadPool())) }
            do {
                let commandLine = schema
                let override: (() throws -> DescriptorPool)? = commandLine.isEmpty ? nil : { try commandLine.loadPool() }
                let routes = try file.loadRoutes(relativeTo: config, schema: override)
                return (file, routes)
            } catch {
                throw ValidationError("\(error)")
            }
        }

        func run() throws {
            let (file, routes) = try effectiveConfiguration()
            let logRequests = accessLog
            try runUntilSignalled { group in
                let backends = BackendDirectory(targets: file.backends, group: group)
                let pipeline = GatewayPipeline(routes: routes, backends: backends, configuration: file.configuration)
                var servers: [GatewayServer] = []
                var banner = ""
                for listener in file.listeners {
                    let server = try await GatewayServer.start(
                        host: listener.host, port: listener.port, pipeline: pipeline, group: group,
                        accessLog: logRequests ? GatewayServer.standardOutputAccessLog() : nil)
                    servers.append(server)
                    let host = listener.host.contains(":") ? "[\(listener.host)]" : listener.host
                    banner += "grpc-gateway listening on http://\(host):\(server.port)\n"
                }
                banner += "routes: \(routes.routes.count)\n"
                for target in file.backends { banner += "backend: \(target)\n" }
                writeOut(banner)
                let drain = file.drainTimeout
                let started = servers
                return {
                    await withTaskGroup(of: Void.self) { group in
                        for server in started { group.addTask { await server.shutDown(drainTimeout: drain) } }
                    }
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
