/// Validates raw file descriptors and resolves them into the flat arrays of a ``DescriptorPool``.
///
/// Three passes: check that every import is present; give every type an index and register
/// every symbol (rejecting duplicates); then resolve each type name by protobuf's scoping rules
/// (innermost scope outwards, a leading dot meaning absolute).
struct DescriptorPoolBuilder {
    var rawFiles: [DescriptorProto.File] = []
    var fileIndexByName: [String: Int] = [:]

    /// What a full name refers to, in the type namespace.
    enum TypeSymbol: Equatable {
        case package
        case message(Int)
        case enumeration(Int)
        case service(Int)
    }

    struct PendingMessage {
        let raw: DescriptorProto.Message
        let fullName: String
        let fileIndex: Int
        let containingIndex: Int?
        let syntax: Syntax
        /// The message's resolved features (the base of its fields', nested types' and oneofs').
        let features: EditionFeatures
        let isMapEntry: Bool
        var nestedMessageIndices: [Int] = []
        var nestedEnumIndices: [Int] = []
    }

    struct PendingEnum {
        let raw: DescriptorProto.Enum
        let fullName: String
        let fileIndex: Int
        let containingIndex: Int?
        let syntax: Syntax
        let features: EditionFeatures
    }

    struct PendingExtension {
        let raw: DescriptorProto.Field
        let scope: String
        let fileIndex: Int
        let syntax: Syntax
        /// The features of the extension's scope (its file or message).
        let features: EditionFeatures
    }

    struct Built {
        var files: [FileDescriptor]
        var messages: [MessageDescriptor]
        var enums: [EnumDescriptor]
        var services: [ServiceDescriptor]
        var extensions: [FieldDescriptor]
    }

    // State of the registration pass.
    var typeSymbols: [String: TypeSymbol] = [:]
    /// Every full name defined (types, fields, enum values, methods, oneofs) and the defining file.
    var definedNames: [String: String] = [:]
    var pendingMessages: [PendingMessage] = []
    var pendingEnums: [PendingEnum] = []
    var pendingExtensions: [PendingExtension] = []
    var registeredServiceCount = 0

    mutating func add(_ files: [DescriptorProto.File]) throws(DescriptorError) {
        for file in files {
            if let existing = fileIndexByName[file.name] {
                if rawFiles[existing] == file { continue }
                throw DescriptorError(
                    .duplicateFile, file: file.name, "the set holds two different files with this name")
            }
            fileIndexByName[file.name] = rawFiles.count
            rawFiles.append(file)
        }
    }

    mutating func build() throws(DescriptorError) -> Built {
        for file in rawFiles {
            for dependency in file.dependencies where fileIndexByName[dependency] == nil {
                throw DescriptorError(
                    .missingDependency, file: file.name, symbol: dependency,
                    "imports \"\(dependency)\", which is not in the descriptor set (run protoc with --include_imports)")
            }
        }
        var fileTopLevel: [(messages: [Int], enums: [Int], extensions: [Int])] = []
        for (fileIndex, file) in rawFiles.enumerated() {
            fileTopLevel.append(try register(file: file, at: fileIndex))
        }
        var built = Built(files: [], messages: [], enums: [], services: [], extensions: [])
        for index in pendingMessages.indices {
            built.messages.append(try resolveMessage(at: index))
        }
        for (index, pending) in pendingEnums.enumerated() {
            built.enums.append(makeEnum(pending, index: index))
        }
        var extensionNumbers: [DescriptorPool.ExtensionKey: String] = [:]
        for pending in pendingExtensions {
            let field = try resolveField(
                pending.raw, scope: pending.scope, fullName: scoped(pending.scope, pending.raw.name),
                fileIndex: pending.fileIndex, syntax: pending.syntax, features: pending.features, oneofCount: 0)
            if let extendee = field.extendeeIndex {
                let key = DescriptorPool.ExtensionKey(extendee: extendee, number: field.number)
                if let other = extensionNumbers.updateValue(field.fullName, forKey: key) {
                    throw DescriptorError(
                        .invalidField, file: rawFiles[pending.fileIndex].name, symbol: field.fullName,
                        "extension number \(field.number) of \(field.extendee ?? "?") is already used by \(other)")
                }
            }
            built.extensions.append(field)
        }
        for (fileIndex, file) in rawFiles.enumerated() {
            let syntax = Self.syntax(of: file)
            var serviceIndices: [Int] = []
            for service in file.services {
                serviceIndices.append(built.services.count)
                built.services.append(
                    try resolveService(service, package: file.package, fileIndex: fileIndex, index: built.services.count))
            }
            built.files.append(
                FileDescriptor(
                    name: file.name, package: file.package, dependencies: file.dependencies,
                    publicDependencies: file.publicDependencies.compactMap { Self.element(file.dependencies, $0) },
                    weakDependencies: file.weakDependencies.compactMap { Self.element(file.dependencies, $0) },
                    syntax: syntax, messageIndices: fileTopLevel[fileIndex].messages,
                    enumIndices: fileTopLevel[fileIndex].enums, serviceIndices: serviceIndices,
                    extensionIndices: fileTopLevel[fileIndex].extensions, options: file.options))
        }
        return built
    }

    static func syntax(of file: DescriptorProto.File) -> Syntax {
        switch file.syntax {
        case "proto3": .proto3
        case "editions": .editions(file.edition ?? 0)
        default: .proto2  // protoc leaves `syntax` empty for proto2
        }
    }

    private static func element(_ array: [String], _ index: Int32) -> String? {
        array.indices.contains(Int(index)) ? array[Int(index)] : nil
    }

    func scoped(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : scope + "." + name
    }
}
