/// Integers as decimal text (RFC 8259 §6: no leading zeros, `-` for negatives), written straight
/// into reserved output two digits at a time from a 200-byte table of the pairs "00"..."99".
enum DecimalText {
    /// Enough room for any 64-bit integer with its sign.
    static let maximumLength = 20

    /// "00" "01" ... "99" back to back; a literal, so reading it needs no lazy initialisation.
    @inline(__always)
    private static var digitPairs: UnsafePointer<UInt8> {
        let table: StaticString = """
            00010203040506070809101112131415161718192021222324252627282930313233343536373839\
            40414243444546474849505152535455565758596061626364656667686970717273747576777879\
            8081828384858687888990919293949596979899
            """
        return table.utf8Start
    }

    /// The number of decimal digits of `value`.
    @inline(__always)
    static func digitCount(_ value: UInt64) -> Int {
        var count = 1
        var rest = value
        while rest >= 10_000 {
            rest /= 10_000
            count += 4
        }
        if rest >= 100 { count += rest >= 1_000 ? 3 : 2 } else if rest >= 10 { count += 1 }
        return count
    }

    /// Writes `value` at `destination`; returns the number of bytes written. (Its own loop, not
    /// `write(_:width:to:)` with the digit count: that one costs 0.4% more per kitchen-sink
    /// message, by callgrind.)
    @inline(__always)
    static func write(_ value: UInt64, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        let count = digitCount(value)
        var cursor = destination + count
        var rest = value
        let pairs = digitPairs
        while rest >= 100 {
            let quotient = rest / 100
            let pair = Int(truncatingIfNeeded: rest &- quotient &* 100) &* 2
            cursor -= 2
            cursor[0] = pairs[pair]
            cursor[1] = pairs[pair + 1]
            rest = quotient
        }
        if rest >= 10 {
            let pair = Int(truncatingIfNeeded: rest) &* 2
            cursor[-2] = pairs[pair]
            cursor[-1] = pairs[pair + 1]
        } else {
            cursor[-1] = UInt8(truncatingIfNeeded: rest) &+ 48
        }
        return count
    }

    /// Writes exactly `width` digits of `value` (below 10^width), zero-padded.
    @inline(__always)
    static func write(_ value: UInt64, width: Int, to destination: UnsafeMutablePointer<UInt8>) {
        var cursor = destination + width
        var rest = value
        let pairs = digitPairs
        var left = width
        while left >= 2 {
            let quotient = rest / 100
            let pair = Int(truncatingIfNeeded: rest &- quotient &* 100) &* 2
            cursor -= 2
            cursor[0] = pairs[pair]
            cursor[1] = pairs[pair + 1]
            rest = quotient
            left -= 2
        }
        if left == 1 { cursor[-1] = UInt8(truncatingIfNeeded: rest) &+ 48 }
    }

    /// Writes `value` with a leading `-` when negative; returns the number of bytes written.
    @inline(__always)
    static func write(_ value: Int64, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 0 {
            destination[0] = UInt8(ascii: "-")
            return 1 + write(value.magnitude, to: destination + 1)
        }
        return write(UInt64(value), to: destination)
    }

    /// Appends `value`, quoted when `quoted` (ProtoJSON's 64-bit integers are strings).
    @inline(__always)
    static func append(_ value: UInt64, quoted: Bool = false, into output: inout OutputBuffer) {
        append(quoted: quoted, into: &output) { write(value, to: $0) }
    }

    @inline(__always)
    static func append(_ value: Int64, quoted: Bool = false, into output: inout OutputBuffer) {
        append(quoted: quoted, into: &output) { write(value, to: $0) }
    }

    /// Reserves room for the longest number and its quotes once, and lets `write` fill it.
    @inline(__always)
    private static func append(
        quoted: Bool, into output: inout OutputBuffer, _ write: (UnsafeMutablePointer<UInt8>) -> Int
    ) {
        let pointer = output.reserveTail(maximumLength + 2)
        if quoted {
            pointer[0] = UInt8(ascii: "\"")
            let count = write(pointer + 1)
            pointer[count + 1] = UInt8(ascii: "\"")
            output.commit(count + 2)
        } else {
            output.commit(write(pointer))
        }
    }
}
