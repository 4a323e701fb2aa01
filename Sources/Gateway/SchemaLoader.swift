import Foundation
import ProtoWire

/// Loads the services' schemas from `FileDescriptorSet` files (`protoc --include_imports
/// --descriptor_set_out`, `buf build -o`) into one validated ``DescriptorPool``.
public enum SchemaLoader {
    /// A schema file that cannot be read or does not form a valid pool. Names the path.
    public struct LoadingError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Reads every file in `paths` and merges them into one pool. A file that several sets
    /// share (such as `google/protobuf/descriptor.proto`) is kept once.
    public static func loadDescriptorSets(paths: [String]) throws -> DescriptorPool {
        var files: [DescriptorProto.File] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LoadingError(path: path, reason: "cannot read the file")
            }
            do {
                files += try DescriptorProto.decodeFileDescriptorSet([UInt8](data))
            } catch {
                throw LoadingError(path: path, reason: "not a FileDescriptorSet: \(error)")
            }
        }
        do {
            return try DescriptorPool(files: files)
        } catch {
            throw LoadingError(path: paths.joined(separator: ", "), reason: error.description)
        }
    }
}
