import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import HTTP2Transport

/// Unary calls made on the channel's own loop (the gateway's case) take the fast path: the
/// caller's continuation waits on the stream itself. These check it stays on the loop, ends once
/// however it ends, and honours cancellation before, during and after the call.
@Suite("GRPCChannel unary fast path", .serialized, .timeLimit(.minutes(1)))
struct GRPCUnaryFastPathTests {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// `TestBackend`, plus `/fastpath.Test/Late`: the echo after 3 s, long enough that a
    /// cancelled call can only end early by being cancelled, however loaded the machine is.
    static let handler: HTTP2Server.Handler = { request, response in
        guard request.path == "/fastpath.Test/Late" else { return await TestBackend.handler(request, response) }
        do {
            try await Task.sleep(for: .seconds(3))
            try await TestBackend.grpcEcho(request, response)
        } catch {
            response.reset(.internalError)
        }
    }

    /// A started server and a warmed-up channel (its connection is ready, so calls take the fast path).
    static func withChannel(_ body: (GRPCChannel, any EventLoop) async throws -> Void) async throws {
        let server = try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: group, handler: handler)
        let channel = GRPCChannel(configuration: .init(host: "127.0.0.1", port: server.port), group: group)
        _ = try await withTimeout(10) { try await channel.unary(path: "/interop.Test/Unary", request: [0]) }
        try await body(channel, group.next())
        await channel.close()
        try await server.shutDown()
    }

    @Test func sharedExecutorIsOnePerLoop() async throws {
        let two = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(two.makeIterator())
        let first = EventLoopTaskExecutor.shared(on: loops[0])
        #expect(EventLoopTaskExecutor.shared(on: loops[0]) === first)
        #expect(EventLoopTaskExecutor.shared(on: loops[1]) !== first)
        #expect(EventLoopTaskExecutor.shared(on: loops[1]).eventLoop === loops[1])
        try await two.shutdownGracefully()
    }

    // The loop's shared executor (as the channel's pool uses) or one of the caller's own.
    @Test(arguments: [true, false])
    func callsFromAnExecutorOnTheLoopStayOnTheLoop(shared: Bool) async throws {
        try await Self.withChannel { channel, loop in
            let executor = shared ? EventLoopTaskExecutor.shared(on: loop) : EventLoopTaskExecutor(eventLoop: loop)
            let task = Task(executorPreference: executor) {
                var onLoop = true
                var echoed = true
                for index in 0..<200 {
                    let request = [UInt8(index % 256), 1, 2]
                    let reply = try await channel.unary(path: "/interop.Test/Unary", request: request)
                    echoed = echoed && reply.message == request
                    onLoop = onLoop && loop.inEventLoop
                }
                return (onLoop, echoed)
            }
            let (onLoop, echoed) = try await withTimeout(20) { try await task.value }
            #expect(onLoop && echoed)
            #expect(await channel.openStreamCount() == 0)
        }
    }

    @Test func callsFromAnActorOnTheLoopSucceedAndFail() async throws {
        try await Self.withChannel { channel, loop in
            let caller = LoopActor(loop: loop)
            let paths = ["/interop.Test/Unary", "/interop.Test/Fail"]
            let results = try await withTimeout(20) { try await caller.call(channel, paths: paths) }
            #expect(results == [.ok, .notFound])
        }
    }

    enum Start: String, CaseIterable, Sendable {
        case alreadyCancelled
        case cancelledWhileWaiting
    }

    @Test(arguments: Start.allCases)
    func cancellingAFastPathCallEndsItCancelledAndResetsTheStream(_ start: Start) async throws {
        try await Self.withChannel { channel, loop in
            let began = ContinuousClock.now
            let gate = Atomic<Bool>(false)
            let task = Task(executorPreference: EventLoopTaskExecutor.shared(on: loop)) {
                if start == .alreadyCancelled {
                    while !Task.isCancelled { await Task.yield() }
                }
                gate.store(true, ordering: .releasing)
                do {
                    _ = try await channel.unary(path: "/fastpath.Test/Late", request: [1])
                    return GRPCStatus.Code.ok
                } catch {
                    return (error as? GRPCStatus)?.code ?? .unknown
                }
            }
            if start == .alreadyCancelled {
                task.cancel()
            } else {
                // Cancelled once the call's stream is open, while it waits for the late reply.
                while !gate.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(1)) }
                while await channel.openStreamCount() == 0 { try await Task.sleep(for: .milliseconds(1)) }
                task.cancel()
            }
            let code = try await withTimeout(10) { await task.value }
            #expect(code == .cancelled)
            #expect(ContinuousClock.now - began < .milliseconds(2500), "ended by the cancellation, not the reply")
            #expect(await channel.openStreamCount() == 0)
        }
    }
}

/// A caller isolated to an actor whose executor is the loop, as some gateway code is.
actor LoopActor {
    let loop: any EventLoop
    nonisolated var unownedExecutor: UnownedSerialExecutor { loop.executor.asUnownedSerialExecutor() }

    init(loop: any EventLoop) { self.loop = loop }

    func call(_ channel: GRPCChannel, paths: [String]) async throws -> [GRPCStatus.Code] {
        var codes: [GRPCStatus.Code] = []
        for path in paths {
            do {
                let reply = try await channel.unary(path: path, request: [7])
                codes.append(reply.message == [7] ? .ok : .dataLoss)
            } catch {
                codes.append((error as? GRPCStatus)?.code ?? .unknown)
            }
            loop.preconditionInEventLoop()
        }
        return codes
    }
}
