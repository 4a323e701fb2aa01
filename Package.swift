// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way:
//   grpc-gateway → Gateway → { Transcoder, HTTP2Transport } → ProtoWire
// ProtoWire imports only the standard library. C libraries stay behind their shim targets,
// which only their wrapper module imports.
let package = Package(
    name: "grpc-gateway",
    products: [
        .executable(name: "grpc-gateway", targets: ["grpc-gateway"]),
        .library(name: "Gateway", targets: ["Gateway"]),
        .library(name: "ProtoWire", targets: ["ProtoWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .target(name: "ProtoWire", exclude: ["Design.md"]),
        .target(name: "Transcoder", dependencies: ["ProtoWire"]),
        .systemLibrary(
            name: "CNGHTTP2",
            pkgConfig: "libnghttp2",
            providers: [.apt(["libnghttp2-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "HTTP2Transport",
            dependencies: [
                "ProtoWire", "CNGHTTP2", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(name: "Gateway", dependencies: ["Transcoder", "HTTP2Transport", "ProtoWire"]),
        .executableTarget(
            name: "grpc-gateway",
            dependencies: [
                "Gateway",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ProtoWireTests", dependencies: ["ProtoWire"], exclude: ["Fixtures", "PoolListings"]),
        .testTarget(name: "TranscoderTests", dependencies: ["Transcoder"]),
        .testTarget(
            name: "HTTP2TransportTests",
            dependencies: [
                "HTTP2Transport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway"]),
    ],
    swiftLanguageModes: [.v6]
)
