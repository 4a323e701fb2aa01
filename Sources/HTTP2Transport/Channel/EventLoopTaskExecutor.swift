import NIOCore
import Synchronization

/// An event loop as a Swift `TaskExecutor` (SE-0417 task executor preference): nonisolated async
/// code of a task that prefers it runs on the loop's thread instead of Swift's cooperative pool.
///
/// Why: on a small machine the hops between NIO threads and the cooperative pool cost more than
/// the work itself. A request or call started on a connection's loop with this preference never
/// changes threads: `GRPCChannel` picks the current loop's `GRPCConnectionPool`, the call's
/// replies resume here (a job enqueued from the loop itself is a queue append, not a cross-thread
/// wake-up), and the answer is written from here. `GRPCChannel.unary` waits under the pool's
/// executor for the same reason. (NIO 2.101 has no task executor of its own.)
///
/// ```swift
/// let executor = EventLoopTaskExecutor(eventLoop: context.eventLoop)   // once per connection
/// let answer = executor.makeFutureWithTask { await pipeline.handle(request) }
/// answer.whenSuccess { response in /* on the loop */ }
/// ```
///
/// Jobs are batched: the first job of a batch schedules one drain on the loop, later ones only
/// join the queue, and the queue's storage is reused from batch to batch, so a tick that resumes
/// many calls costs one loop task and no allocation.
///
/// Fail safe: a job is never dropped. NIO silently discards work handed to a loop that has shut
/// down, which would leave the waiting task suspended forever. A drain requested from another
/// thread therefore travels in a `DrainTicket`; if the loop discards it unrun, the ticket's
/// `deinit` moves every queued job to the global concurrent executor, so the task finishes
/// (off the loop) instead of hanging. From the loop's own thread the loop is running and accepts
/// the drain, so no ticket is needed.
public final class EventLoopTaskExecutor: TaskExecutor, Sendable {
    private struct Queue: ~Copyable {
        var jobs: [UnownedJob] = []
        var drainScheduled = false
    }

    /// The loop whose thread runs the jobs.
    public let eventLoop: any EventLoop
    private let queue = Mutex(Queue())

    /// An executor for `eventLoop`; make one per connection or pool and reuse it, or take the
    /// loop's shared one (`shared(on:)`).
    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// The one executor of `loop` that its users can share (every `GRPCChannel` pool on the loop
    /// uses it), so that a loop drains one job queue instead of one per user, and a task
    /// preferring it is already where a channel's call on that loop waits.
    ///
    /// Kept weakly: the executor lives as long as someone uses it, then a new one is made.
    public static func shared(on loop: any EventLoop) -> EventLoopTaskExecutor {
        let key = ObjectIdentifier(loop)
        return sharedExecutors.withLock { table in
            if let executor = table[key]?.executor, executor.eventLoop === loop { return executor }
            table = table.filter { $0.value.executor != nil }  // forget executors no one holds
            let executor = EventLoopTaskExecutor(eventLoop: loop)
            table[key] = WeakExecutor(executor: executor)
            return executor
        }
    }

    /// Queues `job` to run on the loop (SE-0417 `TaskExecutor` requirement).
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let scheduleDrain = queue.withLock { queue in
            queue.jobs.append(job)
            defer { queue.drainScheduled = true }
            return !queue.drainScheduled
        }
        guard scheduleDrain else { return }
        if eventLoop.inEventLoop {
            eventLoop.execute { self.drain() }
        } else {
            let ticket = DrainTicket(self)
            eventLoop.execute { ticket.run() }
        }
    }

    /// Like `EventLoop.makeFutureWithTask`, with the task preferring this loop: `body` starts and
    /// resumes on the loop, and the future completes there.
    public func makeFutureWithTask<Value: Sendable>(
        _ body: @escaping @Sendable () async -> Value
    ) -> EventLoopFuture<Value> {
        let promise = eventLoop.makePromise(of: Value.self)
        Task(executorPreference: self) { promise.succeed(await body()) }
        return promise.futureResult
    }

    /// Runs the queued jobs in order; jobs they enqueue wait for the next drain.
    fileprivate func drain() {
        var batch = takeBatch()
        for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        batch.removeAll(keepingCapacity: true)
        queue.withLock { queue in
            if queue.jobs.isEmpty { swap(&batch, &queue.jobs) }  // hand the storage back
        }
    }

    /// The loop refused the drain (it has shut down): the queued jobs go to the global executor.
    fileprivate func drainElsewhere() {
        for job in takeBatch() { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }

    private func takeBatch() -> [UnownedJob] {
        queue.withLock { queue in
            var batch: [UnownedJob] = []
            swap(&batch, &queue.jobs)
            queue.drainScheduled = false
            return batch
        }
    }
}

/// The shared executors by loop (`EventLoopTaskExecutor.shared(on:)`), held weakly.
private struct WeakExecutor {
    weak var executor: EventLoopTaskExecutor?
}

private let sharedExecutors = Mutex<[ObjectIdentifier: WeakExecutor]>([:])

/// A drain handed to the loop from another thread; dropped unrun, it drains elsewhere.
private final class DrainTicket: Sendable {
    private let executor: EventLoopTaskExecutor
    private let ran = Atomic<Bool>(false)

    init(_ executor: EventLoopTaskExecutor) {
        self.executor = executor
    }

    func run() {
        ran.store(true, ordering: .relaxed)
        executor.drain()
    }

    deinit {
        if !ran.load(ordering: .relaxed) { executor.drainElsewhere() }
    }
}
