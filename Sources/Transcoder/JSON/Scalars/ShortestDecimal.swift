/// The shortest decimal that reads back as a given double or float, by R. Giulietti's Schubfach
/// method ("The Schubfach way to render doubles", 2020): no loops over digits, no big integers,
/// no allocation — one 128-bit table entry (``powersOfTen``) and three multiplications.
///
/// For a finite positive `v = c × 2^q`, the rounding interval `R` holds every real that reads
/// back as `v` (bounds included when `c` is even, as IEEE 754 round-half-even does). Schubfach
/// picks `k` so that `10^k` spacing puts at most a few multiples of `10^k` into `R`, computes
/// `4v × 10^-k` and the interval's ends to within a sticky bit (`roundOdd`), and then chooses:
/// a multiple of `10^(k+1)` inside `R` if exactly one is (the shorter result), else whichever
/// of `s = ⌊v × 10^-k⌋` and `s + 1` is inside `R`, else the one nearer `v` (ties to even).
/// The result is the shortest decimal in `R` and, among those, the nearest to `v` — the same
/// digits Swift's `description` prints (ProtoJSON asks for a round-trip form; the codec's output
/// stays byte-identical to what it printed through `description`).
enum ShortestDecimal {
    /// `significand × 10^exponent`, the significand without trailing zeros (0 for zero).
    struct Decimal: Equatable {
        var significand: UInt64
        var exponent: Int
    }

    /// The shortest nearest decimal of the magnitude of a finite double.
    static func decimal(_ value: Double) -> Decimal {
        let bits = value.bitPattern
        let fraction = bits & (1 << 52 - 1)
        let biased = Int((bits >> 52) & 0x7FF)
        precondition(biased != 0x7FF, "NaN and infinity have no decimal")
        if biased == 0 {
            if fraction == 0 { return Decimal(significand: 0, exponent: 0) }
            return trimmed(double(q: -1074, c: fraction, irregular: false))
        }
        let c = fraction | 1 << 52
        let q = biased - 1075
        // Integers below 2^53 are their own shortest decimal.
        if q <= 0 && q > -53 {
            let integer = c >> UInt64(-q)
            if integer << UInt64(-q) == c { return trimmed(Decimal(significand: integer, exponent: 0)) }
        }
        return trimmed(double(q: q, c: c, irregular: fraction == 0 && biased > 1))
    }

    /// The shortest nearest decimal of the magnitude of a finite float (shortest as a float).
    static func decimal(_ value: Float) -> Decimal {
        let bits = value.bitPattern
        let fraction = UInt64(bits & (1 << 23 - 1))
        let biased = Int((bits >> 23) & 0xFF)
        precondition(biased != 0xFF, "NaN and infinity have no decimal")
        if biased == 0 {
            if fraction == 0 { return Decimal(significand: 0, exponent: 0) }
            return trimmed(float(q: -149, c: fraction, irregular: false))
        }
        let c = fraction | 1 << 23
        let q = biased - 150
        if q <= 0 && q > -24 {
            let integer = c >> UInt64(-q)
            if integer << UInt64(-q) == c { return trimmed(Decimal(significand: integer, exponent: 0)) }
        }
        return trimmed(float(q: q, c: c, irregular: fraction == 0 && biased > 1))
    }

    /// Schubfach for `c × 2^q`, `c < 2^53`; `irregular` when `c` is a power of two above the
    /// smallest normal, so the interval below is half as wide as above.
    private static func double(q: Int, c: UInt64, irregular: Bool) -> Decimal {
        let out: UInt64 = c & 1
        let cb = c << 2
        let cbr = cb + 2
        let cbl = irregular ? cb - 1 : cb - 2
        let k = irregular ? floorLog10ThreeQuartersPow2(q) : floorLog10Pow2(q)
        let h = q + floorLog2Pow10(-k) + 2
        let entry = (-k - smallestPower) * 2
        let (g1, g0) = powersOfTen.withUnsafeBufferPointer { ($0[entry], $0[entry + 1]) }
        let vb = roundOdd(g1, g0, cb << UInt64(h))
        let vbl = roundOdd(g1, g0, cbl << UInt64(h))
        let vbr = roundOdd(g1, g0, cbr << UInt64(h))
        return choose(vb: vb, vbl: vbl, vbr: vbr, out: out, k: k)
    }

    /// Schubfach for `c × 2^q`, `c < 2^24`, with the upper 63 bits of the table entry.
    private static func float(q: Int, c: UInt64, irregular: Bool) -> Decimal {
        let out: UInt64 = c & 1
        let cb = c << 2
        let cbr = cb + 2
        let cbl = irregular ? cb - 1 : cb - 2
        let k = irregular ? floorLog10ThreeQuartersPow2(q) : floorLog10Pow2(q)
        let h = q + floorLog2Pow10(-k) + 33
        let g = powersOfTen.withUnsafeBufferPointer { $0[(-k - smallestPower) * 2] } + 1
        let vb = roundOdd(g, cb << UInt64(h))
        let vbl = roundOdd(g, cbl << UInt64(h))
        let vbr = roundOdd(g, cbr << UInt64(h))
        return choose(vb: vb, vbl: vbl, vbr: vbr, out: out, k: k)
    }

    /// The decision on `vb ≈ 4v × 10^-k` and the interval ends `vbl`, `vbr` (all with a sticky
    /// lowest bit); `out` is 1 when the interval's ends are excluded.
    @inline(__always)
    private static func choose(vb: UInt64, vbl: UInt64, vbr: UInt64, out: UInt64, k: Int) -> Decimal {
        let s = vb >> 2
        // (Java's port asks for s ≥ 100 to keep two digits; the shortest form may have one.)
        if s >= 10 {
            let sp10 = s / 10 * 10
            let tp10 = sp10 + 10
            let upin = vbl + out <= sp10 << 2
            let wpin = (tp10 << 2) + out <= vbr
            if upin != wpin { return Decimal(significand: upin ? sp10 : tp10, exponent: k) }
        }
        let t = s + 1
        let uin = vbl + out <= s << 2
        let win = (t << 2) + out <= vbr
        if uin != win { return Decimal(significand: uin ? s : t, exponent: k) }
        let twice = (s + t) << 1
        let pickS = vb < twice || (vb == twice && s & 1 == 0)
        return Decimal(significand: pickS ? s : t, exponent: k)
    }

    /// ⌊cp × g / 2^127⌋ for the 126-bit `g = g1 × 2^63 + g0`, its lowest bit set when the
    /// division is inexact (round to odd keeps the comparisons exact).
    @inline(__always)
    private static func roundOdd(_ g1: UInt64, _ g0: UInt64, _ cp: UInt64) -> UInt64 {
        let x1 = g0.multipliedFullWidth(by: cp).high
        let (y1, y0) = g1.multipliedFullWidth(by: cp)
        let z = (y0 >> 1) + x1
        let vbp = y1 + (z >> 63)
        return vbp | ((z & (1 << 63 - 1)) + (1 << 63 - 1)) >> 63
    }

    /// ⌊cp × g / 2^95⌋ for the 63-bit `g`, its lowest bit set when inexact.
    @inline(__always)
    private static func roundOdd(_ g: UInt64, _ cp: UInt64) -> UInt64 {
        let x1 = g.multipliedFullWidth(by: cp).high
        let vbp = x1 >> 31
        return vbp | ((x1 & (1 << 31 - 1)) + (1 << 31 - 1)) >> 31
    }

    /// ⌊log10(2^q)⌋, exact for |q| ≤ 1100 (checked by the table's script).
    @inline(__always)
    static func floorLog10Pow2(_ q: Int) -> Int { (q &* 661_971_961_083) >> 41 }

    /// ⌊log10(¾ × 2^q)⌋, exact for |q| ≤ 1100.
    @inline(__always)
    static func floorLog10ThreeQuartersPow2(_ q: Int) -> Int { (q &* 661_971_961_083 &- 274_743_187_321) >> 41 }

    /// ⌊log2(10^e)⌋, exact for |e| ≤ 330.
    @inline(__always)
    static func floorLog2Pow10(_ e: Int) -> Int { (e &* 913_124_641_741) >> 38 }

    /// Drops trailing zero digits into the exponent.
    @inline(__always)
    private static func trimmed(_ decimal: Decimal) -> Decimal {
        var decimal = decimal
        guard decimal.significand != 0 else { return decimal }
        while decimal.significand % 10 == 0 {
            decimal.significand /= 10
            decimal.exponent += 1
        }
        return decimal
    }
}
