extension DescriptorPoolBuilder {
    /// Gives every type of `file` an index and records every name it defines.
    mutating func register(
        file: DescriptorProto.File, at fileIndex: Int
    ) throws(DescriptorError) -> (messages: [Int], enums: [Int], extensions: [Int]) {
        let syntax = Self.syntax(of: file)
        guard let defaults = EditionFeatures.defaults(for: syntax) else {
            throw DescriptorError(
                .unsupportedEdition, file: file.name,
                "edition \(file.edition.map(String.init) ?? "?") is not supported (2023 and 2024 are)")
        }
        let features = try Self.features(defaults, file.options, .file, syntax: syntax, file: file.name, symbol: "")
        var prefix = ""
        for component in file.package.split(separator: ".") {
            prefix = scoped(prefix, String(component))
            switch typeSymbols[prefix] {
            case nil: typeSymbols[prefix] = .package
            case .package: break
            default:
                throw DescriptorError(
                    .duplicateSymbol, file: file.name, symbol: prefix,
                    "package \"\(prefix)\" clashes with a type of the same name in \(definedNames[prefix] ?? "?")")
            }
        }
        var messages: [Int] = []
        for message in file.messages {
            messages.append(
                try registerMessage(
                    message, scope: file.package, fileIndex: fileIndex, fileName: file.name, containing: nil,
                    syntax: syntax, features: features))
        }
        var enums: [Int] = []
        for enumeration in file.enums {
            enums.append(
                try registerEnum(
                    enumeration, scope: file.package, fileIndex: fileIndex, fileName: file.name, containing: nil,
                    syntax: syntax, features: features))
        }
        var extensions: [Int] = []
        for field in file.extensions {
            try define(scoped(file.package, field.name), in: file.name)
            extensions.append(pendingExtensions.count)
            pendingExtensions.append(
                PendingExtension(
                    raw: field, scope: file.package, fileIndex: fileIndex, syntax: syntax, features: features))
        }
        for service in file.services {
            let fullName = scoped(file.package, service.name)
            try define(fullName, in: file.name)
            typeSymbols[fullName] = .service(registeredServiceCount)
            registeredServiceCount += 1
            for method in service.methods {
                try define(fullName + "." + method.name, in: file.name)
            }
        }
        return (messages, enums, extensions)
    }

    private mutating func define(_ fullName: String, in fileName: String) throws(DescriptorError) {
        if let previous = definedNames[fullName] {
            let where_ = previous == fileName ? "" : " (first defined in \(previous))"
            throw DescriptorError(
                .duplicateSymbol, file: fileName, symbol: fullName, "\"\(fullName)\" is already defined\(where_)")
        }
        if typeSymbols[fullName] == .package {
            throw DescriptorError(
                .duplicateSymbol, file: fileName, symbol: fullName, "\"\(fullName)\" is already a package name")
        }
        definedNames[fullName] = fileName
    }

    private mutating func registerMessage(
        _ message: DescriptorProto.Message, scope: String, fileIndex: Int, fileName: String, containing: Int?,
        syntax: Syntax, features parent: EditionFeatures
    ) throws(DescriptorError) -> Int {
        let fullName = scoped(scope, message.name)
        let features = try Self.features(parent, message.options, .message, syntax: syntax, file: fileName, symbol: fullName)
        try define(fullName, in: fileName)
        let index = pendingMessages.count
        typeSymbols[fullName] = .message(index)
        let isMapEntry: Bool
        do {
            isMapEntry = try message.options.boolValue(fieldNumber: 7) ?? false  // MessageOptions.map_entry
        } catch {
            throw DescriptorError(
                .malformed, file: fileName, symbol: fullName, "cannot decode MessageOptions: \(error)", wireError: error)
        }
        pendingMessages.append(
            PendingMessage(
                raw: message, fullName: fullName, fileIndex: fileIndex, containingIndex: containing, syntax: syntax,
                features: features, isMapEntry: isMapEntry))
        for field in message.fields {
            try define(fullName + "." + field.name, in: fileName)
        }
        for oneof in message.oneofs {
            try define(fullName + "." + oneof.name, in: fileName)
        }
        var nestedMessages: [Int] = []
        for nested in message.nestedMessages {
            nestedMessages.append(
                try registerMessage(
                    nested, scope: fullName, fileIndex: fileIndex, fileName: fileName, containing: index, syntax: syntax,
                    features: features))
        }
        var nestedEnums: [Int] = []
        for nested in message.enums {
            nestedEnums.append(
                try registerEnum(
                    nested, scope: fullName, fileIndex: fileIndex, fileName: fileName, containing: index, syntax: syntax,
                    features: features))
        }
        for field in message.extensions {
            try define(fullName + "." + field.name, in: fileName)
            pendingExtensions.append(
                PendingExtension(raw: field, scope: fullName, fileIndex: fileIndex, syntax: syntax, features: features))
        }
        pendingMessages[index].nestedMessageIndices = nestedMessages
        pendingMessages[index].nestedEnumIndices = nestedEnums
        return index
    }

    private mutating func registerEnum(
        _ enumeration: DescriptorProto.Enum, scope: String, fileIndex: Int, fileName: String, containing: Int?,
        syntax: Syntax, features parent: EditionFeatures
    ) throws(DescriptorError) -> Int {
        let fullName = scoped(scope, enumeration.name)
        let features = try Self.features(
            parent, enumeration.options, .enumeration, syntax: syntax, file: fileName, symbol: fullName)
        try define(fullName, in: fileName)
        let index = pendingEnums.count
        typeSymbols[fullName] = .enumeration(index)
        // Enum values are siblings of their enum (C++ scoping rules), not children of it.
        for value in enumeration.values {
            try define(scoped(scope, value.name), in: fileName)
        }
        pendingEnums.append(
            PendingEnum(
                raw: enumeration, fullName: fullName, fileIndex: fileIndex, containingIndex: containing,
                syntax: syntax, features: features))
        return index
    }

    /// `parent` with the features `options` sets, or the error naming where they are unreadable.
    static func features(
        _ parent: EditionFeatures, _ options: RawOptions, _ field: EditionFeatures.OptionsField, syntax: Syntax,
        file: String, symbol: String
    ) throws(DescriptorError) -> EditionFeatures {
        do {
            return try parent.overlaid(with: options, field, syntax: syntax)
        } catch {
            throw DescriptorError(.malformed, file: file, symbol: symbol, error.message)
        }
    }
}
