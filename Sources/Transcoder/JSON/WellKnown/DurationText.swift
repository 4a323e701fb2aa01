/// The ProtoJSON text of `google.protobuf.Duration` (`google/protobuf/duration.proto`): seconds
/// with up to nine fractional digits and an `s` suffix, such as `"1.5s"` or `"-0.000000001s"`.
///
/// ```
/// duration = [ "-" ] 1*DIGIT [ "." 1*9DIGIT ] "s"
/// ```
/// Seconds are at most 315,576,000,000 in magnitude (10,000 years) and nanos below 10^9, the
/// bounds `duration.proto` gives each field. Seconds and nanos carry the
/// same sign; a value whose fields disagree in sign has no text form and is refused on output.
enum DurationText {
    static let maximumSeconds: Int64 = 315_576_000_000

    static func parse(_ text: UnsafeRawBufferPointer) -> (seconds: Int64, nanos: Int32)? {
        var cursor = DigitCursor(text: text)
        let negative = cursor.literal("-")
        var seconds: Int64 = 0
        var count = 0
        while cursor.index < text.count, text[cursor.index] &- 48 < 10 {
            seconds = seconds * 10 + Int64(text[cursor.index] &- 48)
            count += 1
            cursor.index += 1
            if seconds > maximumSeconds { return nil }
        }
        guard count > 0 else { return nil }
        var nanos: Int64 = 0
        if cursor.literal(".") {
            guard let fraction = cursor.fraction() else { return nil }
            nanos = fraction
        }
        guard cursor.literal("s"), cursor.isAtEnd else { return nil }
        return negative ? (-seconds, Int32(-nanos)) : (seconds, Int32(nanos))
    }

    /// Appends the text (without quotes); false when the value has no valid form.
    static func format<S: JSONSink>(seconds: Int64, nanos: Int32, into output: inout S) -> Bool {
        guard seconds >= -maximumSeconds, seconds <= maximumSeconds, nanos > -1_000_000_000, nanos < 1_000_000_000
        else { return false }
        guard !(seconds > 0 && nanos < 0), !(seconds < 0 && nanos > 0) else { return false }
        if seconds < 0 || nanos < 0 { output.append(UInt8(ascii: "-")) }
        JSONOutput.appendInteger(UInt64(seconds.magnitude), into: &output)
        TimestampText.appendFraction(Int32(nanos.magnitude), into: &output)
        output.append(UInt8(ascii: "s"))
        return true
    }
}
