package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/assess"
)

// PutReview stores a 好差评 review (001) for a unit, optionally about a ticket. Reviews are kept as
// given; a review found unfounded on appeal is voided with [Store.VoidReview], never edited.
func (s *Store) PutReview(ctx context.Context, p Principal, r assess.Review, ticketID string, now time.Time) error {
	return s.PutReviewWithComment(ctx, p, r, ticketID, "", now)
}

// PutReviewWithComment is [Store.PutReview] with the citizen's own words (at most [MaxComment]
// characters; "" for none), written in the same transaction as the review: a good rating keeps its
// text as a bad one does. The comment is published masked for the public ([Store.PublicReviews]).
func (s *Store) PutReviewWithComment(ctx context.Context, p Principal, r assess.Review, ticketID, comment string, now time.Time) error {
	if err := checkComment(comment); err != nil {
		return err
	}
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleSystem && p.Role != RoleHotlineOffice {
		return forbidden(p, "record reviews")
	}
	id := reviewID(r)
	if strings.TrimSpace(id) == "" || len(id) > 64 || reviewUnit(r) == "" || len(reviewUnit(r)) > 64 || len(ticketID) > 36 {
		return fmt.Errorf("%w: a review needs an id (at most 64 bytes) and a unit", ErrInvalid)
	}
	row, err := encodeReview(r, ticketID)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			if isUnique(err) {
				return fmt.Errorf("%w: review %s", ErrDuplicate, id)
			}
			return err
		}
		if comment != "" {
			if _, err := tx.NewInsert().Model(&reviewNoteRow{ReviewID: id, Comment: comment, AtUS: micros(now)}).Exec(ctx); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "review.put", id, "role="+string(p.Role), "unit="+row.UnitID, "rating="+row.Rating)
	})
}

// checkComment checks a review's comment: valid UTF-8 of at most [MaxComment] characters.
func checkComment(c string) error {
	if !utf8.ValidString(c) || utf8.RuneCountInString(c) > MaxComment {
		return fmt.Errorf("%w: a review's comment must be UTF-8 of at most %d characters", ErrInvalid, MaxComment)
	}
	return nil
}

// VoidReview marks review id unfounded (不属实评价, 000 第六条 (二)) with a reason: an append-only
// row, so the review stays on record and leaves the scores. Voiding twice is ErrDuplicate.
func (s *Store) VoidReview(ctx context.Context, p Principal, id, reason string, now time.Time) error {
	if err := p.validate(); err != nil {
		return err
	}
	if p.Role != RoleSystem && p.Role != RoleSupervisor && p.Role != RoleHotlineOffice {
		return forbidden(p, "void reviews")
	}
	if strings.TrimSpace(reason) == "" || len(reason) > 500 {
		return fmt.Errorf("%w: a void needs a reason of at most 500 bytes", ErrInvalid)
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*reviewRow)(nil)).Where("id = ?", id).Count(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: review %s", ErrNotFound, id)
		}
		if _, err := tx.NewInsert().Model(&reviewVoidRow{ReviewID: id, Actor: p.Actor, Reason: reason, AtUS: micros(now)}).Exec(ctx); err != nil {
			if isUnique(err) {
				return fmt.Errorf("%w: review %s is already void", ErrDuplicate, id)
			}
			return err
		}
		return s.appendAudit(ctx, tx, now, p.Actor, "review.void", id, "role="+string(p.Role), "unit="+p.Unit)
	})
}

// Reviews returns the reviews of unit received in [from, to), voided ones marked unfounded. A
// handling unit sees only its own and its subordinates' reviews.
func (s *Store) Reviews(ctx context.Context, p Principal, unit string, from, to time.Time) ([]assess.Review, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p.Role == RoleAdmin {
		return nil, forbidden(p, "read reviews")
	}
	var out []assess.Review
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if p.Role == RoleHandlingUnit {
			units, err := s.subtree(ctx, tx, p.Unit)
			if err != nil {
				return err
			}
			ok := false
			for _, u := range units {
				ok = ok || u == unit
			}
			if !ok {
				return nil
			}
		}
		var rows []reviewRow
		if err := tx.NewSelect().Model(&rows).Where("r.unit_id = ? AND r.at_us >= ? AND r.at_us < ?", unit, micros(from), micros(to)).
			Order("r.at_us ASC", "r.id ASC").Scan(ctx); err != nil {
			return err
		}
		var voided []string
		if len(rows) > 0 {
			ids := make([]string, len(rows))
			for i, r := range rows {
				ids[i] = r.ID
			}
			if err := tx.NewSelect().Model((*reviewVoidRow)(nil)).Column("review_id").Where("review_id IN (?)", bun.In(ids)).Scan(ctx, &voided); err != nil {
				return err
			}
		}
		void := map[string]bool{}
		for _, v := range voided {
			void[v] = true
		}
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
