package appeal

import (
	"errors"
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

var (
	// ErrIllegalTransition is wrapped by a [*TransitionError] for an action the procedure's table does
	// not allow in its current state (or an unknown action).
	ErrIllegalTransition = errors.New("appeal: illegal transition")
	// ErrForbiddenRole is wrapped by a [*TransitionError] for an action taken by someone the table
	// or the record does not allow (wrong role, wrong unit, wrong reviewer).
	ErrForbiddenRole = errors.New("appeal: role may not take this action")
	// ErrMissingField is wrapped by a [*TransitionError] when a required field is empty: the written
	// defence, the evidence, the reason of a decision, the suggested unit…
	ErrMissingField = errors.New("appeal: missing field")
	// ErrInvalidValue is wrapped by a [*TransitionError] for a field with a value that is not allowed:
	// an unknown ground, a reviewer level the policy does not allow, a filing before the ticket's
	// receipt, an action dated before the previous one.
	ErrInvalidValue = errors.New("appeal: invalid value")
	// ErrLate is wrapped by a [*LateError]: the window within which the action can still have its
	// effect closed.
	ErrLate = errors.New("appeal: too late")
	// ErrInvalidPolicy is wrapped by every error [Policy.Validate], [ParsePolicy] and [NewMachine]
	// return.
	ErrInvalidPolicy = errors.New("appeal: invalid policy")
	// ErrHistoryMismatch is wrapped by the [*HistoryError] a replay returns for a stored history that
	// does not reproduce: an event refused, leading elsewhere than it recorded, or out of sequence.
	ErrHistoryMismatch = errors.New("appeal: history mismatch")
	// ErrNotBuilt is wrapped by the error every method of a zero or nil [Machine] returns: build one
	// with [NewMachine].
	ErrNotBuilt = errors.New("appeal: Machine not built by NewMachine")
)

// TransitionError describes an action a procedure refused, naming the procedure, the state, the action
// and what is wrong. It wraps [ErrIllegalTransition], [ErrForbiddenRole], [ErrMissingField] or
// [ErrInvalidValue].
type TransitionError struct {
	Procedure string     // "appeal", "objection" or "reconsideration"
	State     State      // the state the procedure was in
	Action    ActionKind // the action refused
	Field     string     // the field at fault, if any, e.g. "defence" or "actor.unit"
	Reason    string
	err       error
}

func (e *TransitionError) Error() string {
	field := ""
	if e.Field != "" {
		field = e.Field + ": "
	}
	return fmt.Sprintf("appeal: %s in state %s (%s): %s (%s) refused: %s%s",
		e.Procedure, clip(stateName(e.State)), e.State.Label(), clip(string(e.Action)), e.Action.Label(), field, e.Reason)
}

// Unwrap returns the sentinel the error wraps.
func (e *TransitionError) Unwrap() error { return e.err }

func stateName(s State) string {
	if s == StateNone {
		return "none"
	}
	return string(s)
}

// LateError reports an action refused because the window within which its effect must happen had
// closed: a filing (or a unit's endorsement) after the instant by which the documents require the
// ticket to be closed as unfounded or returned, or an upheld decision after it. It wraps both
// [ErrLate] and [deadline.ErrWindowClosed].
type LateError struct {
	Procedure string       // "appeal", "objection" or "reconsideration"
	Action    ActionKind   // the action refused
	Kind      string       // what was late, e.g. "appeal filing" or "objection decision"
	Key       deadline.Key // the limit that sets the window
	At        time.Time    // when the action was taken
	// Closed is the instant the window closed: an action strictly before it was in time.
	Closed time.Time
	// LastDay is midnight (Asia/Shanghai) of the window's last day.
	LastDay time.Time
	// Provisional reports whether the window rests on dates beyond the published holiday schedule.
	Provisional bool
	// Source cites the article that fixes the window, e.g. "000 §6 (二)".
	Source string
	// Explanation says how the window was counted.
	Explanation string
}

func (e *LateError) Error() string {
	sh := deadline.Location()
	prov := ""
	if e.Provisional {
		prov = " (provisional: beyond the published holiday schedule)"
	}
	return fmt.Sprintf("appeal: %s at %s refused: too late, the window closed at the end of %s (%s)%s under %s (%s): %s",
		e.Kind, e.At.In(sh).Format("2006-01-02 15:04"), e.LastDay.In(sh).Format(time.DateOnly),
		e.Closed.In(sh).Format("2006-01-02 15:04"), prov, e.Key, e.Source, e.Explanation)
}

// Unwrap returns [ErrLate] and [deadline.ErrWindowClosed].
func (e *LateError) Unwrap() []error { return []error{ErrLate, deadline.ErrWindowClosed} }

// PolicyError describes what is wrong with a [Policy], with the machine built from it, or with a
// policy document: the policy's name, the field at fault and why. It wraps [ErrInvalidPolicy] and,
// where there is one, the underlying error (the strict loader's, for a malformed document).
type PolicyError struct {
	Policy string // the policy's name
	Field  string // e.g. "reviewer_levels[1]" or "appeal.filing"; "" for the document as a whole
	Reason string
	err    error
}

func (e *PolicyError) Error() string {
	field := e.Field
	if field == "" {
		field = "(document)"
	}
	return fmt.Sprintf("appeal: policy %q: %s: %s", clip(e.Policy), clip(field), e.Reason)
}

// Unwrap returns [ErrInvalidPolicy] and the underlying error, if any.
func (e *PolicyError) Unwrap() []error {
	if e.err != nil {
		return []error{ErrInvalidPolicy, e.err}
	}
	return []error{ErrInvalidPolicy}
}

// HistoryError reports a stored history that a replay does not reproduce: which procedure, which
// event (1-based position in the history, with its recorded Seq and action) and why. It wraps
// [ErrHistoryMismatch] and, when the event was refused, that refusal ([*TransitionError]).
type HistoryError struct {
	Procedure string     // "appeal", "objection" or "reconsideration"
	Event     int        // the event's position in the history, from 1; 0 for the history as a whole
	Seq       int        // the event's recorded sequence number
	Action    ActionKind // the event's recorded action
	Reason    string
	err       error
}

func (e *HistoryError) Error() string {
	if e.Event == 0 {
		return fmt.Sprintf("appeal: %s history: %s", e.Procedure, e.Reason)
	}
	return fmt.Sprintf("appeal: %s event %d (%s), seq %d: %s", e.Procedure, e.Event, clip(string(e.Action)), e.Seq, e.Reason)
}

// Unwrap returns [ErrHistoryMismatch] and the refusal, if any.
func (e *HistoryError) Unwrap() []error {
	if e.err != nil {
		return []error{ErrHistoryMismatch, e.err}
	}
	return []error{ErrHistoryMismatch}
}
