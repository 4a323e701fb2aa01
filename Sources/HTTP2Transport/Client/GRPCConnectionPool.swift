import NIOCore
import NIOPosix

/// The connections of one event loop to one backend. Calls made on a loop use that loop's pool,
/// so a call never hops threads.
///
/// A call goes to the least loaded ready connection with a free stream slot (the peer's
/// SETTINGS_MAX_CONCURRENT_STREAMS); otherwise a new connection is opened, up to
/// `maxConnectionsPerEventLoop`; past that, the least loaded connection takes it and nghttp2
/// holds it until a slot frees. Failed connects back off exponentially with jitter; during the
/// backoff, calls fail fast with UNAVAILABLE, and the first call after it tries again.
final class GRPCConnectionPool {
    let eventLoop: any EventLoop
    let configuration: GRPCChannel.Configuration
    /// This loop as a task executor, for calls waiting on it (`GRPCChannel.unary`): the loop's
    /// shared one, so callers already preferring it switch nothing.
    let taskExecutor: EventLoopTaskExecutor
    private var connections: [GRPCClientConnection] = []
    private var connecting: EventLoopFuture<LoopConfined<GRPCClientConnection>>?
    private var failures = 0
    private var retryAt: NIODeadline?
    private var lastFailure = ""
    private var isShutDown = false

    init(eventLoop: any EventLoop, configuration: GRPCChannel.Configuration) {
        self.eventLoop = eventLoop
        self.configuration = configuration
        taskExecutor = EventLoopTaskExecutor.shared(on: eventLoop)
    }

    /// A connection for one new call.
    func connection() -> EventLoopFuture<LoopConfined<GRPCClientConnection>> {
        eventLoop.assertInEventLoop()
        guard !isShutDown else { return eventLoop.makeFailedFuture(GRPCStatus(.unavailable, "the channel is closed")) }
        let usable = connections.filter(\.isUsable)
        if let best = usable.filter(\.hasCapacity).min(by: { $0.activeCalls < $1.activeCalls }) {
            return eventLoop.makeSucceededFuture(best.reserve())
        }
        if let connecting {
            // Wait for the connection being made, then choose again: it may already be full.
            let pool = LoopConfined(self, on: eventLoop)
            return connecting.flatMap { _ in pool.value.connection() }
        }
        guard let leastLoaded = usable.min(by: { $0.activeCalls < $1.activeCalls }),
            usable.count >= max(1, configuration.maxConnectionsPerEventLoop)
        else { return connect() }
        return eventLoop.makeSucceededFuture(leastLoaded.reserve())
    }

    /// The fast path: a ready connection with a free slot (reserved for the caller), without
    /// futures; nil when the caller must go through `connection()`.
    func connectionIfReady() -> GRPCClientConnection? {
        guard !isShutDown else { return nil }
        var best: GRPCClientConnection?
        for connection in connections where connection.hasCapacity {
            if best == nil || connection.activeCalls < best!.activeCalls { best = connection }
        }
        return best?.reserve().value
    }

    /// Connections open now (for tests and metrics).
    var connectionCount: Int { connections.count }

    /// Streams open on this pool's connections.
    var openStreamCount: Int { connections.reduce(0) { $0 + $1.session.openStreamCount } }

    func shutDown() {
        isShutDown = true
        for connection in connections { connection.close() }
    }

    private func connect() -> EventLoopFuture<LoopConfined<GRPCClientConnection>> {
        if let retryAt, retryAt > .now() {
            return eventLoop.makeFailedFuture(
                GRPCStatus(.unavailable, "\(configuration.host):\(configuration.port) unreachable (\(lastFailure)); retrying after backoff"))
        }
        let configuration = self.configuration
        let pool = LoopConfined(self, on: eventLoop)
        let future = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                do {
                    let session = try HTTP2Session(role: .client, configuration: configuration.session)
                    try channel.pipeline.syncOperations.addHandler(HTTP2ChannelHandler(session: session))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .connect(host: configuration.host, port: configuration.port)
            .flatMap { channel -> EventLoopFuture<LoopConfined<GRPCClientConnection>> in
                do {
                    let handler = try channel.pipeline.syncOperations.handler(type: HTTP2ChannelHandler.self)
                    let connection = pool.value.adopt(channel: channel, handler: handler)
                    let timeout = channel.eventLoop.scheduleTask(in: TimeAmount(configuration.connectTimeout)) {
                        connection.value.ready.fail(GRPCStatus(.unavailable, "no SETTINGS from the server in time"))
                        channel.close(promise: nil)
                    }
                    return connection.value.ready.futureResult.map {
                        timeout.cancel()
                        return connection.value.reserve()
                    }
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        connecting = future
        future.whenComplete { result in pool.value.connectFinished(result.map { _ in () }) }
        return future
    }

    private func adopt(channel: any Channel, handler: HTTP2ChannelHandler) -> LoopConfined<GRPCClientConnection> {
        let connection = GRPCClientConnection(channel: channel, handler: handler, configuration: configuration)
        let pool = LoopConfined(self, on: eventLoop)
        connection.onDrainOrClose = { connection in pool.value.remove(connection) }
        connection.pool = self
        connections.append(connection)
        return LoopConfined(connection, on: eventLoop)
    }

    private func connectFinished(_ result: Result<Void, any Error>) {
        connecting = nil
        switch result {
        case .success:
            failures = 0
            retryAt = nil
        case .failure(let error):
            failures += 1
            lastFailure = "\(error)"
            let delay = configuration.backoff.delay(attempt: failures, random: Double.random(in: 0..<1))
            retryAt = .now() + TimeAmount(delay)
        }
    }

    private func remove(_ connection: GRPCClientConnection) {
        connections.removeAll { $0 === connection }
    }
}
