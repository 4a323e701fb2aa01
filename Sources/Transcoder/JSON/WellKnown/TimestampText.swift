/// The ProtoJSON text of `google.protobuf.Timestamp`: RFC 3339 §5.6 `date-time`, from
/// `0001-01-01T00:00:00Z` to `9999-12-31T23:59:59.999999999Z` (`google/protobuf/timestamp.proto`).
///
/// ```
/// date-time    = full-date "T" partial-time time-offset
/// full-date    = 4DIGIT "-" 2DIGIT "-" 2DIGIT
/// partial-time = 2DIGIT ":" 2DIGIT ":" 2DIGIT [ "." 1*9DIGIT ]
/// time-offset  = "Z" / ( "+" / "-" ) 2DIGIT ":" 2DIGIT
/// ```
/// Parsing accepts any offset and up to nine fractional digits; a leap second (`:60`) is
/// rejected, since the type counts seconds without them. Printing uses `Z` and 0, 3, 6 or 9
/// fractional digits.
enum TimestampText {
    static let minimumSeconds: Int64 = -62_135_596_800
    static let maximumSeconds: Int64 = 253_402_300_799

    /// Parses RFC 3339 text; nil when it is not valid or out of range.
    static func parse(_ text: UnsafeRawBufferPointer) -> (seconds: Int64, nanos: Int32)? {
        var cursor = DigitCursor(text: text)
        guard let year = cursor.digits(4), cursor.literal("-"), let month = cursor.digits(2), cursor.literal("-"),
            let day = cursor.digits(2), cursor.literal("T"), let hour = cursor.digits(2), cursor.literal(":"),
            let minute = cursor.digits(2), cursor.literal(":"), let second = cursor.digits(2)
        else { return nil }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var nanos: Int64 = 0
        if cursor.literal(".") {
            guard let fraction = cursor.fraction() else { return nil }
            nanos = fraction
        }
        var offsetSeconds: Int64 = 0
        if cursor.literal("Z") {
        } else if let sign = cursor.sign() {
            guard let offsetHours = cursor.digits(2), cursor.literal(":"), let offsetMinutes = cursor.digits(2),
                offsetHours <= 23, offsetMinutes <= 59
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard cursor.isAtEnd else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        guard seconds >= minimumSeconds, seconds <= maximumSeconds else { return nil }
        return (seconds, Int32(nanos))
    }

    /// Appends the RFC 3339 text (without quotes); false when the value is out of range.
    static func format<S: JSONSink>(seconds: Int64, nanos: Int32, into output: inout S) -> Bool {
        guard seconds >= minimumSeconds, seconds <= maximumSeconds, nanos >= 0, nanos <= 999_999_999 else {
            return false
        }
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        appendDigits(year, width: 4, into: &output)
        output.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, into: &output)
        output.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, into: &output)
        output.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, width: 2, into: &output)
        output.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, width: 2, into: &output)
        output.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, into: &output)
        appendFraction(nanos, into: &output)
        output.append(UInt8(ascii: "Z"))
        return true
    }

    /// ``format(seconds:nanos:into:)-(_,_,S)`` into the printer's buffer: one capacity check and
    /// the digits written two at a time.
    static func format(seconds: Int64, nanos: Int32, into output: inout OutputBuffer) -> Bool {
        guard seconds >= minimumSeconds, seconds <= maximumSeconds, nanos >= 0, nanos <= 999_999_999 else {
            return false
        }
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = UInt64(seconds - days * 86_400)
        let (year, month, day) = civilFromDays(days)
        let text = output.reserveTail(32)
        DecimalText.write(UInt64(year), width: 4, to: text)
        text[4] = UInt8(ascii: "-")
        DecimalText.write(UInt64(month), width: 2, to: text + 5)
        text[7] = UInt8(ascii: "-")
        DecimalText.write(UInt64(day), width: 2, to: text + 8)
        text[10] = UInt8(ascii: "T")
        DecimalText.write(secondOfDay / 3600, width: 2, to: text + 11)
        text[13] = UInt8(ascii: ":")
        DecimalText.write(secondOfDay / 60 % 60, width: 2, to: text + 14)
        text[16] = UInt8(ascii: ":")
        DecimalText.write(secondOfDay % 60, width: 2, to: text + 17)
        var count = 19
        count += writeFraction(nanos, to: text + count)
        text[count] = UInt8(ascii: "Z")
        output.commit(count + 1)
        return true
    }

    /// ``appendFraction(_:into:)`` into reserved room (up to 10 bytes); returns its length.
    @inline(__always)
    static func writeFraction(_ nanos: Int32, to text: UnsafeMutablePointer<UInt8>) -> Int {
        guard nanos != 0 else { return 0 }
        text[0] = UInt8(ascii: ".")
        let value = UInt64(nanos)
        if value % 1_000_000 == 0 {
            DecimalText.write(value / 1_000_000, width: 3, to: text + 1)
            return 4
        } else if value % 1000 == 0 {
            DecimalText.write(value / 1000, width: 6, to: text + 1)
            return 7
        }
        DecimalText.write(value, width: 9, to: text + 1)
        return 10
    }

    /// `.fff`, `.ffffff` or `.fffffffff`: the shortest of the three that is exact; nothing for 0.
    static func appendFraction<S: JSONSink>(_ nanos: Int32, into output: inout S) {
        guard nanos != 0 else { return }
        output.append(UInt8(ascii: "."))
        if nanos % 1_000_000 == 0 {
            appendDigits(Int64(nanos / 1_000_000), width: 3, into: &output)
        } else if nanos % 1000 == 0 {
            appendDigits(Int64(nanos / 1000), width: 6, into: &output)
        } else {
            appendDigits(Int64(nanos), width: 9, into: &output)
        }
    }

    /// Appends the last `width` (1...16) decimal digits of a non-negative `value`, zero-padded,
    /// with one append (the digits are made right to left on the stack).
    static func appendDigits<S: JSONSink>(_ value: Int64, width: Int, into output: inout S) {
        var scratch: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &scratch) { digits in
            var rest = value.magnitude
            var index = width - 1
            while index >= 0 {
                digits[index] = UInt8(truncatingIfNeeded: rest % 10) &+ 48
                rest /= 10
                index -= 1
            }
            output.appendBytes(UnsafeRawBufferPointer(rebasing: digits[0..<width]))
        }
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient
    }

    static func isLeapYear(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years, March-based).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of ``daysFromCivil(year:month:day:)``.
    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

/// Reads fixed-width digit fields and literals off the text of a timestamp or duration.
struct DigitCursor {
    let text: UnsafeRawBufferPointer
    var index = 0

    var isAtEnd: Bool { index == text.count }

    mutating func digits(_ count: Int) -> Int64? {
        guard text.count - index >= count else { return nil }
        var value: Int64 = 0
        for _ in 0..<count {
            let digit = text[index] &- 48
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
            index += 1
        }
        return value
    }

    mutating func literal(_ character: Unicode.Scalar) -> Bool {
        guard index < text.count, text[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func sign() -> Int64? {
        if literal("+") { return 1 }
        if literal("-") { return -1 }
        return nil
    }

    /// 1 to 9 digits after a decimal point, as nanoseconds.
    mutating func fraction() -> Int64? {
        var value: Int64 = 0
        var count = 0
        while index < text.count, text[index] &- 48 < 10 {
            guard count < 9 else { return nil }
            value = value * 10 + Int64(text[index] &- 48)
            count += 1
            index += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<9 { value *= 10 }
        return value
    }
}
