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
        let (payload, compressed) = try payload(of: message)
        Self.writePrefix(compressed: compressed, length: payload.count, into: &output)
        output += payload
    }

    /// What follows the prefix of `message`'s frame, and whether it is compressed: for writers
    /// that send the prefix (`withPrefix`) on its own. Uncompressed, it is `message` itself.
    func payload(of message: [UInt8]) throws(GRPCStatus) -> (payload: [UInt8], compressed: Bool) {
        guard let compression, message.count >= minimumCompressedSize else { return (message, false) }
        do {
            return (try Deflater.compress(message, format: compression), true)
        } catch {
            throw GRPCStatus(.internal, "compressing a message: \(error)")
        }
    }

    /// Runs `body` with the 5-byte prefix of a message whose payload is `length` bytes.
    static func withPrefix<R>(compressed: Bool, length: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let length = UInt32(truncatingIfNeeded: length)
        let prefix: (UInt8, UInt8, UInt8, UInt8, UInt8) = (
            compressed ? 1 : 0, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF),
            UInt8(length & 0xFF)
        )
        return withUnsafeBytes(of: prefix) { body($0) }
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
