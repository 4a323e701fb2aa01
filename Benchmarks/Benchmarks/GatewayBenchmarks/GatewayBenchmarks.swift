import Benchmark
import Foundation
import Gateway
import HTTP2Transport
import NIOPosix
import ProtoWire
import Transcoder

/// The gateway's request pipeline on the bookstore schema: the sans-I/O step (route, transcode,
/// metadata, deadline) and a whole `handle` against the in-process demo backend over
/// loopback HTTP/2.
let benchmarks: @Sendable () -> Void = {
    let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let descriptorSet = repository.appendingPathComponent("protos/descriptors/bookstore.pb").path
    let pool = try! SchemaLoader.loadDescriptorSets(paths: [descriptorSet])
    let routes = try! RouteTable(pool: pool)
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let bookstore = try! DemoBookstore(pool: pool)
    let backendPort = try! runBlocking {
        try await HTTP2Server.start(host: "127.0.0.1", port: 0, group: group, handler: bookstore.handler).port
    }
    let backends = BackendDirectory(targets: [.init(host: "127.0.0.1", port: backendPort)], group: group)
    let pipeline = GatewayPipeline(routes: routes, backends: backends)

    let headers: [(name: String, value: String)] = [
        ("Host", "api.example.com"), ("User-Agent", "bench/1.0"), ("Accept", "application/json"),
        ("Authorization", "Bearer abcdef0123456789"),
    ]
    let get = GatewayRequest(method: "GET", target: "/v1/shelves/1/books/2", headers: headers, remoteAddress: "127.0.0.1")
    let description = String(repeating: "lorem ipsum dolor sit amet ", count: 34)
    let body = Array(#"{"title":"A Long Book","author":"Somebody","genre":"GENRE_FICTION","pageCount":"512","labels":{"d":"\#(description)"}}"#.utf8)
    let post = GatewayRequest(
        method: "POST", target: "/v1/shelves/1/books", headers: headers + [("Content-Type", "application/json")],
        body: body, remoteAddress: "127.0.0.1")
    print("POST body: \(body.count) bytes")
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(3))

    Benchmark("prepare GET /v1/shelves/1/books/2") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try pipeline.prepare(get, requestID: "bench")) }
    }
    Benchmark("prepare POST ~1 KB JSON body") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try pipeline.prepare(post, requestID: "bench")) }
    }
    Benchmark("handle GET end to end (loopback gRPC to the demo backend)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(await pipeline.handle(get)) }
    }
    Benchmark("handle POST ~1 KB end to end (loopback gRPC to the demo backend)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(await pipeline.handle(post)) }
    }
}

func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let semaphore = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<T, any Error>?
    Task {
        do { result = .success(try await body()) } catch { result = .failure(error) }
        semaphore.signal()
    }
    semaphore.wait()
    return try result!.get()
}
