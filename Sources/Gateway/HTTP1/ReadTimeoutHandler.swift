import NIOCore

/// Enforces the read timeout on raw bytes, before the HTTP decoder: an idle keep-alive
/// connection is closed quietly; a client that stalls inside a request (slow headers or body)
/// gets `408` `google.rpc.Status` JSON, then close. While a request is being answered the
/// timeout does not apply (the backend may take long; that is the deadline's business).
///
/// The answer is written as raw bytes from here, below NIO's HTTP handlers, because a request
/// whose head has not been decoded yet is unknown to them.
final class ReadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Shared with ``HTTP1RequestHandler`` on the same event loop.
    final class Progress {
        /// Bytes received since the last request was complete.
        var bytesSinceLastRequest = 0
        var isResponding = false
    }

    let progress: Progress
    let timeoutResponse: GatewayResponse

    init(progress: Progress, timeoutResponse: GatewayResponse) {
        self.progress = progress
        self.timeoutResponse = timeoutResponse
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        progress.bytesSinceLastRequest += unwrapInboundIn(data).readableBytes
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if progress.isResponding { return }
        guard progress.bytesSinceLastRequest > 0 else {
            context.close(promise: nil)
            return
        }
        var head = "HTTP/1.1 408 Request Timeout\r\n"
        for (name, value) in timeoutResponse.headers { head += "\(name): \(value)\r\n" }
        head += "content-length: \(timeoutResponse.body.count)\r\nconnection: close\r\n\r\n"
        var buffer = context.channel.allocator.buffer(capacity: head.utf8.count + timeoutResponse.body.count)
        buffer.writeString(head)
        buffer.writeBytes(timeoutResponse.body)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
