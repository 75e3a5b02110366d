package screen

import (
	"errors"
	"fmt"

	"github.com/hotline12345/hotline/internal/enum"
)

// ErrInvalidPolicy is wrapped by every error [Policy.Validate] and [ParsePolicy] return.
var ErrInvalidPolicy = errors.New("screen: invalid policy")

// ErrMalformed is wrapped, with [ErrInvalidPolicy], when a policy document is refused by the strict
// loader: not JSON, trailing data, duplicate, case-variant or unknown keys, too large.
var ErrMalformed = errors.New("screen: malformed JSON")

// ErrNoDeadline is returned by [Result.Due] for an outcome that starts no deadline.
var ErrNoDeadline = errors.New("screen: outcome starts no deadline")

// ErrNotBuilt is returned by [Screener.Screen] on a Screener that [New] did not build (the zero
// value, or a nil pointer).
var ErrNotBuilt = errors.New("screen: Screener not built by screen.New")

// ErrNoCalendar is returned by [Result.Due] when given a nil calendar.
var ErrNoCalendar = errors.New("screen: no calendar to count the deadline on")

// ErrUnknownPreset is returned by [Preset] for a name no shipped policy has.
var ErrUnknownPreset = errors.New("screen: unknown preset")

// ErrInvalidEnum is wrapped by every *[EnumError] of this package.
var ErrInvalidEnum = errors.New("screen: invalid enum value")

// EnumError reports a value that is not a member of its enumeration (see [ParseOutcome]).
type EnumError = enum.Error

// PolicyError describes what is wrong with a screening policy: Field is a path such as
// "categories[3].words[7]".
type PolicyError struct {
	Policy string
	Field  string
	Reason string
}

// Error names the policy, the field and what is wrong with it.
func (e *PolicyError) Error() string {
	return fmt.Sprintf("screen: policy %q: %s: %s", e.Policy, e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidPolicy].
func (e *PolicyError) Unwrap() error { return ErrInvalidPolicy }
