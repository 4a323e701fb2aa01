import NIOCore

extension HTTP2Server {
    /// Serves HTTP/2 on a channel that was accepted elsewhere, such as a listener that sniffs the
    /// connection preface (RFC 9113 §3.4) to share one port between HTTP/1.1 and h2c. Call it on
    /// the channel's event loop; bytes already read (the preface included) must be fired through
    /// the pipeline after this returns.
    ///
    /// ```swift
    /// let connection = try HTTP2Server.serve(on: channel, configuration: configuration) { request, response in … }
    /// context.fireChannelRead(bufferedPreface)
    /// // on shutdown:
    /// connection.shutDown()   // GOAWAY; open streams finish
    /// ```
    public static func serve(
        on channel: any Channel, configuration: Configuration = Configuration(), handler: @escaping Handler
    ) throws -> HTTP2ServerConnectionHandle {
        let session = try HTTP2Session(role: .server, configuration: configuration.session)
        let channelHandler = HTTP2ChannelHandler(session: session)
        let connection = HTTP2ServerConnection(
            eventLoop: channel.eventLoop, handler: channelHandler, configuration: configuration,
            requestHandler: handler)
        try channel.pipeline.syncOperations.addHandler(channelHandler)
        return HTTP2ServerConnectionHandle(connection: LoopConfined(connection, on: channel.eventLoop))
    }
}

/// One connection served by ``HTTP2Server/serve(on:configuration:handler:)``, for its owner's
/// lifecycle decisions (drain on shutdown, close when idle).
public struct HTTP2ServerConnectionHandle: Sendable {
    let connection: LoopConfined<HTTP2ServerConnection>

    /// Graceful shutdown: GOAWAY naming the last stream processed (RFC 9113 §6.8); streams in
    /// flight finish, then the connection closes.
    public func shutDown() {
        connection.execute { $0.shutDown() }
    }

    /// Streams open on the connection now (call on its event loop).
    public var openStreamCount: Int { connection.value.session.openStreamCount }
}
