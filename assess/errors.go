package assess

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/hotline12345/hotline/internal/enum"
)

// Sentinel errors. Every error returned by this package wraps one of them, so callers can test the
// kind with [errors.Is] and read the details with [errors.As] on [*PolicyError], [*FieldError],
// [*EnumError] or [*MismatchError].
var (
	// ErrInvalidNumber reports a decimal that is not a valid [Fixed].
	ErrInvalidNumber = errors.New("assess: invalid number")
	// ErrInvalidInput reports a case record, review, adjustment or volume that cannot be scored.
	ErrInvalidInput = errors.New("assess: invalid input")
	// ErrInvalidPeriod reports a period that is empty, reversed or of an unknown kind, and a [Query]
	// whose as_of cannot be used with it.
	ErrInvalidPeriod = errors.New("assess: invalid period")
	// ErrInvalidPolicy reports a scheme or a signal policy (fake praise, malicious bad reviews, hot
	// spots) that fails its Validate method; the error is a [*PolicyError].
	ErrInvalidPolicy = errors.New("assess: invalid policy")
	// ErrUnknownPreset reports a name [Preset] does not know.
	ErrUnknownPreset = errors.New("assess: unknown preset")
	// ErrMalformed reports a JSON document the strict loader refuses (see [ParseScheme]).
	ErrMalformed = errors.New("assess: malformed JSON")
	// ErrMismatch reports that [Verify] recomputed a result that differs from the one it was given.
	ErrMismatch = errors.New("assess: result does not verify")
)

// FieldError names the input record (or period) and field that is wrong and why. It wraps
// [ErrInvalidInput] or [ErrInvalidPeriod]. Policies report with [*PolicyError] instead.
type FieldError struct {
	Kind   error  // the sentinel: ErrInvalidInput or ErrInvalidPeriod
	Where  string // which record: "cases[12] (id C-7)", "volumes (unit U-3)"
	Field  string // the JSON name of the field: "reply_due"
	Value  string // the offending value, formatted
	Reason string // what rule it breaks
}

// Error describes the field, the value and the rule it breaks.
func (e *FieldError) Error() string {
	msg := e.Kind.Error() + ": "
	if e.Where != "" {
		msg += e.Where + ": "
	}
	msg += e.Field
	if e.Value != "" {
		msg += fmt.Sprintf(" = %q", e.Value)
	}
	return msg + ": " + e.Reason
}

// Unwrap returns the sentinel, so that errors.Is(err, ErrInvalidInput) and the like work.
func (e *FieldError) Unwrap() error { return e.Kind }

// fieldErr builds a FieldError, bounding what it quotes of the caller's data: a value is clipped to
// enum.MaxQuoted bytes and the record's description to 160, so that a huge ID or unit name is never
// echoed whole.
func fieldErr(kind error, where, field, value, reason string) *FieldError {
	return &FieldError{Kind: kind, Where: clipN(where, 160), Field: field, Value: clip(value), Reason: clipN(reason, 300)}
}

func clipN(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// MismatchError is returned by [Verify]: it names the first thing that differs between the result it
// was given and the one it recomputed. Path is a record of the input such as "input[case:C-7]",
// "input_digest", "records", "scheme_digest", "algorithm", "digest", or a field path such as
// "units[U-03].total" or "ranking.ranked[2].unit".
type MismatchError struct {
	Path string // what differs
	// Change is, for a record of the input ("input[case:C-7]"), "changed", "missing" (in the result,
	// no longer in the data) or "added" (in the data, not in the result); "" otherwise.
	Change string
	Want   string // the recomputed value
	Got    string // the value in the result under verification
}

// Error names the path and both values.
func (e *MismatchError) Error() string {
	if e.Change != "" {
		return fmt.Sprintf("%s: %s %s: recomputed %q, result says %q", ErrMismatch, e.Path, e.Change, e.Want, e.Got)
	}
	return fmt.Sprintf("%s: %s: recomputed %q, result says %q", ErrMismatch, e.Path, e.Want, e.Got)
}

// Unwrap returns [ErrMismatch].
func (e *MismatchError) Unwrap() error { return ErrMismatch }

// clip bounds a caller's value quoted in an error, so that a huge input is never echoed whole.
func clip(s string) string { return enum.Clip(s) }
