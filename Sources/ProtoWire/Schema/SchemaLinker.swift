/// Turns the syntax tree of one file into a `FileDescriptorProto` as protoc writes it: every type
/// name resolved and fully qualified with a leading dot, `type` set, `json_name` filled, map
/// entries and synthetic oneofs in place, defaults in protoc's canonical text, options encoded.
///
/// The files it imports must already be linked into `state`; the linker adds this file's
/// symbols to it. Problems are collected as diagnostics; linking goes on after an error so that
/// one run reports them all.
struct SchemaLinker {
    typealias Tree = SchemaSyntaxTree

    let tree: Tree.File
    let fileIndex: Int
    /// This file, its imports, and the files those import publicly.
    let visible: Set<Int>
    let fileNames: [String]
    var state: SchemaLinkState
    var diagnostics: [SchemaDiagnostic] = []
    var isProto3: Bool { tree.syntax == "proto3" }

    init(tree: Tree.File, fileIndex: Int, visible: Set<Int>, fileNames: [String], state: SchemaLinkState) {
        self.tree = tree
        self.fileIndex = fileIndex
        self.visible = visible
        self.fileNames = fileNames
        self.state = state
    }

    mutating func error(_ message: String, at location: SchemaLocation?) {
        diagnostics.append(SchemaDiagnostic(file: tree.name, location: location, message: message))
    }

    static func scoped(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : scope + "." + name
    }

    /// Links the file. `dependencies` are the import names as written, in order.
    mutating func link() -> DescriptorProto.File {
        registerSymbols()
        var file = DescriptorProto.File()
        file.name = tree.name
        file.package = tree.package
        for (index, entry) in tree.imports.enumerated() {
            file.dependencies.append(entry.path)
            if entry.kind == .public { file.publicDependencies.append(Int32(index)) }
            if entry.kind == .weak { file.weakDependencies.append(Int32(index)) }
        }
        if isProto3 { file.syntax = "proto3" }
        file.messages = tree.messages.map { linkMessage($0, scope: tree.package) }
        file.enums = tree.enums.map { linkEnum($0, scope: tree.package) }
        file.services = tree.services.map { linkService($0) }
        file.extensions = tree.extensions.map { linkField($0, scope: tree.package, isExtension: true) }
        state.register(file, index: fileIndex)
        checkFile(file)
        interpretOptions(&file)
        checkInterpretedOptions(file)
        state.register(file, index: fileIndex)  // again, now with options (`packed` matters to aggregates)
        return file
    }

    // MARK: Symbols

    private mutating func define(_ fullName: String, _ kind: SchemaSymbolTable.Kind, at location: SchemaLocation?) {
        guard let existing = state.symbols.define(fullName, kind: kind, file: fileIndex) else { return }
        let dot = fullName.lastIndex(of: ".")
        let simple = dot.map { String(fullName[fullName.index(after: $0)...]) } ?? fullName
        let scope = dot.map { String(fullName[..<$0]) } ?? ""
        var message: String
        if existing.file != fileIndex {
            message = "\"\(fullName)\" is already defined in file \"\(fileNames[existing.file])\""
        } else if existing.kind == .package || kind == .package {
            message = "\"\(fullName)\" is already defined (as something other than a package)"
        } else {
            message =
                scope.isEmpty ? "\"\(simple)\" is already defined" : "\"\(simple)\" is already defined in \"\(scope)\""
        }
        if kind == .enumValue || existing.kind == .enumValue {
            message +=
                "; enum values use C++ scoping rules, meaning that enum values are siblings of their type, not children of it"
        }
        error(message, at: location)
    }

    private mutating func registerSymbols() {
        state.symbols.addFile(fileIndex, package: tree.package)
        var prefix = ""
        for component in tree.package.split(separator: ".") {
            prefix = Self.scoped(prefix, String(component))
            define(prefix, .package, at: tree.packageLocation)
        }
        for message in tree.messages { registerMessage(message, scope: tree.package) }
        for item in tree.enums { registerEnum(item, scope: tree.package) }
        for field in tree.extensions { define(Self.scoped(tree.package, field.name), .extension, at: field.location) }
        for service in tree.services {
            let fullName = Self.scoped(tree.package, service.name)
            define(fullName, .service, at: service.location)
            for method in service.methods { define(fullName + "." + method.name, .method, at: method.location) }
        }
    }

    private mutating func registerMessage(_ message: Tree.Message, scope: String) {
        let fullName = Self.scoped(scope, message.name)
        define(fullName, .message, at: message.location)
        for field in message.fields { define(fullName + "." + field.name, .field, at: field.location) }
        for oneof in message.oneofs { define(fullName + "." + oneof.name, .oneof, at: oneof.location) }
        for nested in message.nested { registerMessage(nested, scope: fullName) }
        for item in message.enums { registerEnum(item, scope: fullName) }
        for field in message.extensions { define(fullName + "." + field.name, .extension, at: field.location) }
    }

    private mutating func registerEnum(_ item: Tree.Enum, scope: String) {
        let fullName = Self.scoped(scope, item.name)
        define(fullName, .enumeration, at: item.location)
        for value in item.values { define(Self.scoped(scope, value.name), .enumValue, at: value.location) }
        state.enums[fullName] = SchemaLinkState.LinkedEnum(
            values: item.values.map { ($0.name, $0.number) }, isProto3: isProto3)
    }

    // MARK: Resolution

    /// Resolves a type name used in `scope`; reports and returns nil when it fails.
    mutating func resolve(_ name: String, scope: String, at location: SchemaLocation, what: String)
        -> (fullName: String, kind: SchemaSymbolTable.Kind)?
    {
        switch state.symbols.lookup(name, scope: scope, visible: visible, typesOnly: true) {
        case .found(let fullName, let symbol):
            guard symbol.kind.isType || symbol.kind == .service else {
                error("\"\(name)\" is not a type; it names a \(symbol.kind.noun)", at: location)
                return nil
            }
            return (fullName, symbol.kind)
        case .notImported(let fullName, let file):
            error(
                "\"\(fullName)\" seems to be defined in \"\(fileNames[file])\", which is not imported by \"\(tree.name)\"; "
                    + "to use it here, please add the necessary import", at: location)
            return nil
        case .notFound:
            var message = "unknown \(what) \"\(name)\""
            if let suggestion = state.symbols.suggestion(for: name, scope: scope, visible: visible) {
                message += " (did you mean \"\(suggestion)\"?)"
            }
            error(message, at: location)
            return nil
        }
    }

    /// Resolves a name that must be a message (extendees, method input and output types).
    mutating func resolveMessage(_ name: String, scope: String, at location: SchemaLocation, what: String) -> String? {
        guard let (fullName, kind) = resolve(name, scope: scope, at: location, what: what) else { return nil }
        guard kind == .message else {
            error(
                "\"\(name)\" is not a message type; it names \(kind == .enumeration ? "an" : "a") \(kind.noun)",
                at: location)
            return nil
        }
        return "." + fullName
    }

    // MARK: Conversion

    mutating func linkMessage(_ message: Tree.Message, scope: String) -> DescriptorProto.Message {
        let fullName = Self.scoped(scope, message.name)
        var result = DescriptorProto.Message()
        result.name = message.name
        result.fields = message.fields.map { linkField($0, scope: fullName, isExtension: false) }
        result.nestedMessages = message.nested.map { linkMessage($0, scope: fullName) }
        result.enums = message.enums.map { linkEnum($0, scope: fullName) }
        result.extensions = message.extensions.map { linkField($0, scope: fullName, isExtension: true) }
        result.extensionRanges = message.extensionRanges.map { $0.start...max($0.start, $0.end) }
        result.oneofs = message.oneofs.map { oneof in
            var proto = DescriptorProto.Oneof()
            proto.name = oneof.name
            return proto
        }
        result.reservedRanges = message.reservedRanges.map { $0.start...max($0.start, $0.end) }
        result.reservedNames = message.reservedNames.map(\.0)
        if message.isMapEntry { result.options = RawOptions([0x38, 0x01]) }  // MessageOptions.map_entry (7) = true
        checkMessage(message, result, fullName: fullName)
        return result
    }

    mutating func linkField(_ field: Tree.Field, scope: String, isExtension: Bool) -> DescriptorProto.Field {
        var result = DescriptorProto.Field()
        result.name = field.name
        result.number = field.number
        result.label = (field.label ?? .optional).rawValue
        if let extendee = field.extendee, let location = field.extendeeLocation {
            result.extendee = resolveMessage(extendee, scope: scope, at: location, what: "message type to extend") ?? ""
        }
        if field.isGroup {
            result.type = 10
            result.typeName = "." + Self.scoped(scope, field.typeName)
        } else if let scalar = field.scalarType {
            result.type = scalar
        } else if let (fullName, kind) = resolve(field.typeName, scope: scope, at: field.typeLocation, what: "type") {
            switch kind {
            case .message: result.type = 11
            case .enumeration: result.type = 14
            default: error("\"\(field.typeName)\" is not a message or enum type", at: field.typeLocation)
            }
            result.typeName = "." + fullName
        }
        result.jsonName = field.jsonName ?? Self.jsonName(field.name)
        result.oneofIndex = field.oneofIndex
        result.proto3Optional = field.proto3Optional
        if let value = field.defaultValue, let location = field.defaultLocation {
            result.defaultValue = defaultText(value, for: result, at: location)
        }
        checkField(field, result, scope: scope, isExtension: isExtension)
        return result
    }

    mutating func linkEnum(_ item: Tree.Enum, scope: String) -> DescriptorProto.Enum {
        var result = DescriptorProto.Enum()
        result.name = item.name
        result.values = item.values.map { value in
            var proto = DescriptorProto.EnumValue()
            proto.name = value.name
            proto.number = value.number
            return proto
        }
        result.reservedRanges = item.reservedRanges.map { $0.start...max($0.start, $0.end) }
        result.reservedNames = item.reservedNames.map(\.0)
        checkEnum(item, fullName: Self.scoped(scope, item.name))
        return result
    }

    mutating func linkService(_ service: Tree.Service) -> DescriptorProto.Service {
        let fullName = Self.scoped(tree.package, service.name)
        var result = DescriptorProto.Service()
        result.name = service.name
        result.methods = service.methods.map { method in
            var proto = DescriptorProto.Method()
            proto.name = method.name
            let scope = fullName
            proto.inputType =
                resolveMessage(method.inputType, scope: scope, at: method.inputLocation, what: "request type") ?? ""
            proto.outputType =
                resolveMessage(method.outputType, scope: scope, at: method.outputLocation, what: "response type") ?? ""
            proto.clientStreaming = method.clientStreaming
            proto.serverStreaming = method.serverStreaming
            return proto
        }
        return result
    }

    /// protoc's `ToJsonName` (shared with the descriptor-set loader).
    static func jsonName(_ name: String) -> String {
        protocJSONName(name)
    }
}
