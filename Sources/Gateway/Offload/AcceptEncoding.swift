import HTTP2Transport

/// Chooses a response's content coding from the request's `Accept-Encoding` (RFC 9110 §12.5.3):
///
/// ```
/// Accept-Encoding = #( codings [ weight ] )
/// codings         = content-coding / "identity" / "*"
/// weight          = OWS ";" OWS "q=" qvalue
/// qvalue          = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
/// ```
///
/// The coding with the highest weight wins; ties go to the server's order (`supported`). `*`
/// gives its weight to every coding not named; `identity` is acceptable unless given weight 0
/// (directly or through `*;q=0`). `x-gzip` is `gzip` (RFC 9110 §8.4.1.3). An element with a
/// malformed weight is ignored. No header means any coding is acceptable, but compressing is
/// then a choice, not a request (RFC 9110 §12.5.3), so the gateway sends identity.
public struct AcceptEncoding: Sendable, Hashable {
    /// The chosen coding; nil for identity.
    public var coding: CompressionFormat?
    /// Whether an uncompressed answer is acceptable: when false, the chosen coding must be used
    /// whatever the size, and with no coding chosen nothing is acceptable.
    public var identityAcceptable: Bool

    public init(coding: CompressionFormat?, identityAcceptable: Bool) {
        self.coding = coding
        self.identityAcceptable = identityAcceptable
    }

    /// Negotiates from the header value (nil when absent), among `supported` in preference order.
    public init(header: String?, supported: [CompressionFormat]) {
        guard let header else {
            self.init(coding: nil, identityAcceptable: true)
            return
        }
        var weights: [String: Int] = [:]  // q × 1000
        for element in header.split(separator: ",") {
            var parts = element.split(separator: ";", omittingEmptySubsequences: false).makeIterator()
            let name = (parts.next() ?? "").trimmingCharacters(in: " \t").lowercased()
            guard !name.isEmpty else { continue }
            var weight: Int? = 1000
            while let parameter = parts.next() {
                let text = parameter.trimmingCharacters(in: " \t").lowercased()
                guard text.hasPrefix("q=") else { continue }
                weight = Self.qvalue(text.dropFirst(2))
            }
            guard let weight else { continue }
            weights[name == "x-gzip" ? "gzip" : name] = weight
        }
        let star = weights["*"]
        func weight(of name: String) -> Int? { weights[name] ?? star }
        // Unlisted identity is acceptable but least preferred (weight 0.001): a client that
        // names a coding wants it. `*;q=0` without an identity entry excludes identity.
        let identityWeight = weights["identity"] ?? (star == 0 ? 0 : 1)
        var best: (format: CompressionFormat, weight: Int)?
        for format in supported {
            guard let given = weight(of: format.rawValue), given > 0 else { continue }
            if best == nil || given > best!.weight { best = (format, given) }
        }
        if let best, best.weight >= identityWeight || identityWeight == 0 {
            self.init(coding: best.format, identityAcceptable: identityWeight > 0)
        } else {
            self.init(coding: nil, identityAcceptable: identityWeight > 0)
        }
    }

    /// A qvalue in thousandths; nil when malformed.
    static func qvalue(_ text: Substring) -> Int? {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1") else { return nil }
        var value = Int(first - UInt8(ascii: "0")) * 1000
        if bytes.count == 1 { return value }
        guard bytes[1] == UInt8(ascii: "."), bytes.count <= 5 else { return nil }
        var scale = 100
        for digit in bytes[2...] {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value += Int(digit - UInt8(ascii: "0")) * scale
            scale /= 10
        }
        return value <= 1000 ? value : nil
    }
}
