package repeat

import (
	"errors"
	"fmt"

	"github.com/hotline12345/hotline/internal/enum"
)

// ErrInvalidPolicy is wrapped by every error [Policy.Validate] and [ParsePolicy] return.
var ErrInvalidPolicy = errors.New("repeat: invalid policy")

// ErrMalformed is wrapped, with [ErrInvalidPolicy], when a policy document is refused by the strict
// loader: not JSON, trailing data, duplicate, case-variant or unknown keys, too large.
var ErrMalformed = errors.New("repeat: malformed JSON")

// ErrInvalidRecord is wrapped by the errors [Index.Add] returns for a record it cannot take: no ID,
// an ID already indexed, or a RepeatOf naming neither an indexed ticket nor the original of a chain
// still indexed.
var ErrInvalidRecord = errors.New("repeat: invalid record")

// ErrWeakKey is returned by [NewSM3MAC] for a key shorter than 16 bytes.
var ErrWeakKey = errors.New("repeat: keyed-hash key shorter than 16 bytes")

// ErrNoCaller is returned by [CallerKeyOf] for an identifier with nothing to hash.
var ErrNoCaller = errors.New("repeat: empty caller identifier")

// ErrShortDigest is returned by [CallerKeyOf] when the [MAC] gives fewer than [MinDigestBytes]
// bytes (an empty digest would give every caller the same key), or when there is no MAC.
var ErrShortDigest = errors.New("repeat: keyed digest too short")

// ErrNotBuilt is returned by [Index.Add] on an Index that [NewIndex] did not build (the zero value,
// or a nil pointer).
var ErrNotBuilt = errors.New("repeat: index not built by repeat.NewIndex")

// ErrUnknownPreset is returned by [Preset] for a name no shipped policy has.
var ErrUnknownPreset = errors.New("repeat: unknown preset")

// ErrInvalidEnum is wrapped by every *[EnumError] of this package.
var ErrInvalidEnum = errors.New("repeat: invalid enum value")

// EnumError reports a value that is not a member of its enumeration (see [ParseScope]).
type EnumError = enum.Error

// PolicyError describes what is wrong with a repeat policy: which policy, which field and why.
type PolicyError struct {
	Policy string
	Field  string
	Reason string
}

// Error names the policy, the field and what is wrong with it.
func (e *PolicyError) Error() string {
	return fmt.Sprintf("repeat: policy %q: %s: %s", e.Policy, e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidPolicy].
func (e *PolicyError) Unwrap() error { return ErrInvalidPolicy }
