extension DescriptorPoolBuilder {
    /// Resolves `name` as protobuf does: a leading dot makes it absolute; otherwise the first
    /// component is looked up from `scope` outwards, and once found, the rest must exist inside
    /// it (protoc does not search further out after the first component matched).
    func resolve(_ name: String, from scope: String) -> (fullName: String, symbol: TypeSymbol)? {
        if name.first == "." {
            let absolute = String(name.dropFirst())
            return typeSymbols[absolute].map { (absolute, $0) }
        }
        let firstComponent = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        var scope = Substring(scope)
        while true {
            if typeSymbols[scoped(String(scope), firstComponent)] != nil {
                let candidate = scoped(String(scope), name)
                return typeSymbols[candidate].map { (candidate, $0) }
            }
            if scope.isEmpty { return nil }
            if let dot = scope.lastIndex(of: ".") {
                scope = scope[..<dot]
            } else {
                scope = ""
            }
        }
    }

    func resolveMessage(at index: Int) throws(DescriptorError) -> MessageDescriptor {
        let pending = pendingMessages[index]
        let raw = pending.raw
        let fileName = rawFiles[pending.fileIndex].name
        var fields: [FieldDescriptor] = []
        var indexByNumber: [Int32: Int] = [:]
        var indexByName: [String: Int] = [:]
        var oneofMembers = Array(repeating: [Int](), count: raw.oneofs.count)
        var oneofFeatures: [EditionFeatures] = []
        for oneof in raw.oneofs {
            oneofFeatures.append(
                try Self.features(
                    pending.features, oneof.options, .oneof, syntax: pending.syntax, file: fileName,
                    symbol: pending.fullName + "." + oneof.name))
        }
        for (fieldIndex, rawField) in raw.fields.enumerated() {
            var features = pending.features
            if let oneof = rawField.oneofIndex, oneofFeatures.indices.contains(Int(oneof)) {
                features = oneofFeatures[Int(oneof)]
            }
            let field = try resolveField(
                rawField, scope: pending.fullName, fullName: pending.fullName + "." + rawField.name,
                fileIndex: pending.fileIndex, syntax: pending.syntax, features: features, oneofCount: raw.oneofs.count,
                inMapEntry: pending.isMapEntry)
            if let previous = indexByNumber[field.number] {
                throw DescriptorError(
                    .invalidField, file: fileName, symbol: field.fullName,
                    "field number \(field.number) is already used by \"\(fields[previous].name)\"")
            }
            indexByNumber[field.number] = fieldIndex
            indexByName[field.name] = fieldIndex
            if let oneof = field.oneofIndex { oneofMembers[oneof].append(fieldIndex) }
            fields.append(field)
        }
        if pending.isMapEntry { try validateMapEntry(fields, message: pending.fullName, fileName: fileName) }
        let oneofs = raw.oneofs.enumerated().map { offset, oneof in
            let members = oneofMembers[offset]
            return OneofDescriptor(
                name: oneof.name, fieldIndices: members,
                isSynthetic: members.count == 1 && fields[members[0]].isProto3Optional, options: oneof.options)
        }
        return MessageDescriptor(
            name: raw.name, fullName: pending.fullName, index: index, fileIndex: pending.fileIndex,
            containingMessageIndex: pending.containingIndex, fields: fields,
            fieldIndicesByNumber: fields.indices.sorted { fields[$0].number < fields[$1].number }, oneofs: oneofs,
            nestedMessageIndices: pending.nestedMessageIndices, nestedEnumIndices: pending.nestedEnumIndices,
            extensionRanges: raw.extensionRanges, reservedRanges: raw.reservedRanges,
            reservedNames: raw.reservedNames, isMapEntry: pending.isMapEntry, syntax: pending.syntax,
            wellKnownType: WellKnownType(rawValue: pending.fullName), options: raw.options,
            fieldIndexByNumber: indexByNumber, fieldIndexByName: indexByName)
    }

    /// A synthesized map entry has exactly `key = 1` and `value = 2`, both optional, with a key of
    /// an integral, bool or string type and a value of any type but group (protoc's rules for
    /// `map<K, V>`); anything else would break every reader of the map.
    func validateMapEntry(_ fields: [FieldDescriptor], message: String, fileName: String) throws(DescriptorError) {
        let allowedKeys: Set<FieldDescriptor.FieldType> = [
            .int32, .int64, .uint32, .uint64, .sint32, .sint64, .fixed32, .fixed64, .sfixed32, .sfixed64, .bool, .string,
        ]
        let shaped =
            fields.count == 2 && fields.allSatisfy { $0.label == .optional }
            && fields.contains { $0.number == 1 && $0.name == "key" && allowedKeys.contains($0.type) }
            && fields.contains { $0.number == 2 && $0.name == "value" && $0.type != .group }
        guard shaped else {
            throw DescriptorError(
                .invalidField, file: fileName, symbol: message,
                "a map entry needs exactly an optional integral, bool or string `key = 1` and an optional non-group `value = 2`")
        }
    }

    func resolveField(
        _ raw: DescriptorProto.Field, scope: String, fullName: String, fileIndex: Int, syntax: Syntax,
        features scopeFeatures: EditionFeatures, oneofCount: Int, inMapEntry: Bool = false
    ) throws(DescriptorError) -> FieldDescriptor {
        let fileName = rawFiles[fileIndex].name
        let features = try Self.features(
            scopeFeatures, raw.options, .field, syntax: syntax, file: fileName, symbol: fullName)
        func fail(_ code: DescriptorError.Code, _ message: String) -> DescriptorError {
            DescriptorError(code, file: fileName, symbol: fullName, message)
        }
        guard raw.number >= 1 && UInt32(raw.number) <= FieldTag.maximumFieldNumber else {
            throw fail(.invalidField, "field number \(raw.number) is outside 1...\(FieldTag.maximumFieldNumber)")
        }
        guard var label = FieldDescriptor.Label(rawValue: raw.label) else {
            throw fail(.invalidField, "unknown label \(raw.label)")
        }
        // Editions spell `required` as a feature.
        if label == .optional && features.fieldPresence == .legacyRequired { label = .required }
        var type: FieldDescriptor.FieldType?
        if let rawType = raw.type {
            guard let known = FieldDescriptor.FieldType(rawValue: rawType) else {
                throw fail(.invalidField, "unknown type \(rawType)")
            }
            type = known
        }
        var typeName: String?
        var messageIndex: Int?
        var enumIndex: Int?
        if let name = raw.typeName, !name.isEmpty {
            guard let (resolvedName, symbol) = resolve(name, from: scope) else {
                throw fail(.unresolvedType, "type \"\(name)\" is not defined")
            }
            typeName = resolvedName
            switch (symbol, type) {
            case (.message(let index), nil), (.message(let index), .message?), (.message(let index), .group?):
                messageIndex = index
                type = type ?? .message
            case (.enumeration(let index), nil), (.enumeration(let index), .enum?):
                enumIndex = index
                type = .enum
            default:
                throw fail(.wrongTypeKind, "\"\(resolvedName)\" is not a type this field can have")
            }
        }
        guard var type else { throw fail(.invalidField, "field has neither a type nor a type name") }
        if (type == .message || type == .group || type == .enum) && typeName == nil {
            throw fail(.unresolvedType, "a \(type) field needs a type name")
        }
        var extendeeName: String?
        var extendeeIndex: Int?
        if let extendee = raw.extendee {
            guard let (resolvedName, symbol) = resolve(extendee, from: scope) else {
                throw fail(.unresolvedType, "extended type \"\(extendee)\" is not defined")
            }
            guard case .message(let index) = symbol else {
                throw fail(.wrongTypeKind, "extended type \"\(resolvedName)\" is not a message")
            }
            extendeeName = resolvedName
            extendeeIndex = index
        }
        if let oneof = raw.oneofIndex, oneof < 0 || Int(oneof) >= oneofCount {
            throw DescriptorError(
                .invalidOneof, file: fileName, symbol: fullName, "oneof_index \(oneof) names no oneof of the message")
        }
        let packedOption: Bool?
        do {
            packedOption = try raw.options.boolValue(fieldNumber: 2)  // FieldOptions.packed
        } catch {
            throw DescriptorError(
                .malformed, file: fileName, symbol: fullName, "cannot decode FieldOptions: \(error)", wireError: error)
        }
        let isRepeated = label == .repeated
        let isMap = isRepeated && type == .message && messageIndex.map { pendingMessages[$0].isMapEntry } == true
        // Editions spell groups as message fields with delimited encoding; a map's entries and
        // their values stay length-prefixed whatever the features say.
        if type == .message && features.messageEncoding == .delimited && !isMap && !inMapEntry { type = .group }
        return FieldDescriptor(
            name: raw.name, fullName: fullName, number: raw.number, label: label, type: type, typeName: typeName,
            messageIndex: messageIndex, enumIndex: enumIndex, jsonName: raw.jsonName ?? protocJSONName(raw.name),
            hasExplicitJSONName: raw.jsonName != nil && raw.jsonName != protocJSONName(raw.name),
            oneofIndex: raw.oneofIndex.map(Int.init), isProto3Optional: raw.proto3Optional,
            defaultValue: raw.defaultValue, packedOption: packedOption,
            isPacked: isRepeated && type.isPackable && (packedOption ?? (features.repeatedFieldEncoding == .packed)),
            isMap: isMap,
            hasPresence: !isRepeated
                && (type == .message || type == .group || raw.oneofIndex != nil || features.fieldPresence != .implicit
                    || raw.proto3Optional),
            validatesUTF8: type == .string && features.utf8Validation == .verify,
            extendee: extendeeName, extendeeIndex: extendeeIndex, options: raw.options)
    }

    func makeEnum(_ pending: PendingEnum, index: Int) -> EnumDescriptor {
        let raw = pending.raw
        var byName: [String: Int] = [:]
        var byNumber: [Int32: Int] = [:]
        for (offset, value) in raw.values.enumerated() {
            byName[value.name] = offset
            if byNumber[value.number] == nil { byNumber[value.number] = offset }
        }
        return EnumDescriptor(
            name: raw.name, fullName: pending.fullName, index: index, fileIndex: pending.fileIndex,
            containingMessageIndex: pending.containingIndex,
            values: raw.values.map { .init(name: $0.name, number: $0.number, options: $0.options) },
            allowsAlias: (try? raw.options.boolValue(fieldNumber: 2)) == true,  // EnumOptions.allow_alias
            isClosed: pending.features.enumType == .closed, reservedRanges: raw.reservedRanges,
            reservedNames: raw.reservedNames, options: raw.options, valueIndexByName: byName,
            firstValueIndexByNumber: byNumber)
    }

    func resolveService(
        _ raw: DescriptorProto.Service, package: String, fileIndex: Int, index: Int
    ) throws(DescriptorError) -> ServiceDescriptor {
        let fullName = scoped(package, raw.name)
        let fileName = rawFiles[fileIndex].name
        var methods: [MethodDescriptor] = []
        for method in raw.methods {
            let methodName = fullName + "." + method.name
            func messageType(_ name: String, role: String) throws(DescriptorError) -> (String, Int) {
                guard let (resolvedName, symbol) = resolve(name, from: fullName) else {
                    throw DescriptorError(
                        .unresolvedType, file: fileName, symbol: methodName, "\(role) type \"\(name)\" is not defined")
                }
                guard case .message(let index) = symbol else {
                    throw DescriptorError(
                        .wrongTypeKind, file: fileName, symbol: methodName,
                        "\(role) type \"\(resolvedName)\" is not a message")
                }
                return (resolvedName, index)
            }
            let (inputName, inputIndex) = try messageType(method.inputType, role: "input")
            let (outputName, outputIndex) = try messageType(method.outputType, role: "output")
            methods.append(
                MethodDescriptor(
                    name: method.name, fullName: methodName, serviceIndex: index, inputTypeName: inputName,
                    inputIndex: inputIndex, outputTypeName: outputName, outputIndex: outputIndex,
                    isClientStreaming: method.clientStreaming, isServerStreaming: method.serverStreaming,
                    options: method.options, grpcPath: "/\(fullName)/\(method.name)"))
        }
        return ServiceDescriptor(
            name: raw.name, fullName: fullName, index: index, fileIndex: fileIndex, methods: methods,
            options: raw.options)
    }
}
