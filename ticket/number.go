package ticket

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// Ticket numbers (工单编号) have the form
//
//	PREFIX-YYYYMMDD-SEQUENCE-C
//
// for example "SH12345-20261123-000123-4":
//
//   - PREFIX names the platform or region that issued the number: 1 to 16 characters, upper-case ASCII
//     letters and digits, starting with a letter (e.g. "SH12345", "BSYYL", "HB12345").
//   - YYYYMMDD is the date of receipt (Asia/Shanghai), a real calendar date from 1990 to 2199.
//   - SEQUENCE is the number of the ticket within that prefix and date: 6 to 9 digits, at least 1,
//     zero-padded to 6 digits.
//   - C is a check character over PREFIX, date and sequence, computed with ISO/IEC 7064 MOD 37,36
//     (one of 0–9, A–Z): it catches every single wrong character and every swap of two adjacent ones,
//     which are the usual mistakes when a number is read over the telephone.
//
// Parsing accepts lower-case letters and surrounding space and returns the canonical form from
// [Number.String]. Generating the sequence belongs to whoever stores the tickets (the reference server);
// this package only formats and validates.
const (
	maxPrefixLen = 16
	minSeqDigits = 6
	maxSeqDigits = 9
	minYear      = 1990
	maxYear      = 2199
)

// Number is a parsed ticket number. The zero Number is "no number".
type Number struct {
	// Prefix names the issuing platform or region.
	Prefix string
	// Year, Month and Day are the date of receipt.
	Year  int
	Month time.Month
	Day   int
	// Seq is the sequence number within the prefix and date.
	Seq int
}

// ErrInvalidNumber is wrapped by every error [ParseNumber] and [Number.Validate] return.
var ErrInvalidNumber = errors.New("ticket: invalid ticket number")

// NumberError describes what is wrong with a ticket number.
type NumberError struct {
	Input  string // the text given (or the number's canonical form), at most 64 bytes of it
	Field  string // "prefix", "date", "sequence", "check" or "format"
	Reason string
}

// Error quotes the input and names the part of the number that is wrong and why.
func (e *NumberError) Error() string {
	return fmt.Sprintf("ticket: invalid ticket number %q: %s: %s", e.Input, e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidNumber].
func (e *NumberError) Unwrap() error { return ErrInvalidNumber }

// NewNumber returns the number with the given prefix, receipt date (read in Asia/Shanghai) and
// sequence, or an error saying which part is invalid.
func NewNumber(prefix string, received time.Time, seq int) (Number, error) {
	y, m, d := received.In(deadline.Location()).Date()
	n := Number{Prefix: prefix, Year: y, Month: m, Day: d, Seq: seq}
	return n, n.Validate()
}

// IsZero reports whether n is the zero Number.
func (n Number) IsZero() bool { return n == Number{} }

// Date returns midnight (Asia/Shanghai) of the number's date.
func (n Number) Date() time.Time {
	return time.Date(n.Year, n.Month, n.Day, 0, 0, 0, 0, deadline.Location())
}

// String returns the canonical form, e.g. "SH12345-20261123-000123-4". It does not validate n; an
// invalid number prints as it is, with "?" for the check character.
func (n Number) String() string {
	if n.IsZero() {
		return ""
	}
	body := n.body()
	c, ok := checkChar(strings.ReplaceAll(body, "-", ""))
	if !ok || n.Validate() != nil {
		return body + "-?"
	}
	return body + "-" + string(c)
}

func (n Number) body() string {
	return fmt.Sprintf("%s-%04d%02d%02d-%06d", n.Prefix, n.Year, int(n.Month), n.Day, n.Seq)
}

// Validate reports what is wrong with n, or nil.
func (n Number) Validate() error {
	bad := func(field, format string, a ...any) error {
		return &NumberError{Input: clipText(n.body()), Field: field, Reason: fmt.Sprintf(format, a...)}
	}
	if err := validPrefix(n.Prefix); err != "" {
		return bad("prefix", "%s", err)
	}
	if n.Year < minYear || n.Year > maxYear {
		return bad("date", "year %d outside %d–%d", n.Year, minYear, maxYear)
	}
	if n.Month < 1 || n.Month > 12 {
		return bad("date", "month %d", int(n.Month))
	}
	if d := time.Date(n.Year, n.Month, n.Day, 0, 0, 0, 0, time.UTC); n.Day < 1 || d.Day() != n.Day {
		return bad("date", "%04d-%02d has no day %d", n.Year, int(n.Month), n.Day)
	}
	if n.Seq < 1 || n.Seq > 999_999_999 {
		return bad("sequence", "%d outside 1–999999999", n.Seq)
	}
	return nil
}

func validPrefix(p string) string {
	switch {
	case p == "":
		return "empty"
	case len(p) > maxPrefixLen:
		return fmt.Sprintf("%d characters, more than %d", len(p), maxPrefixLen)
	case p[0] < 'A' || p[0] > 'Z':
		return fmt.Sprintf("must start with an upper-case letter, not %q", p[:1])
	}
	for i := 0; i < len(p); i++ {
		if !isUpperAlnum(p[i]) {
			return fmt.Sprintf("character %d (%q) is not an upper-case letter or digit", i+1, p[i])
		}
	}
	return ""
}

func isUpperAlnum(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' }

// ParseNumber parses a ticket number in the form described at [Number]. Errors wrap
// [ErrInvalidNumber] and are [*NumberError] values naming the part that is wrong.
func ParseNumber(s string) (Number, error) {
	in := s
	bad := func(field, format string, a ...any) (Number, error) {
		return Number{}, &NumberError{Input: clipText(in), Field: field, Reason: fmt.Sprintf(format, a...)}
	}
	if len(s) > 64 {
		return bad("format", "%d bytes, too long for a ticket number", len(s))
	}
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return bad("format", "non-ASCII character at byte %d", i)
		}
	}
	s = strings.ToUpper(s)
	parts := strings.Split(s, "-")
	if len(parts) != 4 {
		return bad("format", "want PREFIX-YYYYMMDD-SEQUENCE-C, found %d part(s)", len(parts))
	}
	prefix, date, seq, check := parts[0], parts[1], parts[2], parts[3]
	if err := validPrefix(prefix); err != "" {
		return bad("prefix", "%s", err)
	}
	if len(date) != 8 || !numDigitsOnly(date) {
		return bad("date", "%q is not YYYYMMDD", date)
	}
	if len(seq) < minSeqDigits || len(seq) > maxSeqDigits || !numDigitsOnly(seq) {
		return bad("sequence", "%q is not %d to %d digits", seq, minSeqDigits, maxSeqDigits)
	}
	if len(check) != 1 || !isUpperAlnum(check[0]) {
		return bad("check", "%q is not one letter or digit", check)
	}
	y, _ := strconv.Atoi(date[:4])
	m, _ := strconv.Atoi(date[4:6])
	d, _ := strconv.Atoi(date[6:])
	q, _ := strconv.Atoi(seq)
	n := Number{Prefix: prefix, Year: y, Month: time.Month(m), Day: d, Seq: q}
	if err := n.Validate(); err != nil {
		var ne *NumberError
		if errors.As(err, &ne) {
			ne.Input = in
		}
		return Number{}, err
	}
	if len(seq) > minSeqDigits && seq[0] == '0' {
		return bad("sequence", "%q has a leading zero beyond %d digits", seq, minSeqDigits)
	}
	want, _ := checkChar(prefix + date + seq)
	if check[0] != want {
		return bad("check", "check character is %q, want %q: a character is wrong or two are swapped", check, string(want))
	}
	return n, nil
}

// MarshalText implements [encoding.TextMarshaler]: the canonical form.
func (n Number) MarshalText() ([]byte, error) {
	if n.IsZero() {
		return []byte{}, nil
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	return []byte(n.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseNumber]; empty text is the zero
// Number.
func (n *Number) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*n = Number{}
		return nil
	}
	v, err := ParseNumber(string(b))
	if err != nil {
		return err
	}
	*n = v
	return nil
}

func numDigitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

const checkAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// checkChar computes the ISO/IEC 7064 MOD 37,36 hybrid check character of s, which must consist of
// 0–9 and A–Z only.
func checkChar(s string) (byte, bool) {
	const m = 36
	p := m
	for i := 0; i < len(s); i++ {
		a := strings.IndexByte(checkAlphabet, s[i])
		if a < 0 {
			return 0, false
		}
		t := (p + a) % m
		if t == 0 {
			t = m
		}
		p = (t * 2) % (m + 1)
	}
	return checkAlphabet[(m+1-p)%m], true
}
