package store

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/ticket"
)

// testdata/legacy_history_2027*.json are stored histories from before events recorded the deadlines
// they set (ticket.Event.Dues, 2026-11-30): the intake (the citizen kept apart, as the store keeps
// it) and dispatch of sampleIntake("春节前") received Friday 2027-01-29 10:00 and dispatched at 10:30,
// applied on the lifecycle of commit fe38a66 (the last without Dues), 2027 not yet published. On the
// built-in calendar the notes say "first contact … due 2027-02-02 00:00 (provisional)" and "reply due
// 2027-02-10 00:00 (provisional)" (004 §8 (一), (二)); the _override file was written while a local
// schedule file made 2027-02-01 a day off (due 02-03 and 02-11). Their events carry no dues, so
// replay recounts them on the calendar, and once the 2027 schedule (春节 02-05 to 02-11) is published
// the recount gives other deadlines than the notes recorded.
//
// Written on the built-in calendar, such a history still verifies — replayed on the calendar it was
// written under — after the schedule is published, after the reclock, and with a later event
// recorded on the new schedule. Written under a schedule the store no longer has, it is reported,
// with a message that says why and what to do.
func TestVerifyLegacyHistoryAfterScheduleChange(t *testing.T) {
	n, err := deadline.ParseHolidayCN("2027.json", []byte(notice2027))
	require.NoError(t, err)
	published, err := deadline.China().WithNotices(n)
	require.NoError(t, err)
	local, err := deadline.China().WithOverrides(deadline.ScheduleDay{Date: "2027-02-01", Off: true, Name: "补休"})
	require.NoError(t, err)
	for _, c := range []struct {
		fixture string
		written *deadline.Calendar
		flagged bool
	}{
		{"testdata/legacy_history_2027.json", deadline.China(), false},
		{"testdata/legacy_history_2027_override.json", local, true},
	} {
		fixture, err := os.ReadFile(c.fixture)
		require.NoError(t, err)
		var legacy []json.RawMessage
		require.NoError(t, json.Unmarshal(fixture, &legacy))
		require.Len(t, legacy, 2)
		t.Run(c.fixture, func(t *testing.T) {
			eachDialect(t, func(t *testing.T, s *Store) {
				ctx := context.Background()
				seedUnits(t, s)
				require.NoError(t, s.SetCalendar(c.written))
				res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake("春节前")}, at("2027-01-29 10:00"))
				require.NoError(t, err)
				_, err = s.Apply(ctx, office, res.ID, 1, dispatch("unit-a"), at("2027-01-29 10:30"))
				require.NoError(t, err)
				// The store's events are replaced by the legacy ones, as a database from before
				// the change holds them.
				dropTriggers(t, s)
				for i, body := range legacy {
					var ev ticket.Event
					require.NoError(t, json.Unmarshal(body, &ev))
					require.Nil(t, ev.Dues, "a legacy event")
					compact, err := json.Marshal(ev)
					require.NoError(t, err)
					_, err = s.db.NewUpdate().Table("ticket_events").Set("body = ?", compact).Where("ticket_id = ? AND seq = ?", res.ID, i+1).Exec(ctx)
					require.NoError(t, err)
				}
				mm, err := s.VerifyTickets(ctx, auditor)
				require.NoError(t, err)
				assert.Empty(t, mm, "the legacy history replays on the calendar it was written under")

				require.NoError(t, s.SetCalendar(published))
				_, err = s.machine.load().Replay(mustEvents(t, s, res.ID))
				require.ErrorIs(t, err, ticket.ErrHistoryMismatch, "recounted on the published schedule, the notes differ")
				mm, err = s.VerifyTickets(ctx, auditor)
				require.NoError(t, err)
				if c.flagged {
					_, err = s.machine.Replay(mustEvents(t, s, res.ID))
					var le *LegacyHistoryError
					require.ErrorAs(t, err, &le)
					assert.ErrorIs(t, err, ticket.ErrHistoryMismatch)
					require.Len(t, mm, 1)
					assert.Equal(t, res.ID, mm[0].ID)
					assert.Contains(t, mm[0].Reason, "re-verify it against the schedule in force when it was written")
					return
				}
				assert.Empty(t, mm, "schedule published: replayed on the calendar it was written under")

				r, err := s.Reclock(ctx, system, ReclockOptions{Limit: 10}, at("2027-01-30 08:00"))
				require.NoError(t, err)
				require.Equal(t, 1, r.Changed)
				mm, err = s.VerifyTickets(ctx, auditor)
				require.NoError(t, err)
				assert.Empty(t, mm, "reclocked")

				rec, err := s.Apply(ctx, office, res.ID, 2, ticket.Request{Action: ticket.ActionFirstContact}, at("2027-02-01 09:00"))
				require.NoError(t, err)
				require.NotEmpty(t, rec.Event.Reclocked, "the first event after a legacy one states the running clocks' deadlines")
				mm, err = s.VerifyTickets(ctx, auditor)
				require.NoError(t, err)
				assert.Empty(t, mm, "a later event on the new schedule")
			})
		})
	}
}

// mustEvents loads the history of ticket id with its citizen.
func mustEvents(t *testing.T, s *Store, id string) []ticket.Event {
	t.Helper()
	ctx := context.Background()
	var row ticketRow
	require.NoError(t, s.db.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx))
	person, err := s.openIdentity(id, row.Identity)
	require.NoError(t, err)
	events, err := s.events(ctx, s.db, id, person)
	require.NoError(t, err)
	return events
}
