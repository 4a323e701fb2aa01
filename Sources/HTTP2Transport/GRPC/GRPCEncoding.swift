/// `grpc-encoding` / `grpc-accept-encoding` negotiation (gRPC `doc/compression.md`).
public enum GRPCEncoding {
    /// What we advertise we can read, in preference order.
    public static let acceptedValue = "gzip,deflate,identity"

    /// Reads a `grpc-encoding` value. `identity` and absence are nil; an unknown name throws, as
    /// the receiver cannot read the messages (UNIMPLEMENTED on a server, INTERNAL on a client).
    public static func parse(_ value: String?, code: GRPCStatus.Code) throws(GRPCStatus) -> CompressionFormat? {
        guard let value, value != "identity" else { return nil }
        guard let format = CompressionFormat(rawValue: value) else {
            throw GRPCStatus(code, "unsupported grpc-encoding \"\(value)\"")
        }
        return format
    }

    /// Picks the format to answer with: the one the peer used if it accepts it, else the first we
    /// support from its `grpc-accept-encoding`, else identity.
    public static func negotiate(accepted: String?, preferred: CompressionFormat?) -> CompressionFormat? {
        guard let preferred, let accepted else { return nil }
        let names = accepted.split(separator: ",").map { $0.trimmingSpaces }
        return names.contains(Substring(preferred.rawValue)) ? preferred : nil
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var slice = self
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return slice
    }
}
