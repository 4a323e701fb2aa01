import Synchronization

/// The live connections of a server, for shutdown. Connections leave it when they end.
final class ConnectionRegistry: Sendable {
    private let entries = Mutex<[ObjectIdentifier: LoopConfined<HTTP2ServerConnection>]>([:])

    func add(_ connection: LoopConfined<HTTP2ServerConnection>) {
        let key = ObjectIdentifier(connection.value)
        entries.withLock { $0[key] = connection }
        connection.value.onEnd = { [weak self] in self?.remove(key) }
    }

    private func remove(_ key: ObjectIdentifier) { _ = entries.withLock { $0.removeValue(forKey: key) } }

    func all() -> [LoopConfined<HTTP2ServerConnection>] { entries.withLock { Array($0.values) } }

    var count: Int { entries.withLock { $0.count } }
}
