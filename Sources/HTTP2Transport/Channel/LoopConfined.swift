import NIOCore

/// A reference that only its event loop may touch. It is `Sendable` so that it can ride in the
/// closures that hop onto that loop; every access checks (in debug builds) that it happens there.
struct LoopConfined<Value: AnyObject>: @unchecked Sendable {
    let eventLoop: any EventLoop
    private let wrapped: Value

    init(_ value: Value, on eventLoop: any EventLoop) {
        self.wrapped = value
        self.eventLoop = eventLoop
    }

    var value: Value {
        eventLoop.assertInEventLoop()
        return wrapped
    }

    /// Runs `body` on the loop with the value (at once if already there).
    func execute(_ body: @escaping @Sendable (Value) -> Void) {
        if eventLoop.inEventLoop {
            body(wrapped)
        } else {
            eventLoop.execute { body(self.value) }
        }
    }
}
