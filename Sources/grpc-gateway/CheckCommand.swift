import ArgumentParser
import Foundation
import Gateway

extension GRPCGatewayCommand {
    /// `grpc-gateway check --config F`: validates a configuration file without serving.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a gateway.yaml: keys and values, schemas, routes and backend selectors.",
            discussion: "Errors name the file, line, column and key; the exit status is 1 on any error.")

        @Option(help: "The configuration file.")
        var config: String

        func run() throws {
            do {
                let file = try GatewayConfigFile(contentsOf: config)
                let routes = try file.loadRoutes(relativeTo: config)
                print("\(config): ok — \(routes.routes.count) routes, \(file.backends.count) backend entries, "
                    + "listening on \(file.listeners.map { "\($0.host):\($0.port)" }.joined(separator: ", "))")
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
