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
