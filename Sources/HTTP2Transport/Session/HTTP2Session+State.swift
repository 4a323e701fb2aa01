/// The session's mutable state, in one allocation the session owns (`state`), read and changed
/// as `state.pointee.…`.
///
/// Why: Swift checks exclusive access to a class's stored `var` properties at run time (a
/// thread-local access set per access), and these are touched several times per frame by
/// nghttp2's callbacks: those checks were ~20% of a unary exchange's instructions through a
/// client/server session pair (callgrind). Accesses through the pointer are not checked. The
/// session is confined to one thread and never re-entered from a callback, so no two accesses
/// overlap; the checks found none while these were stored properties.
extension HTTP2Session {
    struct State {
        var events: [HTTP2Event] = []
        /// The header block being received and its stream (0 when none). Blocks never interleave
        /// (RFC 9113 §4.3: a HEADERS frame's CONTINUATIONs follow it with no other frame between), so
        /// one slot serves every stream and a header field costs no dictionary lookup.
        var inboundHeaders = InboundHeaderBlock(headers: HTTP2Headers(minimumCapacity: 8))
        var inboundHeadersStreamID: Int32 = 0
        /// The DATA frame being received: its stream and payload so far (`appendInboundChunk`).
        var inboundData: [UInt8] = []
        var inboundStreamID: Int32 = 0
        /// The frame in `inboundData` was reported (or dropped): the next chunk starts a new one.
        var inboundReported = true
        /// Buffers of the frames reported since the last `feed` began, reused by the next one.
        var inboundBuffers: [[UInt8]] = []
        var inboundBufferIndex = 0
        var outbound: [Int32: OutboundStream] = [:]
        var streamsAwaitingTrailers: [Int32] = []
        /// Server streams whose response just ended (END_STREAM sent), checked once `mem_send`
        /// returns: if the request is still open they get RST_STREAM(NO_ERROR) (RFC 9113 §8.1).
        var completedResponses: [Int32] = []
        var callbackError: HTTP2Error?
        var lastLibraryMessage = ""
        var openStreams: Set<Int32> = []
        /// DATA bytes nghttp2 reported (`receivedDataBytes`) and bytes credited back to the peer
        /// (`creditedDataBytes`): by the consumer through `consume`, or by the session itself for
        /// bytes no consumer will ever see. Their difference is what the connection window holds.
        var receivedDataBytes = 0
        var creditedDataBytes = 0
        /// Connection credit for DATA dropped inside a callback, applied once nghttp2 returns (a
        /// callback must not call back into nghttp2).
        var pendingConnectionCredit = 0
        var requestedGoAway = false
        /// Header blocks handed out recently, handed out again for an identical block.
        var recentHeaderBlocks: [HTTP2Headers] = []
    }
}
