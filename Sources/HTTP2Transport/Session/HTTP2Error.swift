/// A failure of an HTTP/2 session or of one of its streams.
///
/// Connection-level errors (`protocolError`, `flowControl`, …) end the session: the session has
/// already queued a GOAWAY that draining output will send. Stream-level ones affect one stream.
public struct HTTP2Error: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case protocolError, flowControl, headerListTooLarge, streamIDsExhausted, sessionClosed
            case unknownStream, invalidArgument, internalFailure
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The peer broke RFC 9113 (bad frame, bad preface, bad HPACK, malformed message).
        public static let protocolError = Code(.protocolError)
        /// The peer overran a flow-control window (RFC 9113 §6.9.1).
        public static let flowControl = Code(.flowControl)
        /// A header block exceeded the configured `maxHeaderListSize` (RFC 9113 §6.5.2).
        public static let headerListTooLarge = Code(.headerListTooLarge)
        /// No stream ID is left on this connection, or the peer sent GOAWAY: open a new connection.
        public static let streamIDsExhausted = Code(.streamIDsExhausted)
        /// The session has ended (GOAWAY sent or received, or a fatal error).
        public static let sessionClosed = Code(.sessionClosed)
        /// The stream does not exist or is already closed.
        public static let unknownStream = Code(.unknownStream)
        /// A caller passed something nghttp2 refuses (e.g. an invalid header name).
        public static let invalidArgument = Code(.invalidArgument)
        /// nghttp2 reported a failure of its own (out of memory).
        public static let internalFailure = Code(.internalFailure)

        public var description: String {
            switch base {
            case .protocolError: "protocol error"
            case .flowControl: "flow-control error"
            case .headerListTooLarge: "header list too large"
            case .streamIDsExhausted: "no stream IDs available"
            case .sessionClosed: "session closed"
            case .unknownStream: "unknown stream"
            case .invalidArgument: "invalid argument"
            case .internalFailure: "internal failure"
            }
        }
    }

    public let code: Code
    /// What happened, for people (nghttp2's own message where it gave one).
    public let detail: String
    /// The stream the error concerns, or nil for the connection.
    public let streamID: Int32?

    init(_ code: Code, _ detail: String, streamID: Int32? = nil) {
        self.code = code
        self.detail = detail
        self.streamID = streamID
    }

    public var description: String {
        let location = streamID.map { " (stream \($0))" } ?? ""
        return detail.isEmpty ? "HTTP/2 \(code)\(location)" : "HTTP/2 \(code)\(location): \(detail)"
    }
}
