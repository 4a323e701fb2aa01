import ProtoWire

extension FieldPath {
    /// Why a dotted name does not resolve.
    enum ResolutionFailure: Error {
        /// No field `name` in message `message` (full name).
        case unknownField(name: String, message: String)
        /// `name` is followed by more names but is not a singular message field.
        case notAMessage(name: String)
    }

    /// Resolves dotted `names` from message `messageIndex`. With `acceptJSONNames`, each name may
    /// be the proto name or the JSON name (ProtoJSON: parsers accept both).
    static func resolve(
        _ names: some Sequence<Substring>, from messageIndex: Int, pool: DescriptorPool, acceptJSONNames: Bool
    ) -> Result<FieldPath, ResolutionFailure> {
        var fields: [FieldDescriptor] = []
        var message = pool.messages[messageIndex]
        for name in names {
            if let previous = fields.last {
                guard previous.type == .message, !previous.isRepeated, let next = previous.messageIndex,
                    pool.messages[next].wellKnownType == nil
                else { return .failure(.notAMessage(name: FieldPath(fields).description)) }
                message = pool.messages[next]
            }
            let found =
                message.fields.first { $0.name == name }
                ?? (acceptJSONNames ? message.fields.first { $0.jsonName == name } : nil)
            guard let field = found else {
                return .failure(.unknownField(name: String(name), message: message.fullName))
            }
            fields.append(field)
        }
        return .success(FieldPath(fields))
    }

    /// Whether the leaf can be written from one piece of text: a scalar, an enum, or a
    /// well-known type whose ProtoJSON form is a string or number (wrappers, `Timestamp`,
    /// `Duration`, `FieldMask`).
    func leafTakesText(pool: DescriptorPool) -> Bool {
        Self.takesText(leaf, pool: pool)
    }

    static func takesText(_ field: FieldDescriptor, pool: DescriptorPool) -> Bool {
        switch field.type {
        case .group: return false
        case .message:
            guard let index = field.messageIndex, let known = pool.messages[index].wellKnownType else { return false }
            return known.isWrapper || known == .timestamp || known == .duration || known == .fieldMask
        default: return true
        }
    }
}
