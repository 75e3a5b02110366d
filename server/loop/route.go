package loop

import (
	"fmt"
	"slices"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/ticket"
)

// RouteOptions is what the router needs that the ticket does not record.
type RouteOptions struct {
	// Upheld lists the units whose responsibility objection was upheld (差评确责, 000 §7 (二)), e.g.
	// from appeal's Objection.ExcludedUnits or a [Plan]'s Exclude. Their returns are marked upheld,
	// so the router excludes them and counts the suggested unit's objection in turn; an upheld unit
	// that has not returned the ticket yet is excluded outright.
	Upheld []string
	// Designation, if set, is a designation decided outside the ticket (by the authority a
	// [DesignationError] named); it takes precedence over a designation recorded on the ticket.
	Designation *routing.Designation
}

// RoutingRequest returns the routing request for ticket t:
//
//   - Kind is the ticket's kind: the two packages share the wire values (CONTRIBUTING "Naming"),
//     and a kind routing does not know is refused rather than routed as "any kind";
//   - Place is the ticket's region code;
//   - Matters holds the ticket's most specific matter code. The router's matter fallback walks its
//     parents itself (MatterCode.Parent), so the ticket's levels must be exactly that chain, most
//     general first; a level that is not the parent of the next is refused. (Each entry of
//     Matters is a separate demand to the router — several make a joint case — so the levels are
//     not listed one by one.)
//   - Returns is the ticket's return history, oldest first: the unit that returned (the lead at
//     the time), its suggested unit and basis, and whether its objection was upheld (o.Upheld):
//     the router excludes upheld units (000 §7 (二)) and counts bounces (004 §12 (二) 1);
//   - Exclude holds the upheld units that have not returned the ticket;
//   - Designation is o.Designation, or, when the ticket's current assignment was designated (指定,
//     004 §6; 000 §4 (二) 指定谁、谁办理), that designation.
func RoutingRequest(t *ticket.Ticket, o RouteOptions) (routing.Request, error) {
	if t == nil {
		return routing.Request{}, &TicketError{Field: "ticket", Reason: "is nil", Err: ErrInvalidTicket}
	}
	num := t.Number.String()
	bad := func(field, format string, a ...any) error {
		return &TicketError{Ticket: num, Field: field, Reason: fmt.Sprintf(format, a...), Err: ErrInvalidTicket}
	}
	kind := routing.Kind(t.Kind)
	if !kind.Valid() {
		return routing.Request{}, bad("kind", "%q is not a routing kind (%v)", clip(string(t.Kind)), routing.Kinds())
	}
	levels := t.Matter.Levels
	if len(levels) == 0 {
		return routing.Request{}, bad("matter", "is empty: the router needs a matter code")
	}
	for i := 1; i < len(levels); i++ {
		if p := routing.MatterCode(levels[i].Code).Parent(); string(p) != levels[i-1].Code {
			return routing.Request{}, bad(fmt.Sprintf("matter.levels[%d]", i),
				"code %q is not a child of level %d's code %q: the router's matter fallback walks the code's parents",
				clip(levels[i].Code), i-1, clip(levels[i-1].Code))
		}
	}
	req := routing.Request{
		Place:   routing.RegionCode(t.Place.RegionCode),
		Matters: []routing.MatterCode{routing.MatterCode(t.Matter.Code())},
		Kind:    kind,
	}
	returns, err := ticketReturns(t)
	if err != nil {
		return routing.Request{}, err
	}
	for _, r := range returns {
		r.Upheld = slices.Contains(o.Upheld, r.Unit)
		req.Returns = append(req.Returns, r)
	}
	for _, u := range o.Upheld {
		if u != "" && !slices.ContainsFunc(req.Returns, func(r routing.Return) bool { return r.Unit == u }) && !slices.Contains(req.Exclude, u) {
			req.Exclude = append(req.Exclude, u)
		}
	}
	switch a := t.Assignment; {
	case o.Designation != nil:
		d := *o.Designation
		d.CoHandling = slices.Clone(d.CoHandling)
		req.Designation = &d
	case a.DispatchMode == ticket.DispatchDesignated && a.Lead != "":
		req.Designation = &routing.Designation{Lead: a.Lead, CoHandling: slices.Clone(a.CoHandling), By: a.DesignatedBy}
	}
	return req, nil
}

// ticketReturns reads the ticket's returns from its history: each return event's unit is the lead
// the ticket had when it was returned, which Assignment.Returned records in the same order.
func ticketReturns(t *ticket.Ticket) ([]routing.Return, error) {
	var out []routing.Return
	for _, e := range t.History {
		if e.Action != ticket.ActionReturn {
			continue
		}
		i := len(out)
		if i >= len(t.Assignment.Returned) {
			return nil, &TicketError{Ticket: t.Number.String(), Field: "assignment.returned",
				Reason: fmt.Sprintf("lists %d units but the history has more returns", len(t.Assignment.Returned)), Err: ErrInvalidTicket}
		}
		r := routing.Return{Unit: t.Assignment.Returned[i]}
		if p := e.Payload.Return; p != nil {
			r.SuggestedUnit, r.Reason = p.SuggestedUnit, p.Basis
		}
		out = append(out, r)
	}
	if len(out) != len(t.Assignment.Returned) {
		return nil, &TicketError{Ticket: t.Number.String(), Field: "assignment.returned",
			Reason: fmt.Sprintf("lists %d units but the history has %d returns", len(t.Assignment.Returned), len(out)), Err: ErrInvalidTicket}
	}
	return out, nil
}

// DispatchOptions is what the dispatch carries that the routing decision does not decide.
type DispatchOptions struct {
	// Actor is who dispatches: the hotline office's operator, or for a designated decision the one
	// who designated (the decision's trail names them; the ticket records the actor as
	// Assignment.DesignatedBy).
	Actor string
	// Complexity grades the matter (the reply limit depends on it, 004 §8 (二)); zero keeps the
	// ticket's.
	Complexity ticket.Complexity
	// Mode is the handling mode (002 §6 (二)); zero keeps the ticket's.
	Mode ticket.HandlingMode
}

// DispatchRequests returns the ticket requests that carry out routing decision d, in order:
//
//   - a statutory, negotiated or fallback decision is a dispatch (派单) by the hotline office;
//     a designated one is a designation (指定) by a leader (004 §6: 由分管领导指定处置单位), the
//     ticket's only role for it;
//   - when the router found buck-passing (d.Supervise), a supervision by the hotline office with
//     the trigger 工单派发出现推诿 (004 §12 (二) 1) follows.
//
// A decision that needs designation is a [*DesignationError] naming the authority and the
// candidates; a decision with an unknown mode or no lead wraps [ErrInvalidDecision].
func DispatchRequests(d routing.Decision, o DispatchOptions) ([]ticket.Request, error) {
	if d.NeedsDesignation {
		return nil, &DesignationError{Authority: d.Authority, Candidates: slices.Clone(d.Candidates)}
	}
	mode, err := DispatchMode(d.Mode)
	if err != nil {
		return nil, err
	}
	if d.Lead == "" {
		return nil, fmt.Errorf("%w: a %s decision names no lead unit", ErrInvalidDecision, d.Mode)
	}
	req := ticket.Request{Actor: o.Actor, Role: ticket.RoleHotlineOffice, Action: ticket.ActionDispatch,
		Reason:  reason(d),
		Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: d.Lead, CoHandling: slices.Clone(d.CoHandling), DispatchMode: mode, Mode: o.Mode, Complexity: o.Complexity}}}
	if mode == ticket.DispatchDesignated {
		req.Role, req.Action = ticket.RoleLeader, ticket.ActionDesignate
	}
	out := []ticket.Request{req}
	if d.Supervise {
		out = append(out, ticket.Request{Actor: o.Actor, Role: ticket.RoleHotlineOffice, Action: ticket.ActionSupervise,
			Reason:  "buck-passing between units on dispatch (004 §12 (二) 1)",
			Payload: ticket.Payload{Supervision: &ticket.Supervision{Trigger: ticket.TriggerShirking}}})
	}
	return out, nil
}

// reason is the last step of the decision's trail: the rule that decided, with its article.
func reason(d routing.Decision) string {
	if len(d.Trail) == 0 {
		return ""
	}
	s := d.Trail[len(d.Trail)-1]
	if s.Article == "" {
		return "routing: " + string(s.Rule)
	}
	return "routing: " + string(s.Rule) + " (" + s.Article + ")"
}

// DispatchMode converts the router's dispatch mode to the ticket's: the two share the wire values
// (法定 statutory, 商定 negotiated, 指定 designated, 托底 fallback; 004 §6, 000 §4 (二)). The empty mode
// of a decision that needs designation, and any unknown value, wrap [ErrInvalidDecision].
func DispatchMode(m routing.DispatchMode) (ticket.DispatchMode, error) {
	tm := ticket.DispatchMode(m)
	if !m.Valid() || !tm.Valid() {
		return "", fmt.Errorf("%w: dispatch mode %q is not one of %v (a decision that needs designation has none)",
			ErrInvalidDecision, clip(string(m)), ticket.DispatchModes())
	}
	return tm, nil
}
