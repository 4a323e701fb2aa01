import HTTP2Transport
import NIOCore

/// Applies the gateway's read timeout to an HTTP/2 connection: when nothing was read for that
/// long and no stream is open, the connection is idle and goes away (GOAWAY, then close once
/// nghttp2 has nothing more to say). Streams in flight are the deadline's business.
final class HTTP2IdleHandler: ChannelInboundHandler {
    typealias InboundIn = Never

    private let connection: HTTP2ServerConnectionHandle

    init(connection: HTTP2ServerConnectionHandle) {
        self.connection = connection
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read, connection.openStreamCount == 0 {
            connection.shutDown()
            let channel = context.channel
            context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
