import HTTP2Transport

extension GRPCStatus.Code {
    /// The HTTP status a gateway answers for this gRPC code, per the mapping documented with
    /// `google/rpc/code.proto` (each code's "HTTP Mapping" comment), which Google's API
    /// gateways, Envoy's transcoder and grpc-gateway all follow.
    public var httpResponseStatus: Int {
        switch self {
        case .ok: 200
        case .cancelled: 499  // Client Closed Request
        case .unknown: 500
        case .invalidArgument: 400
        case .deadlineExceeded: 504
        case .notFound: 404
        case .alreadyExists: 409
        case .permissionDenied: 403
        case .resourceExhausted: 429
        case .failedPrecondition: 400
        case .aborted: 409
        case .outOfRange: 400
        case .unimplemented: 501
        case .internal: 500
        case .unavailable: 503
        case .dataLoss: 500
        case .unauthenticated: 401
        }
    }
}
