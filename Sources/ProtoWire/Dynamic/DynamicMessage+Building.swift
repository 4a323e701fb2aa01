extension DynamicMessage {
    /// Sets singular field `number` (a field of this message or a known extension) to `value`.
    ///
    /// The same rules as decoding apply: the value replaces the previous one, setting a oneof
    /// member clears the others, and a zero value of a proto3 field without presence clears the
    /// field (such a value is never written). A message value replaces, it does not merge.
    ///
    /// A number the schema does not define, a repeated field, or a value of the wrong kind (see
    /// ``DynamicValue``) is a programmer error and traps.
    public mutating func set(_ value: DynamicValue, forField number: Int32) {
        let (traits, layout) = checkedTraits(of: number, for: value)
        precondition(!traits.isRepeated, "field \(number) is repeated; use append(_:toField:)")
        store(value, as: traits, layout: layout)
    }

    /// Appends `value` to repeated field `number` (for a map field, a map-entry message; see
    /// ``appendMapEntry(key:value:toField:)``). Traps on the errors `set(_:forField:)` does.
    public mutating func append(_ value: DynamicValue, toField number: Int32) {
        let (traits, layout) = checkedTraits(of: number, for: value)
        precondition(traits.isRepeated, "field \(number) is not repeated; use set(_:forField:)")
        store(value, as: traits, layout: layout)
    }

    /// Sets the singular field with proto name `name`.
    public mutating func set(_ value: DynamicValue, forField name: String) {
        set(value, forField: fieldNumber(named: name))
    }

    /// Appends to the repeated field with proto name `name`.
    public mutating func append(_ value: DynamicValue, toField name: String) {
        append(value, toField: fieldNumber(named: name))
    }

    /// Appends an entry to the `map<K, V>` field `number`. Entries keep the order they are added
    /// in, also when a key repeats (on decode, protobuf lets the last one win).
    public mutating func appendMapEntry(key: DynamicValue, value: DynamicValue, toField number: Int32) {
        var entry = makeMessage(forField: number)
        precondition(entry.pool.messages[entry.messageIndex].isMapEntry, "field \(number) is not a map")
        entry.set(key, forField: 1)
        entry.set(value, forField: 2)
        append(.message(entry), toField: number)
    }

    /// Removes every value of field `number`.
    public mutating func removeField(_ number: Int32) {
        removeEntries(of: number)
    }

    /// An empty message of the type of message or group field `number` (for a map field, an
    /// empty entry).
    public func makeMessage(forField number: Int32) -> DynamicMessage {
        var hint = 0
        guard let traits = Layout(pool: pool, messageIndex: messageIndex).traits(of: number, hint: &hint),
            traits.messageIndex >= 0
        else { preconditionFailure("field \(number) of \(descriptor.fullName) is not a message field") }
        return DynamicMessage(messageIndex: traits.messageIndex, pool: pool)
    }

    /// An empty message of the type of the message or group field with proto name `name`.
    public func makeMessage(forField name: String) -> DynamicMessage {
        makeMessage(forField: fieldNumber(named: name))
    }

    // MARK: Checks

    private func fieldNumber(named name: String) -> Int32 {
        guard let field = pool.messages[messageIndex].field(named: name) else {
            preconditionFailure("\(descriptor.fullName) has no field named \(name)")
        }
        return field.number
    }

    private func checkedTraits(of number: Int32, for value: DynamicValue) -> (FieldTraits, Layout) {
        let layout = Layout(pool: pool, messageIndex: messageIndex)
        var hint = 0
        guard let traits = layout.traits(of: number, hint: &hint) else {
            preconditionFailure("\(descriptor.fullName) has no field or known extension \(number)")
        }
        precondition(value.fits(traits.type), "\(value) cannot be stored in \(traits.type) field \(number)")
        if let message = value.messageValue {
            precondition(
                message.pool === pool && message.messageIndex == traits.messageIndex,
                "field \(number) needs a message of type \(pool.messages[traits.messageIndex].fullName)")
        }
        return (traits, layout)
    }
}
