import ArgumentParser
import Gateway

@main
struct GRPCGatewayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpc-gateway",
        abstract: "A REST-to-gRPC translation gateway.",
        subcommands: [Describe.self, Version.self]
    )
}

extension GRPCGatewayCommand {
    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load FileDescriptorSets and list the services and methods they define.")

        @Option(name: .customLong("descriptor-set"), help: "A FileDescriptorSet file (repeatable).")
        var descriptorSets: [String] = []

        @Flag(help: "Print every message, enum, service and method full name.")
        var symbols = false

        func validate() throws {
            if descriptorSets.isEmpty { throw ValidationError("give at least one --descriptor-set FILE") }
        }

        func run() throws {
            let pool = try SchemaLoader.loadDescriptorSets(paths: descriptorSets)
            print(SchemaSummary.render(pool))
            if symbols {
                print("")
                for name in pool.allSymbolNames { print(name) }
            }
        }
    }

    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print versions of the gateway and its libraries.")

        func run() {
            print(VersionInfo.summary)
        }
    }
}
