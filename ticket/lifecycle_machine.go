package ticket

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// Machine applies the lifecycle [Table] to tickets under a calendar, a deadline policy and rules.
// A Machine is a plain value, safe for concurrent use; the tickets it changes are not.
type Machine struct {
	Calendar *deadline.Calendar
	Policy   deadline.Policy
	Rules    Rules
}

// NewMachine returns a machine after validating the policy and the rules.
func NewMachine(cal *deadline.Calendar, pol deadline.Policy, rules Rules) (Machine, error) {
	if cal == nil {
		return Machine{}, fmt.Errorf("%w: no calendar", ErrInvalidMachine)
	}
	if err := pol.Validate(); err != nil {
		return Machine{}, err
	}
	if err := rules.Validate(); err != nil {
		return Machine{}, err
	}
	return Machine{Calendar: cal, Policy: pol, Rules: rules}, nil
}

// Accept creates a ticket by applying [ActionAccept] with the intake to a new ticket.
func (m Machine) Accept(in Intake, actor string, role Role, now time.Time) (*Ticket, error) {
	t := &Ticket{}
	if _, err := m.Apply(t, Request{Actor: actor, Role: role, Action: ActionAccept, Payload: Payload{Intake: &in}}, now); err != nil {
		return nil, err
	}
	return t, nil
}

// Apply applies request r to ticket t at instant now: it finds the row of [Lifecycle] for t's state
// and r's action, checks the role, the payload and the rules, updates t's fields and clocks, and
// appends the event, which it returns. On error t is unchanged.
//
// Apply reads no clock and keeps no state: callers that share a *Ticket must serialise their calls.
func (m Machine) Apply(t *Ticket, r Request, now time.Time) (Event, error) {
	if t == nil {
		return Event{}, &TransitionError{Action: r.Action, Role: r.Role, Reason: "nil ticket", Err: ErrInvalidMachine}
	}
	tr, ok := lifecycle.Lookup(t.State, r.Action)
	return m.apply(t, tr, ok, r, now)
}

func (m Machine) apply(t *Ticket, tr Transition, ok bool, r Request, now time.Time) (Event, error) {
	fail := func(sentinel error, cause error, format string, a ...any) (Event, error) {
		return Event{}, &TransitionError{Number: t.Number, State: t.State, Action: r.Action, Role: r.Role,
			Reason: fmt.Sprintf(format, a...), Err: sentinel, Cause: cause}
	}
	if m.Calendar == nil {
		return fail(ErrInvalidMachine, nil, "the machine has no calendar")
	}
	if !ok {
		if !r.Action.Valid() {
			return fail(ErrIllegalTransition, nil, "unknown action %d", uint8(r.Action))
		}
		allowed := lifecycle.Allowed(t.State)
		names := make([]string, len(allowed))
		for i, a := range allowed {
			names[i] = a.String()
		}
		return fail(ErrIllegalTransition, nil, "no such transition; allowed in this state: [%s]", strings.Join(names, " "))
	}
	if !tr.Roles.Has(r.Role) {
		return fail(ErrForbiddenRole, nil, "allowed roles are %s (%s)", tr.Roles.Label(), tr.Source)
	}
	if strings.TrimSpace(r.Actor) == "" {
		return fail(ErrMissingPayload, nil, "actor is empty")
	}
	if tr.NeedsReason && strings.TrimSpace(r.Reason) == "" {
		return fail(ErrMissingPayload, nil, "reason is required")
	}
	if err := checkCarries(tr.Carries, r.Payload); err != "" {
		return fail(ErrMissingPayload, nil, "%s", err)
	}
	if now.IsZero() {
		return fail(ErrTimeOrder, nil, "time is zero")
	}
	now = now.Round(0) // strip the monotonic reading: histories must compare equal after a round trip
	if n := len(t.History); n > 0 && now.Before(t.History[n-1].At) {
		return fail(ErrTimeOrder, nil, "at %s is before the last event (#%d at %s)",
			now.Format(time.RFC3339), n, t.History[n-1].At.Format(time.RFC3339))
	}

	// The effects replace t's fields, never writing through its pointers or into its slices' backing
	// arrays, so the shallow copy saved here restores t exactly when they refuse.
	saved := *t
	fx := effect{m: m, t: t, r: r, now: now}
	if err := fx.run(tr); err != nil {
		*t = saved
		var ee *effectError
		if errors.As(err, &ee) {
			return fail(ee.sentinel, ee.cause, "%s", ee.reason)
		}
		return fail(ErrInvalidPayload, err, "%v", err)
	}
	ev := Event{
		Seq: len(saved.History) + 1, At: now, Actor: r.Actor, Role: r.Role, Action: r.Action, Reason: r.Reason,
		Payload: r.Payload.clone(), From: saved.State, To: tr.To, Notes: fx.notes,
	}
	t.State = tr.To
	// A new array of the exact size: appending never writes into an array that another copy of the
	// ticket shares, and a loaded ticket's history is not over-allocated.
	t.History = make([]Event, len(saved.History)+1)
	copy(t.History, saved.History)
	t.History[len(saved.History)] = ev
	return ev, nil
}

// Replay rebuilds a ticket from its history by applying each event's request at its time, and checks
// that every event's derived fields (Seq, From, To, Notes) are what the lifecycle gives: a history
// that was edited, reordered or produced under another policy is refused with [ErrHistoryMismatch].
// Replaying a live ticket's History yields a ticket equal to it.
func (m Machine) Replay(events []Event) (*Ticket, error) {
	t := &Ticket{History: make([]Event, 0, len(events))}
	for i, e := range events {
		if e.Seq != i+1 {
			return nil, &ReplayError{Seq: i + 1, Err: fmt.Errorf("%w: sequence number %d at position %d", ErrHistoryMismatch, e.Seq, i+1)}
		}
		got, err := m.Apply(t, e.Request(), e.At)
		if err != nil {
			return nil, &ReplayError{Seq: e.Seq, Err: err}
		}
		if got.From != e.From || got.To != e.To || !slices.Equal(got.Notes, e.Notes) {
			return nil, &ReplayError{Seq: e.Seq, Err: fmt.Errorf("%w: recorded %s→%s %q, replayed %s→%s %q",
				ErrHistoryMismatch, e.From, e.To, e.Notes, got.From, got.To, got.Notes)}
		}
	}
	return t, nil
}

// Replay rebuilds a ticket from events under calendar cal, policy pol and the [StreetRules]; see
// [Machine.Replay].
func Replay(events []Event, cal *deadline.Calendar, pol deadline.Policy) (*Ticket, error) {
	return Machine{Calendar: cal, Policy: pol, Rules: StreetRules()}.Replay(events)
}

// Status returns the status of every set clock of t at instant now (预警, 超期, remaining working days),
// in the order analysis, upstream, refusal reply, first contact, reply, redo, cap, appeal close.
// A nil ticket is an error wrapping [ErrInvalidMachine], as in [Machine.Apply].
func (m Machine) Status(t *Ticket, now time.Time) ([]deadline.StageStatus, error) {
	if m.Calendar == nil {
		return nil, fmt.Errorf("%w: no calendar", ErrInvalidMachine)
	}
	if t == nil {
		return nil, fmt.Errorf("%w: nil ticket", ErrInvalidMachine)
	}
	var out []deadline.StageStatus
	for _, c := range t.Deadlines.all() {
		if c.Key == "" {
			continue
		}
		st, err := m.Calendar.Status(m.Policy, c.Stage(), now)
		if err != nil {
			return nil, fmt.Errorf("ticket %s: clock %s: %w", t.Number, c.Key, err)
		}
		out = append(out, st)
	}
	return out, nil
}

func (d *Deadlines) all() []*Clock {
	return []*Clock{&d.Analysis, &d.Upstream, &d.RefusalReply, &d.FirstContact, &d.Reply, &d.Redo, &d.Cap, &d.AppealClose}
}

// checkCarries returns what is wrong with p for an action that carries k, or "".
func checkCarries(k PayloadKind, p Payload) string {
	set := [...]bool{
		CarriesIntake: p.Intake != nil, CarriesRefusal: p.Refusal != nil, CarriesDispatch: p.Dispatch != nil,
		CarriesReturn: p.Return != nil, CarriesExtension: p.Extension != nil, CarriesApproval: p.Approval != nil,
		CarriesReply: p.Reply != nil, CarriesCallback: p.Callback != nil, CarriesSupervision: p.Supervision != nil,
		CarriesRepeat: p.Repeat != nil, CarriesClosure: p.Closure != nil, CarriesAppealReview: p.AppealReview != nil,
	}
	if k != CarriesNothing && !set[k] {
		return fmt.Sprintf("payload.%s is required", k)
	}
	for i, on := range set {
		if on && PayloadKind(i) != k {
			return fmt.Sprintf("payload.%s is not taken by this action (it carries %s)", PayloadKind(i), k)
		}
	}
	return ""
}

func (p Payload) clone() Payload {
	q := p
	q.Intake = clonePtr(p.Intake)
	if q.Intake != nil {
		q.Intake.Matter.Levels = slices.Clone(p.Intake.Matter.Levels)
	}
	q.Refusal = clonePtr(p.Refusal)
	q.Dispatch = clonePtr(p.Dispatch)
	if q.Dispatch != nil {
		q.Dispatch.CoHandling = slices.Clone(p.Dispatch.CoHandling)
	}
	q.Return = clonePtr(p.Return)
	q.Extension = clonePtr(p.Extension)
	if q.Extension != nil {
		q.Extension.Approvals = slices.Clone(p.Extension.Approvals)
		q.Extension.Approved = slices.Clone(p.Extension.Approved)
	}
	q.Approval = clonePtr(p.Approval)
	q.Reply = clonePtr(p.Reply)
	q.Callback = clonePtr(p.Callback)
	q.Supervision = clonePtr(p.Supervision)
	q.Repeat = clonePtr(p.Repeat)
	q.Closure = clonePtr(p.Closure)
	if q.Closure != nil {
		q.Closure.Unfounded = clonePtr(p.Closure.Unfounded)
	}
	q.AppealReview = clonePtr(p.AppealReview)
	return q
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
