// swift-tools-version:6.1
import PackageDescription

// The offloading stages' libFuzzer target, in its own package (like Fuzz/GatewayFuzz): it needs
// the Gateway module built with `-sanitize=fuzzer`, which must never reach the main package's
// builds. Run it through `scripts/fuzz-offload.sh`.
let package = Package(
    name: "offload-fuzz",
    dependencies: [
        .package(name: "grpc-gateway", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "OffloadFuzzer",
            dependencies: [
                .product(name: "Gateway", package: "grpc-gateway"),
                .product(name: "HTTP2Transport", package: "grpc-gateway"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ],
    swiftLanguageModes: [.v6]
)
