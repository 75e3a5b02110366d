package ticket

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidMobile is wrapped by every error [ParseMobile] and [ValidateMobile] return.
var ErrInvalidMobile = errors.New("ticket: invalid mobile number")

// ParseMobile returns the 11-digit mainland mobile number in s. It accepts a "+86", "0086" or "86"
// country prefix and spaces or hyphens between digit groups ("+86 138-1234-5678"); the number itself
// must match 1[3-9]\d{9}.
func ParseMobile(s string) (string, error) {
	bad := func(format string, args ...any) error {
		return &IdentifierError{"mobile number", fmt.Sprintf(format, args...), ErrInvalidMobile}
	}
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(t, "+")
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ' || c == '-':
			if i == 0 || i == len(t)-1 || t[i-1] == ' ' || t[i-1] == '-' {
				return "", bad("misplaced separator at byte %d", i+1)
			}
		default:
			return "", bad("byte %d is not a digit, space or hyphen", i+1)
		}
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
