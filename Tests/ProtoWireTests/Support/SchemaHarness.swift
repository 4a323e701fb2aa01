import Foundation

@testable import ProtoWire

/// Runs protoc and our compiler on the same files, for the differential schema tests.
enum SchemaHarness {
    static let protoc = "/usr/bin/protoc"
    static let systemInclude = "/usr/include"
    static let corpus = RepoPaths.root.appendingPathComponent("Tests/ProtoWireTests/SchemaCorpus")
    static let protos = RepoPaths.root.appendingPathComponent("protos")

    struct ProtocResult {
        var status: Int32
        var stderr: String
        var files: [DescriptorProto.File]
    }

    /// `protoc -I… --include_imports --descriptor_set_out=… files`.
    static func runProtoc(includes: [String], files: [String]) throws -> ProtocResult {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("schema-\(UUID().uuidString).pb")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: protoc)
        process.arguments =
            includes.map { "-I" + $0 } + ["--include_imports", "--descriptor_set_out=" + output.path] + files
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var result = ProtocResult(status: process.terminationStatus, stderr: stderr, files: [])
        if process.terminationStatus == 0 {
            result.files = try DescriptorProto.decodeFileDescriptorSet([UInt8](Data(contentsOf: output)))
        }
        return result
    }

    /// The raw bytes protoc writes for `files`.
    static func runProtocBytes(includes: [String], files: [String]) throws -> [UInt8] {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).pb")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: protoc)
        process.arguments =
            includes.map { "-I" + $0 } + ["--include_imports", "--descriptor_set_out=" + output.path] + files
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return [UInt8](try Data(contentsOf: output))
    }

    /// A compiler reading from `includes` in order, as protoc's `-I` does.
    static func compiler(includes: [String], bundled: Bool = false) -> SchemaCompiler {
        var compiler = SchemaCompiler { name in
            for include in includes {
                if let data = FileManager.default.contents(atPath: include + "/" + name) { return [UInt8](data) }
            }
            return nil
        }
        compiler.usesBundledSchemas = bundled
        return compiler
    }

    /// A compiler over in-memory files.
    static func compiler(sources: [String: String]) -> SchemaCompiler {
        var compiler = SchemaCompiler { sources[$0].map { Array($0.utf8) } }
        compiler.usesBundledSchemas = true
        return compiler
    }

    /// The path and values of the first difference between two values, for readable failures.
    static func firstDifference(_ a: Any, _ b: Any, path: String = "") -> String? {
        let left = Mirror(reflecting: a)
        let right = Mirror(reflecting: b)
        if left.children.isEmpty || right.children.isEmpty {
            return "\(a)" == "\(b)" ? nil : "\(path): \(a) != \(b)"
        }
        if left.displayStyle == .collection && left.children.count != right.children.count {
            return "\(path): \(left.children.count) elements != \(right.children.count) elements"
        }
        for (index, (x, y)) in zip(left.children, right.children).enumerated() {
            let label = x.label ?? "[\(index)]"
            if let found = firstDifference(x.value, y.value, path: path + "." + label) { return found }
        }
        return nil
    }
}
