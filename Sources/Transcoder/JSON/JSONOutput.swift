/// Low-level writers of JSON text (RFC 8259) into a byte buffer: integers without allocation,
/// strings with the escapes §7 requires, and doubles in their shortest round-trip form.
public enum JSONOutput {
    static func appendInteger<S: JSONSink>(_ value: UInt64, into output: inout S) {
        if value < 10 {
            output.append(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var count = 0
            var value = value
            while value > 0 {
                scratch[19 - count] = UInt8(truncatingIfNeeded: value % 10) &+ 48
                value /= 10
                count += 1
            }
            output.appendBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: scratch[(20 - count)...])))
        }
    }

    static func appendInteger<S: JSONSink>(_ value: Int64, into output: inout S) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        appendInteger(value.magnitude, into: &output)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `bytes` (valid UTF-8) as a quoted JSON string: `"` and `\` escaped, control
    /// characters as `\n`-style or `\u00XX` escapes, everything else verbatim.
    static func appendString<S: JSONSink>(_ bytes: UnsafeRawBufferPointer, into output: inout S) {
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { appendBytes(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]), into: &output) }
            runStart = index + 1
            output.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
            case 0x0A: output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "t"))
            case 0x08: output.append(UInt8(ascii: "b"))
            case 0x0C: output.append(UInt8(ascii: "f"))
            default:
                output.append(UInt8(ascii: "u"))
                output.append(48)
                output.append(48)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 15)])
            }
        }
        if runStart < bytes.count {
            appendBytes(UnsafeRawBufferPointer(rebasing: bytes[runStart..<bytes.count]), into: &output)
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `string` as a quoted JSON string (RFC 8259 §7); the gateway writes its own error
    /// bodies with it too.
    public static func appendString(_ string: String, into output: inout [UInt8]) {
        var string = string
        string.withUTF8 { appendString(UnsafeRawBufferPointer($0), into: &output) }
    }

    /// Appends a finite double in its shortest round-trip form (integral values without `.0`),
    /// or the quoted ProtoJSON names `"NaN"`, `"Infinity"`, `"-Infinity"`.
    static func appendDouble<S: JSONSink>(_ value: Double, into output: inout S) {
        if value.isNaN {
            appendASCII("\"NaN\"", into: &output)
        } else if value.isInfinite {
            appendASCII(value < 0 ? "\"-Infinity\"" : "\"Infinity\"", into: &output)
        } else if value == 0 && value.sign == .minus {
            // "-0" would read back as the integer 0 in many JSON parsers and lose the sign.
            appendASCII("-0.0", into: &output)
        } else if value == value.rounded(.towardZero) && value.magnitude < 1e15 {
            appendInteger(Int64(value), into: &output)
        } else {
            FloatText.appendDouble(value, into: &output)
        }
    }

    /// Appends a float in the shortest form that round-trips as a float.
    static func appendFloat<S: JSONSink>(_ value: Float, into output: inout S) {
        if value.isNaN || value.isInfinite {
            appendDouble(Double(value), into: &output)
        } else if value == 0 && value.sign == .minus {
            appendASCII("-0.0", into: &output)
        } else if value == value.rounded(.towardZero) && value.magnitude < 1e7 {
            appendInteger(Int64(value), into: &output)
        } else {
            FloatText.appendFloat(value, into: &output)
        }
    }

    /// Appends raw bytes with one copy: `Array.append(contentsOf:)` copies a typed buffer with
    /// `memcpy` but walks an `UnsafeRawBufferPointer` byte by byte.
    @inline(__always)
    static func appendBytes<S: JSONSink>(_ bytes: UnsafeRawBufferPointer, into output: inout S) {
        output.appendBytes(bytes)
    }

    static func appendASCII<S: JSONSink>(_ literal: StaticString, into output: inout S) {
        output.appendBytes(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}
