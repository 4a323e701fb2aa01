import HTTP2Transport
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// The shared ``EventLoopTaskExecutor`` the HTTP/1.1 and h2c front ends run requests on: work
/// runs on the loop's thread, and a loop that has shut down never strands a waiting task.
@Suite("EventLoopTaskExecutor")
struct EventLoopTaskExecutorTests {
    @Test func requestRunsAndResumesOnTheLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let executor = EventLoopTaskExecutor(eventLoop: loop)
        let onLoop = try await executor.makeFutureWithTask {
            var every = loop.inEventLoop
            for _ in 0..<3 {
                try? await Task.sleep(for: .milliseconds(1))  // resumes through the executor
                every = every && loop.inEventLoop
            }
            return every
        }.get()
        try await group.shutdownGracefully()
        #expect(onLoop)
    }

    @Test func shutDownLoopDoesNotStrandATask() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopTaskExecutor(eventLoop: group.next())
        try await group.shutdownGracefully()
        let finished = Atomic<Int>(0)
        let steps = Task(executorPreference: executor) {
            finished.add(1, ordering: .relaxed)
            await Task.yield()  // suspends and is enqueued on the dead loop again
            finished.add(1, ordering: .relaxed)
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while finished.load(ordering: .relaxed) < 2 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(finished.load(ordering: .relaxed) == 2, "a job handed to a shut-down loop was dropped")
        if finished.load(ordering: .relaxed) == 2 { await steps.value }
    }
}
