package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/ticket"
)

// handledReviewTicket stores a bad review with its ticket, dispatched to unit-a, which has made first
// contact: the state an appeal's effect can close (000 §6 (二)). It returns the ticket.
func handledReviewTicket(t *testing.T, s *Store, reviewID string) (string, *ticket.Ticket) {
	t.Helper()
	ctx := context.Background()
	res, err := s.IntakeReview(ctx, office, ReviewIntakeRequest{Review: sampleReview(reviewID, "unit-a", assess.Dissatisfied, "2026-11-22 11:00"),
		Ticket: reviewTicket()}, at("2026-11-23 09:00"))
	require.NoError(t, err)
	_, err = s.Apply(ctx, office, res.Ticket.ID, 1, dispatch("unit-a"), at("2026-11-23 09:30"))
	require.NoError(t, err)
	_, err = s.Apply(ctx, unitA, res.Ticket.ID, 2, ticket.Request{Action: ticket.ActionFirstContact}, at("2026-11-23 10:00"))
	require.NoError(t, err)
	rec, err := s.Get(ctx, unitA, res.Ticket.ID)
	require.NoError(t, err)
	return res.Ticket.ID, rec.Ticket
}

func appealOf(tk *ticket.Ticket, reviewID string) appeal.Request {
	return appeal.Request{
		Ticket:   appeal.TicketRef{ID: tk.Number.String(), UnitID: tk.Assignment.Lead, ReceivedAt: tk.Assignment.Dispatched},
		ReviewID: reviewID, Ground: appeal.GroundMalicious, Defence: "评价与办理无关", Evidence: []string{"E1"},
		Reviewer: appeal.Reviewer{Unit: "dcj", Level: appeal.ReviewerDistrict},
	}
}

// closePlan is the plan an upheld appeal asks for (server/loop.PlanEffects gives the same): void the
// review, and the unit closes the ticket as unfounded.
func closePlan(t *ticket.Ticket, c CaseRecord, effects []appeal.Effect) (CasePlan, error) {
	var p CasePlan
	for _, e := range effects {
		switch e := e.(type) {
		case appeal.VoidReview:
			p.VoidReviews = append(p.VoidReviews, e.ReviewID)
		case appeal.CloseTicketAsUnfounded:
			p.Steps = append(p.Steps, ticket.Request{Actor: e.Unit, Role: ticket.RoleHandlingUnit, Action: ticket.ActionCloseUnfounded,
				Payload: ticket.Payload{AppealReview: &ticket.AppealReview{Appeal: c.ID, Review: "R-1", Reviewer: "dcj", Level: ticket.ReviewerLevel("district")}}})
		}
	}
	return p, nil
}

// An upheld appeal's decision, the void of its review and the unit's close as unfounded are written
// in one transaction (000 §6 (二): 评价结果不予采纳; 按照不属实评价办结).
func TestDecideCase(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		id, tk := handledReviewTicket(t, s, "R-1")
		byUnit := appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "unit-a"}
		dept := appeal.Actor{Role: appeal.RoleCompetent, Unit: "dcj"}
		uphold := appeal.Action{Kind: appeal.ActionUphold, Reason: "证据充分"}
		c, err := s.FileAppeal(ctx, unitA, appealOf(tk, "R-1"), byUnit, at("2026-11-24 09:00"))
		require.NoError(t, err)

		t.Run("a plan that fails leaves everything as it was", func(t *testing.T) {
			boom := errors.New("planner refuses")
			_, err := s.DecideCase(ctx, superv, c.ID, 1, uphold, dept, func(*ticket.Ticket, CaseRecord, []appeal.Effect) (CasePlan, error) {
				return CasePlan{}, boom
			}, at("2026-11-25 09:00"))
			assert.ErrorIs(t, err, boom)
			got, err := s.GetCase(ctx, superv, c.ID)
			require.NoError(t, err)
			assert.Equal(t, int64(1), got.Version)
			assert.Equal(t, appeal.StateUnderReview, got.Machine.State())
		})
		t.Run("a step the lifecycle refuses leaves everything as it was", func(t *testing.T) {
			_, err := s.DecideCase(ctx, superv, c.ID, 1, uphold, dept, func(tk *ticket.Ticket, c CaseRecord, e []appeal.Effect) (CasePlan, error) {
				p, _ := closePlan(tk, c, e)
				p.Steps = append(p.Steps, ticket.Request{Actor: "unit-a", Role: ticket.RoleHandlingUnit, Action: ticket.ActionReply})
				return p, nil
			}, at("2026-11-25 09:00"))
			assert.ErrorIs(t, err, ticket.ErrIllegalTransition)
			got, err := s.Review(ctx, superv, "R-1")
			require.NoError(t, err)
			assert.False(t, got.Voided)
			rec, err := s.Get(ctx, unitA, id)
			require.NoError(t, err)
			assert.Equal(t, ticket.StateHandling, rec.Ticket.State)
		})
		t.Run("a stale version", func(t *testing.T) {
			_, err := s.DecideCase(ctx, superv, c.ID, 4, uphold, dept, closePlan, at("2026-11-25 09:00"))
			var ve *VersionError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, int64(1), ve.Current)
		})

		d, err := s.DecideCase(ctx, superv, c.ID, 1, uphold, dept, closePlan, at("2026-11-25 09:00"))
		require.NoError(t, err)
		assert.Equal(t, int64(2), d.Case.Version)
		assert.Len(t, d.Effects, 2)
		assert.Equal(t, []string{"R-1"}, d.Voided)
		assert.Equal(t, id, d.TicketID)
		assert.Equal(t, int64(4), d.TicketVersion)
		require.Len(t, d.Events, 1)
		assert.Equal(t, ticket.StateClosedUnfounded, d.Events[0].To)
		assert.Equal(t, "unit-a", d.Events[0].Actor, "the unit the effect names closes its ticket")

		got, err := s.Review(ctx, superv, "R-1")
		require.NoError(t, err)
		assert.True(t, got.Voided)
		assert.Equal(t, appeal.UnfoundedReview, got.VoidReason)
		rec, err := s.Get(ctx, unitA, id)
		require.NoError(t, err)
		assert.Equal(t, ticket.StateClosedUnfounded, rec.Ticket.State)
		assert.Equal(t, int64(4), rec.Version)

		t.Run("an action without effects touches no ticket", func(t *testing.T) {
			c2, err := s.FileAppeal(ctx, unitA, func() appeal.Request { r := appealOf(tk, "R-1"); r.Ground = appeal.GroundMistaken; return r }(),
				byUnit, at("2026-11-26 09:00"))
			require.NoError(t, err)
			called := false
			d, err := s.DecideCase(ctx, unitA, c2.ID, 1, appeal.Action{Kind: appeal.ActionWithdraw}, byUnit,
				func(*ticket.Ticket, CaseRecord, []appeal.Effect) (CasePlan, error) {
					called = true
					return CasePlan{}, nil
				}, at("2026-11-26 10:00"))
			require.NoError(t, err)
			assert.False(t, called)
			assert.Empty(t, d.TicketID)
			assert.Equal(t, appeal.StateWithdrawn, d.Case.Machine.State())
		})
		t.Run("an auditor decides nothing", func(t *testing.T) {
			_, err := s.DecideCase(ctx, auditor, c.ID, 2, uphold, dept, closePlan, at("2026-11-25 09:00"))
			assert.ErrorIs(t, err, ErrForbidden)
		})
		require.NoError(t, s.VerifyAudit(ctx, auditor))
		mm, err := s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm)
		mm, err = s.VerifyCases(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm)
	})
}

// The assessment reads the tickets of its period: received before its end, changed in it or still
// open; scoped like every read.
func TestAssessmentTickets(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		id, _ := handledReviewTicket(t, s, "R-1")
		other, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake("路灯不亮")}, at("2026-11-23 11:00"))
		require.NoError(t, err)
		_, err = s.Apply(ctx, office, other.ID, 1, dispatch("unit-b"), at("2026-11-23 11:30"))
		require.NoError(t, err)
		nov, dec := at("2026-11-01 00:00"), at("2026-12-01 00:00")

		all, err := s.AssessmentTickets(ctx, superv, nov, dec)
		require.NoError(t, err)
		require.Len(t, all, 2)
		for _, tk := range all {
			assert.Equal(t, ticket.Person{}, tk.Citizen, "no identity is read")
			assert.NotEmpty(t, tk.History)
		}
		mine, err := s.AssessmentTickets(ctx, unitA, nov, dec)
		require.NoError(t, err)
		require.Len(t, mine, 1)
		assert.Equal(t, ticket.KindReview, mine[0].Kind)
		assert.Len(t, mine[0].History, 3)

		before, err := s.AssessmentTickets(ctx, superv, at("2026-10-01 00:00"), nov)
		require.NoError(t, err)
		assert.Empty(t, before, "received after the period")
		later, err := s.AssessmentTickets(ctx, superv, dec, dec.Add(31*24*time.Hour))
		require.NoError(t, err)
		assert.Len(t, later, 2, "still open: they may count against December's on-time rate")
		_, err = s.AssessmentTickets(ctx, admin, nov, dec)
		assert.ErrorIs(t, err, ErrForbidden)
		_, err = s.AssessmentTickets(ctx, superv, dec, nov)
		assert.ErrorIs(t, err, ErrInvalid)
		_ = id
	})
}
