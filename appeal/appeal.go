package appeal

import (
	"fmt"
	"slices"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// TicketRef is what the procedures need to know of a ticket: its ID, its handling unit and when that
// unit received it. It is the package's own type, so a district need not adopt the ticket package.
type TicketRef struct {
	ID string `json:"id"`
	// UnitID is the handling unit (承办单位) the ticket was dispatched to.
	UnitID string `json:"unit_id"`
	// ReceivedAt is when the unit received the ticket (收到工单): the start of the windows of
	// 000 第六条 (二) and 第七条 (二).
	ReceivedAt time.Time `json:"received_at"`
}

// Reviewer is the competent department (政务服务主管部门) a procedure goes to.
type Reviewer struct {
	Unit  string        `json:"unit"`
	Level ReviewerLevel `json:"level"`
}

// Request is a bad-review appeal (差评申诉, 000 第六条 (一)): a claim that a bad review is an
// unfounded review, with written defence and evidence, to the unit's competent department.
type Request struct {
	Ticket TicketRef `json:"ticket"`
	// ReviewID is the bad review appealed.
	ReviewID string `json:"review_id"`
	// StaffID is the staff member the review rates, when it rates one. A staff member's own appeal
	// fills it in from the filer.
	StaffID string `json:"staff_id,omitempty"`
	Ground  Ground `json:"ground"`
	// Defence is the written defence (书面申辩).
	Defence string `json:"defence"`
	// Evidence lists references to the evidence (举证): document IDs, file digests, URLs. At least one.
	Evidence []string `json:"evidence"`
	// Reviewer is the unit's competent department, which reviews (000 第六条 (二)).
	Reviewer Reviewer `json:"reviewer"`
}

func (q Request) clone() Request {
	q.Evidence = slices.Clone(q.Evidence)
	return q
}

const (
	srcAppeal       = "000 §6 (一)"
	srcAppealReview = "000 §6 (二)"
	srcHotline      = "000 §3 (四)"
)

// AppealTable returns the transition table of a bad-review appeal under policy p (000 第六条):
//
//	from          action    by          to            rule
//	(none)        file      staff       pending_unit  000 §6 (一): staff file with their unit first
//	(none)        file      unit        under_review  000 §6 (一): the unit appeals to its competent department
//	pending_unit  endorse   unit        under_review  000 §6 (一): the unit takes it up, inside the filing window
//	pending_unit  decline   unit        declined      000 §6 (一)
//	pending_unit  withdraw  staff       withdrawn
//	pending_unit  lapse     hotline     lapsed        the filing or effect window closed
//	under_review  uphold    competent   upheld        000 §6 (二): unfounded review, inside the effect window
//	under_review  reject    competent   rejected      000 §6 (二): the review stands
//	under_review  withdraw  unit        withdrawn
//	under_review  lapse     hotline     lapsed        the effect window closed
//
// With p.StaffFilesDirectly, a staff member's filing goes straight to under_review and the
// pending_unit rows are unused.
func AppealTable(p Policy) []Transition {
	t := []Transition{
		{From: StateNone, Action: ActionFile, To: StatePendingUnit, By: []Role{RoleStaff},
			Guard: "staff of the ticket's unit; defence, evidence, ground, reviewer; filing window", Source: srcAppeal},
		{From: StateNone, Action: ActionFile, To: StateUnderReview, By: []Role{RoleHandlingUnit},
			Guard: "the ticket's unit; defence, evidence, ground, reviewer; filing window", Source: srcAppeal},
		{From: StatePendingUnit, Action: ActionEndorse, To: StateUnderReview, By: []Role{RoleHandlingUnit},
			Guard: "the ticket's unit; filing window", Source: srcAppeal},
		{From: StatePendingUnit, Action: ActionDecline, To: StateDeclined, By: []Role{RoleHandlingUnit},
			Guard: "the ticket's unit; reason", Source: srcAppeal},
		{From: StatePendingUnit, Action: ActionWithdraw, To: StateWithdrawn, By: []Role{RoleStaff},
			Guard: "the staff member who filed", Source: srcAppeal},
		{From: StatePendingUnit, Action: ActionLapse, To: StateLapsed, By: []Role{RoleHotlineOffice},
			Guard: "the filing or effect window has closed", Source: srcAppealReview},
		{From: StateUnderReview, Action: ActionUphold, To: StateUpheld, By: []Role{RoleCompetent},
			Guard: "the named reviewer; reason; effect window", Source: srcAppealReview},
		{From: StateUnderReview, Action: ActionReject, To: StateRejected, By: []Role{RoleCompetent},
			Guard: "the named reviewer; reason", Source: srcAppealReview},
		{From: StateUnderReview, Action: ActionWithdraw, To: StateWithdrawn, By: []Role{RoleHandlingUnit},
			Guard: "the ticket's unit", Source: srcAppeal},
		{From: StateUnderReview, Action: ActionLapse, To: StateLapsed, By: []Role{RoleHotlineOffice},
			Guard: "the effect window has closed", Source: srcAppealReview},
	}
	if p.StaffFilesDirectly {
		t[0].To = StateUnderReview
	}
	return t
}

// Appeal is a bad-review appeal (差评申诉复核, 000 第六条) and its history. Create one with
// [Machine.FileAppeal] or [Machine.ReplayAppeal]; the zero value is not usable.
type Appeal struct {
	core
	m   *Machine
	req Request
}

// FileAppeal files a bad-review appeal by actor by at instant now (000 第六条 (一)). A staff member
// files with their own unit first (state pending_unit) unless the policy lets staff file directly; a
// unit files with its competent department (state under_review). The request needs a ground, a
// written defence and at least one evidence reference, and a reviewer of a level the policy allows.
// A filing after the policy's filing window closed is refused with a [*LateError].
func (m *Machine) FileAppeal(req Request, by Actor, now time.Time) (*Appeal, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	a := m.newAppeal(req)
	if _, err := a.apply(Action{Kind: ActionFile}, by, now, true); err != nil {
		return nil, err
	}
	return a, nil
}

// ReplayAppeal rebuilds an appeal from its request and history (as returned by [Appeal.History],
// possibly through JSON). Each event is applied again through the table and the guards, except the
// windows: they were checked when the action was taken, and a calendar published since must not
// undo history. It returns an error wrapping [ErrHistoryMismatch] when an event is refused or leads elsewhere
// than it recorded.
func (m *Machine) ReplayAppeal(req Request, history []Event) (*Appeal, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	a := m.newAppeal(req)
	if err := replay(a, &a.core, history); err != nil {
		return nil, err
	}
	return a, nil
}

func (m *Machine) newAppeal(req Request) *Appeal {
	return &Appeal{core: core{name: "appeal", table: AppealTable(m.policy)}, m: m, req: req.clone()}
}

// Request returns a copy of the appeal's request.
func (a *Appeal) Request() Request { return a.req.clone() }

// CountsInScores reports whether the bad review still counts in scores: true while the appeal is
// pending and after it was rejected, declined, withdrawn or lapsed; false once upheld (000 第六条 (二):
// 评价结果不予采纳 — only once the reviewer finds the review unfounded, so while the appeal is pending
// the review still counts).
func (a *Appeal) CountsInScores() bool { return a.state != StateUpheld }

// Due returns the instant by which an upheld appeal's ticket must be closed as unfounded — the end of
// the policy's effect window counted from the ticket's receipt (000 第六条 (二)) — and whether the
// policy sets one.
func (a *Appeal) Due() (deadline.Deadline, bool) {
	if a.m == nil {
		return deadline.Deadline{}, false
	}
	return a.m.due(a.m.policy.Appeal.Effect, a.req.Ticket.ReceivedAt)
}

// Apply takes action act by actor by at instant now and returns the effects the caller must apply.
// An upheld appeal returns a [VoidReview] and a [CloseTicketAsUnfounded]; no other action has an
// effect. A refused action leaves the appeal unchanged and returns a [*TransitionError] or a
// [*LateError].
func (a *Appeal) Apply(act Action, by Actor, now time.Time) ([]Effect, error) {
	return a.apply(act, by, now, true)
}

func (a *Appeal) apply(act Action, by Actor, now time.Time, live bool) ([]Effect, error) {
	if a.m == nil {
		return nil, a.fail(act.Kind, ErrIllegalTransition, "", "the zero Appeal has no machine: file or replay one with a Machine")
	}
	if act.Kind == ActionFile && a.state != StateNone {
		return nil, a.fail(act.Kind, ErrIllegalTransition, "", "the appeal is already filed")
	}
	t, err := a.step(act.Kind, by, now)
	if err != nil {
		return nil, err
	}
	p, q := a.m.policy, &a.req
	var effects []Effect
	switch act.Kind {
	case ActionFile:
		if err := a.checkFiling(by, now); err != nil {
			return nil, err
		}
		if live {
			if _, _, err := a.m.late(a.name, act.Kind, "appeal filing", p.Appeal.Filing, q.Ticket.ReceivedAt, now); err != nil {
				return nil, err
			}
		}
		if by.Role == RoleStaff {
			q.StaffID = by.Person
		}
	case ActionEndorse, ActionDecline:
		if by.Unit != q.Ticket.UnitID {
			return nil, a.fail(act.Kind, ErrForbiddenRole, "actor.unit", "unit %q is not the staff member's unit %q (%s)", by.Unit, q.Ticket.UnitID, srcAppeal)
		}
		if act.Kind == ActionDecline && blank(act.Reason) {
			return nil, a.fail(act.Kind, ErrMissingField, "reason", "a unit declining to appeal must say why")
		}
		if act.Kind == ActionEndorse && live {
			if _, _, err := a.m.late(a.name, act.Kind, "appeal endorsement by the unit", p.Appeal.Filing, q.Ticket.ReceivedAt, now); err != nil {
				return nil, err
			}
		}
	case ActionWithdraw:
		if err := a.checkAppellant(act.Kind, by); err != nil {
			return nil, err
		}
	case ActionUphold, ActionReject:
		if by.Unit != q.Reviewer.Unit {
			return nil, a.fail(act.Kind, ErrForbiddenRole, "actor.unit", "competent department %q is not the appeal's reviewer %q (%s)", by.Unit, q.Reviewer.Unit, srcAppealReview)
		}
		if blank(act.Reason) {
			return nil, a.fail(act.Kind, ErrMissingField, "reason", "a review decision must give its reasons")
		}
		if act.Kind == ActionUphold {
			if live {
				if _, _, err := a.m.late(a.name, act.Kind, "upheld appeal decision", p.Appeal.Effect, q.Ticket.ReceivedAt, now); err != nil {
					return nil, err
				}
			}
			closeBy := CloseTicketAsUnfounded{TicketID: q.Ticket.ID, Unit: q.Ticket.UnitID, Source: srcAppealReview}
			if d, ok := a.Due(); ok {
				closeBy.By, closeBy.LastDay, closeBy.Provisional = d.At, d.LastDay, d.Provisional
			}
			effects = []Effect{
				VoidReview{ReviewID: q.ReviewID, TicketID: q.Ticket.ID, Ground: q.Ground, Reason: UnfoundedReview, Source: srcAppealReview},
				closeBy,
			}
		}
	case ActionLapse:
		if live {
			keys := []deadline.Key{p.Appeal.Effect}
			if a.state == StatePendingUnit {
				keys = append(keys, p.Appeal.Filing)
			}
			if err := lapsed(&a.core, a.m, act.Kind, keys, q.Ticket.ReceivedAt, now); err != nil {
				return nil, err
			}
		}
	}
	if err := a.checkBasis(act); err != nil {
		return nil, err
	}
	a.record(t, act, by, now, effects)
	return cloneEffects(effects), nil
}

// checkAppellant checks that by is the one who may withdraw in the current state: the staff member
// who filed while the appeal is with their unit, the unit once it is under review.
func (a *Appeal) checkAppellant(k ActionKind, by Actor) error {
	if by.Unit != a.req.Ticket.UnitID {
		return a.fail(k, ErrForbiddenRole, "actor.unit", "%q is not of the appellant unit %q", by.Unit, a.req.Ticket.UnitID)
	}
	if by.Role == RoleStaff && by.Person != a.req.StaffID {
		return a.fail(k, ErrForbiddenRole, "actor.person", "staff member %q did not file this appeal (%q did)", by.Person, a.req.StaffID)
	}
	return nil
}

func (a *Appeal) checkFiling(by Actor, now time.Time) error {
	q, k := &a.req, ActionFile
	if err := checkTicket(&a.core, k, q.Ticket, now); err != nil {
		return err
	}
	if by.Unit != q.Ticket.UnitID {
		return a.fail(k, ErrForbiddenRole, "actor.unit", "%q may not appeal a review of unit %q (%s)", by.Unit, q.Ticket.UnitID, srcAppeal)
	}
	if by.Role == RoleStaff {
		if blank(by.Person) {
			return a.fail(k, ErrMissingField, "actor.person", "a staff member's appeal must name the staff member")
		}
		if q.StaffID != "" && q.StaffID != by.Person {
			return a.fail(k, ErrForbiddenRole, "actor.person", "staff member %q may not appeal a review of staff member %q", by.Person, q.StaffID)
		}
	}
	switch {
	case blank(q.ReviewID):
		return a.fail(k, ErrMissingField, "review_id", "the bad review appealed must be named")
	case q.Ground == "":
		return a.fail(k, ErrMissingField, "ground", "a ground is required: untrue, mistaken or malicious (%s)", srcAppeal)
	case !q.Ground.Valid():
		return a.fail(k, ErrInvalidValue, "ground", "unknown ground %q: untrue, mistaken or malicious (%s)", q.Ground, srcAppeal)
	case blank(q.Defence):
		return a.fail(k, ErrMissingField, "defence", "a written defence (书面申辩) is required (%s)", srcAppeal)
	case len(q.Evidence) == 0:
		return a.fail(k, ErrMissingField, "evidence", "at least one evidence reference (举证) is required (%s)", srcAppeal)
	}
	for i, e := range q.Evidence {
		if blank(e) {
			return a.fail(k, ErrMissingField, fmt.Sprintf("evidence[%d]", i), "evidence reference is blank")
		}
	}
	return checkReviewer(&a.core, a.m.policy, k, q.Reviewer, q.Ticket.UnitID, true, srcAppealReview)
}

// checkTicket checks the ticket reference and that now is not before its receipt.
func checkTicket(c *core, k ActionKind, t TicketRef, now time.Time) error {
	switch {
	case blank(t.ID):
		return c.fail(k, ErrMissingField, "ticket.id", "the ticket must be named")
	case blank(t.UnitID):
		return c.fail(k, ErrMissingField, "ticket.unit_id", "the ticket's handling unit must be named")
	case t.ReceivedAt.IsZero():
		return c.fail(k, ErrMissingField, "ticket.received_at", "the instant the unit received the ticket is required: windows count from it")
	case now.Before(t.ReceivedAt):
		return c.fail(k, ErrInvalidValue, "now", "%s is before the ticket's receipt at %s", fmtTime(now), fmtTime(t.ReceivedAt))
	}
	return nil
}

// checkReviewer checks the reviewer named by a request.
func checkReviewer(c *core, p Policy, k ActionKind, r Reviewer, unit string, required bool, src string) error {
	if r == (Reviewer{}) && !required {
		return nil
	}
	switch {
	case blank(r.Unit):
		return c.fail(k, ErrMissingField, "reviewer.unit", "the competent department that reviews must be named (%s)", src)
	case r.Level == "":
		return c.fail(k, ErrMissingField, "reviewer.level", "the reviewer's level is required: %v", p.ReviewerLevels)
	case !p.AllowsLevel(r.Level):
		return c.fail(k, ErrInvalidValue, "reviewer.level", "level %q may not review under policy %q: allowed %v (%s)", r.Level, p.Name, p.ReviewerLevels, src)
	case r.Unit == unit:
		return c.fail(k, ErrInvalidValue, "reviewer.unit", "unit %q cannot review its own case", unit)
	}
	return nil
}

// lapsed checks that at least one of the windows keys (from start) has closed at now.
func lapsed(c *core, r *Machine, k ActionKind, keys []deadline.Key, start, now time.Time) error {
	set := false
	for _, key := range keys {
		if key == "" {
			continue
		}
		set = true
		w, err := r.Window(key, start, now)
		if err != nil {
			return c.fail(k, ErrInvalidValue, string(key), "%v", err)
		}
		if !w.InTime {
			return nil
		}
	}
	if !set {
		return c.fail(k, ErrIllegalTransition, "", "policy %q sets no window that bounds the %s in state %s, so it cannot lapse", r.policy.Name, c.name, c.state)
	}
	return c.fail(k, ErrIllegalTransition, "", "the window is still open at %s", fmtTime(now))
}

// replay applies history to a fresh procedure p (whose core is c) without window checks. Every event
// must carry its sequence number — 1, 2, 3… in order — and reproduce the transition it recorded; the
// first that does not is reported as a [*HistoryError] naming it. The cost is linear in the number
// of events replayed, and a history longer than any path through the table fails at the first event
// the table refuses.
func replay(p interface {
	apply(Action, Actor, time.Time, bool) ([]Effect, error)
}, c *core, history []Event) error {
	if len(history) == 0 {
		return &HistoryError{Procedure: c.name, Reason: "empty history: the first event must be the filing"}
	}
	for i, ev := range history {
		bad := func(err error, format string, a ...any) error {
			return &HistoryError{Procedure: c.name, Event: i + 1, Seq: ev.Seq, Action: ev.Action.Kind,
				Reason: fmt.Sprintf(format, a...), err: err}
		}
		if ev.Seq != i+1 {
			return bad(nil, "seq %d out of sequence: want %d (a gap, a reordering or a duplicate in the stored history)", ev.Seq, i+1)
		}
		if _, err := p.apply(ev.Action, ev.By, ev.At, false); err != nil {
			return bad(err, "refused: %v", err)
		}
		got := c.history[len(c.history)-1]
		if ev.To != StateNone && (ev.From != got.From || ev.To != got.To) {
			return bad(nil, "recorded %s → %s, replays as %s → %s",
				clip(stateName(ev.From)), clip(stateName(ev.To)), stateName(got.From), stateName(got.To))
		}
	}
	return nil
}
