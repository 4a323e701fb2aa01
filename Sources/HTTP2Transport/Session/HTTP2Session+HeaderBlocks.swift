/// Collecting inbound header blocks (RFC 9113 §4.3, §8.2).
///
/// Fields are collected into one scratch list that keeps its storage from block to block. A
/// completed block that has exactly the fields of one handed out recently is handed out as that
/// same list (shared storage): gRPC exchanges repeat their header blocks verbatim (`:status 200`
/// with `content-type: application/grpc`, then `grpc-status: 0`; a client calling one method
/// sends the same request headers every time), so a steady stream of calls allocates no header
/// lists. Any other block is copied out once, at its exact size.
extension HTTP2Session {
    /// At most this many recent blocks are kept for reuse, each at most `reusableBlockSize`.
    static let recentHeaderBlocksKept = 4
    static let reusableBlockSize = 512
    /// The scratch list gives back storage grown past this many fields by an unusual block.
    static let scratchFieldsKept = 32

    /// Starts collecting the header block of stream `id`.
    func beginHeaderBlock(_ id: Int32) {
        inboundHeadersStreamID = id
        if inboundHeaders.headers.fields.capacity > Self.scratchFieldsKept {
            inboundHeaders.headers = HTTP2Headers(minimumCapacity: 8)
        } else {
            inboundHeaders.headers.removeAll(keepingCapacity: true)
        }
        inboundHeaders.size = 0
        inboundHeaders.rejected = false
    }

    /// The header block of stream `id` just completed, if it is the one collected and was not
    /// rejected; nothing is collected afterwards until the next block begins.
    func takeHeaderBlock(_ id: Int32) -> HTTP2Headers? {
        guard inboundHeadersStreamID == id else { return nil }
        inboundHeadersStreamID = 0
        guard !inboundHeaders.rejected else { return nil }
        for block in recentHeaderBlocks where Self.sameBytes(block.fields, inboundHeaders.headers.fields) {
            return block
        }
        let block = HTTP2Headers(copying: inboundHeaders.headers)
        if inboundHeaders.size <= Self.reusableBlockSize {
            if recentHeaderBlocks.count == Self.recentHeaderBlocksKept { recentHeaderBlocks.removeFirst() }
            recentHeaderBlocks.append(block)
        }
        return block
    }

    /// Byte equality of two field lists. `String ==` compares by canonical equivalence, which
    /// would hand a value received in NFD the bytes of an earlier one received in NFC.
    static func sameBytes(_ a: [HTTP2Headers.Field], _ b: [HTTP2Headers.Field]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.name.utf8.elementsEqual(y.name.utf8), x.value.utf8.elementsEqual(y.value.utf8) else { return false }
        }
        return true
    }
}
