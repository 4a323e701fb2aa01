import NIOCore

/// What owns a connection's `HTTP2Session` above the channel: a client connection or a server
/// connection. Called on the channel's event loop only.
protocol HTTP2SessionOwner: AnyObject {
    /// An event read from the peer (or produced while writing); called in wire order.
    func sessionEvent(_ event: HTTP2Event)
    /// Output was just written: queued stream data moved on, so blocked senders may continue.
    func sessionOutputWritten()
    /// The connection is gone (closed, failed, or finished after GOAWAY). Called once.
    func sessionEnded(_ error: (any Error)?)
}

/// Pumps bytes between a `Channel` and an `HTTP2Session`.
///
/// Reads are fed to the session as they come; events go to the owner at once; the session's
/// output is written and flushed once per read cycle (in `channelReadComplete`), so a burst of
/// frames costs one syscall. Submissions made outside a read cycle call `flushOutput()`.
/// Output waits while the channel is not writable. Half-close, errors and inactivity end the
/// owner's streams exactly once.
final class HTTP2ChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let session: HTTP2Session
    var owner: (any HTTP2SessionOwner)?
    private var context: ChannelHandlerContext?
    private var reading = false
    private var flushing = false
    private var flushAgain = false
    private var ended = false
    /// The size of the last write, to size the next one's buffer (at most `maxOutputSizeHint`).
    private var outputSizeHint = 0
    static let maxOutputSizeHint = 64 << 10

    init(session: HTTP2Session) {
        self.session = session
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { flushOutput() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        end(ChannelError.ioOnClosedChannel)
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        flushOutput()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !ended else { return }
        reading = true
        let buffer = unwrapInboundIn(data)
        do {
            try buffer.withUnsafeReadableBytes { bytes throws(HTTP2Error) in try session.feed(bytes) }
        } catch {
            reading = false
            flushOutput()  // nghttp2 may have a GOAWAY to say
            end(error)
            context.close(promise: nil)
            return
        }
        deliverEvents()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
        flushOutput()
        context.fireChannelReadComplete()
    }

    /// While the socket cannot take more, nothing is drained from the session, so queued DATA
    /// stays in the session's per-stream buffers where it holds back writers (`sendBufferLimit`)
    /// instead of piling up in the channel: a peer that stops reading TCP cannot grow our memory.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { flushOutput() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        end(session.connectionError ?? ChannelError.eof)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end(error)
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(.inputClosed) = event as? ChannelEvent {
            // The peer half-closed: HTTP/2 cannot continue without its frames (RFC 9113 §5.1).
            end(ChannelError.eof)
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Writes everything the session has to send, unless a read cycle is in progress (it will
    /// flush when it completes). Closes the channel once the session is finished.
    func flushOutput() {
        guard let context, !reading, context.channel.isActive, context.channel.isWritable else { return }
        guard !flushing else {
            flushAgain = true
            return
        }
        flushing = true
        defer { flushing = false }
        repeat {
            flushAgain = false
            // Allocated only when there is something to send, sized like the last write: a burst
            // of frames fills it without regrowing and copying.
            var buffer: ByteBuffer?
            let allocator = context.channel.allocator
            let hint = outputSizeHint
            do {
                try session.drainOutput { bytes in
                    if buffer == nil { buffer = allocator.buffer(capacity: max(hint, bytes.count)) }
                    buffer!.writeBytes(bytes)
                }
            } catch {
                end(error)
                context.close(promise: nil)
                return
            }
            deliverEvents()
            if let buffer, buffer.readableBytes > 0 {
                outputSizeHint = min(buffer.readableBytes, Self.maxOutputSizeHint)
                context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
                owner?.sessionOutputWritten()
            }
        } while flushAgain && !ended
        if session.isFinished || session.connectionError != nil {
            end(session.connectionError)
            context.close(promise: nil)
        }
    }

    /// Closes the connection (after what was written), ending the owner with `error`.
    func close(_ error: (any Error)?) {
        end(error)
        context?.close(promise: nil)
    }

    private func deliverEvents() {
        guard let owner else { return }
        session.drainEvents { owner.sessionEvent($0) }
    }

    private func end(_ error: (any Error)?) {
        guard !ended else { return }
        ended = true
        let owner = self.owner
        self.owner = nil
        owner?.sessionEnded(error)
    }
}
