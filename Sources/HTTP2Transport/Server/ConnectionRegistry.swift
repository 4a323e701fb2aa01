import Synchronization

/// The live connections of a server, for shutdown. Connections leave it when they end.
final class ConnectionRegistry: Sendable {
    private let entries = Mutex<[ObjectIdentifier: LoopConfined<HTTP2ServerConnection>]>([:])

    /// Adds a connection unless `limit` are already open; false means it must be refused.
    func add(_ connection: LoopConfined<HTTP2ServerConnection>, limit: Int = .max) -> Bool {
        let key = ObjectIdentifier(connection.value)
        let added = entries.withLock { entries in
            guard entries.count < limit else { return false }
            entries[key] = connection
            return true
        }
        if added { connection.value.onEnd = { [weak self] in self?.remove(key) } }
        return added
    }

    private func remove(_ key: ObjectIdentifier) { _ = entries.withLock { $0.removeValue(forKey: key) } }

    func all() -> [LoopConfined<HTTP2ServerConnection>] { entries.withLock { Array($0.values) } }

    var count: Int { entries.withLock { $0.count } }
}
