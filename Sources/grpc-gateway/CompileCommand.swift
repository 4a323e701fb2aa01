import ArgumentParser
import Foundation
import Gateway
import ProtoWire

extension GRPCGatewayCommand {
    /// `grpc-gateway compile`: `.proto` files to a FileDescriptorSet, as
    /// `protoc --include_imports --descriptor_set_out` writes it, for tools that want a set.
    struct Compile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Compile .proto files into a FileDescriptorSet (like protoc --include_imports --descriptor_set_out).",
            discussion: """
                Imports are searched on --proto-path, then in the bundled google/protobuf and google/api \
                schemas. Every error is printed, compiler style (file:line:column: message), with exit status 1.
                """)

        @Option(
            name: .customLong("proto-path"),
            help:
                "A directory to search for .proto files and their imports (repeatable; default: the current directory)."
        )
        var protoPaths: [String] = []

        @Argument(help: "The .proto files to compile.")
        var files: [String]

        @Option(name: [.customShort("o"), .customLong("output")], help: "Where to write the FileDescriptorSet.")
        var output: String

        func run() throws {
            let compiled: [DescriptorProto.File]
            do {
                compiled = try ProtoFileLoader.compile(protoPaths: protoPaths, files: files)
                _ = try DescriptorPool(files: compiled)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(1)
            }
            let bytes = DescriptorProto.encodeFileDescriptorSet(compiled)
            guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else {
                throw ValidationError("cannot write \(output)")
            }
        }
    }
}
