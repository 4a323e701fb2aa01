import Benchmark
import Foundation
import ProtoWire
import SwiftProtobuf
import Transcoder

// The ProtoJSON codec against swift-protobuf's generated JSON codec, both directions, on three
// messages (issue 3): the ~1 KB kitchen sink, a 1 MB message of repeated int32/double/string, and
// a deep Struct. Throughput in MB/s = input bytes / wall-clock time per operation; the sizes are
// printed when the suite starts.

struct Inputs: @unchecked Sendable {
    let codec: ProtoJSONCodec
    let sinkIndex: Int
    let json: [String: [UInt8]]
    let proto: [String: [UInt8]]
}

func repoRoot() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
}

func makeInputs() -> Inputs {
    let set = try! Data(contentsOf: repoRoot().appendingPathComponent("protos/descriptors/kitchen_sink.pb"))
    let pool = try! DescriptorPool(fileDescriptorSet: [UInt8](set))
    let codec = ProtoJSONCodec(pool: pool)
    let index = pool.messageIndex(named: "example.kitchen_sink.v1.KitchenSink")!

    // The kitchen sink as the tests know it (`SinglePassPrinterTests`): every kind of field.
    let sinkURL = repoRoot().appendingPathComponent("protos/examples/kitchen_sink/v1/kitchen_sink.json")
    let kitchenSink = try! String(contentsOf: sinkURL, encoding: .utf8)
    var large = "{\"repeatedInt32\": ["
    large += (0..<40_000).map { String($0 &* 7919 % 1_000_003 - 500_000) }.joined(separator: ",")
    large += "], \"repeatedDouble\": ["
    large += (0..<25_000).map { String(Double($0) * 1.000123 - 7_777.5) }.joined(separator: ",")
    large += "], \"repeatedString\": ["
    large += (0..<25_000).map { "\"item number \($0) with some text\"" }.joined(separator: ",")
    large += "]}"
    var deep = "{\"wktStruct\": "
    for level in 0..<30 { deep += "{\"level\": \(level), \"name\": \"node \(level)\", \"flags\": [true, null, \(level)], \"next\": " }
    deep += "{}"
    deep += String(repeating: "}", count: 30) + "}"

    var json: [String: [UInt8]] = [:]
    var proto: [String: [UInt8]] = [:]
    for (name, text) in [("kitchen sink", kitchenSink), ("1 MB repeated", large), ("deep Struct", deep)] {
        let bytes = Array(text.utf8)
        let jsonOrder = try! codec.protobuf(fromJSON: bytes, messageIndex: index)
        // Canonical JSON as input for JSON→proto, so both codecs read the same text.
        json[name] = try! codec.json(fromProtobuf: jsonOrder, messageIndex: index)
        // Protobuf in field-number order, as protoc-family encoders (and so gRPC servers) write
        // it: the canonical JSON encoded again. The kitchen sink in its JSON key order (fields
        // out of order, every message printed by the indexed path) is measured too.
        proto[name] = try! codec.protobuf(fromJSON: json[name]!, messageIndex: index)
        if name == "kitchen sink" { proto["kitchen sink, fields out of order"] = jsonOrder }
        print("\(name): JSON \(json[name]!.count) bytes, protobuf \(proto[name]!.count) bytes")
    }
    return Inputs(codec: codec, sinkIndex: index, json: json, proto: proto)
}

let benchmarks: @Sendable () -> Void = {
    let inputs = makeInputs()
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(2), maxIterations: 1_000_000)
    let outOfOrder = inputs.proto["kitchen sink, fields out of order"]!
    Benchmark("proto→JSON kitchen sink, fields out of order (ours)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try inputs.codec.json(fromProtobuf: outOfOrder, messageIndex: inputs.sinkIndex))
        }
    }
    for name in ["kitchen sink", "1 MB repeated", "deep Struct"] {
        let json = inputs.json[name]!
        let proto = inputs.proto[name]!
        Benchmark("JSON→proto \(name) (ours)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try inputs.codec.protobuf(fromJSON: json, messageIndex: inputs.sinkIndex))
            }
        }
        Benchmark("JSON→proto \(name) (swift-protobuf)") { benchmark in
            for _ in benchmark.scaledIterations {
                let message = try Example_KitchenSink_V1_KitchenSink(jsonUTF8Bytes: json)
                let bytes: [UInt8] = try message.serializedBytes()
                blackHole(bytes)
            }
        }
        Benchmark("proto→JSON \(name) (ours)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try inputs.codec.json(fromProtobuf: proto, messageIndex: inputs.sinkIndex))
            }
        }
        Benchmark("proto→JSON \(name) (swift-protobuf)") { benchmark in
            for _ in benchmark.scaledIterations {
                let message = try Example_KitchenSink_V1_KitchenSink(serializedBytes: proto)
                let bytes: [UInt8] = try message.jsonUTF8Bytes()
                blackHole(bytes)
            }
        }
    }
}
