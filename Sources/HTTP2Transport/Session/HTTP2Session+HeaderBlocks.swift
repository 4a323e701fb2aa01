#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Collecting inbound header blocks (RFC 9113 §4.3, §8.2).
///
/// Fields are collected into one scratch list that keeps its storage from block to block. A
/// completed block that has exactly the fields of one handed out recently is handed out as that
/// same list (shared storage): gRPC exchanges repeat their header blocks verbatim (`:status 200`
/// with `content-type: application/grpc`, then `grpc-status: 0`; a client calling one method
/// sends the same request headers every time), so a steady stream of calls allocates no header
/// lists. Any other block is copied out once, at its exact size.
///
/// While a block's fields equal the first fields of a recent block, they are only compared with
/// it as they arrive (`memcmp` of the received bytes against the kept strings): no strings are
/// made and nothing is collected. At the first difference the matched fields are copied into the
/// scratch list (sharing the kept strings) and collecting goes on as usual.
extension HTTP2Session {
    /// At most this many recent blocks are kept for reuse, each at most `reusableBlockSize`.
    static let recentHeaderBlocksKept = 4
    static let reusableBlockSize = 512
    /// The scratch list gives back storage grown past this many fields by an unusual block.
    static let scratchFieldsKept = 32

    /// Starts collecting the header block of stream `id`.
    func beginHeaderBlock(_ id: Int32) {
        state.pointee.inboundHeadersStreamID = id
        if state.pointee.inboundHeaders.headers.fields.capacity > Self.scratchFieldsKept {
            state.pointee.inboundHeaders.headers = HTTP2Headers(minimumCapacity: 8)
        } else {
            state.pointee.inboundHeaders.headers.removeAll(keepingCapacity: true)
        }
        state.pointee.inboundHeaders.size = 0
        state.pointee.inboundHeaders.rejected = false
        state.pointee.inboundHeaders.candidate = state.pointee.recentHeaderBlocks.isEmpty ? -1 : 0
        state.pointee.inboundHeaders.matched = 0
    }

    /// Adds one received field to the block being collected.
    func addHeaderField(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        if state.pointee.inboundHeaders.candidate >= 0 {
            if matchRecentBlock(name: name, value: value) { return }
            collectMatchedFields()
        }
        state.pointee.inboundHeaders.headers.add(
            name: HeaderStringTable.string(name), value: HeaderStringTable.string(value))
    }

    /// Advances the match if the field is the next one of the candidate, or of another recent
    /// block that starts with the same fields as the candidate.
    private func matchRecentBlock(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        let matched = state.pointee.inboundHeaders.matched
        let candidate = state.pointee.recentHeaderBlocks[state.pointee.inboundHeaders.candidate].fields
        if Self.field(of: candidate, at: matched, is: name, value) {
            state.pointee.inboundHeaders.matched += 1
            return true
        }
        for index in state.pointee.recentHeaderBlocks.indices where index != state.pointee.inboundHeaders.candidate {
            let other = state.pointee.recentHeaderBlocks[index].fields
            if Self.field(of: other, at: matched, is: name, value),
                Self.sameBytes(other[0..<matched], candidate[0..<matched])
            {
                state.pointee.inboundHeaders.candidate = index
                state.pointee.inboundHeaders.matched += 1
                return true
            }
        }
        return false
    }

    /// Copies the fields matched so far into the scratch list and stops matching.
    private func collectMatchedFields() {
        let candidate = state.pointee.recentHeaderBlocks[state.pointee.inboundHeaders.candidate].fields
        for field in candidate[0..<state.pointee.inboundHeaders.matched] {
            state.pointee.inboundHeaders.headers.add(name: field.name, value: field.value)
        }
        state.pointee.inboundHeaders.candidate = -1
        state.pointee.inboundHeaders.matched = 0
    }

    private static func field(
        of fields: [HTTP2Headers.Field], at index: Int, is name: UnsafeBufferPointer<UInt8>,
        _ value: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        index < fields.count && sameBytes(fields[index].name, name) && sameBytes(fields[index].value, value)
    }

    /// The header block of stream `id` just completed, if it is the one collected and was not
    /// rejected; nothing is collected afterwards until the next block begins.
    func takeHeaderBlock(_ id: Int32) -> HTTP2Headers? {
        guard state.pointee.inboundHeadersStreamID == id else { return nil }
        state.pointee.inboundHeadersStreamID = 0
        guard !state.pointee.inboundHeaders.rejected else { return nil }
        if state.pointee.inboundHeaders.candidate >= 0 {
            let candidate = state.pointee.recentHeaderBlocks[state.pointee.inboundHeaders.candidate]
            if state.pointee.inboundHeaders.matched == candidate.count { return candidate }
            collectMatchedFields()  // a shorter block: it may equal another recent block
        }
        for block in state.pointee.recentHeaderBlocks
        where Self.sameBytes(block.fields[...], state.pointee.inboundHeaders.headers.fields[...]) {
            return block
        }
        let block = HTTP2Headers(copying: state.pointee.inboundHeaders.headers)
        if state.pointee.inboundHeaders.size <= Self.reusableBlockSize {
            if state.pointee.recentHeaderBlocks.count == Self.recentHeaderBlocksKept {
                state.pointee.recentHeaderBlocks.removeFirst()
            }
            state.pointee.recentHeaderBlocks.append(block)
        }
        return block
    }

    /// Byte equality of two field lists. `String ==` compares by canonical equivalence, which
    /// would hand a value received in NFD the bytes of an earlier one received in NFC.
    static func sameBytes(_ a: ArraySlice<HTTP2Headers.Field>, _ b: ArraySlice<HTTP2Headers.Field>) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard sameBytes(x.name, y.name), sameBytes(x.value, y.value) else { return false }
        }
        return true
    }

    /// Byte equality of two strings: one `memcmp` when both are stored contiguously (every
    /// string the session makes), element by element otherwise.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        let x = a.utf8
        let y = b.utf8
        guard x.count == y.count else { return false }
        let equal = x.withContiguousStorageIfAvailable { p in
            y.withContiguousStorageIfAvailable { q in
                p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0
            }
        }
        return (equal ?? nil) ?? x.elementsEqual(y)
    }

    /// Byte equality of a string and received bytes.
    static func sameBytes(_ string: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let utf8 = string.utf8
        guard utf8.count == bytes.count else { return false }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        let equal = utf8.withContiguousStorageIfAvailable { memcmp($0.baseAddress!, base, bytes.count) == 0 }
        return equal ?? utf8.elementsEqual(bytes)
    }
}
