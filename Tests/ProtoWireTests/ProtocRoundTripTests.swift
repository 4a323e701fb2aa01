import Foundation
import ProtoWire
import Testing

/// Checks ``DynamicMessage`` field for field and byte for byte against protoc 3.21, over every
/// fixture in `Fixtures/` (see the README there) and over messages built in code.
@Suite("protoc round trip")
struct ProtocRoundTripTests {
    static let pool: DescriptorPool? = try? RepoPaths.pool("kitchen_sink.pb")

    @Test func everyFixtureIsDiscovered() throws {
        let fixtures = try ProtocFixture.load()
        #expect(fixtures.count >= 17)
        #expect(fixtures.map(\.name) == ProtocFixture.all.map(\.name))
    }

    @Test("decoded text equals protoc --decode", arguments: ProtocFixture.all)
    func decodedTextMatchesProtoc(_ fixture: ProtocFixture) throws {
        let pool = try #require(Self.pool)
        let message = try fixture.decode(as: fixture.typeName, pool: pool)
        expectSameText(TextFormatPrinter.print(message), try fixture.text("decoded"))
        for other in fixture.alsoDecodeAs {
            let asOther = try fixture.decode(as: other, pool: pool)
            let short = String(other.split(separator: ".").last!)
            expectSameText(TextFormatPrinter.print(asOther), try fixture.text("as_\(short)"))
        }
    }

    @Test("re-encoding reproduces protoc's bytes", arguments: ProtocFixture.all)
    func reencodingIsByteIdentical(_ fixture: ProtocFixture) throws {
        let pool = try #require(Self.pool)
        let bytes = try fixture.binary()
        for typeName in [fixture.typeName] + fixture.alsoDecodeAs {
            let message = try fixture.decode(as: typeName, pool: pool)
            #expect(message.serializedSize == bytes.count, "\(typeName)")
            let encoded = message.encoded()
            #expect(encoded == bytes, "\(typeName): \(firstDifference(encoded, bytes))")
            let again = try DynamicMessage(decoding: encoded, messageIndex: message.messageIndex, pool: pool)
            #expect(again == message, "\(typeName)")
        }
    }

    @Test("protoc --decode reads our encoding", arguments: ProtocFixture.all)
    func protocDecodesOurEncoding(_ fixture: ProtocFixture) throws {
        let pool = try #require(Self.pool)
        let message = try fixture.decode(as: fixture.typeName, pool: pool)
        let output = try ProtocProcess.decode(message.encoded(), as: fixture.typeName)
        expectSameText(output, try fixture.text("decoded"))
    }

    // MARK: Messages built in code

    @Test func builtKitchenSinkEncodesForProtoc() throws {
        let pool = try #require(Self.pool)
        var sink = DynamicMessage(
            messageIndex: try #require(pool.messageIndex(named: "example.kitchen_sink.v1.KitchenSink")), pool: pool)
        sink.set(.double(-2.5), forField: "scalar_double")
        sink.set(.float(0.1), forField: "scalar_float")
        sink.set(.int32(0), forField: "scalar_int32")  // implicit presence: not written
        sink.set(.int32(-7), forField: "scalar_sint32")
        sink.set(.uint64(.max), forField: "scalar_fixed64")
        sink.set(.int32(-1), forField: "scalar_sfixed32")
        sink.set(.string("h\u{E9}llo\n"), forField: "scalar_string")
        sink.set(.bytes([0, 0x7F, 0xFF]), forField: "scalar_bytes")
        for value: Int32 in [1, -1, 300] { sink.append(.int32(value), toField: "repeated_int32") }
        for value: Int64 in [-2, 2] { sink.append(.int64(value), toField: "unpacked_sint64") }
        var nested = sink.makeMessage(forField: "nested_message")
        nested.set(.int32(5), forField: "a")
        nested.append(.int32(3), toField: "values")
        sink.set(.message(nested), forField: "nested_message")
        sink.set(.enum(2), forField: "nested_enum")
        sink.set(.string("dropped by the next oneof member"), forField: "choice_string")
        sink.set(.int64(0), forField: "choice_int64")
        sink.appendMapEntry(key: .string("b"), value: .string("2"), toField: 80)
        sink.appendMapEntry(key: .string("a"), value: .string("1"), toField: 80)
        sink.appendMapEntry(key: .int32(-1), value: .enum(-1), toField: 82)
        sink.set(.int32(9), forField: 536_870_911)
        let expected = """
            scalar_double: -2.5
            scalar_float: 0.1
            scalar_sint32: -7
            scalar_fixed64: 18446744073709551615
            scalar_sfixed32: -1
            scalar_string: "h\\303\\251llo\\n"
            scalar_bytes: "\\000\\177\\377"
            repeated_int32: 1
            repeated_int32: -1
            repeated_int32: 300
            unpacked_sint64: -2
            unpacked_sint64: 2
            nested_message {
              a: 5
              values: 3
            }
            nested_enum: NESTED_ENUM_BAR
            choice_int64: 0
            map_string_string {
              key: "a"
              value: "1"
            }
            map_string_string {
              key: "b"
              value: "2"
            }
            map_int32_enum {
              key: -1
              value: NESTED_ENUM_NEGATIVE
            }
            max_field_number: 9

            """
        try expectProtocReads(sink, as: "example.kitchen_sink.v1.KitchenSink", expected, pool: pool)
    }

    @Test func builtLegacyMessageEncodesForProtoc() throws {
        let pool = try #require(Self.pool)
        var legacy = DynamicMessage(
            messageIndex: try #require(pool.messageIndex(named: "example.kitchen_sink.v1.LegacyMessage")), pool: pool)
        legacy.set(.int32(0), forField: "id")  // proto2: presence, so a zero is written
        legacy.set(.string("s"), forField: "str_default")
        for value: Int32 in [7, -7] {
            legacy.append(.int32(value), toField: "packed_int32")
            legacy.append(.int32(value), toField: "unpacked_int32")
        }
        var group = legacy.makeMessage(forField: "legacygroup")
        group.set(.string("g"), forField: "group_string")
        legacy.set(.group(group), forField: "legacygroup")
        for item: Int32 in [1, 2] {
            var element = legacy.makeMessage(forField: "repeatedgroup")
            element.set(.int32(item), forField: "item")
            legacy.append(.group(element), toField: "repeatedgroup")
        }
        legacy.set(.enum(-5), forField: "closed_enum")
        legacy.set(.int32(-100), forField: 100)  // [ext_int32]
        for value: Int64 in [-1, 1] { legacy.append(.int64(value), toField: 102) }  // [ext_packed_sint64]
        var extGroup = legacy.makeMessage(forField: 104)
        extGroup.set(.int32(104), forField: 1)
        legacy.set(.group(extGroup), forField: 104)
        let expected = """
            id: 0
            str_default: "s"
            packed_int32: 7
            packed_int32: -7
            unpacked_int32: 7
            unpacked_int32: -7
            LegacyGroup {
              group_string: "g"
            }
            RepeatedGroup {
              item: 1
            }
            RepeatedGroup {
              item: 2
            }
            closed_enum: LEGACY_NEGATIVE
            [example.kitchen_sink.v1.ext_int32]: -100
            [example.kitchen_sink.v1.ext_packed_sint64]: -1
            [example.kitchen_sink.v1.ext_packed_sint64]: 1
            [example.kitchen_sink.v1.extgroup] {
              ext_group_value: 104
            }

            """
        try expectProtocReads(legacy, as: "example.kitchen_sink.v1.LegacyMessage", expected, pool: pool)
    }

    /// protoc and our printer both read `message`'s encoding as `expected`, and it decodes back
    /// to `message`.
    private func expectProtocReads(
        _ message: DynamicMessage, as typeName: String, _ expected: String, pool: DescriptorPool
    ) throws {
        let encoded = message.encoded()
        #expect(encoded.count == message.serializedSize)
        expectSameText(try ProtocProcess.decode(encoded, as: typeName), expected)
        expectSameText(TextFormatPrinter.print(message), expected)
        #expect(try DynamicMessage(decoding: encoded, messageIndex: message.messageIndex, pool: pool) == message)
    }

    /// Expects equal texts, reporting the first line that differs.
    private func expectSameText(
        _ actual: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard actual != expected else { return }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line =
            zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(actualLines.count, expectedLines.count)
        let got = line < actualLines.count ? String(actualLines[line]) : "<end>"
        let want = line < expectedLines.count ? String(expectedLines[line]) : "<end>"
        Issue.record(
            "line \(line + 1): got \(got.debugDescription), want \(want.debugDescription)",
            sourceLocation: sourceLocation)
    }

    private func firstDifference(_ lhs: [UInt8], _ rhs: [UInt8]) -> String {
        let index =
            zip(lhs, rhs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(lhs.count, rhs.count)
        return "first difference at byte \(index) (\(lhs.count) vs \(rhs.count) bytes)"
    }
}

/// A `<name>.txtpb` fixture and the files protoc generated from it.
struct ProtocFixture: Sendable, CustomTestStringConvertible {
    let name: String
    /// From the `# proto-message:` first line.
    let typeName: String
    /// From `# also-decode-as:` lines.
    let alsoDecodeAs: [String]

    var testDescription: String { name }

    /// Every fixture, or none if the directory cannot be read (``load()`` then fails its test).
    static let all: [ProtocFixture] = (try? load()) ?? []

    static func load() throws -> [ProtocFixture] {
        let files = try FileManager.default.contentsOfDirectory(atPath: RepoPaths.fixtures.path)
        return try files.filter { $0.hasSuffix(".txtpb") }.sorted().map { file in
            let text = try String(contentsOf: RepoPaths.fixtures.appendingPathComponent(file), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let typePrefix = "# proto-message: "
            let alsoPrefix = "# also-decode-as: "
            guard let first = lines.first, first.hasPrefix(typePrefix) else {
                throw FixtureError(description: "\(file): first line must be '\(typePrefix)<type>'")
            }
            return ProtocFixture(
                name: String(file.dropLast(".txtpb".count)),
                typeName: String(first.dropFirst(typePrefix.count)),
                alsoDecodeAs: lines.filter { $0.hasPrefix(alsoPrefix) }.map { String($0.dropFirst(alsoPrefix.count)) })
        }
    }

    func binary() throws -> [UInt8] {
        try RepoPaths.bytes(RepoPaths.fixtures.appendingPathComponent("\(name).bin"))
    }

    /// `<name>.<suffix>.txt`.
    func text(_ suffix: String) throws -> String {
        try String(contentsOf: RepoPaths.fixtures.appendingPathComponent("\(name).\(suffix).txt"), encoding: .utf8)
    }

    func decode(as typeName: String, pool: DescriptorPool) throws -> DynamicMessage {
        let index = try #require(pool.messageIndex(named: typeName), "\(typeName) is not in the pool")
        return try DynamicMessage(decoding: try binary(), messageIndex: index, pool: pool)
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
    }
}

/// Runs the real `protoc --decode`. A missing protoc fails the test rather than skipping it.
enum ProtocProcess {
    /// The schemas `scripts/gen-fixtures.sh` passes, relative to `protos/`.
    static let schemas = [
        "examples/kitchen_sink/v1/kitchen_sink.proto",
        "examples/kitchen_sink/v1/legacy.proto",
        "examples/bookstore/v1/bookstore.proto",
    ]

    struct ProtocError: Error, CustomStringConvertible {
        let description: String
    }

    /// protoc's text output for `bytes` decoded as `typeName`.
    static func decode(_ bytes: [UInt8], as typeName: String) throws -> String {
        let protoc = try executable()
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("protoc-input-\(UUID()).bin")
        try Data(bytes).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }

        let process = Process()
        process.executableURL = protoc
        process.currentDirectoryURL = RepoPaths.root
        process.arguments = ["--decode=\(typeName)", "-I", "protos", "-I", try wellKnownInclude(protoc)] + schemas
        process.standardInput = try FileHandle(forReadingFrom: input)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ProtocError(
                description:
                    "protoc exited with \(process.terminationStatus): \(String(decoding: errorText, as: UTF8.self))")
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `$PROTOC`, else `protoc` on `PATH`, else `/usr/bin/protoc`.
    static func executable() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        var candidates = environment["PROTOC"].map { [$0] } ?? []
        candidates += (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/protoc" }
        candidates.append("/usr/bin/protoc")
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ProtocError(description: "protoc not found: install protobuf-compiler or set PROTOC")
        }
        return URL(fileURLWithPath: path)
    }

    /// The directory holding `google/protobuf/*.proto`, found as `scripts/gen-fixtures.sh` does.
    static func wellKnownInclude(_ protoc: URL) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        var candidates = environment["PROTOC_INCLUDE"].map { [$0] } ?? []
        candidates.append(
            protoc.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("../include").path)
        candidates += ["/usr/include", "/usr/local/include", "/opt/homebrew/include"]
        guard
            let directory = candidates.first(where: {
                FileManager.default.fileExists(atPath: "\($0)/google/protobuf/descriptor.proto")
            })
        else {
            throw ProtocError(description: "cannot find google/protobuf/descriptor.proto (set PROTOC_INCLUDE)")
        }
        return directory
    }
}
