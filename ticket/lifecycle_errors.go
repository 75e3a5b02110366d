package ticket

import (
	"errors"
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/enum"
)

// Errors of the lifecycle. Every error [Machine.Apply] returns is a [*TransitionError] wrapping one
// of them (and, where a deadline rule refused the action, the deadline package's error too).
var (
	// ErrIllegalTransition: the table has no row for the action in the ticket's state.
	ErrIllegalTransition = errors.New("ticket: illegal transition")
	// ErrForbiddenRole: the row exists but the role may not take it.
	ErrForbiddenRole = errors.New("ticket: role may not take this action")
	// ErrMissingField: the request lacks the actor, the reason or the payload the row requires, or
	// carries a payload the action does not take.
	ErrMissingField = errors.New("ticket: request is missing a field the action requires")
	// ErrInvalidPayload: the payload is present but a field is wrong.
	ErrInvalidPayload = errors.New("ticket: invalid payload")
	// ErrOutsideWindow: a request made after its window closed (extension, return upstream, objection
	// return); the error also wraps the [*deadline.WindowError] naming when the window closed.
	ErrOutsideWindow = errors.New("ticket: request outside its window")
	// ErrNotApplicable: the row exists but a rule of the deadline policy or the [Policy] does not allow the
	// action now (e.g. quality check where the policy has none, reopening a satisfied callback).
	ErrNotApplicable = errors.New("ticket: rule does not allow the action now")
	// ErrWrongKind: the action applies only to tickets of another kind (e.g. closing as unfounded,
	// for reviews only); the error also wraps the [*KindError] naming the kinds and the article.
	ErrWrongKind = errors.New("ticket: action does not apply to the ticket's kind")
	// ErrTimeOrder: the action's time is zero or before the ticket's last event.
	ErrTimeOrder = errors.New("ticket: action time out of order")
	// ErrPolicyMismatch: the ticket or history was recorded under another deadline policy than the
	// machine's (a [*PolicyMismatchError] names both).
	ErrPolicyMismatch = errors.New("ticket: recorded under another policy")
	// ErrNotBuilt: the [Machine] was not built by [NewMachine] (the zero Machine, a nil *Machine, or
	// NewMachine without a calendar).
	ErrNotBuilt = errors.New("ticket: Machine not built by NewMachine")
	// ErrHistoryMismatch: replaying a history gives a different result than the one recorded.
	ErrHistoryMismatch = errors.New("ticket: history does not replay")
)

// TransitionError is the error of a refused action: which ticket, in which state, which action by
// which role, and why.
type TransitionError struct {
	Number Number
	State  State
	Action Action
	Role   Role
	Reason string
	// Err is the sentinel: [ErrIllegalTransition], [ErrForbiddenRole], [ErrMissingField], ….
	Err error
	// Cause is the underlying error of another package, if any (e.g. a [*deadline.WindowError]).
	Cause error
}

// Error names the ticket, the state, the action, the role and why the action was refused.
func (e *TransitionError) Error() string {
	num := ""
	if !e.Number.IsZero() {
		num = " " + e.Number.String()
	}
	return fmt.Sprintf("ticket%s: %s (%s) × %s (%s) by %s: %s", num, e.State.Label(), enum.Clip(string(e.State)),
		e.Action.Label(), enum.Clip(string(e.Action)), e.Role.Label(), e.Reason)
}

// Unwrap returns the sentinel and the cause, for [errors.Is] and [errors.As].
func (e *TransitionError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

// KindError reports an action taken on a ticket of a kind the action does not apply to: closing as
// unfounded ([ActionCloseUnfounded]) is for reviews (评价 / 差评) only, 000 第六条 (二). A
// [*TransitionError] wraps it as its Cause.
type KindError struct {
	Action Action
	// Kind is the ticket's kind.
	Kind Kind
	// Want is the kind the action applies to.
	Want Kind
	// Source cites the article that limits the action to Want.
	Source string
}

// Error names the action, the kind it applies to, the ticket's kind and the article.
func (e *KindError) Error() string { return "ticket: " + e.reason() }

func (e *KindError) reason() string {
	return fmt.Sprintf("%s (%s) applies to %s (%s) tickets only, not %s (%s) (%s)", e.Action.Label(), e.Action,
		e.Want.Label(), e.Want, e.Kind.Label(), e.Kind, e.Source)
}

// Unwrap returns [ErrWrongKind].
func (e *KindError) Unwrap() error { return ErrWrongKind }

// CapError reports an extension that would move the reply deadline past the running reply cap: the
// “一般”类 国办 item is handled in at most 25 working days from receipt however its reply limit is
// extended (000 第五条). A [*TransitionError] wraps it as its Cause, with [ErrInvalidPayload].
type CapError struct {
	// Key is the reply clock's limit, e.g. [deadline.ReplyComplex].
	Key deadline.Key
	// Days is the extended period requested, in the limit's unit from the clock's start.
	Days int
	// Extended is the deadline the extension would give.
	Extended time.Time
	// CapKey is the cap's limit, [deadline.ReplyCap].
	CapKey deadline.Key
	// Cap is the cap's deadline, counted from receipt.
	Cap time.Time
	// Source cites the article of the cap.
	Source string
}

// Error names the extension, both deadlines and the article.
func (e *CapError) Error() string { return "ticket: " + e.reason() }

func (e *CapError) reason() string {
	return fmt.Sprintf("extension of %s to %d would make the reply due %s, after the reply cap %s due %s (%s)",
		e.Key, e.Days, fmtTime(e.Extended), e.CapKey, fmtTime(e.Cap), e.Source)
}

// Unwrap returns [ErrInvalidPayload].
func (e *CapError) Unwrap() error { return ErrInvalidPayload }

// ReplayError reports the event at which a replay failed.
type ReplayError struct {
	Seq int // the event's position, from 1
	Err error
}

// Error names the event at which the replay failed and why.
func (e *ReplayError) Error() string {
	return fmt.Sprintf("ticket: replay: event #%d: %v", e.Seq, e.Err)
}

// Unwrap returns [ErrHistoryMismatch] and the error of the failed event: a history whose event is
// refused does not replay, whatever the reason.
func (e *ReplayError) Unwrap() []error { return []error{ErrHistoryMismatch, e.Err} }

// ErrInvalidTicket: a stored ticket given to [Machine.Apply] has a field that cannot be what the
// lifecycle produced (a bad restore or hand-edited JSON); the error is a [*TicketError] naming it.
var ErrInvalidTicket = errors.New("ticket: invalid stored ticket")

// TicketError names the field of a stored ticket that is wrong and why.
type TicketError struct {
	Number Number
	Field  string // e.g. "extension.approved"
	Reason string
}

// Error names the ticket, the field and what is wrong with it.
func (e *TicketError) Error() string {
	return fmt.Sprintf("ticket %s: stored field %s: %s", e.Number, e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidTicket].
func (e *TicketError) Unwrap() error { return ErrInvalidTicket }

// PolicyMismatchError reports a ticket or history recorded under another deadline policy than the
// machine's. Build a machine for the recorded one ([Under]) to handle or replay it.
type PolicyMismatchError struct {
	Recorded PolicyRef
	Machine  PolicyRef
}

// Error names both policies.
func (e *PolicyMismatchError) Error() string {
	return fmt.Sprintf("ticket: recorded under deadline policy %s, the machine has %s", e.Recorded, e.Machine)
}

// Unwrap returns [ErrPolicyMismatch] and [ErrHistoryMismatch].
func (e *PolicyMismatchError) Unwrap() []error { return []error{ErrPolicyMismatch, ErrHistoryMismatch} }
