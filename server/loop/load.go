package loop

import (
	"fmt"
	"io"

	"github.com/hotline12345/hotline/internal/strictjson"
)

// MaxPolicyBytes is the largest policy document [ParsePolicy] and [ReadPolicy] accept.
const MaxPolicyBytes = 16 << 10

// ParsePolicy decodes a policy from JSON through the module's strict loader (at most
// MaxPolicyBytes; no unknown, duplicate or case-variant keys; no trailing data; unknown ratings,
// callback levels and kinds refused by name) and validates it. Every error wraps
// [ErrInvalidPolicy].
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	if err := strictjson.Decode(data, &p, MaxPolicyBytes); err != nil {
		return Policy{}, fmt.Errorf("%w: %w", ErrInvalidPolicy, err)
	}
	return checked(p)
}

// ReadPolicy is [ParsePolicy] over a reader, which it reads no further than MaxPolicyBytes + 1.
func ReadPolicy(r io.Reader) (Policy, error) {
	var p Policy
	if err := strictjson.Read(r, &p, MaxPolicyBytes); err != nil {
		return Policy{}, fmt.Errorf("%w: %w", ErrInvalidPolicy, err)
	}
	return checked(p)
}

// checked validates a decoded policy; an empty list of complaint kinds is no list, as when the key
// is absent, so that equal documents load equal policies.
func checked(p Policy) (Policy, error) {
	if len(p.ComplaintKinds) == 0 {
		p.ComplaintKinds = nil
	}
	if err := p.Validate(); err != nil {
		return Policy{}, err
	}
	return p, nil
}
