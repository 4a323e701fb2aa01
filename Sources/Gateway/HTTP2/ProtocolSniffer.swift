import NIOCore

/// The first handler of an accepted connection: holds the first bytes until
/// ``ConnectionPreface`` can tell HTTP/2 (prior knowledge) from HTTP/1.1, then installs that
/// protocol's handlers behind itself, replays the bytes it held to them and leaves the pipeline.
///
/// A client that sends nothing is closed by the read timeout (an `IdleStateHandler` in front);
/// at most 24 bytes are ever held here.
final class ProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Installs a protocol's handlers on the channel (called on its event loop, at the end of the
    /// pipeline, which is right behind the sniffer).
    typealias Configure = (any Channel) throws -> Void

    private let http1: Configure
    private let http2: Configure
    private var held: ByteBuffer?
    private var decided = false

    init(http1: @escaping Configure, http2: @escaping Configure) {
        self.http1 = http1
        self.http2 = http2
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard !decided else {
            context.fireChannelRead(data)
            return
        }
        if held == nil {
            held = buffer
        } else {
            held!.writeBuffer(&buffer)
        }
        let verdict = ConnectionPreface.classify(held!.readableBytesView)
        guard verdict != .needMoreBytes else { return }
        decided = true
        do {
            try (verdict == .http2 ? http2 : http1)(context.channel)
        } catch {
            context.close(promise: nil)
            return
        }
        let bytes = held!
        held = nil
        context.fireChannelRead(wrapInboundOut(bytes))
        context.fireChannelReadComplete()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if decided { context.fireChannelReadComplete() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if !decided, let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)  // connected and said nothing (or too little) in time
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        held = nil
        context.fireChannelInactive()
    }
}
