/// Strings for header names and values that recur on every gRPC exchange and are too long for
/// Swift's inline small strings (over 15 UTF-8 bytes): decoding them from this table shares one
/// immortal literal instead of allocating a new string per header (gRPC `doc/PROTOCOL-HTTP2.md`).
enum HeaderStringTable {
    private static let entries: [(bytes: [UInt8], string: String)] = [
        "application/grpc", "application/grpc+proto", "grpc-accept-encoding", "identity,deflate,gzip",
        "grpc-status-details-bin", "grpc-previous-rpc-attempts", "application/octet-stream",
        "identity,gzip,deflate",
    ].map { (Array($0.utf8), $0) }

    /// `bytes` as a String: the shared literal when the table has it, a fresh string otherwise.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.count > 15 {
            for entry in entries where entry.bytes.count == bytes.count {
                if entry.bytes.withUnsafeBufferPointer({ $0.elementsEqual(bytes) }) { return entry.string }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
