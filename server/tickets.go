package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// HeaderIdempotencyKey names an intake so that a retried request stores one ticket.
const HeaderIdempotencyKey = "Idempotency-Key"

// HeaderIdempotentReplayed is "true" on the answer to a retried intake that stored nothing new.
const HeaderIdempotentReplayed = "Idempotent-Replayed"

// maxIdempotencyKey bounds an Idempotency-Key.
const maxIdempotencyKey = 255

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// TicketResponse is one ticket as the caller may see it, with its stage clocks and the actions the
// caller's role may take on it now.
type TicketResponse struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
	// Masked reports that the citizen's identity and the texts are masked: the caller does not handle
	// the ticket.
	Masked bool           `json:"masked"`
	Ticket *ticket.Ticket `json:"ticket"`
	// Clocks are the ticket's stage clocks at the answer's instant: due instant, due soon (预警),
	// overdue (超期), remaining working days (ticket.Machine.Clocks).
	Clocks []ticket.ClockStatus `json:"clocks"`
	// AllowedActions are the lifecycle actions the caller's role may take now (ticket.Machine.Allowed):
	// those of the ticket's state whose roles and guards admit it; the payload is checked when applied.
	AllowedActions []ticket.Action `json:"allowed_actions"`
}

// getTicket returns a ticket with its history, its clocks now and the actions the caller's role may
// take now; ETag is its version. A ticket outside the caller's scope is 404, as if it did not exist.
func (s *server) getTicket(c echo.Context) error {
	p := principal(c)
	rec, err := s.store.Get(c.Request().Context(), p, c.Param("id"))
	if err != nil {
		return err
	}
	view, err := s.view(p, rec, s.now())
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(rec.Version))
	return c.JSON(http.StatusOK, view)
}

// view is rec as p sees it at instant at: with its clocks and p's allowed actions then. A role that
// applies no transition (auditor, admin) may take none.
func (s *server) view(p store.Principal, rec store.Record, at time.Time) (*TicketResponse, error) {
	// A ticket recorded under another deadline policy than the store's machine has is shown without
	// clocks and allowed actions: this machine can neither time nor change it.
	m := s.store.Machine()
	clocks, err := m.Clocks(rec.Ticket, at)
	if err != nil && !errors.Is(err, ticket.ErrPolicyMismatch) {
		return nil, fmt.Errorf("%w: ticket %s: %w", store.ErrCorrupt, rec.ID, err)
	}
	var allowed []ticket.Action
	if role, ok := store.TicketRole(p.Role); ok {
		if allowed, err = m.Allowed(rec.Ticket, role, at); err != nil && !errors.Is(err, ticket.ErrPolicyMismatch) {
			return nil, fmt.Errorf("%w: ticket %s: %w", store.ErrCorrupt, rec.ID, err)
		}
	}
	if allowed == nil {
		allowed = []ticket.Action{}
	}
	if clocks == nil {
		clocks = []ticket.ClockStatus{}
	}
	return &TicketResponse{ID: rec.ID, Version: rec.Version, Masked: rec.Masked, Ticket: rec.Ticket, Clocks: clocks,
		AllowedActions: allowed}, nil
}

// Summary is a ticket's listing row: no identity.
type Summary struct {
	ID          string     `json:"id"`
	Number      string     `json:"number"`
	State       string     `json:"state"`
	Channel     string     `json:"channel"`
	Kind        string     `json:"kind"`
	RegionCode  string     `json:"region_code,omitempty"`
	LeadUnit    string     `json:"lead_unit,omitempty"`
	Title       string     `json:"title,omitempty"`
	Received    time.Time  `json:"received"`
	NextDue     *time.Time `json:"next_due,omitempty"`
	DueSoonFrom *time.Time `json:"due_soon_from,omitempty"`
	Overdue     bool       `json:"overdue"`
	DueSoon     bool       `json:"due_soon"`
	Supervised  bool       `json:"supervised"`
	Version     int64      `json:"version"`
}

// ListResponse is a page of tickets; Next is the cursor of the next page, absent at the end.
type ListResponse struct {
	Items []Summary `json:"items"`
	Next  string    `json:"next,omitempty"`
}

// maxListParams bounds the repeated query parameters of a listing.
const maxListParams = 32

// listTickets lists the tickets the caller may see, newest received first, a page at a time.
func (s *server) listTickets(c echo.Context) error {
	q := c.QueryParams()
	f := store.Filter{Unit: q.Get("unit"), Channel: q.Get("channel"), Kind: q.Get("kind"), Title: q.Get("title"),
		Cursor: q.Get("cursor")}
	states := q["state"]
	if len(states) > maxListParams {
		return &paramError{Name: "state", Reason: "at most 32 states"}
	}
	for _, st := range states {
		if _, err := ticket.ParseState(st); err != nil {
			return &paramError{Name: "state", Reason: "unknown state"}
		}
	}
	f.States = states
	if f.Channel != "" {
		if _, err := ticket.ParseChannel(f.Channel); err != nil {
			return &paramError{Name: "channel", Reason: "unknown channel"}
		}
	}
	if f.Kind != "" {
		if _, err := ticket.ParseKind(f.Kind); err != nil {
			return &paramError{Name: "kind", Reason: "unknown kind"}
		}
	}
	var err error
	if f.Overdue, err = boolParam(q, "overdue"); err != nil {
		return err
	}
	if f.DueSoon, err = boolParam(q, "due_soon"); err != nil {
		return err
	}
	if f.ReceivedFrom, err = timeParam(q, "received_from"); err != nil {
		return err
	}
	if f.ReceivedTo, err = timeParam(q, "received_to"); err != nil {
		return err
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return &paramError{Name: "limit", Reason: "an integer from 1 to 500"}
		}
		f.Limit = n
	}
	page, err := s.store.List(c.Request().Context(), principal(c), f, s.now())
	if err != nil {
		return err
	}
	out := ListResponse{Items: make([]Summary, len(page.Items)), Next: page.Next}
	for i, it := range page.Items {
		out.Items[i] = Summary{ID: it.ID, Number: it.Number, State: it.State, Channel: it.Channel, Kind: it.Kind,
			RegionCode: it.RegionCode, LeadUnit: it.LeadUnit, Title: it.Title, Received: it.Received,
			NextDue: timePtr(it.NextDue), DueSoonFrom: timePtr(it.DueSoonFrom), Overdue: it.Overdue,
			DueSoon: it.DueSoon, Supervised: it.Supervised, Version: it.Version}
	}
	return c.JSON(http.StatusOK, out)
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func boolParam(q url.Values, name string) (bool, error) {
	switch q.Get(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, &paramError{Name: name, Reason: "true or false"}
}

func timeParam(q url.Values, name string) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, &paramError{Name: name, Reason: "an RFC 3339 instant, e.g. 2026-11-30T09:00:00+08:00"}
	}
	return t, nil
}

// ActionRequest is a lifecycle action on a ticket: the actor and role are the caller's, unless the
// caller records the decision of a leader or an upper office on their behalf (OnBehalfOf).
type ActionRequest struct {
	Action  ticket.Action  `json:"action"`
	Reason  string         `json:"reason,omitempty"`
	Payload ticket.Payload `json:"payload,omitzero"`
	// OnBehalfOf names who decided when that is a role no credential carries: the leader in charge
	// who designates a unit (004 §6 上报分管领导，由分管领导指定处置单位) or approves an extension, or an
	// upper office approving an escalated one (004 §9 第二款). Only a hotline office (or the system)
	// records it; the event names them, the audit chain the recorder.
	OnBehalfOf *OnBehalf `json:"on_behalf_of,omitempty"`
}

// OnBehalf is who decided an action the caller records: a name or title, and the lifecycle role
// (leader or upper_office).
type OnBehalf struct {
	Actor string      `json:"actor"`
	Role  ticket.Role `json:"role"`
}

// ActionResponse is what an action stored: the ticket's new version and the event.
type ActionResponse struct {
	Version int64        `json:"version"`
	Event   ticket.Event `json:"event"`
}

// applyAction applies a lifecycle action (ticket.Lifecycle()) to a ticket. If-Match must carry the
// ticket's ETag: missing is 428, stale 412 with the current version.
func (s *server) applyAction(c echo.Context) error {
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var body ActionRequest
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	if body.Action == "" {
		return &paramError{Name: "action", Reason: "required", Err: ticket.ErrMissingField}
	}
	req := ticket.Request{Action: body.Action, Reason: body.Reason, Payload: body.Payload}
	var res store.ApplyResult
	if o := body.OnBehalfOf; o != nil {
		if o.Role != ticket.RoleLeader && o.Role != ticket.RoleUpperOffice {
			return &paramError{Name: "on_behalf_of.role", Reason: "leader or upper_office", Err: ticket.ErrInvalidPayload}
		}
		if strings.TrimSpace(o.Actor) == "" {
			return &paramError{Name: "on_behalf_of.actor", Reason: "required", Err: ticket.ErrMissingField}
		}
		req.Actor, req.Role = o.Actor, o.Role
		res, err = s.store.ApplyOnBehalf(c.Request().Context(), principal(c), c.Param("id"), version, req, s.now())
	} else {
		res, err = s.store.Apply(c.Request().Context(), principal(c), c.Param("id"), version, req, s.now())
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(res.Version))
	return c.JSON(http.StatusOK, ActionResponse{Version: res.Version, Event: res.Event})
}

// ticketForm prints a ticket as one of the forms of 003: "registration" (登记表, 003 附件1) or
// "handling" (承办单, 003 附件2), in plain text. A caller who does not handle the ticket gets the
// masked copy the store returns, so the form prints masked personal data.
func (s *server) ticketForm(c echo.Context) error {
	var render func(*ticket.Ticket) string
	switch c.Param("form") {
	case "registration":
		render = ticket.RegistrationForm
	case "handling":
		render = ticket.HandlingForm
	default:
		return &paramError{Name: "form", Reason: "registration or handling"}
	}
	rec, err := s.store.Get(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(rec.Version))
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(render(rec.Ticket)))
}

// DispatchRequest asks for a ticket to be routed over the stored directory and dispatched (派单 /
// 再派单): after a return, with the units whose responsibility objection was upheld (000 §7 (二)),
// or with the designation the designating authority decided (000 §4 (二), §7 (二); 004 §6).
type DispatchRequest struct {
	// Upheld lists the units whose objection was upheld: the router excludes them and follows the
	// suggested unit of their return (000 §7 (二)).
	Upheld []string `json:"upheld,omitempty"`
	// Designation is the designation decided by the authority a previous answer named; By, who
	// designated, is required: the designation is recorded on their behalf.
	Designation *routing.Designation `json:"designation,omitempty"`
	// Complexity and Mode grade the matter (the reply limit depends on them, 004 §8 (二), 002 §6 (二));
	// empty keeps the ticket's.
	Complexity ticket.Complexity   `json:"complexity,omitempty"`
	Mode       ticket.HandlingMode `json:"mode,omitempty"`
}

// DispatchResponse is what a dispatch did: the plan with the router's decision and trail, the
// events applied and the ticket's version after them (unchanged when nothing was applied).
type DispatchResponse struct {
	Version  int64             `json:"version"`
	Dispatch loop.DispatchPlan `json:"dispatch"`
	Events   []ticket.Event    `json:"events"`
}

// dispatchTicket routes a ticket with the stored router and applies the decision when the rules pick
// the unit (server/loop.PlanDispatch); a decision that needs designation, or a ticket the router
// cannot route, is answered with the plan and nothing applied. If-Match must carry the ticket's
// ETag: missing is 428, stale 412 with the current version. Only a hotline office or the system
// dispatches.
func (s *server) dispatchTicket(c echo.Context) error {
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var body DispatchRequest
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	p := principal(c)
	if p.Role != store.RoleHotlineOffice && p.Role != store.RoleSystem {
		return fmt.Errorf("%w: %s may not dispatch tickets", store.ErrForbidden, p.Role)
	}
	if d := body.Designation; d != nil {
		switch {
		case strings.TrimSpace(d.Lead) == "":
			return &paramError{Name: "designation.lead", Reason: "required", Err: ticket.ErrMissingField}
		case strings.TrimSpace(d.By) == "":
			return &paramError{Name: "designation.by", Reason: "required: who designated", Err: ticket.ErrMissingField}
		}
	}
	ctx, now, id := c.Request().Context(), s.now(), c.Param("id")
	rec, err := s.store.Get(ctx, p, id)
	if err != nil {
		return err
	}
	if rec.Version != version {
		return &store.VersionError{ID: id, Given: version, Current: rec.Version}
	}
	if body.Designation != nil {
		if _, ok := ticket.Lifecycle().Lookup(rec.Ticket.State, ticket.ActionDesignate); !ok {
			// The ticket is held by a unit: the designation of an objection's suggested unit that
			// objected in turn, if there is one (000 §7 (二)); otherwise the lifecycle refuses below.
			if err := s.designateReferred(c, p, id, version, body, now); !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
	}
	router, err := s.router(ctx, p)
	if err != nil {
		return err
	}
	o := loop.DispatchOptions{Actor: p.Actor, Complexity: body.Complexity, Mode: body.Mode}
	if body.Designation != nil {
		o.Actor = body.Designation.By
	}
	plan := loop.PlanDispatch(rec.Ticket, router, loop.RouteOptions{Upheld: body.Upheld, Designation: body.Designation}, o)
	events := []ticket.Event{}
	for i, q := range plan.Requests {
		res, err := s.applyRequest(ctx, p, id, version, q, now)
		if err != nil && i == 0 {
			return err
		}
		if err != nil { // the dispatch is stored; what follows it is left to the office
			plan.Reason = fmt.Sprintf("%s not applied, left to the hotline office: %v", q.Action, err)
			break
		}
		version = res.Version
		events = append(events, res.Event)
	}
	c.Response().Header().Set("ETag", etag(version))
	return c.JSON(http.StatusOK, DispatchResponse{Version: version, Dispatch: plan, Events: events})
}
