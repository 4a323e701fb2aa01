internal import CNGHTTP2

/// nghttp2's callbacks. Each is a capture-free closure that finds the session through `user_data`,
/// records events or a rich error on it, and returns an nghttp2 code. None calls back into nghttp2
/// (the swift-nio `HTTPDecoder` pattern), so the session's state stays consistent.
extension HTTP2Session {
    static func from(_ userData: UnsafeMutableRawPointer?) -> HTTP2Session {
        Unmanaged<HTTP2Session>.fromOpaque(userData!).takeUnretainedValue()
    }

    /// The data provider every stream with a body uses: it reads the stream's `OutboundStream`.
    static let dataProvider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: readBody)

    static func installCallbacks(_ callbacks: OpaquePointer) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            let session = HTTP2Session.from(userData)
            let hd = frame!.pointee.hd
            guard hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
            session.beginHeaderBlock(hd.stream_id)
            if frame!.pointee.headers.cat == NGHTTP2_HCAT_REQUEST {
                session.state.pointee.openStreams.insert(hd.stream_id)
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) {
            _, frame, name, nameLength, value, valueLength, _, userData in
            let session = HTTP2Session.from(userData)
            let id = frame!.pointee.hd.stream_id
            guard session.state.pointee.inboundHeadersStreamID == id, !session.state.pointee.inboundHeaders.rejected
            else { return 0 }
            session.state.pointee.inboundHeaders.size += nameLength + valueLength + 32
            if session.state.pointee.inboundHeaders.size > Int(session.configuration.maxHeaderListSize) {
                session.state.pointee.inboundHeaders.rejected = true
                let error = HTTP2Error(
                    .headerListTooLarge, "more than \(session.configuration.maxHeaderListSize) bytes", streamID: id)
                session.state.pointee.events.append(.streamError(streamID: id, error))
                // nghttp2 resets just this stream (RST_STREAM INTERNAL_ERROR) and skips the rest of the block.
                return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue
            }
            session.addHeaderField(
                name: UnsafeBufferPointer(start: name, count: nameLength),
                value: UnsafeBufferPointer(start: value, count: valueLength))
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, id, data, length, userData in
            let session = HTTP2Session.from(userData)
            session.state.pointee.receivedDataBytes += length
            guard session.state.pointee.openStreams.contains(id) else {
                // The rest of a frame whose stream closed mid-frame (our RST left between two
                // reads): nghttp2 reports its chunks but never the frame, so nobody will read
                // them. Credit the connection window back, or it leaks until every call stalls.
                session.state.pointee.pendingConnectionCredit += length
                return 0
            }
            session.appendInboundChunk(id, UnsafeBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            HTTP2Session.from(userData).frameReceived(frame!)
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, id, errorCode, userData in
            HTTP2Session.from(userData).streamClosed(id, HTTP2ErrorCode(rawValue: errorCode))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_not_send_callback(callbacks) { _, frame, _, userData in
            let hd = frame!.pointee.hd
            if hd.type == UInt8(NGHTTP2_HEADERS.rawValue) {
                // A request that could not start (GOAWAY received, IDs exhausted) was never processed.
                HTTP2Session.from(userData).streamClosed(hd.stream_id, .refusedStream)
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(callbacks) { _, frame, libraryError, userData in
            let session = HTTP2Session.from(userData)
            let id = frame!.pointee.hd.stream_id
            let message = String(cString: nghttp2_strerror(libraryError))
            if id != 0 {
                let detail =
                    session.state.pointee.lastLibraryMessage.isEmpty
                    ? message : session.state.pointee.lastLibraryMessage
                session.state.pointee.events.append(
                    .streamError(streamID: id, HTTP2Error(.protocolError, detail, streamID: id)))
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, userData in
            let session = HTTP2Session.from(userData)
            let hd = frame!.pointee.hd
            if session.role == .server, hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0,
                hd.type == UInt8(NGHTTP2_DATA.rawValue) || hd.type == UInt8(NGHTTP2_HEADERS.rawValue)
            {
                // The response is complete; if the request is not, the client is told to stop.
                session.state.pointee.completedResponses.append(hd.stream_id)
            }
            guard hd.type == UInt8(NGHTTP2_GOAWAY.rawValue), !session.state.pointee.requestedGoAway else { return 0 }
            let code = HTTP2ErrorCode(rawValue: frame!.pointee.goaway.error_code)
            if code != .noError && session.connectionError == nil {
                let detail =
                    session.state.pointee.lastLibraryMessage.isEmpty
                    ? "peer broke the protocol" : session.state.pointee.lastLibraryMessage
                session.connectionError = HTTP2Error(.protocolError, "sent GOAWAY \(code): \(detail)")
            }
            return 0
        }
        nghttp2_session_callbacks_set_error_callback2(callbacks) { _, _, message, length, userData in
            let text = UnsafeRawBufferPointer(start: message, count: length)
            HTTP2Session.from(userData).state.pointee.lastLibraryMessage = String(decoding: text, as: UTF8.self)
            return 0
        }
    }

    private func frameReceived(_ frame: UnsafePointer<nghttp2_frame>) {
        let hd = frame.pointee.hd
        let id = hd.stream_id
        let endStream = hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        switch UInt32(hd.type) {
        case NGHTTP2_DATA.rawValue:
            let payload = takeInboundFrame(id)
            if !payload.isEmpty || endStream {
                state.pointee.events.append(.data(streamID: id, payload, endStream: endStream))
            }
        case NGHTTP2_HEADERS.rawValue:
            guard let headers = takeHeaderBlock(id) else { return }
            let kind: HTTP2Event.HeaderKind
            switch frame.pointee.headers.cat {
            case NGHTTP2_HCAT_REQUEST: kind = .request
            case NGHTTP2_HCAT_RESPONSE: kind = .response
            default: kind = role == .server || endStream ? .trailers : .response
            }
            state.pointee.events.append(.headers(streamID: id, headers, kind: kind, endStream: endStream))
        case NGHTTP2_RST_STREAM.rawValue:
            state.pointee.events.append(
                .streamReset(streamID: id, HTTP2ErrorCode(rawValue: frame.pointee.rst_stream.error_code)))
        case NGHTTP2_GOAWAY.rawValue:
            let goaway = frame.pointee.goaway
            let debug = goaway.opaque_data.map { Array(UnsafeBufferPointer(start: $0, count: goaway.opaque_data_len)) }
            state.pointee.events.append(
                .goAway(
                    lastStreamID: goaway.last_stream_id, HTTP2ErrorCode(rawValue: goaway.error_code),
                    debugData: debug ?? []))
        case NGHTTP2_SETTINGS.rawValue:
            guard hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 else { return }
            let settings = frame.pointee.settings
            let list = (0..<settings.niv).map { index in
                HTTP2Setting(UInt16(truncatingIfNeeded: settings.iv[index].settings_id), settings.iv[index].value)
            }
            state.pointee.events.append(.settings(list))
        case NGHTTP2_PING.rawValue:
            guard hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0 else { return }
            var opaque = frame.pointee.ping.opaque_data
            let value = withUnsafeBytes(of: &opaque) { $0.loadUnaligned(as: UInt64.self) }
            state.pointee.events.append(.pingAck(UInt64(bigEndian: value)))
        case NGHTTP2_WINDOW_UPDATE.rawValue:
            state.pointee.events.append(.windowUpdate(streamID: id))
        default:
            break
        }
    }

    /// DATA frames never interleave (RFC 9113 §6.1: a frame's chunks are contiguous), so one
    /// buffer collects the frame in progress for every stream. Each frame of one `feed` takes
    /// the next of a few kept buffers, and the payload its event carries shares that storage;
    /// once the consumer has let go of the events (before the next `feed`), the buffers are
    /// reused in place, so steady DATA allocates nothing however many frames a read holds.
    func appendInboundChunk(_ id: Int32, _ chunk: UnsafeBufferPointer<UInt8>) {
        if state.pointee.inboundStreamID != id || state.pointee.inboundReported {
            if !state.pointee.inboundReported { dropUnreportedFrame() }
            state.pointee.inboundData = []
            if state.pointee.inboundBufferIndex < state.pointee.inboundBuffers.count {
                // Moved out of its slot, so uniquely held: emptying it keeps the storage.
                swap(&state.pointee.inboundData, &state.pointee.inboundBuffers[state.pointee.inboundBufferIndex])
                state.pointee.inboundData.removeAll(keepingCapacity: true)
            }
            state.pointee.inboundStreamID = id
            state.pointee.inboundReported = false
        }
        state.pointee.inboundData.append(contentsOf: chunk)
    }

    /// The payload of the DATA frame of `id` just completed (empty if it carried none).
    private func takeInboundFrame(_ id: Int32) -> [UInt8] {
        guard state.pointee.inboundStreamID == id, !state.pointee.inboundReported else { return [] }
        state.pointee.inboundReported = true
        let payload = state.pointee.inboundData
        if state.pointee.inboundBufferIndex < Self.keptInboundBuffers + Self.keptSmallInboundBuffers {
            if state.pointee.inboundBufferIndex == state.pointee.inboundBuffers.count {
                state.pointee.inboundBuffers.append([])
            }
            let keep =
                state.pointee.inboundBufferIndex < Self.keptInboundBuffers
                || state.pointee.inboundData.capacity <= Self.smallInboundBuffer
            // Reused by this slot's frame in the next read.
            state.pointee.inboundBuffers[state.pointee.inboundBufferIndex] = keep ? state.pointee.inboundData : []
            state.pointee.inboundBufferIndex += 1
        }
        state.pointee.inboundData = []
        return payload
    }

    /// Frame buffers kept for reuse: the first 16 frames of a read keep theirs whatever the size
    /// (each up to SETTINGS_MAX_FRAME_SIZE); later frames keep only small ones, so that a read
    /// full of small frames (one DATA frame per call when many unary responses arrive at once)
    /// allocates nothing while the extra memory stays under 64 KiB per connection.
    static let keptInboundBuffers = 16
    static let keptSmallInboundBuffers = 256
    static let smallInboundBuffer = 256
    /// What ``trimSpareBuffers()`` leaves: kept buffers up to this capacity.
    static let idleInboundBuffer = 4096

    /// Drops the kept frame buffers larger than 4 KiB (up to 16 of them, each up to
    /// SETTINGS_MAX_FRAME_SIZE after a large upload), so that a connection between requests holds
    /// only small state; the next large frames allocate again. Call it between reads, e.g. when
    /// a connection's last stream closes. Payloads already handed out are unaffected.
    public func trimSpareBuffers() {
        for index in state.pointee.inboundBuffers.indices
        where state.pointee.inboundBuffers[index].capacity > Self.idleInboundBuffer {
            state.pointee.inboundBuffers[index] = []
        }
        trimSessionMemory(keepingBytes: Self.idleInboundBuffer)
    }

    /// A frame's chunks that will never be reported (its stream closed inside it, or nghttp2
    /// rejected it at its end): their connection credit goes back once nghttp2 returns.
    func dropUnreportedFrame() {
        guard !state.pointee.inboundReported else { return }
        state.pointee.pendingConnectionCredit += state.pointee.inboundData.count
        state.pointee.inboundReported = true
    }

    private func streamClosed(_ id: Int32, _ code: HTTP2ErrorCode) {
        guard state.pointee.openStreams.remove(id) != nil else { return }
        state.pointee.outbound[id] = nil
        if state.pointee.inboundHeadersStreamID == id { _ = takeHeaderBlock(id) }
        // Chunks of a frame that will never be reported (the stream closed inside it, or nghttp2
        // rejected its END_STREAM): their connection credit goes back once nghttp2 returns.
        if state.pointee.inboundStreamID == id { dropUnreportedFrame() }
        state.pointee.events.append(.streamClosed(streamID: id, code))
    }
}

/// Moves a stream's queued bytes into the DATA frame nghttp2 is building; defers when none wait.
private let readBody: nghttp2_data_source_read_callback = { _, id, buffer, length, flags, _, userData in
    let session = HTTP2Session.from(userData)
    // One hash per frame: the stream's buffer is found once and changed in place.
    guard let index = session.state.pointee.outbound.index(forKey: id) else {
        return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
    }
    let count = session.state.pointee.outbound.values[index].read(into: buffer!, count: length)
    if session.state.pointee.outbound.values[index].bufferedBytes == 0 {
        switch session.state.pointee.outbound.values[index].ending {
        case .open:
            if count == 0 {
                session.state.pointee.outbound.values[index].isDeferred = true
                return Int(NGHTTP2_ERR_DEFERRED.rawValue)
            }
        case .endStream:
            flags!.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
        case .trailers:
            flags!.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue | NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
            session.state.pointee.streamsAwaitingTrailers.append(id)
        }
    }
    return count
}
