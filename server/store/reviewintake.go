package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/ticket"
)

// ReviewIntakeRequest is a 好差评 review (001) to record and, for a bad review, the intake of the review
// ticket it opens (server/loop.ReviewIntake builds it: kind review, channel bad_review).
type ReviewIntakeRequest struct {
	Review assess.Review
	// Ticket is the intake of the review ticket; nil records the review alone. The store issues the
	// number: Ticket.Number must be zero.
	Ticket *ticket.Intake
	// Comment is the citizen's own words about the review (at most [MaxComment] characters; "" for
	// none), stored with it in the same transaction and published masked ([Store.PublicReviews]).
	Comment string
}

// ReviewIntakeResult is what [Store.IntakeReview] stored, or found stored for a retried review.
type ReviewIntakeResult struct {
	Review string
	// Ticket is the review ticket the review opened, if any (on a replay, at its current version).
	Ticket *IntakeResult
	// Replayed reports that the review was already stored exactly as given: nothing new was written.
	Replayed bool
}

// IntakeReview records a review and, when req.Ticket is set, accepts its review ticket, in one
// transaction: the review row (linked to the ticket), the ticket's projection, sealed identity,
// event and outbox row, and their audit rows — all or nothing. The principal must be one that may
// record reviews ([Store.PutReview]: the hotline office, the system) and, for a ticket, accept it
// ([Store.Intake]: inside a hotline office's jurisdiction).
//
// The review's ID is its idempotency key: the same review sent again (the same JSON) answers the
// stored result with Replayed set, whatever ticket intake comes with it; another review under a
// stored ID is ErrDuplicate.
func (s *Store) IntakeReview(ctx context.Context, p Principal, req ReviewIntakeRequest, now time.Time) (ReviewIntakeResult, error) {
	if err := p.validate(); err != nil {
		return ReviewIntakeResult{}, err
	}
	if p.Role != RoleSystem && p.Role != RoleHotlineOffice {
		return ReviewIntakeResult{}, forbidden(p, "record reviews")
	}
	r := req.Review
	switch {
	case strings.TrimSpace(r.ID) == "" || len(r.ID) > 64 || strings.TrimSpace(r.Unit) == "" || len(r.Unit) > 64:
		return ReviewIntakeResult{}, fmt.Errorf("%w: a review needs an id and a unit of at most 64 bytes", ErrInvalid)
	case now.IsZero():
		return ReviewIntakeResult{}, fmt.Errorf("%w: zero time", ErrInvalid)
	}
	if err := checkComment(req.Comment); err != nil {
		return ReviewIntakeResult{}, err
	}
	row, err := encodeReview(r, "")
	if err != nil {
		return ReviewIntakeResult{}, err
	}
	res := ReviewIntakeResult{Review: r.ID}
	note := func(ctx context.Context, tx bun.Tx) error {
		if req.Comment == "" {
			return nil
		}
		_, err := tx.NewInsert().Model(&reviewNoteRow{ReviewID: r.ID, Comment: req.Comment, AtUS: micros(now)}).Exec(ctx)
		return err
	}
	var in ticket.Intake
	var preSeq int64
	role, _ := ticketRole(p.Role)
	if req.Ticket != nil {
		in = *req.Ticket
		switch {
		case !in.Number.IsZero():
			return ReviewIntakeResult{}, fmt.Errorf("%w: the store issues ticket numbers; leave the intake's number empty", ErrInvalid)
		case in.Upstream != "":
			return ReviewIntakeResult{}, fmt.Errorf("%w: a review ticket has no upstream number: the review's id identifies it", ErrInvalid)
		}
		if !emptyPerson(in.Citizen) {
			if err := s.haveKeys(); err != nil {
				return ReviewIntakeResult{}, err
			}
		}
		if p.Role == RoleHotlineOffice {
			sc, err := s.scopeOf(ctx, s.db, p)
			if err != nil {
				return ReviewIntakeResult{}, err
			}
			if !sc.sees(in.Place.RegionCode, nil) {
				return ReviewIntakeResult{}, forbidden(p, fmt.Sprintf("accept a ticket placed at %q, outside its jurisdiction", in.Place.RegionCode))
			}
		}
		if in.Received.IsZero() {
			in.Received = now
		}
		// As in Intake: outside SQLite the number is issued in its own statement (gap-tolerant).
		if s.dialect != SQLite {
			if preSeq, err = s.issueSeq(ctx, in.Received); err != nil {
				return ReviewIntakeResult{}, err
			}
		}
		res.Ticket = &IntakeResult{ID: newID(), Version: 1}
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if res.Ticket == nil {
			if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
				return err
			}
			if err := note(ctx, tx); err != nil {
				return err
			}
			return s.appendAudit(ctx, tx, now, p.Actor, "review.put", r.ID, "role="+string(p.Role), "unit="+row.UnitID, "rating="+row.Rating)
		}
		seq := preSeq
		if s.dialect == SQLite {
			n, err := s.nextSeq(ctx, tx, in.Received)
			if err != nil {
				return err
			}
			seq = n
		}
		number, err := newNumber(s.prefix, in.Received, seq)
		if err != nil {
			return err
		}
		in := in
		in.Number = number
		t, err := s.machine.Accept(in, p.Actor, role, now)
		if err != nil {
			return err
		}
		id := res.Ticket.ID
		res.Ticket.Number = number.String()
		trow := ticketRow{ID: id, Version: 1, CreatedUS: micros(now), UpdatedUS: micros(now)}
		if err := s.fillRow(&trow, t, now); err != nil {
			return err
		}
		rrow := row
		rrow.TicketID = &id
		// The review is inserted first: a retried review fails here, before anything else is written.
		if _, err := tx.NewInsert().Model(&rrow).Exec(ctx); err != nil {
			return err
		}
		if err := note(ctx, tx); err != nil {
			return err
		}
		// Two audit rows, each locking its shard: in ascending shard order, as every transaction that
		// appends more than one does (see DecideCase), so that two of them cannot deadlock.
		putAudit := func() error {
			return s.appendAudit(ctx, tx, now, p.Actor, "review.put", r.ID, "role="+string(p.Role), "unit="+row.UnitID,
				"rating="+row.Rating, "ticket="+id)
		}
		if auditShard(r.ID) < auditShard(id) {
			if err := putAudit(); err != nil {
				return err
			}
			return s.writeChange(ctx, tx, p, id, t, t.History[0], now, tx.NewInsert().Model(&trow))
		}
		if err := s.writeChange(ctx, tx, p, id, t, t.History[0], now, tx.NewInsert().Model(&trow)); err != nil {
			return err
		}
		return putAudit()
	})
	if isUnique(err) {
		return s.replayReview(ctx, row)
	}
	if err != nil {
		return ReviewIntakeResult{}, err
	}
	return res, nil
}

// replayReview answers a review whose ID is stored: the stored result when it is the same review, a
// duplicate otherwise.
func (s *Store) replayReview(ctx context.Context, given reviewRow) (ReviewIntakeResult, error) {
	var stored reviewRow
	if err := s.db.NewSelect().Model(&stored).Where("id = ?", given.ID).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			// The unique key that failed was not the review's (a ticket number, say): report it.
			return ReviewIntakeResult{}, fmt.Errorf("%w: review %s could not be stored", ErrDuplicate, given.ID)
		}
		return ReviewIntakeResult{}, err
	}
	if !bytes.Equal(stored.Body, given.Body) {
		return ReviewIntakeResult{}, fmt.Errorf("%w: review %s is stored with other content", ErrDuplicate, given.ID)
	}
	res := ReviewIntakeResult{Review: stored.ID, Replayed: true}
	if stored.TicketID != nil {
		var t ticketRow
		if err := s.db.NewSelect().Model(&t).Column("id", "number", "version").Where("id = ?", *stored.TicketID).Scan(ctx); err != nil {
			return ReviewIntakeResult{}, err
		}
		res.Ticket = &IntakeResult{ID: t.ID, Number: t.Number, Version: t.Version, Replayed: true}
	}
	return res, nil
}

// StoredReview is one review as the store holds it: the review (Unfounded when voided), the ticket it
// opened or is about, and the void's reason.
type StoredReview struct {
	Review   assess.Review
	TicketID string
	Voided   bool
	// VoidReason is why the review was voided (不属实评价, 000 §6 (二)), when it was.
	VoidReason string
}

// Review returns review id, if p may see it: a handling unit only its own unit's and its
// subordinates' reviews (any other is ErrNotFound, as if it did not exist); an admin none.
func (s *Store) Review(ctx context.Context, p Principal, id string) (StoredReview, error) {
	if err := p.validate(); err != nil {
		return StoredReview{}, err
	}
	if p.Role == RoleAdmin {
		return StoredReview{}, forbidden(p, "read reviews")
	}
	var out StoredReview
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var row reviewRow
		if err := tx.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w: review %s", ErrNotFound, id)
			}
			return err
		}
		if p.Role == RoleHandlingUnit {
			units, err := s.subtree(ctx, tx, p.Unit)
			if err != nil {
				return err
			}
			if !containsString(units, row.UnitID) {
				return fmt.Errorf("%w: review %s", ErrNotFound, id)
			}
		}
		var voids []reviewVoidRow
		if err := tx.NewSelect().Model(&voids).Where("review_id = ?", id).Scan(ctx); err != nil {
			return err
		}
		rv, err := decodeReview(row, len(voids) > 0)
		if err != nil {
			return err
		}
		out = StoredReview{Review: rv, Voided: len(voids) > 0}
		if row.TicketID != nil {
			out.TicketID = *row.TicketID
		}
		if len(voids) > 0 {
			out.VoidReason = voids[0].Reason
		}
		return nil
	})
	return out, err
}

// PeriodReviews returns every review p may see received in [from, to), in time order, voided ones
// marked unfounded: the reviews of an assessment period. A handling unit sees only its own unit's and
// its subordinates' reviews; an admin none.
func (s *Store) PeriodReviews(ctx context.Context, p Principal, from, to time.Time) ([]assess.Review, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p.Role == RoleAdmin {
		return nil, forbidden(p, "read reviews")
	}
	var out []assess.Review
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var rows []reviewRow
		q := tx.NewSelect().Model(&rows).Where("r.at_us >= ? AND r.at_us < ?", micros(from), micros(to))
		if p.Role == RoleHandlingUnit {
			units, err := s.subtree(ctx, tx, p.Unit)
			if err != nil {
				return err
			}
			q = q.Where("r.unit_id IN (?)", bun.In(units))
		}
		if err := q.Order("r.at_us ASC", "r.id ASC").Scan(ctx); err != nil {
			return err
		}
		void := map[string]bool{}
		// The voids of the period's reviews, read in bounded batches.
		for lo := 0; lo < len(rows); lo += 500 {
			ids := make([]string, 0, 500)
			for _, r := range rows[lo:min(lo+500, len(rows))] {
				ids = append(ids, r.ID)
			}
			var voided []string
			if err := tx.NewSelect().Model((*reviewVoidRow)(nil)).Column("review_id").Where("review_id IN (?)", bun.In(ids)).Scan(ctx, &voided); err != nil {
				return err
			}
			for _, v := range voided {
				void[v] = true
			}
		}
		out = make([]assess.Review, 0, len(rows))
		for _, r := range rows {
			rv, err := decodeReview(r, void[r.ID])
			if err != nil {
				return err
			}
			out = append(out, rv)
		}
		return nil
	})
	return out, err
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
