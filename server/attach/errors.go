package attach

import (
	"errors"
	"fmt"
)

var (
	// ErrTooLarge is wrapped by a [*TooLargeError]: the upload exceeds the policy's MaxBytes.
	ErrTooLarge = errors.New("attach: file too large")
	// ErrEmpty: the upload has no bytes.
	ErrEmpty = errors.New("attach: empty file")
	// ErrExecutable is wrapped by a [*TypeError] for content that is a program, whatever its name.
	ErrExecutable = errors.New("attach: executable content refused")
	// ErrType is wrapped by a [*TypeError] for content of a type the policy does not accept.
	ErrType = errors.New("attach: file type not accepted")
	// ErrInfected is wrapped by the error a [Scanner] returns for content it refuses.
	ErrInfected = errors.New("attach: file refused by the virus scanner")
	// ErrMissing is wrapped by a [*MissingError]: an act lacks an attachment the policy requires.
	ErrMissing = errors.New("attach: required attachment missing")
	// ErrNotFound: no blob is stored under the sum.
	ErrNotFound = errors.New("attach: blob not found")
	// ErrInvalidPolicy is wrapped by every error [Policy.Validate] returns.
	ErrInvalidPolicy = errors.New("attach: invalid policy")
	// ErrInvalidEnum is wrapped by the error of an unknown [Purpose], [Subject] or [Trait].
	ErrInvalidEnum = errors.New("attach: invalid enumeration value")
	// ErrInvalidSum: a text is not an SM3 sum in hex.
	ErrInvalidSum = errors.New("attach: invalid content sum")
	// ErrMalformed is wrapped by a [*MetaError] (upload metadata that cannot be used) and, with
	// ErrInvalidPolicy, by the [*PolicyError] of a policy document the strict loader refused.
	ErrMalformed = errors.New("attach: malformed input")
)

// TooLargeError reports an upload over the policy's limit. It names the limit, not the size reached:
// the rest of the body was never read.
type TooLargeError struct {
	Max int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("attach: the file is larger than the limit of %d bytes", e.Max)
}

func (e *TooLargeError) Unwrap() error { return ErrTooLarge }

// TypeError reports content refused for its type: the type sniffed from the content and, for a type
// the policy does not list, the types it does.
type TypeError struct {
	Type    string
	Allowed []string
	err     error
}

func (e *TypeError) Error() string {
	if errors.Is(e.err, ErrExecutable) {
		return fmt.Sprintf("attach: the content is a program (%s), whatever the file is called; programs are never accepted", e.Type)
	}
	return fmt.Sprintf("attach: the content is %s, which is not accepted (accepted: %v)", e.Type, e.Allowed)
}

func (e *TypeError) Unwrap() error { return e.err }

// MissingError names the attachment an act lacks: its purpose (with the Chinese label), the act and
// the article requiring it.
type MissingError struct {
	Purpose Purpose
	Subject Subject
	Action  string
	Source  string
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("attach: %s %s needs an attachment %s (%s) first (%s)", e.Subject, e.Action,
		e.Purpose, e.Purpose.Label(), e.Source)
}

func (e *MissingError) Unwrap() error { return ErrMissing }

// PolicyError is what [Policy.Validate] returns: the policy, the field and why. A document the
// strict loader refused wraps [ErrMalformed] too.
type PolicyError struct {
	Policy, Field, Reason string
	malformed             bool
}

func (e *PolicyError) Error() string {
	return fmt.Sprintf("attach: policy %q: %s: %s", e.Policy, e.Field, e.Reason)
}

func (e *PolicyError) Unwrap() []error {
	if e.malformed {
		return []error{ErrInvalidPolicy, ErrMalformed}
	}
	return []error{ErrInvalidPolicy}
}

// MetaError names the piece of upload metadata that cannot be used.
type MetaError struct {
	Field, Reason string
}

func (e *MetaError) Error() string { return "attach: " + e.Field + ": " + e.Reason }

func (e *MetaError) Unwrap() error { return ErrMalformed }
