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

    let kitchenSink = """
        {"scalarDouble": 3.14159, "scalarFloat": 2.5, "scalarInt32": -42, "scalarInt64": "9007199254740993",
         "scalarUint32": 4000000000, "scalarUint64": "18446744073709551615", "scalarSint32": -7, "scalarSint64": "-99",
         "scalarFixed32": 12345, "scalarFixed64": "123456789012", "scalarSfixed32": -5, "scalarSfixed64": "-6",
         "scalarBool": true, "scalarString": "The quick brown fox jumps over the lazy dog \\u00e9\\n",
         "scalarBytes": "AAECAwQFBgcICQoLDA0ODxAREhM=",
         "repeatedDouble": [1.5, -2.25, 1e10], "repeatedInt32": [1, 2, 3, 4, 5, -1], "repeatedInt64": ["1", "-2"],
         "repeatedString": ["alpha", "beta", "gamma"], "repeatedBool": [true, false],
         "unpackedInt32": [7, 8, 9], "unpackedDouble": [0.5],
         "nestedMessage": {"a": 1, "b": "nested", "values": [1, 2, 3], "inner": {"a": 2, "b": "deeper"}},
         "repeatedNested": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}],
         "nestedEnum": "NESTED_ENUM_BAR", "repeatedNestedEnum": ["NESTED_ENUM_FOO", "NESTED_ENUM_NEGATIVE"],
         "topLevelEnum": "TOP_LEVEL_ENUM_TWO", "choiceString": "picked", "optInt32": 0, "optString": "opt",
         "customInt32": 70, "RENAMED_string": "renamed",
         "mapStringString": {"k1": "v1", "k2": "v2"}, "mapInt32Enum": {"1": "NESTED_ENUM_FOO", "-1": "NESTED_ENUM_BAR"},
         "mapStringMessage": {"m": {"a": 5, "b": "five"}}, "mapBoolString": {"true": "yes"},
         "mapUint64Bool": {"18446744073709551615": true},
         "wktTimestamp": "2024-03-01T12:34:56.789Z", "wktDuration": "-1.500s", "wktFieldMask": "a.bC,dE",
         "wktStruct": {"name": "s", "count": 3, "ok": true, "list": [1, "two", null], "obj": {"x": 1.5}},
         "wktValue": [1, 2, {"k": "v"}], "wktListValue": ["a", 1, false],
         "wktEmpty": {}, "wktDoubleValue": 1.25, "wktInt64Value": "-77", "wktStringValue": "wrapped",
         "wktBoolValue": true, "wktBytesValue": "/+8=",
         "repeatedTimestamp": ["1970-01-01T00:00:00Z", "2000-01-01T00:00:00.5Z"],
         "repeatedInt32Value": [1, 2], "mapStringValue": {"a": 1, "b": "c"},
         "child": {"scalarInt32": 1, "scalarString": "child", "repeatedInt32": [9, 8, 7]},
         "twoByteTag": 2047, "threeByteTag": 2048, "maxFieldNumber": 536870911}
        """
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
