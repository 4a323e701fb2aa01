import Testing

@testable import ProtoWire

/// Building a pool rejects broken schemas with an error naming the file and the symbol.
@Suite("DescriptorPool validation")
struct DescriptorPoolValidationTests {
    static func file(
        _ name: String, package: String = "demo", dependencies: [String] = [], messages: [DescriptorProto.Message] = [],
        enums: [DescriptorProto.Enum] = [], services: [DescriptorProto.Service] = []
    ) -> DescriptorProto.File {
        var file = DescriptorProto.File()
        file.name = name
        file.package = package
        file.syntax = "proto3"
        file.dependencies = dependencies
        file.messages = messages
        file.enums = enums
        file.services = services
        return file
    }

    static func message(_ name: String, fields: [DescriptorProto.Field] = [], nested: [DescriptorProto.Message] = [])
        -> DescriptorProto.Message
    {
        var message = DescriptorProto.Message()
        message.name = name
        message.fields = fields
        message.nestedMessages = nested
        return message
    }

    static func field(_ name: String, _ number: Int32, type: Int32? = 9, typeName: String? = nil) -> DescriptorProto.Field {
        var field = DescriptorProto.Field()
        field.name = name
        field.number = number
        field.type = type
        field.typeName = typeName
        return field
    }

    static func expectError(
        _ files: [DescriptorProto.File], code: DescriptorError.Code, file: String, symbol: String, message: String
    ) {
        let error = #expect(throws: DescriptorError.self) { try DescriptorPool(files: files) }
        #expect(error?.code == code)
        #expect(error?.file == file)
        #expect(error?.symbol == symbol)
        #expect(error?.message == message)
    }

    @Test func missingDependency() {
        Self.expectError(
            [Self.file("a.proto", dependencies: ["b.proto"])], code: .missingDependency, file: "a.proto",
            symbol: "b.proto",
            message: "imports \"b.proto\", which is not in the descriptor set (run protoc with --include_imports)")
    }

    @Test func duplicateSymbolAcrossFiles() {
        Self.expectError(
            [Self.file("a.proto", messages: [Self.message("Book")]), Self.file("b.proto", messages: [Self.message("Book")])],
            code: .duplicateSymbol, file: "b.proto", symbol: "demo.Book",
            message: "\"demo.Book\" is already defined (first defined in a.proto)")
    }

    @Test func duplicateFieldNameInMessage() {
        Self.expectError(
            [Self.file("a.proto", messages: [Self.message("Book", fields: [Self.field("x", 1), Self.field("x", 2)])])],
            code: .duplicateSymbol, file: "a.proto", symbol: "demo.Book.x", message: "\"demo.Book.x\" is already defined")
    }

    @Test func unresolvedTypeName() {
        Self.expectError(
            [Self.file("a.proto", messages: [Self.message("Book", fields: [Self.field("s", 1, type: 11, typeName: "Shelf")])])],
            code: .unresolvedType, file: "a.proto", symbol: "demo.Book.s", message: "type \"Shelf\" is not defined")
    }

    @Test func duplicateFieldNumber() {
        Self.expectError(
            [Self.file("a.proto", messages: [Self.message("Book", fields: [Self.field("a", 3), Self.field("b", 3)])])],
            code: .invalidField, file: "a.proto", symbol: "demo.Book.b",
            message: "field number 3 is already used by \"a\"")
    }

    @Test func fieldNumberOutOfRange() {
        Self.expectError(
            [Self.file("a.proto", messages: [Self.message("Book", fields: [Self.field("a", 536_870_912)])])],
            code: .invalidField, file: "a.proto", symbol: "demo.Book.a",
            message: "field number 536870912 is outside 1...536870911")
    }

    @Test func methodInputMustBeAMessage() {
        var method = DescriptorProto.Method()
        method.name = "Get"
        method.inputType = ".demo.Kind"
        method.outputType = ".demo.Book"
        var service = DescriptorProto.Service()
        service.name = "Library"
        service.methods = [method]
        var kind = DescriptorProto.Enum()
        kind.name = "Kind"
        var zero = DescriptorProto.EnumValue()
        zero.name = "KIND_UNSPECIFIED"
        kind.values = [zero]
        Self.expectError(
            [Self.file("a.proto", messages: [Self.message("Book")], enums: [kind], services: [service])],
            code: .wrongTypeKind, file: "a.proto", symbol: "demo.Library.Get",
            message: "input type \"demo.Kind\" is not a message")
    }

    @Test func malformedBytes() {
        let error = #expect(throws: DescriptorError.self) { try DescriptorPool(fileDescriptorSet: [0x0a, 0x05, 0x01]) }
        #expect(error?.code == .malformed)
        #expect(error?.wireError?.code == .lengthOutOfBounds)
    }

    /// Relative names resolve innermost scope first, as protoc does; a leading dot is absolute.
    @Test func scopedNameResolution() throws {
        let inner = Self.message("Item")
        let outerItem = Self.message("Item")
        let holder = Self.message(
            "Holder",
            fields: [
                Self.field("near", 1, type: nil, typeName: "Item"),
                Self.field("far", 2, type: nil, typeName: ".demo.Item"),
                Self.field("qualified", 3, type: nil, typeName: "Holder.Item"),
            ],
            nested: [inner])
        let pool = try DescriptorPool(files: [Self.file("a.proto", messages: [holder, outerItem])])
        let message = try #require(pool.message(named: "demo.Holder"))
        #expect(message.field(named: "near")?.typeName == "demo.Holder.Item")
        #expect(message.field(named: "far")?.typeName == "demo.Item")
        #expect(message.field(named: "qualified")?.typeName == "demo.Holder.Item")
        #expect(message.field(named: "near")?.type == .message)
    }

    @Test(arguments: [
        ("foo_bar", "fooBar"), ("foo", "foo"), ("_foo", "Foo"), ("foo__bar", "fooBar"), ("foo_", "foo"),
        ("field2x_3y", "field2x3y"), ("FooBar", "FooBar"),
    ])
    func derivedJSONNameMatchesProtoc(_ name: String, _ json: String) {
        #expect(protocJSONName(name) == json)
    }
}

extension DescriptorPoolValidationTests {
    static func mapEntry(key: Int32, value: Int32) -> DescriptorProto.Message {
        var entry = message("ThingsEntry", fields: [field("key", 1, type: key), field("value", 2, type: value)])
        entry.options = RawOptions([0x38, 0x01])  // MessageOptions.map_entry = true
        return entry
    }

    /// A map entry whose shape no map can have is refused at load time, not at the first request
    /// (found by review: a group-typed value trapped in the encoder).
    @Test(arguments: [
        (Int32(9), Int32(10)),  // value is a group
        (2, 9),  // float key
        (12, 9),  // bytes key
    ])
    func malformedMapEntryIsRejected(_ key: Int32, _ value: Int32) {
        var things = Self.field("things", 1, type: 11, typeName: "Holder.ThingsEntry")
        things.label = 3
        var valueField = Self.mapEntry(key: key, value: value)
        if value == 10 { valueField.fields[1].typeName = "Holder" }
        let holder = Self.message("Holder", fields: [things], nested: [valueField])
        Self.expectError(
            [Self.file("a.proto", messages: [holder])], code: .invalidField, file: "a.proto",
            symbol: "demo.Holder.ThingsEntry",
            message: "a map entry needs exactly an optional integral, bool or string `key = 1` and an optional non-group `value = 2`")
    }

    @Test func wellFormedMapEntryIsAccepted() throws {
        var things = Self.field("things", 1, type: 11, typeName: "Holder.ThingsEntry")
        things.label = 3
        let holder = Self.message("Holder", fields: [things], nested: [Self.mapEntry(key: 9, value: 5)])
        let pool = try DescriptorPool(files: [Self.file("a.proto", messages: [holder])])
        #expect(pool.message(named: "demo.Holder")?.field(named: "things")?.isMap == true)
    }
}

extension DescriptorPoolValidationTests {
    @Test func duplicateExtensionNumberIsRejected() {
        var base = Self.message("Base")
        base.extensionRanges = [100...199]
        var first = Self.field("first", 100, type: 5)
        first.extendee = ".demo.Base"
        var second = Self.field("second", 100, type: 5)
        second.extendee = ".demo.Base"
        var file = Self.file("a.proto", messages: [base])
        file.syntax = "proto2"
        file.extensions = [first, second]
        Self.expectError(
            [file], code: .invalidField, file: "a.proto", symbol: "demo.second",
            message: "extension number 100 of demo.Base is already used by demo.first")
    }
}
