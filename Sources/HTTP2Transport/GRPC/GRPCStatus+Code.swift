extension GRPCStatus {
    /// The canonical gRPC status codes, numbered as in `google/rpc/code.proto` and the gRPC
    /// `doc/statuscodes.md`. Exhaustive: the protocol defines exactly these seventeen; a number
    /// outside them received from a peer is read as `.unknown` (gRPC `doc/statuscodes.md`).
    public enum Code: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case ok = 0
        case cancelled = 1
        case unknown = 2
        case invalidArgument = 3
        case deadlineExceeded = 4
        case notFound = 5
        case alreadyExists = 6
        case permissionDenied = 7
        case resourceExhausted = 8
        case failedPrecondition = 9
        case aborted = 10
        case outOfRange = 11
        case unimplemented = 12
        case `internal` = 13
        case unavailable = 14
        case dataLoss = 15
        case unauthenticated = 16

        /// The code's name as `google/rpc/code.proto` spells it (also its ProtoJSON enum name).
        public var description: String {
            switch self {
            case .ok: "OK"
            case .cancelled: "CANCELLED"
            case .unknown: "UNKNOWN"
            case .invalidArgument: "INVALID_ARGUMENT"
            case .deadlineExceeded: "DEADLINE_EXCEEDED"
            case .notFound: "NOT_FOUND"
            case .alreadyExists: "ALREADY_EXISTS"
            case .permissionDenied: "PERMISSION_DENIED"
            case .resourceExhausted: "RESOURCE_EXHAUSTED"
            case .failedPrecondition: "FAILED_PRECONDITION"
            case .aborted: "ABORTED"
            case .outOfRange: "OUT_OF_RANGE"
            case .unimplemented: "UNIMPLEMENTED"
            case .internal: "INTERNAL"
            case .unavailable: "UNAVAILABLE"
            case .dataLoss: "DATA_LOSS"
            case .unauthenticated: "UNAUTHENTICATED"
            }
        }

        /// Reads a `grpc-status` value: ASCII decimal digits only; anything else, or a number with
        /// no code, is `.unknown` (gRPC `doc/PROTOCOL-HTTP2.md`, "Status").
        public init(grpcStatusField value: Substring) {
            guard !value.isEmpty, value.utf8.count <= 3, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let number = Int(value), let code = Code(rawValue: number)
            else {
                self = .unknown
                return
            }
            self = code
        }
    }
}
