import ArgumentParser
import Gateway

@main
struct GRPCGatewayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpc-gateway",
        abstract: "A REST-to-gRPC translation gateway.",
        subcommands: [Describe.self, Version.self, Routes.self, Transcode.self, Conformance.self, Compile.self, Serve.self, Demo.self, Check.self, Golden.self]
    )
}

extension GRPCGatewayCommand {
    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load FileDescriptorSets and list the services and methods they define.")

        @OptionGroup var schema: SchemaOptions

        @Flag(help: "Print every message, enum, service and method full name.")
        var symbols = false

        func run() throws {
            let pool = try schema.loadPool()
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
