/// Writes gRPC's length-prefixed messages (gRPC `doc/PROTOCOL-HTTP2.md`):
///
/// ```
/// Length-Prefixed-Message → Compressed-Flag Message-Length Message
/// Compressed-Flag → 0 / 1   # encoded as 1 byte unsigned integer
/// Message-Length  → {length of Message}   # encoded as 4 byte unsigned integer (big endian)
/// ```
///
/// With a compression format, every message is compressed on its own (a complete gzip or zlib
/// stream) and flagged 1; messages smaller than `minimumCompressedSize` go uncompressed (flag 0).
public struct GRPCMessageFramer: Sendable {
    public var compression: CompressionFormat?
    public var minimumCompressedSize: Int

    public init(compression: CompressionFormat? = nil, minimumCompressedSize: Int = 0) {
        self.compression = compression
        self.minimumCompressedSize = minimumCompressedSize
    }

    /// Appends one framed message to `output`.
    public func frame(_ message: [UInt8], into output: inout [UInt8]) throws(GRPCStatus) {
        if let compression, message.count >= minimumCompressedSize {
            let compressed: [UInt8]
            do {
                compressed = try Deflater.compress(message, format: compression)
            } catch {
                throw GRPCStatus(.internal, "compressing a message: \(error)")
            }
            Self.writePrefix(compressed: true, length: compressed.count, into: &output)
            output += compressed
        } else {
            Self.writePrefix(compressed: false, length: message.count, into: &output)
            output += message
        }
    }

    /// One framed message as a new array.
    public func frame(_ message: [UInt8]) throws(GRPCStatus) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + 5)
        try frame(message, into: &output)
        return output
    }

    static func writePrefix(compressed: Bool, length: Int, into output: inout [UInt8]) {
        let length = UInt32(truncatingIfNeeded: length)
        output.append(compressed ? 1 : 0)
        output.append(UInt8(length >> 24))
        output.append(UInt8(length >> 16 & 0xFF))
        output.append(UInt8(length >> 8 & 0xFF))
        output.append(UInt8(length & 0xFF))
    }
}
