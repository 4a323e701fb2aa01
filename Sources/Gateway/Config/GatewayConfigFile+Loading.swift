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

    /// Whether the file names any schema (`descriptor_sets` or `protos`).
    public var namesSchemas: Bool { !descriptorSets.isEmpty || !protos.isEmpty }

    /// Loads the schemas the file names, paths relative to the file's directory (`protos` entries
    /// that are not files there are import names, searched on `proto_paths`). A schema file that
    /// cannot be read is an error at its entry.
    public func loadPool(relativeTo configPath: String) throws -> DescriptorPool {
        guard namesSchemas else {
            throw ConfigError(
                file: configPath, line: 1, column: 1, key: "descriptor_sets",
                message: "give descriptor_sets or protos (or --descriptor-set/--proto on the command line)")
        }
        let directory = URL(fileURLWithPath: configPath).deletingLastPathComponent()
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : directory.appendingPathComponent(path).path
        }
        for (index, path) in descriptorSets.enumerated() where !FileManager.default.isReadableFile(atPath: resolve(path)) {
            throw error(configPath, "descriptor_sets[\(index)]", "cannot read '\(resolve(path))'")
        }
        for (index, path) in protoPaths.enumerated() {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: resolve(path), isDirectory: &isDirectory) || !isDirectory.boolValue {
                throw error(configPath, "proto_paths[\(index)]", "'\(resolve(path))' is not a directory")
            }
        }
        if protos.isEmpty { return try SchemaLoader.loadDescriptorSets(paths: descriptorSets.map(resolve)) }
        let files = protos.map { FileManager.default.fileExists(atPath: resolve($0)) ? resolve($0) : $0 }
        return try ProtoFileLoader.loadPool(
            protoPaths: protoPaths.map(resolve), files: files, descriptorSets: descriptorSets.map(resolve))
    }

    /// Loads the schemas (the file's, or `schema` when given: command-line schemas override the
    /// file's), builds the routes and checks the backends against them: every selector must name
    /// a service or package of the schemas, and every routed service must have a backend.
    public func loadRoutes(
        relativeTo configPath: String, schema: (() throws -> DescriptorPool)? = nil
    ) throws -> RouteTable {
        let pool = try schema?() ?? loadPool(relativeTo: configPath)
        let routes = try RouteTable(pool: pool)
        try checkBackends(routes: routes, configPath: configPath)
        try checkRouteOverrides(routes: routes, configPath: configPath)
        return routes
    }

    /// The backend checks of ``loadRoutes(relativeTo:schema:)``, for `backends` as they are now
    /// (after any command-line override).
    public func checkBackends(routes: RouteTable, configPath: String) throws(ConfigError) {
        let pool = routes.pool
        for (index, backend) in backends.enumerated() {
            guard let selector = backend.selector else { continue }
            let known = pool.services.contains { $0.fullName == selector || $0.fullName.hasPrefix(selector + ".") }
            if !known {
                let mark = index < backendMarks.count ? backendMarks[index] : nil
                throw ConfigError(
                    file: configPath, line: mark?.line ?? 1, column: mark?.column ?? 1, key: "backends[\(index)]",
                    message: "'\(selector)' names no service or package of the schemas")
            }
        }
        var unserved: [String] = []
        for route in routes.routes {
            let service = pool.services[route.method.serviceIndex].fullName
            if BackendDirectory.target(forService: service, in: backends) == nil, !unserved.contains(service) {
                unserved.append(service)
            }
        }
        if !unserved.isEmpty {
            throw error(
                configPath, "backends",
                "no backend serves \(unserved.joined(separator: ", ")); add its service or package to a backend, "
                    + "or add a backend without services/packages as the default")
        }
    }

    func error(_ file: String, _ key: String, _ message: String) -> ConfigError {
        let mark = marks[key]
        return ConfigError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, key: key, message: message)
    }
}
