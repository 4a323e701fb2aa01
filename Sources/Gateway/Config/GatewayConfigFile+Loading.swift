import Foundation
import ProtoWire
import Transcoder

extension GatewayConfigFile {
    /// Reads and validates `path`.
    public init(contentsOf path: String) throws(ConfigError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: 1, column: 1, key: "", message: "cannot read the file")
        }
        try self.init(yaml: String(decoding: data, as: UTF8.self), file: path)
    }

    /// Loads the schemas the file names (paths relative to the file's directory) and checks that
    /// the routes build and that every backend selector names a service or package of them.
    ///
    /// `fallback` supplies the pool when the file names no schemas (`serve` passes the command
    /// line's); without either, that is an error.
    public func loadRoutes(
        relativeTo configPath: String, fallback: (() throws -> DescriptorPool)? = nil
    ) throws -> RouteTable {
        let directory = URL(fileURLWithPath: configPath).deletingLastPathComponent()
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : directory.appendingPathComponent(path).path
        }
        let pool: DescriptorPool
        if protos.isEmpty && descriptorSets.isEmpty {
            guard let fallback else {
                throw ConfigError(
                    file: configPath, line: 1, column: 1, key: "descriptor_sets", message: "give descriptor_sets or protos")
            }
            pool = try fallback()
        } else if protos.isEmpty {
            pool = try SchemaLoader.loadDescriptorSets(paths: descriptorSets.map(resolve))
        } else {
            pool = try ProtoFileLoader.loadPool(
                protoPaths: protoPaths.map(resolve), files: protos, descriptorSets: descriptorSets.map(resolve))
        }
        let routes = try RouteTable(pool: pool)
        for (index, backend) in backends.enumerated() {
            guard let selector = backend.selector else { continue }
            let known = pool.services.contains { $0.fullName == selector || $0.fullName.hasPrefix(selector + ".") }
            if !known {
                throw ConfigError(
                    file: configPath, line: backendMarks[index].line, column: backendMarks[index].column, key: "backends[\(index)]",
                    message: "'\(selector)' names no service or package of the schemas")
            }
        }
        return routes
    }
}
