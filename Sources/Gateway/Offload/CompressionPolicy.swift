import HTTP2Transport

/// Which responses the gateway compresses, and how (RFC 9110 §8.4 content codings, through zlib).
///
/// A response is compressed when the client accepts a coding (``AcceptEncoding``), its content
/// type is one of ``contentTypes`` and not an already-compressed format, it has no
/// `Content-Encoding` yet (never twice), and its body is at least ``minimumSize`` bytes — or it
/// is streamed (size unknown), or the client refused identity.
public struct CompressionPolicy: Sendable, Hashable {
    /// The codings offered, in the server's preference order (ties in `Accept-Encoding`).
    public var formats: [CompressionFormat]
    /// Smaller complete bodies are sent as they are: compressing them costs more than it saves.
    public var minimumSize: Int
    /// Media types worth compressing: `type/subtype`, `type/*`, or `type/*+suffix` (RFC 6839).
    public var contentTypes: [String]
    /// zlib's level, 1 (fastest) to 9 (smallest); 6 is zlib's default trade-off.
    public var level: Int

    /// The types of `serve --compress`: JSON (with `+json` and NDJSON), text (SSE included),
    /// JavaScript, XML and SVG.
    public static let defaultContentTypes = [
        "application/json", "application/*+json", "application/x-ndjson", "application/jsonl", "text/*",
        "application/javascript", "application/xml", "application/*+xml", "image/svg+xml",
    ]

    /// Formats that are compressed already; never compressed again whatever ``contentTypes`` says.
    static let compressedTypes: Set<String> = [
        "application/gzip", "application/x-gzip", "application/zip", "application/zstd", "application/x-bzip2",
        "application/x-xz", "application/x-7z-compressed", "application/vnd.rar", "application/x-brotli",
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "font/woff", "font/woff2",
    ]

    /// The defaults of `serve --compress`: gzip then deflate, 1 KiB and up, JSON and text types.
    public init(
        formats: [CompressionFormat] = [.gzip, .deflate], minimumSize: Int = 1024,
        contentTypes: [String] = CompressionPolicy.defaultContentTypes, level: Int = 6
    ) {
        self.formats = formats
        self.minimumSize = minimumSize
        self.contentTypes = contentTypes
        self.level = level
    }

    /// Whether a body of this `Content-Type` is worth compressing.
    public func compresses(contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media = contentType.prefix { $0 != ";" }.trimmingCharacters(in: " \t").lowercased()
        guard let slash = media.firstIndex(of: "/") else { return false }
        if Self.compressedTypes.contains(media) || media.hasPrefix("video/") || media.hasPrefix("audio/") { return false }
        let type = media[..<slash]
        let subtype = media[media.index(after: slash)...]
        return contentTypes.contains { pattern in
            let pattern = pattern.lowercased()
            if pattern == media { return true }
            guard let patternSlash = pattern.firstIndex(of: "/"), pattern[..<patternSlash] == type else { return false }
            let patternSubtype = pattern[pattern.index(after: patternSlash)...]
            if patternSubtype == "*" { return true }
            if patternSubtype.hasPrefix("*+") { return subtype.hasSuffix(patternSubtype.dropFirst()) }
            return false
        }
    }
}
