package deadline

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Stage is one timed step of a ticket — first contact, reply, a redo after reopening — as plain
// facts: which limit of the policy applies, when its clock started, when it was done, and the length
// an approved extension gave it.
type Stage struct {
	// Key names the limit of the policy that times the stage.
	Key Key `json:"key"`
	// Start is the instant the clock started: the ticket's receipt for most limits, the re-dispatch
	// for [Reopen].
	Start time.Time `json:"start"`
	// Done is the instant the stage was completed; the zero value means it is still open.
	Done time.Time `json:"done,omitzero"`
	// ExtendedTo, when positive, is the length an approved extension gave the stage, counted in the
	// limit's unit from the same Start (see [Calendar.Extend]).
	ExtendedTo int `json:"extended_to,omitempty"`
}

// State is where a stage stands against its deadline.
type State string

const (
	Pending    State = "pending"      // open, not yet due soon
	DueSoon    State = "due_soon"     // open, within the policy's due-soon lead (预警)
	Overdue    State = "overdue"      // open past its deadline (超期)
	DoneInTime State = "done_in_time" // completed before its deadline (按期完成)
	DoneLate   State = "done_late"    // completed at or after its deadline (超期完成)
)

// Open reports whether s is a state of a stage not yet done.
func (s State) Open() bool { return s == Pending || s == DueSoon || s == Overdue }

// StageStatus is what [Calendar.Status] says about a stage at an instant.
type StageStatus struct {
	Key Key `json:"key"`
	// Due is the stage's deadline, after any approved extension.
	Due Deadline `json:"due"`
	// DueSoonFrom is the instant from which the open stage is due soon (预警); zero when the policy
	// has no due-soon lead.
	DueSoonFrom time.Time `json:"due_soon_from,omitzero"`
	State       State     `json:"state"`
	// Remaining is the number of working days after the date of now (of Done, for a completed stage)
	// up to and including the last day: 0 on the last day itself. Past the deadline it is negative:
	// minus the working days elapsed since the last day, at least -1.
	Remaining int `json:"remaining"`
	// Provisional reports whether the answer rests on provisional calendar dates (see [Calendar]):
	// the deadline itself (Due.Provisional), or the working days counted for Remaining between the
	// last day and now (or Done). Recompute once the year's schedule is published.
	Provisional bool `json:"provisional"`
	// Explanation says which limit applied and how the state was reached.
	Explanation string `json:"explanation"`
}

// ErrNotExtendable is wrapped by the error returned for an extension of a limit that allows none.
var ErrNotExtendable = errors.New("deadline: limit is not extendable")

// ErrExtensionTooLong is wrapped by the error returned for an extension beyond the limit's ExtendTo.
var ErrExtensionTooLong = errors.New("deadline: extension exceeds the limit's cap")

// ErrWindowClosed is wrapped by a [*WindowError]: a request was made after its window closed.
var ErrWindowClosed = errors.New("deadline: request window closed")

// ErrInvalidStage is wrapped by a [*StageError]: a stage without a start, or done before it started.
var ErrInvalidStage = errors.New("deadline: invalid stage")

// StageError describes a [Stage] the clock cannot judge: no start, or a completion before the start.
// It wraps [ErrInvalidStage].
type StageError struct {
	Key    Key    // the stage's limit
	Field  string // "start", "done" or "at" (a request's instant)
	Reason string
}

func (e *StageError) Error() string {
	return fmt.Sprintf("deadline: stage %q: %s: %s", clip(string(e.Key)), e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidStage].
func (e *StageError) Unwrap() error { return ErrInvalidStage }

// ExtensionError describes an extension that the limit does not allow.
type ExtensionError struct {
	Policy    string
	Key       Key
	Requested int // the length asked for
	Max       int // the limit's ExtendTo; 0 when there is no cap
	Reason    string
	err       error
}

func (e *ExtensionError) Error() string {
	return fmt.Sprintf("deadline: policy %q: %s: extension to %d: %s", clip(e.Policy), clip(string(e.Key)), e.Requested, e.Reason)
}

func (e *ExtensionError) Unwrap() error { return e.err }

// WindowError reports a request made after its window closed, with the instant it closed; it wraps
// [ErrWindowClosed].
type WindowError struct {
	Key    Key       // the limit that sets the window
	At     time.Time // when the request was made
	Closed time.Time // when the window closed
	Reason string
}

func (e *WindowError) Error() string {
	return fmt.Sprintf("deadline: %s: request at %s is too late: window closed %s (%s)",
		clip(string(e.Key)), e.At.In(shanghai).Format("2006-01-02 15:04"), e.Closed.In(shanghai).Format("2006-01-02 15:04"), e.Reason)
}

func (e *WindowError) Unwrap() error { return ErrWindowClosed }

// check refuses a stage the clock cannot judge: without a start, or done before it started.
func (s Stage) check() error {
	switch {
	case s.Start.IsZero():
		return &StageError{Key: s.Key, Field: "start", Reason: "is zero"}
	case !s.Done.IsZero() && s.Done.Before(s.Start):
		return &StageError{Key: s.Key, Field: "done", Reason: fmt.Sprintf("%s is before the start at %s",
			s.Done.In(shanghai).Format("2006-01-02 15:04:05"), s.Start.In(shanghai).Format("2006-01-02 15:04:05"))}
	}
	return nil
}

// Status returns the deadline and state of stage s under policy p at instant now.
//
// The deadline is [Calendar.Due] of the limit of p under s.Key from s.Start under p.Counting; an approved
// extension (s.ExtendedTo > 0) replaces the limit's length, counted from the same start, and must
// respect the limit (see [Calendar.Extend] for the checks). A completed stage is done in time when
// s.Done is before the deadline, done late otherwise; an open stage is overdue from the deadline on,
// due soon from [StageStatus.DueSoonFrom] on (the start of the last p.DueSoon days of the period),
// pending before.
func (c *Calendar) Status(p Policy, s Stage, now time.Time) (StageStatus, error) {
	l, err := p.limit(s.Key)
	if err != nil {
		return StageStatus{}, err
	}
	if err := s.check(); err != nil {
		return StageStatus{}, err
	}
	per := l.Period
	if s.ExtendedTo > 0 {
		if per, err = extended(p, l, s.ExtendedTo); err != nil {
			return StageStatus{}, err
		}
	}
	due := c.Due(s.Start, per, p.Counting)
	st := StageStatus{Key: s.Key, Due: due, DueSoonFrom: c.dueSoonFrom(p.DueSoon, due)}
	ref := now
	if !s.Done.IsZero() {
		ref = s.Done
	}
	overdue := !ref.Before(due.At)
	if overdue {
		st.Remaining = -max(1, c.WorkdaysBetween(due.LastDay, ref))
	} else {
		st.Remaining = c.WorkdaysBetween(ref, due.LastDay)
	}
	switch {
	case !s.Done.IsZero() && !overdue:
		st.State = DoneInTime
	case !s.Done.IsZero():
		st.State = DoneLate
	case overdue:
		st.State = Overdue
	case !st.DueSoonFrom.IsZero() && !now.Before(st.DueSoonFrom):
		st.State = DueSoon
	default:
		st.State = Pending
	}
	st.Provisional = due.Provisional || c.ProvisionalBetween(ref, due.LastDay) ||
		(!st.DueSoonFrom.IsZero() && c.ProvisionalBetween(st.DueSoonFrom, due.LastDay))
	limit := fmt.Sprintf("%s %s (%s)", s.Key, per, l.Source)
	if s.ExtendedTo > 0 {
		limit = fmt.Sprintf("%s extended from %s to %s (%s)", s.Key, l.Period, per, l.Source)
	}
	st.Explanation = fmt.Sprintf("%s: %s; %s at %s, remaining %d", limit, due.Explanation, st.State,
		ref.In(shanghai).Format("2006-01-02 15:04"), st.Remaining)
	if st.Provisional && !due.Provisional {
		st.Explanation += " (provisional: counted on dates outside the published holiday schedule)"
	}
	return st, nil
}

// dueSoonFrom returns midnight of the first day of the last lead days of the period ending on
// due.LastDay, or the zero time when lead is not set.
func (c *Calendar) dueSoonFrom(lead Period, due Deadline) time.Time {
	switch lead.Unit {
	case SameDay:
		return due.LastDay
	case WorkingDays:
		if lead.Days <= 0 {
			return time.Time{}
		}
		return c.AddWorkdays(due.LastDay, -(lead.Days - 1))
	case CalendarDays:
		if lead.Days <= 0 {
			return time.Time{}
		}
		y, m, d := due.LastDay.Date()
		return time.Date(y, m, d-(min(lead.Days, maxDueDays)-1), 0, 0, 0, 0, shanghai)
	}
	return time.Time{}
}

// extended returns the period of limit l extended to days, or why it may not be.
func extended(p Policy, l Limit, days int) (Period, error) {
	bad := func(target error, max int, format string, a ...any) (Period, error) {
		return Period{}, &ExtensionError{Policy: p.Name, Key: l.Key, Requested: days, Max: max,
			Reason: fmt.Sprintf(format, a...), err: target}
	}
	if !l.Extendable {
		return bad(ErrNotExtendable, 0, "the limit is not extendable (%s)", l.Source)
	}
	if days < 1 {
		return bad(ErrNotExtendable, l.ExtendTo, "an extension must be at least 1 day, not %d", days)
	}
	unit := l.Unit
	if unit == SameDay {
		unit = WorkingDays
	}
	if l.Unit != SameDay && days <= l.Days {
		return bad(ErrNotExtendable, l.ExtendTo, "not longer than the period of %s", l.Period)
	}
	if l.ExtendTo > 0 && days > l.ExtendTo {
		return bad(ErrExtensionTooLong, l.ExtendTo, "at most %d (%s)", l.ExtendTo, l.Source)
	}
	if days > maxPeriodDays {
		return bad(ErrExtensionTooLong, l.ExtendTo, "implausibly long (more than %d)", maxPeriodDays)
	}
	return Period{Days: days, Unit: unit}, nil
}

// WindowCheck is the answer of [Calendar.Window]: whether a request falls inside an "apply within N
// days" window, and when the window closes.
type WindowCheck struct {
	Key    Key  `json:"key"`
	InTime bool `json:"in_time"`
	// Closes is the instant the window closes: a request strictly before it is in time.
	Closes time.Time `json:"closes"`
	// Window is the window counted as a period from its start; Window.Provisional reports whether
	// its end rests on provisional calendar dates (see [Calendar]).
	Window      Deadline `json:"window"`
	Explanation string   `json:"explanation"`
}

// Err returns nil when the request was in time, or a [*WindowError] naming the instant the window
// closed.
func (w WindowCheck) Err(at time.Time) error {
	if w.InTime {
		return nil
	}
	return &WindowError{Key: w.Key, At: at, Closed: w.Closes, Reason: w.Window.Explanation}
}

// Window reports whether a request made at instant at falls inside the window that limit k of policy
// p opens at start ("apply within N days", e.g. [ExtensionGeneral]: apply within 3 working days of
// receipt, 004 §9), and when the window closes. The window is counted like any period
// ([Calendar.Due]); a request strictly before its end is in time. A request at the zero instant or
// before start is refused with a [*StageError] (Field "at"); so is an extension asked for before its
// stage started ([Calendar.Extend]).
func (c *Calendar) Window(p Policy, k Key, start, at time.Time) (WindowCheck, error) {
	l, err := p.limit(k)
	if err != nil {
		return WindowCheck{}, err
	}
	if start.IsZero() {
		return WindowCheck{}, &StageError{Key: k, Field: "start", Reason: "the window's start is zero"}
	}
	if at.IsZero() {
		return WindowCheck{}, &StageError{Key: k, Field: "at", Reason: "the request's instant is zero"}
	}
	if at.Before(start) {
		return WindowCheck{}, &StageError{Key: k, Field: "at", Reason: fmt.Sprintf("the request at %s is before the window opens at %s",
			at.In(shanghai).Format("2006-01-02 15:04:05"), start.In(shanghai).Format("2006-01-02 15:04:05"))}
	}
	w := c.Due(start, l.Period, p.Counting)
	in := w.InTime(at)
	verdict := "in time"
	if !in {
		verdict = "too late"
	}
	return WindowCheck{
		Key:    k,
		InTime: in,
		Closes: w.At,
		Window: w,
		Explanation: fmt.Sprintf("%s: apply within %s (%s): %s; request at %s is %s", k, l.Period, l.Source,
			w.Explanation, at.In(shanghai).Format("2006-01-02 15:04"), verdict),
	}, nil
}

// Extension is the answer of [Calendar.Extend]: the stage's new deadline and what approving the
// extension needs.
type Extension struct {
	Key  Key `json:"key"`
	Days int `json:"days"`
	// Due is the deadline after the extension, counted from the stage's start.
	Due Deadline `json:"due"`
	// Window is the request window checked, when the limit names one (Limit.ExtensionWindow).
	Window *WindowCheck `json:"window,omitempty"`
	// WrittenReport reports whether the request needs a written report (书面报告).
	WrittenReport bool `json:"written_report,omitempty"`
	// Approvals lists, in order, who must approve.
	Approvals []string `json:"approvals,omitempty"`
	// Provisional reports whether the answer rests on provisional calendar dates: the new deadline,
	// the current one or the request window (see [Calendar]).
	Provisional bool   `json:"provisional"`
	Explanation string `json:"explanation"`
}

// Extend checks a request, made at instant at, to extend stage s to days (in its limit's unit, from
// s.Start), and returns the deadline it would have once approved. The request is refused with an
// [*ExtensionError] when the limit is not extendable, when days is not longer than the period, or when
// it exceeds Limit.ExtendTo ([ErrExtensionTooLong]); with a [*WindowError] when it is made after the
// window of Limit.ExtensionWindow closed, or at or after the stage's current deadline (an extension
// must be asked for before the time runs out). WrittenReport and Approvals come from the window's
// limit when there is one, else from the stage's limit.
func (c *Calendar) Extend(p Policy, s Stage, days int, at time.Time) (Extension, error) {
	l, err := p.limit(s.Key)
	if err != nil {
		return Extension{}, err
	}
	if err := s.check(); err != nil {
		return Extension{}, err
	}
	if at.IsZero() || at.Before(s.Start) {
		return Extension{}, &StageError{Key: s.Key, Field: "at", Reason: fmt.Sprintf("the request at %s is zero or before the stage's start at %s",
			at.In(shanghai).Format("2006-01-02 15:04:05"), s.Start.In(shanghai).Format("2006-01-02 15:04:05"))}
	}
	per, err := extended(p, l, days)
	if err != nil {
		return Extension{}, err
	}
	cur, err := c.Status(p, s, at)
	if err != nil {
		return Extension{}, err
	}
	if !cur.Due.InTime(at) {
		return Extension{}, &WindowError{Key: s.Key, At: at, Closed: cur.Due.At,
			Reason: "an extension must be requested before the current deadline: " + cur.Due.Explanation}
	}
	e := Extension{Key: s.Key, Days: days, WrittenReport: l.WrittenReport, Approvals: slices.Clone(l.Approvals)}
	if l.ExtensionWindow != "" {
		w, err := c.Window(p, l.ExtensionWindow, s.Start, at)
		if err != nil {
			return Extension{}, err
		}
		if err := w.Err(at); err != nil {
			return Extension{}, err
		}
		e.Window = &w
		if wl, _ := p.Limit(l.ExtensionWindow); wl.WrittenReport || len(wl.Approvals) > 0 {
			e.WrittenReport, e.Approvals = wl.WrittenReport, slices.Clone(wl.Approvals)
		}
	}
	e.Due = c.Due(s.Start, per, p.Counting)
	e.Provisional = e.Due.Provisional || cur.Provisional || (e.Window != nil && e.Window.Window.Provisional)
	e.Explanation = fmt.Sprintf("%s extended from %s to %s (%s): %s", s.Key, l.Period, per, l.Source, e.Due.Explanation)
	if e.Window != nil {
		e.Explanation += "; " + e.Window.Explanation
	}
	return e, nil
}
