import HTTP2Transport

/// Versions of the gateway and the C libraries it runs on.
public enum VersionInfo {
    public static let gateway = "0.1.0"

    public static var summary: String {
        "grpc-gateway \(gateway)\nnghttp2 \(NGHTTP2Library.version)\nzlib \(ZlibLibrary.version)"
    }
}
