import Benchmark
import Foundation
import ProtoWire

/// Wire-level and whole-message benchmarks on the kitchen-sink message.
///
/// Throughput is reported per iteration; divide the payload size by the wall-clock time for MB/s
/// (printed once at start-up for each payload).
let benchmarks: @Sendable () -> Void = {
    let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let fixture = repository.appendingPathComponent("Tests/ProtoWireTests/Fixtures/benchmark_message.bin")
    let descriptorSet = repository.appendingPathComponent("protos/descriptors/kitchen_sink.pb")
    let pool = try! DescriptorPool(fileDescriptorSet: [UInt8](try! Data(contentsOf: descriptorSet)))
    let sinkIndex = pool.messageIndex(named: "example.kitchen_sink.v1.KitchenSink")!
    let message = [UInt8](try! Data(contentsOf: fixture))

    // 100,000 varints with a realistic spread of lengths (1 to 10 bytes).
    var varintWriter = WireWriter()
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<100_000 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let width = Int(state >> 60) % 10  // 0...9 → 1...10 bytes
        varintWriter.writeVarint(width == 9 ? state : state >> UInt64(64 - 7 * (width + 1)))
    }
    let varints = varintWriter.bytes
    print("payloads: kitchen-sink message \(message.count) B, varint stream \(varints.count) B (100,000 varints)")

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .one,
        maxDuration: .seconds(3)
    )

    Benchmark("varint decode x100k") { benchmark in
        for _ in benchmark.scaledIterations {
            let sum = try WireReader.withReader(over: varints) { (reader: inout WireReader) throws(WireDecodingError) in
                var sum: UInt64 = 0
                while !reader.isAtEnd { sum &+= try reader.readVarint() }
                return sum
            }
            blackHole(sum)
        }
    }

    Benchmark("varint encode x100k") { benchmark in
        for _ in benchmark.scaledIterations {
            var writer = WireWriter(capacity: varints.count)
            var value: UInt64 = 1
            for _ in 0..<100_000 {
                value = value &* 6_364_136_223_846_793_005 &+ 1
                writer.writeVarint(value >> (value & 63))
            }
            blackHole(writer.count)
        }
    }

    Benchmark("kitchen-sink skip all fields") { benchmark in
        for _ in benchmark.scaledIterations {
            let fields = try WireReader.withReader(over: message) { (reader: inout WireReader) throws(WireDecodingError) in
                var fields = 0
                while let tag = try reader.readTag() {
                    try reader.skipField(tag)
                    fields += 1
                }
                return fields
            }
            blackHole(fields)
        }
    }

    Benchmark("kitchen-sink DynamicMessage decode") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try DynamicMessage(decoding: message, messageIndex: sinkIndex, pool: pool))
        }
    }

    let decoded = try! DynamicMessage(decoding: message, messageIndex: sinkIndex, pool: pool)
    Benchmark("kitchen-sink DynamicMessage encode") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(decoded.encoded())
        }
    }
}
