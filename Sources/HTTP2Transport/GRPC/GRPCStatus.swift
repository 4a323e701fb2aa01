/// The outcome of a gRPC call: a code, a message for developers, and optional rich details
/// (`grpc-status`, `grpc-message`, `grpc-status-details-bin`; gRPC `doc/PROTOCOL-HTTP2.md`).
public struct GRPCStatus: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Code
    /// Already percent-decoded.
    public var message: String
    /// The serialized `google.rpc.Status` from `grpc-status-details-bin`, base64-decoded.
    public var details: [UInt8]?

    public init(_ code: Code, _ message: String = "", details: [UInt8]? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    public static let ok = GRPCStatus(.ok)

    public var isOK: Bool { code == .ok }

    public var description: String { message.isEmpty ? "\(code)" : "\(code): \(message)" }

    /// Reads the status from a response's trailers (or a trailers-only response's headers).
    ///
    /// When `grpc-status` is missing, the HTTP `:status` decides (`Code(httpStatus:)`), and a
    /// 200 without `grpc-status` is `.unknown`: the server broke the protocol.
    public init(trailers: HTTP2Headers, httpStatus: Int?) {
        if let status = trailers[first: "grpc-status"] {
            code = Code(grpcStatusField: Substring(status))
            message = trailers[first: "grpc-message"].map(PercentEncoding.decode) ?? ""
            details = trailers[first: "grpc-status-details-bin"].flatMap { Base64.decode($0) }
        } else if let httpStatus, httpStatus != 200 {
            code = Code(httpStatus: httpStatus)
            message = "HTTP status \(httpStatus) without grpc-status"
            details = nil
        } else {
            code = .unknown
            message = "response ended without grpc-status"
            details = nil
        }
    }

    /// The trailer fields that carry this status to a client.
    public var trailerFields: HTTP2Headers {
        var fields: HTTP2Headers = [("grpc-status", String(code.rawValue))]
        if !message.isEmpty { fields.add(name: "grpc-message", value: PercentEncoding.encode(message)) }
        if let details { fields.add(name: "grpc-status-details-bin", value: Base64.encode(details)) }
        return fields
    }
}
