import Benchmark
import ProtoWire
import Transcoder

/// Route lookups against synthetic tables of 10, 100 and 1,000 annotated routes (automatic routes
/// off), each iteration matching 1,000 request targets: divide the wall-clock time and the malloc
/// count by 1,000 for per-lookup figures. The target: < 200 ns and zero allocations per
/// lookup at 1,000 routes.
///
/// Route i has one of four shapes: `GET /v1/coll{i}/{name}`, `POST /v1/coll{i}`,
/// `GET /v1/{name=projects/*/coll{i}/*}`, `POST /v1/coll{i}/{name}:act`; the targets cycle
/// through all of them plus a miss.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .one,
        maxDuration: .seconds(3)
    )

    for routeCount in [10, 100, 1_000] {
        let table = try! RouteTable(
            pool: syntheticPool(routes: routeCount), options: RouteTableOptions(autoMapping: false))
        let requests = syntheticRequests(routes: routeCount, count: 1_000)
        // Every request but the deliberate misses must match.
        var matched = 0
        for request in requests {
            let lookup = table.lookup(
                method: String(decoding: request.method, as: UTF8.self),
                target: String(decoding: request.target, as: UTF8.self))
            if case .matched = lookup { matched += 1 }
        }
        print("\(routeCount) routes: \(table.routes.count) in table, \(matched)/\(requests.count) targets match")

        Benchmark("lookup x1000, \(routeCount) routes") { benchmark in
            for _ in benchmark.scaledIterations {
                var hits = 0
                for request in requests {
                    request.method.withUnsafeBytes { method in
                        request.target.withUnsafeBytes { target in
                            if case .matched(let match) = table.lookup(method: method, target: target) {
                                hits &+= match.routeIndex
                            }
                        }
                    }
                }
                blackHole(hits)
            }
        }
    }

    let table = try! RouteTable(pool: syntheticPool(routes: 100), options: RouteTableOptions(autoMapping: false))
    let target = "/v1/coll0/shelf-42"
    Benchmark("lookup + path fields, 1 request") { benchmark in
        for _ in benchmark.scaledIterations {
            guard case .matched(let match) = table.lookup(method: "GET", target: target) else { fatalError("no match") }
            var writer = WireWriter(capacity: 64)
            try table.appendPathAndQueryFields(of: match, target: target, into: &writer)
            blackHole(writer.count)
        }
    }
}

struct Request {
    let method: [UInt8]
    let target: [UInt8]
}

func syntheticRequests(routes: Int, count: Int) -> [Request] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { index in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let route = Int(state >> 33) % routes
        let (method, target): (String, String)
        if index % 10 == 9 {
            (method, target) = ("GET", "/v1/missing\(route)/x")
        } else {
            switch route % 4 {
            case 0: (method, target) = ("GET", "/v1/coll\(route)/shelf-\(index)")
            case 1: (method, target) = ("POST", "/v1/coll\(route)")
            case 2: (method, target) = ("GET", "/v1/projects/p\(index)/coll\(route)/item-\(index)")
            default: (method, target) = ("POST", "/v1/coll\(route)/thing-\(index):act")
            }
        }
        return Request(method: Array(method.utf8), target: Array(target.utf8))
    }
}

/// A pool with one service of `routes` annotated methods on one request message.
func syntheticPool(routes: Int) -> DescriptorPool {
    var file = DescriptorProto.File()
    file.name = "bench/v1/bench.proto"
    file.package = "bench.v1"
    file.syntax = "proto3"
    var request = DescriptorProto.Message()
    request.name = "Request"
    var name = DescriptorProto.Field()
    name.name = "name"
    name.number = 1
    name.type = FieldDescriptor.FieldType.string.rawValue
    name.jsonName = "name"
    request.fields = [name]
    file.messages = [request]
    var service = DescriptorProto.Service()
    service.name = "Bench"
    for index in 0..<routes {
        var method = DescriptorProto.Method()
        method.name = "Method\(index)"
        method.inputType = ".bench.v1.Request"
        method.outputType = ".bench.v1.Request"
        let (field, path): (UInt32, String)
        switch index % 4 {
        case 0: (field, path) = (2, "/v1/coll\(index)/{name}")
        case 1: (field, path) = (4, "/v1/coll\(index)")
        case 2: (field, path) = (2, "/v1/{name=projects/*/coll\(index)/*}")
        default: (field, path) = (4, "/v1/coll\(index)/{name}:act")
        }
        var rule = WireWriter()
        rule.writeTag(fieldNumber: field, wireType: .lengthDelimited)
        rule.writeString(path)
        var options = WireWriter()
        options.writeTag(fieldNumber: Transcoder.httpRuleExtensionFieldNumber, wireType: .lengthDelimited)
        options.writeLengthDelimited(rule.bytes)
        method.options = RawOptions(options.bytes)
        service.methods.append(method)
    }
    file.services = [service]
    return try! DescriptorPool(files: [file])
}
