extension HTTP2Session {
    /// Which end of the connection a session plays (RFC 9113 §5.1.1: clients use odd stream IDs).
    public enum Role: Sendable, Hashable {
        case client
        case server
    }

    /// Limits and SETTINGS a session advertises. Every field bounds something a peer controls.
    public struct Configuration: Sendable, Hashable {
        /// SETTINGS_MAX_CONCURRENT_STREAMS we allow the peer to open (RFC 9113 §6.5.2).
        public var maxConcurrentStreams: UInt32 = 100
        /// SETTINGS_INITIAL_WINDOW_SIZE: how many bytes a peer may send on one stream before the
        /// consumer reads them (RFC 9113 §6.9.2). At most 2^31-1.
        public var initialStreamWindowSize: UInt32 = 65_535
        /// The connection-level receive window, raised from 65,535 by a WINDOW_UPDATE at start.
        public var connectionWindowSize: UInt32 = 1 << 20
        /// SETTINGS_MAX_HEADER_LIST_SIZE, enforced on receipt: larger blocks reset the stream.
        public var maxHeaderListSize: UInt32 = 16 * 1024
        /// SETTINGS_MAX_FRAME_SIZE we accept (RFC 9113 §6.5.2: 16,384 to 16,777,215).
        public var maxFrameSize: UInt32 = 16_384
        /// The most HPACK dynamic-table space our header encoder uses (RFC 7541 §4.2, §6.3; never
        /// more than the peer's SETTINGS_HEADER_TABLE_SIZE); nil keeps nghttp2's 4,096. Every
        /// indexed field stays allocated for the connection's life, so a server whose answers
        /// carry a unique field (a request id) fills the table with dead entries on every
        /// connection (~8 KB each in nghttp2); 0 sends literals and keeps no table.
        public var maxEncoderTableSize: UInt32?

        public init() {}
    }
}
