package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// HeaderIdempotencyKey names an intake so that a retried request stores one ticket.
const HeaderIdempotencyKey = "Idempotency-Key"

// HeaderIdempotentReplayed is "true" on the answer to a retried intake that stored nothing new.
const HeaderIdempotentReplayed = "Idempotent-Replayed"

// maxIdempotencyKey bounds an Idempotency-Key.
const maxIdempotencyKey = 255

// IntakeResponse is the answer to an intake.
type IntakeResponse struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	Version int64  `json:"version"`
}

// intake accepts a ticket (受理). The body is a ticket.Intake without a number (the store issues it).
// An Idempotency-Key makes retries safe: the same key with the same body answers the stored result
// (Idempotent-Replayed: true), with another body 422 idempotency_key_reused. When the intake names
// an upstream number, the sending system is the caller's unit; the pair is unique.
func (s *server) intake(c echo.Context) error {
	key := c.Request().Header.Get(HeaderIdempotencyKey)
	if len(key) > maxIdempotencyKey || !printableASCII(key) {
		return &paramError{Name: HeaderIdempotencyKey, Reason: "at most 255 printable ASCII characters"}
	}
	var in ticket.Intake
	body, err := s.decode(c, &in)
	if err != nil {
		return err
	}
	p := principal(c)
	req := store.IntakeRequest{Key: key, Body: body, Intake: in}
	if in.Upstream != "" {
		req.SourcePlatform = p.Unit
	}
	res, err := s.store.Intake(c.Request().Context(), p, req, s.now())
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderLocation, "/v1/tickets/"+url.PathEscape(res.ID))
	h.Set("ETag", etag(res.Version))
	if res.Replayed {
		s.replays.Inc()
		h.Set(HeaderIdempotentReplayed, "true")
	}
	return c.JSON(http.StatusCreated, IntakeResponse{ID: res.ID, Number: res.Number, Version: res.Version})
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// TicketResponse is one ticket as the caller may see it.
type TicketResponse struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
	// Masked reports that the citizen's identity and the texts are masked: the caller does not handle
	// the ticket.
	Masked bool           `json:"masked"`
	Ticket *ticket.Ticket `json:"ticket"`
}

// getTicket returns a ticket with its history; ETag is its version. A ticket outside the caller's
// scope is 404, as if it did not exist.
func (s *server) getTicket(c echo.Context) error {
	rec, err := s.store.Get(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(rec.Version))
	return c.JSON(http.StatusOK, TicketResponse{ID: rec.ID, Version: rec.Version, Masked: rec.Masked, Ticket: rec.Ticket})
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

// ActionRequest is a lifecycle action on a ticket: the actor and role are the caller's.
type ActionRequest struct {
	Action  ticket.Action  `json:"action"`
	Reason  string         `json:"reason,omitempty"`
	Payload ticket.Payload `json:"payload,omitzero"`
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
	res, err := s.store.Apply(c.Request().Context(), principal(c), c.Param("id"), version,
		ticket.Request{Action: body.Action, Reason: body.Reason, Payload: body.Payload}, s.now())
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
