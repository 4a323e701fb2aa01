/// The resolved language features of one element: what proto2 and proto3 fixed per syntax, and
/// what an editions file (`edition = "2023"`) sets per file, message, oneof, field and enum
/// through `google.protobuf.FeatureSet` in their options.
///
/// Resolution follows `descriptor.proto`: start from the edition's defaults, then each enclosing
/// element's `features` overrides the fields it sets (file → message → nested message → oneof
/// → field; file → message → enum). proto2 and proto3 files cannot set features; their fixed
/// behaviour is expressed as the defaults of `EDITION_PROTO2` and `EDITION_PROTO3`, so the pool
/// derives presence, packing, enum closedness and UTF-8 checking the same way for every file.
///
/// Only the six features of `FeatureSet` itself are read (fields 1–6). Language-specific
/// extensions (`pb.cpp`, `pb.java`) do not change the wire or JSON form and are ignored.
struct EditionFeatures: Hashable, Sendable {
    /// `FeatureSet.FieldPresence` (field 1).
    enum FieldPresence: UInt64 { case explicit = 1, implicit = 2, legacyRequired = 3 }
    /// `FeatureSet.EnumType` (field 2).
    enum EnumType: UInt64 { case open = 1, closed = 2 }
    /// `FeatureSet.RepeatedFieldEncoding` (field 3).
    enum RepeatedFieldEncoding: UInt64 { case packed = 1, expanded = 2 }
    /// `FeatureSet.Utf8Validation` (field 4).
    enum StringValidation: UInt64 { case verify = 2, none = 3 }
    /// `FeatureSet.MessageEncoding` (field 5).
    enum MessageEncoding: UInt64 { case lengthPrefixed = 1, delimited = 2 }

    var fieldPresence: FieldPresence
    var enumType: EnumType
    var repeatedFieldEncoding: RepeatedFieldEncoding
    var utf8Validation: StringValidation
    var messageEncoding: MessageEncoding

    /// `Edition` numbers (`descriptor.proto`).
    static let editionProto2: Int32 = 998
    static let editionProto3: Int32 = 999
    static let edition2023: Int32 = 1000
    static let edition2024: Int32 = 1001

    /// The `features` field of each options message.
    enum OptionsField: UInt32 {
        case file = 50, message = 12, field = 21, oneof = 1, enumeration = 7
    }

    /// The defaults of a file's syntax; nil for an edition whose defaults are not known here.
    static func defaults(for syntax: Syntax) -> EditionFeatures? {
        switch syntax {
        case .proto2:
            EditionFeatures(
                fieldPresence: .explicit, enumType: .closed, repeatedFieldEncoding: .expanded, utf8Validation: .none,
                messageEncoding: .lengthPrefixed)
        case .proto3:
            EditionFeatures(
                fieldPresence: .implicit, enumType: .open, repeatedFieldEncoding: .packed, utf8Validation: .verify,
                messageEncoding: .lengthPrefixed)
        // 2024 changed only naming-style enforcement and symbol visibility, not these five.
        case .editions(let edition) where edition == edition2023 || edition == edition2024:
            EditionFeatures(
                fieldPresence: .explicit, enumType: .open, repeatedFieldEncoding: .packed, utf8Validation: .verify,
                messageEncoding: .lengthPrefixed)
        case .editions:
            nil
        }
    }

    /// These features with the ones `options` sets in its `features` field laid over them.
    /// Files that are not editions cannot set features: for them this is `self`.
    func overlaid(
        with options: RawOptions, _ field: OptionsField, syntax: Syntax
    ) throws(FeatureError) -> EditionFeatures {
        guard case .editions = syntax, !options.isEmpty else { return self }
        let sets: [[UInt8]]
        do {
            sets = try options.lengthDelimitedValues(fieldNumber: field.rawValue)
        } catch {
            throw FeatureError("cannot decode the options' features: \(error)")
        }
        var result = self
        for set in sets {
            try result.apply(RawOptions(set))
        }
        return result
    }

    private mutating func apply(_ set: RawOptions) throws(FeatureError) {
        func value<Value: RawRepresentable<UInt64>>(_ number: UInt32, _ name: String) throws(FeatureError) -> Value? {
            let raw: UInt64?
            do {
                raw = try set.varintValue(fieldNumber: number)
            } catch {
                throw FeatureError("cannot decode features.\(name): \(error)")
            }
            guard let raw else { return nil }
            guard let known = Value(rawValue: raw) else { throw FeatureError("features.\(name) has unknown value \(raw)") }
            return known
        }
        if let presence: FieldPresence = try value(1, "field_presence") { fieldPresence = presence }
        if let type: EnumType = try value(2, "enum_type") { enumType = type }
        if let encoding: RepeatedFieldEncoding = try value(3, "repeated_field_encoding") {
            repeatedFieldEncoding = encoding
        }
        if let validation: StringValidation = try value(4, "utf8_validation") { utf8Validation = validation }
        if let encoding: MessageEncoding = try value(5, "message_encoding") { messageEncoding = encoding }
    }
}

/// A `features` option the pool cannot read; the builder adds the file and symbol.
struct FeatureError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
