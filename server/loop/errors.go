package loop

import (
	"errors"
	"fmt"
	"strings"
)

// The package's sentinels. Every error the package returns wraps one of them.
var (
	// ErrInvalidTicket: the ticket lacks what the join needs or contradicts itself.
	ErrInvalidTicket = errors.New("loop: invalid ticket")
	// ErrNotDispatched: the ticket has no handling unit (never dispatched, or returned and not yet
	// re-dispatched), so it has no unit receipt, no appeal reference and no case record.
	ErrNotDispatched = errors.New("loop: ticket not dispatched to a unit")
	// ErrNeedsDesignation: the routing decision names no unit; the authority it names must designate.
	ErrNeedsDesignation = errors.New("loop: decision needs designation")
	// ErrInvalidDecision: the routing decision is malformed (unknown mode, no lead).
	ErrInvalidDecision = errors.New("loop: invalid routing decision")
	// ErrInvalidEffect: an appeal effect does not fit the ticket (another ticket, another unit, a
	// state the lifecycle cannot act in) or lacks what the plan needs.
	ErrInvalidEffect = errors.New("loop: invalid appeal effect")
	// ErrInvalidPolicy: a Policy fails validation.
	ErrInvalidPolicy = errors.New("loop: invalid policy")
)

// TicketError says which field of a ticket the join could not use, and why.
type TicketError struct {
	Ticket string // the ticket number
	Field  string // e.g. "kind", "matter.levels[1]", "assignment.lead"
	Reason string
	Err    error // the sentinel
}

func (e *TicketError) Error() string {
	return fmt.Sprintf("%v: ticket %s: %s: %s", e.Err, clip(e.Ticket), e.Field, e.Reason)
}

func (e *TicketError) Unwrap() error { return e.Err }

// DesignationError is a routing decision that names no unit (争议): Authority must designate one
// among Candidates (000 §4 (二): 由热线管理办公室指定; 000 §7 (二): 由市政府办公厅指定; 004 §6:
// 由分管领导指定). An empty Authority means the dispatching hotline office. It wraps
// [ErrNeedsDesignation].
type DesignationError struct {
	Authority  string
	Candidates []string
}

func (e *DesignationError) Error() string {
	who := e.Authority
	if who == "" {
		who = "the dispatching hotline office"
	}
	return fmt.Sprintf("%v: %s must designate the handling unit among [%s] (000 §4 (二), §7 (二); 004 §6)",
		ErrNeedsDesignation, clip(who), clip(strings.Join(e.Candidates, ", ")))
}

func (e *DesignationError) Unwrap() error { return ErrNeedsDesignation }

// EffectError says which appeal effect could not be planned, and why. It wraps [ErrInvalidEffect].
type EffectError struct {
	Index  int    // position in the effects given
	Effect string // the effect's type, e.g. "appeal.ReturnTicket"
	Reason string
}

func (e *EffectError) Error() string {
	return fmt.Sprintf("%v: effects[%d] (%s): %s", ErrInvalidEffect, e.Index, e.Effect, e.Reason)
}

func (e *EffectError) Unwrap() error { return ErrInvalidEffect }

// PolicyError is the CONTRIBUTING shape: `loop: policy "<name>": <field>: <reason>`, wrapping
// [ErrInvalidPolicy].
type PolicyError struct {
	Policy, Field, Reason string
}

func (e *PolicyError) Error() string {
	return fmt.Sprintf("loop: policy %q: %s: %s", clip(e.Policy), e.Field, e.Reason)
}

func (e *PolicyError) Unwrap() error { return ErrInvalidPolicy }

// maxQuoted is how many bytes of an input an error quotes at most.
const maxQuoted = 64

func clip(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	i := maxQuoted
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}
