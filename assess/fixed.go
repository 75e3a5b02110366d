package assess

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// Fixed is a decimal number with six fractional digits, stored as an integer count of millionths:
// Fixed(1_500_000) is 1.5. Every rate, weight, point and score in this package is a Fixed, so that
// results are exact and bit-for-bit reproducible on every platform (001 (十): statistics are generated
// automatically and cannot be altered; anyone can recompute them). A rate of 1 (100%) is [One].
//
// Fixed marshals to JSON as a plain decimal number (12.5, 0.953, 100) and unmarshals from one without
// going through float64; more than six fractional digits are refused rather than rounded.
type Fixed int64

// One is the Fixed value 1, the rate of 100%.
const One Fixed = 1_000_000

// fixedDigits is the number of fractional digits a Fixed carries.
const fixedDigits = 6

// Int returns n as a Fixed, saturating at the range of a Fixed (about ±9.2 × 10¹²) rather than
// wrapping around: a huge count scores as the largest value, never as a negative one.
func Int(n int64) Fixed {
	switch {
	case n > math.MaxInt64/int64(One):
		return math.MaxInt64
	case n < math.MinInt64/int64(One):
		return math.MinInt64
	}
	return Fixed(n) * One
}

// RatioOf returns num/den rounded half away from zero to six decimals. It returns 0 when den is 0;
// callers that must tell "no data" from "zero" use [Rate], which keeps the denominator.
func RatioOf(num, den int64) Fixed {
	if den == 0 {
		return 0
	}
	return Fixed(mulDivRound(num, int64(One), den))
}

// mulDivRound returns a×b÷c rounded half away from zero, computed in 128 bits so that the product
// cannot overflow; a quotient beyond the int64 range saturates. c must not be 0.
func mulDivRound(a, b, c int64) int64 {
	neg := (a < 0) != (b < 0) != (c < 0)
	ua, ub, uc := abs64(a), abs64(b), abs64(c)
	hi, lo := bits.Mul64(ua, ub)
	if hi >= uc {
		if neg {
			return math.MinInt64
		}
		return math.MaxInt64
	}
	q, r := bits.Div64(hi, lo, uc)
	if r >= uc-r { // 2r ≥ c without overflow
		q++
	}
	if neg {
		if q > 1<<63 {
			return math.MinInt64
		}
		return int64(-q)
	}
	if q > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(q)
}

func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-v) // math.MinInt64 wraps to 2^63, which is its absolute value
	}
	return uint64(v)
}

// divRound returns a/b rounded half away from zero. b must not be 0.
func divRound(a, b int64) int64 {
	if b < 0 {
		a, b = -a, -b
	}
	q, r := a/b, a%b
	if r < 0 {
		r = -r
	}
	if 2*r >= b {
		if a < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

// Mul returns f×g rounded half away from zero to six decimals.
func (f Fixed) Mul(g Fixed) Fixed { return Fixed(mulDivRound(int64(f), int64(g), int64(One))) }

// Div returns f÷g rounded half away from zero to six decimals; 0 when g is 0.
func (f Fixed) Div(g Fixed) Fixed {
	if g == 0 {
		return 0
	}
	return Fixed(mulDivRound(int64(f), int64(One), int64(g)))
}

// String formats f as a decimal with trailing zeros removed: "12.5", "0.953", "100", "-0.25".
func (f Fixed) String() string {
	neg := f < 0
	u := uint64(f)
	if neg {
		u = uint64(-f) // -math.MinInt64 wraps to itself, which uint64 reads correctly.
	}
	whole, frac := u/uint64(One), u%uint64(One)
	s := strconv.FormatUint(whole, 10)
	if frac != 0 {
		fs := fmt.Sprintf("%06d", frac)
		s += "." + strings.TrimRight(fs, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Percent formats f as a percentage with two decimals, rounded half away from zero: "95.30%".
func (f Fixed) Percent() string {
	bp := divRound(int64(f), 100) // hundredths of a percent
	neg := bp < 0
	if neg {
		bp = -bp
	}
	s := fmt.Sprintf("%d.%02d%%", bp/100, bp%100)
	if neg {
		s = "-" + s
	}
	return s
}

// Round returns f rounded to n decimals, half away from zero (四舍五入: 2.345 → 2.35, −2.345 → −2.35),
// for the figures of a bulletin (004 §14 月通报, 001 (八) 公开排名). n is clamped to [0, 6]: a Fixed has
// six decimals, so n = 6 returns f. A value that would round beyond the range of a Fixed is rounded
// toward zero instead.
func (f Fixed) Round(n int) Fixed {
	n = min(max(n, 0), fixedDigits)
	unit := int64(1)
	for range fixedDigits - n {
		unit *= 10
	}
	q := mulDivRound(int64(f), 1, unit)
	q = min(max(q, math.MinInt64/unit), math.MaxInt64/unit)
	return Fixed(q * unit)
}

// Text formats f with exactly n decimals after rounding it with [Fixed.Round]: Int(95).Text(1) is
// "95.0", RatioOf(2, 3).Text(2) is "0.67". n is clamped to [0, 6].
func (f Fixed) Text(n int) string {
	n = min(max(n, 0), fixedDigits)
	s := f.Round(n).String()
	if n == 0 {
		return s
	}
	whole, frac, _ := strings.Cut(s, ".")
	return whole + "." + frac + strings.Repeat("0", n-len(frac))
}

// ParseFixed parses a decimal number such as "25", "-0.5" or "99.123456". It accepts an optional sign,
// digits, and at most six fractional digits; exponents, spaces, "NaN" and values beyond the range of a
// Fixed are refused with an error wrapping [ErrInvalidNumber].
func ParseFixed(s string) (Fixed, error) {
	orig := s
	bad := func(why string) (Fixed, error) {
		return 0, fmt.Errorf("%w: %q: %s", ErrInvalidNumber, orig, why)
	}
	if s == "" {
		return bad("empty")
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return bad("no digits")
	}
	if hasDot && frac == "" {
		return bad("no digits after the decimal point")
	}
	if len(frac) > fixedDigits {
		return bad("more than 6 fractional digits")
	}
	for _, part := range []string{whole, frac} {
		for i := range len(part) {
			if part[i] < '0' || part[i] > '9' {
				return bad("not a decimal digit")
			}
		}
	}
	var w uint64
	for i := range len(whole) {
		d := uint64(whole[i] - '0')
		if w > (math.MaxInt64/uint64(One)-d)/10 {
			return bad("out of range")
		}
		w = w*10 + d
	}
	var fr uint64
	for i := range fixedDigits {
		fr *= 10
		if i < len(frac) {
			fr += uint64(frac[i] - '0')
		}
	}
	u := w*uint64(One) + fr
	limit := uint64(math.MaxInt64)
	if neg {
		limit++ // -9223372036854.775808 is representable
	}
	if u > limit {
		return bad("out of range")
	}
	v := int64(u) // for u == 2^63 this is math.MinInt64, which negation leaves as is
	if neg {
		v = -v
	}
	return Fixed(v), nil
}

// MarshalJSON encodes f as a JSON number with up to six decimals.
func (f Fixed) MarshalJSON() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalJSON decodes a JSON number (or a string holding one) with [ParseFixed].
func (f *Fixed) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	v, err := ParseFixed(s)
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// addSat returns a+b, saturating at the int64 range instead of wrapping.
func addSat(a, b Fixed) Fixed {
	c := a + b
	if (c > a) != (b > 0) {
		if b > 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return c
}
