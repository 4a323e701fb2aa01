import Foundation
import ProtoWire

/// Loads services' schemas straight from `.proto` files, with no protoc: the Foundation side of
/// ProtoWire's ``SchemaCompiler`` (which does no I/O). Imports are searched on the proto paths in
/// order, as `protoc -I` does, then among the bundled `google/protobuf` and `google/api` schemas.
public enum ProtoFileLoader {
    /// `.proto` files that cannot be found or do not compile. One compiler-style line per problem.
    public struct LoadingError: Error, CustomStringConvertible {
        public let diagnostics: [String]
        public var description: String { diagnostics.joined(separator: "\n") }
    }

    /// The import name of each file argument. A file that exists on disk is named relative to the
    /// proto path holding it (protoc's rule); any other argument is taken as an import name.
    public static func importNames(protoPaths: [String], files: [String]) throws -> [String] {
        let roots = (protoPaths.isEmpty ? ["."] : protoPaths).map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        var names: [String] = []
        var problems: [String] = []
        for file in files {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
                names.append(file)
                continue
            }
            let absolute = URL(fileURLWithPath: file).standardizedFileURL.path
            if let root = roots.first(where: { absolute.hasPrefix($0 == "/" ? "/" : $0 + "/") }) {
                names.append(String(absolute.dropFirst(root == "/" ? 1 : root.count + 1)))
            } else {
                problems.append(
                    "\(file): file does not reside within any path given with --proto-path "
                        + "(\(roots.joined(separator: ", ")))")
            }
        }
        if !problems.isEmpty { throw LoadingError(diagnostics: problems) }
        return names
    }

    /// Reads `name` from the first proto path that has it. Names are relative, with no `.` or
    /// `..` components, so an import cannot escape the proto paths.
    static func read(_ name: String, protoPaths: [String]) -> [UInt8]? {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        if name.hasPrefix("/") || components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            return nil
        }
        for root in protoPaths.isEmpty ? ["."] : protoPaths {
            if let data = FileManager.default.contents(atPath: root + "/" + name) { return [UInt8](data) }
        }
        return nil
    }

    /// Compiles `files` and their imports, dependencies first.
    public static func compile(protoPaths: [String], files: [String]) throws -> [DescriptorProto.File] {
        let names = try importNames(protoPaths: protoPaths, files: files)
        let compiler = SchemaCompiler { read($0, protoPaths: protoPaths) }
        do {
            return try compiler.compile(names)
        } catch {
            throw LoadingError(diagnostics: error.diagnostics.map(\.description))
        }
    }

    /// Compiles `files` and merges them with any descriptor sets into one validated pool.
    public static func loadPool(protoPaths: [String], files: [String], descriptorSets: [String] = []) throws
        -> DescriptorPool
    {
        var all = try compile(protoPaths: protoPaths, files: files)
        for path in descriptorSets {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SchemaLoader.LoadingError(path: path, reason: "cannot read the file")
            }
            do {
                all += try DescriptorProto.decodeFileDescriptorSet([UInt8](data))
            } catch {
                throw SchemaLoader.LoadingError(path: path, reason: "not a FileDescriptorSet: \(error)")
            }
        }
        do {
            return try DescriptorPool(files: all)
        } catch {
            throw LoadingError(diagnostics: [error.description])
        }
    }
}
