import Foundation
import Testing

@testable import ProtoWire

@Suite("DescriptorPool")
struct DescriptorPoolTests {
    /// Every checked-in descriptor set, including protoc's own `google/protobuf/*.proto`.
    static let sets = ["bookstore", "kitchen_sink", "google_api", "wellknown", "routing", "routing_invalid"]

    /// The pool resolves every file, message, field, enum, service and method exactly as
    /// Python's protobuf runtime does (listings made by `scripts/describe-descriptor-set.py`).
    @Test(arguments: sets)
    func matchesPythonProtobuf(_ set: String) throws {
        let pool = try RepoPaths.pool("\(set).pb")
        let expected = try String(
            contentsOf: RepoPaths.root.appendingPathComponent("Tests/ProtoWireTests/PoolListings/\(set).txt"),
            encoding: .utf8
        ).split(separator: "\n").map(String.init)
        let actual = PoolListing.render(pool)
        #expect(actual.count == expected.count)
        for (ours, theirs) in zip(actual, expected) where ours != theirs {
            Issue.record("ours:   \(ours)\ntheirs: \(theirs)")
            break
        }
    }

    @Test(arguments: sets)
    func findsEverySymbolByName(_ set: String) throws {
        let pool = try RepoPaths.pool("\(set).pb")
        for message in pool.messages {
            #expect(pool.message(named: message.fullName)?.index == message.index)
            #expect(pool.message(named: "." + message.fullName)?.index == message.index)
            for field in message.fields {
                #expect(message.field(number: field.number)?.name == field.name)
                #expect(message.field(named: field.name)?.number == field.number)
            }
        }
        for enumeration in pool.enums {
            #expect(pool.enumType(named: enumeration.fullName)?.index == enumeration.index)
        }
        for service in pool.services {
            #expect(pool.service(named: service.fullName)?.index == service.index)
            for method in service.methods {
                #expect(pool.method(named: method.fullName) == method)
            }
        }
        for file in pool.files {
            #expect(pool.file(named: file.name) == file)
        }
    }

    @Test func kitchenSinkDetails() throws {
        let pool = try RepoPaths.pool("kitchen_sink.pb")
        let sink = try #require(pool.message(named: "example.kitchen_sink.v1.KitchenSink"))
        #expect(sink.syntax == .proto3)
        let renamed = try #require(sink.field(named: "renamed_int32"))
        #expect(renamed.jsonName == "customInt32")
        #expect(renamed.hasExplicitJSONName)
        let map = try #require(sink.field(named: "map_int32_enum"))
        #expect(map.isMap)
        let entry = pool.messages[try #require(map.messageIndex)]
        #expect(entry.isMapEntry)
        #expect(entry.mapKeyField?.type == .int32)
        #expect(entry.mapValueField?.type == .enum)
        let optional = try #require(sink.field(named: "opt_int32"))
        #expect(optional.isProto3Optional)
        #expect(sink.oneofs[try #require(optional.oneofIndex)].isSynthetic)
        #expect(sink.field(named: "choice_string").map { sink.oneofs[$0.oneofIndex!].isSynthetic } == false)
        #expect(sink.field(named: "unpacked_int32")?.isPacked == false)
        #expect(sink.field(named: "repeated_int32")?.isPacked == true)
        #expect(sink.field(named: "repeated_string")?.isPacked == false)
        #expect(pool.message(named: "google.protobuf.Timestamp")?.wellKnownType == .timestamp)
        #expect(pool.message(named: "google.protobuf.BytesValue")?.wellKnownType?.isWrapper == true)
        let numbers = sink.fieldIndicesByNumber.map { sink.fields[$0].number }
        #expect(numbers == numbers.sorted())

        let nestedEnum = try #require(pool.enumType(named: "example.kitchen_sink.v1.KitchenSink.NestedEnum"))
        #expect(nestedEnum.allowsAlias)
        #expect(nestedEnum.value(number: 2)?.name == "NESTED_ENUM_BAR")
        #expect(nestedEnum.value(named: "NESTED_ENUM_BAR_ALIAS")?.number == 2)

        let legacy = try #require(pool.message(named: "example.kitchen_sink.v1.LegacyMessage"))
        #expect(legacy.syntax == .proto2)
        #expect(legacy.field(number: 1)?.label == .required)
        #expect(legacy.field(number: 15)?.type == .group)
        #expect(!legacy.extensionRanges.isEmpty)
        #expect(legacy.fields.contains { $0.defaultValue == "-42" })
        #expect(pool.enumType(named: "example.kitchen_sink.v1.LegacyEnum")?.isClosed == true)
        #expect(pool.extension(of: legacy.index, number: 100)?.name == "ext_int32")
    }

    /// The raw method options carry the `google.api.http` extension (field 72295728) intact.
    @Test func methodOptionsKeepTheHTTPRule() throws {
        let pool = try RepoPaths.pool("bookstore.pb")
        let method = try #require(pool.method(named: "example.bookstore.v1.Bookstore.GetBook"))
        #expect(method.grpcPath == "/example.bookstore.v1.Bookstore/GetBook")
        let rules = try method.options.lengthDelimitedValues(fieldNumber: 72_295_728)
        #expect(rules.count == 1)
        let rule = try #require(rules.first)
        let (get, bindings) = try WireReader.withReader(over: rule) { reader in
            var get = ""
            var bindings = 0
            while let tag = try reader.readTag() {
                switch tag.fieldNumber {
                case 2: get = try reader.readString()  // HttpRule.get
                case 11: bindings += 1; try reader.skipField(tag)  // HttpRule.additional_bindings
                default: try reader.skipField(tag)
                }
            }
            return (get, bindings)
        }
        #expect(get == "/v1/shelves/{shelf}/books/{book}")
        #expect(bindings == 2)
        let unannotated = try #require(pool.method(named: "example.bookstore.v1.Bookstore.ReindexShelves"))
        #expect(try unannotated.options.lengthDelimitedValues(fieldNumber: 72_295_728).isEmpty)
    }

    @Test func mergedSetsShareIdenticalFiles() throws {
        let files =
            try DescriptorProto.decodeFileDescriptorSet(RepoPaths.descriptorSet("bookstore.pb"))
            + DescriptorProto.decodeFileDescriptorSet(RepoPaths.descriptorSet("google_api.pb"))
        let pool = try DescriptorPool(files: files)
        #expect(pool.file(named: "google/api/annotations.proto") != nil)
        #expect(pool.files.count == Set(files.map(\.name)).count)
    }
}
