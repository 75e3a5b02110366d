package loop

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/ticket"
)

// TicketRef returns what the appeal procedures need of ticket t: its number, its handling unit
// (the lead) and that unit's receipt, the ticket's own Assignment.Dispatched — the instant from
// which 000 §6 (二) (15 working days) and §7 (二) (5 working days) count, and the one the ticket's
// own appeal-close clock counts from, so the two packages agree. A ticket with no unit wraps
// [ErrNotDispatched].
func TicketRef(t *ticket.Ticket) (appeal.TicketRef, error) {
	if t == nil {
		return appeal.TicketRef{}, &TicketError{Field: "ticket", Reason: "is nil", Err: ErrInvalidTicket}
	}
	a := t.Assignment
	if a.Lead == "" || a.Dispatched.IsZero() {
		return appeal.TicketRef{}, &TicketError{Ticket: t.Number.String(), Field: "assignment",
			Reason: fmt.Sprintf("no unit holds the ticket (state %s)", t.State), Err: ErrNotDispatched}
	}
	return appeal.TicketRef{ID: t.Number.String(), UnitID: a.Lead, ReceivedAt: a.Dispatched}, nil
}

// PlanOptions is what a [Plan] needs beyond the effects.
type PlanOptions struct {
	// Office is the hotline office's actor, for the requests the office takes (reopening).
	Office string
	// Reviewer is the competent department that upheld the appeal (appeal.Request.Reviewer); a
	// close as unfounded records it (000 §6 (二)).
	Reviewer appeal.Reviewer
	// Appeal is the appeal's reference in the caller's system, recorded on the close; optional.
	Appeal string
	// Review is the bad review found unfounded, when the effects carry no VoidReview naming it.
	Review string
	// Designation is the designating authority's decision, once made, for a Designate effect.
	Designation *routing.Designation
	// BasisText is the objection's stated basis (相关依据, appeal.ObjectionRequest.BasisText),
	// recorded on the return of a ReturnTicket (000 §7 (一)); empty records the basis's label.
	BasisText string
}

// Step is one ticket request of a plan, with the effect it carries out.
type Step struct {
	Request ticket.Request
	// By is the instant before which the request must be applied (zero: no window).
	By time.Time
	// Effect is the effect's own account (appeal.Effect.Explain).
	Effect string
}

// Pending is a designation the plan is waiting for: Authority designates the handling unit, never
// one of Exclude (000 §7 (二)); Disputing is the suggested unit that objected in turn.
type Pending struct {
	Authority string
	Disputing string
	Exclude   []string
}

// Plan is what a batch of appeal effects asks of the caller's records.
type Plan struct {
	// Steps are the ticket requests, to be applied in order with ticket.Machine.Apply.
	Steps []Step
	// VoidReviews are the reviews found unfounded (不属实评价, 000 §6 (二)): set
	// assess.Review.Unfounded on them.
	VoidReviews []string
	// Exclude are the units whose objection was upheld: pass them as [RouteOptions].Upheld when
	// routing the ticket again (000 §7 (二): 另行转送).
	Exclude []string
	// Designation, when set, is a designation still to be made; plan again with
	// [PlanOptions].Designation once the authority has decided.
	Designation *Pending
}

// Requests returns the plan's ticket requests in order.
func (p Plan) Requests() []ticket.Request {
	out := make([]ticket.Request, len(p.Steps))
	for i, s := range p.Steps {
		out[i] = s.Request
	}
	return out
}

// PlanEffects turns the effects of an appeal, objection or reconsideration on ticket t into a
// [Plan]. Every effect must name t; the requests are checked in order against the lifecycle table
// from t's state (the guards are left to ticket.Machine.Apply). The effects:
//
//   - appeal.VoidReview: the review joins VoidReviews (000 §6 (二): 评价结果不予采纳);
//   - appeal.CloseTicketAsUnfounded: the unit closes the ticket as unfounded (按不属实评价办结,
//     000 §6 (二)), carrying the review (from a VoidReview of the batch or o.Review) and o.Reviewer;
//   - appeal.ReturnTicket: the objecting unit returns the ticket naming the suggested unit (退单,
//     000 §7 (二)), and joins Exclude;
//   - appeal.Designate: the excluded units join Exclude; without o.Designation the plan is Pending
//     on the authority; with it, the disputing unit (if it holds the ticket) returns it naming the
//     designated unit, and the authority designates it (000 §7 (二): 由市政府办公厅指定办理);
//   - appeal.ReopenTicket: the hotline office reopens the ticket to its unit (002 §6 (二) 3:
//     退回承办单位重新办理).
func PlanEffects(t *ticket.Ticket, effects []appeal.Effect, o PlanOptions) (Plan, error) {
	if t == nil {
		return Plan{}, &TicketError{Field: "ticket", Reason: "is nil", Err: ErrInvalidTicket}
	}
	num := t.Number.String()
	var p Plan
	state, lead := t.State, t.Assignment.Lead
	add := func(i int, name string, r ticket.Request, by time.Time, explain string) error {
		tr, ok := ticket.Lifecycle().Lookup(state, r.Action)
		if !ok {
			return &EffectError{Index: i, Effect: name, Reason: fmt.Sprintf("the ticket would be %s (%s), where the lifecycle has no %s (%s)",
				state.Label(), state, r.Action.Label(), r.Action)}
		}
		if r.Actor == "" {
			return &EffectError{Index: i, Effect: name, Reason: fmt.Sprintf("no actor for %s", r.Action)}
		}
		state = tr.To
		p.Steps = append(p.Steps, Step{Request: r, By: by, Effect: explain})
		return nil
	}
	exclude := func(units ...string) {
		for _, u := range units {
			if u != "" && !slices.Contains(p.Exclude, u) {
				p.Exclude = append(p.Exclude, u)
			}
		}
	}
	review := o.Review
	for _, e := range effects {
		if v, ok := e.(appeal.VoidReview); ok && v.TicketID == num && review == "" {
			review = v.ReviewID
		}
	}
	for i, e := range effects {
		name := fmt.Sprintf("%T", e)
		wrong := func(format string, a ...any) error {
			return &EffectError{Index: i, Effect: name, Reason: fmt.Sprintf(format, a...)}
		}
		mine := func(id string) error {
			if id != num {
				return wrong("names ticket %q, not %q", clip(id), num)
			}
			return nil
		}
		switch e := e.(type) {
		case appeal.VoidReview:
			if err := mine(e.TicketID); err != nil {
				return Plan{}, err
			}
			if e.ReviewID == "" {
				return Plan{}, wrong("names no review")
			}
			if !slices.Contains(p.VoidReviews, e.ReviewID) {
				p.VoidReviews = append(p.VoidReviews, e.ReviewID)
			}
		case appeal.CloseTicketAsUnfounded:
			if err := mine(e.TicketID); err != nil {
				return Plan{}, err
			}
			if e.Unit != lead {
				return Plan{}, wrong("unit %q does not hold the ticket (lead %q)", clip(e.Unit), clip(lead))
			}
			level := ticket.ReviewerLevel(o.Reviewer.Level)
			switch {
			case review == "":
				return Plan{}, wrong("no review: the batch has no VoidReview and PlanOptions.Review is empty")
			case o.Reviewer.Unit == "" || !level.Valid():
				return Plan{}, wrong("PlanOptions.Reviewer (the competent department that upheld the appeal, 000 §6 (二)) is missing or of unknown level %q", clip(string(o.Reviewer.Level)))
			}
			r := ticket.Request{Actor: e.Unit, Role: ticket.RoleHandlingUnit, Action: ticket.ActionCloseUnfounded,
				Reason:  "appeal upheld: " + appeal.UnfoundedReview + " (" + e.Source + ")",
				Payload: ticket.Payload{AppealReview: &ticket.AppealReview{Appeal: o.Appeal, Review: review, Reviewer: o.Reviewer.Unit, Level: level}}}
			if err := add(i, name, r, e.By, e.Explain()); err != nil {
				return Plan{}, err
			}
		case appeal.ReturnTicket:
			if err := mine(e.TicketID); err != nil {
				return Plan{}, err
			}
			if e.ExcludeUnit != lead {
				return Plan{}, wrong("objecting unit %q does not hold the ticket (lead %q)", clip(e.ExcludeUnit), clip(lead))
			}
			r := ticket.Request{Actor: e.ExcludeUnit, Role: ticket.RoleHandlingUnit, Action: ticket.ActionReturn,
				Reason:  "objection upheld (" + e.Source + ")",
				Payload: ticket.Payload{Return: &ticket.Return{SuggestedUnit: e.SuggestedUnit, Basis: cmp.Or(o.BasisText, e.Basis.Label())}}}
			if err := add(i, name, r, e.By, e.Explain()); err != nil {
				return Plan{}, err
			}
			lead = ""
			exclude(e.ExcludeUnit)
		case appeal.Designate:
			if err := mine(e.TicketID); err != nil {
				return Plan{}, err
			}
			exclude(e.ExcludeUnits...)
			des := o.Designation
			if des == nil {
				p.Designation = &Pending{Authority: e.Authority, Disputing: e.Disputing, Exclude: slices.Clone(e.ExcludeUnits)}
				continue
			}
			switch {
			case des.Lead == "":
				return Plan{}, wrong("PlanOptions.Designation names no lead unit")
			case slices.Contains(e.ExcludeUnits, des.Lead):
				return Plan{}, wrong("designated unit %q is excluded: its objection was upheld (000 §7 (二))", clip(des.Lead))
			case e.Authority == "":
				return Plan{}, wrong("names no designating authority")
			}
			if lead == des.Lead {
				continue // the authority leaves the ticket with the unit that holds it
			}
			if lead != "" {
				if lead != e.Disputing {
					return Plan{}, wrong("the ticket is held by %q, not by the disputing unit %q", clip(lead), clip(e.Disputing))
				}
				r := ticket.Request{Actor: e.Disputing, Role: ticket.RoleHandlingUnit, Action: ticket.ActionReturn,
					Reason:  "suggested unit objects in turn (" + e.Source + "): " + e.Reason,
					Payload: ticket.Payload{Return: &ticket.Return{SuggestedUnit: des.Lead, Basis: e.Basis.Label()}}}
				if err := add(i, name, r, time.Time{}, e.Explain()); err != nil {
					return Plan{}, err
				}
				lead = ""
			}
			reason := "designated by " + e.Authority
			if des.By != "" && des.By != e.Authority {
				reason += " (" + des.By + ")"
			}
			if des.Reason != "" {
				reason += ": " + des.Reason
			}
			r := ticket.Request{Actor: e.Authority, Role: ticket.RoleLeader, Action: ticket.ActionDesignate,
				Reason: reason + " (" + e.Source + ")",
				Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: des.Lead, CoHandling: slices.Clone(des.CoHandling),
					DispatchMode: ticket.DispatchDesignated}}}
			if err := add(i, name, r, time.Time{}, e.Explain()); err != nil {
				return Plan{}, err
			}
			lead = des.Lead
		case appeal.ReopenTicket:
			if err := mine(e.TicketID); err != nil {
				return Plan{}, err
			}
			if e.Unit != lead {
				return Plan{}, wrong("unit %q does not hold the ticket (lead %q)", clip(e.Unit), clip(lead))
			}
			r := ticket.Request{Actor: o.Office, Role: ticket.RoleHotlineOffice, Action: ticket.ActionReopen,
				Reason: "reconsideration found the handling improper (" + e.Source + "): " + e.Reason}
			if err := add(i, name, r, time.Time{}, e.Explain()); err != nil {
				return Plan{}, err
			}
		default:
			return Plan{}, wrong("unknown effect type")
		}
	}
	return p, nil
}
