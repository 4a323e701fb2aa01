import NIOCore
import NIOHTTP1

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
        /// The head of the request whose body is being received, so a 408 for it gets the
        /// route's CORS headers (``GatewayPipeline/earlyResponse``).
        var receivingHead: HTTPRequestHead?
    }

    let progress: Progress
    let timeoutResponse: GatewayResponse
    let pipeline: GatewayPipeline?

    init(progress: Progress, timeoutResponse: GatewayResponse, pipeline: GatewayPipeline? = nil) {
        self.progress = progress
        self.timeoutResponse = timeoutResponse
        self.pipeline = pipeline
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
        var response = timeoutResponse
        if let pipeline, let request = progress.receivingHead {
            response = pipeline.earlyResponse(
                .requestTimeout("the request was not received in time"), method: request.method.rawValue,
                target: request.uri, headers: request.headers.map { ($0.name, $0.value) })
        }
        var head = "HTTP/1.1 408 Request Timeout\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "content-length: \(response.body.count)\r\nconnection: close\r\n\r\n"
        var buffer = context.channel.allocator.buffer(capacity: head.utf8.count + response.body.count)
        buffer.writeString(head)
        buffer.writeBytes(response.body)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
