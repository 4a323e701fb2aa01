/// Number and byte formatting exactly as protoc writes defaults into descriptors.
///
/// protoc prints float and double defaults with `SimpleDtoa`: `%.15g`, or `%.17g` when 15 digits
/// do not read back as the same double. Without C's printf, this file computes the exact decimal
/// expansion of the double (every binary fraction has one) with a small big-integer, then rounds
/// and lays it out as `%g` does. Bytes defaults use `CEscape`.
enum SchemaNumberFormat {
    /// protoc's `SimpleDtoa`.
    static func simpleDtoa(_ value: Double) -> String {
        if value.isNaN { return value.sign == .minus ? "-nan" : "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let short = format(value, precision: 15)
        if Double(short) == value { return short }
        return format(value, precision: 17)
    }

    /// protoc's `SimpleFtoa` for float defaults: `%.6g`, or `%.9g` when 6 digits do not read
    /// back as the same float (or the float is subnormal).
    static func simpleFtoa(_ value: Float) -> String {
        if value.isNaN { return value.sign == .minus ? "-nan" : "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        // protoc reads the 6-digit text back with `safe_strtof`, which fails (ERANGE) for any
        // subnormal result, so subnormal floats always take 9 digits.
        let short = format(Double(value), precision: 6)
        if Float(short) == value && (value == 0 || abs(value) >= Float.leastNormalMagnitude) { return short }
        return format(Double(value), precision: 9)
    }

    /// C's `%.{precision}g`.
    static func format(_ value: Double, precision: Int) -> String {
        let sign = value.sign == .minus ? "-" : ""
        if value == 0 { return sign + "0" }
        var (digits, exponent) = exactDigits(abs(value))
        // Round to `precision` significant digits, ties to even.
        if digits.count > precision {
            let rest = digits[precision...]
            let first = rest.first!
            let exactlyHalf = first == 5 && rest.dropFirst().allSatisfy { $0 == 0 }
            var roundUp = first > 5 || (first == 5 && !exactlyHalf)
            if exactlyHalf { roundUp = digits[precision - 1] % 2 == 1 }
            digits.removeSubrange(precision...)
            if roundUp {
                var index = precision - 1
                while index >= 0 {
                    if digits[index] == 9 {
                        digits[index] = 0
                        index -= 1
                    } else {
                        digits[index] += 1
                        break
                    }
                }
                if index < 0 {
                    digits.insert(1, at: 0)
                    digits.removeLast()
                    exponent += 1
                }
            }
        }
        while digits.count > 1 && digits.last == 0 { digits.removeLast() }
        let text = digits.map { Character(Unicode.Scalar(UInt8(ascii: "0") + $0)) }
        if exponent < -4 || exponent >= precision {
            var result = sign + String(text[0])
            if text.count > 1 { result += "." + String(text[1...]) }
            let magnitude = abs(exponent)
            result += (exponent < 0 ? "e-" : "e+") + (magnitude < 10 ? "0" : "") + String(magnitude)
            return result
        }
        if exponent < 0 {
            return sign + "0." + String(repeating: "0", count: -exponent - 1) + String(text)
        }
        if text.count <= exponent + 1 {
            return sign + String(text) + String(repeating: "0", count: exponent + 1 - text.count)
        }
        return sign + String(text[...exponent]) + "." + String(text[(exponent + 1)...])
    }

    /// The exact decimal digits of a finite positive double (no leading zeros) and the decimal
    /// exponent of the first digit.
    static func exactDigits(_ value: Double) -> (digits: [UInt8], exponent: Int) {
        var significand = value.significandBitPattern
        var binaryExponent = Int(value.exponentBitPattern)
        if binaryExponent == 0 {
            binaryExponent = 1
        } else {
            significand |= 1 << 52
        }
        binaryExponent -= 1075  // value = significand * 2^binaryExponent
        // Base 10^9 limbs, least significant first.
        var limbs: [UInt64] = [
            significand % 1_000_000_000, significand / 1_000_000_000 % 1_000_000_000,
            significand / 1_000_000_000_000_000_000,
        ]
        func multiply(by factor: UInt64) {
            var carry: UInt64 = 0
            for index in limbs.indices {
                let product = limbs[index] * factor + carry
                limbs[index] = product % 1_000_000_000
                carry = product / 1_000_000_000
            }
            while carry > 0 {
                limbs.append(carry % 1_000_000_000)
                carry /= 1_000_000_000
            }
        }
        var fractionDigits = 0
        if binaryExponent >= 0 {
            var remaining = binaryExponent
            while remaining > 0 {
                let step = min(remaining, 30)
                multiply(by: 1 << UInt64(step))
                remaining -= step
            }
        } else {
            // m / 2^k = m * 5^k / 10^k
            var remaining = -binaryExponent
            fractionDigits = remaining
            while remaining > 0 {
                let step = min(remaining, 13)
                var factor: UInt64 = 1
                for _ in 0..<step { factor *= 5 }
                multiply(by: factor)
                remaining -= step
            }
        }
        while limbs.count > 1 && limbs.last == 0 { limbs.removeLast() }
        var digits: [UInt8] = []
        for (position, limb) in limbs.reversed().enumerated() {
            var chunk: [UInt8] = []
            var rest = limb
            for _ in 0..<9 {
                chunk.append(UInt8(rest % 10))
                rest /= 10
            }
            chunk.reverse()
            if position == 0 { chunk = Array(chunk.drop { $0 == 0 }) }
            digits += chunk
        }
        let exponent = digits.count - 1 - fractionDigits
        while digits.count > 1 && digits.last == 0 { digits.removeLast() }
        return (digits, exponent)
    }

    /// absl `CEscape`: C escapes for `\n \r \t " ' \`, three-digit octal for other bytes outside
    /// printable ASCII.
    static func cEscape(_ bytes: [UInt8]) -> String {
        var result = ""
        for byte in bytes {
            switch byte {
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0x22: result += "\\\""
            case 0x27: result += "\\'"
            case 0x5C: result += "\\\\"
            case 0x20..<0x7F: result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "\\" + String(byte >> 6) + String((byte >> 3) & 7) + String(byte & 7)
            }
        }
        return result
    }
}
