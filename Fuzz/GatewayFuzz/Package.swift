// swift-tools-version:6.1
import PackageDescription

// The gateway's libFuzzer target lives in its own package (like Benchmarks/): it needs the
// whole Gateway module (NIO included), built with `-sanitize=fuzzer`, which must never reach
// the main package's builds. Run it through `scripts/fuzz-gateway.sh`.
let package = Package(
    name: "gateway-fuzz",
    dependencies: [
        .package(name: "grpc-gateway", path: "../.."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "GatewayFuzzer",
            dependencies: [
                .product(name: "Gateway", package: "grpc-gateway"),
                .product(name: "HTTP2Transport", package: "grpc-gateway"),
                .product(name: "Transcoder", package: "grpc-gateway"),
                .product(name: "ProtoWire", package: "grpc-gateway"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ],
    swiftLanguageModes: [.v6]
)
