extension GRPCStatus.Code {
    /// The gRPC code for a stream reset with an HTTP/2 error code, per the table in gRPC
    /// `doc/PROTOCOL-HTTP2.md` ("Errors": "HTTP2 Code → GRPC Code").
    public init(resetCode: HTTP2ErrorCode) {
        switch resetCode {
        case .noError, .protocolError, .internalError, .flowControlError, .settingsTimeout, .frameSizeError,
            .compressionError, .connectError, .streamClosed:
            self = .internal
        case .refusedStream: self = .unavailable
        case .cancel: self = .cancelled
        case .enhanceYourCalm: self = .resourceExhausted
        case .inadequateSecurity: self = .permissionDenied
        default: self = .internal
        }
    }
}
