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

// PolicyError describes what is wrong with a policy: which policy, which field (a JSON path such as
// "supervise_at_repeats") and why. For the lifecycle [Policy] it wraps [ErrInvalidPolicy]; the
// screening and repeat policies still in this package set their own sentinel (privacy has its own
// package and error).
type PolicyError struct {
	Policy string
	Field  string
	Reason string
	err    error
}

// Error is `ticket: policy "<name>": <field>: <reason>`.
func (e *PolicyError) Error() string {
	if e.err != nil {
		return fmt.Sprintf("%v %q: %s: %s", e.err, e.Policy, e.Field, e.Reason)
	}
	return fmt.Sprintf("ticket: policy %q: %s: %s", e.Policy, e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidPolicy], or the sentinel of the policy kind that set its own.
func (e *PolicyError) Unwrap() error {
	if e.err != nil {
		return e.err
	}
	return ErrInvalidPolicy
}
