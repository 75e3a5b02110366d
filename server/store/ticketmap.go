package store

// This file holds every mapping between the ticket package and the store's rows. When the ticket
// package's names change, this is the file to fix.

import (
	"encoding"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/privacy"
)

// ticketRow is the projection row of a ticket: what listing and sweeps need, a snapshot of the
// ticket without its history and without the citizen's identity, and the identity sealed apart.
type ticketRow struct {
	bun.BaseModel `bun:"table:tickets,alias:t"`

	ID                string  `bun:"id,pk"`
	Number            string  `bun:"number"`
	SourcePlatform    *string `bun:"source_platform"`
	Upstream          *string `bun:"upstream"`
	State             string  `bun:"state"`
	Channel           string  `bun:"channel"`
	Kind              string  `bun:"kind"`
	Urgency           string  `bun:"urgency"`
	Complexity        string  `bun:"complexity"`
	Mode              string  `bun:"mode"`
	RegionCode        string  `bun:"region_code"`
	MatterCode        string  `bun:"matter_code"`
	LeadUnit          string  `bun:"lead_unit"`
	Title             string  `bun:"title"`
	ReceivedUS        int64   `bun:"received_us"`
	NextDueUS         *int64  `bun:"next_due_us"`
	DueSoonUS         *int64  `bun:"due_soon_us"`
	DueFirstContactUS *int64  `bun:"due_first_contact_us"`
	DueReplyUS        *int64  `bun:"due_reply_us"`
	DueRedoUS         *int64  `bun:"due_redo_us"`
	DueCapUS          *int64  `bun:"due_cap_us"`
	Overdue           int16   `bun:"overdue"`
	DueSoon           int16   `bun:"due_soon"`
	Supervised        int16   `bun:"supervised"`
	Supervisions      int     `bun:"supervisions"`
	Urgings           int     `bun:"urgings"`
	Returns           int     `bun:"returns"`
	Reopenings        int     `bun:"reopenings"`
	Repeats           int     `bun:"repeats"`
	Replies           int     `bun:"replies"`
	Extensions        int     `bun:"extensions"`
	Version           int64   `bun:"version"`
	CallerPhoneBI     []byte  `bun:"caller_phone_bi"`
	CallerIDBI        []byte  `bun:"caller_id_bi"`
	Identity          []byte  `bun:"identity"`
	Snapshot          []byte  `bun:"snapshot"`
	CreatedUS         int64   `bun:"created_us"`
	UpdatedUS         int64   `bun:"updated_us"`
	// SweepPlan is the encoded [sweepPlan] (migration 20261201000101): what the sweeper needs of the
	// ticket, so that a sweep compares instants instead of decoding the snapshot; NULL on rows written
	// before the migration, which the sweeper reads the slow way and fills in.
	SweepPlan []byte `bun:"sweep_plan"`
}

type ticketUnitRow struct {
	bun.BaseModel `bun:"table:ticket_units"`
	TicketID      string `bun:"ticket_id,pk"`
	UnitID        string `bun:"unit_id,pk"`
	Role          string `bun:"role"`
	ReceivedUS    int64  `bun:"received_us"`
}

type eventRow struct {
	bun.BaseModel `bun:"table:ticket_events"`
	TicketID      string `bun:"ticket_id,pk"`
	Seq           int    `bun:"seq,pk"`
	AtUS          int64  `bun:"at_us"`
	Actor         string `bun:"actor"`
	Role          string `bun:"role"`
	Action        string `bun:"action"`
	FromState     string `bun:"from_state"`
	ToState       string `bun:"to_state"`
	Body          []byte `bun:"body"`
}

// text is the stored form of an enumeration: its MarshalText, "" for the zero value.
func text(v encoding.TextMarshaler) string {
	b, err := v.MarshalText()
	if err != nil {
		return ""
	}
	return string(b)
}

// ticketRole maps a principal's role to the ticket lifecycle's role; ok is false for roles that
// apply no transition.
func ticketRole(r Role) (ticket.Role, bool) {
	switch r {
	case RoleHotlineOffice:
		return ticket.RoleHotlineOffice, true
	case RoleHandlingUnit:
		return ticket.RoleHandlingUnit, true
	case RoleSupervisor:
		return ticket.RoleSupervisor, true
	case RoleSystem:
		return ticket.RoleSystem, true
	}
	return "", false
}

// defaultMachine is the lifecycle under the national calendar and the street hotline's limits (004).
func defaultMachine() (*ticket.Machine, error) {
	return ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline())
}

// dayOf is the date a number's daily sequence counts in: the receipt date in Asia/Shanghai.
func dayOf(t time.Time) int {
	y, m, d := t.In(deadline.Location()).Date()
	return y*10000 + int(m)*100 + d
}

func newNumber(prefix string, received time.Time, seq int64) (ticket.Number, error) {
	return ticket.NewNumber(prefix, received, int(seq))
}

// stripped returns a copy of t without history and without the citizen's identity: the snapshot.
func stripped(t *ticket.Ticket) ticket.Ticket {
	c := *t
	c.History = nil
	c.Citizen = ticket.Person{}
	return c
}

// strippedEvent returns e without the citizen's identity an intake carries.
func strippedEvent(e ticket.Event) ticket.Event {
	if e.Payload.Intake != nil {
		in := *e.Payload.Intake
		in.Citizen = ticket.Person{}
		e.Payload.Intake = &in
	}
	return e
}

// withCitizen puts the citizen back into a loaded intake event.
func withCitizen(e ticket.Event, p ticket.Person) ticket.Event {
	if e.Payload.Intake != nil {
		in := *e.Payload.Intake
		in.Citizen = p
		e.Payload.Intake = &in
	}
	return e
}

func encodeEvent(id string, e ticket.Event) (eventRow, error) {
	body, err := json.Marshal(strippedEvent(e))
	if err != nil {
		return eventRow{}, fmt.Errorf("store: encoding event %d of %s: %w", e.Seq, id, err)
	}
	return eventRow{TicketID: id, Seq: e.Seq, AtUS: micros(e.At), Actor: e.Actor, Role: text(e.Role),
		Action: text(e.Action), FromState: text(e.From), ToState: text(e.To), Body: body}, nil
}

func decodeEvent(r eventRow) (ticket.Event, error) {
	var e ticket.Event
	if err := json.Unmarshal(r.Body, &e); err != nil {
		return e, &CorruptError{Table: "ticket_events", Key: fmt.Sprintf("%s#%d", r.TicketID, r.Seq), Err: err}
	}
	if e.Seq != r.Seq || text(e.Action) != r.Action || text(e.To) != r.ToState {
		return e, &CorruptError{Table: "ticket_events", Key: fmt.Sprintf("%s#%d", r.TicketID, r.Seq),
			Err: fmt.Errorf("columns disagree with the body")}
	}
	return e, nil
}

// project fills the projection columns of row from t at instant now.
func project(row *ticketRow, t *ticket.Ticket, m clockStatus, now time.Time) {
	row.Number = t.Number.String()
	row.State = text(t.State)
	row.Channel = text(t.Channel)
	row.Kind = text(t.Kind)
	row.Urgency = text(t.Urgency)
	row.Complexity = text(t.Complexity)
	row.Mode = text(t.Mode)
	row.RegionCode = t.Place.RegionCode
	row.MatterCode = t.Matter.Code()
	row.LeadUnit = t.Assignment.Lead
	row.Title = truncate(t.Title, 500)
	row.ReceivedUS = micros(t.Received)
	d := t.Deadlines
	due := func(c ticket.Clock) *int64 {
		if c.Key == "" {
			return nil
		}
		return nullMicros(c.Due.At)
	}
	row.DueFirstContactUS = due(d.FirstContact)
	row.DueReplyUS = due(d.Reply)
	row.DueRedoUS = due(d.Redo)
	row.DueCapUS = due(d.Cap)
	var next, soon time.Time
	overdue, dueSoon := false, false
	clocks := []ticket.Clock{d.Upstream, d.Analysis, d.RefusalReply, d.FirstContact, d.Reply, d.Redo, d.Cap, d.AppealClose}
	for _, c := range clocks {
		if c.Overdue(now) {
			overdue = true
		}
		if c.Running() && (next.IsZero() || c.Due.At.Before(next)) {
			next = c.Due.At
		}
	}
	st, err := m.Status(t, now)
	if err != nil {
		st = nil // a clock the policy cannot time: no due-soon window (as in dueSoonFrom)
	}
	row.SweepPlan = planOf(t, st).encode()
	for _, s := range st {
		if s.DueSoonFrom.IsZero() {
			continue
		}
		for _, c := range clocks {
			if c.Key == s.Key && c.Running() {
				if soon.IsZero() || s.DueSoonFrom.Before(soon) {
					soon = s.DueSoonFrom
				}
				if !now.Before(s.DueSoonFrom) && now.Before(c.Due.At) {
					dueSoon = true
				}
			}
		}
	}
	row.NextDueUS = nullMicros(next)
	row.DueSoonUS = nullMicros(soon)
	row.Overdue = boolInt(overdue)
	row.DueSoon = boolInt(dueSoon)
	row.Supervised = boolInt(t.Supervised)
	c := t.Counters
	row.Supervisions, row.Urgings, row.Returns, row.Reopenings = c.Supervisions, c.Urgings, c.Returns, c.Reopenings
	row.Repeats, row.Replies, row.Extensions = c.Repeats, c.Replies, c.Extensions
}

// unitRows lists the units handling t: the lead and the co-handling units.
func unitRows(id string, t *ticket.Ticket) []ticketUnitRow {
	var out []ticketUnitRow
	seen := map[string]bool{}
	if l := t.Assignment.Lead; l != "" {
		out = append(out, ticketUnitRow{TicketID: id, UnitID: l, Role: "lead", ReceivedUS: micros(t.Received)})
		seen[l] = true
	}
	for _, u := range t.Assignment.CoHandling {
		if u != "" && !seen[u] {
			out = append(out, ticketUnitRow{TicketID: id, UnitID: u, Role: "co", ReceivedUS: micros(t.Received)})
			seen[u] = true
		}
	}
	return out
}

// handlers returns the lead and co-handling units of t.
func handlers(t *ticket.Ticket) []string {
	out := []string{}
	if t.Assignment.Lead != "" {
		out = append(out, t.Assignment.Lead)
	}
	return append(out, t.Assignment.CoHandling...)
}

// identityOf returns the person to seal and the values of the blind indexes: the mobile number in its
// 11-digit form (or the trimmed text when it is not a mobile) and the ID or credit code upper-cased.
func identityOf(p ticket.Person) (phone, id string) {
	if p.Phone != "" {
		if m, err := ticket.ParseMobile(p.Phone); err == nil {
			phone = m
		} else {
			phone = strings.TrimSpace(p.Phone)
		}
	}
	switch {
	case p.IDNumber != "":
		id = strings.ToUpper(strings.TrimSpace(p.IDNumber))
	case p.CreditCode != "":
		id = strings.ToUpper(strings.TrimSpace(p.CreditCode))
	}
	return phone, id
}

func emptyPerson(p ticket.Person) bool { return p == ticket.Person{} }

// maskTicket is the view of t for principals who do not handle it.
func maskTicket(t *ticket.Ticket) *ticket.Ticket {
	return privacy.Shanghai().MaskTicket(t, privacy.AudienceStaff)
}

func truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// machineOf returns the store's machine.
func (s *Store) machineOf() *ticket.Machine { return s.machine.load() }
