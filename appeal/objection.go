package appeal

import (
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// ObjectionRequest is a responsibility objection (差评确责异议, 000 第七条 (一)): a unit claims a bad
// review's matter is outside its remit — not this department, system or level — states its basis
// and suggests where the ticket should go instead.
type ObjectionRequest struct {
	Ticket TicketRef `json:"ticket"`
	// ReviewID is the bad review behind the ticket, when known.
	ReviewID string `json:"review_id,omitempty"`
	Basis    Basis  `json:"basis"`
	// BasisText states the basis (相关依据): the rule or catalogue entry that puts the matter elsewhere.
	BasisText string `json:"basis_text"`
	// SuggestedUnit is the unit the ticket should go to instead (另行转送建议, 建议承办单位).
	SuggestedUnit string `json:"suggested_unit"`
	// Reviewer is the objecting unit's competent department at its level (本级政务服务主管部门).
	Reviewer Reviewer `json:"reviewer"`
}

const (
	srcObjection       = "000 §7 (一)"
	srcObjectionReview = "000 §7 (二)"
)

// ObjectionTable returns the transition table of a responsibility objection under policy p
// (000 第七条):
//
//	from          action    by          to            rule
//	(none)        file      unit        under_review  000 §7 (一): basis, basis text, suggested unit; filing window
//	under_review  uphold    competent   upheld        000 §7 (二): return naming the suggested unit, inside the effect window
//	under_review  reject    competent   rejected      000 §7 (二)
//	under_review  withdraw  unit        withdrawn
//	under_review  lapse     hotline     lapsed        the effect window closed
//	upheld        object    unit        referred      000 §7 (二): the suggested unit objects; the city office designates
//
// The last row exists only when p names a designating authority.
func ObjectionTable(p Policy) []Transition {
	t := []Transition{
		{From: StateNone, Action: ActionFile, To: StateUnderReview, By: []Role{RoleHandlingUnit},
			Guard: "the ticket's unit; basis, basis text, suggested unit, reviewer; filing window", Source: srcObjection},
		{From: StateUnderReview, Action: ActionUphold, To: StateUpheld, By: []Role{RoleCompetent},
			Guard: "the named reviewer; reason; effect window", Source: srcObjectionReview},
		{From: StateUnderReview, Action: ActionReject, To: StateRejected, By: []Role{RoleCompetent},
			Guard: "the named reviewer; reason", Source: srcObjectionReview},
		{From: StateUnderReview, Action: ActionWithdraw, To: StateWithdrawn, By: []Role{RoleHandlingUnit},
			Guard: "the ticket's unit", Source: srcObjection},
		{From: StateUnderReview, Action: ActionLapse, To: StateLapsed, By: []Role{RoleHotlineOffice},
			Guard: "the effect window has closed", Source: srcObjectionReview},
	}
	if p.Designator != "" {
		t = append(t, Transition{From: StateUpheld, Action: ActionObject, To: StateReferred, By: []Role{RoleHandlingUnit},
			Guard: "the suggested unit; basis and reason", Source: srcObjectionReview})
	}
	return t
}

// Objection is a responsibility objection (差评确责异议, 000 第七条) and its history, including the
// suggested unit's objection in turn. Create one with [Machine.FileObjection] or
// [Machine.ReplayObjection]; the zero value is not usable.
type Objection struct {
	core
	m   *Machine
	req ObjectionRequest
}

// FileObjection files a responsibility objection by the ticket's unit at instant now
// (000 第七条 (一)). A filing after the policy's filing window closed is refused with a [*LateError].
func (m *Machine) FileObjection(req ObjectionRequest, by Actor, now time.Time) (*Objection, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	o := m.newObjection(req)
	if _, err := o.apply(Action{Kind: ActionFile}, by, now, true); err != nil {
		return nil, err
	}
	return o, nil
}

// ReplayObjection rebuilds an objection from its request and history, like [Machine.ReplayAppeal].
func (m *Machine) ReplayObjection(req ObjectionRequest, history []Event) (*Objection, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	o := m.newObjection(req)
	if err := replay(o, &o.core, history); err != nil {
		return nil, err
	}
	return o, nil
}

func (m *Machine) newObjection(req ObjectionRequest) *Objection {
	return &Objection{core: core{name: "objection", table: ObjectionTable(m.policy)}, m: m, req: req}
}

// Request returns the objection's request.
func (o *Objection) Request() ObjectionRequest { return o.req }

// Due returns the instant by which an upheld objection's ticket must be returned — the end of the
// policy's effect window counted from the ticket's receipt (000 第七条 (二)) — and whether the policy
// sets one.
func (o *Objection) Due() (deadline.Deadline, bool) {
	if o.m == nil {
		return deadline.Deadline{}, false
	}
	return o.m.due(o.m.policy.Objection.Effect, o.req.Ticket.ReceivedAt)
}

// ExcludedUnits returns the units that must not be dispatched the ticket again because of this
// objection: the objecting unit once its objection is upheld (000 第七条 (二): returned for 另行转送), none otherwise.
func (o *Objection) ExcludedUnits() []string {
	if o.state == StateUpheld || o.state == StateReferred {
		return []string{o.req.Ticket.UnitID}
	}
	return nil
}

// Apply takes action act by actor by at instant now and returns the effects the caller must apply:
// an upheld objection returns a [ReturnTicket]; the suggested unit's objection returns a
// [Designate]. A refused action leaves the objection unchanged and returns a [*TransitionError] or
// a [*LateError].
func (o *Objection) Apply(act Action, by Actor, now time.Time) ([]Effect, error) {
	return o.apply(act, by, now, true)
}

func (o *Objection) apply(act Action, by Actor, now time.Time, live bool) ([]Effect, error) {
	if o.m == nil {
		return nil, o.fail(act.Kind, ErrIllegalTransition, "", "the zero Objection has no machine: file or replay one with a Machine")
	}
	if act.Kind == ActionFile && o.state != StateNone {
		return nil, o.fail(act.Kind, ErrIllegalTransition, "", "the objection is already filed")
	}
	t, err := o.step(act.Kind, by, now)
	if err != nil {
		return nil, err
	}
	p, q := o.m.policy, &o.req
	var effects []Effect
	switch act.Kind {
	case ActionFile:
		if err := o.checkFiling(by, now); err != nil {
			return nil, err
		}
		if live {
			if _, _, err := o.m.late(o.name, act.Kind, "objection filing", p.Objection.Filing, q.Ticket.ReceivedAt, now); err != nil {
				return nil, err
			}
		}
	case ActionWithdraw:
		if by.Unit != q.Ticket.UnitID {
			return nil, o.fail(act.Kind, ErrForbiddenRole, "actor.unit", "unit %q did not file this objection (%q did)", by.Unit, q.Ticket.UnitID)
		}
	case ActionUphold, ActionReject:
		if by.Unit != q.Reviewer.Unit {
			return nil, o.fail(act.Kind, ErrForbiddenRole, "actor.unit", "competent department %q is not the objection's reviewer %q (%s)", by.Unit, q.Reviewer.Unit, srcObjectionReview)
		}
		if blank(act.Reason) {
			return nil, o.fail(act.Kind, ErrMissingField, "reason", "a review decision must give its reasons")
		}
		if act.Kind == ActionUphold {
			if live {
				if _, _, err := o.m.late(o.name, act.Kind, "upheld objection decision", p.Objection.Effect, q.Ticket.ReceivedAt, now); err != nil {
					return nil, err
				}
			}
			ret := ReturnTicket{TicketID: q.Ticket.ID, ExcludeUnit: q.Ticket.UnitID, SuggestedUnit: q.SuggestedUnit,
				Basis: q.Basis, Source: srcObjectionReview}
			if d, ok := o.Due(); ok {
				ret.By, ret.LastDay, ret.Provisional = d.At, d.LastDay, d.Provisional
			}
			effects = []Effect{ret}
		}
	case ActionObject:
		if by.Unit != q.SuggestedUnit {
			return nil, o.fail(act.Kind, ErrForbiddenRole, "actor.unit", "only the suggested unit %q may object in turn, not %q (%s)", q.SuggestedUnit, by.Unit, srcObjectionReview)
		}
		switch {
		case act.Basis == "":
			return nil, o.fail(act.Kind, ErrMissingField, "basis", "the suggested unit's objection needs a basis: not_department, not_system or not_level (%s)", srcObjection)
		case !act.Basis.Valid():
			return nil, o.fail(act.Kind, ErrInvalidValue, "basis", "unknown basis %q: not_department, not_system or not_level (%s)", act.Basis, srcObjection)
		case blank(act.Reason):
			return nil, o.fail(act.Kind, ErrMissingField, "reason", "the suggested unit's objection must state its basis (%s)", srcObjection)
		}
		effects = []Effect{Designate{Authority: p.Designator, TicketID: q.Ticket.ID, ExcludeUnits: []string{q.Ticket.UnitID},
			Disputing: q.SuggestedUnit, Basis: act.Basis, Reason: act.Reason, Source: srcObjectionReview}}
	case ActionLapse:
		if live {
			if err := lapsed(&o.core, o.m, act.Kind, []deadline.Key{p.Objection.Effect}, q.Ticket.ReceivedAt, now); err != nil {
				return nil, err
			}
		}
	}
	if err := o.checkBasis(act); err != nil {
		return nil, err
	}
	o.record(t, act, by, now, effects)
	return cloneEffects(effects), nil
}

func (o *Objection) checkFiling(by Actor, now time.Time) error {
	q, k := &o.req, ActionFile
	if err := checkTicket(&o.core, k, q.Ticket, now); err != nil {
		return err
	}
	if by.Unit != q.Ticket.UnitID {
		return o.fail(k, ErrForbiddenRole, "actor.unit", "%q may not object to a ticket dispatched to unit %q (%s)", by.Unit, q.Ticket.UnitID, srcObjection)
	}
	switch {
	case q.Basis == "":
		return o.fail(k, ErrMissingField, "basis", "a basis is required: not_department, not_system or not_level (%s)", srcObjection)
	case !q.Basis.Valid():
		return o.fail(k, ErrInvalidValue, "basis", "unknown basis %q: not_department, not_system or not_level (%s)", q.Basis, srcObjection)
	case blank(q.BasisText):
		return o.fail(k, ErrMissingField, "basis_text", "the objection must state its basis (载明相关依据, %s)", srcObjection)
	case blank(q.SuggestedUnit):
		return o.fail(k, ErrMissingField, "suggested_unit", "the objection must suggest where to send the ticket (另行转送建议, %s)", srcObjection)
	case q.SuggestedUnit == q.Ticket.UnitID:
		return o.fail(k, ErrInvalidValue, "suggested_unit", "the objecting unit %q cannot suggest itself", q.SuggestedUnit)
	}
	return checkReviewer(&o.core, o.m.policy, k, q.Reviewer, q.Ticket.UnitID, true, srcObjection)
}
