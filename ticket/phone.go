package ticket

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrInvalidMobile is wrapped by every error [ParseMobile] and [ValidateMobile] return.
var ErrInvalidMobile = errors.New("ticket: invalid mobile number")

// maxSeparatorRun is how many separator characters may stand between two digit groups of a mobile
// number ("138 - 1234 - 5678").
const maxSeparatorRun = 3

// ParseMobile returns the 11-digit mainland mobile number in s as 11 ASCII digits. Digits may be
// in any script of Unicode decimal digits (full-width "１３８", Arabic-Indic, mathematical …); a "+86",
// "0086" or "86" country prefix is accepted; and short runs (at most three characters) of
// separators — any character that is neither a letter nor a digit: spaces, hyphens and dashes, dots,
// slashes, commas, underscores, zero-width and format characters — may stand between digit groups
// ("138.1234.5678", "+86 138-1234-5678"), but not before the first digit or after the last. The
// number itself must match 1[3-9]\d{9}. Errors count characters, never bytes, and never repeat s.
func ParseMobile(s string) (string, error) {
	bad := func(format string, args ...any) error {
		return &IdentifierError{"mobile number", fmt.Sprintf(format, args...), ErrInvalidMobile}
	}
	t := strings.TrimSpace(s)
	if r, size := utf8.DecodeRuneInString(t); r == '+' || r == '＋' {
		t = t[size:]
	}
	var b strings.Builder
	run, pos := 0, 0
	for _, r := range t {
		pos++
		if d, ok := foldDigit(r); ok {
			if b.Len() >= 20 {
				return "", bad("more than 20 digits")
			}
			b.WriteByte(d)
			run = 0
			continue
		}
		if r == utf8.RuneError || unicode.IsLetter(r) || !separator(r) {
			return "", bad("character %d is not a digit or a separator", pos)
		}
		run++
		if b.Len() == 0 || run > maxSeparatorRun {
			return "", bad("misplaced separator at character %d", pos)
		}
	}
	if run > 0 {
		return "", bad("misplaced separator at character %d", pos)
	}
	d := stripCountryCode(b.String())
	if len(d) != 11 {
		return "", bad("need 11 digits after any +86 prefix, have %d", len(d))
	}
	if !isMobile(d) {
		return "", bad("does not start with 13–19")
	}
	return d, nil
}

// separator reports whether r may separate the digit groups of a number: any character that is not
// a letter, a digit or a control character other than tab and line breaks.
func separator(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsControl(r):
		return false
	}
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.Is(unicode.Cf, r)
}

// foldDigit returns the ASCII digit of r, any Unicode decimal digit (unicode.Nd: ASCII, full-width,
// Arabic-Indic, Devanagari, mathematical …), and whether r is one. Decimal digits are encoded in
// contiguous runs from 0 to 9 (a Unicode stability guarantee), so a digit's value is its offset in its
// run.
func foldDigit(r rune) (byte, bool) {
	if r >= '0' && r <= '9' {
		return byte(r), true
	}
	if r < 0x80 || !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	for _, rg := range unicode.Nd.R16 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi {
			return byte('0' + (r-lo)%10), true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r >= lo && r <= hi {
			return byte('0' + (r-lo)%10), true
		}
	}
	return 0, false
}

// foldWidth returns s with every decimal digit folded to ASCII ([foldDigit]) and every full-width
// ASCII character (U+FF01–U+FF5E) to its ASCII twin, e.g. "１１０１…２Ｘ" → "1101…2X".
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if d, ok := foldDigit(r); ok {
			return rune(d)
		}
		if r >= 0xFF01 && r <= 0xFF5E {
			return r - 0xFEE0
		}
		return r
	}, s)
}

// ValidateMobile reports whether s is a mainland mobile number; see [ParseMobile] for what it accepts.
func ValidateMobile(s string) error {
	_, err := ParseMobile(s)
	return err
}

// isMobile reports whether d, 11 ASCII digits, matches 1[3-9]\d{9}.
func isMobile(d string) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' && allDigits(d)
}

// stripCountryCode returns the mobile number in d, ASCII digits, without its 86 or 0086 country
// code; d unchanged when it is not a mobile number with such a prefix.
func stripCountryCode(d string) string {
	switch {
	case len(d) == 13 && strings.HasPrefix(d, "86") && isMobile(d[2:]):
		return d[2:]
	case len(d) == 15 && strings.HasPrefix(d, "0086") && isMobile(d[4:]):
		return d[4:]
	}
	return d
}
