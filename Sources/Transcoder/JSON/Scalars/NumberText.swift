#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exact parsing of number text: a JSON number token, or the same grammar inside a JSON string
/// or a URL parameter.
///
/// Grammar (RFC 8259 §6):
/// ```
/// number = [ "-" ] int [ frac ] [ exp ]
/// int    = "0" / ( digit1-9 *DIGIT )
/// frac   = "." 1*DIGIT
/// exp    = ( "e" / "E" ) [ "-" / "+" ] 1*DIGIT
/// ```
/// ProtoJSON accepts exponent forms for integer fields when the value is integral ("1e3" is
/// 1000), so integers are evaluated exactly from the digits rather than through a double.
enum NumberText {
    /// Why a text is not an acceptable number.
    enum Failure: Error, Sendable {
        case notANumber
        case fractional
        case outOfRange
    }

    /// The positions of the parts of a valid number.
    struct Shape {
        var negative: Bool
        var intStart: Int
        var intEnd: Int
        var fracStart: Int
        var fracEnd: Int
        /// The written exponent, saturated to ±1_000_000.
        var exponent: Int
    }

    /// Validates the grammar; returns nil for anything that is not exactly one JSON number.
    static func shape(_ text: UnsafeRawBufferPointer) -> Shape? {
        var index = 0
        let count = text.count
        var shape = Shape(negative: false, intStart: 0, intEnd: 0, fracStart: 0, fracEnd: 0, exponent: 0)
        if index < count && text[index] == UInt8(ascii: "-") {
            shape.negative = true
            index += 1
        }
        shape.intStart = index
        guard index < count, isDigit(text[index]) else { return nil }
        if text[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < count && isDigit(text[index]) { index += 1 }
        }
        shape.intEnd = index
        shape.fracStart = index
        shape.fracEnd = index
        if index < count && text[index] == UInt8(ascii: ".") {
            index += 1
            shape.fracStart = index
            guard index < count, isDigit(text[index]) else { return nil }
            while index < count && isDigit(text[index]) { index += 1 }
            shape.fracEnd = index
        }
        if index < count && (text[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            var negativeExponent = false
            if index < count && (text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-")) {
                negativeExponent = text[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < count, isDigit(text[index]) else { return nil }
            var exponent = 0
            while index < count && isDigit(text[index]) {
                exponent = min(exponent * 10 + Int(text[index] &- 48), 1_000_000)
                index += 1
            }
            shape.exponent = negativeExponent ? -exponent : exponent
        }
        return index == count ? shape : nil
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 48 < 10 }

    /// Evaluates an integral number exactly: its sign and magnitude.
    ///
    /// Fails with `.fractional` when the value has a non-zero fractional part, `.outOfRange` when
    /// the magnitude exceeds `UInt64.max`.
    static func integral(_ text: UnsafeRawBufferPointer) throws(Failure) -> (negative: Bool, magnitude: UInt64) {
        guard let shape = shape(text) else { throw .notANumber }
        return try integral(text, shape: shape)
    }

    /// ``integral(_:)`` for text whose shape is already known.
    static func integral(
        _ text: UnsafeRawBufferPointer, shape: Shape
    ) throws(Failure) -> (negative: Bool, magnitude: UInt64) {
        // Fast path: plain digits, at most 19 of them.
        let intCount = shape.intEnd - shape.intStart
        if shape.fracStart == shape.fracEnd && shape.exponent == 0 && intCount <= 19 {
            var value: UInt64 = 0
            for index in shape.intStart..<shape.intEnd { value = value &* 10 &+ UInt64(text[index] &- 48) }
            return (shape.negative, value)
        }
        // The digits, int and fraction run together, scaled by 10^scale.
        let fracCount = shape.fracEnd - shape.fracStart
        let digitCount = intCount + fracCount
        func digit(_ position: Int) -> UInt64 {
            let index = position < intCount ? shape.intStart + position : shape.fracStart + position - intCount
            return UInt64(text[index] &- 48)
        }
        let scale = shape.exponent - fracCount
        var first = 0
        while first < digitCount && digit(first) == 0 { first += 1 }
        if first == digitCount { return (shape.negative, 0) }
        var last = digitCount  // exclusive end of the digits that form the integer part
        if scale < 0 {
            last = digitCount + scale
            var position = max(last, first)
            while position < digitCount {
                if digit(position) != 0 { throw .fractional }
                position += 1
            }
            if last <= first { throw .fractional }
        }
        var value: UInt64 = 0
        for position in first..<last {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit(position))
            if overflow1 || overflow2 { throw .outOfRange }
            value = sum
        }
        if scale > 0 {
            if scale > 20 { throw .outOfRange }
            for _ in 0..<scale {
                let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
                if overflow { throw .outOfRange }
                value = times10
            }
        }
        return (shape.negative, value)
    }

    /// Parses a double from number text, or the ProtoJSON names `NaN`, `Infinity`, `-Infinity`
    /// when `allowNames` (inside a JSON string). Finite text that overflows is out of range.
    static func floating(_ text: UnsafeRawBufferPointer, allowNames: Bool) throws(Failure) -> Double {
        if allowNames {
            if equals(text, "NaN") { return .nan }
            if equals(text, "Infinity") { return .infinity }
            if equals(text, "-Infinity") { return -.infinity }
        }
        guard let shape = shape(text) else { throw .notANumber }
        return try floating(text, shape: shape)
    }

    /// ``floating(_:allowNames:)`` for number text whose shape is already known.
    static func floating(_ text: UnsafeRawBufferPointer, shape: Shape) throws(Failure) -> Double {
        if let fast = fastDouble(text, shape: shape) { return fast }
        guard let value = CLocaleDouble.parse(text) else { throw .notANumber }
        guard value.isFinite else { throw .outOfRange }
        return value
    }

    /// The double of number text without `strtod` when possible: Clinger's fast path (W. D.
    /// Clinger, "How to Read Floating Point Numbers Accurately", PLDI 1990) when the decimal
    /// significand `w` is at most 2^53 and the exponent `e` within ±22 — both are exact doubles,
    /// so one IEEE multiplication or division rounds `w × 10^e` correctly — else
    /// ``EiselLemire`` for up to 19 significant digits. Nil when neither can decide.
    @inline(__always)
    static func fastDouble(_ text: UnsafeRawBufferPointer, shape: Shape) -> Double? {
        var significand: UInt64 = 0
        var digits = 0
        for index in shape.intStart..<shape.intEnd {
            let digit = UInt64(text[index] &- 48)
            if significand == 0 && digit == 0 { continue }
            digits += 1
            if digits > 19 { return nil }
            significand = significand &* 10 &+ digit
        }
        for index in shape.fracStart..<shape.fracEnd {
            let digit = UInt64(text[index] &- 48)
            if significand == 0 && digit == 0 { continue }
            digits += 1
            if digits > 19 { return nil }
            significand = significand &* 10 &+ digit
        }
        let exponent = shape.exponent - (shape.fracEnd - shape.fracStart)
        if significand == 0 { return shape.negative ? -0.0 : 0 }
        if significand <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            var value = Double(significand)
            if exponent < 0 {
                value /= exactPowersOfTen[-exponent]
            } else if exponent > 0 {
                value *= exactPowersOfTen[exponent]
            }
            return shape.negative ? -value : value
        }
        return EiselLemire.double(significand: significand, power: exponent, negative: shape.negative)
    }

    /// 10^0 ... 10^22: every power of ten that a double holds exactly.
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    static func equals(_ text: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard text.count == literal.utf8CodeUnitCount else { return false }
        let pointer = literal.utf8Start
        for index in 0..<text.count where text[index] != pointer[index] { return false }
        return true
    }
}

/// Correctly rounded decimal → double conversion by the C library's `strtod`, on a
/// NUL-terminated copy made on the stack: no `String` and no heap allocation per number.
///
/// `strtod` follows the process locale's decimal point; the gateway never changes the locale
/// ("C"), and should something else do so, `strtod` stops at the `.` and the conversion falls
/// back to the standard library's parser, so the result is the same either way.
enum CLocaleDouble {
    /// Parses text already checked against the JSON number grammar.
    static func parse(_ text: UnsafeRawBufferPointer) -> Double? {
        let fast = withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buffer -> Double? in
            let base = buffer.baseAddress!
            UnsafeMutableRawPointer(base).copyMemory(from: text.baseAddress!, byteCount: text.count)
            base[text.count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(base, &end)
            return end == base + text.count ? value : nil
        }
        return fast ?? Double(String(decoding: text, as: UTF8.self))
    }
}
