import Gateway
import HTTP2Transport

/// The oracle of the byte-level `AcceptEncoding` parser: the same RFC 9110 §12.5.3 rules
/// written the plain way, on `String`s and a dictionary (the parser's first version). The
/// fuzzer checks that both negotiate the same coding and identity acceptability.
enum AcceptEncodingOracle {
    static func negotiate(_ header: String, supported: [CompressionFormat]) -> AcceptEncoding {
        var weights: [String: Int] = [:]  // q × 1000
        // Split on the bytes: a `;` or `,` followed by a combining mark is one Character, but
        // still a delimiter of the header's grammar (RFC 9110 §5.6.1).
        for element in header.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let parts = element.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).map(Substring.init)
            let name = trim(parts[0]).lowercased()
            guard !name.isEmpty else { continue }
            var weight: Int? = 1000
            for parameter in parts.dropFirst() {
                let text = trim(parameter).lowercased()
                guard text.utf8.starts(with: "q=".utf8) else { continue }  // bytes, as above
                weight = qvalue(Array(text.utf8.dropFirst(2)))
            }
            guard let weight else { continue }
            weights[name == "x-gzip" ? "gzip" : name] = weight
        }
        let star = weights["*"]
        let identityWeight = weights["identity"] ?? (star == 0 ? 0 : 1)
        var best: (format: CompressionFormat, weight: Int)?
        for format in supported {
            guard let given = weights[format.rawValue] ?? star, given > 0 else { continue }
            if best == nil || given > best!.weight { best = (format, given) }
        }
        if let best, best.weight >= identityWeight || identityWeight == 0 {
            return AcceptEncoding(coding: best.format, identityAcceptable: identityWeight > 0)
        }
        return AcceptEncoding(coding: nil, identityAcceptable: identityWeight > 0)
    }

    /// OWS (space, tab) trimmed; ASCII only, as the parser does.
    static func trim(_ text: Substring) -> Substring {
        var slice = text.utf8[...]
        while let first = slice.first, first == 0x20 || first == 0x09 { slice.removeFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice.removeLast() }
        return Substring(slice)
    }

    static func qvalue(_ bytes: [UInt8]) -> Int? {
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
