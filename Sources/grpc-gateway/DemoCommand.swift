import ArgumentParser
import Foundation
import Gateway
import HTTP2Transport
import Transcoder

extension GRPCGatewayCommand {
    /// `grpc-gateway demo`: the example bookstore as an in-process gRPC backend with the gateway
    /// in front, both on loopback, and curl lines to try.
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the example bookstore backend with the gateway in front and print curl lines to try.")

        @Option(name: .customLong("descriptor-set"), help: "The bookstore's FileDescriptorSet.")
        var descriptorSet = "protos/descriptors/bookstore.pb"

        @Option(help: "Where the gateway listens, HOST:PORT (port 0 picks a free one).")
        var listen = "127.0.0.1:8080"

        @Flag(
            help: """
                Run only the bookstore gRPC backend, on --listen (for load tests that put a gateway \
                in another process in front of it).
                """)
        var backendOnly = false

        func run() throws {
            let pool = try SchemaLoader.loadDescriptorSets(paths: [descriptorSet])
            let routes = try RouteTable(pool: pool)
            let bookstore = try DemoBookstore(pool: pool)
            let address = try ListenAddress(parsing: listen)
            if backendOnly {
                return try runUntilSignalled { group in
                    let backend = try await HTTP2Server.start(
                        host: address.host, port: address.port, group: group, handler: bookstore.handler)
                    writeOut("grpc-gateway demo backend: gRPC on \(address.host):\(backend.port)\n")
                    return { try? await backend.shutDown() }
                }
            }
            try runUntilSignalled { group in
                let backend = try await HTTP2Server.start(
                    host: "127.0.0.1", port: 0, group: group, handler: bookstore.handler)
                let backends = BackendDirectory(targets: [.init(host: "127.0.0.1", port: backend.port)], group: group)
                let pipeline = GatewayPipeline(routes: routes, backends: backends)
                let server = try await GatewayServer.start(
                    host: address.host, port: address.port, pipeline: pipeline, group: group,
                    accessLog: GatewayServer.standardOutputAccessLog())
                writeOut(Self.banner(gateway: "http://\(address.host):\(server.port)", backendPort: backend.port, routes: routes.routes.count))
                return {
                    await server.shutDown(drainTimeout: .seconds(2))
                    try? await backend.shutDown()
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { await backends.close() }
                        group.addTask { try? await Task.sleep(for: .seconds(1)) }
                        await group.next()
                        group.cancelAll()
                    }
                }
            }
        }

        static func banner(gateway: String, backendPort: Int, routes: Int) -> String {
            let json = "-H 'content-type: application/json'"
            return """
                grpc-gateway demo: the example bookstore (gRPC on 127.0.0.1:\(backendPort)) behind the gateway on \(gateway)
                routes: \(routes)
                Try:
                curl -s \(gateway)/v1/shelves
                curl -s \(gateway)/v1/shelves/1
                curl -s \(gateway)/v1/shelves/1/theme
                curl -s \(gateway)/v1/shelves/1/books
                curl -s \(gateway)/v1/shelves/1/books/2
                curl -s \(gateway)/v1/books/1
                curl -s -X POST \(json) -d '{"theme":"Travel"}' \(gateway)/v1/shelves
                curl -s -X POST \(json) -d '{"title":"Odes","author":"Keats","genre":"GENRE_POETRY"}' \(gateway)/v1/shelves/2/books
                curl -s \(gateway)/v1/shelves/1/books:stream
                curl -s -X DELETE \(gateway)/v1/shelves/1/books/2
                curl -s \(gateway)/v1/shelves/42
                Press Ctrl-C to stop.

                """
        }
    }
}
