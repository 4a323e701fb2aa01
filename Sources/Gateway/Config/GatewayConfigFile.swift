import HTTP2Transport
import Transcoder
import Yams

/// `gateway.yaml`, the gateway's configuration file. Every key is checked: an unknown key, a
/// value of the wrong type or a value out of range is a ``ConfigError`` naming the file, line,
/// column and key path (`gateway.yaml:7:5: limits.max_body_bytes: expected an integer`).
///
/// ```yaml
/// listen: 127.0.0.1:8080                 # or listeners: [127.0.0.1:8080, "[::1]:8080"]
/// descriptor_sets: [protos/descriptors/bookstore.pb]   # optional when the command line names the schemas
/// proto_paths: [protos]                  # with protos: [examples/bookstore/v1/bookstore.proto]
/// backends:
///   - endpoint: 127.0.0.1:50051
///     services: [example.bookstore.v1.Bookstore]   # and/or packages: [example.bookstore]; none = default
/// json: {emit_defaults: false, use_proto_names: false, enums_as_ints: false, ignore_unknown_fields: false}
/// limits: {max_body_bytes: 4194304, max_streamed_body_bytes: 67108864, max_concurrent_streams: 100, max_header_bytes: 65536}
/// timeouts: {default: 30s, max: 300s, drain: 10s, read: 30s}   # also 500ms, 2m
/// ```
public struct GatewayConfigFile: Sendable {
    /// `listen` / `listeners`; 127.0.0.1:8080 when absent.
    public var listeners: [(host: String, port: Int)] = []
    /// Schemas: descriptor sets and/or `.proto` files (paths relative to the file).
    public var descriptorSets: [String] = []
    /// Import directories for `protos`.
    public var protoPaths: [String] = []
    /// `.proto` files to compile.
    public var protos: [String] = []
    /// One target per (endpoint, service or package) pair; an entry without either is the default.
    public var backends: [BackendDirectory.Target] = []
    /// Where each backend's entry is, for errors found after parsing.
    var backendMarks: [Mark] = []
    /// Where other keys are (`backends`, `descriptor_sets[0]`, `protos[1]`, …), for errors found
    /// after parsing (an unreadable schema file, a service no backend serves).
    var marks: [String: Mark] = [:]
    /// JSON options, limits and deadlines.
    public var configuration = GatewayConfiguration()
    /// How long SIGTERM waits for requests in flight.
    public var drainTimeout: Duration = .seconds(10)

    /// A configuration error at a place in the file.
    public struct ConfigError: Error, Sendable, CustomStringConvertible {
        public let file: String
        public let line: Int
        public let column: Int
        /// The dotted key path (`backends[0].endpoint`); empty for a syntax error.
        public let key: String
        public let message: String
        public var description: String {
            "\(file):\(line):\(column): " + (key.isEmpty ? message : "\(key): \(message)")
        }
    }

    /// A place in the file (1-based), for errors found after parsing.
    struct Mark: Sendable {
        var line: Int
        var column: Int
        init(_ node: Node) {
            line = node.mark?.line ?? 1
            column = node.mark?.column ?? 1
        }
    }

    /// No file: the defaults (listening on 127.0.0.1:8080, no schemas, no backends), for a
    /// gateway configured by command-line flags alone.
    public init() {
        listeners = [("127.0.0.1", 8080)]
    }

    /// Parses and validates YAML text; `file` names it in errors.
    public init(yaml: String, file: String) throws(ConfigError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        } catch {
            throw ConfigError(file: file, line: 1, column: 1, key: "", message: "\(error)")
        }
        guard let root else { throw ConfigError(file: file, line: 1, column: 1, key: "", message: "the file is empty") }
        let reader = ConfigReader(file: file)
        try reader.read(root, into: &self)
        if listeners.isEmpty { listeners = [("127.0.0.1", 8080)] }
        if backends.isEmpty {
            throw ConfigError(file: file, line: 1, column: 1, key: "backends", message: "at least one backend is required")
        }
    }

    static func syntaxError(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ConfigError(file: file, line: mark.line, column: mark.column, key: "", message: problem)
        default:
            return ConfigError(file: file, line: 1, column: 1, key: "", message: "\(error)")
        }
    }
}
