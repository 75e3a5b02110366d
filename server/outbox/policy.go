package outbox

import (
	"errors"
	"fmt"
	"time"
)

// Errors of the package.
var (
	// ErrInvalidPolicy is wrapped by every *[PolicyError].
	ErrInvalidPolicy = errors.New("outbox: invalid policy")
	// ErrNotBuilt: the Worker was not built by [New].
	ErrNotBuilt = errors.New("outbox: Worker not built by New")
)

// Bounds of a policy.
const (
	MaxBatch       = 1000
	MaxConcurrency = 256
	MinInterval    = 10 * time.Millisecond
)

// Policy is how the outbox worker delivers. It is plain data; [Default] is the reference server's.
type Policy struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	// Interval is how long the worker waits when the outbox is empty before looking again.
	Interval time.Duration `json:"interval"`
	// Batch is how many messages one claim takes (1–MaxBatch); Concurrency how many of them are
	// delivered at once (1–MaxConcurrency).
	Batch       int `json:"batch"`
	Concurrency int `json:"concurrency"`
	// Timeout bounds one delivery; Lease is how long a claimed message is the worker's (longer than
	// Timeout): a worker that dies leaves its messages to be claimed again when the lease runs out.
	Timeout time.Duration `json:"timeout"`
	Lease   time.Duration `json:"lease"`
	// MaxAttempts is how many deliveries are tried before the message becomes a dead letter.
	MaxAttempts int `json:"max_attempts"`
	// Backoff is the wait after the first failure, doubled after each further one up to MaxBackoff
	// ([Policy.Delay]); the worker spreads each wait by up to a half at random so that failed messages
	// do not come back together.
	Backoff    time.Duration `json:"backoff"`
	MaxBackoff time.Duration `json:"max_backoff"`
	// Keep is how long delivered messages are kept before they are deleted; zero keeps them.
	Keep time.Duration `json:"keep"`
}

// Default returns the reference server's policy: look every 2 seconds when idle, 100 messages a
// claim delivered 4 at a time, 15 s a delivery under a 2-minute lease, 12 attempts with back-off from
// 10 s doubling up to 1 hour (about 9 hours in all before a dead letter), delivered messages kept 30
// days.
func Default() Policy {
	return Policy{Name: "default", Version: "2026-11", Interval: 2 * time.Second, Batch: 100, Concurrency: 4,
		Timeout: 15 * time.Second, Lease: 2 * time.Minute, MaxAttempts: 12, Backoff: 10 * time.Second,
		MaxBackoff: time.Hour, Keep: 30 * 24 * time.Hour}
}

// PolicyError names what is wrong with a policy.
type PolicyError struct {
	Policy, Field, Reason string
}

func (e *PolicyError) Error() string {
	return fmt.Sprintf("outbox: policy %q: %s: %s", e.Policy, e.Field, e.Reason)
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
	case p.Concurrency < 1 || p.Concurrency > MaxConcurrency:
		return bad("concurrency", "%d outside 1–%d", p.Concurrency, MaxConcurrency)
	case p.Timeout <= 0:
		return bad("timeout", "%s is not positive", p.Timeout)
	case p.Lease <= p.Timeout:
		return bad("lease", "%s must be longer than the timeout %s, or a slow delivery is claimed twice", p.Lease, p.Timeout)
	case p.MaxAttempts < 1:
		return bad("max_attempts", "%d is less than 1", p.MaxAttempts)
	case p.Backoff <= 0:
		return bad("backoff", "%s is not positive", p.Backoff)
	case p.MaxBackoff < p.Backoff:
		return bad("max_backoff", "%s is shorter than the backoff %s", p.MaxBackoff, p.Backoff)
	case p.Keep < 0:
		return bad("keep", "%s is negative", p.Keep)
	}
	return nil
}

// Delay is the wait before the next delivery after the attempt-th failed one (from 1): Backoff,
// doubled for each further failure, at most MaxBackoff.
func (p Policy) Delay(attempt int) time.Duration {
	d := p.Backoff
	for i := 1; i < attempt && d < p.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, p.MaxBackoff)
}
