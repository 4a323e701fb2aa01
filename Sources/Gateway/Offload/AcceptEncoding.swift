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
    /// One pass over the bytes, no allocation: only the codings the gateway knows, `identity`
    /// and `*` are kept (a later element for the same coding replaces an earlier one).
    public init(header: String?, supported: [CompressionFormat]) {
        guard var header else {
            self.init(coding: nil, identityAcceptable: true)
            return
        }
        var weights = Weights()
        header.withUTF8 { bytes in
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
                Self.element(UnsafeBufferPointer(rebasing: bytes[start..<end]), into: &weights)
                start = end + 1
            }
        }
        // Unlisted identity is acceptable but least preferred (weight 0.001): a client that
        // names a coding wants it. `*;q=0` without an identity entry excludes identity.
        let identityWeight = weights.identity ?? (weights.star == 0 ? 0 : 1)
        var best: (format: CompressionFormat, weight: Int)?
        for format in supported {
            guard let given = weights[format] ?? weights.star, given > 0 else { continue }
            if best == nil || given > best!.weight { best = (format, given) }
        }
        if let best, best.weight >= identityWeight || identityWeight == 0 {
            self.init(coding: best.format, identityAcceptable: identityWeight > 0)
        } else {
            self.init(coding: nil, identityAcceptable: identityWeight > 0)
        }
    }

    /// The weights (q × 1000) the header gave, per coding the gateway knows.
    private struct Weights {
        var gzip: Int?, deflate: Int?, identity: Int?, star: Int?
        subscript(format: CompressionFormat) -> Int? {
            switch format {
            case .gzip: gzip
            case .deflate: deflate
            }
        }
    }

    /// One `codings [ weight ]` element: its name (OWS trimmed, ASCII case ignored) and the
    /// weight of its `q` parameter (1 without one); an element with a malformed weight is ignored.
    private static func element(_ bytes: UnsafeBufferPointer<UInt8>, into weights: inout Weights) {
        func part(from start: Int) -> Slice<UnsafeBufferPointer<UInt8>> {
            bytes[start..<(bytes[start...].firstIndex(of: UInt8(ascii: ";")) ?? bytes.count)]
        }
        var next = 0
        let name = trimmed(part(from: 0))
        guard !name.isEmpty else { return }
        next = name.endIndex
        var weight: Int? = 1000
        while let semicolon = bytes[next...].firstIndex(of: UInt8(ascii: ";")) {
            let parameter = part(from: semicolon + 1)
            next = parameter.endIndex
            let text = trimmed(parameter)
            guard text.count >= 2, text[text.startIndex] | 0x20 == UInt8(ascii: "q"),
                text[text.startIndex + 1] == UInt8(ascii: "=")
            else { continue }
            weight = qvalue(text.dropFirst(2))
        }
        guard let weight else { return }
        if equalsIgnoringCase(name, "gzip") || equalsIgnoringCase(name, "x-gzip") {
            weights.gzip = weight
        } else if equalsIgnoringCase(name, "deflate") {
            weights.deflate = weight
        } else if equalsIgnoringCase(name, "identity") {
            weights.identity = weight
        } else if name.count == 1, name[name.startIndex] == UInt8(ascii: "*") {
            weights.star = weight
        }
    }

    /// `bytes` without leading and trailing spaces and tabs (OWS, RFC 9110 §5.6.3).
    private static func trimmed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var slice = bytes
        while let first = slice.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { slice.removeFirst() }
        while let last = slice.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { slice.removeLast() }
        return slice
    }

    /// Whether `bytes` spell `lowercase` (ASCII letters, `-`) in any case.
    private static func equalsIgnoringCase(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ lowercase: StaticString)
        -> Bool
    {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        return zip(bytes, expected).allSatisfy { byte, want in
            byte == want || (want >= UInt8(ascii: "a") && byte | 0x20 == want)
        }
    }

    /// A qvalue in thousandths; nil when malformed.
    static func qvalue(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        guard let first = bytes.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1") else { return nil }
        var value = Int(first - UInt8(ascii: "0")) * 1000
        if bytes.count == 1 { return value }
        guard bytes[bytes.startIndex + 1] == UInt8(ascii: "."), bytes.count <= 5 else { return nil }
        var scale = 100
        for digit in bytes.dropFirst(2) {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value += Int(digit - UInt8(ascii: "0")) * scale
            scale /= 10
        }
        return value <= 1000 ? value : nil
    }
}
