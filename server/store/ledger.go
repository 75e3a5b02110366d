package store

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/ticket"
)

// MaxLedgerPage bounds the page size of [Store.Ledger] and [Store.CaseTickets].
const MaxLedgerPage = 1000

// LedgerFilter selects the tickets of a ledger (台账). Zero fields do not filter.
type LedgerFilter struct {
	// Unit keeps the tickets led or co-handled by this unit.
	Unit string
	// Channels keeps the tickets that came by one of these channels (text forms), e.g. the 办不成事
	// window's for its ledger.
	Channels []string
	// ReceivedFrom and ReceivedTo (exclusive) bound the receipt instant.
	ReceivedFrom, ReceivedTo time.Time
	// Mask asks for the masked view even where the principal may see the identity.
	Mask bool
	// PageSize is how many tickets are read per query; zero means 500, at most [MaxLedgerPage].
	PageSize int
	// What and Format name the export in the audit row ("tickets", "window_cases"; "xlsx", "csv").
	What, Format string
}

// LedgerEntry is one ticket of a ledger, without its history.
type LedgerEntry struct {
	ID      string
	Version int64
	Ticket  *ticket.Ticket
	// Masked reports that the citizen's identity and the texts are masked (ticket/privacy, the staff
	// view): the principal does not handle the ticket, or the filter asked for it.
	Masked bool
}

func (f LedgerFilter) validate() (int, error) {
	n := f.PageSize
	switch {
	case n == 0:
		n = 500
	case n < 0 || n > MaxLedgerPage:
		return 0, fmt.Errorf("%w: ledger page size %d outside 1–%d", ErrInvalid, n, MaxLedgerPage)
	}
	switch {
	case len(f.Unit) > 64 || strings.ContainsFunc(f.Unit, unicode.IsControl):
		return 0, fmt.Errorf("%w: unit must be at most 64 bytes without control characters", ErrInvalid)
	case len(f.Channels) > 32:
		return 0, fmt.Errorf("%w: at most 32 channels", ErrInvalid)
	case len(f.What) > 32 || len(f.Format) > 16:
		return 0, fmt.Errorf("%w: export name or format too long", ErrInvalid)
	case !f.ReceivedFrom.IsZero() && !f.ReceivedTo.IsZero() && !f.ReceivedFrom.Before(f.ReceivedTo):
		return 0, fmt.Errorf("%w: received_from must be before received_to", ErrInvalid)
	}
	return n, nil
}

// sealsIdentity reports whether p sees tickets masked: supervisors and auditors read every ticket
// without handling any (as [Store.Get]).
func sealsIdentity(p Principal) bool { return p.Role == RoleSupervisor || p.Role == RoleAuditor }

// Ledger streams the tickets p may see that match f, oldest received first, a page at a time (keyset
// pagination on the receipt instant and id, each page one query), so a ledger of any size is never
// held in memory. Before the first ticket it appends one audit row ("ledger.export") naming the
// principal, the filter and whether the identities are masked: every export is on the chain, and an
// export whose audit row cannot be written yields that error and nothing else.
//
// The identity is shown to the principals [Store.Get] shows it to (the hotline office, the handling
// units, the system) and masked for the others (supervisors, auditors) or when f.Mask is set; admins
// read no tickets. Iteration stops at the first error, which is yielded.
func (s *Store) Ledger(ctx context.Context, p Principal, f LedgerFilter, now time.Time) iter.Seq2[LedgerEntry, error] {
	return func(yield func(LedgerEntry, error) bool) {
		if err := p.validate(); err != nil {
			yield(LedgerEntry{}, err)
			return
		}
		size, err := f.validate()
		if err != nil {
			yield(LedgerEntry{}, err)
			return
		}
		sc, err := s.scopeOf(ctx, s.db, p)
		if err != nil {
			yield(LedgerEntry{}, err)
			return
		}
		mask := f.Mask || sealsIdentity(p)
		if err := s.Audit(ctx, p, "ledger.export", "", []string{"what=" + f.What, "format=" + f.Format,
			"filter.unit=" + f.Unit, "filter.channels=" + strings.Join(f.Channels, ","),
			"from=" + stamp(f.ReceivedFrom), "to=" + stamp(f.ReceivedTo), fmt.Sprintf("masked=%t", mask)}, now); err != nil {
			yield(LedgerEntry{}, err)
			return
		}
		pages := s.pages(ctx, sc, f.Unit, f.Channels, f.ReceivedFrom, f.ReceivedTo, nil, size,
			"t.id", "t.version", "t.received_us", "t.region_code", "t.snapshot", "t.identity")
		for rows, err := range pages {
			if err != nil {
				yield(LedgerEntry{}, err)
				return
			}
			for _, r := range rows {
				t := &ticket.Ticket{}
				if err := json.Unmarshal(r.Snapshot, t); err != nil {
					yield(LedgerEntry{}, &CorruptError{Table: "tickets", Key: r.ID + " snapshot", Err: err})
					return
				}
				person, err := s.openIdentity(r.ID, r.Identity)
				if err != nil {
					yield(LedgerEntry{}, err)
					return
				}
				t.Citizen = person
				e := LedgerEntry{ID: r.ID, Version: r.Version, Ticket: t, Masked: mask}
				if mask {
					e.Ticket = maskTicket(t)
				}
				if !yield(e, nil) {
					return
				}
			}
		}
	}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// pages yields the projection rows in scope sc that match the filter, oldest received first, size at
// a time, each page one query. A ticket two units of a subtree handle is yielded once. extra, when
// set, adds conditions (over tickets aliased t).
func (s *Store) pages(ctx context.Context, sc scope, unit string, channels []string, from, to time.Time,
	extra func(*bun.SelectQuery) *bun.SelectQuery, size int, cols ...string) iter.Seq2[[]ticketRow, error] {
	return func(yield func([]ticketRow, error) bool) {
		var (
			cur    cursor
			lastID string
		)
		for {
			var rows []ticketRow
			q := s.db.NewSelect().Model(&rows).Column(cols...)
			recv, id := "t.received_us", "t.id"
			if len(sc.units) > 0 {
				units := sc.units
				if unit != "" {
					if !slices.Contains(units, unit) {
						return
					}
					units = []string{unit}
				}
				q = q.Join("JOIN ticket_units AS tu ON tu.ticket_id = t.id").Where("tu.unit_id IN (?)", bun.In(units))
				recv, id = "tu.received_us", "tu.ticket_id"
			} else {
				q = sc.apply(q)
				if unit != "" {
					q = q.Where("t.id IN (SELECT u.ticket_id FROM ticket_units AS u WHERE u.unit_id = ?)", unit)
				}
			}
			if len(channels) > 0 {
				q = q.Where("t.channel IN (?)", bun.In(channels))
			}
			if !from.IsZero() {
				q = q.Where("? >= ?", bun.Safe(recv), micros(from))
			}
			if !to.IsZero() {
				q = q.Where("? < ?", bun.Safe(recv), micros(to))
			}
			if extra != nil {
				q = q.WhereGroup(" AND ", extra)
			}
			if cur.ok {
				q = q.Where("(? > ? OR (? = ? AND ? > ?))", bun.Safe(recv), cur.received, bun.Safe(recv), cur.received, bun.Safe(id), cur.id)
			}
			q = q.OrderExpr("? ASC, ? ASC", bun.Safe(recv), bun.Safe(id)).Limit(int64(size))
			if err := q.Scan(ctx); err != nil {
				yield(nil, err)
				return
			}
			if len(rows) == 0 {
				return
			}
			last := rows[len(rows)-1]
			cur = cursor{ok: true, received: last.ReceivedUS, id: last.ID}
			out := rows[:0]
			for _, r := range rows {
				if r.ID == lastID {
					continue
				}
				lastID = r.ID
				out = append(out, r)
			}
			if len(out) > 0 && !yield(out, nil) {
				return
			}
			if len(rows) < size {
				return
			}
		}
	}
}

// CaseFilter selects the tickets that can enter the indicators of a period.
type CaseFilter struct {
	// From is the start of the period and Horizon the earlier of its end and the instant of
	// computation (assess: facts after it are unknown).
	From, Horizon time.Time
	// Unit keeps the tickets led or co-handled by this unit; "" keeps every ticket in scope.
	Unit string
	// PageSize is how many tickets are read per query; zero means 500, at most [MaxLedgerPage].
	PageSize int
}

// CaseTickets streams, oldest received first and with their histories but without the citizens'
// identities, every ticket p may see that can enter an indicator of [From, Horizon) (package assess):
// received before Horizon and either received, changed or due for first contact since From, or with
// a stage clock still running (an overdue ticket left open counts against every period until it is
// replied). A ticket outside this set was last changed before From with nothing due in the period, so
// it enters no cohort of it: the indicators over the set equal those over every ticket.
func (s *Store) CaseTickets(ctx context.Context, p Principal, f CaseFilter) iter.Seq2[*ticket.Ticket, error] {
	return func(yield func(*ticket.Ticket, error) bool) {
		if err := p.validate(); err != nil {
			yield(nil, err)
			return
		}
		size, err := LedgerFilter{PageSize: f.PageSize, Unit: f.Unit}.validate()
		if err != nil {
			yield(nil, err)
			return
		}
		if f.From.IsZero() || f.Horizon.IsZero() || f.Horizon.Before(f.From) {
			yield(nil, fmt.Errorf("%w: a case filter needs From before Horizon", ErrInvalid))
			return
		}
		sc, err := s.scopeOf(ctx, s.db, p)
		if err != nil {
			yield(nil, err)
			return
		}
		from := micros(f.From)
		relevant := func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("t.received_us >= ?", from).WhereOr("t.updated_us >= ?", from).
				WhereOr("t.next_due_us IS NOT NULL").WhereOr("t.due_first_contact_us >= ?", from)
		}
		pages := s.pages(ctx, sc, f.Unit, nil, time.Time{}, f.Horizon, relevant, size,
			"t.id", "t.version", "t.received_us", "t.snapshot")
		for rows, err := range pages {
			if err != nil {
				yield(nil, err)
				return
			}
			ids := make([]string, len(rows))
			for i, r := range rows {
				ids[i] = r.ID
			}
			var evs []eventRow
			if err := s.db.NewSelect().Model(&evs).Where("ticket_id IN (?)", bun.In(ids)).Order("ticket_id ASC", "seq ASC").Scan(ctx); err != nil {
				yield(nil, err)
				return
			}
			byID := map[string][]ticket.Event{}
			for _, er := range evs {
				e, err := decodeEvent(er)
				if err != nil {
					yield(nil, err)
					return
				}
				byID[er.TicketID] = append(byID[er.TicketID], e)
			}
			for _, r := range rows {
				t := &ticket.Ticket{}
				if err := json.Unmarshal(r.Snapshot, t); err != nil {
					yield(nil, &CorruptError{Table: "tickets", Key: r.ID + " snapshot", Err: err})
					return
				}
				t.History = byID[r.ID]
				if int64(len(t.History)) > r.Version {
					// A change committed between the page's read and the events' (the reads are
					// separate statements): the row's version is the one read, and its events are the
					// first ones, which never change.
					t.History = t.History[:r.Version]
				}
				if int64(len(t.History)) != r.Version {
					yield(nil, &CorruptError{Table: "tickets", Key: r.ID, Err: fmt.Errorf("version %d but %d events", r.Version, len(t.History))})
					return
				}
				if !yield(t, nil) {
					return
				}
			}
		}
	}
}

// ReviewRecord is a stored review with what the reports add to it.
type ReviewRecord struct {
	// Review is the review as stored, marked Unfounded when voided, and Rectified when it was stored
	// so or the ticket it opened has been replied (整改反馈, 001 (六)).
	Review assess.Review
	// Ticket is the id of the ticket the review opened, if any.
	Ticket string
}

// ReviewRecords returns the reviews received in [from, to) of every unit p may see (a handling unit:
// its own and its subordinates'; admins none), oldest first.
func (s *Store) ReviewRecords(ctx context.Context, p Principal, from, to time.Time) ([]ReviewRecord, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p.Role == RoleAdmin {
		return nil, forbidden(p, "read reviews")
	}
	var units []string
	if p.Role == RoleHandlingUnit {
		u, err := s.subtree(ctx, s.db, p.Unit)
		if err != nil {
			return nil, err
		}
		units = u
	}
	return s.reviewRecords(ctx, units, "", from, to)
}

// reviewRow with the columns reviewRecords joins.
type reviewJoined struct {
	reviewRow `bun:",extend"`
	Voided    *string `bun:"voided"`
	Replies   *int    `bun:"replies"`
}

// reviewRecords reads the reviews of units (nil: every unit; unit, when set, only that one) received
// in [from, to), oldest first.
func (s *Store) reviewRecords(ctx context.Context, units []string, unit string, from, to time.Time) ([]ReviewRecord, error) {
	var rows []reviewJoined
	q := s.db.NewSelect().Model(&rows).ColumnExpr("r.*").ColumnExpr("v.review_id AS voided").ColumnExpr("t.replies AS replies").
		Join("LEFT JOIN review_voids AS v ON v.review_id = r.id").
		Join("LEFT JOIN tickets AS t ON t.id = r.ticket_id").
		Where("r.at_us >= ? AND r.at_us < ?", micros(from), micros(to))
	if units != nil {
		q = q.Where("r.unit_id IN (?)", bun.In(units))
	}
	if unit != "" {
		q = q.Where("r.unit_id = ?", unit)
	}
	if err := q.Order("r.at_us ASC", "r.id ASC").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]ReviewRecord, 0, len(rows))
	for _, r := range rows {
		rv, err := decodeReview(r.reviewRow, r.Voided != nil)
		if err != nil {
			return nil, err
		}
		if r.Replies != nil && *r.Replies > 0 {
			rv.Rectified = true
		}
		rec := ReviewRecord{Review: rv}
		if r.TicketID != nil {
			rec.Ticket = *r.TicketID
		}
		out = append(out, rec)
	}
	return out, nil
}

// ChainHead is the state of the audit chain: how many rows it has and the SM3 digest over every
// shard's size and head (the digest a signed checkpoint signs), in hexadecimal; "" for an empty chain.
type ChainHead struct {
	Size int64  `json:"size"`
	Head string `json:"head"`
}

// AuditHead returns the audit chain's head now. Published statistics carry it, so that an auditor
// can tell from the chain what had been recorded when they were computed.
func (s *Store) AuditHead(ctx context.Context, p Principal) (ChainHead, error) {
	if err := p.validate(); err != nil {
		return ChainHead{}, err
	}
	return s.auditHead(ctx, s.db)
}

func (s *Store) auditHead(ctx context.Context, db bun.IDB) (ChainHead, error) {
	heads, err := s.auditHeads(ctx, db.NewSelect())
	if err != nil {
		return ChainHead{}, err
	}
	size, digest := shardsDigest(heads)
	return ChainHead{Size: size, Head: hex.EncodeToString(digest)}, nil
}
