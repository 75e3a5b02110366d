package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/privacy"
)

// The case library (案例库, 003 五 (四)): cases drafted from closed 办不成事 items and solved hard
// tickets, with nothing of the citizen in them, reviewed by someone other than their author, then
// published for every service centre. Drafts are read by the office, supervisors and the drafting
// unit; published cases by everyone.

type libraryCaseRow struct {
	bun.BaseModel `bun:"table:library_cases,alias:lc"`
	ID            string `bun:"id,pk"`
	Num           int64  `bun:"num"`
	TicketID      string `bun:"ticket_id"`
	State         string `bun:"state"`
	Version       int64  `bun:"version"`
	UnitID        string `bun:"unit_id"`
	Body          []byte `bun:"body"`
	CreatedUS     int64  `bun:"created_us"`
	UpdatedUS     int64  `bun:"updated_us"`
}

type libraryEventRow struct {
	bun.BaseModel `bun:"table:library_case_events"`
	CaseID        string `bun:"case_id,pk"`
	Seq           int64  `bun:"seq,pk"`
	AtUS          int64  `bun:"at_us"`
	Actor         string `bun:"actor"`
	UnitID        string `bun:"unit_id"`
	Action        string `bun:"action"`
	Body          []byte `bun:"body"`
}

func (r libraryCaseRow) libraryCase() (knowledge.Case, error) {
	return decodeDoc[knowledge.Case]("library_cases", r.ID, r.Body)
}

func (r libraryCaseRow) num() int64 { return r.Num }

// libraryCaseColumns are the columns an action on a case rewrites.
var libraryCaseColumns = []string{"state", "version", "body", "updated_us"}

// casePrivacy is the masking of the case library.
func casePrivacy() privacy.Policy { return knowledge.CasePrivacy() }

// libraryVisible reports whether p may read case row: a published case everyone; a draft, reviewed
// or withdrawn one the hotline office, supervisors, auditors and the drafting unit (or a unit above
// it).
func (s *Store) libraryVisible(ctx context.Context, db bun.IDB, p Principal, row libraryCaseRow) (bool, error) {
	switch {
	case row.State == string(knowledge.CasePublished):
		return true, nil
	case p.Role == RoleHotlineOffice, p.Role == RoleSupervisor, p.Role == RoleAuditor, p.Role == RoleSystem:
		return true, nil
	case p.Role == RoleHandlingUnit:
		units, err := s.subtree(ctx, db, p.Unit)
		return slices.Contains(units, row.UnitID), err
	}
	return false, nil
}

// DraftCase drafts a library case from ticket ticketID, which p must handle (its hotline office or a
// unit that handled it) and which must be eligible (knowledge.Eligible: a closed 办不成事 item or a
// solved hard ticket). Every text is masked with the ticket's citizen's identity; the cause found is
// left for the author (003 六 (二)). A ticket is drafted once: a second draft is ErrDuplicate.
func (s *Store) DraftCase(ctx context.Context, p Principal, ticketID string, now time.Time) (knowledge.Case, error) {
	if err := p.validate(); err != nil {
		return knowledge.Case{}, err
	}
	if p.Role != RoleHotlineOffice && p.Role != RoleHandlingUnit {
		return knowledge.Case{}, forbidden(p, "draft library cases")
	}
	if err := s.haveKeys(); err != nil {
		return knowledge.Case{}, err
	}
	var c knowledge.Case
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		l, err := s.loadVisible(ctx, tx, p, ticketID, false)
		if err != nil {
			return err
		}
		text, err := knowledge.FromTicket(l.t, casePrivacy())
		if err != nil {
			return err
		}
		num, err := s.nextNums(ctx, tx, 1)
		if err != nil {
			return err
		}
		c = knowledge.Case{CaseText: text, ID: newID(), TicketID: ticketID, Number: l.t.Number.String(), State: knowledge.CaseDraft,
			Version: 1, DraftedBy: p.Actor, Drafted: now, UpdatedBy: p.Actor, Updated: now}
		body, err := json.Marshal(c)
		if err != nil {
			return err
		}
		row := libraryCaseRow{ID: c.ID, Num: num, TicketID: ticketID, State: string(c.State), Version: 1, UnitID: p.Unit,
			Body: body, CreatedUS: micros(now), UpdatedUS: micros(now)}
		if err := writeDocs(ctx, tx, docWrite[libraryCaseRow, libraryEventRow]{
			duplicate: "ticket " + ticketID + " is in the case library already",
			created:   []libraryCaseRow{row},
			history: []libraryEventRow{{CaseID: c.ID, Seq: 1, AtUS: micros(now), Actor: p.Actor, UnitID: p.Unit,
				Action: "draft", Body: body}},
		}); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "case_library.draft", c.ID, "ticket="+ticketID, "role="+string(p.Role), "unit="+p.Unit)
	})
	return c, err
}

// ActOnCase performs action a on library case id at version (a stale one is a *VersionError):
// editing (text, masked again with the ticket's citizen's identity) by the office or the drafting
// unit; reviewing by the office or a supervisor, someone other than the author and the last editor;
// publishing and withdrawing by the office. Publishing scans the case (knowledge.Leaks) and refuses
// it while anything of the citizen is left, then adds it to the search index; withdrawing a published
// case takes it out.
func (s *Store) ActOnCase(ctx context.Context, p Principal, id string, version int64, a knowledge.CaseAction, text knowledge.CaseText, now time.Time) (knowledge.Case, error) {
	if err := p.validate(); err != nil {
		return knowledge.Case{}, err
	}
	allowed := map[knowledge.CaseAction][]Role{
		knowledge.CaseEdit:     {RoleHotlineOffice, RoleHandlingUnit},
		knowledge.CaseReview:   {RoleHotlineOffice, RoleSupervisor},
		knowledge.CasePublish:  {RoleHotlineOffice},
		knowledge.CaseWithdraw: {RoleHotlineOffice},
	}
	roles, ok := allowed[a]
	if !ok {
		return knowledge.Case{}, fmt.Errorf("%w: unknown case action %q", ErrInvalid, clipArg(string(a)))
	}
	if !slices.Contains(roles, p.Role) {
		return knowledge.Case{}, forbidden(p, string(a)+" library cases")
	}
	if err := s.haveKeys(); err != nil {
		return knowledge.Case{}, err
	}
	var c knowledge.Case
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		row, err := readDoc[libraryCaseRow](ctx, s, tx, "library case", id, true)
		if err != nil {
			return err
		}
		if ok, err := s.libraryVisible(ctx, tx, p, row); err != nil || !ok {
			return errors.Join(err, fmt.Errorf("%w: library case %s", ErrNotFound, id))
		}
		if row.Version != version {
			return &VersionError{ID: id, Given: version, Current: row.Version}
		}
		prev, err := row.libraryCase()
		if err != nil {
			return err
		}
		var citizen ticket.Person
		if a == knowledge.CaseEdit || a == knowledge.CasePublish {
			l, err := s.load(ctx, tx, row.TicketID, false)
			if err != nil {
				return err
			}
			citizen = l.t.Citizen
			text = knowledge.Scrub(text, citizen, casePrivacy())
		}
		c = prev
		if err := c.Apply(a, p.Actor, text, now); err != nil {
			return err
		}
		switch {
		case a == knowledge.CasePublish:
			if err := knowledge.Leaks(c.CaseText, citizen, casePrivacy()); err != nil {
				return err
			}
			if err := s.reindex(ctx, tx, nil, []doc{caseDoc(row.Num, c)}); err != nil {
				return err
			}
		case a == knowledge.CaseWithdraw && prev.State == knowledge.CasePublished:
			if err := s.reindex(ctx, tx, []doc{caseDoc(row.Num, prev)}, nil); err != nil {
				return err
			}
		}
		body, err := json.Marshal(c)
		if err != nil {
			return err
		}
		row.State, row.Version, row.Body, row.UpdatedUS = string(c.State), c.Version, body, micros(now)
		if err := writeDocs(ctx, tx, docWrite[libraryCaseRow, libraryEventRow]{
			columns: libraryCaseColumns,
			changed: []docChange[libraryCaseRow]{{row: &row, id: id, version: version}},
			history: []libraryEventRow{{CaseID: id, Seq: c.Version, AtUS: micros(now), Actor: p.Actor, UnitID: p.Unit,
				Action: string(a), Body: body}},
		}); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "case_library."+string(a), id, "ticket="+row.TicketID,
			fmt.Sprintf("version=%d", c.Version), "state="+string(c.State), "role="+string(p.Role), "unit="+p.Unit)
	})
	return c, err
}

// GetLibraryCase returns library case id, if p may read it.
func (s *Store) GetLibraryCase(ctx context.Context, p Principal, id string) (knowledge.Case, error) {
	if err := p.validate(); err != nil {
		return knowledge.Case{}, err
	}
	row, err := readDoc[libraryCaseRow](ctx, s, s.db, "library case", id, false)
	if err != nil {
		return knowledge.Case{}, err
	}
	if ok, err := s.libraryVisible(ctx, s.db, p, row); err != nil || !ok {
		return knowledge.Case{}, errors.Join(err, fmt.Errorf("%w: library case %s", ErrNotFound, id))
	}
	return row.libraryCase()
}

// ListLibraryCases returns the cases in state p may read, most recently changed first, at most limit
// (zero: 50; at most 500). State "" is published.
func (s *Store) ListLibraryCases(ctx context.Context, p Principal, state knowledge.CaseState, limit int) ([]knowledge.Case, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if state == "" {
		state = knowledge.CasePublished
	}
	if !state.Valid() {
		return nil, fmt.Errorf("%w: unknown case state %q", ErrInvalid, clipArg(string(state)))
	}
	limit, err := pageSize(limit, 50, 500)
	if err != nil {
		return nil, err
	}
	q := s.db.NewSelect().Model((*libraryCaseRow)(nil)).Where("state = ?", string(state))
	if state != knowledge.CasePublished {
		switch p.Role {
		case RoleHotlineOffice, RoleSupervisor, RoleAuditor, RoleSystem:
		case RoleHandlingUnit:
			units, err := s.subtree(ctx, s.db, p.Unit)
			if err != nil {
				return nil, err
			}
			q = q.Where("unit_id IN (?)", bun.In(units))
		default:
			return []knowledge.Case{}, nil
		}
	}
	var rows []libraryCaseRow
	if err := q.OrderExpr("updated_us DESC, id DESC").Limit(int64(limit)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	return decodeDocs(rows, libraryCaseRow.libraryCase)
}

// CaseHit is a published case found, with its score.
type CaseHit struct {
	Case  knowledge.Case
	Score int64
}

// SearchCases searches the published cases as [Store.SearchKnowledge] searches entries.
func (s *Store) SearchCases(ctx context.Context, p Principal, q knowledge.Query, now time.Time) ([]CaseHit, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	found, err := searchDocs(ctx, s, kindCase, q, now, libraryCaseRow.num)
	if err != nil {
		return nil, err
	}
	out := make([]CaseHit, 0, len(found))
	for _, h := range found {
		if h.row.State != string(knowledge.CasePublished) {
			continue
		}
		c, err := h.row.libraryCase()
		if err != nil {
			return nil, err
		}
		out = append(out, CaseHit{Case: c, Score: h.score})
	}
	return out, nil
}
