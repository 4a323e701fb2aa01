import Foundation
import ProtoWire

/// Paths inside the repository, found from this file's location so tests run from any directory.
enum RepoPaths {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // ProtoWireTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let fixtures = root.appendingPathComponent("Tests/ProtoWireTests/Fixtures")
    static let descriptors = root.appendingPathComponent("protos/descriptors")

    static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// A checked-in descriptor set, e.g. `kitchen_sink.pb`.
    static func descriptorSet(_ name: String) throws -> [UInt8] {
        try bytes(descriptors.appendingPathComponent(name))
    }

    /// The pool of a checked-in descriptor set.
    static func pool(_ name: String) throws -> DescriptorPool {
        try DescriptorPool(fileDescriptorSet: descriptorSet(name))
    }
}
