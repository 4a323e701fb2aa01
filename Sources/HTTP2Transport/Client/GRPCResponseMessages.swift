/// The response messages of a call, in order, as an `AsyncSequence` for one consumer.
///
/// Backpressure: a message's bytes are credited to HTTP/2 flow control only when the consumer
/// takes it from the sequence, so a server cannot run more than a window ahead of the reader.
/// The sequence ends when the call ends with OK and throws the `GRPCStatus` otherwise.
///
/// ```swift
/// for try await message in call.responses { handle(message) }
/// ```
public struct GRPCResponseMessages: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    struct Received: Sendable {
        var bytes: [UInt8]
        var wireSize: Int
    }

    let base: AsyncThrowingStream<Received, any Error>
    let credit: @Sendable (Int) -> Void

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), credit: credit)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<Received, any Error>.AsyncIterator
        let credit: @Sendable (Int) -> Void

        public mutating func next() async throws -> [UInt8]? {
            guard let received = try await base.next() else { return nil }
            credit(received.wireSize)
            return received.bytes
        }
    }
}
