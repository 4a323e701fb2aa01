/// Low-level writers of JSON text (RFC 8259) into a byte buffer: integers without allocation,
/// strings with the escapes §7 requires, and doubles in their shortest round-trip form.
public enum JSONOutput {
    static func appendInteger(_ value: UInt64, into output: inout [UInt8]) {
        if value < 10 {
            output.append(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch for 20 digits
        var count = 0
        var value = value
        withUnsafeMutableBytes(of: &digits) { scratch in
            while value > 0 {
                scratch[23 - count] = UInt8(truncatingIfNeeded: value % 10) &+ 48
                value /= 10
                count += 1
            }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[(24 - count)...]))
        }
    }

    static func appendInteger(_ value: Int64, into output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        appendInteger(value.magnitude, into: &output)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `bytes` (valid UTF-8) as a quoted JSON string: `"` and `\` escaped, control
    /// characters as `\n`-style or `\u00XX` escapes, everything else verbatim.
    static func appendString(_ bytes: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index])) }
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
                output.append(contentsOf: [UInt8(ascii: "u"), 48, 48, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)]])
            }
        }
        if runStart < bytes.count {
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<bytes.count]))
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
    static func appendDouble(_ value: Double, into output: inout [UInt8]) {
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
            appendDescription(value.description, into: &output)
        }
    }

    /// Appends a float in the shortest form that round-trips as a float.
    static func appendFloat(_ value: Float, into output: inout [UInt8]) {
        if value.isNaN || value.isInfinite {
            appendDouble(Double(value), into: &output)
        } else if value == 0 && value.sign == .minus {
            appendASCII("-0.0", into: &output)
        } else if value == value.rounded(.towardZero) && value.magnitude < 1e7 {
            appendInteger(Int64(value), into: &output)
        } else {
            appendDescription(value.description, into: &output)
        }
    }

    /// Swift prints `1e-05` and `1e+20`; both are valid JSON numbers as they stand.
    private static func appendDescription(_ text: String, into output: inout [UInt8]) {
        var text = text
        text.withUTF8 { output.append(contentsOf: $0) }
    }

    static func appendASCII(_ literal: StaticString, into output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}
