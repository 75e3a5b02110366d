package loop

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hotline12345/hotline/internal/enum"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/repeat"
	"github.com/hotline12345/hotline/ticket/screen"
)

// This file joins intake screening (ticket/screen), repeat detection (ticket/repeat), the lifecycle
// and routing for one item as it arrives:
//
//  1. [FindRepeat] looks for the earlier ticket the item repeats among the caller's earlier tickets,
//     and [RecentContacts] counts the caller's contacts for the harassment test (无理纠缠);
//  2. [ScreenInput] gives screening what only these know (the repeat, whether it was answered, the
//     contacts), since screening refuses a repeat of an answered ticket (002 §5 (二));
//  3. [Stored] says whether the outcome is stored as a ticket at all;
//  4. after the accept, [PlanIntake] gives what follows on the new ticket (the refusal, archive or
//     return upstream of a screened-out item, or its dispatch) and on the original of a repeat;
//     [PlanDispatch] routes a ticket and gives its dispatch, at intake and on re-dispatch.

// DefaultContactWindow is the window in which a caller's contacts are counted for screening's
// harassment test (无理纠缠, 002 §5 (二)): the presets' category counts the contacts of one day.
const DefaultContactWindow = 24 * time.Hour

// RecentContacts returns how many of received (the instants the caller's earlier tickets were
// received) fall within window before now: after now-window and not after now.
func RecentContacts(received []time.Time, now time.Time, window time.Duration) int {
	since := now.Add(-window)
	n := 0
	for _, r := range received {
		if r.After(since) && !r.After(now) {
			n++
		}
	}
	return n
}

// Repeat is an earlier ticket an incoming item repeats (重复投诉, 004 §12 (二) 2): the match of
// package repeat, with what the lifecycle knows of the chain's original.
type Repeat struct {
	repeat.Match
	// OriginalState is the original's state when the item arrived.
	OriginalState ticket.State `json:"original_state"`
	// Answered reports whether the original has been answered (see [Answered]): screening refuses a
	// repeat of an answered ticket (002 §5 (二) 重复投诉) where its policy says so.
	Answered bool `json:"answered"`
}

// Answered reports whether t has been answered: it carries a reply and is replied, checked, called
// back or closed. A ticket handled again after a failed quality check or a reopening is not: its
// answer is being redone. A refused ticket was never accepted, so it was never answered.
func Answered(t *ticket.Ticket) bool {
	if t == nil || t.Reply == nil {
		return false
	}
	switch t.State {
	case ticket.StateReplied, ticket.StateChecked, ticket.StateCalledBack, ticket.StateClosed,
		ticket.StateClosedStored, ticket.StateClosedUnfounded:
		return true
	}
	return false
}

// FindRepeat looks for the earlier ticket that intake in repeats among earlier (the caller's
// earlier tickets, e.g. those the store finds by the caller's blind index), under repeat policy p:
// it indexes them oldest first, each joined to the chain of the original whose history counts it
// (its ActionMarkRepeat event names it), so that a chain's count is the number of repeats already
// counted; then finds in's record received at in.Received (now when unset). mac keys the caller
// (the phone, else the ID number or credit code) for the index only; nothing keyed is kept.
//
// A ticket counted by an original outside earlier joins no chain: it is an original of its own.
// The error wraps [ErrInvalidTicket] for a nil earlier ticket, or is repeat's for a MAC that would
// give every caller the same key, or an invalid policy.
func FindRepeat(p repeat.Policy, mac repeat.MAC, earlier []*ticket.Ticket, in ticket.Intake, now time.Time) (Repeat, bool, error) {
	idx, err := repeat.NewIndex(p)
	if err != nil {
		return Repeat{}, false, err
	}
	sorted := slices.Clone(earlier)
	for i, t := range sorted {
		if t == nil {
			return Repeat{}, false, &TicketError{Field: fmt.Sprintf("earlier[%d]", i), Reason: "is nil", Err: ErrInvalidTicket}
		}
	}
	slices.SortStableFunc(sorted, func(a, b *ticket.Ticket) int {
		return cmp.Or(a.Received.Compare(b.Received), cmp.Compare(a.Number.String(), b.Number.String()))
	})
	countedBy := map[string]string{} // repeat's number → the original that counted it
	byNumber := map[string]*ticket.Ticket{}
	for _, t := range sorted {
		byNumber[t.Number.String()] = t
		for _, e := range t.History {
			if e.Action == ticket.ActionMarkRepeat && e.Payload.Repeat != nil {
				countedBy[e.Payload.Repeat.Of.String()] = t.Number.String()
			}
		}
	}
	for _, t := range sorted {
		rec, err := repeat.RecordOf(t, mac)
		if err != nil {
			return Repeat{}, false, err
		}
		rec.RepeatOf = countedBy[rec.ID]
		if err := idx.Add(rec); err != nil && rec.RepeatOf != "" && errors.Is(err, repeat.ErrInvalidRecord) {
			rec.RepeatOf = "" // its original is not among earlier (or not yet indexed): a chain of its own
			err = idx.Add(rec)
		}
		if err != nil && !errors.Is(err, repeat.ErrInvalidRecord) {
			return Repeat{}, false, err
		}
	}
	received := in.Received
	if received.IsZero() {
		received = now
	}
	rec, err := repeat.RecordOf(&ticket.Ticket{Title: in.Title, Content: in.Content, Citizen: in.Citizen,
		Place: in.Place, Matter: in.Matter, Received: received}, mac)
	if err != nil {
		return Repeat{}, false, err
	}
	m, ok := idx.Find(rec, now)
	if !ok {
		return Repeat{}, false, nil
	}
	r := Repeat{Match: m}
	if o := byNumber[m.Original]; o != nil {
		r.OriginalState, r.Answered = o.State, Answered(o)
	}
	return r, true, nil
}

// ScreenInput returns what screening looks at for intake in (screen.InputOf) with what only the
// caller knows: the repeat found (its chain's original, and whether it was answered) and the
// caller's recent contacts.
func ScreenInput(in ticket.Intake, rep *Repeat, contacts int) screen.Input {
	s := screen.InputOf(in)
	s.RecentContacts = contacts
	if rep != nil {
		s.RepeatOf, s.Answered = rep.Original, rep.Answered
	}
	return s
}

// Stored reports whether an item screened with outcome o is stored as a ticket: an accepted item,
// and one refused (不予受理, its refusal replied within the refusal limit: 003 四 (四) 5; 002 §5),
// archived (按照一般意见建议类归档) or returned upstream (退回国办, within 5 working days: 000 §4 (一)) —
// each is a decision on the record, with its clock. An item with missing elements is not: the
// citizen is asked for them and the item is screened again (screen.Result.Refusal).
func Stored(o screen.Outcome) bool {
	switch o {
	case screen.Accept, screen.Refuse, screen.Archive, screen.ReturnUpstream:
		return true
	}
	return false
}

// DispatchStatus says what became of a ticket's dispatch.
type DispatchStatus string

// The dispatch statuses.
const (
	// StatusDispatched: the router decided and the plan's requests carry the decision out.
	StatusDispatched DispatchStatus = "dispatched"
	// StatusNeedsDesignation: the rules cannot pick a unit (争议); the decision's Authority (empty:
	// the hotline office) designates (000 §4 (二), §7 (二); 004 §6).
	StatusNeedsDesignation DispatchStatus = "needs_designation"
	// StatusRepeat: the item repeats an open ticket, which counts it; it is handled with that ticket,
	// not dispatched as new (004 §12 (二) 2).
	StatusRepeat DispatchStatus = "repeat"
	// StatusManual: the ticket cannot be routed (no directory stored, no matter code, a place or
	// matter the directory does not know): the hotline office dispatches it by hand.
	StatusManual DispatchStatus = "manual"
	// StatusScreenedOut: the item was refused, archived or returned upstream, not dispatched.
	StatusScreenedOut DispatchStatus = "screened_out"
)

// ErrInvalidEnum is wrapped by the error of a [DispatchStatus] that is not one of the declared values.
var ErrInvalidEnum = errors.New("loop: invalid enumeration value")

var dispatchStatuses = enum.New("loop.DispatchStatus", ErrInvalidEnum,
	enum.Value[DispatchStatus]{V: StatusDispatched, Label: "已派单"},
	enum.Value[DispatchStatus]{V: StatusNeedsDesignation, Label: "待指定"},
	enum.Value[DispatchStatus]{V: StatusRepeat, Label: "重复件并入原工单"},
	enum.Value[DispatchStatus]{V: StatusManual, Label: "待人工派单"},
	enum.Value[DispatchStatus]{V: StatusScreenedOut, Label: "不予派单"},
)

// DispatchStatuses returns every status in display order.
func DispatchStatuses() []DispatchStatus { return dispatchStatuses.All() }

// ParseDispatchStatus returns the status whose wire value or Chinese label is s.
func ParseDispatchStatus(s string) (DispatchStatus, error) { return dispatchStatuses.Parse(s) }

// String returns the wire value.
func (s DispatchStatus) String() string { return string(s) }

// Label returns the Chinese label.
func (s DispatchStatus) Label() string { return dispatchStatuses.Label(s) }

// Valid reports whether s is one of the declared statuses.
func (s DispatchStatus) Valid() bool { return dispatchStatuses.Valid(s) }

// UnmarshalText implements [encoding.TextUnmarshaler], refusing unknown values.
func (s *DispatchStatus) UnmarshalText(b []byte) error {
	v, err := dispatchStatuses.Unmarshal(b)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// DispatchPlan is how a ticket is to be dispatched: the router's decision with its trail and the
// ticket requests that carry it out, or why they are left to a person.
type DispatchPlan struct {
	Status DispatchStatus `json:"status"`
	// Reason says why the dispatch is not carried out automatically; empty when it is.
	Reason string `json:"reason,omitempty"`
	// Decision is the router's decision, when the ticket could be routed.
	Decision *routing.Decision `json:"decision,omitempty"`
	// Requests carry the decision out, in order ([DispatchRequests]); empty unless dispatched.
	Requests []ticket.Request `json:"-"`
}

// PlanDispatch routes ticket t with r under ro and returns its dispatch: the decision's requests
// when the rules pick a unit (法定、商定、托底, or 指定 when a designation is given); a decision that
// needs designation is left to its authority (000 §4 (二) 对争议事项，由热线管理办公室指定转送; 004 §6
// 上报分管领导指定); and a ticket the router cannot route — r is nil (no directory), the ticket has no
// matter or a place or matter the directory does not know — is left to the hotline office to dispatch
// by hand, the reason saying why. It never guesses a unit.
func PlanDispatch(t *ticket.Ticket, r *routing.Router, ro RouteOptions, o DispatchOptions) DispatchPlan {
	manual := func(format string, a ...any) DispatchPlan {
		return DispatchPlan{Status: StatusManual, Reason: fmt.Sprintf(format, a...)}
	}
	if r == nil {
		return manual("no directory is stored to route with: the hotline office dispatches by hand")
	}
	req, err := RoutingRequest(t, ro)
	if err != nil {
		return manual("the ticket cannot be routed: %v", err)
	}
	d, err := r.Route(req)
	if err != nil {
		return manual("the router refused the ticket: %v", err)
	}
	plan := DispatchPlan{Decision: &d}
	reqs, err := DispatchRequests(d, o)
	var de *DesignationError
	switch {
	case errors.As(err, &de):
		plan.Status, plan.Reason = StatusNeedsDesignation, de.Error()
	case err != nil:
		plan.Status, plan.Reason = StatusManual, err.Error()
	default:
		plan.Status, plan.Requests = StatusDispatched, reqs
	}
	return plan
}

// IntakePlan is what follows the accept of a screened item.
type IntakePlan struct {
	// Requests apply to the new ticket, in order: the refusal, archive or return upstream of a
	// screened-out item (screen.Result.Refusal), or the requests of its dispatch.
	Requests []ticket.Request
	// MarkRepeat, when set, applies to the repeat's original (Repeat.Original), which counts the
	// repeat and is supervised at the policy's threshold (004 §12 (二) 2).
	MarkRepeat *ticket.Request
	// Dispatch is the new ticket's dispatch.
	Dispatch DispatchPlan
}

// PlanIntake returns what follows the accept of ticket t, screened with res (rep is the repeat
// found, if any):
//
//   - a refused, archived or returned item gets its lifecycle action with the first reason's code,
//     the message the citizen is told and where to go instead (screen.Result.Refusal; 002 §5, 000 §4
//     (一), 003 四 (四) 5), and is not dispatched;
//   - an accepted repeat of an open ticket is counted by that ticket (ActionMarkRepeat: 004 §12 (二)
//     2) and handled with it, not dispatched as new; a repeat of a ticket no longer open is
//     dispatched as new;
//   - any other accepted item is routed and dispatched ([PlanDispatch]).
//
// The requests name the hotline office's role and o.Actor; the caller applies them as its own
// principal. An outcome that stores no ticket ([Stored]) is an error wrapping [ErrInvalidDecision].
func PlanIntake(t *ticket.Ticket, res screen.Result, rep *Repeat, r *routing.Router, o DispatchOptions) (IntakePlan, error) {
	if t == nil {
		return IntakePlan{}, &TicketError{Field: "ticket", Reason: "is nil", Err: ErrInvalidTicket}
	}
	if !Stored(res.Outcome) {
		return IntakePlan{}, fmt.Errorf("%w: screening outcome %q stores no ticket, so nothing follows it", ErrInvalidDecision,
			enum.Clip(string(res.Outcome)))
	}
	if a, ref, ok := res.Refusal(); ok {
		return IntakePlan{
			Requests: []ticket.Request{{Actor: o.Actor, Role: ticket.RoleHotlineOffice, Action: a, Reason: res.Explanation,
				Payload: ticket.Payload{Refusal: &ref}}},
			Dispatch: DispatchPlan{Status: StatusScreenedOut, Reason: res.Explanation},
		}, nil
	}
	if rep != nil && rep.OriginalState.Open() {
		return IntakePlan{
			MarkRepeat: &ticket.Request{Actor: o.Actor, Role: ticket.RoleHotlineOffice, Action: ticket.ActionMarkRepeat,
				Reason: rep.Why, Payload: ticket.Payload{Repeat: &ticket.Repeat{Of: t.Number}}},
			Dispatch: DispatchPlan{Status: StatusRepeat, Reason: fmt.Sprintf(
				"repeats ticket %s (%s), which counts it and handles it (004 §12 (二) 2): not dispatched as new",
				enum.Clip(rep.Original), rep.OriginalState)},
		}, nil
	}
	d := PlanDispatch(t, r, RouteOptions{}, o)
	return IntakePlan{Requests: d.Requests, Dispatch: d}, nil
}
