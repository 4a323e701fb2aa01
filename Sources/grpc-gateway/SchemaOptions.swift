import ArgumentParser
import Gateway
import ProtoWire

/// Where a command finds the services' schemas: descriptor sets, `.proto` files, or both.
/// Shared by every command that needs a pool.
struct SchemaOptions: ParsableArguments {
    @Option(name: .customLong("descriptor-set"), help: "A FileDescriptorSet file (repeatable).")
    var descriptorSets: [String] = []

    @Option(
        name: .customLong("proto-path"),
        help: "A directory to search for .proto files and their imports (repeatable; default: the current directory).")
    var protoPaths: [String] = []

    @Option(
        name: .customLong("proto"),
        help: """
            A .proto file to compile (repeatable), as a path or as a name relative to a --proto-path. \
            google/protobuf/*.proto and google/api/*.proto are bundled.
            """)
    var protos: [String] = []

    /// Whether no schema was given (`serve --config` then takes the file's).
    var isEmpty: Bool { descriptorSets.isEmpty && protos.isEmpty }

    func validate() throws {
        if !protoPaths.isEmpty && protos.isEmpty {
            throw ValidationError("--proto-path needs at least one --proto FILE to compile")
        }
    }

    /// Loads, compiles and validates the schemas into one pool; at least one must be given.
    func loadPool() throws -> DescriptorPool {
        if isEmpty { throw ValidationError("give at least one --descriptor-set FILE or --proto FILE") }
        if protos.isEmpty { return try SchemaLoader.loadDescriptorSets(paths: descriptorSets) }
        return try ProtoFileLoader.loadPool(protoPaths: protoPaths, files: protos, descriptorSets: descriptorSets)
    }
}
