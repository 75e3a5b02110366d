package store

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/ticket"
)

// Tickets whose history records a provisional 2027 deadline (004 §8 (二)) still verify after the
// schedule is published and the clocks reclocked, before and after a later event; an edited deadline
// in a stored event is still reported.
func TestVerifyAfterScheduleChange(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake("春节前")}, at("2027-01-29 10:00"))
		require.NoError(t, err)
		_, err = s.Apply(ctx, office, res.ID, 1, dispatch("unit-a"), at("2027-01-29 10:30"))
		require.NoError(t, err)

		n, err := deadline.ParseHolidayCN("2027.json", []byte(notice2027))
		require.NoError(t, err)
		cal, err := deadline.China().WithNotices(n)
		require.NoError(t, err)
		require.NoError(t, s.SetCalendar(cal))
		mm, err := s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm, "schedule swapped, not yet reclocked")

		r, err := s.Reclock(ctx, system, ReclockOptions{Limit: 10}, at("2027-01-30 08:00"))
		require.NoError(t, err)
		require.Equal(t, 1, r.Changed)
		mm, err = s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm, "reclocked")

		// Tampering (triggers dropped): the recorded provisional reply deadline moved a day.
		dropTriggers(t, s)
		var row eventRow
		require.NoError(t, s.db.NewSelect().Model(&row).Where("ticket_id = ? AND seq = 2", res.ID).Scan(ctx))
		var ev ticket.Event
		require.NoError(t, json.Unmarshal(row.Body, &ev))
		require.NotEmpty(t, ev.Dues)
		ev.Dues[len(ev.Dues)-1].Due.At = ev.Dues[len(ev.Dues)-1].Due.At.AddDate(0, 0, 1)
		body, err := json.Marshal(ev)
		require.NoError(t, err)
		_, err = s.db.NewUpdate().Table("ticket_events").Set("body = ?", body).Where("ticket_id = ? AND seq = 2", res.ID).Exec(ctx)
		require.NoError(t, err)
		mm, err = s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		require.Len(t, mm, 1)
		assert.Equal(t, res.ID, mm[0].ID)
		assert.Contains(t, mm[0].Reason, "does not replay")
	})
}
