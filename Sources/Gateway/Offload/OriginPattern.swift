/// One entry of a CORS policy's allowed origins (Fetch standard §3.2 "CORS protocol"; an origin
/// is serialized as `scheme://host[:port]`, RFC 6454 §6.2):
///
/// ```
/// pattern  = "*"                                  ; any origin
///          | scheme "://" host [ ":" port ]       ; exactly this origin
///          | [ scheme "://" ] "*." domain [ ":" port ]
///                                                 ; any subdomain of domain (not domain itself)
/// ```
///
/// Comparison ignores ASCII case. A suffix pattern without a scheme matches `http` and `https`;
/// without a port it matches only origins without one (their scheme's default port).
public struct OriginPattern: Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case any
        case exact(String)
        /// `suffix` is `.example.com`; `scheme` and `port` nil when not given / not allowed.
        case subdomains(scheme: String?, suffix: String, port: String?)
    }

    private let kind: Kind
    /// The pattern as configured.
    public let description: String

    /// Parses a pattern; nil when it is none of the forms above.
    public init?(_ text: String) {
        description = text
        let lower = text.lowercased()
        if lower == "*" {
            kind = .any
            return
        }
        var scheme: String?
        var rest = Substring(lower)
        if let range = lower.range(of: "://") {
            scheme = String(lower[..<range.lowerBound])
            rest = lower[range.upperBound...]
            guard let first = scheme?.first, first.isLetter,
                scheme!.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." })
            else { return nil }
        }
        var port: String?
        if let colon = rest.lastIndex(of: ":") {
            let digits = rest[rest.index(after: colon)...]
            guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            port = String(digits)
            rest = rest[..<colon]
        }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("?"), !rest.contains("#") else { return nil }
        if rest.hasPrefix("*.") {
            let suffix = rest.dropFirst()
            guard suffix.count > 1, !suffix.dropFirst().contains("*") else { return nil }
            kind = .subdomains(scheme: scheme, suffix: String(suffix), port: port)
        } else {
            guard let scheme, !rest.contains("*") else { return nil }
            kind = .exact(scheme + "://" + rest + (port.map { ":" + $0 } ?? ""))
        }
    }

    /// True for `*`.
    public var isWildcard: Bool { kind == .any }

    /// Whether `origin` (the request's `Origin` header value) is allowed by this pattern.
    public func matches(_ origin: String) -> Bool {
        switch kind {
        case .any:
            return true
        case .exact(let exact):
            return origin.utf8.count == exact.utf8.count && origin.lowercased() == exact
        case .subdomains(let scheme, let suffix, let port):
            let lower = origin.lowercased()
            guard let range = lower.range(of: "://") else { return false }
            let originScheme = lower[..<range.lowerBound]
            if let scheme {
                guard originScheme == scheme else { return false }
            } else {
                guard originScheme == "http" || originScheme == "https" else { return false }
            }
            var host = lower[range.upperBound...]
            var originPort: Substring?
            if let colon = host.lastIndex(of: ":") {
                originPort = host[host.index(after: colon)...]
                host = host[..<colon]
            }
            guard originPort.map(String.init) == port else { return false }
            return host.count > suffix.count && host.hasSuffix(suffix) && !host.contains("/")
        }
    }
}
