import NIOCore
import Synchronization

/// The server's open connections and requests in flight, so that shutdown can drain: stop
/// accepting, let in-flight requests finish (bounded), then close what is left.
final class ConnectionTracker: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var inFlight = 0
        var draining = false
        /// What to do per connection when draining starts (HTTP/2: send GOAWAY).
        var drainActions: [ObjectIdentifier: @Sendable () -> Void] = [:]
    }
    private let state = Mutex(State())

    var isDraining: Bool { state.withLock { $0.draining } }
    var inFlight: Int { state.withLock { $0.inFlight } }

    func add(_ channel: any Channel) {
        state.withLock { $0.channels[ObjectIdentifier(channel)] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            state.withLock {
                $0.channels[ObjectIdentifier(channel)] = nil
                $0.drainActions[ObjectIdentifier(channel)] = nil
            }
        }
    }

    /// Runs `action` when draining starts (at once if it has): how an HTTP/2 connection is told
    /// to stop opening streams.
    func onDrain(_ channel: any Channel, _ action: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.draining { return true }
            state.drainActions[ObjectIdentifier(channel)] = action
            return false
        }
        if runNow { action() }
    }

    func requestStarted() { state.withLock { $0.inFlight += 1 } }
    func requestFinished() { state.withLock { $0.inFlight -= 1 } }

    /// From now on, answers carry `connection: close`.
    func startDraining() {
        let actions = state.withLock { state in
            state.draining = true
            return Array(state.drainActions.values)
        }
        for action in actions { action() }
    }

    /// Closes every connection still open.
    func closeAll() {
        let channels = state.withLock { Array($0.channels.values) }
        for channel in channels { channel.close(promise: nil) }
    }
}
