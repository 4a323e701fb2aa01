/// The zlib container formats that HTTP and gRPC name.
///
/// gRPC's `gzip` and HTTP's `Content-Encoding: gzip` are RFC 1952; gRPC's `deflate` and HTTP's
/// `deflate` are the zlib format of RFC 1950 (RFC 9110 §8.4.1.2), not raw RFC 1951 data.
public enum CompressionFormat: String, Sendable, Hashable, CaseIterable {
    case gzip
    case deflate

    /// zlib's `windowBits` for this format: 15 for zlib, 15 + 16 for gzip.
    var windowBits: Int32 {
        switch self {
        case .gzip: 15 + 16
        case .deflate: 15
        }
    }
}

/// A compression or decompression failure.
public struct CompressionError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable { case corruptInput, outputLimitExceeded, truncatedInput, zlibFailure }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The input is not valid data of the format.
        public static let corruptInput = Code(.corruptInput)
        /// Inflating would exceed the caller's size limit (a decompression bomb is stopped here).
        public static let outputLimitExceeded = Code(.outputLimitExceeded)
        /// The input ended before the compressed stream did.
        public static let truncatedInput = Code(.truncatedInput)
        /// zlib reported an internal failure (out of memory, bad parameters).
        public static let zlibFailure = Code(.zlibFailure)

        public var description: String {
            switch base {
            case .corruptInput: "corrupt compressed data"
            case .outputLimitExceeded: "decompressed size exceeds the limit"
            case .truncatedInput: "compressed data is truncated"
            case .zlibFailure: "zlib failure"
            }
        }
    }

    public let code: Code
    public let detail: String

    init(_ code: Code, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? "\(code)" : "\(code): \(detail)" }
}
