/// An exact decimal number: an `Int128` count of units of `10^-scale`.
///
/// Written by hand rather than taken from Foundation's `Decimal`: the contract needs rounding half away from
/// zero at chosen places, text without locale or exponent, and an overflow that is reported instead of
/// trapping, and none of the listed packages offers a fixed-point type. Money and quantities never touch
/// binary floating point.
package struct Fixed: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The count of units of `10^-scale`.
    package var units: Int128 { Int128(high) << 64 | Int128(low) }
    /// The number of decimal places.
    package var scale: Int { Int(places) }
    // Held as two 64-bit halves and a 32-bit scale: 24 bytes a value, and 24 an optional one, where an `Int128`
    // field, aligned to 16 bytes, made 32. Order lines and findings hold several each (`bench/nights.py`: the
    // night after a year's peak memory, in the README).
    private var low: UInt64
    private var high: Int64
    private var places: Int32

    /// The largest scale kept after arithmetic; products beyond it are rounded half away from zero.
    package static let maxScale = 18

    package static let zero = Fixed(units: 0, scale: 0)
    package static let one = Fixed(units: 1, scale: 0)
    package static let hundred = Fixed(units: 100, scale: 0)

    package init(units: Int128, scale: Int) {
        low = UInt64(truncatingIfNeeded: units)
        high = Int64(truncatingIfNeeded: units >> 64)
        places = Int32(scale)
    }

    package init(_ int: Int) {
        self.init(units: Int128(int), scale: 0)
    }

    private static let powers: [Int128] = {
        var result: [Int128] = [1]
        for _ in 1...38 { result.append(result[result.count - 1] * 10) }
        return result
    }()

    @inline(__always) static func pow10(_ n: Int) -> Int128 { powers[n] }

    package var isZero: Bool { units == 0 }
    package var isNegative: Bool { units < 0 }
    package var magnitude: Fixed { Fixed(units: units < 0 ? -units : units, scale: scale) }
    package static prefix func - (x: Fixed) -> Fixed { Fixed(units: -x.units, scale: x.scale) }

    /// The same value with no trailing zero decimals.
    package var normalized: Fixed {
        if scale == 0 || units == 0 { return Fixed(units: units, scale: 0) }
        if let small = Int64(exactly: units) {
            // The common case in 64 bits: Int128 division is done in software and costs far more.
            var u = small
            var s = scale
            while s > 0 && u % 10 == 0 {
                u /= 10
                s -= 1
            }
            return Fixed(units: Int128(u), scale: s)
        }
        var u = units
        var s = scale
        while s > 0 && u % 10 == 0 {
            u /= 10
            s -= 1
        }
        return Fixed(units: u, scale: s)
    }

    /// Rounds half away from zero to `places` decimals.
    package func rounded(_ places: Int) -> Fixed {
        if places >= scale {
            let up = places - scale
            guard up <= 38, let u = Fixed.scaleUp(units, by: up) else { return self }
            return Fixed(units: u, scale: places)
        }
        if let small = Int64(exactly: units), scale - places <= 18 {
            let divisor = Int64(Fixed.pow10(scale - places))
            var q = small / divisor
            let r = small % divisor
            if (r < 0 ? -r : r) * 2 >= divisor { q += small < 0 ? -1 : 1 }
            return Fixed(units: Int128(q), scale: places)
        }
        let divisor = Fixed.pow10(scale - places)
        var q = units / divisor
        let r = units % divisor
        if (r < 0 ? -r : r) * 2 >= divisor { q += units < 0 ? -1 : 1 }
        return Fixed(units: q, scale: places)
    }

    /// Money as documents show it: half away from zero to 0.01.
    package var r2: Fixed { rounded(2) }

    private static func scaleUp(_ u: Int128, by n: Int) -> Int128? {
        if n == 0 { return u }
        guard n <= 38 else { return u == 0 ? 0 : nil }
        let (r, o) = u.multipliedReportingOverflow(by: pow10(n))
        return o ? nil : r
    }

    /// Both operands at one scale; nil on overflow.
    private static func aligned(_ a: Fixed, _ b: Fixed) -> (Int128, Int128, Int)? {
        if a.scale == b.scale { return (a.units, b.units, a.scale) }
        if a.scale < b.scale {
            guard let au = scaleUp(a.units, by: b.scale - a.scale) else { return nil }
            return (au, b.units, b.scale)
        }
        guard let bu = scaleUp(b.units, by: a.scale - b.scale) else { return nil }
        return (a.units, bu, a.scale)
    }

    package static func + (a: Fixed, b: Fixed) -> Fixed {
        if let (x, y, s) = aligned(a, b) {
            let (r, o) = x.addingReportingOverflow(y)
            if !o { return Fixed(units: r, scale: s) }
        }
        // Only absurd magnitudes get here; lose decimals rather than trap.
        return a.rounded(max(0, a.scale - 6)) + b.rounded(max(0, b.scale - 6))
    }

    package static func - (a: Fixed, b: Fixed) -> Fixed { a + (-b) }

    package static func += (a: inout Fixed, b: Fixed) { a = a + b }
    package static func -= (a: inout Fixed, b: Fixed) { a = a - b }

    package static func * (a: Fixed, b: Fixed) -> Fixed {
        let (r, o) = a.units.multipliedReportingOverflow(by: b.units)
        if !o {
            let product = Fixed(units: r, scale: a.scale + b.scale)
            return product.scale > maxScale ? product.rounded(maxScale) : product
        }
        let na = a.normalized
        let nb = b.normalized
        if na.scale != a.scale || nb.scale != b.scale { return na * nb }
        if a.scale == 0 && b.scale == 0 { return Fixed(units: r, scale: 0) }  // wrapped: beyond any real amount
        return a.rounded(max(0, a.scale - 4)) * b.rounded(max(0, b.scale - 4))
    }

    /// `a / b` rounded half away from zero to `places` decimals; nil when `b` is zero.
    package func divided(by b: Fixed, places: Int) -> Fixed? {
        guard b.units != 0 else { return nil }
        // a/b = (ua / 10^sa) / (ub / 10^sb), counted in units of 10^-places.
        let shift = places + b.scale - scale
        var num = units
        var den = b.units
        if shift >= 0 {
            guard let n = Fixed.scaleUp(num, by: shift) else { return nil }
            num = n
        } else {
            guard let d = Fixed.scaleUp(den, by: -shift) else { return nil }
            den = d
        }
        var q = num / den
        let r = num % den
        if (r < 0 ? -r : r) * 2 >= (den < 0 ? -den : den) { q += (num < 0) == (den < 0) ? 1 : -1 }
        return Fixed(units: q, scale: places)
    }

    package static func < (a: Fixed, b: Fixed) -> Bool {
        if let (x, y, _) = aligned(a, b) { return x < y }
        return a.rounded(min(a.scale, b.scale)).units < b.rounded(min(a.scale, b.scale)).units
    }

    package static func == (a: Fixed, b: Fixed) -> Bool {
        if let (x, y, _) = aligned(a, b) { return x == y }
        return false
    }

    package func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.units)
        hasher.combine(n.scale)
    }

    /// Text with exactly `places` decimals, `.` as the mark, rounded half away from zero.
    package func formatted(places: Int) -> String {
        rounded(places).plainText
    }

    /// The shortest exact text: `2`, `1.5`, `41.2345`; never an exponent.
    package var description: String { normalized.plainText }

    private var plainText: String {
        guard let length = plainLength else { return bigText }
        return String(unsafeUninitializedCapacity: length) { buffer in
            writePlain(into: buffer, length: length)
            return length
        }
    }

    /// The text of `description` (`places` nil) or `formatted(places:)`, appended to `out` as ASCII bytes: the
    /// CSV and database writers' path, with no string per number.
    package func write(places: Int?, to out: inout [UInt8]) {
        let x = places.map { rounded($0) } ?? normalized
        guard let length = x.plainLength else {
            out.append(contentsOf: x.bigText.utf8)
            return
        }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: length))
        out.withUnsafeMutableBufferPointer { all in
            x.writePlain(into: UnsafeMutableBufferPointer(rebasing: all[start..<(start + length)]), length: length)
        }
    }

    /// The length of the plain text when it takes the fast path (the magnitude fits 64 bits), else nil.
    private var plainLength: Int? {
        guard units.magnitude <= UInt128(UInt64.max), scale < 20 else { return nil }
        var count = 0
        var probe = UInt64(units.magnitude)
        repeat {
            count += 1
            probe /= 10
        } while probe > 0
        return max(count, scale + 1) + (scale > 0 ? 1 : 0) + (units < 0 ? 1 : 0)
    }

    /// The hot path of every CSV cell: digits written backwards straight into the buffer.
    private func writePlain(into buffer: UnsafeMutableBufferPointer<UInt8>, length: Int) {
        let negative = units < 0
        var m = UInt64(units.magnitude)
        let digits = length - (scale > 0 ? 1 : 0) - (negative ? 1 : 0)
        var i = length - 1
        var written = 0
        while written < digits {
            if scale > 0 && written == scale {
                buffer[i] = 46
                i -= 1
            }
            buffer[i] = UInt8(truncatingIfNeeded: m % 10) + 48
            m /= 10
            i -= 1
            written += 1
        }
        if negative { buffer[0] = 45 }
    }

    private var bigText: String {
        var digits = String(units.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return units < 0 ? "-" + digits : digits
    }
}
