import HTTP2Transport
import Transcoder
import Yams

/// The offloading keys of `gateway.yaml` (`Offload/`): `cors`, `compression` and per-route
/// `routes` overrides, each checked with file:line:column errors like the rest of the file.
///
/// ```yaml
/// cors:
///   allow_origins: ["https://app.example.com", "https://*.example.com"]   # or "*"
///   allow_methods: [GET, POST]          # default: the methods routed at the path
///   allow_headers: [content-type]       # default: whatever the preflight asks for
///   expose_headers: [x-total-count]     # x-request-id (and grpc-status when forwarded) always
///   allow_credentials: true
///   max_age: 10m
/// compression:                          # the block's presence enables it
///   formats: [gzip, deflate]            # preference order
///   min_size: 1024
///   content_types: ["application/json", "text/*"]
///   level: 6
///   decompress_requests: true           # inflate Content-Encoding: gzip/deflate bodies
/// routes:
///   - match: example.bookstore.v1.Bookstore/StreamBooks   # or a service, or a package
///     cors: false                        # or a cors block replacing the listener's
///     compression: {min_size: 0}         # or false
/// ```
extension ConfigReader {
    func readCORS(_ node: Node, _ key: String) throws(GatewayConfigFile.ConfigError) -> CORSPolicy {
        var policy = CORSPolicy(allowedOrigins: [])
        var sawOrigins = false
        for (name, keyNode, value) in try mapping(node, key) {
            let path = "\(key).\(name)"
            switch name {
            case "allow_origins":
                sawOrigins = true
                let texts = try strings(value, path)
                for (index, text) in texts.enumerated() {
                    guard let pattern = OriginPattern(text) else {
                        let element = value.sequence.map { Array($0)[index] } ?? value
                        throw error(
                            element, "\(path)[\(index)]",
                            "'\(text)' is not an origin pattern (*, scheme://host[:port] or [scheme://]*.domain[:port])")
                    }
                    policy.allowedOrigins.append(pattern)
                }
            case "allow_methods": policy.allowedMethods = try strings(value, path).map { $0.uppercased() }
            case "allow_headers": policy.allowedHeaders = try strings(value, path).map { $0.lowercased() }
            case "expose_headers": policy.exposedHeaders = try strings(value, path).map { $0.lowercased() }
            case "allow_credentials": policy.allowCredentials = try bool(value, path)
            case "max_age":
                if Int(value.string ?? "") != nil {
                    policy.maxAge = try integer(value, path, in: 0...86_400)
                } else {
                    policy.maxAge = Int(try duration(value, path).components.seconds)
                }
            default:
                throw error(
                    keyNode, path,
                    "unknown key; expected allow_origins, allow_methods, allow_headers, expose_headers, allow_credentials or max_age")
            }
        }
        guard sawOrigins, !policy.allowedOrigins.isEmpty else {
            throw error(node, "\(key).allow_origins", "missing: list the origins allowed (or \"*\")")
        }
        return policy
    }

    func readCompression(
        _ node: Node, _ key: String, decompressRequests: inout Bool?
    ) throws(GatewayConfigFile.ConfigError) -> CompressionPolicy {
        var policy = CompressionPolicy()
        for (name, keyNode, value) in try mapping(node, key) {
            let path = "\(key).\(name)"
            switch name {
            case "formats":
                policy.formats = []
                for (index, text) in try strings(value, path).enumerated() {
                    guard let format = CompressionFormat(rawValue: text.lowercased()) else {
                        let element = value.sequence.map { Array($0)[index] } ?? value
                        throw error(element, "\(path)[\(index)]", "'\(text)' is not a coding; expected gzip or deflate")
                    }
                    policy.formats.append(format)
                }
                if policy.formats.isEmpty {
                    throw error(value, path, "name at least one coding (gzip, deflate), or set compression: false")
                }
            case "min_size": policy.minimumSize = try integer(value, path, in: 0...(1 << 30))
            case "content_types": policy.contentTypes = try strings(value, path)
            case "level": policy.level = try integer(value, path, in: 1...9)
            case "decompress_requests" where key == "compression":
                decompressRequests = try bool(value, path)
            default:
                throw error(
                    keyNode, path,
                    "unknown key; expected formats, min_size, content_types, level"
                        + (key == "compression" ? " or decompress_requests" : ""))
            }
        }
        return policy
    }

    /// `backends[i].compression`: `gzip`, `deflate` or `identity` (nil).
    func backendCompression(_ node: Node, _ key: String) throws(GatewayConfigFile.ConfigError) -> CompressionFormat? {
        let text = try string(node, key).lowercased()
        if text == "identity" { return nil }
        guard let format = CompressionFormat(rawValue: text) else {
            throw error(node, key, "'\(text)' is not a gRPC compression; expected gzip, deflate or identity")
        }
        return format
    }

    func readRouteOverrides(_ node: Node, into config: inout GatewayConfigFile) throws(GatewayConfigFile.ConfigError) {
        guard let sequence = node.sequence else { throw error(node, "routes", "expected a list of route overrides") }
        for (index, element) in sequence.enumerated() {
            let path = "routes[\(index)]"
            var override = OffloadConfiguration.RouteOverride(selector: "")
            for (name, keyNode, value) in try mapping(element, path) {
                switch name {
                case "match":
                    override.selector = try string(value, "\(path).match")
                    config.marks["\(path).match"] = GatewayConfigFile.Mark(value)
                case "cors":
                    override.cors = value.bool == false ? .disabled : .enabled(try readCORS(value, "\(path).cors"))
                case "compression":
                    var ignored: Bool?
                    override.compression =
                        value.bool == false
                        ? .disabled : .enabled(try readCompression(value, "\(path).compression", decompressRequests: &ignored))
                default: throw error(keyNode, "\(path).\(name)", "unknown key; expected match, cors or compression")
                }
            }
            if override.selector.isEmpty {
                throw error(element, "\(path).match", "missing: a package.Service/Method, service or package")
            }
            config.configuration.offload.routeOverrides.append(override)
        }
    }
}

extension GatewayConfigFile {
    /// Checks that every `routes[].match` selects at least one route of the schemas.
    public func checkRouteOverrides(routes: RouteTable, configPath: String) throws(ConfigError) {
        let names = routes.routes.map(\.rpcName)
        for (index, override) in configuration.offload.routeOverrides.enumerated()
        where !names.contains(where: { override.specificity(for: $0) != nil }) {
            throw error(configPath, "routes[\(index)].match", "'\(override.selector)' selects no route of the schemas")
        }
    }
}
