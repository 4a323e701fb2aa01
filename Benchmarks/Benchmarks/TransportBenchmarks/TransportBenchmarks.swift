import Benchmark
import HTTP2Transport

/// The sans-I/O hot paths of HTTP2Transport: one DATA frame through a client↔server session pair
/// (with its flow-control credit), and gRPC message framing. `mallocCountTotal` per iteration is
/// the allocation count per DATA frame in steady state.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .one,
        maxDuration: .seconds(3)
    )

    // The harness's own per-sample cost, to subtract from the rows below (it allocates too).
    Benchmark("baseline: empty iteration") { benchmark in
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations { blackHole(index) }
    }

    // The closure runs once per sample with a fresh session pair, so it first sends 64 frames
    // unmeasured: the first frames of a stream size its buffers, the steady state reuses them.
    Benchmark("DATA frame 1 KiB server→client, read and credited") { benchmark in
        let pair = try SessionPairForBenchmark()
        let payload = [UInt8](repeating: 7, count: 1024)
        func frame() throws {
            try pair.server.sendData(streamID: pair.streamID, payload, endStream: false)
            try pair.server.drainOutput { bytes in try? pair.client.feed(bytes) }
            pair.client.drainEvents { event in
                if case .data(let id, let bytes, _) = event { pair.client.consume(streamID: id, count: bytes.count) }
            }
            try pair.client.drainOutput { bytes in try? pair.server.feed(bytes) }
            pair.server.drainEvents { blackHole($0) }
        }
        for _ in 0..<64 { try frame() }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { try frame() }
    }

    Benchmark("gRPC frame + deframe 1 KiB") { benchmark in
        let message = [UInt8](repeating: 9, count: 1024)
        let framer = GRPCMessageFramer()
        var deframer = GRPCMessageDeframer(maxMessageSize: 1 << 20, encoding: nil)
        var wire: [UInt8] = []
        wire.reserveCapacity(2048)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            wire.removeAll(keepingCapacity: true)
            try framer.frame(message, into: &wire)
            deframer.append(wire)
            blackHole(try deframer.next())
        }
    }
}

/// A client and server session with one response stream open, so each iteration is one DATA frame.
final class SessionPairForBenchmark {
    let client: HTTP2Session
    let server: HTTP2Session
    let streamID: Int32

    init() throws {
        client = try HTTP2Session(role: .client)
        server = try HTTP2Session(role: .server)
        streamID = try client.submitRequest(
            [(":method", "POST"), (":scheme", "http"), (":path", "/b/b"), (":authority", "x")], endStream: true)
        try exchange()
        try server.submitResponse(streamID: streamID, [(":status", "200")], endStream: false)
        try exchange()
    }

    private func exchange() throws {
        for _ in 0..<4 {
            try server.feed(try client.drainOutput())
            _ = server.takeEvents()
            try client.feed(try server.drainOutput())
            _ = client.takeEvents()
        }
    }
}
