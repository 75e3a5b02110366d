package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/ticket"
)

type kbEntryRow struct {
	bun.BaseModel `bun:"table:kb_entries,alias:k"`
	ID            string `bun:"id,pk"`
	Num           int64  `bun:"num"`
	Version       int64  `bun:"version"`
	Keeper        string `bun:"keeper"`
	Body          []byte `bun:"body"`
	CreatedUS     int64  `bun:"created_us"`
	UpdatedUS     int64  `bun:"updated_us"`
}

type kbVersionRow struct {
	bun.BaseModel `bun:"table:kb_entry_versions"`
	EntryID       string `bun:"entry_id,pk"`
	Version       int64  `bun:"version,pk"`
	AtUS          int64  `bun:"at_us"`
	Actor         string `bun:"actor"`
	UnitID        string `bun:"unit_id"`
	Changed       string `bun:"changed"`
	Body          []byte `bun:"body"`
}

func (r kbEntryRow) entry() (knowledge.Entry, error) {
	return decodeDoc[knowledge.Entry]("kb_entries", r.ID, r.Body)
}

func (r kbEntryRow) num() int64 { return r.Num }

// kbEntryColumns are the columns an entry's new version rewrites.
var kbEntryColumns = []string{"version", "keeper", "body", "updated_us"}

// mayKeep reports whether p may write entries kept by unit keeper: administrators and the system
// any, hotline offices and handling units those of their unit and the units below it (004 第六条
// (八): the street office keeps its own).
func (s *Store) mayKeep(ctx context.Context, db bun.IDB, p Principal, keeper string) (bool, error) {
	switch p.Role {
	case RoleAdmin, RoleSystem:
		return true, nil
	case RoleHotlineOffice, RoleHandlingUnit:
		units, err := s.subtree(ctx, db, p.Unit)
		return slices.Contains(units, keeper), err
	}
	return false, nil
}

// entryChange is one entry to write: the new content and, for an update, the row it replaces.
type entryChange struct {
	e   knowledge.Entry
	old *kbEntryRow
}

// writeEntries writes changes in tx: the entries, a version each (who, when, which fields), and the
// index. New entries get numbers in order.
func (s *Store) writeEntries(ctx context.Context, tx bun.Tx, p Principal, changes []entryChange, now time.Time) ([]knowledge.Entry, error) {
	fresh := 0
	for _, c := range changes {
		if c.old == nil {
			fresh++
		}
	}
	next := int64(0)
	if fresh > 0 {
		first, err := s.nextNums(ctx, tx, fresh)
		if err != nil {
			return nil, err
		}
		next = first
	}
	w := docWrite[kbEntryRow, kbVersionRow]{columns: kbEntryColumns, duplicate: "a knowledge entry with that id exists"}
	var gone, added []doc
	out := make([]knowledge.Entry, len(changes))
	for i, c := range changes {
		e := c.e
		e.Version, e.Updated, e.UpdatedBy = 1, now, p.Actor
		changed := "created"
		row := kbEntryRow{ID: e.ID, Keeper: e.Keeper, CreatedUS: micros(now), UpdatedUS: micros(now)}
		if c.old != nil {
			prev, err := c.old.entry()
			if err != nil {
				return nil, err
			}
			e.Version = c.old.Version + 1
			changed = strings.Join(knowledge.Changed(prev, e), ",")
			row.Num, row.CreatedUS = c.old.Num, c.old.CreatedUS
			gone = append(gone, entryDoc(row.Num, prev))
		} else {
			row.Num = next
			next++
		}
		row.Version = e.Version
		body, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		row.Body = body
		if c.old != nil {
			w.changed = append(w.changed, docChange[kbEntryRow]{row: &row, id: row.ID, version: c.old.Version})
		} else {
			w.created = append(w.created, row)
		}
		w.history = append(w.history, kbVersionRow{EntryID: e.ID, Version: e.Version, AtUS: micros(now), Actor: p.Actor,
			UnitID: p.Unit, Changed: changed, Body: body})
		added = append(added, entryDoc(row.Num, e))
		out[i] = e
	}
	if err := writeDocs(ctx, tx, w); err != nil {
		return nil, err
	}
	return out, s.reindex(ctx, tx, gone, added)
}

// PutKnowledge creates a knowledge entry (version 0; an empty id is issued) or replaces entry e.ID at
// version, keeping the previous version in the history with who changed which fields when. An empty
// keeper is the entry's keeper so far, or p's unit for a new entry; p must be allowed to keep both
// the entry's previous and new keeper. A
// version that is not current is a *VersionError; an update that changes nothing stores nothing.
func (s *Store) PutKnowledge(ctx context.Context, p Principal, e knowledge.Entry, version int64, now time.Time) (knowledge.Entry, error) {
	if err := p.validate(); err != nil {
		return knowledge.Entry{}, err
	}
	if e.ID == "" {
		if version != 0 {
			return knowledge.Entry{}, fmt.Errorf("%w: a new entry has no version to match", ErrInvalid)
		}
		e.ID = newID()
	}
	e.Version, e.Updated, e.UpdatedBy = 0, time.Time{}, ""
	if err := e.Validate(); err != nil {
		return knowledge.Entry{}, err
	}
	var out knowledge.Entry
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		old, err := readDoc[kbEntryRow](ctx, s, tx, "knowledge entry", e.ID, true)
		found := err == nil
		if err != nil && (version != 0 || !errors.Is(err, ErrNotFound)) {
			return err
		}
		entry := e
		if entry.Keeper == "" {
			entry.Keeper = p.Unit
			if found {
				entry.Keeper = old.Keeper
			}
		}
		if entry.Keeper == "" {
			return &knowledge.FieldError{Entry: -1, Field: "keeper", Reason: "name the unit that keeps the entry"}
		}
		keepers := []string{entry.Keeper}
		if found {
			keepers = append(keepers, old.Keeper)
		}
		for _, k := range keepers {
			if ok, err := s.mayKeep(ctx, tx, p, k); err != nil || !ok {
				return errors.Join(err, forbidden(p, "keep knowledge entries for unit "+k))
			}
		}
		switch {
		case found && version == 0:
			return fmt.Errorf("%w: knowledge entry %s exists (send its version to replace it)", ErrDuplicate, e.ID)
		case found && old.Version != version:
			return &VersionError{ID: e.ID, Given: version, Current: old.Version}
		}
		c := entryChange{e: entry}
		if found {
			prev, err := old.entry()
			if err != nil {
				return err
			}
			if len(knowledge.Changed(prev, entry)) == 0 {
				out = prev
				return nil
			}
			c.old = &old
		}
		written, err := s.writeEntries(ctx, tx, p, []entryChange{c}, now)
		if err != nil {
			return err
		}
		out = written[0]
		action := "knowledge.create"
		if found {
			action = "knowledge.update"
		}
		return s.appendAudit(ctx, tx, now, p.Actor, action, e.ID, "role="+string(p.Role), "unit="+p.Unit,
			fmt.Sprintf("version=%d", out.Version), "keeper="+out.Keeper)
	})
	return out, err
}

// GetKnowledge returns entry id. Every principal may read the knowledge base.
func (s *Store) GetKnowledge(ctx context.Context, p Principal, id string) (knowledge.Entry, error) {
	if err := p.validate(); err != nil {
		return knowledge.Entry{}, err
	}
	row, err := readDoc[kbEntryRow](ctx, s, s.db, "knowledge entry", id, false)
	if err != nil {
		return knowledge.Entry{}, err
	}
	return row.entry()
}

// KnowledgeVersion is one version of an entry: the entry as it was, who wrote it for which unit,
// when, and which fields it changed ("created" for the first).
type KnowledgeVersion struct {
	Entry   knowledge.Entry
	Actor   string
	Unit    string
	At      time.Time
	Changed []string
}

// KnowledgeHistory returns every version of entry id, oldest first.
func (s *Store) KnowledgeHistory(ctx context.Context, p Principal, id string) ([]KnowledgeVersion, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	var rows []kbVersionRow
	if err := s.db.NewSelect().Model(&rows).Where("entry_id = ?", id).Order("version ASC").Scan(ctx); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: knowledge entry %s", ErrNotFound, id)
	}
	return decodeDocs(rows, func(r kbVersionRow) (KnowledgeVersion, error) {
		e, err := decodeDoc[knowledge.Entry]("kb_entry_versions", fmt.Sprintf("%s/%d", id, r.Version), r.Body)
		return KnowledgeVersion{Entry: e, Actor: r.Actor, Unit: r.UnitID, At: fromMicros(r.AtUS), Changed: strings.Split(r.Changed, ",")}, err
	})
}

// KnowledgeFilter selects entries for [Store.ListKnowledge]; zero fields do not filter.
type KnowledgeFilter struct {
	Keeper string
	// After is the cursor: the number of the last entry of the previous page.
	After int64
	// Limit is the page size; zero means 100, at most 1000.
	Limit int
}

// KnowledgePage is a page of entries in the order they were created; Next is the cursor of the next
// page, 0 at the end.
type KnowledgePage struct {
	Items []knowledge.Entry
	Next  int64
}

// ListKnowledge lists entries in the order they were created, a page at a time.
func (s *Store) ListKnowledge(ctx context.Context, p Principal, f KnowledgeFilter) (KnowledgePage, error) {
	if err := p.validate(); err != nil {
		return KnowledgePage{}, err
	}
	limit, err := pageSize(f.Limit, 100, 1000)
	if err != nil {
		return KnowledgePage{}, err
	}
	var rows []kbEntryRow
	q := s.db.NewSelect().Model(&rows).Where("num > ?", f.After).Order("num ASC").Limit(int64(limit + 1))
	if f.Keeper != "" {
		q = q.Where("keeper = ?", f.Keeper)
	}
	if err := q.Scan(ctx); err != nil {
		return KnowledgePage{}, err
	}
	var page KnowledgePage
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = rows[limit-1].Num
	}
	items, err := decodeDocs(rows, kbEntryRow.entry)
	if err != nil {
		return KnowledgePage{}, err
	}
	page.Items = items
	return page, nil
}

// ExportKnowledge returns every entry (of keeper, when set), in the order they were created, and
// audits the export.
func (s *Store) ExportKnowledge(ctx context.Context, p Principal, keeper string, now time.Time) ([]knowledge.Entry, error) {
	var out []knowledge.Entry
	f := KnowledgeFilter{Keeper: keeper, Limit: 1000}
	for {
		page, err := s.ListKnowledge(ctx, p, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == 0 {
			break
		}
		f.After = page.Next
	}
	if out == nil {
		out = []knowledge.Entry{}
	}
	return out, s.Audit(ctx, p, "knowledge.export", "", []string{"keeper=" + keeper, fmt.Sprintf("entries=%d", len(out))}, now)
}

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated, Unchanged int
}

// ImportKnowledge writes entries as one transaction — all of them or none: an entry whose id exists is
// replaced (a new version, when it changes anything), the others created (an empty id is issued; an
// empty keeper is p's unit). p must be allowed to keep every keeper involved.
func (s *Store) ImportKnowledge(ctx context.Context, p Principal, entries []knowledge.Entry, now time.Time) (ImportResult, error) {
	if err := p.validate(); err != nil {
		return ImportResult{}, err
	}
	if len(entries) > knowledge.MaxImportEntries {
		return ImportResult{}, fmt.Errorf("%w: %d entries, more than %d", ErrInvalid, len(entries), knowledge.MaxImportEntries)
	}
	es := slices.Clone(entries)
	seen := map[string]int{}
	for i := range es {
		e := &es[i]
		if e.Keeper == "" {
			e.Keeper = p.Unit
		}
		if e.ID == "" {
			e.ID = newID()
		}
		e.Version, e.Updated, e.UpdatedBy = 0, time.Time{}, ""
		if err := e.Validate(); err != nil {
			var fe *knowledge.FieldError
			if errors.As(err, &fe) {
				fe.Entry = i
			}
			return ImportResult{}, err
		}
		if e.Keeper == "" {
			return ImportResult{}, &knowledge.FieldError{Entry: i, Field: "keeper", Reason: "name the unit that keeps the entry"}
		}
		if j, dup := seen[e.ID]; dup {
			return ImportResult{}, &knowledge.FieldError{Entry: i, Field: "id", Reason: fmt.Sprintf("repeats entries[%d]", j)}
		}
		seen[e.ID] = i
	}
	var res ImportResult
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res = ImportResult{}
		keepers := map[string]bool{}
		for _, e := range es {
			keepers[e.Keeper] = true
		}
		existing := map[string]*kbEntryRow{}
		for i := 0; i < len(es); i += batchRows {
			ids := make([]string, 0, batchRows)
			for _, e := range es[i:min(i+batchRows, len(es))] {
				ids = append(ids, e.ID)
			}
			var rows []kbEntryRow
			if err := s.forUpdate(tx.NewSelect().Model(&rows).Where("id IN (?)", bun.In(ids))).Scan(ctx); err != nil {
				return err
			}
			for j := range rows {
				existing[rows[j].ID] = &rows[j]
				keepers[rows[j].Keeper] = true
			}
		}
		for k := range keepers {
			if ok, err := s.mayKeep(ctx, tx, p, k); err != nil || !ok {
				return errors.Join(err, forbidden(p, "keep knowledge entries for unit "+k))
			}
		}
		var changes []entryChange
		for _, e := range es {
			old := existing[e.ID]
			if old != nil {
				prev, err := old.entry()
				if err != nil {
					return err
				}
				if len(knowledge.Changed(prev, e)) == 0 {
					res.Unchanged++
					continue
				}
				res.Updated++
			} else {
				res.Created++
			}
			changes = append(changes, entryChange{e: e, old: old})
		}
		if _, err := s.writeEntries(ctx, tx, p, changes, now); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "knowledge.import", "", "role="+string(p.Role), "unit="+p.Unit,
			fmt.Sprintf("created=%d", res.Created), fmt.Sprintf("updated=%d", res.Updated), fmt.Sprintf("unchanged=%d", res.Unchanged))
	})
	return res, err
}

// SearchKnowledge returns the entries valid at now that best answer q (see package knowledge for the
// ranking: the same entries in the same order on every database).
func (s *Store) SearchKnowledge(ctx context.Context, p Principal, q knowledge.Query, now time.Time) ([]knowledge.Hit, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	found, err := searchDocs(ctx, s, kindEntry, q, now, kbEntryRow.num)
	if err != nil {
		return nil, err
	}
	return decodeDocs(found, func(h docHit[kbEntryRow]) (knowledge.Hit, error) {
		e, err := h.row.entry()
		return knowledge.Hit{Entry: e, Score: h.score}, err
	})
}

// KnowledgeSearcher returns the knowledge base as a knowledge.Searcher acting for p.
func (s *Store) KnowledgeSearcher(p Principal) knowledge.Searcher { return searcher{s: s, p: p} }

type searcher struct {
	s *Store
	p Principal
}

func (x searcher) Search(ctx context.Context, q knowledge.Query, at time.Time) ([]knowledge.Hit, error) {
	return x.s.SearchKnowledge(ctx, x.p, q, at)
}

// ErrEntryNotValid: a knowledge entry that is not valid now cannot be cited.
var ErrEntryNotValid = errors.New("store: knowledge entry not valid now")

// AnswerFromKnowledge answers ticket id at version at once (即办, 002 第六条 (二) 1 (1)) with knowledge
// entry entryID: it applies the lifecycle's answer action with the entry's answer as the reply
// summary, the answer and its source as the report, and a reason citing the entry and its version —
// through [Store.Apply], so the lifecycle's rules and the audit apply as to any answer. The entry must
// be valid now; outcome "" is ticket.OutcomeExplained.
func (s *Store) AnswerFromKnowledge(ctx context.Context, p Principal, id string, version int64, entryID string, outcome ticket.ReplyOutcome, now time.Time) (ApplyResult, knowledge.Entry, error) {
	e, err := s.GetKnowledge(ctx, p, entryID)
	if err != nil {
		return ApplyResult{}, knowledge.Entry{}, err
	}
	if !e.ValidAt(now) {
		return ApplyResult{}, knowledge.Entry{}, fmt.Errorf("%w: entry %s applies from %s until %s", ErrEntryNotValid, e.ID,
			fmtInstant(e.ValidFrom), fmtInstant(e.ValidUntil))
	}
	if outcome == "" {
		outcome = ticket.OutcomeExplained
	}
	report := e.Answer
	if src := e.Source.String(); src != "" {
		report += "\n依据：" + src
	}
	cite := fmt.Sprintf("即办：引用知识库条目 %s（第%d版）", e.ID, e.Version)
	res, err := s.Apply(ctx, p, id, version, ticket.Request{Action: ticket.ActionAnswer, Reason: cite,
		Payload: ticket.Payload{Reply: &ticket.Reply{Report: report + "\n" + cite, Summary: e.Answer, Outcome: outcome}}}, now)
	return res, e, err
}

func fmtInstant(t time.Time) string {
	if t.IsZero() {
		return "(unbounded)"
	}
	return t.Format(time.RFC3339)
}
