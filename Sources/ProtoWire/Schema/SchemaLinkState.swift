/// What the linker knows about the files compiled so far: their symbols, and the linked form of
/// their messages, enums and extensions, which options and defaults need.
struct SchemaLinkState: Sendable {
    struct LinkedMessage: Sendable {
        var proto: DescriptorProto.Message
        var isProto3: Bool
    }

    struct LinkedEnum: Sendable {
        var values: [(name: String, number: Int32)]
        var isProto3: Bool
    }

    struct LinkedExtension: Sendable {
        var field: DescriptorProto.Field
        var file: Int
    }

    var symbols = SchemaSymbolTable()
    var messages: [String: LinkedMessage] = [:]
    var enums: [String: LinkedEnum] = [:]
    /// Extensions by full name.
    var extensions: [String: LinkedExtension] = [:]
    /// The messages and enums of the bundled `descriptor.proto`, which give the built-in options
    /// (`java_package`, `packed`, …) their numbers and types.
    var builtinMessages: [String: LinkedMessage] = [:]
    var builtinEnums: [String: LinkedEnum] = [:]

    /// Records the linked messages (nested ones too) and extensions of a file.
    mutating func register(_ file: DescriptorProto.File, index: Int) {
        let proto3 = file.syntax == "proto3"
        func visit(_ message: DescriptorProto.Message, scope: String) {
            let fullName = scope.isEmpty ? message.name : scope + "." + message.name
            messages[fullName] = LinkedMessage(proto: message, isProto3: proto3)
            for nested in message.nestedMessages { visit(nested, scope: fullName) }
            for field in message.extensions {
                extensions[fullName + "." + field.name] = LinkedExtension(field: field, file: index)
            }
        }
        for message in file.messages { visit(message, scope: file.package) }
        for field in file.extensions {
            let fullName = file.package.isEmpty ? field.name : file.package + "." + field.name
            extensions[fullName] = LinkedExtension(field: field, file: index)
        }
    }
}
