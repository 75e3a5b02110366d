package store

// This file holds every mapping between the appeal package and the store's rows: bad-review appeals,
// responsibility objections and reconsiderations share one pattern (a request, an event history, a
// state). When the appeal package's names change, this is the file to fix.

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/deadline"
)

// The case families.
const (
	FamilyAppeal          = "appeal"
	FamilyObjection       = "objection"
	FamilyReconsideration = "reconsideration"
)

type caseRow struct {
	bun.BaseModel `bun:"table:cases,alias:c"`
	ID            string  `bun:"id,pk"`
	Family        string  `bun:"family"`
	TicketID      *string `bun:"ticket_id"`
	UnitID        string  `bun:"unit_id"`
	State         string  `bun:"state"`
	Version       int64   `bun:"version"`
	Snapshot      []byte  `bun:"snapshot"` // the request, as JSON
	CreatedUS     int64   `bun:"created_us"`
	UpdatedUS     int64   `bun:"updated_us"`
}

type caseEventRow struct {
	bun.BaseModel `bun:"table:case_events"`
	CaseID        string `bun:"case_id,pk"`
	Seq           int    `bun:"seq,pk"`
	AtUS          int64  `bun:"at_us"`
	Actor         string `bun:"actor"`
	Action        string `bun:"action"`
	Body          []byte `bun:"body"`
}

func defaultAppealMachine() (*appeal.Machine, error) {
	return appeal.NewMachine(deadline.China(), deadline.Appeals(), appeal.Shanghai())
}

// procedure is what the store needs of an appeal, an objection or a reconsideration: the methods
// *appeal.Appeal, *appeal.Objection and *appeal.Reconsideration share.
type procedure interface {
	// Name returns "appeal", "objection" or "reconsideration".
	Name() string
	State() appeal.State
	// History returns a copy of the events so far, filing first.
	History() []appeal.Event
	Table() []appeal.Transition
	// Apply takes action a by actor by at instant now; on failure the procedure is unchanged.
	Apply(a appeal.Action, by appeal.Actor, now time.Time) ([]appeal.Effect, error)
	Final() bool
	Allowed(by appeal.Actor) []appeal.ActionKind
}

var (
	_ procedure = (*appeal.Appeal)(nil)
	_ procedure = (*appeal.Objection)(nil)
	_ procedure = (*appeal.Reconsideration)(nil)
)

// replayCase rebuilds a case of family from its stored request and history.
func replayCase(r *appeal.Machine, family string, req []byte, history []appeal.Event) (procedure, error) {
	switch family {
	case FamilyAppeal:
		var q appeal.Request
		if err := json.Unmarshal(req, &q); err != nil {
			return nil, err
		}
		return asProcedure(r.ReplayAppeal(q, history))
	case FamilyObjection:
		var q appeal.ObjectionRequest
		if err := json.Unmarshal(req, &q); err != nil {
			return nil, err
		}
		return asProcedure(r.ReplayObjection(q, history))
	case FamilyReconsideration:
		var q appeal.ReconsiderationRequest
		if err := json.Unmarshal(req, &q); err != nil {
			return nil, err
		}
		return asProcedure(r.ReplayReconsideration(q, history))
	}
	return nil, fmt.Errorf("unknown case family %q", family)
}

// asProcedure returns p as a procedure, or a nil interface (not a typed nil pointer) with err.
func asProcedure[P procedure](p P, err error) (procedure, error) {
	if err != nil {
		return nil, err
	}
	return p, nil
}

func encodeCaseEvent(id string, e appeal.Event) (caseEventRow, error) {
	body, err := json.Marshal(e)
	if err != nil {
		return caseEventRow{}, err
	}
	return caseEventRow{CaseID: id, Seq: e.Seq, AtUS: micros(e.At), Actor: e.By.String(), Action: string(e.Action.Kind), Body: body}, nil
}

func decodeCaseEvent(r caseEventRow) (appeal.Event, error) {
	var e appeal.Event
	if err := json.Unmarshal(r.Body, &e); err != nil {
		return e, &CorruptError{Table: "case_events", Key: fmt.Sprintf("%s#%d", r.CaseID, r.Seq), Err: err}
	}
	return e, nil
}

func caseState(m procedure) string { return string(m.State()) }

// fileCase runs the filing of family with request req.
func fileCase(r *appeal.Machine, family string, req any, by appeal.Actor, now time.Time) (procedure, string, error) {
	switch q := req.(type) {
	case appeal.Request:
		m, err := asProcedure(r.FileAppeal(q, by, now))
		return m, q.Ticket.ID, err
	case appeal.ObjectionRequest:
		m, err := asProcedure(r.FileObjection(q, by, now))
		return m, q.Ticket.ID, err
	case appeal.ReconsiderationRequest:
		m, err := asProcedure(r.FileReconsideration(q, by, now))
		return m, q.Ticket.ID, err
	}
	return nil, "", fmt.Errorf("%w: unknown case request %T", ErrInvalid, req)
}

// actorUnit is the unit an appeal actor acts for.
func actorUnit(by appeal.Actor) string { return by.Unit }

// actorString is how an appeal actor appears in the audit chain: role and unit, plus the person id.
func actorString(by appeal.Actor) string { return by.String() }
