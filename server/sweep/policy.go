package sweep

import (
	"errors"
	"fmt"
	"time"
)

// Errors of the package.
var (
	// ErrInvalidPolicy is wrapped by every *[PolicyError].
	ErrInvalidPolicy = errors.New("sweep: invalid policy")
	// ErrNotBuilt: the Sweeper was not built by [New] (the zero Sweeper or a nil *Sweeper).
	ErrNotBuilt = errors.New("sweep: Sweeper not built by New")
	// ErrSchedule: the holiday directory could not be read or holds a bad file; the sweeper keeps the
	// calendar it has.
	ErrSchedule = errors.New("sweep: holiday schedule not loaded")
)

// Bounds of a policy.
const (
	MaxBatch          = 10000
	MinInterval       = 100 * time.Millisecond
	MaxReclockBatches = 10000
)

// Policy is how the sweeper runs. It is plain data; [Default] is the reference server's.
type Policy struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// Interval is the time between two rounds (a round sweeps until nothing is due).
	Interval time.Duration `json:"interval"`
	// Batch is how many tickets one transaction takes (1–MaxBatch).
	Batch int `json:"batch"`
	// Urge applies 催办 as the system to a ticket whose stage clock has run out, once per clock and
	// deadline (002 §6 (二) 1 (6): 对超出办理期限的,由政务热线平台下达催办单).
	Urge bool `json:"urge"`
	// ReclockBatches bounds how many pages of tickets one round recomputes after a schedule change
	// (1–MaxReclockBatches), so that sweeping goes on during a long recomputation.
	ReclockBatches int `json:"reclock_batches"`
}

// Default returns the reference server's policy: a round every 30 seconds, 200 tickets a
// transaction, urging on, 50 pages of recomputation a round.
func Default() Policy {
	return Policy{Name: "default", Version: "2026-11", Interval: 30 * time.Second, Batch: 200, Urge: true, ReclockBatches: 50}
}

// PolicyError names what is wrong with a policy.
type PolicyError struct {
	Policy, Field, Reason string
}

func (e *PolicyError) Error() string {
	return fmt.Sprintf("sweep: policy %q: %s: %s", e.Policy, e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidPolicy].
func (e *PolicyError) Unwrap() error { return ErrInvalidPolicy }

// Validate returns the first thing wrong with p as a *[PolicyError], or nil.
func (p Policy) Validate() error {
	bad := func(field, format string, a ...any) error {
		return &PolicyError{Policy: p.Name, Field: field, Reason: fmt.Sprintf(format, a...)}
	}
	switch {
	case p.Name == "":
		return bad("name", "empty")
	case p.Interval < MinInterval:
		return bad("interval", "%s is shorter than %s", p.Interval, MinInterval)
	case p.Batch < 1 || p.Batch > MaxBatch:
		return bad("batch", "%d outside 1–%d", p.Batch, MaxBatch)
	case p.ReclockBatches < 1 || p.ReclockBatches > MaxReclockBatches:
		return bad("reclock_batches", "%d outside 1–%d", p.ReclockBatches, MaxReclockBatches)
	}
	return nil
}
