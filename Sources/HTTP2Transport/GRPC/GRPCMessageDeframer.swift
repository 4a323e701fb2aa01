/// Reads gRPC's length-prefixed messages out of a stream's DATA, however it is split (see
/// `GRPCMessageFramer` for the grammar).
///
/// The declared length is checked against `maxMessageSize` as soon as the 5-byte prefix arrives,
/// before any of the message is buffered, and inflation stops at the same limit, so neither a
/// large prefix nor a compression bomb makes memory grow past it (`RESOURCE_EXHAUSTED`).
///
/// ```swift
/// var deframer = GRPCMessageDeframer(maxMessageSize: 4 << 20, encoding: responseEncoding)
/// for await chunk in body {
///     deframer.append(chunk)
///     while let message = try deframer.next() { handle(message) }
/// }
/// try deframer.finish()   // leftover bytes are a truncated message
/// ```
public struct GRPCMessageDeframer: Sendable {
    public let maxMessageSize: Int
    /// The `grpc-encoding` the sender declared; nil is `identity`.
    public let encoding: CompressionFormat?
    /// The framed size (prefix included) of the message `next()` last returned.
    public private(set) var lastWireSize = 0
    private var buffer: [UInt8] = []
    private var readIndex = 0

    public init(maxMessageSize: Int, encoding: CompressionFormat?) {
        self.maxMessageSize = maxMessageSize
        self.encoding = encoding
    }

    public mutating func append(_ bytes: [UInt8]) {
        compact()
        if buffer.isEmpty {
            buffer = bytes  // nothing pending: share the array instead of copying it
        } else {
            buffer += bytes
        }
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Bytes received but not yet returned as a message.
    public var bufferedBytes: Int { buffer.count - readIndex }

    /// The next complete message, or nil if more bytes are needed.
    public mutating func next() throws(GRPCStatus) -> [UInt8]? {
        guard bufferedBytes >= 5 else { return nil }
        let flag = buffer[readIndex]
        let length =
            Int(buffer[readIndex + 1]) << 24 | Int(buffer[readIndex + 2]) << 16 | Int(buffer[readIndex + 3]) << 8
            | Int(buffer[readIndex + 4])
        guard flag <= 1 else {
            throw GRPCStatus(.internal, "invalid compressed flag \(flag) in a message prefix")
        }
        guard length <= maxMessageSize else {
            throw GRPCStatus(
                .resourceExhausted, "message of \(length) bytes exceeds the limit of \(maxMessageSize) bytes")
        }
        guard bufferedBytes >= 5 + length else { return nil }
        let start = readIndex + 5
        readIndex = start + length
        lastWireSize = 5 + length
        let payload = Array(buffer[start..<readIndex])
        if readIndex == buffer.count {
            // Everything was read: let go of the storage (it may be a DATA payload shared with
            // the session, which reuses it for the next frame once nobody else holds it).
            buffer = []
            readIndex = 0
        }
        guard flag == 1 else { return payload }
        guard let encoding else {
            throw GRPCStatus(.internal, "compressed message but no grpc-encoding was declared")
        }
        do {
            return try Inflater.decompress(payload, format: encoding, outputLimit: maxMessageSize)
        } catch where error.code == .outputLimitExceeded {
            throw GRPCStatus(
                .resourceExhausted, "decompressed message exceeds the limit of \(maxMessageSize) bytes")
        } catch {
            throw GRPCStatus(.internal, "decompressing a \(encoding) message: \(error)")
        }
    }

    /// Checks the stream ended on a message boundary.
    public func finish() throws(GRPCStatus) {
        if bufferedBytes > 0 {
            throw GRPCStatus(.internal, "stream ended inside a message (\(bufferedBytes) bytes left over)")
        }
    }

    private mutating func compact() {
        if readIndex > 0 && readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > 4096 && readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }
}
