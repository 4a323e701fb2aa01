import HTTP2Transport

/// An error the gateway itself answers, before or instead of a backend status: no route, wrong
/// method, a body it cannot transcode, limits. Each one becomes a `google.rpc.Status` JSON body
/// with the gRPC code that names it and the HTTP status a client expects (RFC 9110 §15).
public struct GatewayError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case noRoute, methodNotAllowed, invalidArgument, payloadTooLarge, unsupportedMediaType
        case malformedRequest, backendUnavailable, deadlineExceeded, internalError, requestTimeout, headersTooLarge
        case forbidden, unsupportedContentEncoding
    }

    private let kind: Kind
    /// Says what went wrong, naming the JSON path, parameter or limit involved.
    public let message: String
    /// Extra response headers (`Allow` for a 405).
    public let headers: [(String, String)]

    private init(_ kind: Kind, _ message: String, headers: [(String, String)] = []) {
        self.kind = kind
        self.message = message
        self.headers = headers
    }

    /// 404: no route has this path.
    public static func noRoute(_ method: String, _ path: String) -> GatewayError {
        GatewayError(.noRoute, "no route for \(method) \(path)")
    }
    /// 405 with `Allow` (RFC 9110 §15.5.6).
    public static func methodNotAllowed(_ method: String, allow: String) -> GatewayError {
        GatewayError(.methodNotAllowed, "method \(method) not allowed; allowed: \(allow)", headers: [("allow", allow)])
    }
    /// 400: the path, query or body does not make a valid request message.
    public static func invalidArgument(_ message: String) -> GatewayError { GatewayError(.invalidArgument, message) }
    /// 413: the body is over the configured limit.
    public static func payloadTooLarge(limit: Int) -> GatewayError {
        GatewayError(.payloadTooLarge, "request body exceeds the limit of \(limit) bytes")
    }
    /// 413 for one message of a streamed body (client streaming), naming its index.
    public static func messageTooLarge(index: Int, limit: Int) -> GatewayError {
        GatewayError(.payloadTooLarge, "[\(index)]: message exceeds the limit of \(limit) bytes")
    }
    /// 415: the body is not JSON where JSON is required.
    public static func unsupportedMediaType(_ contentType: String) -> GatewayError {
        GatewayError(.unsupportedMediaType, "content-type '\(contentType)' is not supported; send application/json")
    }
    /// 400: the HTTP message itself is malformed; the connection closes after the answer.
    public static func malformedRequest(_ message: String) -> GatewayError { GatewayError(.malformedRequest, message) }
    /// 503: no backend serves the method, or it cannot be reached.
    public static func backendUnavailable(_ message: String) -> GatewayError {
        GatewayError(.backendUnavailable, message)
    }
    /// 504: the deadline passed.
    public static func deadlineExceeded(_ message: String) -> GatewayError { GatewayError(.deadlineExceeded, message) }
    /// 408: the client was too slow sending its request (RFC 9110 §15.5.9).
    public static func requestTimeout(_ message: String) -> GatewayError { GatewayError(.requestTimeout, message) }
    /// 431: the request's header block is over the parser's limit (RFC 6585 §5).
    public static func headersTooLarge(_ message: String) -> GatewayError { GatewayError(.headersTooLarge, message) }
    /// 403: a CORS preflight the policy refuses (origin, method or header not allowed).
    public static func forbidden(_ message: String) -> GatewayError { GatewayError(.forbidden, message) }
    /// 415: the body's `Content-Encoding` is not one the gateway inflates (RFC 9110 §8.4, §15.5.16).
    public static func unsupportedContentEncoding(_ coding: String) -> GatewayError {
        GatewayError(.unsupportedContentEncoding, "content-encoding '\(coding)' is not supported; send gzip, deflate or identity")
    }
    /// 500: the backend's reply could not be translated.
    public static func internalError(_ message: String) -> GatewayError { GatewayError(.internalError, message) }

    /// The gRPC code in the Status body.
    public var code: GRPCStatus.Code {
        switch kind {
        case .noRoute: .notFound
        case .methodNotAllowed: .unimplemented
        case .invalidArgument, .malformedRequest, .unsupportedMediaType, .unsupportedContentEncoding: .invalidArgument
        case .forbidden: .permissionDenied
        case .payloadTooLarge, .headersTooLarge: .resourceExhausted
        case .backendUnavailable: .unavailable
        case .deadlineExceeded, .requestTimeout: .deadlineExceeded
        case .internalError: .internal
        }
    }

    /// The HTTP status; 405, 413 and 415 are more precise than the code's mapping.
    public var httpStatus: Int {
        switch kind {
        case .methodNotAllowed: 405
        case .payloadTooLarge: 413
        case .unsupportedMediaType, .unsupportedContentEncoding: 415
        case .requestTimeout: 408
        case .headersTooLarge: 431
        default: code.httpResponseStatus
        }
    }

    public var description: String { "\(httpStatus) \(code): \(message)" }

    public static func == (lhs: GatewayError, rhs: GatewayError) -> Bool {
        lhs.kind == rhs.kind && lhs.message == rhs.message
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(message)
    }
}
