/// Decimal → double conversion by the method of M. Eisel and D. Lemire (D. Lemire, "Number
/// Parsing at a Gigabyte per Second", Software: Practice and Experience 51(8), 2021).
///
/// For `w × 10^q` with `w` below 2^64: `10^q = 5^q × 2^q`, so the 64 most significant bits of
/// `w × 5^q` (from a 128-bit table approximation of 5^q, ``powersOfFive``) give the double's
/// 53-bit significand and the power of two its exponent. The approximation is off by less than
/// one unit in the 128th bit; whenever that error could change the rounded result — the bits
/// below the significand are all ones, or the value may sit exactly halfway — the method gives up
/// and returns nil, and the caller falls back to `strtod`. Subnormal and overflowing results, and
/// exponents outside the table, return nil as well.
enum EiselLemire {
    /// The double nearest to `significand × 10^power` (ties to even), negated when `negative`;
    /// nil when this method cannot decide it.
    static func double(significand: UInt64, power: Int, negative: Bool) -> Double? {
        if significand == 0 { return negative ? -0.0 : 0 }
        guard power >= smallestPower && power <= largestPower else { return nil }
        let entry = (power - smallestPower) * 2
        let (tableHigh, tableLow) = powersOfFive.withUnsafeBufferPointer { ($0[entry], $0[entry + 1]) }
        let leadingZeros = significand.leadingZeroBitCount
        let normalized = significand << UInt64(leadingZeros)

        // The top 64 bits of normalized × 5^q; the low word only matters when the bits below
        // the 55 kept ones are all ones (a carry from the truncated part could reach them).
        var (high, low) = normalized.multipliedFullWidth(by: tableHigh)
        if high & 0x1FF == 0x1FF {
            let (secondHigh, secondLow) = normalized.multipliedFullWidth(by: tableLow)
            let (sum, carry) = low.addingReportingOverflow(secondHigh)
            low = sum
            if carry { high &+= 1 }
            if high & 0x1FF == 0x1FF && low == .max && secondLow &+ normalized < secondLow { return nil }
        }

        let upperBit = Int(high >> 63)
        var mantissa = high >> UInt64(upperBit + 9)
        // floor(log2(10^q)) + 63 is ((217706 × q) >> 16) + 63 for |q| ≤ 1650; 1023 is the bias.
        var exponent = ((217_706 * power) >> 16) + 63 + upperBit - leadingZeros + 1023
        guard exponent > 0 else { return nil }  // subnormal
        // Possibly exactly halfway between two doubles: let strtod decide.
        if low <= 1 && high & 0x1FF == 0 && mantissa & 3 == 1 { return nil }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= 1 << 53 {
            mantissa = 1 << 52
            exponent += 1
        }
        mantissa &= ~(1 << 52)
        guard exponent < 0x7FF else { return nil }  // overflow
        return Double(bitPattern: UInt64(exponent) << 52 | mantissa | (negative ? 1 << 63 : 0))
    }
}
