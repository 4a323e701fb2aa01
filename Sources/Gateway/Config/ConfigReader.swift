import HTTP2Transport
import Transcoder
import Yams

/// Walks the YAML tree of ``GatewayConfigFile`` key by key, keeping the path for errors.
struct ConfigReader {
    let file: String

    func error(_ node: Node, _ key: String, _ message: String) -> GatewayConfigFile.ConfigError {
        GatewayConfigFile.ConfigError(
            file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, key: key, message: message)
    }

    func mapping(_ node: Node, _ key: String) throws(GatewayConfigFile.ConfigError) -> [(String, Node, Node)] {
        guard let mapping = node.mapping else { throw error(node, key, "expected a mapping") }
        var pairs: [(String, Node, Node)] = []
        for (name, value) in mapping {
            guard let text = name.string else { throw error(name, key, "keys must be strings") }
            pairs.append((text, name, value))
        }
        return pairs
    }

    func string(_ node: Node, _ key: String) throws(GatewayConfigFile.ConfigError) -> String {
        guard case .scalar(let scalar) = node else { throw error(node, key, "expected a string") }
        return scalar.string
    }

    func strings(_ node: Node, _ key: String) throws(GatewayConfigFile.ConfigError) -> [String] {
        if case .scalar = node { return [try string(node, key)] }
        guard let sequence = node.sequence else { throw error(node, key, "expected a list of strings") }
        var out: [String] = []
        for (index, element) in sequence.enumerated() { out.append(try string(element, "\(key)[\(index)]")) }
        return out
    }

    /// Like ``strings(_:_:)``, remembering where each element is (`key[i]`) for later errors.
    func markedStrings(
        _ node: Node, _ key: String, into marks: inout [String: GatewayConfigFile.Mark]
    ) throws(GatewayConfigFile.ConfigError) -> [String] {
        let elements: [Node]
        if case .scalar = node {
            elements = [node]
        } else if let sequence = node.sequence {
            elements = Array(sequence)
        } else {
            throw error(node, key, "expected a list of strings")
        }
        var out: [String] = []
        for (index, element) in elements.enumerated() {
            out.append(try string(element, "\(key)[\(index)]"))
            marks["\(key)[\(index)]"] = GatewayConfigFile.Mark(element)
        }
        return out
    }

    func bool(_ node: Node, _ key: String) throws(GatewayConfigFile.ConfigError) -> Bool {
        guard let value = node.bool else { throw error(node, key, "expected true or false") }
        return value
    }

    func integer(_ node: Node, _ key: String, in range: ClosedRange<Int>) throws(GatewayConfigFile.ConfigError) -> Int {
        guard case .scalar = node, let value = Int(node.string ?? "") else { throw error(node, key, "expected an integer") }
        guard range.contains(value) else { throw error(node, key, "must be in \(range.lowerBound)...\(range.upperBound)") }
        return value
    }

    /// `30s`, `500ms`, `2m`, `1h`.
    func duration(_ node: Node, _ key: String) throws(GatewayConfigFile.ConfigError) -> Duration {
        let text = try string(node, key)
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, millis) in units where text.hasSuffix(suffix) {
            if let value = Int64(text.dropLast(suffix.count)), value > 0, value <= 86_400_000 / millis {
                return .milliseconds(value * millis)
            }
        }
        throw error(node, key, "expected a positive duration such as 500ms, 30s, 2m or 1h; got '\(text)'")
    }

    func address(_ node: Node, _ key: String, allowZeroPort: Bool) throws(GatewayConfigFile.ConfigError) -> (String, Int) {
        let text = try string(node, key)
        guard let colon = text.lastIndex(of: ":"), colon > text.startIndex,
            let port = Int(text[text.index(after: colon)...]), ((allowZeroPort ? 0 : 1)...65535).contains(port)
        else { throw error(node, key, "expected HOST:PORT; got '\(text)'") }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        return (String(host), port)
    }

    func read(_ root: Node, into config: inout GatewayConfigFile) throws(GatewayConfigFile.ConfigError) {
        for (name, keyNode, value) in try mapping(root, "") {
            switch name {
            case "listen":
                config.listeners.append(try address(value, name, allowZeroPort: true))
            case "listeners":
                guard let sequence = value.sequence else { throw error(value, name, "expected a list of HOST:PORT") }
                for (index, element) in sequence.enumerated() {
                    config.listeners.append(try address(element, "\(name)[\(index)]", allowZeroPort: true))
                }
            case "descriptor_sets": config.descriptorSets = try markedStrings(value, name, into: &config.marks)
            case "proto_paths": config.protoPaths = try markedStrings(value, name, into: &config.marks)
            case "protos": config.protos = try markedStrings(value, name, into: &config.marks)
            case "backends":
                config.marks["backends"] = GatewayConfigFile.Mark(keyNode)
                try readBackends(value, into: &config)
            case "json": try readJSON(value, into: &config.configuration.json)
            case "cors": config.configuration.offload.cors = try readCORS(value, name)
            case "compression":
                var decompress: Bool?
                config.configuration.offload.compression = try readCompression(value, name, decompressRequests: &decompress)
                config.configuration.offload.decompressRequests = decompress ?? true
            case "routes": try readRouteOverrides(value, into: &config)
            case "limits":
                for (key, keyNode, limit) in try mapping(value, name) {
                    switch key {
                    case "max_body_bytes":
                        config.configuration.maximumBodySize = try integer(limit, "limits.\(key)", in: 1...(1 << 30))
                    case "max_streamed_body_bytes":
                        config.configuration.maximumStreamedBodySize = try integer(limit, "limits.\(key)", in: 1...(1 << 40))
                    case "max_concurrent_streams":
                        config.configuration.maximumConcurrentStreams = UInt32(
                            try integer(limit, "limits.\(key)", in: 1...1_000_000))
                    case "max_header_bytes":
                        config.configuration.maximumHeaderListSize = try integer(limit, "limits.\(key)", in: 1024...(16 << 20))
                    default:
                        throw error(
                            keyNode, "limits.\(key)",
                            "unknown key; expected max_body_bytes, max_streamed_body_bytes, max_concurrent_streams or max_header_bytes")
                    }
                }
            case "timeouts":
                for (key, keyNode, timeout) in try mapping(value, name) {
                    switch key {
                    case "default": config.configuration.defaultTimeout = try duration(timeout, "timeouts.default")
                    case "max": config.configuration.maximumTimeout = try duration(timeout, "timeouts.max")
                    case "drain": config.drainTimeout = try duration(timeout, "timeouts.drain")
                    case "read": config.configuration.readTimeout = try duration(timeout, "timeouts.read")
                    default: throw error(keyNode, "timeouts.\(key)", "unknown key; expected default, max, drain or read")
                    }
                }
            default:
                throw error(
                    keyNode, name,
                    "unknown key; expected listen, listeners, descriptor_sets, proto_paths, protos, backends, json, limits or timeouts, or the offload keys cors, compression and routes")
            }
        }
    }

    func readBackends(_ node: Node, into config: inout GatewayConfigFile) throws(GatewayConfigFile.ConfigError) {
        guard let sequence = node.sequence else { throw error(node, "backends", "expected a list of backends") }
        for (index, element) in sequence.enumerated() {
            let path = "backends[\(index)]"
            var endpoint: (String, Int)?
            var selectors: [String] = []
            var compression: CompressionFormat?
            for (key, keyNode, value) in try mapping(element, path) {
                switch key {
                case "compression": compression = try backendCompression(value, "\(path).compression")
                case "endpoint": endpoint = try address(value, "\(path).endpoint", allowZeroPort: false)
                case "services", "packages": selectors += try strings(value, "\(path).\(key)")
                case "name": _ = try string(value, "\(path).name")
                default: throw error(keyNode, "\(path).\(key)", "unknown key; expected name, endpoint, services or packages, or compression")
                }
            }
            guard let endpoint else { throw error(element, "\(path).endpoint", "missing") }
            let mark = GatewayConfigFile.Mark(element)
            if selectors.isEmpty {
                config.backends.append(.init(host: endpoint.0, port: endpoint.1))
                config.backends[config.backends.count - 1].compression = compression
                config.backendMarks.append(mark)
            }
            for selector in selectors {
                config.backends.append(.init(selector: selector, host: endpoint.0, port: endpoint.1))
                config.backends[config.backends.count - 1].compression = compression
                config.backendMarks.append(mark)
            }
        }
    }

    func readJSON(_ node: Node, into options: inout JSONOptions) throws(GatewayConfigFile.ConfigError) {
        for (key, keyNode, value) in try mapping(node, "json") {
            switch key {
            case "emit_defaults": options.emitDefaults = try bool(value, "json.\(key)")
            case "use_proto_names": options.useProtoNames = try bool(value, "json.\(key)")
            case "enums_as_ints": options.enumsAsInts = try bool(value, "json.\(key)")
            case "ignore_unknown_fields": options.ignoreUnknownFields = try bool(value, "json.\(key)")
            case "indent": options.indent = try integer(value, "json.\(key)", in: 0...8)
            default:
                throw error(
                    keyNode, "json.\(key)",
                    "unknown key; expected emit_defaults, use_proto_names, enums_as_ints, ignore_unknown_fields or indent")
            }
        }
    }
}
