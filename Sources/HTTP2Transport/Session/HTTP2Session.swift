internal import CNGHTTP2

/// One HTTP/2 connection's protocol state, client or server, with no I/O (a sans-I/O core over
/// libnghttp2's `mem_recv`/`mem_send`, RFC 9113).
///
/// Feed it the bytes read from the peer, take the events it reports, act on them, and send the
/// bytes it produces. Flow control credits the peer only when the consumer says it has read data
/// (`consume(streamID:count:)`), so a slow consumer stops a fast peer (RFC 9113 §5.2).
///
/// ```swift
/// let session = try HTTP2Session(role: .client)
/// let id = try session.submitRequest(headers, endStream: false)
/// try session.sendData(streamID: id, body, endStream: true)
/// socket.write(try session.drainOutput())
/// while let bytes = socket.read() {
///     try session.feed(bytes)
///     for event in session.takeEvents() {
///         if case .data(let id, let payload, _) = event { use(payload); session.consume(streamID: id, count: payload.count) }
///     }
///     socket.write(try session.drainOutput())
/// }
/// ```
///
/// Not thread-safe: a session belongs to one event loop. nghttp2's callbacks only record events
/// and errors on this object; nothing calls back into nghttp2 from inside a callback.
public final class HTTP2Session {
    public let role: Role
    public let configuration: Configuration
    let session: OpaquePointer
    /// nghttp2's allocations for this session, recycled (`SessionMemory`); outlives `session`.
    private let memory: SessionMemory

    /// State written by the C callbacks and the session's methods (`HTTP2Session+State`).
    let state: UnsafeMutablePointer<State>
    /// Set once this side has sent a GOAWAY with an error code it did not ask for: nghttp2 found a
    /// connection error in the peer's input (RFC 9113 §5.4.1), and the session is over. Such errors
    /// do not fail `feed`; they surface here when the GOAWAY leaves in `drainOutput`.
    public internal(set) var connectionError: HTTP2Error?

    /// A header block being assembled from HEADERS and CONTINUATION frames
    /// (`HTTP2Session+HeaderBlocks`).
    struct InboundHeaderBlock {
        var headers = HTTP2Headers()
        var size = 0
        var rejected = false
        /// The recent block (index in `recentHeaderBlocks`) whose first `matched` fields the
        /// block's fields so far equal byte for byte, not yet copied into `headers`; -1 if none.
        var candidate = -1
        var matched = 0
    }

    /// Request header lists submitted repeatedly, already in nghttp2's form.
    let nameValueCache = NameValueCache()

    public init(role: Role, configuration: Configuration = Configuration()) throws(HTTP2Error) {
        self.role = role
        self.configuration = configuration
        var callbacks: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0, let callbacks else {
            throw HTTP2Error(.internalFailure, "nghttp2_session_callbacks_new failed")
        }
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.installCallbacks(callbacks)
        var option: OpaquePointer?
        guard nghttp2_option_new(&option) == 0, let option else {
            throw HTTP2Error(.internalFailure, "nghttp2_option_new failed")
        }
        defer { nghttp2_option_del(option) }
        nghttp2_option_set_no_auto_window_update(option, 1)
        nghttp2_option_set_max_send_header_block_length(option, 1 << 20)
        // Rapid-reset (CVE-2023-44487) and CONTINUATION-flood (CVE-2024-27316) limits, at
        // nghttp2's own later defaults: a peer resetting streams faster gets GOAWAY.
        nghttp2_option_set_stream_reset_rate_limit(option, 1000, 33)
        nghttp2_option_set_max_continuations(option, 8)
        // Closed streams are kept only for RFC 7540 priority, which RFC 9113 §5.3.1 deprecates and
        // nobody here uses: without this, a busy h2c connection holds up to max-concurrent-streams
        // dead stream records (~45 KB per connection after traffic, measured with 256 h2load clients).
        nghttp2_option_set_no_closed_streams(option, 1)
        if let size = configuration.maxEncoderTableSize {
            nghttp2_option_set_max_deflate_dynamic_table_size(option, Int(size))
        }
        var created: OpaquePointer?
        let memory = SessionMemory()
        var allocator = memory.allocator  // nghttp2 copies the struct
        // `self` is not yet fully initialized, so the user data is attached right after creation.
        let status =
            switch role {
            case .client: nghttp2_session_client_new3(&created, callbacks, nil, option, &allocator)
            case .server: nghttp2_session_server_new3(&created, callbacks, nil, option, &allocator)
            }
        guard status == 0, let created else {
            memory.destroy()
            throw HTTP2Error(.internalFailure, "nghttp2_session_new failed: \(status)")
        }
        self.memory = memory
        session = created
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        nghttp2_session_set_user_data(session, Unmanaged.passUnretained(self).toOpaque())
        try submitInitialSettings()
    }

    deinit {
        nghttp2_session_del(session)
        memory.destroy()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    private func submitInitialSettings() throws(HTTP2Error) {
        var settings = [
            nghttp2_settings_entry(
                settings_id: Int32(HTTP2Setting.maxConcurrentStreams), value: configuration.maxConcurrentStreams),
            nghttp2_settings_entry(
                settings_id: Int32(HTTP2Setting.initialWindowSize), value: configuration.initialStreamWindowSize),
            nghttp2_settings_entry(
                settings_id: Int32(HTTP2Setting.maxHeaderListSize), value: configuration.maxHeaderListSize),
            nghttp2_settings_entry(settings_id: Int32(HTTP2Setting.maxFrameSize), value: configuration.maxFrameSize),
        ]
        if role == .client {
            settings.append(nghttp2_settings_entry(settings_id: Int32(HTTP2Setting.enablePush), value: 0))
        }
        try check(nghttp2_submit_settings(session, 0, settings, settings.count), "submit SETTINGS")
        if configuration.connectionWindowSize > 65_535 {
            let size = Int32(clamping: configuration.connectionWindowSize)
            try check(nghttp2_session_set_local_window_size(session, 0, 0, size), "raise connection window")
        }
    }

    // MARK: Input

    /// Processes bytes read from the peer. Events are queued for `takeEvents()`.
    ///
    /// A thrown error is fatal for the connection. Protocol errors nghttp2 answers with GOAWAY are
    /// reported by `connectionError` once output is drained.
    public func feed(_ bytes: UnsafeRawBufferPointer) throws(HTTP2Error) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        state.pointee.inboundBufferIndex = 0  // the events of the last read were handled: their buffers are free
        let result = nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        if result < 0 {
            if let error = state.pointee.callbackError { throw error }
            throw Self.translate(
                Int32(result),
                state.pointee.lastLibraryMessage.isEmpty ? "reading input" : state.pointee.lastLibraryMessage)
        }
        applyPendingConnectionCredit()
    }

    /// DATA bytes received and not yet credited back (RFC 9113 §6.9): what the consumer still
    /// holds. Zero once every stream's data was read or dropped; a value that only grows is a leak.
    public var unconsumedDataBytes: Int { state.pointee.receivedDataBytes - state.pointee.creditedDataBytes }

    func applyPendingConnectionCredit() {
        guard state.pointee.pendingConnectionCredit > 0 else { return }
        let count = state.pointee.pendingConnectionCredit
        state.pointee.pendingConnectionCredit = 0
        state.pointee.creditedDataBytes += count
        _ = nghttp2_session_consume_connection(session, count)
    }

    /// Processes bytes read from the peer.
    public func feed(_ bytes: [UInt8]) throws(HTTP2Error) {
        let result: Result<Void, HTTP2Error> = bytes.withUnsafeBytes { buffer in
            do throws(HTTP2Error) { return .success(try feed(buffer)) } catch { return .failure(error) }
        }
        try result.get()
    }

    /// The events reported since the last call, in wire order.
    public func takeEvents() -> [HTTP2Event] {
        defer { state.pointee.events.removeAll(keepingCapacity: true) }
        return state.pointee.events
    }

    /// Hands each pending event to `body` in wire order, without copying the queue (the hot path:
    /// the queue's storage is reused from one read to the next). Events reported while `body`
    /// runs are delivered in the same pass.
    public func drainEvents(_ body: (HTTP2Event) -> Void) {
        var index = 0
        while index < state.pointee.events.count {
            body(state.pointee.events[index])
            index += 1
        }
        state.pointee.events.removeAll(keepingCapacity: true)
    }

    // MARK: Output

    /// Produces every byte ready to send, handing each piece to `sink` before the next is made
    /// (the pointer is nghttp2's and is valid only for the duration of the call).
    public func drainOutput(_ sink: (UnsafeRawBufferPointer) -> Void) throws(HTTP2Error) {
        while true {
            while true {
                var pointer: UnsafePointer<UInt8>?
                let count = nghttp2_session_mem_send(session, &pointer)
                if count < 0 {
                    if let error = state.pointee.callbackError { throw error }
                    throw Self.translate(Int32(count), "producing output")
                }
                guard count > 0, let pointer else {
                    // Closing a stream (an RST just sent) may have dropped data to credit back.
                    guard state.pointee.pendingConnectionCredit > 0 else { break }
                    applyPendingConnectionCredit()
                    continue
                }
                sink(UnsafeRawBufferPointer(start: pointer, count: count))
            }
            let resets = stopUnreadRequests()
            guard !state.pointee.streamsAwaitingTrailers.isEmpty else {
                if resets { continue }
                return
            }
            let pending = state.pointee.streamsAwaitingTrailers
            state.pointee.streamsAwaitingTrailers.removeAll()
            for id in pending {
                guard case .trailers(let trailers) = state.pointee.outbound[id]?.ending else { continue }
                let status = withNameValues(trailers) { nghttp2_submit_trailer(session, id, $0, $1) }
                if status != 0 { throw Self.translate(status, "submit trailers", streamID: id) }
            }
        }
    }

    /// RFC 9113 §8.1: "a server MAY request that the client abort transmission of a request
    /// without error by sending a RST_STREAM with an error code of NO_ERROR after sending a
    /// complete response". Without it, a client still uploading a body nobody reads would hold
    /// the stream (and a MAX_CONCURRENT_STREAMS slot) open for good.
    /// Returns true if it queued any RST_STREAM.
    private func stopUnreadRequests() -> Bool {
        guard !state.pointee.completedResponses.isEmpty else { return false }
        var submitted = false
        for id in state.pointee.completedResponses where state.pointee.openStreams.contains(id) {
            if nghttp2_session_get_stream_remote_close(session, id) == 0 {
                submitted = nghttp2_submit_rst_stream(session, 0, id, HTTP2ErrorCode.noError.rawValue) == 0 || submitted
            }
        }
        state.pointee.completedResponses.removeAll(keepingCapacity: true)
        return submitted
    }

    /// Every byte ready to send, as one array.
    public func drainOutput() throws(HTTP2Error) -> [UInt8] {
        var output: [UInt8] = []
        try drainOutput { output.append(contentsOf: $0) }
        return output
    }

    /// True while the session expects more input (false after GOAWAY both ways with no streams left).
    public var wantsRead: Bool { nghttp2_session_want_read(session) != 0 }
    /// True while the session has output to produce.
    public var wantsWrite: Bool { nghttp2_session_want_write(session) != 0 }
    /// Neither side has anything more to say: the connection may be closed.
    public var isFinished: Bool { !wantsRead && !wantsWrite }

    /// Gives nghttp2's recycled blocks back to `free` until at most `limit` bytes stay kept.
    func trimSessionMemory(keepingBytes limit: Int) {
        memory.trim(keepingBytes: limit)
    }

    /// Bytes of nghttp2 blocks this session keeps for reuse (at most `SessionMemory.maxKeptBytes`).
    var keptSessionMemory: Int { memory.keptBytes }

    // MARK: Helpers

    func check(_ status: Int32, _ what: String, streamID: Int32? = nil) throws(HTTP2Error) {
        if status != 0 { throw Self.translate(status, what, streamID: streamID) }
    }

    static func translate(_ status: Int32, _ what: String, streamID: Int32? = nil) -> HTTP2Error {
        let message = "\(what): \(String(cString: nghttp2_strerror(status)))"
        let code: HTTP2Error.Code =
            switch status {
            case NGHTTP2_ERR_FLOW_CONTROL.rawValue: .flowControl
            case NGHTTP2_ERR_STREAM_ID_NOT_AVAILABLE.rawValue, NGHTTP2_ERR_START_STREAM_NOT_ALLOWED.rawValue:
                .streamIDsExhausted
            case NGHTTP2_ERR_STREAM_CLOSED.rawValue, NGHTTP2_ERR_STREAM_CLOSING.rawValue,
                NGHTTP2_ERR_STREAM_SHUT_WR.rawValue:
                .unknownStream
            case NGHTTP2_ERR_INVALID_ARGUMENT.rawValue, NGHTTP2_ERR_INVALID_STATE.rawValue,
                NGHTTP2_ERR_DATA_EXIST.rawValue:
                .invalidArgument
            case NGHTTP2_ERR_NOMEM.rawValue, NGHTTP2_ERR_CALLBACK_FAILURE.rawValue: .internalFailure
            case NGHTTP2_ERR_SESSION_CLOSING.rawValue: .sessionClosed
            default: .protocolError
            }
        return HTTP2Error(code, message, streamID: streamID)
    }
}
