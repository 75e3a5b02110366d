package ticket

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// Errors of the lifecycle. Every error [Machine.Apply] returns is a [*TransitionError] wrapping one
// of them (and, where a deadline rule refused the action, the deadline package's error too).
var (
	// ErrIllegalTransition: the table has no row for the action in the ticket's state.
	ErrIllegalTransition = errors.New("ticket: illegal transition")
	// ErrForbiddenRole: the row exists but the role may not take it.
	ErrForbiddenRole = errors.New("ticket: role may not take this action")
	// ErrMissingPayload: the request lacks the actor, the reason or the payload the row requires, or
	// carries a payload the action does not take.
	ErrMissingPayload = errors.New("ticket: request is missing what the action must carry")
	// ErrInvalidPayload: the payload is present but a field is wrong.
	ErrInvalidPayload = errors.New("ticket: invalid payload")
	// ErrOutsideWindow: a request made after its window closed (extension, return upstream, objection
	// return); the error also wraps the [*deadline.WindowError] naming when the window closed.
	ErrOutsideWindow = errors.New("ticket: request outside its window")
	// ErrNotApplicable: the row exists but a rule of the policy or the [Rules] does not allow the
	// action now (e.g. quality check where the policy has none, reopening a satisfied callback).
	ErrNotApplicable = errors.New("ticket: rule does not allow the action now")
	// ErrWrongKind: the action applies only to tickets of another kind (e.g. closing as unfounded,
	// for reviews only); the error also wraps the [*KindError] naming the kinds and the article.
	ErrWrongKind = errors.New("ticket: action does not apply to the ticket's kind")
	// ErrTimeOrder: the action's time is zero or before the ticket's last event.
	ErrTimeOrder = errors.New("ticket: action time out of order")
	// ErrInvalidMachine: the [Machine] has no calendar.
	ErrInvalidMachine = errors.New("ticket: invalid machine")
	// ErrHistoryMismatch: replaying a history gives a different result than the one recorded.
	ErrHistoryMismatch = errors.New("ticket: history does not replay")
	// ErrInvalidRules is wrapped by every error [Rules.Validate] returns.
	ErrInvalidRules = errors.New("ticket: invalid rules")
)

// TransitionError is the error of a refused action: which ticket, in which state, which action by
// which role, and why.
type TransitionError struct {
	Number Number
	State  State
	Action Action
	Role   Role
	Reason string
	// Err is the sentinel: [ErrIllegalTransition], [ErrForbiddenRole], [ErrMissingPayload], ….
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
	return fmt.Sprintf("ticket%s: %s (%s) × %s (%s) by %s: %s", num, e.State.Label(), e.State,
		e.Action.Label(), e.Action, e.Role.Label(), e.Reason)
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

// Unwrap returns the error of the failed event.
func (e *ReplayError) Unwrap() error { return e.Err }

// Rules are the lifecycle rules that are counts and switches rather than time limits (time limits
// come from the [deadline.Policy]). Rules is plain data; [StreetRules] is the preset.
type Rules struct {
	Name string `json:"name"`
	// SuperviseAtRepeats, when positive, puts a ticket under supervision when its count of repeat
	// complaints reaches it (004 §12 (二) 2: 3 次及以上).
	SuperviseAtRepeats int `json:"supervise_at_repeats,omitempty"`
	// SuperviseDissatisfied puts a ticket under supervision when the citizen is dissatisfied at the
	// callback (004 §12 (二) 4).
	SuperviseDissatisfied bool `json:"supervise_dissatisfied,omitempty"`
	// StoreAfterReplies, when positive, lets the hotline office close a ticket as stored once it has
	// been answered this many times and the citizen is still dissatisfied (000 §4 (三): 多次答复).
	// Replies with a stored outcome of 004 §8 (三) may be closed as stored regardless.
	StoreAfterReplies int `json:"store_after_replies,omitempty"`
	// UrgeOnlyOverdue allows urging only when a stage clock is overdue (002 §6 (二) 1 (6)).
	UrgeOnlyOverdue bool `json:"urge_only_overdue,omitempty"`
	// ReviewStateCouncilReports requires the conclusion report of a 国办 item to name the leader who
	// reviewed it (000 §4 (三): 经本单位分管领导审核盖章).
	ReviewStateCouncilReports bool `json:"review_state_council_reports,omitempty"`
	// ReviewRedoReplies requires the reply to a reopened ticket to name the unit's leader in charge
	// who reviewed and signed it (004 §11: 由其分管领导审核后在处理结果书上签字反馈).
	ReviewRedoReplies bool `json:"review_redo_replies,omitempty"`
	// FirstContactByOffice makes first contact the hotline office's, counted from its own receipt
	// of the ticket (004 §8 (一): 友谊路街道热线办在收到区热线办工单后1个工作日内先行联系来电市民):
	// the FirstContact clock starts at intake rather than at dispatch, and the office may record the
	// first contact while the ticket is received (it stays received) or dispatched. Without it, first
	// contact is the handling unit's, from its receipt of the ticket (000 §5: 承办单位在收到工单后的1
	// 个工作日内，先行联系), and the clock starts at each dispatch.
	FirstContactByOffice bool `json:"first_contact_by_office,omitempty"`
}

// StreetRules returns the rules of 004 (友谊路街道) with those of 000 and 002 that the SDK applies
// everywhere: supervision at the third repeat complaint and at a dissatisfied callback, close as
// stored after two answers, urging only when overdue, leader review of 国办 conclusion reports and
// of the reply after a reopening, and first contact by the street hotline office from its receipt
// (004 §8 (一)). For items where the handling unit makes first contact (000 §5), set
// FirstContactByOffice to false.
func StreetRules() Rules {
	return Rules{
		Name:                      "street-hotline",
		SuperviseAtRepeats:        3,
		SuperviseDissatisfied:     true,
		StoreAfterReplies:         2,
		UrgeOnlyOverdue:           true,
		ReviewStateCouncilReports: true,
		ReviewRedoReplies:         true,
		FirstContactByOffice:      true,
	}
}

// RulesError describes what is wrong with [Rules].
type RulesError struct {
	Field  string
	Reason string
}

// Error names the field of the rules and what is wrong with it.
func (e *RulesError) Error() string {
	return fmt.Sprintf("ticket: invalid rules: %s: %s", e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidRules].
func (e *RulesError) Unwrap() error { return ErrInvalidRules }

// Validate reports the first problem of r, or nil.
func (r Rules) Validate() error {
	switch {
	case strings.TrimSpace(r.Name) == "":
		return &RulesError{"name", "must not be empty"}
	case r.SuperviseAtRepeats < 0 || r.SuperviseAtRepeats > 1000:
		return &RulesError{"supervise_at_repeats", fmt.Sprintf("%d outside 0–1000", r.SuperviseAtRepeats)}
	case r.StoreAfterReplies < 0 || r.StoreAfterReplies > 1000:
		return &RulesError{"store_after_replies", fmt.Sprintf("%d outside 0–1000", r.StoreAfterReplies)}
	}
	return nil
}

// ParseRules decodes rules from JSON, rejecting unknown fields, and validates them.
func ParseRules(data []byte) (Rules, error) {
	return loadJSON[Rules](data, ErrInvalidRules, "rules")
}

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

// effectError carries the sentinel and the reason of a refusal from an effect.
type effectError struct {
	sentinel error
	cause    error
	reason   string
}

func (e *effectError) Error() string { return e.reason }

func refuse(sentinel error, format string, a ...any) error {
	return &effectError{sentinel: sentinel, reason: fmt.Sprintf(format, a...)}
}

// effect applies one transition's effects to t: pointer and slice fields are replaced, never written
// through, so that a shallow copy taken before restores t.
type effect struct {
	m     Machine
	t     *Ticket
	r     Request
	now   time.Time
	notes []string
}

func (f *effect) note(format string, a ...any) { f.notes = append(f.notes, fmt.Sprintf(format, a...)) }

func (f *effect) run(tr Transition) error {
	t, p := f.t, f.r.Payload
	switch tr.Action {
	case ActionAccept:
		return f.accept(*p.Intake)
	case ActionRefuse, ActionArchive, ActionReturnUpstream:
		return f.refuse(tr.Action, *p.Refusal)
	case ActionAnswer:
		return f.answer(*p.Reply)
	case ActionDispatch, ActionDesignate:
		return f.dispatch(tr.Action, *p.Dispatch)
	case ActionReturn:
		return f.giveBack(*p.Return)
	case ActionFirstContact:
		return f.firstContact(tr)
	case ActionRequestExtension:
		return f.requestExtension(*p.Extension)
	case ActionEscalateExtension, ActionApproveExtension, ActionRefuseExtension:
		return f.decideExtension(tr.Action, *p.Approval)
	case ActionReply:
		return f.reply(*p.Reply)
	case ActionPassQualityCheck, ActionFailQualityCheck:
		if !f.m.Policy.QualityCheck {
			return refuse(ErrNotApplicable, "policy %q has no quality check (002 §6 (一) 2)", f.m.Policy.Name)
		}
		if tr.Action == ActionFailQualityCheck {
			c := t.Deadlines.replying()
			c.Met, c.Late = time.Time{}, false
			f.note("quality check failed: returned to %s to redo against the %s deadline %s (002 §6 (一) 2)",
				t.Assignment.Lead, c.Key, fmtTime(c.Due.At))
		}
		return nil
	case ActionCallback:
		return f.callback(tr, *p.Callback)
	case ActionReopen:
		return f.reopen()
	case ActionClose:
		return f.close()
	case ActionCloseStored:
		return f.closeStored(*p.Closure)
	case ActionCloseUnfounded:
		return f.closeUnfounded(*p.AppealReview)
	case ActionSupervise:
		if !p.Supervision.Trigger.Valid() {
			return refuse(ErrInvalidPayload, "supervision.trigger: unknown %d", uint8(p.Supervision.Trigger))
		}
		f.supervise("%s (%s)", p.Supervision.Trigger.Label(), triggerSource(p.Supervision.Trigger))
		return nil
	case ActionUrge:
		return f.urge()
	case ActionMarkRepeat:
		return f.markRepeat(*p.Repeat)
	}
	return refuse(ErrIllegalTransition, "action %s has no effect defined", tr.Action)
}

func triggerSource(s SupervisionTrigger) string {
	switch s {
	case TriggerJointMeeting:
		return "004 §12 (一)"
	case TriggerShirking:
		return "004 §12 (二) 1"
	case TriggerRepeat:
		return "004 §12 (二) 2"
	case TriggerUnresolved:
		return "004 §12 (二) 3"
	case TriggerDissatisfied:
		return "004 §12 (二) 4"
	case TriggerInstruction:
		return "004 §12 (二) 5"
	}
	return "000 §4 (五)"
}

func fmtTime(t time.Time) string { return t.In(deadline.Shanghai()).Format("2006-01-02 15:04") }

// clock returns a clock for limit k starting at start, and whether the policy has the limit.
func (f *effect) clock(k deadline.Key, start time.Time) (Clock, bool) {
	l, ok := f.m.Policy.Limit(k)
	if !ok {
		return Clock{}, false
	}
	return Clock{Key: k, Label: l.Label, Source: l.Source, Start: start,
		Due: f.m.Calendar.Due(start, l.Period, f.m.Policy.Counting)}, true
}

// start sets *c to the clock of limit k from start and notes it; without the limit it clears *c and
// notes that.
func (f *effect) start(c *Clock, k deadline.Key, start time.Time, what string) {
	nc, ok := f.clock(k, start)
	*c = nc
	if !ok {
		f.note("%s: policy %q sets no %s limit, no clock", what, f.m.Policy.Name, k)
		return
	}
	f.note("%s due %s (%s %s, %s)", what, fmtTime(nc.Due.At), k, nc.Label, nc.Source)
}

// meet marks the running clock *c met now and notes a late stage; a stage done late is recorded,
// never refused (004 §8 (一)).
func (f *effect) meet(c *Clock, what, source string) {
	if !c.Running() {
		return
	}
	c.Met = f.now
	c.Late = !f.now.Before(c.Due.At)
	if c.Late {
		f.note("%s late: due %s, done %s (%s)", what, fmtTime(c.Due.At), fmtTime(f.now), source)
	}
}

// firstContact meets the first-contact clock, citing the clock's own limit (004 §8 (一) for the
// street office, 000 §5 for a unit). In received only the hotline office contacts, and only where
// first contact is its own ([Rules].FirstContactByOffice).
func (f *effect) firstContact(tr Transition) error {
	c := &f.t.Deadlines.FirstContact
	if tr.From == StateReceived {
		if !f.m.Rules.FirstContactByOffice {
			return refuse(ErrNotApplicable, "rules %q: first contact is the handling unit's, after dispatch (000 §5); the office's before dispatch needs first_contact_by_office (004 §8 (一))",
				f.m.Rules.Name)
		}
		if c.Key != "" && !c.Running() {
			return refuse(ErrNotApplicable, "first contact was already recorded at %s (%s)", fmtTime(c.Met), c.Source)
		}
	}
	f.meet(c, "first contact", c.Source)
	return nil
}

func (f *effect) supervise(format string, a ...any) {
	f.t.Supervised = true
	f.t.Counters.Supervisions++
	f.note("supervised (督办 #%d): %s", f.t.Counters.Supervisions, fmt.Sprintf(format, a...))
}

func (f *effect) accept(in Intake) error {
	if err := in.validate(); err != nil {
		return err
	}
	received := in.Received.Round(0)
	if received.IsZero() {
		received = f.now
	}
	if received.After(f.now) {
		return refuse(ErrInvalidPayload, "intake.received %s is after the accept time %s", fmtTime(received), fmtTime(f.now))
	}
	t := f.t
	t.Number, t.Upstream = in.Number, in.Upstream
	t.Channel, t.Kind, t.Urgency, t.Complexity = in.Channel, in.Kind, in.Urgency, in.Complexity
	t.Title, t.Content, t.Citizen, t.Place = in.Title, in.Content, in.Citizen, in.Place
	t.Matter = Matter{Levels: slices.Clone(in.Matter.Levels)}
	t.Received, t.ReceivedBy = received, f.r.Actor
	if in.Channel.StateCouncil() {
		if _, ok := f.m.Policy.Limit(deadline.ReturnUpstream); ok {
			f.start(&t.Deadlines.Upstream, deadline.ReturnUpstream, received, "return-upstream window")
		}
		if in.Urgency == UrgencySpecial {
			f.note("国办 特殊/紧急 item: the deadline is the one the upstream system gives (000 §5)")
		} else if _, ok := f.m.Policy.Limit(deadline.ReplyCap); ok {
			f.start(&t.Deadlines.Cap, deadline.ReplyCap, received, "reply cap")
		}
	}
	if f.m.Rules.FirstContactByOffice {
		// 004 §8 (一): the street office contacts the citizen within its limit of its own receipt.
		if _, ok := f.m.Policy.Limit(deadline.FirstContact); ok {
			f.start(&t.Deadlines.FirstContact, deadline.FirstContact, received, "first contact by the hotline office")
		}
	}
	if in.Channel == ChannelWindowOnline || in.Channel == ChannelWindowOffline || in.Kind == KindErrand {
		if _, ok := f.m.Policy.Limit(deadline.CauseAnalysis); ok {
			f.start(&t.Deadlines.Analysis, deadline.CauseAnalysis, received, "cause analysis")
		}
	}
	return nil
}

func (in Intake) validate() error {
	bad := func(format string, a ...any) error { return refuse(ErrInvalidPayload, format, a...) }
	if in.Number.IsZero() {
		return bad("intake.number is empty")
	}
	if err := in.Number.Validate(); err != nil {
		return bad("intake.number: %v", err)
	}
	if !in.Channel.Valid() {
		return bad("intake.channel: unknown %d", uint8(in.Channel))
	}
	if !in.Kind.Valid() {
		return bad("intake.kind: unknown %d", uint8(in.Kind))
	}
	if in.Urgency != 0 && !in.Urgency.Valid() {
		return bad("intake.urgency: unknown %d", uint8(in.Urgency))
	}
	if in.Complexity != 0 && !in.Complexity.Valid() {
		return bad("intake.complexity: unknown %d", uint8(in.Complexity))
	}
	if strings.TrimSpace(in.Content) == "" {
		return bad("intake.content is empty")
	}
	// DESIGN §3: ID-card numbers and credit codes are validated at intake. The validators' errors
	// never repeat the value, so nothing here leaks it into logs.
	if in.Citizen.IDNumber != "" {
		if err := ValidateIDCard(in.Citizen.IDNumber); err != nil {
			return bad("intake.citizen.id_number: %v", err)
		}
	}
	if in.Citizen.CreditCode != "" {
		if err := ValidateCreditCode(in.Citizen.CreditCode); err != nil {
			return bad("intake.citizen.credit_code: %v", err)
		}
	}
	if len(in.Matter.Levels) > MaxMatterLevels {
		return bad("intake.matter: %d levels, at most %d", len(in.Matter.Levels), MaxMatterLevels)
	}
	for i, l := range in.Matter.Levels {
		if strings.TrimSpace(l.Code) == "" {
			return bad("intake.matter.levels[%d].code is empty", i)
		}
	}
	return nil
}

func (f *effect) refuse(a Action, r Refusal) error {
	if strings.TrimSpace(r.Code) == "" {
		return refuse(ErrInvalidPayload, "refusal.code is empty")
	}
	t := f.t
	switch a {
	case ActionRefuse:
		if _, ok := f.m.Policy.Limit(deadline.ReplyRefusal); ok {
			f.start(&t.Deadlines.RefusalReply, deadline.ReplyRefusal, f.now, "reply explaining the refusal")
		}
	case ActionArchive:
		if t.Channel.StateCouncil() {
			return refuse(ErrNotApplicable, "a 国办 item is returned upstream, not archived (000 §4 (一))")
		}
	case ActionReturnUpstream:
		if c := t.Deadlines.Upstream; c.Key != "" {
			w, err := f.m.Calendar.Window(f.m.Policy, c.Key, t.Received, f.now)
			if err != nil {
				return &effectError{sentinel: ErrNotApplicable, cause: err, reason: err.Error()}
			}
			if err := w.Err(f.now); err != nil {
				return &effectError{sentinel: ErrOutsideWindow, cause: err,
					reason: fmt.Sprintf("the return-upstream window closed %s (%s)", fmtTime(w.Closes), c.Source)}
			}
			f.meet(&t.Deadlines.Upstream, "return upstream", c.Source)
		}
	}
	if c := t.Deadlines.FirstContact; c.Running() {
		t.Deadlines.FirstContact = Clock{}
		f.note("first contact (due %s) no longer applies: the ticket is %s (%s)", fmtTime(c.Due.At), a.Label(), c.Source)
	}
	t.Refusal = &r
	return nil
}

func (r Reply) validate() error {
	switch {
	case strings.TrimSpace(r.Report) == "":
		return refuse(ErrInvalidPayload, "reply.report (办结报告) is empty")
	case strings.TrimSpace(r.Summary) == "":
		return refuse(ErrInvalidPayload, "reply.summary (答复要点) is empty")
	case !r.Outcome.Valid():
		return refuse(ErrInvalidPayload, "reply.outcome: unknown %d", uint8(r.Outcome))
	}
	return nil
}

func (f *effect) answer(r Reply) error {
	if err := r.validate(); err != nil {
		return err
	}
	t := f.t
	t.Mode = ModeImmediate
	if _, ok := f.m.Policy.Limit(deadline.ReplyQuick); ok {
		f.start(&t.Deadlines.Reply, deadline.ReplyQuick, t.Received, "即办 reply")
		f.meet(&t.Deadlines.Reply, "即办 reply", t.Deadlines.Reply.Source)
	}
	// Answering the caller at once is the office's first contact too (004 §8 (一)).
	f.meet(&t.Deadlines.FirstContact, "first contact", t.Deadlines.FirstContact.Source)
	f.meet(&t.Deadlines.Cap, "reply cap", "000 §5")
	t.Counters.Replies++
	t.Reply = &r
	return nil
}

// replyKeys returns the policy keys that may time the reply, most specific first: the handling mode's
// key (转办 ReplyTransfer, 协办 ReplyJoint, 002 §6 (二) 1), then the complexity's (004 §8 (二); 003
// 四 (四)).
func replyKeys(m Mode, c Complexity) []deadline.Key {
	var ks []deadline.Key
	switch m {
	case ModeTransfer:
		ks = append(ks, deadline.ReplyTransfer)
	case ModeJoint:
		ks = append(ks, deadline.ReplyJoint)
	case ModeImmediate:
		ks = append(ks, deadline.ReplyQuick)
	}
	switch c {
	case ComplexitySimple:
		ks = append(ks, deadline.ReplyQuick, deadline.ReplyGeneral)
	case ComplexityComplex:
		ks = append(ks, deadline.ReplyComplex, deadline.ReplyGeneral)
	case ComplexitySpecial:
		ks = append(ks, deadline.ReplySpecial, deadline.ReplyComplex, deadline.ReplyGeneral)
	default:
		ks = append(ks, deadline.ReplyGeneral)
	}
	return ks
}

// ReplyKey returns the policy key that times the reply of a ticket handled in mode m with complexity
// c under policy p, and whether p has any such limit.
func ReplyKey(p deadline.Policy, m Mode, c Complexity) (deadline.Key, bool) {
	for _, k := range replyKeys(m, c) {
		if _, ok := p.Limit(k); ok {
			return k, true
		}
	}
	return "", false
}

// startReply starts *c on the reply limit of the ticket's mode and complexity from from.
func (f *effect) startReply(c *Clock, from time.Time, what string) {
	t := f.t
	k, ok := ReplyKey(f.m.Policy, t.Mode, t.Complexity)
	if !ok {
		*c = Clock{}
		f.note("%s: policy %q has no reply limit for mode %q, complexity %q; no clock", what, f.m.Policy.Name, t.Mode, t.Complexity)
		return
	}
	f.start(c, k, from, what)
}

func (f *effect) dispatch(a Action, d Dispatch) error {
	bad := func(format string, args ...any) error { return refuse(ErrInvalidPayload, format, args...) }
	lead := strings.TrimSpace(d.Lead)
	if lead == "" {
		return bad("dispatch.lead is empty")
	}
	switch {
	case a == ActionDesignate && d.DispatchMode == 0:
		d.DispatchMode = DispatchDesignated
	case a == ActionDesignate && d.DispatchMode != DispatchDesignated:
		return bad("dispatch.dispatch_mode must be designated for a designation, not %s", d.DispatchMode)
	case a == ActionDispatch && d.DispatchMode == DispatchDesignated:
		return bad("dispatch.dispatch_mode: designation (指定) is the leader's designate action (004 §6)")
	case !d.DispatchMode.Valid():
		return bad("dispatch.dispatch_mode: unknown %d (statutory, negotiated or designated)", uint8(d.DispatchMode))
	}
	if d.Mode == ModeImmediate {
		return bad("dispatch.mode: 即办 is answered at intake by the answer action (002 §6 (二) 1 (1))")
	}
	if d.Mode != 0 && !d.Mode.Valid() {
		return bad("dispatch.mode: unknown %d", uint8(d.Mode))
	}
	if d.Complexity != 0 && !d.Complexity.Valid() {
		return bad("dispatch.complexity: unknown %d", uint8(d.Complexity))
	}
	for i, u := range d.CoHandling {
		if u = strings.TrimSpace(u); u == "" || u == lead || slices.Contains(d.CoHandling[:i], d.CoHandling[i]) {
			return bad("dispatch.co_handling[%d] %q is empty, the lead unit, or repeated", i, d.CoHandling[i])
		}
	}
	t := f.t
	if d.Mode != 0 {
		t.Mode = d.Mode
	}
	if d.Complexity != 0 {
		t.Complexity = d.Complexity
	}
	if t.Mode == ModeJoint && len(d.CoHandling) == 0 {
		return bad("dispatch.co_handling: 协办 needs at least one co-handling unit besides the lead (002 §6 (二) 1 (4))")
	}
	as := Assignment{Lead: lead, CoHandling: slices.Clone(d.CoHandling), DispatchMode: d.DispatchMode,
		Dispatched: f.now, Returned: t.Assignment.Returned, SuggestedUnit: t.Assignment.SuggestedUnit}
	if a == ActionDesignate {
		as.DesignatedBy = f.r.Actor
	}
	t.Assignment = as
	if c := &t.Deadlines.Analysis; c.Running() {
		f.meet(c, "cause analysis", c.Source)
	}
	if c := t.Deadlines.Upstream; c.Running() {
		// Dispatching keeps the item: the window for returning it upstream no longer applies.
		t.Deadlines.Upstream = Clock{}
		f.note("return-upstream window (due %s) no longer applies: the item is dispatched (%s)", fmtTime(c.Due.At), c.Source)
	}
	if !f.m.Rules.FirstContactByOffice {
		f.start(&t.Deadlines.FirstContact, deadline.FirstContact, f.now, "first contact")
	}
	f.startReply(&t.Deadlines.Reply, f.now, "reply")
	return nil
}

func (f *effect) giveBack(r Return) error {
	t := f.t
	sug := strings.TrimSpace(r.SuggestedUnit)
	switch {
	case sug == "":
		return refuse(ErrInvalidPayload, "return.suggested_unit (建议承办单位) is empty (000 §7 (二))")
	case strings.TrimSpace(r.Basis) == "":
		return refuse(ErrInvalidPayload, "return.basis (相关依据) is empty (000 §7 (一))")
	case sug == t.Assignment.Lead:
		return refuse(ErrInvalidPayload, "return.suggested_unit %q is the returning unit itself", sug)
	}
	if t.Channel == ChannelBadReview {
		if l, ok := f.m.Policy.Limit(deadline.ObjectionReturn); ok {
			// 000 §7 (二) counts from the unit's receipt, as the close as unfounded of 000 §6 (二) does.
			received := t.unitReceipt()
			w, err := f.m.Calendar.Window(f.m.Policy, l.Key, received, f.now)
			if err != nil {
				return &effectError{sentinel: ErrNotApplicable, cause: err, reason: err.Error()}
			}
			if err := w.Err(f.now); err != nil {
				return &effectError{sentinel: ErrOutsideWindow, cause: err,
					reason: fmt.Sprintf("a bad review's return closed %s, counted from the unit's receipt %s (%s)", fmtTime(w.Closes), fmtTime(received), l.Source)}
			}
		}
	}
	as := t.Assignment
	returning := as.Lead
	as.Returned = append(slices.Clone(as.Returned), as.Lead)
	as.SuggestedUnit = sug
	as.Lead, as.CoHandling, as.DispatchMode, as.DesignatedBy, as.Dispatched = "", nil, 0, "", time.Time{}
	t.Assignment = as
	t.Counters.Returns++
	t.Deadlines.Reply, t.Deadlines.Redo = Clock{}, Clock{}
	if !f.m.Rules.FirstContactByOffice {
		t.Deadlines.FirstContact = Clock{} // the next unit's first contact counts from its own receipt (000 §5)
	}
	f.note("returned by %s, suggesting %s; clocks restart at the next dispatch (000 §7 (二); 004 §7)",
		returning, sug)
	return nil
}

func (f *effect) requestExtension(x Extension) error {
	t := f.t
	if x.Days <= 0 {
		return refuse(ErrInvalidPayload, "extension.days %d must be positive", x.Days)
	}
	if strings.TrimSpace(x.Explanation) == "" {
		return refuse(ErrInvalidPayload, "extension.explanation (延期理由) is empty (004 §9)")
	}
	rc := *t.Deadlines.replying()
	if rc.Key == "" {
		return refuse(ErrNotApplicable, "the ticket has no reply clock to extend")
	}
	ext, err := f.m.Calendar.Extend(f.m.Policy, rc.Stage(), x.Days, f.now)
	if err != nil {
		var we *deadline.WindowError
		switch {
		case errors.As(err, &we):
			return &effectError{sentinel: ErrOutsideWindow, cause: err,
				reason: fmt.Sprintf("extension of %s refused: the window %s closed %s", rc.Key, we.Key, fmtTime(we.Closed))}
		case errors.Is(err, deadline.ErrExtensionTooLong):
			return &effectError{sentinel: ErrInvalidPayload, cause: err, reason: err.Error()}
		default:
			return &effectError{sentinel: ErrNotApplicable, cause: err, reason: err.Error()}
		}
	}
	if err := f.checkCap(rc.Key, x.Days, ext.Due.At); err != nil {
		return err
	}
	if ext.WrittenReport && strings.TrimSpace(x.WrittenReport) == "" {
		return refuse(ErrMissingPayload, "extension.written_report (书面报告) is required for %s (004 §9 第二款)", rc.Key)
	}
	x.Requested = f.now
	x.Approvals, x.Approved, x.Decision, x.Window = ext.Approvals, nil, "", ""
	if ext.Window != nil {
		x.Window = string(ext.Window.Key)
	}
	t.Extension = &x
	next := "the hotline office"
	if len(x.Approvals) > 0 {
		next = x.Approvals[0]
	}
	f.note("extension to %d requested; would be due %s; to be approved by %s", x.Days, fmtTime(ext.Due.At), next)
	return nil
}

// checkCap refuses an extension of reply clock k to days, due at due, that would end after the
// running reply cap: 000 第五条 “一般”类留言的办理期限，最长不超过25个工作日, counted from receipt,
// bounds every extension counted from dispatch.
func (f *effect) checkCap(k deadline.Key, days int, due time.Time) error {
	c := f.t.Deadlines.Cap
	if !c.Running() || !due.After(c.Due.At) {
		return nil
	}
	ce := &CapError{Key: k, Days: days, Extended: due, CapKey: c.Key, Cap: c.Due.At, Source: cmp.Or(c.Source, "000 §5")}
	return &effectError{sentinel: ErrInvalidPayload, cause: ce, reason: ce.reason()}
}

func (f *effect) decideExtension(a Action, ap Approval) error {
	t := f.t
	who := strings.TrimSpace(ap.Approver)
	if who == "" {
		return refuse(ErrInvalidPayload, "approval.approver is empty")
	}
	if t.Extension == nil {
		return refuse(ErrNotApplicable, "the ticket has no pending extension request")
	}
	x := *t.Extension
	x.Approved = slices.Clone(x.Approved)
	remaining := len(x.Approvals) - len(x.Approved)
	if len(x.Approvals) > 0 {
		if want := x.Approvals[len(x.Approved)]; who != want {
			return refuse(ErrNotApplicable, "the next approver is %s, not %s (approval chain %v, 004 §9)", want, who, x.Approvals)
		}
	}
	switch a {
	case ActionEscalateExtension:
		if remaining <= 1 {
			return refuse(ErrNotApplicable, "%s is the last approver: approve or refuse, not escalate", who)
		}
		x.Approved = append(x.Approved, who)
		f.note("extension approved by %s and escalated to %s (004 §9 第二款)", who, x.Approvals[len(x.Approved)])
	case ActionApproveExtension:
		if remaining > 1 {
			return refuse(ErrNotApplicable, "%s may only escalate: the extension still needs %v (004 §9 第二款)",
				who, x.Approvals[len(x.Approved)+1:])
		}
		x.Approved = append(x.Approved, who)
		x.Decision = "approved"
		rcp := t.Deadlines.replying()
		rc := *rcp
		rc.ExtendedTo = x.Days
		st, err := f.m.Calendar.Status(f.m.Policy, rc.Stage(), f.now)
		if err != nil {
			return &effectError{sentinel: ErrNotApplicable, cause: err, reason: err.Error()}
		}
		if err := f.checkCap(rc.Key, x.Days, st.Due.At); err != nil {
			return err
		}
		rc.Due = st.Due
		*rcp = rc
		t.Counters.Extensions++
		f.note("extension approved by %s: reply due %s (%s extended to %d, %s)", who, fmtTime(rc.Due.At), rc.Key, x.Days, rc.Source)
	case ActionRefuseExtension:
		x.Decision = "refused"
		f.note("extension refused by %s: reply still due %s", who, fmtTime(t.Deadlines.replying().Due.At))
	}
	t.Extension = &x
	return nil
}

func (f *effect) reply(r Reply) error {
	if err := r.validate(); err != nil {
		return err
	}
	t := f.t
	if f.m.Rules.ReviewStateCouncilReports && t.Channel.StateCouncil() && strings.TrimSpace(r.ReviewedBy) == "" {
		return refuse(ErrInvalidPayload, "reply.reviewed_by: a 国办 conclusion report must be reviewed by the unit's leader in charge (000 §4 (三))")
	}
	what := "reply"
	if t.State == StateReopened {
		what = "redo after reopening"
		if f.m.Rules.ReviewRedoReplies && strings.TrimSpace(r.ReviewedBy) == "" {
			return refuse(ErrInvalidPayload, "reply.reviewed_by: the reply to a reopened ticket is reviewed and signed by the unit's leader in charge (004 §11)")
		}
	}
	// After a reopening the redo clock is met; the first reply's clock keeps its record (004 §11).
	c := t.Deadlines.replying()
	f.meet(c, what, c.Source)
	f.meet(&t.Deadlines.Cap, "reply cap", t.Deadlines.Cap.Source)
	t.Counters.Replies++
	t.Reply = &r
	if r.Outcome.Stored() {
		f.note("stored outcome %s: may be closed as stored (004 §8 (三))", r.Outcome.Label())
	}
	return nil
}

func (f *effect) callback(tr Transition, c Callback) error {
	if tr.From == StateReplied && f.m.Policy.QualityCheck {
		return refuse(ErrNotApplicable, "policy %q checks replies first: pass the quality check before the callback (002 §6 (一) 2)", f.m.Policy.Name)
	}
	for _, l := range []struct {
		name string
		v    Satisfaction
	}{{"result", c.Result}, {"efficiency", c.Efficiency}, {"attitude", c.Attitude}} {
		if !l.v.Valid() {
			return refuse(ErrInvalidPayload, "callback.%s: unknown level %d", l.name, uint8(l.v))
		}
	}
	c.At = f.now
	f.t.Callback = &c
	if c.Dissatisfied() && f.m.Rules.SuperviseDissatisfied {
		f.supervise("dissatisfied at the callback (004 §12 (二) 4)")
	}
	return nil
}

func (f *effect) reopen() error {
	t := f.t
	if c := t.Callback; c == nil || (!c.Dissatisfied() && c.Resolved) {
		return refuse(ErrNotApplicable, "only a dissatisfied or unresolved callback is reopened (004 §11)")
	}
	t.Counters.Reopenings++
	// The redo runs on its own clock: the reply clock keeps whether the first reply was in time.
	if _, ok := f.m.Policy.Limit(deadline.Reopen); ok {
		f.start(&t.Deadlines.Redo, deadline.Reopen, f.now, "redo after reopening")
	} else {
		f.startReply(&t.Deadlines.Redo, f.now, "redo after reopening")
	}
	f.note("reopened (不满退回 #%d) to %s; its leader in charge is informed (004 §11)", t.Counters.Reopenings, t.Assignment.Lead)
	return nil
}

func (f *effect) close() error {
	t := f.t
	if t.State == StateCalledBack && t.Callback != nil && t.Callback.Dissatisfied() {
		return refuse(ErrNotApplicable, "the citizen is dissatisfied: reopen (004 §11) or close as stored (000 §4 (三))")
	}
	f.meet(&t.Deadlines.RefusalReply, "reply explaining the refusal", t.Deadlines.RefusalReply.Source)
	t.Closure = &Closure{At: f.now}
	return nil
}

func (f *effect) closeStored(c Closure) error {
	t := f.t
	if strings.TrimSpace(c.Approver) == "" {
		return refuse(ErrInvalidPayload, "closure.approver is empty: closing as stored needs approval (000 §4 (三))")
	}
	storedOutcome := t.Reply != nil && t.Reply.Outcome.Stored()
	n := f.m.Rules.StoreAfterReplies
	repeated := n > 0 && t.Counters.Replies >= n && t.Callback != nil && t.Callback.Dissatisfied()
	switch {
	case storedOutcome:
		f.note("closed as stored: outcome %s (004 §8 (三)), approved by %s", t.Reply.Outcome.Label(), c.Approver)
	case repeated:
		f.note("closed as stored after %d answers with the citizen still dissatisfied (000 §4 (三)), approved by %s",
			t.Counters.Replies, c.Approver)
	default:
		return refuse(ErrNotApplicable, "closing as stored needs a stored outcome (004 §8 (三)) or %d answers and a dissatisfied callback (000 §4 (三)); have %d answers",
			n, t.Counters.Replies)
	}
	t.Closure = &Closure{Approver: c.Approver, Stored: true, At: f.now}
	return nil
}

// srcUnfounded is the article of closing a bad review as unfounded.
const srcUnfounded = "000 §6 (二)"

// closeUnfounded closes a review ticket whose bad review an appeal review found unfounded: "承办单位自
// 收到工单之日起15个工作日内，通过12345市民服务热线按照不属实评价办结，评价结果不予采纳" (000 §6 (二)).
// The appeal-close clock counts from the unit's receipt of the ticket (its dispatch to the current
// lead unit); a close after it is recorded as late, never refused. The reply clock, if still running,
// no longer applies: the limit for rectifying a well-founded review gives way to the appeal's.
func (f *effect) closeUnfounded(ar AppealReview) error {
	t := f.t
	if t.Kind != KindReview {
		ke := &KindError{Action: ActionCloseUnfounded, Kind: t.Kind, Want: KindReview, Source: srcUnfounded}
		return &effectError{sentinel: ErrWrongKind, cause: ke, reason: ke.reason()}
	}
	switch {
	case strings.TrimSpace(ar.Review) == "":
		return refuse(ErrInvalidPayload, "appeal_review.review (the bad review found unfounded) is empty (%s)", srcUnfounded)
	case strings.TrimSpace(ar.Reviewer) == "":
		return refuse(ErrInvalidPayload, "appeal_review.reviewer (the competent department that reviewed) is empty (%s)", srcUnfounded)
	case !ar.Level.Valid():
		return refuse(ErrInvalidPayload, "appeal_review.level: unknown %d: the city's or the district's competent department reviews (%s)",
			uint8(ar.Level), srcUnfounded)
	}
	f.note("review %s found unfounded (不属实评价) on appeal review by %s (%s): closed as unfounded, 评价结果不予采纳 (%s)",
		ar.Review, ar.Reviewer, ar.Level.Label(), srcUnfounded)
	received := t.unitReceipt()
	if c, ok := f.clock(deadline.AppealClose, received); ok {
		f.note("close as unfounded due %s, counted from the unit's receipt %s (%s %s, %s)",
			fmtTime(c.Due.At), fmtTime(received), c.Key, c.Label, c.Source)
		t.Deadlines.AppealClose = c
		f.meet(&t.Deadlines.AppealClose, "close as unfounded", cmp.Or(c.Source, srcUnfounded))
	} else {
		f.note("close as unfounded: policy %q sets no %s limit, so no deadline is recorded (%s)",
			f.m.Policy.Name, deadline.AppealClose, srcUnfounded)
	}
	for _, rc := range []*Clock{&t.Deadlines.Reply, &t.Deadlines.Redo} {
		if c := *rc; c.Running() {
			*rc = Clock{}
			f.note("reply clock (%s due %s) no longer applies: the review is unfounded (%s)", c.Key, fmtTime(c.Due.At), srcUnfounded)
		}
	}
	if t.State == StateExtensionRequested && t.Extension != nil {
		f.note("the pending extension request (to %d) lapses with the close", t.Extension.Days)
	}
	t.Closure = &Closure{Unfounded: &ar, At: f.now}
	return nil
}

func (f *effect) urge() error {
	t := f.t
	var overdue, due []string
	for _, c := range t.Deadlines.all() {
		if !c.Running() {
			continue
		}
		if f.now.Before(c.Due.At) {
			due = append(due, fmt.Sprintf("%s due %s", c.Key, fmtTime(c.Due.At)))
		} else {
			overdue = append(overdue, fmt.Sprintf("%s due %s", c.Key, fmtTime(c.Due.At)))
		}
	}
	if len(overdue) == 0 && f.m.Rules.UrgeOnlyOverdue {
		running := "no clock is running"
		if len(due) > 0 {
			running = strings.Join(due, ", ")
		}
		return refuse(ErrNotApplicable, "nothing is overdue: urging is for tickets past their deadline (002 §6 (二) 1 (6)); %s",
			running)
	}
	t.Counters.Urgings++
	if len(overdue) > 0 {
		f.note("urged (催办 #%d): overdue %s", t.Counters.Urgings, strings.Join(overdue, ", "))
	}
	return nil
}

func (f *effect) markRepeat(r Repeat) error {
	t := f.t
	if err := r.Of.Validate(); err != nil {
		return refuse(ErrInvalidPayload, "repeat.of: %v", err)
	}
	if r.Of == t.Number {
		return refuse(ErrInvalidPayload, "repeat.of is the ticket itself")
	}
	t.Counters.Repeats++
	if n := f.m.Rules.SuperviseAtRepeats; n > 0 && t.Counters.Repeats == n {
		f.supervise("repeat complaint #%d (004 §12 (二) 2: %d 次及以上)", t.Counters.Repeats, n)
	}
	return nil
}

// unitReceipt is when the handling unit received the ticket (承办单位自收到工单之日, 000 §6 (二),
// §7 (二)): its dispatch to the current lead unit, or the hotline's receipt before any dispatch.
func (t *Ticket) unitReceipt() time.Time {
	if !t.Assignment.Dispatched.IsZero() {
		return t.Assignment.Dispatched
	}
	return t.Received
}

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
