import Foundation
import ProtoWire
import Testing

@testable import Transcoder

/// One golden case from `Tests/TranscoderTests/Golden/*.cases`.
///
/// A file holds one rule's cases as blocks separated by blank lines, one `key: value` per line:
/// - `name:` what the case shows;
/// - `type:` the message (default `example.kitchen_sink.v1.KitchenSink`);
/// - `options:` any of `emitDefaults protoNames enumsAsInts ignoreUnknown`;
/// - `json:` a JSON input, with `textproto:` (the same message in protobuf text format; expected
///   bytes come from `protoc --encode`) or `error:` (the exact error description);
/// - `textproto:` or `hex:` as input, with `print:` (the expected JSON, compared by meaning) or
///   `print-error:`.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    var file = ""
    var line = 0
    var name = ""
    var type = "example.kitchen_sink.v1.KitchenSink"
    var options = JSONOptions()
    var json: String?
    var textproto: String?
    var hex: String?
    var error: String?
    var print: String?
    var printError: String?

    var testDescription: String { "\(file):\(line) \(name)" }

    static func loadAll() -> [GoldenCase] {
        let directory = JSONTestSupport.golden
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var cases: [GoldenCase] = []
        for file in files.sorted() where file.hasSuffix(".cases") {
            let text = (try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)) ?? ""
            var current: GoldenCase?
            for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = rawLine.trimmingCharacters(in: .whitespaces)
                if line.isEmpty {
                    if let done = current { cases.append(done) }
                    current = nil
                    continue
                }
                if line.hasPrefix("#") { continue }
                guard let colon = line.firstIndex(of: ":") else {
                    preconditionFailure("\(file):\(offset + 1): expected key: value")
                }
                let key = String(line[..<colon])
                let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                if current == nil { current = GoldenCase(file: file, line: offset + 1) }
                switch key {
                case "name": current!.name = value
                case "type": current!.type = value.hasPrefix("google.") || value.hasPrefix("example.") ? value : "example.kitchen_sink.v1." + value
                case "options":
                    for option in value.split(separator: " ") {
                        switch option {
                        case "emitDefaults": current!.options.emitDefaults = true
                        case "protoNames": current!.options.useProtoNames = true
                        case "enumsAsInts": current!.options.enumsAsInts = true
                        case "ignoreUnknown": current!.options.ignoreUnknownFields = true
                        default: preconditionFailure("\(file):\(offset + 1): unknown option \(option)")
                        }
                    }
                case "json": current!.json = value
                case "textproto": current!.textproto = value
                case "hex": current!.hex = value
                case "error": current!.error = value
                case "print": current!.print = value
                case "print-error": current!.printError = value
                default: preconditionFailure("\(file):\(offset + 1): unknown key \(key)")
                }
            }
            if let done = current { cases.append(done) }
        }
        return cases
    }
}

/// Runs protoc against the kitchen-sink descriptor set.
enum Protoc {
    static let descriptorSet = JSONTestSupport.root.appendingPathComponent("protos/descriptors/kitchen_sink.pb").path

    /// Runs protoc with `arguments` (and `--descriptor_set_in=descriptorSet` unless nil) in
    /// `directory`, feeding `input`; returns stdout, or throws with stderr.
    static func run(
        _ arguments: [String], input: [UInt8], descriptorSet: String? = descriptorSet, directory: URL? = nil
    ) throws -> [UInt8] {
        guard let protoc = JSONTestSupport.executable("protoc") else { throw ProtocError(message: "protoc not on PATH") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: protoc)
        process.arguments = arguments + (descriptorSet.map { ["--descriptor_set_in=\($0)"] } ?? [])
        process.currentDirectoryURL = directory
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ProtocError(message: String(decoding: errors, as: UTF8.self))
        }
        return [UInt8](output)
    }

    static func encode(_ text: String, type: String) throws -> [UInt8] {
        try run(["--encode=\(type)"], input: Array(text.utf8))
    }

    static func decode(_ bytes: [UInt8], type: String) throws -> String {
        String(decoding: try run(["--decode=\(type)"], input: bytes), as: UTF8.self)
    }

    struct ProtocError: Error, CustomStringConvertible {
        let message: String
        var description: String { "protoc: \(message)" }
    }
}

/// JSON equality by meaning: objects as unordered maps, numbers by value.
enum JSONMeaning {
    static func parse(_ bytes: [UInt8]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) throws -> Bool {
        same(try parse(lhs), try parse(rhs))
    }

    static func same(_ lhs: Any, _ rhs: Any) -> Bool {
        switch (lhs, rhs) {
        case (let left as [String: Any], let right as [String: Any]):
            return left.count == right.count && left.allSatisfy { key, value in right[key].map { same(value, $0) } ?? false }
        case (let left as [Any], let right as [Any]):
            return left.count == right.count && zip(left, right).allSatisfy { same($0, $1) }
        case (let left as String, let right as String):
            return left == right
        case (is NSNull, is NSNull):
            return true
        case (let left as Bool, let right as Bool) where isBool(lhs) && isBool(rhs):
            return left == right
        case (let left as NSNumber, let right as NSNumber):
            return !isBool(lhs) && !isBool(rhs) && left.doubleValue == right.doubleValue
        default:
            return false
        }
    }

    static func isBool(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c" || type(of: value) == Bool.self
    }
}
