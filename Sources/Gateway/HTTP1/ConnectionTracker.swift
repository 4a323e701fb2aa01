import NIOCore
import Synchronization

/// The server's open connections and requests in flight, so that shutdown can drain: stop
/// accepting, let in-flight requests finish (bounded), then close what is left.
final class ConnectionTracker: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var inFlight = 0
        var draining = false
    }
    private let state = Mutex(State())

    var isDraining: Bool { state.withLock { $0.draining } }
    var inFlight: Int { state.withLock { $0.inFlight } }

    func add(_ channel: any Channel) {
        state.withLock { $0.channels[ObjectIdentifier(channel)] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = state.withLock { $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
        }
    }

    func requestStarted() { state.withLock { $0.inFlight += 1 } }
    func requestFinished() { state.withLock { $0.inFlight -= 1 } }

    /// From now on, answers carry `connection: close`.
    func startDraining() { state.withLock { $0.draining = true } }

    /// Closes every connection still open.
    func closeAll() {
        let channels = state.withLock { Array($0.channels.values) }
        for channel in channels { channel.close(promise: nil) }
    }
}
