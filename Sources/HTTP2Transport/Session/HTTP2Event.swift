/// What an `HTTP2Session` reports after reading peer bytes.
///
/// Events come out in wire order. A stream's life is: `headers` (request or response), any number
/// of `data`, optionally `headers` of kind `.trailers`, then `streamClosed` — or `streamReset` and
/// `streamClosed` at any point.
public enum HTTP2Event: Sendable, Equatable {
    /// Which header block of a stream this is (RFC 9113 §8.1).
    public enum HeaderKind: Sendable, Equatable {
        /// The request header section (server side).
        case request
        /// A response header section (client side), interim 1xx or final.
        case response
        /// The trailer section, always ending the stream.
        case trailers
    }

    /// A complete header block (HEADERS plus CONTINUATIONs).
    case headers(streamID: Int32, HTTP2Headers, kind: HeaderKind, endStream: Bool)
    /// A DATA payload. The bytes count against flow control until the consumer calls
    /// `HTTP2Session.consume(streamID:count:)`; `endStream` may arrive with an empty payload.
    case data(streamID: Int32, [UInt8], endStream: Bool)
    /// This session reset the stream because of what the peer sent (e.g. a header block over
    /// `maxHeaderListSize`); `streamClosed` follows.
    case streamError(streamID: Int32, HTTP2Error)
    /// The peer reset the stream (RST_STREAM, RFC 9113 §6.4).
    case streamReset(streamID: Int32, HTTP2ErrorCode)
    /// The stream is closed for good; `errorCode` is `.noError` after a clean end. Streams above a
    /// GOAWAY's last stream ID close with `.refusedStream` and are safe to retry (RFC 9113 §6.8).
    case streamClosed(streamID: Int32, HTTP2ErrorCode)
    /// The peer will accept no stream above `lastStreamID` (RFC 9113 §6.8).
    case goAway(lastStreamID: Int32, HTTP2ErrorCode, debugData: [UInt8])
    /// The peer's SETTINGS (RFC 9113 §6.5), already applied by the session.
    case settings([HTTP2Setting])
    /// The peer acknowledged a PING we sent (RFC 9113 §6.7), echoing its 8 opaque bytes.
    case pingAck(UInt64)
    /// A send window opened for a stream (or stream 0 for the connection): pending data may now flow.
    case windowUpdate(streamID: Int32)
}
