/// Prints finite doubles and floats as their shortest round-trip decimal (``ShortestDecimal``)
/// in the layout of Swift's `description`, without building a `String`: the text goes through
/// a 32-byte stack buffer into the sink.
///
/// Layout (the standard library's `description`, which the codec printed before and which
/// ProtoJSON readers accept as a JSON number, RFC 8259 §6): with `value = 0.d₁d₂…dₙ × 10^E`,
/// - exponential `d₁.d₂…dₙe±XX` (no `.` when n = 1, at least two exponent digits) when E < -3
///   or the magnitude exceeds 2^53 (2^24 for a float), so `1e-05`, `1e+16`, `1.5e+300`;
/// - otherwise positional, always with a fraction: `0.0001`, `123.25`, `1000000000000000.0`;
/// - zero is `0.0` or `-0.0`.
enum FloatText {
    /// Appends `value`, which must be finite.
    static func appendDouble<S: JSONSink>(_ value: Double, into output: inout S) {
        let decimal = ShortestDecimal.decimal(value)
        append(decimal, negative: value.sign == .minus, exponential: value.magnitude > 0x1.0p53, into: &output)
    }

    /// Appends `value`, which must be finite, in the shortest form that reads back as a float.
    static func appendFloat<S: JSONSink>(_ value: Float, into output: inout S) {
        let decimal = ShortestDecimal.decimal(value)
        append(decimal, negative: value.sign == .minus, exponential: value.magnitude > 0x1.0p24, into: &output)
    }

    /// `description`'s text, through the same code (tests compare it with the standard library).
    static func text(_ value: Double) -> String {
        var bytes: [UInt8] = []
        appendDouble(value, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``text(_:)`` for a float.
    static func text(_ value: Float) -> String {
        var bytes: [UInt8] = []
        appendFloat(value, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// "00", "01", … "99" back to back.
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324\
        25262728293031323334353637383940414243444546474849\
        50515253545556575859606162636465666768697071727374\
        75767778798081828384858687888990919293949596979899
        """

    private static func append<S: JSONSink>(
        _ decimal: ShortestDecimal.Decimal, negative: Bool, exponential large: Bool, into output: inout S
    ) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            let text = buffer.baseAddress!
            var count = 0
            @inline(__always) func put(_ byte: UInt8) {
                text[count] = byte
                count &+= 1
            }
            if negative { put(UInt8(ascii: "-")) }
            if decimal.significand == 0 {
                put(UInt8(ascii: "0"))
                put(UInt8(ascii: "."))
                put(UInt8(ascii: "0"))
                output.appendBytes(UnsafeRawBufferPointer(start: text, count: count))
                return
            }
            // The digits, most significant first, at the end of the buffer, two per division.
            var first = 32
            var rest = decimal.significand
            let pairs = digitPairs.utf8Start
            while rest >= 100 {
                let quotient = rest / 100
                let pair = Int(truncatingIfNeeded: rest &- quotient &* 100) &* 2
                first &-= 2
                text[first] = pairs[pair]
                text[first &+ 1] = pairs[pair &+ 1]
                rest = quotient
            }
            if rest >= 10 {
                let pair = Int(truncatingIfNeeded: rest) &* 2
                first &-= 2
                text[first] = pairs[pair]
                text[first &+ 1] = pairs[pair &+ 1]
            } else {
                first &-= 1
                text[first] = UInt8(truncatingIfNeeded: rest) &+ 48
            }
            let digits = 32 - first
            let pointPosition = decimal.exponent + digits  // E: value = 0.digits × 10^E
            if pointPosition < -3 || large {
                put(text[first])
                if digits > 1 {
                    put(UInt8(ascii: "."))
                    for index in first + 1..<32 { put(text[index]) }
                }
                put(UInt8(ascii: "e"))
                var exponent = pointPosition - 1
                put(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                exponent = exponent.magnitude > 0 ? Int(exponent.magnitude) : 0
                if exponent >= 100 {
                    put(UInt8(truncatingIfNeeded: exponent / 100) &+ 48)
                    exponent %= 100
                }
                put(UInt8(truncatingIfNeeded: exponent / 10) &+ 48)
                put(UInt8(truncatingIfNeeded: exponent % 10) &+ 48)
            } else if pointPosition <= 0 {
                put(UInt8(ascii: "0"))
                put(UInt8(ascii: "."))
                for _ in 0 ..< -pointPosition { put(UInt8(ascii: "0")) }
                for index in first..<32 { put(text[index]) }
            } else if pointPosition < digits {
                for index in first..<first + pointPosition { put(text[index]) }
                put(UInt8(ascii: "."))
                for index in first + pointPosition..<32 { put(text[index]) }
            } else {
                for index in first..<32 { put(text[index]) }
                for _ in 0..<pointPosition - digits { put(UInt8(ascii: "0")) }
                put(UInt8(ascii: "."))
                put(UInt8(ascii: "0"))
            }
            output.appendBytes(UnsafeRawBufferPointer(start: text, count: count))
        }
    }
}
