import ProtoWire

/// Renders a pool in the listing format of `scripts/describe-descriptor-set.py`, which prints
/// what Python's protobuf runtime resolves from the same descriptor set.
enum PoolListing {
    static func render(_ pool: DescriptorPool) -> [String] {
        var lines: [String] = []
        for file in pool.files {
            let syntax: String =
                switch file.syntax {
                case .proto2: "proto2"
                case .proto3: "proto3"
                case .editions: "editions"
                }
            let deps = file.dependencies.isEmpty ? "-" : file.dependencies.joined(separator: ",")
            lines.append("file \(file.name) package=\(file.package.isEmpty ? "-" : file.package) syntax=\(syntax) deps=\(deps)")
        }
        for message in pool.messages {
            lines.append("message \(message.fullName) map_entry=\(message.isMapEntry ? 1 : 0)")
            for field in message.fields {
                lines.append(fieldLine("field", field, oneofs: message.oneofs))
            }
        }
        for field in pool.extensions {
            lines.append(fieldLine("extension", field, oneofs: []))
        }
        for enumeration in pool.enums {
            let values = enumeration.values.map { "\($0.name)=\($0.number)" }.joined(separator: ",")
            lines.append("enum \(enumeration.fullName) closed=\(enumeration.isClosed ? 1 : 0) values=\(values)")
        }
        for service in pool.services {
            lines.append("service \(service.fullName)")
            for method in service.methods {
                lines.append(
                    "method \(method.fullName) in=\(method.inputTypeName) out=\(method.outputTypeName) "
                        + "client_streaming=\(method.isClientStreaming ? 1 : 0) "
                        + "server_streaming=\(method.isServerStreaming ? 1 : 0)")
            }
        }
        return lines.sorted()
    }

    private static func fieldLine(_ kind: String, _ field: FieldDescriptor, oneofs: [OneofDescriptor]) -> String {
        let label: String =
            switch field.label {
            case .optional: "optional"
            case .required: "required"
            case .repeated: "repeated"
            }
        let oneof = field.oneofIndex.map { oneofs[$0].name } ?? "-"
        var line =
            "\(kind) \(field.fullName) #\(field.number) \(label) \(field.type) type=\(field.typeName ?? "-") "
            + "json=\(field.jsonName) oneof=\(oneof) presence=\(field.hasPresence ? 1 : 0) packed=\(field.isPacked ? 1 : 0)"
        if let extendee = field.extendee { line += " extendee=\(extendee)" }
        return line
    }
}
