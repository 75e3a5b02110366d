package ticket

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// loadJSON decodes one JSON object into a T, rejecting unknown fields and trailing data (errors wrap
// sentinel and name what was being read), and returns it once its Validate method accepts it; on any
// error it returns the zero T. Every Parse… function of the package's plain-data policies uses it.
func loadJSON[T interface{ Validate() error }](data []byte, sentinel error, what string) (T, error) {
	var zero, v T
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return zero, fmt.Errorf("%w: JSON: %w", sentinel, err)
	}
	if dec.More() {
		return zero, fmt.Errorf("%w: JSON: trailing data after the %s object", sentinel, what)
	}
	if err := v.Validate(); err != nil {
		return zero, err
	}
	return v, nil
}

// PolicyError describes what is wrong with a [RepeatPolicy]: which policy, which field and why. It
// wraps [ErrInvalidRepeatPolicy]. (The mask policy moved to package ticket/privacy, which has its
// own PolicyError.)
type PolicyError struct {
	Policy string
	Field  string
	Reason string
	err    error
}

// Error names the kind of policy, its name, the field and what is wrong with it.
func (e *PolicyError) Error() string {
	return fmt.Sprintf("%v %q: %s: %s", e.err, e.Policy, e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidRepeatPolicy].
func (e *PolicyError) Unwrap() error { return e.err }
