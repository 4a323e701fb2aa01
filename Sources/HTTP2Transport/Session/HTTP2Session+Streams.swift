internal import CNGHTTP2

/// Opening, feeding, ending and resetting streams; flow-control credit; PING and GOAWAY.
extension HTTP2Session {
    /// Opens a stream with a request header section (client role, RFC 9113 §8.1).
    ///
    /// If the peer's SETTINGS_MAX_CONCURRENT_STREAMS is reached, nghttp2 holds the HEADERS until a
    /// stream closes. Throws `.streamIDsExhausted` when this connection can open no more streams.
    /// - Returns: the new stream's ID.
    public func submitRequest(_ headers: HTTP2Headers, endStream: Bool) throws(HTTP2Error) -> Int32 {
        guard role == .client else { throw HTTP2Error(.invalidArgument, "only a client submits requests") }
        guard nghttp2_session_check_request_allowed(session) != 0 else {
            throw HTTP2Error(.streamIDsExhausted, "the connection accepts no new streams")
        }
        let id: Int32
        if endStream {
            id = nameValueCache.withConverted(headers) { nghttp2_submit_request(session, nil, $0, $1, nil, nil) }
        } else {
            var provider = Self.dataProvider
            id = nameValueCache.withConverted(headers) { nghttp2_submit_request(session, nil, $0, $1, &provider, nil) }
        }
        guard id > 0 else { throw Self.translate(id, "submit request") }
        state.pointee.openStreams.insert(id)
        if !endStream { state.pointee.outbound[id] = OutboundStream() }
        return id
    }

    /// Sends the response header section of a stream the peer opened (server role).
    ///
    /// With `endStream` this is a complete header-only response — for gRPC, a trailers-only one.
    public func submitResponse(streamID: Int32, _ headers: HTTP2Headers, endStream: Bool) throws(HTTP2Error) {
        guard role == .server else { throw HTTP2Error(.invalidArgument, "only a server submits responses") }
        let status: Int32
        if endStream {
            status = withNameValues(headers) { nghttp2_submit_response(session, streamID, $0, $1, nil) }
        } else {
            var provider = Self.dataProvider
            status = withNameValues(headers) { nghttp2_submit_response(session, streamID, $0, $1, &provider) }
            if status == 0 { state.pointee.outbound[streamID] = OutboundStream() }
        }
        try check(status, "submit response", streamID: streamID)
    }

    /// Queues body bytes for a stream opened with `endStream: false`. They leave as DATA frames as
    /// the peer's flow-control windows allow; `bufferedBytes(streamID:)` shows what still waits.
    public func sendData(streamID: Int32, _ bytes: UnsafeRawBufferPointer, endStream: Bool) throws(HTTP2Error) {
        let index = try openBody(streamID)
        state.pointee.outbound.values[index].append(bytes)
        endBody(at: index, streamID: streamID, endStream: endStream)
    }

    /// Queues body bytes for a stream. Bytes queued on an empty body are kept as they are, without
    /// a copy (a unary request's framed message becomes the stream's buffer).
    public func sendData(streamID: Int32, _ bytes: [UInt8], endStream: Bool) throws(HTTP2Error) {
        let index = try openBody(streamID)
        state.pointee.outbound.values[index].append(bytes)
        endBody(at: index, streamID: streamID, endStream: endStream)
    }

    /// Queues `prefix` then `bytes` (a gRPC message prefix and its message) for a stream. On an
    /// empty body neither is copied here: the prefix is held inline and `bytes` kept as they are.
    func sendData(streamID: Int32, _ bytes: [UInt8], after prefix: OutboundStream.Prefix, endStream: Bool)
        throws(HTTP2Error)
    {
        let index = try openBody(streamID)
        state.pointee.outbound.values[index].append(bytes, after: prefix)
        endBody(at: index, streamID: streamID, endStream: endStream)
    }

    /// The position in `outbound` of a stream whose body is still open (one hash per call).
    private func openBody(_ streamID: Int32) throws(HTTP2Error) -> Dictionary<Int32, OutboundStream>.Index {
        guard let index = state.pointee.outbound.index(forKey: streamID) else {
            throw HTTP2Error(.unknownStream, "no open body to send data on", streamID: streamID)
        }
        guard case .open = state.pointee.outbound.values[index].ending else {
            throw HTTP2Error(.invalidArgument, "the body already ended", streamID: streamID)
        }
        return index
    }

    private func endBody(at index: Dictionary<Int32, OutboundStream>.Index, streamID: Int32, endStream: Bool) {
        if endStream { state.pointee.outbound.values[index].ending = .endStream }
        guard state.pointee.outbound.values[index].isDeferred else { return }
        state.pointee.outbound.values[index].isDeferred = false
        _ = nghttp2_session_resume_data(session, streamID)
    }

    /// Ends a stream's body with a trailer section, sent after all queued data (RFC 9113 §8.1).
    public func submitTrailers(streamID: Int32, _ trailers: HTTP2Headers) throws(HTTP2Error) {
        guard state.pointee.outbound[streamID] != nil else {
            throw HTTP2Error(.unknownStream, "no open body to end with trailers", streamID: streamID)
        }
        guard case .open = state.pointee.outbound[streamID]!.ending else {
            throw HTTP2Error(.invalidArgument, "the body already ended", streamID: streamID)
        }
        state.pointee.outbound[streamID]!.ending = .trailers(trailers)
        resume(streamID)
    }

    /// Bytes queued on a stream that flow control has not let out yet.
    public func bufferedBytes(streamID: Int32) -> Int { state.pointee.outbound[streamID]?.bufferedBytes ?? 0 }

    /// Tells the peer the consumer has read `count` bytes of a stream's DATA, opening the stream
    /// and connection windows by that much (WINDOW_UPDATE, RFC 9113 §6.9).
    public func consume(streamID: Int32, count: Int) {
        guard count > 0 else { return }
        state.pointee.creditedDataBytes += count
        _ = nghttp2_session_consume(session, streamID, count)
    }

    /// Resets a stream (RST_STREAM, RFC 9113 §6.4); `.cancel` is how a call is abandoned.
    public func resetStream(streamID: Int32, errorCode: HTTP2ErrorCode = .cancel) {
        _ = nghttp2_submit_rst_stream(session, 0, streamID, errorCode.rawValue)
    }

    /// Sends a PING (RFC 9113 §6.7); the ack arrives as `.pingAck(opaque)`.
    public func ping(_ opaque: UInt64) throws(HTTP2Error) {
        var payload = opaque.bigEndian
        let status = withUnsafeBytes(of: &payload) { bytes in
            nghttp2_submit_ping(session, 0, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        try check(status, "submit PING")
    }

    /// The first step of a graceful server shutdown: a GOAWAY with the maximum stream ID, so clients
    /// stop opening streams while ones in flight may still arrive (RFC 9113 §6.8). Follow with
    /// `goAway(errorCode: .noError)` after a round trip.
    public func announceShutdown() throws(HTTP2Error) {
        guard role == .server else { return }
        try check(nghttp2_submit_shutdown_notice(session), "submit shutdown notice")
    }

    /// Sends GOAWAY naming the last stream this side processed. Open streams may finish; the
    /// session is finished when they have (`isFinished`).
    public func goAway(errorCode: HTTP2ErrorCode = .noError, debugData: [UInt8] = []) throws(HTTP2Error) {
        state.pointee.requestedGoAway = true
        let last = nghttp2_session_get_last_proc_stream_id(session)
        let status = debugData.withUnsafeBufferPointer { data in
            nghttp2_submit_goaway(session, 0, last, errorCode.rawValue, data.baseAddress, data.count)
        }
        try check(status, "submit GOAWAY")
    }

    /// Ends the session now: GOAWAY, and every open stream closes.
    public func terminate(errorCode: HTTP2ErrorCode = .noError) {
        state.pointee.requestedGoAway = true
        _ = nghttp2_session_terminate_session(session, errorCode.rawValue)
    }

    /// The peer's SETTINGS_MAX_CONCURRENT_STREAMS (unlimited until its SETTINGS arrive).
    public var remoteMaxConcurrentStreams: UInt32 {
        nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS)
    }

    /// Streams open on this session (opened by either side, not yet closed).
    public var openStreamCount: Int { state.pointee.openStreams.count }

    /// How many more bytes the peer's windows let us send on a stream now.
    public func sendWindow(streamID: Int32) -> Int {
        Int(nghttp2_session_get_stream_remote_window_size(session, streamID))
    }

    /// How many more bytes the peer's connection window lets us send now (RFC 9113 §6.9.1).
    var connectionSendWindow: Int { Int(nghttp2_session_get_remote_window_size(session)) }

    private func resume(_ streamID: Int32) {
        guard state.pointee.outbound[streamID]?.isDeferred == true else { return }
        state.pointee.outbound[streamID]!.isDeferred = false
        _ = nghttp2_session_resume_data(session, streamID)
    }
}

/// Runs `body` with `headers` as an `nghttp2_nv` array whose buffers live for the call (nghttp2
/// copies names and values when no NO_COPY flag is set). Both buffers are temporary allocations
/// (on the stack when small), so a request's header block costs no heap allocation here.
func withNameValues<R>(_ headers: HTTP2Headers, _ body: (UnsafePointer<nghttp2_nv>?, Int) -> R) -> R {
    var total = 0
    for field in headers { total += field.name.utf8.count + field.value.utf8.count }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(total, 1)) { storage in
        withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: max(headers.count, 1)) { nameValues in
            var cursor = storage.baseAddress!
            func copy(_ string: String) -> (UnsafeMutablePointer<UInt8>, Int) {
                let start = cursor
                var string = string
                let count = string.withUTF8 { utf8 in
                    guard let base = utf8.baseAddress, !utf8.isEmpty else { return 0 }
                    start.update(from: base, count: utf8.count)
                    return utf8.count
                }
                cursor += count
                return (start, count)
            }
            var index = 0
            for field in headers {
                let (name, nameLength) = copy(field.name)
                let (value, valueLength) = copy(field.value)
                nameValues[index] = nghttp2_nv(
                    name: name, value: value, namelen: nameLength, valuelen: valueLength,
                    flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
                index += 1
            }
            return body(nameValues.baseAddress, index)
        }
    }
}
