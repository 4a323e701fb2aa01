/// An immutable, validated set of protobuf schemas: every message, enum, service and method of
/// a `FileDescriptorSet`, with type names resolved to indices.
///
/// Build it once at start-up, then share it between threads: every request reads from it and
/// nothing writes to it.
///
/// ```swift
/// let pool = try DescriptorPool(fileDescriptorSet: bytes)
/// let book = pool.message(named: "example.bookstore.v1.Book")
/// ```
public final class DescriptorPool: Sendable {
    public let files: [FileDescriptor]
    public let messages: [MessageDescriptor]
    public let enums: [EnumDescriptor]
    public let services: [ServiceDescriptor]
    /// Extension fields from every file (for `google.api.http` and other custom options).
    public let extensions: [FieldDescriptor]

    let fileIndexByName: [String: Int]
    let messageIndexByName: [String: Int]
    let enumIndexByName: [String: Int]
    let serviceIndexByName: [String: Int]
    let methodIndexByName: [String: MethodLocation]
    let extensionIndexByKey: [ExtensionKey: Int]

    struct MethodLocation: Hashable, Sendable {
        let service: Int
        let method: Int
    }

    struct ExtensionKey: Hashable, Sendable {
        let extendee: Int
        let number: Int32
    }

    init(
        files: [FileDescriptor], messages: [MessageDescriptor], enums: [EnumDescriptor],
        services: [ServiceDescriptor], extensions: [FieldDescriptor]
    ) {
        self.files = files
        self.messages = messages
        self.enums = enums
        self.services = services
        self.extensions = extensions
        fileIndexByName = Dictionary(uniqueKeysWithValues: files.enumerated().map { ($1.name, $0) })
        messageIndexByName = Dictionary(uniqueKeysWithValues: messages.map { ($0.fullName, $0.index) })
        enumIndexByName = Dictionary(uniqueKeysWithValues: enums.map { ($0.fullName, $0.index) })
        serviceIndexByName = Dictionary(uniqueKeysWithValues: services.map { ($0.fullName, $0.index) })
        var methods: [String: MethodLocation] = [:]
        for service in services {
            for (index, method) in service.methods.enumerated() {
                methods[method.fullName] = MethodLocation(service: service.index, method: index)
            }
        }
        methodIndexByName = methods
        var extensionKeys: [ExtensionKey: Int] = [:]
        for (index, field) in extensions.enumerated() {
            if let extendee = field.extendeeIndex {
                extensionKeys[ExtensionKey(extendee: extendee, number: field.number)] = index
            }
        }
        extensionIndexByKey = extensionKeys
    }

    /// Decodes and validates a serialized `google.protobuf.FileDescriptorSet`.
    public convenience init(fileDescriptorSet bytes: [UInt8]) throws(DescriptorError) {
        let files: [DescriptorProto.File]
        do {
            files = try DescriptorProto.decodeFileDescriptorSet(bytes)
        } catch {
            throw DescriptorError(.malformed, file: "", "cannot decode FileDescriptorSet: \(error)", wireError: error)
        }
        try self.init(files: files)
    }

    /// Validates and resolves `files`. Files may come in any order; a file that appears twice
    /// with identical content (as when several descriptor sets are merged) is kept once.
    public convenience init(files: [DescriptorProto.File]) throws(DescriptorError) {
        var builder = DescriptorPoolBuilder()
        try builder.add(files)
        let built = try builder.build()
        self.init(
            files: built.files, messages: built.messages, enums: built.enums, services: built.services,
            extensions: built.extensions)
    }

    // MARK: Lookup

    /// Accepts full names with or without the leading dot that descriptors use.
    private static func key(_ name: String) -> Substring {
        name.first == "." ? name.dropFirst() : Substring(name)
    }

    public func file(named name: String) -> FileDescriptor? {
        fileIndexByName[name].map { files[$0] }
    }

    public func messageIndex(named name: String) -> Int? {
        messageIndexByName[String(Self.key(name))]
    }

    public func message(named name: String) -> MessageDescriptor? {
        messageIndex(named: name).map { messages[$0] }
    }

    public func enumIndex(named name: String) -> Int? {
        enumIndexByName[String(Self.key(name))]
    }

    public func enumType(named name: String) -> EnumDescriptor? {
        enumIndex(named: name).map { enums[$0] }
    }

    public func service(named name: String) -> ServiceDescriptor? {
        serviceIndexByName[String(Self.key(name))].map { services[$0] }
    }

    /// The method with full name `package.Service.Method`.
    public func method(named name: String) -> MethodDescriptor? {
        methodIndexByName[String(Self.key(name))].map { services[$0.service].methods[$0.method] }
    }

    /// The extension of message `extendee` with field `number`, or nil.
    public func `extension`(of extendee: Int, number: Int32) -> FieldDescriptor? {
        extensionIndexByKey[ExtensionKey(extendee: extendee, number: number)].map { extensions[$0] }
    }

    /// Every message, enum, service and method full name, sorted.
    public var allSymbolNames: [String] {
        var names = messages.map(\.fullName) + enums.map(\.fullName) + services.map(\.fullName)
        names += services.flatMap { $0.methods.map(\.fullName) }
        return names.sorted()
    }
}
