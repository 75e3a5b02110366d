package appeal

import (
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// ReconsiderationRequest is a citizen's request for reconsideration (复查复核, 002 第六条 (二) 3): not
// satisfied with the result, they ask for the handling to be checked again.
type ReconsiderationRequest struct {
	Ticket TicketRef `json:"ticket"`
	// CitizenID identifies the citizen; when set, only that citizen (or the hotline office on their
	// behalf) may file and withdraw.
	CitizenID string `json:"citizen_id,omitempty"`
	// RepliedAt is when the citizen was given the result: the start of the policy's reconsideration
	// windows. It is required only when the policy sets one.
	RepliedAt time.Time `json:"replied_at,omitzero"`
	// Reason is why the citizen is dissatisfied.
	Reason string `json:"reason"`
	// Reviewer is the department that reconsiders, when known; when empty, any competent department
	// may decide.
	Reviewer Reviewer `json:"reviewer,omitzero"`
}

const srcReconsideration = "002 §6 (二) 3"

// ReconsiderationTable returns the transition table of a citizen's reconsideration
// (002 第六条 (二) 3):
//
//	from          action         by                 to            rule
//	(none)        file           citizen, hotline   under_review  002 §6 (二) 3: 可以申请复查、复核
//	under_review  find_improper  competent          improper      002 §6 (二) 3: 退回承办单位重新办理
//	under_review  find_proper    competent          proper
//	under_review  withdraw       citizen, hotline   withdrawn
//	under_review  lapse          hotline            lapsed        only when the policy sets an effect window
//
// 002 sets no window for reconsideration; a district may set one in [Policy].Reconsideration.
func ReconsiderationTable(Policy) []Transition {
	return []Transition{
		{From: StateNone, Action: ActionFile, To: StateUnderReview, By: []Role{RoleCitizen, RoleHotlineOffice},
			Guard: "the citizen (or the hotline office for them); reason; filing window if the policy sets one", Source: srcReconsideration},
		{From: StateUnderReview, Action: ActionFindImproper, To: StateImproper, By: []Role{RoleCompetent},
			Guard: "the named reviewer if any; reason; effect window if the policy sets one", Source: srcReconsideration},
		{From: StateUnderReview, Action: ActionFindProper, To: StateProper, By: []Role{RoleCompetent},
			Guard: "the named reviewer if any; reason", Source: srcReconsideration},
		{From: StateUnderReview, Action: ActionWithdraw, To: StateWithdrawn, By: []Role{RoleCitizen, RoleHotlineOffice},
			Guard: "the citizen who filed (or the hotline office for them)", Source: srcReconsideration},
		{From: StateUnderReview, Action: ActionLapse, To: StateLapsed, By: []Role{RoleHotlineOffice},
			Guard: "the effect window has closed", Source: srcReconsideration},
	}
}

// Reconsideration is a citizen's reconsideration request (复查复核, 002 第六条 (二) 3) and its
// history. Create one with [Machine.FileReconsideration] or [Machine.ReplayReconsideration]; the zero
// value is not usable.
type Reconsideration struct {
	core
	m   *Machine
	req ReconsiderationRequest
}

// FileReconsideration files a citizen's reconsideration request at instant now, by the citizen or
// by the hotline office recording it for them (e.g. at the callback).
func (m *Machine) FileReconsideration(req ReconsiderationRequest, by Actor, now time.Time) (*Reconsideration, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	c := m.newReconsideration(req)
	if _, err := c.apply(Action{Kind: ActionFile}, by, now, true); err != nil {
		return nil, err
	}
	return c, nil
}

// ReplayReconsideration rebuilds a reconsideration from its request and history, like
// [Machine.ReplayAppeal].
func (m *Machine) ReplayReconsideration(req ReconsiderationRequest, history []Event) (*Reconsideration, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	c := m.newReconsideration(req)
	if err := replay(c, &c.core, history); err != nil {
		return nil, err
	}
	return c, nil
}

func (m *Machine) newReconsideration(req ReconsiderationRequest) *Reconsideration {
	return &Reconsideration{core: core{name: "reconsideration", table: ReconsiderationTable(m.policy)}, m: m, req: req}
}

// Request returns the request.
func (c *Reconsideration) Request() ReconsiderationRequest { return c.req }

// Apply takes action act by actor by at instant now and returns the effects the caller must apply:
// improper handling found returns a [ReopenTicket]; nothing else has an effect. A refused action
// leaves the reconsideration unchanged and returns a [*TransitionError] or a [*LateError].
func (c *Reconsideration) Apply(act Action, by Actor, now time.Time) ([]Effect, error) {
	return c.apply(act, by, now, true)
}

func (c *Reconsideration) apply(act Action, by Actor, now time.Time, live bool) ([]Effect, error) {
	if c.m == nil {
		return nil, c.fail(act.Kind, ErrIllegalTransition, "", "the zero Reconsideration has no machine: file or replay one with a Machine")
	}
	if act.Kind == ActionFile && c.state != StateNone {
		return nil, c.fail(act.Kind, ErrIllegalTransition, "", "the request is already filed")
	}
	t, err := c.step(act.Kind, by, now)
	if err != nil {
		return nil, err
	}
	p, q := c.m.policy, &c.req
	var effects []Effect
	switch act.Kind {
	case ActionFile:
		if err := c.checkFiling(by, now); err != nil {
			return nil, err
		}
		if live {
			if _, _, err := c.m.late(c.name, act.Kind, "reconsideration request", p.Reconsideration.Filing, q.RepliedAt, now); err != nil {
				return nil, err
			}
		}
	case ActionWithdraw:
		if err := c.checkCitizen(act.Kind, by); err != nil {
			return nil, err
		}
	case ActionFindImproper, ActionFindProper:
		if q.Reviewer.Unit != "" && by.Unit != q.Reviewer.Unit {
			return nil, c.fail(act.Kind, ErrForbiddenRole, "actor.unit", "%q is not the named reviewer %q", by.Unit, q.Reviewer.Unit)
		}
		if blank(act.Reason) {
			return nil, c.fail(act.Kind, ErrMissingField, "reason", "a reconsideration finding must give its reasons")
		}
		if act.Kind == ActionFindImproper {
			if live {
				if _, _, err := c.m.late(c.name, act.Kind, "reconsideration finding", p.Reconsideration.Effect, q.RepliedAt, now); err != nil {
					return nil, err
				}
			}
			effects = []Effect{ReopenTicket{TicketID: q.Ticket.ID, Unit: q.Ticket.UnitID, Reason: act.Reason, Source: srcReconsideration}}
		}
	case ActionLapse:
		if live {
			if err := lapsed(&c.core, c.m, act.Kind, []deadline.Key{p.Reconsideration.Effect}, q.RepliedAt, now); err != nil {
				return nil, err
			}
		}
	}
	if err := c.checkBasis(act); err != nil {
		return nil, err
	}
	c.record(t, act, by, now, effects)
	return cloneEffects(effects), nil
}

func (c *Reconsideration) checkCitizen(k ActionKind, by Actor) error {
	if by.Role == RoleCitizen && c.req.CitizenID != "" && by.Person != c.req.CitizenID {
		return c.fail(k, ErrForbiddenRole, "actor.person", "citizen %q is not the one who complained", by.Person)
	}
	return nil
}

func (c *Reconsideration) checkFiling(by Actor, now time.Time) error {
	q, k := &c.req, ActionFile
	if err := checkTicket(&c.core, k, q.Ticket, now); err != nil {
		return err
	}
	if err := c.checkCitizen(k, by); err != nil {
		return err
	}
	if blank(q.Reason) {
		return c.fail(k, ErrMissingField, "reason", "the citizen's reason for dissatisfaction is required (%s)", srcReconsideration)
	}
	p := c.m.policy
	if (p.Reconsideration.Filing != "" || p.Reconsideration.Effect != "") && q.RepliedAt.IsZero() {
		return c.fail(k, ErrMissingField, "replied_at", "policy %q counts reconsideration windows from the reply", p.Name)
	}
	if !q.RepliedAt.IsZero() && (q.RepliedAt.Before(q.Ticket.ReceivedAt) || now.Before(q.RepliedAt)) {
		return c.fail(k, ErrInvalidValue, "replied_at", "%s is not between the receipt at %s and the request at %s",
			fmtTime(q.RepliedAt), fmtTime(q.Ticket.ReceivedAt), fmtTime(now))
	}
	return checkReviewer(&c.core, p, k, q.Reviewer, q.Ticket.UnitID, false, srcReconsideration)
}
