import Logging
import NIOCore

/// One structured line per answered request: method, path, route, HTTP status, gRPC code,
/// response bytes, duration and request id, as swift-log metadata.
struct AccessLog: Sendable {
    let logger: Logger

    func record(
        method: String, target: String, response: GatewayResponse, bytes: Int, started: NIODeadline
    ) {
        let micros = (NIODeadline.now() - started).nanoseconds / 1000
        logger.info(
            "request",
            metadata: [
                "method": .string(method),
                "path": .string(String(target.prefix { $0 != "?" })),
                "route": .string(response.rpc ?? "-"),
                "status": .stringConvertible(response.status),
                "grpc_code": .stringConvertible(response.grpcCode),
                "bytes": .stringConvertible(bytes),
                "duration_ms": .string(Self.milliseconds(micros)),
                "request_id": .string(response.header("x-request-id") ?? "-"),
            ])
    }

    /// `1.234` for 1234 µs.
    static func milliseconds(_ micros: Int64) -> String {
        "\(micros / 1000).\(String(micros % 1000 + 1000).dropFirst())"
    }
}
