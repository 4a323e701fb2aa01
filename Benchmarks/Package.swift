// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so that `swift test` and CI never build the benchmark
// harness. Run: `cd Benchmarks && swift package --allow-writing-to-package-directory benchmark`.
// Each module has its own target under Benchmarks/<Module>Benchmarks/.
let package = Package(
    name: "grpc-gateway-benchmarks",
    dependencies: [
        .package(name: "grpc-gateway", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // Benchmark-only: the reference JSON codec TranscoderBenchmarks compares against.
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "ProtoWireBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ProtoWire", package: "grpc-gateway"),
            ],
            path: "Benchmarks/ProtoWireBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "GatewayBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Gateway", package: "grpc-gateway"),
                .product(name: "HTTP2Transport", package: "grpc-gateway"),
                .product(name: "ProtoWire", package: "grpc-gateway"),
                .product(name: "Transcoder", package: "grpc-gateway"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/GatewayBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "OffloadBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Gateway", package: "grpc-gateway"),
                .product(name: "HTTP2Transport", package: "grpc-gateway"),
            ],
            path: "Benchmarks/OffloadBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SchemaBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ProtoWire", package: "grpc-gateway"),
            ],
            path: "Benchmarks/SchemaBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "RoutingBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ProtoWire", package: "grpc-gateway"),
                .product(name: "Transcoder", package: "grpc-gateway"),
            ],
            path: "Benchmarks/RoutingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TransportBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HTTP2Transport", package: "grpc-gateway"),
            ],
            path: "Benchmarks/TransportBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TransportLoad",
            dependencies: [
                .product(name: "HTTP2Transport", package: "grpc-gateway"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/TransportLoad"
        ),
        .executableTarget(
            name: "TranscoderBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ProtoWire", package: "grpc-gateway"),
                .product(name: "Transcoder", package: "grpc-gateway"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Benchmarks/TranscoderBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
