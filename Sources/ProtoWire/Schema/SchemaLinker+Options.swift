/// Option interpretation, as protoc's `OptionInterpreter` does it, so the option bytes come out
/// byte for byte as protoc writes them.
///
/// Each option statement is encoded on its own, nested through its name path (`(a).b.c = 1` is
/// field `a` holding a message holding `b` holding `c`). Options that `descriptor.proto` itself
/// declares (`java_package`, `deprecated`, `packed`, …) are then written in field-number order,
/// since protoc re-parses them into known fields; custom options (extensions such as
/// `google.api.http`) follow as unknown fields in declaration order.
extension SchemaLinker {
    mutating func interpretOptions(_ file: inout DescriptorProto.File) {
        file.options = interpret(tree.options, type: "FileOptions", scope: tree.package)
        for index in file.messages.indices {
            interpretMessage(tree.messages[index], &file.messages[index], scope: tree.package)
        }
        for index in file.enums.indices { interpretEnum(tree.enums[index], &file.enums[index], scope: tree.package) }
        for index in file.extensions.indices {
            file.extensions[index].options = interpret(
                tree.extensions[index].options, type: "FieldOptions", scope: tree.package)
        }
        for (index, service) in tree.services.enumerated() {
            let scope = Self.scoped(tree.package, service.name)
            file.services[index].options = interpret(service.options, type: "ServiceOptions", scope: scope)
            for (methodIndex, method) in service.methods.enumerated() {
                file.services[index].methods[methodIndex].options = interpret(
                    method.options, type: "MethodOptions", scope: scope)
            }
        }
    }

    private mutating func interpretMessage(
        _ message: Tree.Message, _ result: inout DescriptorProto.Message, scope: String
    ) {
        let fullName = Self.scoped(scope, message.name)
        if !message.isMapEntry { result.options = interpret(message.options, type: "MessageOptions", scope: fullName) }
        for index in result.fields.indices {
            result.fields[index].options = interpret(
                message.fields[index].options, type: "FieldOptions", scope: fullName)
        }
        for index in result.extensions.indices {
            result.extensions[index].options = interpret(
                message.extensions[index].options, type: "FieldOptions", scope: fullName)
        }
        for index in result.oneofs.indices {
            result.oneofs[index].options = interpret(
                message.oneofs[index].options, type: "OneofOptions", scope: fullName)
        }
        for range in message.extensionRanges where !range.options.isEmpty {
            _ = interpret(range.options, type: "ExtensionRangeOptions", scope: fullName)
        }
        for index in result.nestedMessages.indices {
            interpretMessage(message.nested[index], &result.nestedMessages[index], scope: fullName)
        }
        for index in result.enums.indices { interpretEnum(message.enums[index], &result.enums[index], scope: fullName) }
    }

    private mutating func interpretEnum(_ item: Tree.Enum, _ result: inout DescriptorProto.Enum, scope: String) {
        let fullName = Self.scoped(scope, item.name)
        result.options = interpret(item.options, type: "EnumOptions", scope: fullName)
        for index in result.values.indices {
            result.values[index].options = interpret(
                item.values[index].options, type: "EnumValueOptions", scope: fullName)
        }
    }

    /// A message's definition: linked from the files so far, else from the bundled descriptor.proto.
    func messageDefinition(_ fullName: String) -> SchemaLinkState.LinkedMessage? {
        state.messages[fullName] ?? state.builtinMessages[fullName]
    }

    /// Encodes the options of one element into the bytes of its `*Options` message.
    mutating func interpret(_ options: [Tree.Option], type: String, scope: String) -> RawOptions {
        if options.isEmpty { return RawOptions() }
        var known: [(number: Int32, bytes: [UInt8])] = []
        var custom: [UInt8] = []
        var all: [UInt8] = []  // every option so far, in declaration order (protoc's unknown-field set)
        for option in options {
            let display = option.name.map { $0.isExtension ? "(\($0.name))" : $0.name }.joined(separator: ".")
            guard
                let (path, bytes) = encodeOption(
                    option, optionsType: "google.protobuf." + type, scope: scope,
                    display: display)
            else { continue }
            if path.last!.label != 3 && Self.isSet(path.dropLast(), innermost: path.last!.number, in: all) {
                error("option \"\(display)\" was already set", at: option.location)
                continue
            }
            all += bytes
            if option.name[0].isExtension {
                custom += bytes
            } else {
                known.append((path[0].number, bytes))
            }
        }
        var bytes: [UInt8] = []
        for entry in known.enumerated().sorted(by: { ($0.element.number, $0.offset) < ($1.element.number, $1.offset) })
        {
            bytes += entry.element.bytes
        }
        return RawOptions(bytes + custom)
    }

    /// protoc's `ExamineIfOptionIsSet`: whether the option bytes so far already hold the field at
    /// the end of `intermediates` (message fields followed into their encoded values).
    static func isSet(_ intermediates: ArraySlice<DescriptorProto.Field>, innermost: Int32, in bytes: [UInt8]) -> Bool {
        var found = false
        try? WireReader.withReader(over: bytes) { (reader: inout WireReader) throws(WireDecodingError) in
            while let tag = try reader.readTag() {
                if let first = intermediates.first {
                    if tag.fieldNumber == UInt32(first.number) && tag.wireType == .lengthDelimited && first.type == 11 {
                        if isSet(intermediates.dropFirst(), innermost: innermost, in: try reader.readByteArray()) {
                            found = true
                        }
                        continue
                    }
                } else if tag.fieldNumber == UInt32(innermost) {
                    found = true
                }
                try reader.skipField(tag)
            }
        }
        return found
    }

    /// The option's name path resolved to fields, and the encoded option (tag and value, wrapped
    /// through its name path).
    private mutating func encodeOption(_ option: Tree.Option, optionsType: String, scope: String, display: String)
        -> ([DescriptorProto.Field], [UInt8])?
    {
        var messageName = optionsType
        var path: [DescriptorProto.Field] = []
        for (index, part) in option.name.enumerated() {
            let field: DescriptorProto.Field
            if part.isExtension {
                guard let found = findExtension(part.name, scope: scope, at: part.location) else { return nil }
                guard found.extendee == "." + messageName else {
                    error(
                        "option \"(\(part.name))\" extends \"\(found.extendee.map { String($0.dropFirst()) } ?? "")\", "
                            + "not \"\(messageName)\"", at: part.location)
                    return nil
                }
                field = found
            } else {
                guard let message = messageDefinition(messageName),
                    let found = message.proto.fields.first(where: { $0.name == part.name })
                else {
                    let suggestion = SchemaSymbolTable.didYouMean(
                        part.name, among: messageDefinition(messageName)?.proto.fields.map(\.name) ?? [])
                    error(
                        (index == 0
                            ? "option \"\(part.name)\" unknown"
                            : "\"\(messageName)\" has no field named \"\(part.name)\"") + suggestion,
                        at: part.location)
                    return nil
                }
                field = found
            }
            if index < option.name.count - 1 {
                guard field.type == 11 || field.type == 10, let typeName = field.typeName else {
                    error("option \"\(display)\" is an atomic type, not a message", at: part.location)
                    return nil
                }
                if field.label == 3 {
                    error(
                        "option field \"\(part.name)\" is a repeated message; set it whole with an aggregate value",
                        at: part.location)
                    return nil
                }
                messageName = String(typeName.dropFirst())
            }
            path.append(field)
        }
        guard var bytes = encodeOptionValue(option.value, field: path.last!, display: display, at: option.valueLocation)
        else { return nil }
        for field in path.dropLast().reversed() {
            var writer = WireWriter(capacity: bytes.count + 8)
            if field.type == 10 {
                writer.writeGroup(fieldNumber: UInt32(field.number)) { $0.writeRaw(bytes) }
            } else {
                writer.writeTag(fieldNumber: UInt32(field.number), wireType: .lengthDelimited)
                writer.writeLengthDelimited(bytes)
            }
            bytes = writer.bytes
        }
        return (path, bytes)
    }

    /// An extension named in an option, looked up from the option's scope outwards.
    mutating func findExtension(_ name: String, scope: String, at location: SchemaLocation) -> DescriptorProto.Field? {
        switch state.symbols.lookup(name, scope: scope, visible: visible, typesOnly: false) {
        case .found(let fullName, let symbol) where symbol.kind == .extension:
            if let linked = state.extensions[fullName] { return linked.field }
            error("option \"(\(name))\" is used before its extension is linked", at: location)
        case .found(let fullName, let symbol):
            error("option \"(\(name))\" names \(fullName), a \(symbol.kind.noun), not an extension", at: location)
        case .notImported(let fullName, let file):
            error(
                "option \"(\(name))\" is \"\(fullName)\", defined in \"\(fileNames[file])\", which is not imported by \"\(tree.name)\"",
                at: location)
        case .notFound:
            let wanted = name.split(separator: ".").last.map(String.init) ?? name
            let known = state.extensions.filter { visible.contains($0.value.file) }.keys.map {
                $0.split(separator: ".").last.map(String.init) ?? $0
            }
            error(
                "option \"(\(name))\" unknown\(SchemaSymbolTable.didYouMean(wanted, among: known.sorted())); ensure that "
                    + "your proto definition file imports the proto which defines the option",
                at: location)
        }
        return nil
    }

    /// An option statement's value converted to the field's type: the field's tag and value.
    private mutating func encodeOptionValue(
        _ value: Tree.Value, field: DescriptorProto.Field, display: String, at location: SchemaLocation
    ) -> [UInt8]? {
        if case .aggregate(let fields) = value {
            guard field.type == 11 || field.type == 10, let typeName = field.typeName else {
                error("option \"\(display)\" is not a message; it cannot take an aggregate value", at: location)
                return nil
            }
            guard let payload = encodeAggregate(fields, messageName: String(typeName.dropFirst()), at: location)
            else { return nil }
            var writer = WireWriter(capacity: payload.count + 8)
            if field.type == 10 {
                writer.writeGroup(fieldNumber: UInt32(field.number)) { $0.writeRaw(payload) }
            } else {
                writer.writeTag(fieldNumber: UInt32(field.number), wireType: .lengthDelimited)
                writer.writeLengthDelimited(payload)
            }
            return writer.bytes
        }
        if field.type == 11 || field.type == 10 {
            error(
                "option \"\(display)\" is a message; to set the entire message, use syntax like "
                    + "\"\(display) = { <proto text format> }\"; to set fields within it, use syntax like \"\(display).foo = value\"",
                at: location)
            return nil
        }
        return encodeScalar(value, field: field, what: "option \"\(display)\"", textFormat: false, at: location)
    }
}
