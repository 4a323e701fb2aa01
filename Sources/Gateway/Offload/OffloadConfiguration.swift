import Logging

/// The duties the gateway takes off the services' hands for browsers and slow links: CORS,
/// response compression and request decompression. Set per listener (each listener's
/// ``GatewayPipeline`` has one) and overridable per route with ``RouteOverride``s.
public struct OffloadConfiguration: Sendable {
    /// CORS for every route; nil answers no preflight and adds no CORS headers.
    public var cors: CORSPolicy?
    /// Response compression for every route; nil sends everything uncompressed.
    public var compression: CompressionPolicy?
    /// Whether `Content-Encoding: gzip`/`deflate` request bodies are inflated (else 415).
    public var decompressRequests = false
    /// Per-route changes; for each feature, the most specific selector that matches a route
    /// and sets it wins (a method beats its service, which beats its package).
    public var routeOverrides: [RouteOverride] = []
    /// Where refused CORS requests are logged (warning level).
    public var logger = Logger(label: "grpc-gateway.cors")

    /// Nothing offloaded.
    public init() {}

    /// One route's (or service's, or package's) settings in place of the listener's.
    public struct RouteOverride: Sendable {
        /// `package.Service/Method`, `package.Service` or a package (`example.bookstore`).
        public var selector: String
        /// Replaces the CORS policy: `.inherit`, `.disabled` or `.enabled(policy)`.
        public var cors: Setting<CORSPolicy>
        /// Replaces the compression policy.
        public var compression: Setting<CompressionPolicy>

        public init(selector: String, cors: Setting<CORSPolicy> = .inherit, compression: Setting<CompressionPolicy> = .inherit) {
            self.selector = selector
            self.cors = cors
            self.compression = compression
        }

        /// How specific the selector is for `rpcName` (`package.Service/Method`); nil when it
        /// does not match. A method beats a service, which beats the longest package.
        func specificity(for rpcName: String) -> Int? {
            if selector == rpcName { return Int.max }
            let service = rpcName.prefix { $0 != "/" }
            if selector == service { return Int.max - 1 }
            if service.hasPrefix(selector + ".") { return selector.utf8.count }
            return nil
        }
    }

    /// A per-route value: keep the listener's, switch the feature off, or use another.
    public enum Setting<Value: Sendable>: Sendable {
        case inherit, disabled
        case enabled(Value)

        func resolve(_ inherited: Value?) -> Value? {
            switch self {
            case .inherit: inherited
            case .disabled: nil
            case .enabled(let value): value
            }
        }
    }
}

/// The offload policies resolved for every route once at start-up, so a request only indexes an
/// array.
struct OffloadTable: Sendable {
    let listenerCORS: CORSPolicy?
    let listenerCompression: CompressionPolicy?
    let cors: [CORSPolicy?]
    let compression: [CompressionPolicy?]
    /// Whether any route (or the listener) has CORS, i.e. whether preflights are answered at all.
    let answersPreflights: Bool

    init(_ configuration: OffloadConfiguration, rpcNames: [String]) {
        listenerCORS = configuration.cors
        listenerCompression = configuration.compression
        var cors: [CORSPolicy?] = []
        var compression: [CompressionPolicy?] = []
        for name in rpcNames {
            // Most specific first; each feature comes from the most specific override that sets
            // it, so a method's `compression: false` keeps its service's CORS policy.
            let matching = configuration.routeOverrides
                .compactMap { override in override.specificity(for: name).map { (override, $0) } }
                .sorted { $0.1 > $1.1 }.map(\.0)
            cors.append(Self.resolve(matching.map(\.cors), inherited: configuration.cors))
            compression.append(Self.resolve(matching.map(\.compression), inherited: configuration.compression))
        }
        self.cors = cors
        self.compression = compression
        answersPreflights = configuration.cors != nil || cors.contains { $0 != nil }
    }

    /// The first setting that is not `.inherit` (most specific first), else the listener's.
    static func resolve<Value>(_ settings: [OffloadConfiguration.Setting<Value>], inherited: Value?) -> Value? {
        for setting in settings {
            if case .inherit = setting { continue }
            return setting.resolve(inherited)
        }
        return inherited
    }

    func cors(forRoute index: Int?) -> CORSPolicy? { index.map { cors[$0] } ?? listenerCORS }
    func compression(forRoute index: Int?) -> CompressionPolicy? { index.map { compression[$0] } ?? listenerCompression }
}
