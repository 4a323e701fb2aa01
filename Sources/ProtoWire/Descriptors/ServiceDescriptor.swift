/// A resolved service.
public struct ServiceDescriptor: Sendable, Hashable {
    public let name: String
    public let fullName: String
    public let index: Int
    public let fileIndex: Int
    public let methods: [MethodDescriptor]
    public let options: RawOptions

    public func method(named name: String) -> MethodDescriptor? {
        methods.first { $0.name == name }
    }
}

/// A resolved RPC method.
public struct MethodDescriptor: Sendable, Hashable {
    public let name: String
    /// `package.Service.Method`.
    public let fullName: String
    public let serviceIndex: Int
    public let inputTypeName: String
    public let inputIndex: Int
    public let outputTypeName: String
    public let outputIndex: Int
    public let isClientStreaming: Bool
    public let isServerStreaming: Bool
    /// The raw `MethodOptions`, where `google.api.http` (field 72295728) lives.
    public let options: RawOptions
    /// The gRPC request path, `/package.Service/Method` (gRPC over HTTP/2, "Path").
    public let grpcPath: String
}

/// A resolved `.proto` file.
public struct FileDescriptor: Sendable, Hashable {
    public let name: String
    public let package: String
    public let dependencies: [String]
    public let publicDependencies: [String]
    public let weakDependencies: [String]
    public let syntax: Syntax
    public let messageIndices: [Int]
    public let enumIndices: [Int]
    public let serviceIndices: [Int]
    /// Indices into ``DescriptorPool/extensions`` declared at file scope.
    public let extensionIndices: [Int]
    public let options: RawOptions
}
