import NIOCore

/// Streams an HTTP/1.1 request body to the pipeline with backpressure (client streaming): body
/// parts are yielded into a NIO async sequence producer; when it holds enough, socket reads stop
/// (``HTTP1ReadGate``) until the pipeline pulls again, so a slow backend slows the client's
/// upload through TCP flow control.
///
/// ```swift
/// let body = HTTP1BodyStream(gate: gate, eventLoop: context.eventLoop)
/// request.bodyStream = body.stream            // the pipeline pulls from here
/// body.yield(part)                            // on each .body; pauses reading when full
/// body.finish()                               // on .end (or finish(error) on failure)
/// ```
final class HTTP1BodyStream {
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        [UInt8], any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, Demand
    >

    /// Resumes reading when the consumer wants more (or has gone away: then the rest is read and
    /// dropped).
    struct Demand: NIOAsyncSequenceProducerDelegate {
        let gate: NIOLoopBound<HTTP1ReadGate>
        func produceMore() { gate.execute { $0.resume() } }
        func didTerminate() { gate.execute { $0.resume() } }
    }

    /// The producer's iterator for the single consumer of ``stream``.
    final class Iterator: @unchecked Sendable {
        var base: Producer.AsyncIterator
        init(_ base: Producer.AsyncIterator) { self.base = base }
        func next() async throws -> [UInt8]? { try await base.next() }
    }

    private let source: Producer.Source
    private let gate: HTTP1ReadGate
    /// The body for ``GatewayRequest/bodyStream``.
    let stream: AsyncThrowingStream<[UInt8], any Error>
    private(set) var isFinished = false

    init(gate: HTTP1ReadGate, eventLoop: any EventLoop) {
        self.gate = gate
        let producer = Producer.makeSequence(
            backPressureStrategy: .init(lowWatermark: 1, highWatermark: 4), finishOnDeinit: true,
            delegate: Demand(gate: NIOLoopBound(gate, eventLoop: eventLoop)))
        source = producer.source
        let iterator = Iterator(producer.sequence.makeAsyncIterator())
        stream = AsyncThrowingStream(unfolding: { try await iterator.next() })
    }

    func yield(_ bytes: [UInt8]) {
        guard !isFinished else { return }
        if case .stopProducing = source.yield(bytes) { gate.pause() }
    }

    func finish(_ error: (any Error)? = nil) {
        guard !isFinished else { return }
        isFinished = true
        if let error { source.finish(error) } else { source.finish() }
        gate.resume()
    }
}

/// Holds back the channel's `read()` while paused: the outbound side of body backpressure.
/// First in the pipeline, so every read request passes through it.
final class HTTP1ReadGate: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var context: ChannelHandlerContext?
    private var paused = false
    private var readPending = false

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func read(context: ChannelHandlerContext) {
        if paused { readPending = true } else { context.read() }
    }

    func pause() { paused = true }

    func resume() {
        paused = false
        if readPending, let context {
            readPending = false
            context.read()
        }
    }
}

extension NIOLoopBound {
    /// Runs `body` with the value on its loop (at once if already there).
    func execute(_ body: @escaping @Sendable (Value) -> Void) where Value: AnyObject {
        if eventLoop.inEventLoop {
            body(value)
        } else {
            let bound = self
            eventLoop.execute { body(bound.value) }
        }
    }
}
