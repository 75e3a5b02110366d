package store

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/ticket"
)

func sampleReview(id, unit string, r assess.Rating, when string) assess.Review {
	return assess.Review{ID: id, Rating: r, Unit: unit, Channel: assess.ChannelSuishenban, Rater: "rater-" + id, At: at(when)}
}

func reviewTicket() *ticket.Intake {
	return &ticket.Intake{Channel: ticket.ChannelBadReview, Kind: ticket.KindReview, Content: "窗口办事排队两小时",
		Citizen: ticket.Person{Name: "李四", Phone: testPhone}, Place: ticket.Place{RegionCode: "310113001"}}
}

// A bad review and the review ticket it opens (001 (六)) are stored together or not at all; the
// review's ID makes a retry safe.
func TestIntakeReview(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		now := at("2026-11-23 09:00")

		good, err := s.IntakeReview(ctx, office, ReviewIntakeRequest{Review: sampleReview("R-good", "unit-a", assess.Satisfied, "2026-11-22 10:00")}, now)
		require.NoError(t, err)
		assert.Nil(t, good.Ticket)
		assert.False(t, good.Replayed)

		bad := sampleReview("R-bad", "unit-a", assess.VeryDissatisfied, "2026-11-22 11:00")
		res, err := s.IntakeReview(ctx, office, ReviewIntakeRequest{Review: bad, Ticket: reviewTicket()}, now)
		require.NoError(t, err)
		require.NotNil(t, res.Ticket)
		assert.Equal(t, int64(1), res.Ticket.Version)
		rec, err := s.Get(ctx, office, res.Ticket.ID)
		require.NoError(t, err)
		assert.Equal(t, ticket.KindReview, rec.Ticket.Kind)
		assert.Equal(t, testPhone, rec.Ticket.Citizen.Phone, "the citizen to contact is sealed with the ticket")

		stored, err := s.Review(ctx, office, "R-bad")
		require.NoError(t, err)
		assert.Equal(t, res.Ticket.ID, stored.TicketID)
		assert.False(t, stored.Voided)

		t.Run("the same review again is a replay that writes nothing", func(t *testing.T) {
			again, err := s.IntakeReview(ctx, office, ReviewIntakeRequest{Review: bad, Ticket: reviewTicket()}, now)
			require.NoError(t, err)
			assert.True(t, again.Replayed)
			require.NotNil(t, again.Ticket)
			assert.Equal(t, res.Ticket.ID, again.Ticket.ID)
			assert.Equal(t, res.Ticket.Number, again.Ticket.Number)
			page, err := s.List(ctx, office, Filter{Kind: "review"}, now)
			require.NoError(t, err)
			assert.Len(t, page.Items, 1)
		})
		t.Run("another review under a stored id is a duplicate", func(t *testing.T) {
			other := bad
			other.Rating = assess.Dissatisfied
			_, err := s.IntakeReview(ctx, office, ReviewIntakeRequest{Review: other}, now)
			assert.ErrorIs(t, err, ErrDuplicate)
		})
		t.Run("a ticket the lifecycle refuses leaves no review behind", func(t *testing.T) {
			in := reviewTicket()
			in.Content = ""
			_, err := s.IntakeReview(ctx, office, ReviewIntakeRequest{Review: sampleReview("R-x", "unit-a", assess.Dissatisfied, "2026-11-22 12:00"), Ticket: in}, now)
			require.Error(t, err)
			_, err = s.Review(ctx, office, "R-x")
			assert.ErrorIs(t, err, ErrNotFound)
		})
		t.Run("refusals", func(t *testing.T) {
			outside := reviewTicket()
			outside.Place.RegionCode = "310115001"
			numbered := reviewTicket()
			n, err := ticket.NewNumber("HL", now, 9)
			require.NoError(t, err)
			numbered.Number = n
			tests := []struct {
				name string
				p    Principal
				req  ReviewIntakeRequest
				want error
			}{
				{"a handling unit records no review", unitA, ReviewIntakeRequest{Review: sampleReview("R-1", "unit-a", assess.Satisfied, "2026-11-22 10:00")}, ErrForbidden},
				{"an auditor neither", auditor, ReviewIntakeRequest{Review: sampleReview("R-1", "unit-a", assess.Satisfied, "2026-11-22 10:00")}, ErrForbidden},
				{"outside the office's jurisdiction", office, ReviewIntakeRequest{Review: sampleReview("R-2", "unit-a", assess.Dissatisfied, "2026-11-22 10:00"), Ticket: outside}, ErrForbidden},
				{"a numbered intake", office, ReviewIntakeRequest{Review: sampleReview("R-3", "unit-a", assess.Dissatisfied, "2026-11-22 10:00"), Ticket: numbered}, ErrInvalid},
				{"no id", office, ReviewIntakeRequest{Review: sampleReview("", "unit-a", assess.Satisfied, "2026-11-22 10:00")}, ErrInvalid},
				{"no unit", office, ReviewIntakeRequest{Review: sampleReview("R-4", "", assess.Satisfied, "2026-11-22 10:00")}, ErrInvalid},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := s.IntakeReview(ctx, tt.p, tt.req, now)
					assert.ErrorIs(t, err, tt.want)
				})
			}
		})
		t.Run("the system records reviews anywhere", func(t *testing.T) {
			in := reviewTicket()
			in.Place.RegionCode = "310115001"
			_, err := s.IntakeReview(ctx, system, ReviewIntakeRequest{Review: sampleReview("R-sys", "unit-b", assess.Dissatisfied, "2026-11-22 13:00"), Ticket: in}, now)
			require.NoError(t, err)
		})
		t.Run("a handling unit reads only its own subtree's reviews", func(t *testing.T) {
			_, err := s.Review(ctx, unitB, "R-bad")
			assert.ErrorIs(t, err, ErrNotFound)
			_, err = s.Review(ctx, unitA, "R-bad")
			require.NoError(t, err)
			_, err = s.Review(ctx, admin, "R-bad")
			assert.ErrorIs(t, err, ErrForbidden)

			all, err := s.PeriodReviews(ctx, superv, at("2026-11-01 00:00"), at("2026-12-01 00:00"))
			require.NoError(t, err)
			assert.Len(t, all, 3)
			mine, err := s.PeriodReviews(ctx, unitB, at("2026-11-01 00:00"), at("2026-12-01 00:00"))
			require.NoError(t, err)
			require.Len(t, mine, 1)
			assert.Equal(t, "R-sys", mine[0].ID)
			none, err := s.PeriodReviews(ctx, superv, at("2026-10-01 00:00"), at("2026-11-01 00:00"))
			require.NoError(t, err)
			assert.Empty(t, none)
		})
		t.Run("a void shows on every read", func(t *testing.T) {
			require.NoError(t, s.VoidReview(ctx, superv, "R-good", "误评", now))
			got, err := s.Review(ctx, office, "R-good")
			require.NoError(t, err)
			assert.True(t, got.Voided)
			assert.True(t, got.Review.Unfounded)
			assert.Equal(t, "误评", got.VoidReason)
			all, err := s.PeriodReviews(ctx, auditor, at("2026-11-01 00:00"), at("2026-12-01 00:00"))
			require.NoError(t, err)
			for _, r := range all {
				assert.Equal(t, r.ID == "R-good", r.Unfounded, r.ID)
			}
		})
		require.NoError(t, s.VerifyAudit(ctx, auditor))
		mm, err := s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm)
	})
}
