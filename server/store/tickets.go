package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emmansun/gmsm/sm3"
	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/ticket"
)

// IntakeRequest is a ticket to accept. The store issues the number: Intake.Number must be zero.
type IntakeRequest struct {
	// Key is the sender's Idempotency-Key, if any: the same key with the same body returns the stored
	// result; with another body it is a *KeyReuseError. Keys are per principal unit.
	Key string
	// SourcePlatform names the sending system when Intake.Upstream is its number; the pair is unique,
	// the backstop for senders that send no key.
	SourcePlatform string
	// Body is the request body as received, compared for a replayed key; nil means the JSON of Intake.
	Body   []byte
	Intake ticket.Intake
}

// IntakeResult is what an intake stored (and what a replay returns).
type IntakeResult struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	Version int64  `json:"version"`
	// Replayed reports that the key had been used with this body and nothing new was written.
	Replayed bool `json:"-"`
}

// DuplicateError reports an intake whose (source platform, upstream number) is already stored.
type DuplicateError struct {
	SourcePlatform, Upstream string
	ID, Number               string
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("store: %s item %q is already ticket %s", e.SourcePlatform, e.Upstream, e.Number)
}

func (e *DuplicateError) Unwrap() error { return ErrDuplicate }

type idemRow struct {
	bun.BaseModel `bun:"table:idempotency_keys"`
	Sender        string `bun:"sender,pk"`
	IdemKey       string `bun:"idem_key,pk"`
	BodyHash      []byte `bun:"body_hash"`
	TicketID      string `bun:"ticket_id"`
	Result        []byte `bun:"result"`
	CreatedUS     int64  `bun:"created_us"`
	ExpiresUS     int64  `bun:"expires_us"`
}

type outboxRow struct {
	bun.BaseModel `bun:"table:outbox"`
	ID            string `bun:"id,pk"`
	Topic         string `bun:"topic"`
	Subject       string `bun:"subject"`
	Payload       []byte `bun:"payload"`
	CreatedUS     int64  `bun:"created_us"`
	SentUS        *int64 `bun:"sent_us"`
	Attempts      int    `bun:"attempts"`
}

func senderOf(p Principal) string {
	if p.Unit != "" {
		return p.Unit
	}
	return p.Actor
}

// Intake accepts a ticket: it claims the idempotency key, issues the number, runs the lifecycle's
// accept, and writes the projection row, the sealed identity, the event, an outbox row and the audit
// row in one transaction.
func (s *Store) Intake(ctx context.Context, p Principal, req IntakeRequest, now time.Time) (IntakeResult, error) {
	if err := p.validate(); err != nil {
		return IntakeResult{}, err
	}
	role, ok := ticketRole(p.Role)
	if !ok || (p.Role != RoleHotlineOffice && p.Role != RoleSystem) {
		return IntakeResult{}, forbidden(p, "accept tickets")
	}
	switch {
	case len(req.Key) > 255:
		return IntakeResult{}, fmt.Errorf("%w: idempotency key longer than 255 bytes", ErrInvalid)
	case len(req.SourcePlatform) > 64 || len(req.Intake.Upstream) > 128:
		return IntakeResult{}, fmt.Errorf("%w: source platform or upstream number too long", ErrInvalid)
	case req.SourcePlatform != "" && req.Intake.Upstream == "":
		return IntakeResult{}, fmt.Errorf("%w: a source platform needs an upstream number", ErrInvalid)
	case !req.Intake.Number.IsZero():
		return IntakeResult{}, fmt.Errorf("%w: the store issues ticket numbers; leave intake.number empty", ErrInvalid)
	case now.IsZero():
		return IntakeResult{}, fmt.Errorf("%w: zero time", ErrInvalid)
	}
	if !emptyPerson(req.Intake.Citizen) {
		if err := s.haveKeys(); err != nil {
			return IntakeResult{}, err
		}
	}
	body := req.Body
	if body == nil {
		b, err := json.Marshal(struct {
			Platform string        `json:"platform"`
			Intake   ticket.Intake `json:"intake"`
		}{req.SourcePlatform, req.Intake})
		if err != nil {
			return IntakeResult{}, err
		}
		body = b
	}
	sum := sm3.Sum(body)
	bodyHash := sum[:]
	sender := senderOf(p)
	received := req.Intake.Received
	if received.IsZero() {
		received = now
	}

	// A hotline office accepts tickets placed in its jurisdiction only.
	var jurisdiction func(areas []string) error
	if p.Role == RoleHotlineOffice {
		jurisdiction = func(areas []string) error {
			if !(scope{areas: areas}).sees(req.Intake.Place.RegionCode, nil) {
				return forbidden(p, fmt.Sprintf("accept a ticket placed at %q, outside its jurisdiction", req.Intake.Place.RegionCode))
			}
			return nil
		}
	}
	if jurisdiction != nil && s.dialect != Postgres {
		// Read before the transaction: the office's jurisdiction is configuration, and the
		// transaction's locked stretch stays short. (PostgreSQL reads it in the transaction's first
		// round trip.)
		areas, err := s.areasOf(ctx, s.db, p.Unit)
		if err != nil {
			return IntakeResult{}, err
		}
		if err := jurisdiction(areas); err != nil {
			return IntakeResult{}, err
		}
	}
	// On PostgreSQL and MariaDB the number comes from a block this Store reserved from the day's
	// counter row (see numberPool): the counter is not locked by every intake until it commits, so
	// intakes of one day commit side by side (the audit chain is sharded for the same reason).
	// Numbers are gap-tolerant: a block a process does not use up is left unused. On SQLite the one
	// writer holds the database lock anyway, so the number is taken inside the transaction and a
	// rolled-back intake gives it back (and saves a second fsync).
	var seq int64
	if s.dialect != SQLite {
		n, err := s.takeSeq(ctx, received)
		if err != nil {
			return IntakeResult{}, err
		}
		seq = n
	}
	build := func(id string) (intakeWrite, error) {
		return s.intakeWrite(p, role, req, id, seq, sender, bodyHash, received, now)
	}
	var res IntakeResult
	var err error
	if s.dialect == Postgres {
		res, err = s.intakePostgres(ctx, p, jurisdiction, build, now)
	} else {
		id := newID()
		err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			// A concurrent intake with the same key waits on the key's unique index for this one's
			// outcome.
			if s.dialect == SQLite {
				n, err := s.nextSeq(ctx, tx, received)
				if err != nil {
					return err
				}
				seq = n
			}
			w, err := build(id)
			if err != nil {
				return err
			}
			res = w.res
			batch := insertQueries(tx, w.rows...)
			for _, n := range w.once {
				batch = append(batch, tx.NewInsert().Model(n).Ignore())
			}
			if err := execBatch(ctx, tx, batch...); err != nil {
				return err
			}
			return s.appendAudit(ctx, tx, now, p.Actor, w.action, id, w.fields...)
		})
	}
	if err != nil && seq != 0 && s.dialect != SQLite && (isUnique(err) || errors.Is(err, ErrForbidden)) {
		// Rolled back for certain: the next intake of the day takes the number.
		s.giveBackSeq(received, seq)
	}
	if isUnique(err) {
		// Which key was taken is found after the rollback: the idempotency key (a replay or a
		// reuse), or the (source platform, upstream number) pair.
		if req.Key != "" {
			if res, kerr := s.lookupKey(ctx, sender, req.Key, bodyHash); !errors.Is(kerr, ErrNotFound) {
				return res, kerr
			}
		}
		if req.SourcePlatform != "" {
			err = &DuplicateError{SourcePlatform: req.SourcePlatform, Upstream: req.Intake.Upstream}
		}
	}
	var dup *DuplicateError
	switch {
	case errors.As(err, &dup):
		var existing ticketRow
		if e := s.db.NewSelect().Model(&existing).Column("id", "number").
			Where("source_platform = ? AND upstream = ?", dup.SourcePlatform, dup.Upstream).Scan(ctx); e == nil {
			dup.ID, dup.Number = existing.ID, existing.Number
		}
		return IntakeResult{}, dup
	case err != nil:
		return IntakeResult{}, err
	}
	return res, nil
}

// lookupKey answers a key already claimed: the stored result for the same body, a *KeyReuseError for
// another, ErrNotFound for a key not (or no longer) stored.
func (s *Store) lookupKey(ctx context.Context, sender, key string, bodyHash []byte) (IntakeResult, error) {
	var r idemRow
	err := s.db.NewSelect().Model(&r).Where("sender = ? AND idem_key = ?", sender, key).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return IntakeResult{}, ErrNotFound
	}
	if err != nil {
		return IntakeResult{}, err
	}
	if string(r.BodyHash) != string(bodyHash) {
		return IntakeResult{}, &KeyReuseError{Key: key}
	}
	var res IntakeResult
	if err := json.Unmarshal(r.Result, &res); err != nil {
		return IntakeResult{}, &CorruptError{Table: "idempotency_keys", Key: key, Err: err}
	}
	res.Replayed = true
	return res, nil
}

// PurgeKeys deletes the idempotency keys past their retention (at least 7 days) and returns how many.
func (s *Store) PurgeKeys(ctx context.Context, p Principal, now time.Time) (int64, error) {
	if err := p.validate(); err != nil {
		return 0, err
	}
	if p.Role != RoleSystem && p.Role != RoleAdmin {
		return 0, forbidden(p, "purge idempotency keys")
	}
	var n int64
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*idemRow)(nil)).Where("expires_us < ?", micros(now)).Exec(ctx)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return s.appendAudit(ctx, tx, now, p.Actor, "idempotency.purge", "", fmt.Sprintf("deleted=%d", n))
	})
	return n, err
}

// intakeWrite is what an intake writes: its rows (idempotency key, projection with its sweep
// instant, event, notices), the notices written at most once (once: their ids are derived from what
// they announce), and the audit entry that follows them.
type intakeWrite struct {
	res    IntakeResult
	rows   []any // pointers to rows, or to slices of rows
	once   []*noticeRow
	action string
	fields []string
}

// intakeWrite runs the lifecycle's accept for an intake numbered seq and returns its rows: what
// writeChange writes for a change, with the sweep instant and provisional mark in the projection
// row itself instead of an UPDATE of it.
func (s *Store) intakeWrite(p Principal, role ticket.Role, req IntakeRequest, id string, seq int64, sender string, bodyHash []byte, received, now time.Time) (intakeWrite, error) {
	number, err := newNumber(s.prefix, received, seq)
	if err != nil {
		return intakeWrite{}, err
	}
	in := req.Intake
	in.Number = number
	m := s.machine.load()
	t, err := m.Accept(in, p.Actor, role, now)
	if err != nil {
		return intakeWrite{}, err
	}
	res := IntakeResult{ID: id, Number: number.String(), Version: 1}
	var rows []any
	if req.Key != "" {
		result, _ := json.Marshal(res)
		rows = append(rows, &idemRow{Sender: sender, IdemKey: req.Key, BodyHash: bodyHash, TicketID: id,
			Result: result, CreatedUS: micros(now), ExpiresUS: micros(now.Add(s.keep))})
	}
	row := sweepRow{ticketRow: ticketRow{ID: id, Version: 1, CreatedUS: micros(now), UpdatedUS: micros(now)}}
	if req.SourcePlatform != "" {
		sp, up := req.SourcePlatform, in.Upstream
		row.SourcePlatform, row.Upstream = &sp, &up
	}
	if err := s.fillRow(&row.ticketRow, t, now); err != nil {
		return intakeWrite{}, err
	}
	ev := t.History[0]
	row.SweepAtUS, row.Provisional = sweepState(t, m, now, true)
	rows = append(rows, &row)
	more, err := changeRows(id, t, ev)
	if err != nil {
		return intakeWrite{}, err
	}
	rows = append(rows, more...)
	notices, once := changeNoticeRows(m, id, t, ev, now)
	for _, n := range notices {
		rows = append(rows, n)
	}
	action, fields := changeAudit(p, row.Number, ev)
	return intakeWrite{res: res, rows: rows, once: once, action: action, fields: fields}, nil
}

// issueSeq issues the next number of the received date outside any transaction (PostgreSQL and
// MySQL): from the Store's reserved blocks (numbers.go).
func (s *Store) issueSeq(ctx context.Context, received time.Time) (int64, error) {
	return s.takeSeq(ctx, received)
}

// nextSeq issues the next number of the received date in db's transaction (SQLite).
func (s *Store) nextSeq(ctx context.Context, db bun.IDB, received time.Time) (int64, error) {
	return s.advanceSeq(ctx, db, dayOf(received), 1)
}

// fillRow fills the projection, the snapshot and the sealed identity of row from t.
func (s *Store) fillRow(row *ticketRow, t *ticket.Ticket, now time.Time) error {
	project(row, t, s.machine, now)
	snap, err := json.Marshal(stripped(t))
	if err != nil {
		return fmt.Errorf("store: encoding the snapshot of %s: %w", row.ID, err)
	}
	row.Snapshot = snap
	sealed, phoneBI, idBI, err := s.sealIdentity(row.ID, t.Citizen)
	if err != nil {
		return err
	}
	row.Identity, row.CallerPhoneBI, row.CallerIDBI = sealed, phoneBI, idBI
	return nil
}

// query is a bun query rendered to SQL for a batch.
type query interface{ String() string }

// execBatch sends queries as one multi-statement round trip (each rendered by bun, values escaped for
// the dialect): the transaction's locked stretch is then one round trip per batch, not per row.
func execBatch(ctx context.Context, tx bun.Tx, qs ...query) error {
	var b strings.Builder
	for i, q := range qs {
		if i > 0 {
			b.WriteString(";\n")
		}
		b.WriteString(q.String())
	}
	_, err := tx.Tx.ExecContext(ctx, b.String())
	return err
}

// writeChange writes what every ticket change writes besides the projection — the handling units,
// the event, the outbox rows and sweep instant of changeNotices — in one batch after the caller's
// queries first, and last the audit row.
func (s *Store) writeChange(ctx context.Context, tx bun.Tx, p Principal, id string, t *ticket.Ticket, ev ticket.Event, now time.Time, first ...query) error {
	batch, err := changeQueries(tx, id, t, ev, first...)
	if err != nil {
		return err
	}
	batch = append(batch, s.changeNotices(tx, id, t, ev, now)...) // notices.go: outbox rows, sweep instant
	return s.execChange(ctx, tx, p, id, t, ev, now, batch)
}

// execChange sends a change's batch and appends its audit row; a unique violation of a later
// version's event is the *VersionError of a concurrent writer.
func (s *Store) execChange(ctx context.Context, tx bun.Tx, p Principal, id string, t *ticket.Ticket, ev ticket.Event, now time.Time, batch []query) error {
	if err := execBatch(ctx, tx, batch...); err != nil {
		if isUnique(err) && ev.Seq > 1 {
			return &VersionError{ID: id, Given: int64(ev.Seq - 1), Current: int64(ev.Seq)}
		}
		return err
	}
	action, fields := changeAudit(p, t.Number.String(), ev)
	return s.appendAudit(ctx, tx, now, p.Actor, action, id, fields...)
}

// changeQueries returns first followed by the handling units and the event of a ticket change,
// rendered for db's dialect.
func changeQueries(db bun.IDB, id string, t *ticket.Ticket, ev ticket.Event, first ...query) ([]query, error) {
	batch := first
	if ev.Seq > 1 {
		batch = append(batch, db.NewDelete().Model((*ticketUnitRow)(nil)).Where("ticket_id = ?", id))
	}
	rows, err := changeRows(id, t, ev)
	if err != nil {
		return nil, err
	}
	return append(batch, insertQueries(db, rows...)...), nil
}

// changeRows returns the rows a ticket change inserts besides the projection and its notices: the
// handling units (as one slice) and the event.
func changeRows(id string, t *ticket.Ticket, ev ticket.Event) ([]any, error) {
	var rows []any
	if us := unitRows(id, t); len(us) > 0 {
		rows = append(rows, &us)
	}
	er, err := encodeEvent(id, ev)
	if err != nil {
		return nil, err
	}
	return append(rows, &er), nil
}

// insertQueries renders one INSERT per model (a pointer to a row or to a slice of rows).
func insertQueries(db bun.IDB, models ...any) []query {
	out := make([]query, len(models))
	for i, m := range models {
		out[i] = db.NewInsert().Model(m)
	}
	return out
}

// changeAudit returns the audit action and fields of a ticket change (its subject is the ticket).
func changeAudit(p Principal, number string, ev ticket.Event) (string, []string) {
	return "ticket." + text(ev.Action), []string{"role=" + string(p.Role), "unit=" + p.Unit, "number=" + number,
		"version=" + strconv.Itoa(ev.Seq), "from=" + text(ev.From), "to=" + text(ev.To)}
}

// loaded is a ticket read back with its row.
type loaded struct {
	row ticketRow
	t   *ticket.Ticket
}

// load reads ticket id with its history and identity in db; lock takes the row lock for a change.
func (s *Store) load(ctx context.Context, db bun.IDB, id string, lock bool) (loaded, error) {
	var row ticketRow
	q := db.NewSelect().Model(&row).Where("id = ?", id)
	if lock {
		q = s.forUpdate(q)
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return loaded{}, fmt.Errorf("%w: ticket %s", ErrNotFound, id)
		}
		return loaded{}, err
	}
	t := &ticket.Ticket{}
	if err := json.Unmarshal(row.Snapshot, t); err != nil {
		return loaded{}, &CorruptError{Table: "tickets", Key: id + " snapshot", Err: err}
	}
	person, err := s.openIdentity(id, row.Identity)
	if err != nil {
		return loaded{}, err
	}
	t.Citizen = person
	events, err := s.events(ctx, db, id, person)
	if err != nil {
		return loaded{}, err
	}
	if !lock && int64(len(events)) > row.Version {
		// A change committed between the row's read and the events' (each statement of a READ
		// COMMITTED transaction reads at its own instant): the row's version is the one read, and
		// its events are the first ones, which never change.
		events = events[:row.Version]
	}
	if int64(len(events)) != row.Version {
		return loaded{}, &CorruptError{Table: "tickets", Key: id, Err: fmt.Errorf("version %d but %d events", row.Version, len(events))}
	}
	t.History = events
	return loaded{row: row, t: t}, nil
}

func (s *Store) events(ctx context.Context, db bun.IDB, id string, person ticket.Person) ([]ticket.Event, error) {
	var rows []eventRow
	if err := db.NewSelect().Model(&rows).Where("ticket_id = ?", id).Order("seq ASC").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]ticket.Event, len(rows))
	for i, r := range rows {
		e, err := decodeEvent(r)
		if err != nil {
			return nil, err
		}
		out[i] = withCitizen(e, person)
	}
	return out, nil
}

// ApplyResult is what a transition stored.
type ApplyResult struct {
	Version int64
	Event   ticket.Event
}

// Apply applies r to ticket id at version: the actor and role of r are the principal's. A version
// that is not current is a *VersionError carrying the current one, and nothing is written. The
// lifecycle's refusals (*ticket.TransitionError) are returned as they are.
func (s *Store) Apply(ctx context.Context, p Principal, id string, version int64, r ticket.Request, now time.Time) (ApplyResult, error) {
	if err := p.validate(); err != nil {
		return ApplyResult{}, err
	}
	role, ok := ticketRole(p.Role)
	if !ok {
		return ApplyResult{}, forbidden(p, "change tickets")
	}
	r.Actor, r.Role = p.Actor, role
	var res ApplyResult
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		row, _, ev, err := s.applyLocked(ctx, tx, p, id, version, r, now)
		if err != nil {
			return err
		}
		res = ApplyResult{Version: row.Version, Event: strippedEvent(ev)}
		return nil
	})
	return res, err
}

// lockForChange loads ticket id for update as p may see it (in p's scope; outside it ErrNotFound, as
// if it did not exist) and checks that it is still at version: every write to a ticket starts here.
func (s *Store) lockForChange(ctx context.Context, tx bun.Tx, p Principal, id string, version int64) (loaded, error) {
	sc, err := s.scopeOf(ctx, tx, p)
	if err != nil {
		return loaded{}, err
	}
	l, err := s.load(ctx, tx, id, true)
	if err != nil {
		return loaded{}, err
	}
	if !sc.sees(l.row.RegionCode, handlers(l.t)) {
		return loaded{}, fmt.Errorf("%w: ticket %s", ErrNotFound, id)
	}
	if l.row.Version != version {
		return loaded{}, &VersionError{ID: id, Given: version, Current: l.row.Version}
	}
	return l, nil
}

// applyLocked applies r to ticket id at version as p may, refuses it while an attachment the policy
// requires is missing, and writes the change (row, event, notices, audit) in tx. It returns the new
// row, the ticket after the change and the event: the one path of every lifecycle write, so no caller
// can skip a check.
func (s *Store) applyLocked(ctx context.Context, tx bun.Tx, p Principal, id string, version int64, r ticket.Request, now time.Time) (ticketRow, *ticket.Ticket, ticket.Event, error) {
	l, err := s.lockForChange(ctx, tx, p, id, version)
	if err != nil {
		return ticketRow{}, nil, ticket.Event{}, err
	}
	ev, err := s.machine.Apply(l.t, r, now)
	if err != nil {
		return ticketRow{}, nil, ticket.Event{}, err
	}
	if err := s.requireTicketAttachments(ctx, tx, id, l.t, ev); err != nil {
		return ticketRow{}, nil, ticket.Event{}, err
	}
	row := sweepRow{ticketRow: l.row}
	row.Version = version + 1
	row.UpdatedUS = micros(now)
	if err := s.fillRow(&row.ticketRow, l.t, now); err != nil {
		return ticketRow{}, nil, ticket.Event{}, err
	}
	// The sweep instant and provisional mark go in the same UPDATE as the projection: one write of
	// the row per change (writeChange's callers update it a second time, in changeNotices).
	m := s.machine.load()
	row.SweepAtUS, row.Provisional = sweepState(l.t, m, now, true)
	// The row is locked (or the database is, on SQLite), so the update cannot miss; the event's
	// (ticket, seq) key would refuse a second writer all the same.
	upd := tx.NewUpdate().Model(&row).ExcludeColumn("id", "created_us", "source_platform", "upstream").
		Where("id = ? AND version = ?", id, version)
	batch, err := changeQueries(tx, id, l.t, ev, upd)
	if err != nil {
		return ticketRow{}, nil, ticket.Event{}, err
	}
	batch = append(batch, noticeQueries(tx, m, id, l.t, ev, now)...)
	if err := s.execChange(ctx, tx, p, id, l.t, ev, now, batch); err != nil {
		return ticketRow{}, nil, ticket.Event{}, err
	}
	return row.ticketRow, l.t, ev, nil
}

// Record is a ticket as a principal may see it.
type Record struct {
	ID      string
	Version int64
	Ticket  *ticket.Ticket
	// Masked reports that the citizen's identity is masked: the principal does not handle the ticket.
	Masked bool
}

// Get returns ticket id with its history. Principals who handle it (its hotline office, its units,
// the system) see the identity; supervisors and auditors see it masked. A ticket outside the
// principal's scope is ErrNotFound, as if it did not exist.
func (s *Store) Get(ctx context.Context, p Principal, id string) (Record, error) {
	if err := p.validate(); err != nil {
		return Record{}, err
	}
	var rec Record
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sc, err := s.scopeOf(ctx, tx, p)
		if err != nil {
			return err
		}
		l, err := s.load(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if !sc.sees(l.row.RegionCode, handlers(l.t)) {
			return fmt.Errorf("%w: ticket %s", ErrNotFound, id)
		}
		rec = Record{ID: id, Version: l.row.Version, Ticket: l.t}
		if p.Role == RoleSupervisor || p.Role == RoleAuditor {
			rec.Ticket, rec.Masked = maskTicket(l.t), true
		}
		return nil
	})
	return rec, err
}

// Summary is a ticket's listing row: the projection, no identity.
type Summary struct {
	ID, Number, State, Channel, Kind, RegionCode, LeadUnit, Title string
	Received                                                      time.Time
	NextDue, DueSoonFrom                                          time.Time
	Overdue, DueSoon, Supervised                                  bool
	Version                                                       int64
}

// Filter selects tickets for [Store.List]. Zero fields do not filter.
type Filter struct {
	States       []string // text forms of ticket states
	Unit         string   // handled (led or co-handled) by this unit
	Channel      string
	Kind         string
	Overdue      bool // a running stage is past due, or one was met late
	DueSoon      bool // a running stage is in its due-soon window
	ReceivedFrom time.Time
	ReceivedTo   time.Time // exclusive
	Title        string    // substring of the title
	Limit        int       // page size; zero means 50, at most 500
	Cursor       string    // from the previous Page
}

// Page is one page of summaries, newest received first; Next is the cursor of the following page, ""
// at the end.
type Page struct {
	Items []Summary
	Next  string
}

// List returns the tickets p may see that match f, newest first, one page at a time (keyset
// pagination on the received instant and id).
func (s *Store) List(ctx context.Context, p Principal, f Filter, now time.Time) (Page, error) {
	if err := p.validate(); err != nil {
		return Page{}, err
	}
	limit := f.Limit
	switch {
	case limit == 0:
		limit = 50
	case limit < 0 || limit > 500:
		return Page{}, fmt.Errorf("%w: page size %d outside 1–500", ErrInvalid, limit)
	}
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return Page{}, err
	}
	var page Page
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sc, err := s.scopeOf(ctx, tx, p)
		if err != nil {
			return err
		}
		var rows []ticketRow
		q := s.listQuery(tx, &rows, sc, f, cur, limit, now)
		if q == nil {
			return nil
		}
		if err := q.Scan(ctx); err != nil {
			return err
		}
		more := len(rows) > limit
		if more {
			rows = rows[:limit]
		}
		page.Items = make([]Summary, 0, len(rows))
		for i, r := range rows {
			// A ticket two of a unit's subtree handle is joined twice, side by side.
			if i > 0 && rows[i-1].ID == r.ID {
				continue
			}
			page.Items = append(page.Items, summaryOf(r))
		}
		if more {
			last := rows[len(rows)-1]
			page.Next = encodeCursor(last.ReceivedUS, last.ID)
		}
		return nil
	})
	return page, err
}

// listQuery builds the listing query, or returns nil when the scope and the filter cannot meet. A
// handling unit's listing is driven from ticket_units, whose (unit_id, received_us, ticket_id) index
// yields a page without reading the unit's other tickets; the others from tickets' own indexes.
func (s *Store) listQuery(db bun.IDB, rows *[]ticketRow, sc scope, f Filter, cur cursor, limit int, now time.Time) *bun.SelectQuery {
	q := db.NewSelect().Model(rows).ExcludeColumn("snapshot", "identity", "caller_phone_bi", "caller_id_bi")
	recv, id := "t.received_us", "t.id"
	if len(sc.units) > 0 {
		units := sc.units
		if f.Unit != "" {
			if !slices.Contains(units, f.Unit) {
				return nil
			}
			units = []string{f.Unit}
		}
		q = q.Join("JOIN ticket_units AS tu ON tu.ticket_id = t.id").Where("tu.unit_id IN (?)", bun.In(units))
		recv, id = "tu.received_us", "tu.ticket_id"
	} else {
		// With the district's equality tickets_district yields the district's tickets newest first
		// (migration 20261201000001). It replaces a district's LIKE, its equivalent, and is added to
		// a longer area's, which implies it: kept beside an equivalent LIKE, it would have the
		// planner count the district's share twice (1/256 of the tickets instead of 1/16) and sort
		// a bitmap of them instead of reading the index in order.
		// MariaDB, given the district's equality and a cursor, reads tickets_district from the
		// district's newest ticket (ref access on the equality, not a range from the cursor: 20 ms
		// for page 101 at 1 M instead of 1.6 ms), so a page after the first keeps the jurisdiction's
		// LIKE alone there and starts tickets_received at the cursor.
		if d, exact, ok := sc.district(); ok && !(s.dialect == MySQL && cur.ok) {
			if !exact {
				q = sc.apply(q)
			}
			q = q.Where("? = ?", bun.Safe(s.districtExpr()), d)
		} else {
			q = sc.apply(q)
		}
		if f.Unit != "" {
			q = q.Where("t.id IN (SELECT u.ticket_id FROM ticket_units AS u WHERE u.unit_id = ?)", f.Unit)
		}
	}
	if len(f.States) > 0 {
		q = q.Where("t.state IN (?)", bun.In(f.States))
	}
	if f.Channel != "" {
		q = q.Where("t.channel = ?", f.Channel)
	}
	if f.Kind != "" {
		q = q.Where("t.kind = ?", f.Kind)
	}
	if f.Overdue {
		q = q.Where("(t.next_due_us <= ? OR t.overdue = 1)", micros(now))
	}
	if f.DueSoon {
		q = q.Where("t.due_soon_us <= ? AND t.next_due_us > ?", micros(now), micros(now))
	}
	if !f.ReceivedFrom.IsZero() {
		q = q.Where("? >= ?", bun.Safe(recv), micros(f.ReceivedFrom))
	}
	if !f.ReceivedTo.IsZero() {
		q = q.Where("? < ?", bun.Safe(recv), micros(f.ReceivedTo))
	}
	if f.Title != "" {
		term := escapeLike(f.Title)
		if s.dialect == Postgres && isPair(term) {
			// The LIKE's equivalent for a two-character term, served by tickets_title_bigrams
			// (migration 20261201000001), where pg_trgm finds no trigram. strpos is the LIKE itself,
			// evaluated first as the cheaper: an index scan in received order then computes the
			// pairs of the titles that hold the term only, and the planner's default share for it
			// (1/3), unlike a LIKE's estimate, barely counts the term's share a second time.
			q = q.Where("strpos(t.title, ?) > 0 AND hotline_title_bigrams(t.title) @> ARRAY[?]::text[]", term, term)
		} else {
			q = q.Where("t.title LIKE ?", "%"+term+"%")
		}
	}
	if cur.ok {
		// The first conjunct is implied by the second; it is there for the planner, which can start
		// the index scan at the cursor with it but not with the OR alone (without it, a page deep
		// in the list read every row before it: half a table for a cursor in the middle).
		q = q.Where("? <= ? AND (? < ? OR (? = ? AND ? < ?))", bun.Safe(recv), cur.received,
			bun.Safe(recv), cur.received, bun.Safe(recv), cur.received, bun.Safe(id), cur.id)
	}
	return q.OrderExpr("? DESC, ? DESC", bun.Safe(recv), bun.Safe(id)).Limit(int64(limit + 1))
}

func summaryOf(r ticketRow) Summary {
	sm := Summary{ID: r.ID, Number: r.Number, State: r.State, Channel: r.Channel, Kind: r.Kind,
		RegionCode: r.RegionCode, LeadUnit: r.LeadUnit, Title: r.Title, Received: fromMicros(r.ReceivedUS),
		Overdue: r.Overdue == 1, DueSoon: r.DueSoon == 1, Supervised: r.Supervised == 1, Version: r.Version}
	if r.NextDueUS != nil {
		sm.NextDue = fromMicros(*r.NextDueUS)
	}
	if r.DueSoonUS != nil {
		sm.DueSoonFrom = fromMicros(*r.DueSoonUS)
	}
	return sm
}

// districtExpr is the expression of tickets_district's first column: the district's six digits of
// the region code (a virtual column on MySQL, which indexes no expression).
func (s *Store) districtExpr() string {
	if s.dialect == MySQL {
		return "t.region_district"
	}
	return "substr(t.region_code, 1, 6)"
}

// isPair reports that term is two characters, neither of them a space: the terms
// hotline_title_bigrams lists.
func isPair(term string) bool {
	return utf8.RuneCountInString(term) == 2 && !strings.ContainsRune(term, ' ')
}

// escapeLike drops the LIKE wildcards from a user's search text, so it matches literally.
func escapeLike(s string) string {
	return strings.NewReplacer("%", "", "_", "", `\`, "").Replace(s)
}
