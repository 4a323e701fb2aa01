extension GRPCStatus.Code {
    /// The gRPC code for an HTTP response that carries no `grpc-status`, as the gRPC
    /// `doc/http-grpc-status-mapping.md` table says: intermediaries (proxies, load balancers) answer
    /// with plain HTTP errors, and the client must still end the call with a status.
    public init(httpStatus: Int) {
        switch httpStatus {
        case 400: self = .internal
        case 401: self = .unauthenticated
        case 403: self = .permissionDenied
        case 404: self = .unimplemented
        case 429, 502, 503, 504: self = .unavailable
        default: self = .unknown
        }
    }
}
