package ticket

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/emmansun/gmsm/sm3"
	"slices"
	"strings"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/enum"
)

// Machine applies the lifecycle [Table] to tickets under a calendar, a deadline policy (the time
// limits) and a ticket [Policy] (the counts and switches). Build it with [NewMachine], which validates
// both; the zero Machine and a nil *Machine are refused with [ErrNotBuilt]. A Machine never
// changes once built and is safe for concurrent use; the tickets it changes are not.
type Machine struct {
	cal       *deadline.Calendar
	deadlines deadline.Policy
	policy    Policy
	under     Under
}

// Under names what a ticket is handled under: the deadline policy, by name and version, and the
// ticket [Policy], in full. [Machine.Apply] records it on the ticket and on the accepting event; a
// ticket is handled to the end under the Policy it was accepted under, and only by a machine whose
// deadline policy is the recorded one.
type Under struct {
	Deadlines PolicyRef `json:"deadlines"`
	Policy    Policy    `json:"policy"`
}

// PolicyRef names a deadline policy: its Name, the Version it declares (e.g. "004"), and its
// Fingerprint, "sm3:" and 16 hex digits of the SM3 digest of the policy's JSON encoding, so that any
// change to a limit, a label or a counting option is seen even when the declared version was not
// raised. See [DeadlineRef].
type PolicyRef struct {
	Name        string `json:"name"`
	Version     string `json:"version,omitempty"`
	Fingerprint string `json:"fingerprint"`
}

// String returns "name@version (fingerprint)".
func (r PolicyRef) String() string { return r.Name + "@" + r.Version + " (" + r.Fingerprint + ")" }

// DeadlineRef returns the name and version of deadline policy p.
func DeadlineRef(p deadline.Policy) PolicyRef {
	b, err := json.Marshal(p)
	if err != nil { // a policy that cannot be encoded: no two such policies compare equal by accident
		b = []byte("unencodable: " + err.Error())
	}
	sum := sm3.Sum(b)
	return PolicyRef{Name: p.Name, Version: p.Version, Fingerprint: "sm3:" + hex.EncodeToString(sum[:8])}
}

// NewMachine returns a machine for calendar cal, deadline policy deadlines and ticket policy policy,
// after validating both policies.
func NewMachine(cal *deadline.Calendar, deadlines deadline.Policy, policy Policy) (*Machine, error) {
	if cal == nil {
		return nil, fmt.Errorf("%w: no calendar", ErrNotBuilt)
	}
	if err := deadlines.Validate(); err != nil {
		return nil, err
	}
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	deadlines = cloneDeadlinePolicy(deadlines)
	return &Machine{cal: cal, deadlines: deadlines, policy: policy,
		under: Under{Deadlines: DeadlineRef(deadlines), Policy: policy}}, nil
}

func cloneDeadlinePolicy(p deadline.Policy) deadline.Policy {
	p.Limits = slices.Clone(p.Limits)
	for i := range p.Limits {
		p.Limits[i].Approvals = slices.Clone(p.Limits[i].Approvals)
	}
	return p
}

// Calendar returns the machine's calendar.
func (m *Machine) Calendar() *deadline.Calendar {
	if m == nil {
		return nil
	}
	return m.cal
}

// DeadlinePolicy returns a copy of the machine's deadline policy.
func (m *Machine) DeadlinePolicy() deadline.Policy {
	if m == nil {
		return deadline.Policy{}
	}
	return cloneDeadlinePolicy(m.deadlines)
}

// Policy returns the ticket policy the machine accepts new tickets under.
func (m *Machine) Policy() Policy {
	if m == nil {
		return Policy{}
	}
	return m.policy
}

// Under returns what the machine records on the tickets it accepts.
func (m *Machine) Under() Under {
	if m == nil {
		return Under{}
	}
	return m.under
}

// check refuses a nil or zero machine.
func (m *Machine) check() error {
	if m == nil || m.cal == nil {
		return fmt.Errorf("%w: not built by NewMachine (no calendar)", ErrNotBuilt)
	}
	return nil
}

// Accept creates a ticket by applying [ActionAccept] with the intake to a new ticket.
func (m *Machine) Accept(in Intake, actor string, role Role, now time.Time) (*Ticket, error) {
	t := &Ticket{}
	if _, err := m.Apply(t, Request{Actor: actor, Role: role, Action: ActionAccept, Payload: Payload{Intake: &in}}, now); err != nil {
		return nil, err
	}
	return t, nil
}

// Apply applies request r to ticket t at instant now: it checks the stored ticket (every field it
// reads, so that a bad restore is an [ErrInvalidTicket] error naming the field, never a panic) and
// that it runs under the machine's deadline policy, finds the row of [Lifecycle] for t's state and
// r's action, checks the role, the payload and the row's guards, updates t's fields and clocks, and
// appends the event, which it returns. On error t is unchanged. A ticket whose State is unset and
// whose History is empty is new.
//
// Apply costs the same whatever the length of t's history: the event is appended to t.History in
// place (amortised), so a copy of a Ticket value shares its history's array — use [Ticket.Clone] to
// branch a ticket. Apply reads no clock and keeps no state: callers that share a *Ticket must
// serialise their calls.
func (m *Machine) Apply(t *Ticket, r Request, now time.Time) (Event, error) {
	if err := m.check(); err != nil {
		return Event{}, &TransitionError{Action: r.Action, Role: r.Role, Reason: err.Error(), Err: ErrNotBuilt}
	}
	if t == nil {
		return Event{}, &TransitionError{Action: r.Action, Role: r.Role, Reason: "nil ticket", Err: ErrInvalidTicket}
	}
	from := t.State
	if from == "" && len(t.History) == 0 {
		from = StateNew
	}
	tr, ok := lifecycle.lookup(from, r.Action)
	return m.apply(t, from, tr, ok, r, now, nil)
}

// apply applies r; rec is the recorded event being replayed (nil when live), whose deadlines the
// effects take instead of counting them on the machine's calendar.
func (m *Machine) apply(t *Ticket, from State, tr Transition, ok bool, r Request, now time.Time, rec *Event) (Event, error) {
	fail := func(sentinel error, cause error, format string, a ...any) (Event, error) {
		return Event{}, &TransitionError{Number: t.Number, State: from, Action: r.Action, Role: r.Role,
			Reason: fmt.Sprintf(format, a...), Err: sentinel, Cause: cause}
	}
	if err := m.check(); err != nil {
		return fail(ErrNotBuilt, nil, "%v", err)
	}
	pol := m.policy
	if from != StateNew {
		if err := t.check(from); err != nil {
			return fail(ErrInvalidTicket, err, "%v", err)
		}
		if t.Under.Deadlines != m.under.Deadlines {
			pe := &PolicyMismatchError{Recorded: t.Under.Deadlines, Machine: m.under.Deadlines}
			return fail(ErrPolicyMismatch, pe, "%v", pe)
		}
		pol = t.Under.Policy
	}
	if !ok {
		if !r.Action.Valid() {
			return fail(ErrIllegalTransition, nil, "unknown action %q", enum.Clip(string(r.Action)))
		}
		allowed := lifecycle.Allowed(from)
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
		return fail(ErrMissingField, nil, "actor is empty")
	}
	if tr.NeedsReason && strings.TrimSpace(r.Reason) == "" {
		return fail(ErrMissingField, nil, "reason is required")
	}
	if err := checkCarries(tr.Carries, r.Payload); err != "" {
		return fail(ErrMissingField, nil, "%s", err)
	}
	if now.IsZero() {
		return fail(ErrTimeOrder, nil, "time is zero")
	}
	now = now.Round(0) // strip the monotonic reading: histories must compare equal after a round trip
	n := len(t.History)
	if n > 0 && now.Before(t.History[n-1].At) {
		return fail(ErrTimeOrder, nil, "at %s is before the last event (#%d at %s)",
			now.Format(time.RFC3339), n, t.History[n-1].At.Format(time.RFC3339))
	}
	g := guardCtx{m: m, pol: pol, t: t, r: r, tr: tr, now: now}
	for _, gd := range tr.Guards {
		if err := g.check(gd); err != nil {
			var ee *effectError
			if errors.As(err, &ee) {
				return fail(ee.sentinel, ee.cause, "%s", ee.reason)
			}
			return fail(ErrNotApplicable, err, "%v", err)
		}
	}

	// The effects replace t's fields, never writing through its pointers or into its slices' backing
	// arrays, and never touch History, so the shallow copy saved here restores t when they refuse.
	saved := *t
	var reclocked []ClockDue
	if n > 0 {
		reclocked = reclockedSince(t, t.History[n-1].Dues)
	}
	fx := effect{m: m, pol: pol, t: t, r: r, now: now, rec: rec}
	if err := fx.run(tr); err != nil {
		*t = saved
		var ee *effectError
		if errors.As(err, &ee) {
			return fail(ee.sentinel, ee.cause, "%s", ee.reason)
		}
		return fail(ErrInvalidPayload, err, "%v", err)
	}
	ev := Event{
		Seq: n + 1, At: now, Actor: r.Actor, Role: r.Role, Action: r.Action, Reason: r.Reason,
		Payload: r.Payload.clone(), From: from, To: tr.To, Notes: fx.notes,
		Dues: t.Deadlines.dues(), Reclocked: reclocked, ExtensionDue: fx.extDue,
	}
	if rec != nil && rec.Dues == nil {
		// Replaying an event recorded before events carried their deadlines (2026-11-30; an event
		// since always has Dues when a clock is set): it is rebuilt as it was recorded, without them,
		// so that its digest still verifies; its deadlines were recounted on the calendar.
		ev.Dues, ev.Reclocked, ev.ExtensionDue = nil, nil, nil
	} else if rec != nil && rec.Reclocked == nil && n > 0 && t.History[n-1].Dues == nil {
		// The first event after such a legacy event, written by the code that first recorded Dues
		// (before the first event after a legacy one stated every running clock): it stated no
		// Reclocked, and is rebuilt so. Its own Dues are still replayed and digested.
		ev.Reclocked = nil
	}
	if r.Action == ActionAccept {
		u := m.under
		ev.Under = &u
		t.Under = u
	}
	prev := ""
	if n > 0 {
		prev = t.History[n-1].Digest
	}
	d, err := ev.digest(prev)
	if err != nil {
		*t = saved
		return fail(ErrInvalidPayload, err, "the event cannot be recorded: %v", err)
	}
	ev.Digest = d
	t.State = tr.To
	t.History = append(t.History, ev)
	return ev, nil
}

// Replay rebuilds a ticket from its history by applying each event's request at its time, under the
// ticket [Policy] recorded on the accepting event ([Event].Under) and the machine's calendar and
// deadline policy, which must be the recorded one ([ErrPolicyMismatch] otherwise: build the machine
// from the recorded [Under]). An empty history is an error.
//
// What replay checks: each event's sequence number; that its request is allowed at its place in the
// history; that its derived fields (From, To, Notes, Under) are what the lifecycle gives; and its
// Digest, an SM3 digest chained over every earlier event ([Event].Digest). So an edit to any field of any
// stored event — an actor, a reason, the citizen's phone in the intake, a time — a removed, inserted
// or reordered event, or a history produced under other rules is refused with [ErrHistoryMismatch]
// naming the first event that differs. What it cannot detect is a history rewritten consistently by
// someone who recomputes every digest after the edit: to make a history tamper-evident against
// whoever can write the store, keep the last event's Digest somewhere they cannot (a published
// bulletin, another system), and compare. Replaying a live ticket's History yields a ticket equal to
// it.
//
// The deadlines an event set are taken from the event ([Event].Dues, [Event].ExtensionDue), not
// recounted on the machine's calendar, and the deadlines recomputed between two events on a new
// holiday schedule are set from the later event ([Event].Reclocked): a history recorded under a
// provisional schedule replays on the published one, while the digest still refuses an edited
// deadline. Events recorded before Dues existed are recounted on the machine's calendar (and rebuilt
// without Dues, Reclocked and ExtensionDue, as they were recorded, so that their digests verify):
// such a history replays on the calendar it was written under. Window checks
// (the return-upstream and review-return windows, an extension's window) are still counted on the
// machine's calendar.
//
// Replay costs time linear in the number of events.
func (m *Machine) Replay(events []Event) (*Ticket, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if len(events) == 0 {
		return nil, &ReplayError{Seq: 0, Err: fmt.Errorf("%w: no events: a history starts with its accept event", ErrHistoryMismatch)}
	}
	first := events[0]
	if first.Action != ActionAccept || first.Under == nil {
		return nil, &ReplayError{Seq: 1, Err: fmt.Errorf("%w: the first event is not an accept recording its policies", ErrHistoryMismatch)}
	}
	if first.Under.Deadlines != m.under.Deadlines {
		pe := &PolicyMismatchError{Recorded: first.Under.Deadlines, Machine: m.under.Deadlines}
		return nil, &ReplayError{Seq: 1, Err: pe}
	}
	if err := first.Under.Policy.Validate(); err != nil {
		return nil, &ReplayError{Seq: 1, Err: fmt.Errorf("%w: recorded policy: %w", ErrHistoryMismatch, err)}
	}
	rm := *m
	rm.policy = first.Under.Policy
	rm.under.Policy = first.Under.Policy
	t := &Ticket{History: make([]Event, 0, len(events))}
	for i, e := range events {
		if e.Seq != i+1 {
			return nil, &ReplayError{Seq: i + 1, Err: fmt.Errorf("%w: sequence number %d at position %d", ErrHistoryMismatch, e.Seq, i+1)}
		}
		if err := t.Deadlines.setDues(e.Reclocked); err != nil {
			return nil, &ReplayError{Seq: e.Seq, Err: err}
		}
		from := t.State
		if from == "" && len(t.History) == 0 {
			from = StateNew
		}
		tr, ok := lifecycle.lookup(from, e.Action)
		got, err := rm.apply(t, from, tr, ok, e.Request(), e.At, &e)
		if err != nil {
			return nil, &ReplayError{Seq: e.Seq, Err: err}
		}
		if got.From != e.From || got.To != e.To || !slices.Equal(got.Notes, e.Notes) {
			return nil, &ReplayError{Seq: e.Seq, Err: fmt.Errorf("%w: recorded %s→%s %s, replayed %s→%s %s",
				ErrHistoryMismatch, clipArgs([]any{e.From})[0], clipArgs([]any{e.To})[0], clipNotes(e.Notes), got.From, got.To, clipNotes(got.Notes))}
		}
		if (e.Under == nil) != (got.Under == nil) || (e.Under != nil && *e.Under != *got.Under) {
			return nil, &ReplayError{Seq: e.Seq, Err: fmt.Errorf("%w: the recorded policies differ", ErrHistoryMismatch)}
		}
		if got.Digest != e.Digest {
			return nil, &ReplayError{Seq: e.Seq, Err: fmt.Errorf("%w: digest %.16s… recorded, %.16s… replayed: the event or one before it was edited",
				ErrHistoryMismatch, e.Digest, got.Digest)}
		}
	}
	return t, nil
}

// clipNotes quotes notes for an error, at most maxArg bytes of them.
func clipNotes(notes []string) string {
	q := fmt.Sprintf("%q", notes)
	if len(q) <= maxArg {
		return q
	}
	return enum.Clip(q[:maxArg]) + "…"
}

// Status returns the status of every set clock of t at instant now (预警, 超期, remaining working days),
// in the order analysis, upstream, refusal reply, first contact, reply, redo, cap, appeal close.
// A nil ticket is an error wrapping [ErrInvalidTicket], as in [Machine.Apply].
func (m *Machine) Status(t *Ticket, now time.Time) ([]deadline.StageStatus, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if t == nil {
		return nil, fmt.Errorf("%w: nil ticket", ErrInvalidTicket)
	}
	var out []deadline.StageStatus
	for _, c := range t.Deadlines.all() {
		if c.Key == "" {
			continue
		}
		st, err := m.cal.Status(m.deadlines, c.Stage(), now)
		if err != nil {
			return nil, fmt.Errorf("ticket %s: clock %s: %w", t.Number, c.Key, err)
		}
		out = append(out, st)
	}
	return out, nil
}

// dues returns the deadline of every set clock, in the order of [Deadlines.all]; nil when none is set.
func (d *Deadlines) dues() []ClockDue {
	var out []ClockDue
	for _, c := range d.all() {
		if c.Key != "" {
			out = append(out, ClockDue{Key: c.Key, Due: c.Due})
		}
	}
	return out
}

// reclockedSince returns the running clocks of t whose deadlines differ from those the previous
// event recorded (prev): deadlines recomputed on a new holiday schedule between the two events.
func reclockedSince(t *Ticket, prev []ClockDue) []ClockDue {
	var out []ClockDue
	for _, c := range t.Deadlines.all() {
		if !c.Running() {
			continue
		}
		if prev == nil {
			// The previous event predates recorded deadlines (or set none, and then no clock runs):
			// state every running clock's, so that a replay on the calendar of that event's time sets
			// any recomputed since.
			out = append(out, ClockDue{Key: c.Key, Due: c.Due})
			continue
		}
		for _, p := range prev {
			if p.Key == c.Key && !sameDeadline(p.Due, c.Due) {
				out = append(out, ClockDue{Key: c.Key, Due: c.Due})
			}
		}
	}
	return out
}

func sameDeadline(a, b deadline.Deadline) bool {
	return a.At.Equal(b.At) && a.LastDay.Equal(b.LastDay) && a.Provisional == b.Provisional && a.Explanation == b.Explanation
}

// setDues sets the deadlines of the running clocks named in ds, as a reclock did; a name that is
// not a running clock is a history mismatch.
func (d *Deadlines) setDues(ds []ClockDue) error {
	for _, x := range ds {
		found := false
		for _, c := range d.all() {
			if c.Key == x.Key && c.Running() {
				c.Due, found = x.Due, true
			}
		}
		if !found {
			return fmt.Errorf("%w: reclocked deadline of %s, which is not a running clock", ErrHistoryMismatch, clipArgs([]any{string(x.Key)})[0])
		}
	}
	return nil
}

func (d *Deadlines) all() []*Clock {
	return []*Clock{&d.Analysis, &d.Upstream, &d.RefusalReply, &d.FirstContact, &d.Reply, &d.Redo, &d.Cap, &d.AppealClose}
}

// checkCarries returns what is wrong with p for an action that carries k, or "".
func checkCarries(k PayloadKind, p Payload) string {
	set := [...]struct {
		k  PayloadKind
		on bool
	}{
		{CarriesIntake, p.Intake != nil}, {CarriesRefusal, p.Refusal != nil}, {CarriesDispatch, p.Dispatch != nil},
		{CarriesReturn, p.Return != nil}, {CarriesExtension, p.Extension != nil}, {CarriesApproval, p.Approval != nil},
		{CarriesReply, p.Reply != nil}, {CarriesCallback, p.Callback != nil}, {CarriesSupervision, p.Supervision != nil},
		{CarriesRepeat, p.Repeat != nil}, {CarriesClosure, p.Closure != nil}, {CarriesAppealReview, p.AppealReview != nil},
	}
	for _, f := range set {
		switch {
		case f.k == k && !f.on:
			return fmt.Sprintf("payload.%s is required", k)
		case f.k != k && f.on:
			return fmt.Sprintf("payload.%s is not taken by this action (it carries %s)", f.k, k)
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
