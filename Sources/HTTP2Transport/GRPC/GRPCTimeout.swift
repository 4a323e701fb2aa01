/// The `grpc-timeout` header (gRPC `doc/PROTOCOL-HTTP2.md`):
///
/// ```
/// Timeout      → "grpc-timeout" TimeoutValue TimeoutUnit
/// TimeoutValue → {positive integer as ASCII string of at most 8 digits}
/// TimeoutUnit  → Hour "H" / Minute "M" / Second "S" / Millisecond "m" / Microsecond "u" / Nanosecond "n"
/// ```
public enum GRPCTimeout {
    private static let units: [(symbol: UInt8, nanoseconds: Int64)] = [
        (UInt8(ascii: "n"), 1), (UInt8(ascii: "u"), 1_000), (UInt8(ascii: "m"), 1_000_000),
        (UInt8(ascii: "S"), 1_000_000_000), (UInt8(ascii: "M"), 60_000_000_000), (UInt8(ascii: "H"), 3_600_000_000_000),
    ]
    private static let maxValue: Int64 = 99_999_999

    /// The header value for a remaining time, in the finest unit that fits eight digits, rounded
    /// up so the server never sees a deadline earlier than the client's. Durations of zero or less
    /// encode as `1n`: the call is already out of time and the server should say so.
    public static func encode(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let total = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let nanoseconds = total.overflow ? Int64.max : total.partialValue.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
        guard nanoseconds > 0 else { return "1n" }
        for unit in units {
            let value = (nanoseconds - 1) / unit.nanoseconds + 1
            if value <= maxValue { return "\(value)\(Character(Unicode.Scalar(unit.symbol)))" }
        }
        return "\(maxValue)H"
    }

    /// Parses a header value; nil when it breaks the grammar (no digits, more than eight, unknown unit).
    public static func parse(_ value: String) -> Duration? {
        let bytes = Array(value.utf8)
        guard bytes.count >= 2, bytes.count <= 9, let unit = units.first(where: { $0.symbol == bytes.last }) else {
            return nil
        }
        var number: Int64 = 0
        for digit in bytes.dropLast() {
            guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "9") else { return nil }
            number = number * 10 + Int64(digit - UInt8(ascii: "0"))
        }
        switch unit.symbol {
        case UInt8(ascii: "H"): return .seconds(number * 3600)
        case UInt8(ascii: "M"): return .seconds(number * 60)
        case UInt8(ascii: "S"): return .seconds(number)
        default: return .nanoseconds(number * unit.nanoseconds)
        }
    }
}
