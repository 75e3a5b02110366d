package assess

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps one of them, so callers can test the
// kind with [errors.Is] and read the details with [errors.As] on [*FieldError] or [*MismatchError].
var (
	// ErrInvalidNumber reports a decimal that is not a valid [Fixed].
	ErrInvalidNumber = errors.New("assess: invalid number")
	// ErrInvalidScheme reports a scoring scheme that fails [Scheme.Validate].
	ErrInvalidScheme = errors.New("assess: invalid scheme")
	// ErrInvalidInput reports a case record, review, adjustment or volume that cannot be scored.
	ErrInvalidInput = errors.New("assess: invalid input")
	// ErrInvalidPeriod reports a period that is empty, reversed or of an unknown kind, and a [Query]
	// whose as_of or algorithm cannot be used with it.
	ErrInvalidPeriod = errors.New("assess: invalid period")
	// ErrInvalidPolicy reports a signal policy (fake praise, malicious bad reviews, hot spots) that
	// fails its Validate method.
	ErrInvalidPolicy = errors.New("assess: invalid signal policy")
	// ErrMalformed reports a JSON document the strict loader refuses (see [LoadScheme]).
	ErrMalformed = errors.New("assess: malformed JSON")
	// ErrMismatch reports that [Verify] recomputed a result that differs from the one it was given.
	ErrMismatch = errors.New("assess: result does not verify")
)

// FieldError names the record and field that is wrong and why. It wraps one of the sentinel errors.
type FieldError struct {
	Kind   error  // the sentinel: ErrInvalidScheme, ErrInvalidInput, ErrInvalidPolicy, ErrInvalidPeriod
	Where  string // which record: "cases[12] (id C-7)", "scheme items[2] (id resolution)"
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

// Unwrap returns the sentinel, so that errors.Is(err, ErrInvalidScheme) and the like work.
func (e *FieldError) Unwrap() error { return e.Kind }

func fieldErr(kind error, where, field, value, reason string) *FieldError {
	return &FieldError{Kind: kind, Where: where, Field: field, Value: value, Reason: reason}
}

// MismatchError is returned by [Verify]: it names the first thing that differs between the result it
// was given and the one it recomputed. Path is "input_digest", "scheme_digest", "digest", or a field
// path such as "units[U-03].total" or "ranking.ranked[2].unit".
type MismatchError struct {
	Path string // what differs
	Want string // the recomputed value
	Got  string // the value in the result under verification
}

// Error names the path and both values.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("%s: %s: recomputed %q, result says %q", ErrMismatch, e.Path, e.Want, e.Got)
}

// Unwrap returns [ErrMismatch].
func (e *MismatchError) Unwrap() error { return ErrMismatch }
