import Foundation
import ProtoWire

/// Files and helpers shared by the JSON codec's tests (found from this file's location).
enum JSONTestSupport {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // TranscoderTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let golden = root.appendingPathComponent("Tests/TranscoderTests/Golden")

    /// The pool of a checked-in descriptor set, e.g. `kitchen_sink.pb`, loaded once.
    static func pool(_ name: String) throws -> DescriptorPool {
        let url = root.appendingPathComponent("protos/descriptors").appendingPathComponent(name)
        return try DescriptorPool(fileDescriptorSet: [UInt8](try Data(contentsOf: url)))
    }

    static let kitchenSinkPool: DescriptorPool = try! pool("kitchen_sink.pb")
    static let kitchenSink = kitchenSinkPool.message(named: "example.kitchen_sink.v1.KitchenSink")!
    /// legacy.proto (proto2) is in the same descriptor set.
    static var legacyPool: DescriptorPool { kitchenSinkPool }

    /// Bytes from hex text with optional spaces: "0a 01 78".
    static func bytes(hex: String) -> [UInt8] {
        let digits = hex.filter { !$0.isWhitespace }
        var result: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            result.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
    }

    /// Finds an executable on PATH (protoc, python3), or nil.
    static func executable(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
