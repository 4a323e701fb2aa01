import HTTP2Transport
import NIOCore

/// Which backend serves each gRPC service: `--backend pkg.Service=HOST:PORT` names a service or a
/// package, and a backend without a selector serves everything else. One ``GRPCChannel`` per
/// distinct address, shared by every service it serves.
public final class BackendDirectory: Sendable {
    /// One `--backend` entry.
    public struct Target: Sendable, Hashable, CustomStringConvertible {
        /// A full service name (`example.bookstore.v1.Bookstore`) or package (`example.bookstore`);
        /// nil for the default backend.
        public var selector: String?
        public var host: String
        public var port: Int
        /// gRPC message compression of requests to this backend (`grpc-encoding`, gRPC
        /// `doc/compression.md`); nil sends identity. Replies in gzip or deflate are always read.
        public var compression: CompressionFormat?

        /// A target; `selector` nil for the default backend.
        public init(selector: String? = nil, host: String, port: Int) {
            self.selector = selector
            self.host = host
            self.port = port
        }

        /// Parses `HOST:PORT` or `SELECTOR=HOST:PORT` (an IPv6 host in brackets).
        public init(parsing text: String) throws(GatewayError) {
            var rest = Substring(text)
            if let equals = rest.firstIndex(of: "=") {
                selector = String(rest[..<equals])
                rest = rest[rest.index(after: equals)...]
            }
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
                (1...65535).contains(port), colon > rest.startIndex
            else {
                throw GatewayError.invalidArgument("backend '\(text)': expected [SERVICE=]HOST:PORT")
            }
            var host = rest[..<colon]
            if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
            self.host = String(host)
            self.port = port
        }

        public var description: String { (selector.map { "\($0)=" } ?? "") + "\(host):\(port)" }
    }

    /// The `--backend` entries, in the order given.
    public let targets: [Target]
    private let channels: [String: GRPCChannel]

    /// Creates one channel per distinct address on `group`; nothing connects until the first call.
    public init(targets: [Target], group: any EventLoopGroup, connectTimeout: Duration = .seconds(5)) {
        self.targets = targets
        var channels: [String: GRPCChannel] = [:]
        for target in targets where channels["\(target.host):\(target.port)"] == nil {
            var configuration = GRPCChannel.Configuration(host: target.host, port: target.port)
            configuration.connectTimeout = connectTimeout
            configuration.backoff.maximum = .milliseconds(500)
            channels["\(target.host):\(target.port)"] = GRPCChannel(configuration: configuration, group: group)
        }
        self.channels = channels
    }

    /// The channel for a service: an exact service selector first, then the longest package
    /// selector, then the default backend.
    public func channel(forService service: String) -> GRPCChannel? {
        guard let target = Self.target(forService: service, in: targets) else { return nil }
        return channels["\(target.host):\(target.port)"]
    }

    /// The target serving `service` among `targets` (the rule of ``channel(forService:)``);
    /// nil when none does. `check` uses it to find routed services without a backend.
    public static func target(forService service: String, in targets: [Target]) -> Target? {
        var best: (length: Int, target: Target)?
        for target in targets {
            let length: Int
            if let selector = target.selector {
                if selector == service {
                    length = Int.max
                } else if service.hasPrefix(selector + ".") {
                    length = selector.utf8.count
                } else {
                    continue
                }
            } else {
                length = -1
            }
            if best == nil || length > best!.length { best = (length, target) }
        }
        return best?.target
    }

    /// Closes every channel gracefully.
    public func close() async {
        for channel in channels.values { await channel.close() }
    }
}
