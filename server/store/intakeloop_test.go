package store

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/ticket"
)

// The intake's answer is kept with its key: a retry reads it back, Intake still replays from it, and
// another sender's key or ticket is not found.
func TestIntakeAnswer(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		now := at("2026-11-23 09:00")
		res, err := s.Intake(ctx, office, IntakeRequest{Key: "k-1", Intake: sampleIntake("噪声")}, now)
		require.NoError(t, err)

		got, id, err := s.IntakeAnswer(ctx, office, "k-1")
		require.NoError(t, err)
		assert.Equal(t, res.ID, id)
		var stored IntakeResult
		require.NoError(t, json.Unmarshal(got, &stored))
		assert.Equal(t, res.ID, stored.ID)

		answer, err := json.Marshal(map[string]any{"id": res.ID, "number": res.Number, "version": 2, "screening": map[string]any{"outcome": "accept"}})
		require.NoError(t, err)
		require.NoError(t, s.SaveIntakeAnswer(ctx, office, "k-1", res.ID, answer))
		got, _, err = s.IntakeAnswer(ctx, office, "k-1")
		require.NoError(t, err)
		assert.JSONEq(t, string(answer), string(got))

		again, err := s.Intake(ctx, office, IntakeRequest{Key: "k-1", Intake: sampleIntake("噪声")}, now)
		require.NoError(t, err)
		assert.True(t, again.Replayed)
		assert.Equal(t, res.ID, again.ID)
		assert.Equal(t, int64(2), again.Version, "the replay reads the answer kept")

		assert.ErrorIs(t, s.SaveIntakeAnswer(ctx, office, "k-1", "another-ticket", answer), ErrInvalid)
		other, _ := json.Marshal(map[string]any{"id": "another-ticket", "number": "x", "version": 1})
		assert.ErrorIs(t, s.SaveIntakeAnswer(ctx, office, "k-1", "another-ticket", other), ErrNotFound)
		assert.ErrorIs(t, s.SaveIntakeAnswer(ctx, office2, "k-1", res.ID, answer), ErrNotFound, "keys are per sender")
		assert.ErrorIs(t, s.SaveIntakeAnswer(ctx, office, "k-1", res.ID, []byte(`[]`)), ErrInvalid)
		_, _, err = s.IntakeAnswer(ctx, office2, "k-1")
		assert.ErrorIs(t, err, ErrNotFound)
	})
}

// A designation by the leader in charge (004 §6 上报分管领导，由分管领导指定处置单位) is recorded by the
// hotline office: the event names the leader, the audit chain the office's operator.
func TestApplyOnBehalf(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		now := at("2026-11-23 09:00")
		res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake("噪声")}, now)
		require.NoError(t, err)
		designate := ticket.Request{Actor: "分管领导", Role: ticket.RoleLeader, Action: ticket.ActionDesignate,
			Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "unit-a", DispatchMode: ticket.DispatchDesignated}}}

		tests := []struct {
			name string
			p    Principal
			r    ticket.Request
			want error
		}{
			{"a unit records nothing for others", unitA, designate, ErrForbidden},
			{"a supervisor neither", superv, designate, ErrForbidden},
			{"only a leader's or an upper office's decision", office, ticket.Request{Actor: "x", Role: ticket.RoleHandlingUnit,
				Action: ticket.ActionFirstContact}, ErrForbidden},
			{"who decided is required", office, ticket.Request{Role: ticket.RoleLeader, Action: ticket.ActionDesignate,
				Payload: designate.Payload}, ErrInvalid},
			{"another office does not see it", office2, designate, ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.ApplyOnBehalf(ctx, tt.p, res.ID, 1, tt.r, now)
				assert.ErrorIs(t, err, tt.want)
			})
		}
		_, err = s.ApplyOnBehalf(ctx, office, res.ID, 7, designate, now)
		assert.ErrorIs(t, err, ErrStaleVersion)

		got, err := s.ApplyOnBehalf(ctx, office, res.ID, 1, designate, now)
		require.NoError(t, err)
		assert.Equal(t, int64(2), got.Version)
		assert.Equal(t, "分管领导", got.Event.Actor)
		assert.Equal(t, ticket.RoleLeader, got.Event.Role)
		rec, err := s.Get(ctx, unitA, res.ID)
		require.NoError(t, err, "the designated unit now handles it")
		assert.Equal(t, "分管领导", rec.Ticket.Assignment.DesignatedBy)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
		mm, err := s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm, "the stored history replays")
		assert.Same(t, s.machine.load(), s.Machine())
		role, ok := TicketRole(RoleSupervisor)
		assert.True(t, ok)
		assert.Equal(t, ticket.RoleSupervisor, role)
		_, ok = TicketRole(RoleAuditor)
		assert.False(t, ok)
	})
}

// A read concurrent with changes sees one version of the ticket: its row and its first version
// events, never the row of one version with the events of a later one (PostgreSQL reads each
// statement of a READ COMMITTED transaction at its own instant).
func TestGetDuringChanges(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		now := at("2026-11-23 09:00")
		res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake("噪声")}, now)
		require.NoError(t, err)
		const changes = 40
		done := make(chan error, 1)
		go func() {
			for v := int64(1); v <= changes; v++ {
				if _, err := s.Apply(ctx, office, res.ID, v, ticket.Request{Action: ticket.ActionSupervise,
					Payload: ticket.Payload{Supervision: &ticket.Supervision{Trigger: ticket.TriggerUnresolved}}}, now); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
		reads := 0
		for {
			select {
			case err := <-done:
				require.NoError(t, err)
				require.Positive(t, reads)
				return
			default:
			}
			rec, err := s.Get(ctx, superv, res.ID)
			require.NoError(t, err)
			require.Len(t, rec.Ticket.History, int(rec.Version))
			require.Equal(t, int(rec.Version)-1, rec.Ticket.Counters.Supervisions)
			reads++
		}
	})
}
