package store

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/deadline"
)

// A unit's bad-review appeal (000 第六条) is stored as a request and an event history, rebuilt by
// replay on every read, under a version like tickets.
func TestAppealCase(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		sh := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, deadline.Location()) }
		req := appeal.Request{
			Ticket:   appeal.TicketRef{ID: "T1", UnitID: "unit-b", ReceivedAt: sh(16, 9)},
			ReviewID: "R1", Ground: appeal.GroundMalicious, Defence: "评价与办理无关", Evidence: []string{"E1"},
			Reviewer: appeal.Reviewer{Unit: "dcj", Level: appeal.ReviewerDistrict},
		}
		byUnit := appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "unit-b"}
		_, err := s.FileAppeal(ctx, unitA, req, byUnit, sh(18, 9))
		assert.ErrorIs(t, err, ErrForbidden, "unit-a may not file for unit-b")

		rec, err := s.FileAppeal(ctx, unitB, req, byUnit, sh(18, 9))
		require.NoError(t, err)
		assert.Equal(t, int64(1), rec.Version)
		_, err = s.GetCase(ctx, unitA, rec.ID)
		assert.ErrorIs(t, err, ErrNotFound)

		dept := appeal.Actor{Role: appeal.RoleCompetent, Unit: "dcj"}
		_, _, err = s.ApplyCase(ctx, superv, rec.ID, 7, appeal.Action{Kind: appeal.ActionUphold, Reason: "证据充分"}, dept, sh(20, 9))
		var ve *VersionError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, int64(1), ve.Current)
		got, effects, err := s.ApplyCase(ctx, superv, rec.ID, 1, appeal.Action{Kind: appeal.ActionUphold, Reason: "证据充分"}, dept, sh(20, 9))
		require.NoError(t, err)
		assert.Equal(t, int64(2), got.Version)
		assert.NotEmpty(t, effects)

		back, err := s.GetCase(ctx, unitB, rec.ID)
		require.NoError(t, err)
		assert.Equal(t, got.Machine.State(), back.Machine.State())
		assert.Len(t, back.Machine.History(), 2)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
		mm, err := s.VerifyCases(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm)
		_, err = s.db.ExecContext(ctx, "UPDATE cases SET state = 'rejected' WHERE id = ?", rec.ID)
		require.NoError(t, err)
		mm, err = s.VerifyCases(ctx, auditor)
		require.NoError(t, err)
		require.Len(t, mm, 1)
		assert.Equal(t, rec.ID, mm[0].ID)
	})
}
