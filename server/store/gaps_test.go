package store

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/ticket"
)

// dispatchedTicket takes in a complaint as the office and dispatches it to lead; it returns the
// ticket's ID and the ticket.
func dispatchedTicket(t *testing.T, s *Store, title, lead string) (string, *ticket.Ticket) {
	t.Helper()
	ctx := context.Background()
	res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake(title)}, at("2026-11-23 09:00"))
	require.NoError(t, err)
	_, err = s.Apply(ctx, office, res.ID, 1, dispatch(lead), at("2026-11-23 09:30"))
	require.NoError(t, err)
	rec, err := s.Get(ctx, office, res.ID)
	require.NoError(t, err)
	return res.ID, rec.Ticket
}

func refOf(tk *ticket.Ticket) appeal.TicketRef {
	return appeal.TicketRef{ID: tk.Number.String(), UnitID: tk.Assignment.Lead, ReceivedAt: tk.Assignment.Dispatched}
}

// Case scoping, as a table of principals × cases: a handling unit sees its own unit's cases and its
// subordinates', an objection naming it as the suggested unit (000 §7 (二): the suggested unit may
// object in turn), and the reconsideration of a ticket it handles — the hotline office files it for
// the citizen (002 §6 (二) 3) and it concerns the ticket's handling unit; the other roles see every
// case, the admin none.
func TestCaseScoping(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		_, t1 := dispatchedTicket(t, s, "T1", "unit-a")
		_, t3 := dispatchedTicket(t, s, "T3", "unit-b")
		now := at("2026-11-24 09:00")
		byA := appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "unit-a"}
		byOffice := appeal.Actor{Role: appeal.RoleHotlineOffice, Unit: "office-bs"}
		reviewer := appeal.Reviewer{Unit: "dcj", Level: appeal.ReviewerDistrict}

		ap, err := s.FileAppeal(ctx, unitA, appeal.Request{Ticket: refOf(t1), ReviewID: "R1", Ground: appeal.GroundMalicious,
			Defence: "评价与办理无关", Evidence: []string{"E1"}, Reviewer: reviewer}, byA, now)
		require.NoError(t, err)
		ob, err := s.FileObjection(ctx, unitA, appeal.ObjectionRequest{Ticket: refOf(t1), Basis: appeal.BasisDepartment,
			BasisText: "房屋维修属房管局职责", SuggestedUnit: "unit-b", Reviewer: reviewer}, byA, now)
		require.NoError(t, err)
		rc1, err := s.FileReconsideration(ctx, office, appeal.ReconsiderationRequest{Ticket: refOf(t1), Reason: "噪声仍未解决"}, byOffice, now)
		require.NoError(t, err)
		rc3, err := s.FileReconsideration(ctx, office, appeal.ReconsiderationRequest{Ticket: refOf(t3), Reason: "维修未完成"}, byOffice, now)
		require.NoError(t, err)
		all := []string{ap.ID, ob.ID, rc1.ID, rc3.ID}
		names := map[string]string{ap.ID: "appeal by unit-a on T1", ob.ID: "objection by unit-a naming unit-b",
			rc1.ID: "office's reconsideration on T1 (unit-a)", rc3.ID: "office's reconsideration on T3 (unit-b)"}

		table := []struct {
			p    Principal
			sees []string
		}{
			{office, all},
			{unitA, []string{ap.ID, ob.ID, rc1.ID}},
			{unitA1, nil}, // below unit-a: not unit-a's cases, and it handles neither ticket
			{unitB, []string{ob.ID, rc3.ID}},
			{superv, all},
			{auditor, all},
			{system, all},
			{admin, nil},
		}
		for _, row := range table {
			t.Run(string(row.p.Role)+"/"+row.p.Unit, func(t *testing.T) {
				for _, id := range all {
					_, err := s.GetCase(ctx, row.p, id)
					if contains(row.sees, id) {
						assert.NoError(t, err, names[id])
					} else {
						assert.ErrorIs(t, err, ErrNotFound, names[id])
					}
				}
			})
		}

		// Visibility follows the ticket's handlers: once unit-a1 co-handles T1 it sees the office's
		// reconsideration of T1, not unit-a's own appeal.
		tid, err := s.ticketByRef(ctx, s.db, t1.Number.String())
		require.NoError(t, err)
		_, err = s.Apply(ctx, unitA, tid, 2, ticket.Request{Action: ticket.ActionReturn,
			Payload: ticket.Payload{Return: &ticket.Return{SuggestedUnit: "unit-a1", Basis: "属城管中队职责"}}}, at("2026-11-24 10:00"))
		require.NoError(t, err)
		_, err = s.Apply(ctx, office, tid, 3, dispatch("unit-a1"), at("2026-11-24 11:00"))
		require.NoError(t, err)
		_, err = s.GetCase(ctx, unitA1, rc1.ID)
		assert.NoError(t, err, "unit-a1 handles T1 now")
		_, err = s.GetCase(ctx, unitA1, ap.ID)
		assert.ErrorIs(t, err, ErrNotFound, "unit-a's appeal is unit-a's")
	})
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// 000 §4 (一): the system that took a 国办 item in records the hotline office's return upstream (or
// archive) on the office's behalf — the event names the office's role, the audit chain the system as
// recorder — and nothing else; an office records its own with Apply.
func TestApplyScreening(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		in := sampleIntake("国办转来：外省事项")
		in.Channel, in.Upstream, in.Place.RegionCode = ticket.ChannelStateCouncil, "GOV-1", "110105"
		res, err := s.Intake(ctx, system, IntakeRequest{Intake: in, SourcePlatform: system.Unit}, at("2026-11-23 09:00"))
		require.NoError(t, err)
		ret := ticket.Request{Actor: system.Actor, Role: ticket.RoleHotlineOffice, Action: ticket.ActionReturnUpstream,
			Payload: ticket.Payload{Refusal: &ticket.Refusal{Code: "outside_remit", Explanation: "您反映的事项超出本市事权范围，已按规定退回或归档。"}}}
		now := at("2026-11-23 09:00")

		tests := []struct {
			name string
			p    Principal
			r    func() ticket.Request
			want error
		}{
			{"an office applies its own", office, func() ticket.Request { return ret }, ErrForbidden},
			{"a handling unit", unitA, func() ticket.Request { return ret }, ErrForbidden},
			{"a dispatch is not screening", system, func() ticket.Request {
				r := dispatch("unit-a")
				r.Actor, r.Role = system.Actor, ticket.RoleHotlineOffice
				return r
			}, ErrForbidden},
			{"in the system's own role", system, func() ticket.Request { r := ret; r.Role = ticket.RoleSystem; return r }, ErrForbidden},
			{"no actor", system, func() ticket.Request { r := ret; r.Actor = " "; return r }, ErrInvalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.ApplyScreening(ctx, tt.p, res.ID, 1, tt.r(), now)
				assert.ErrorIs(t, err, tt.want)
			})
		}
		_, err = s.ApplyScreening(ctx, system, res.ID, 7, ret, now)
		assert.ErrorIs(t, err, ErrStaleVersion)

		got, err := s.ApplyScreening(ctx, system, res.ID, 1, ret, now)
		require.NoError(t, err)
		assert.Equal(t, int64(2), got.Version)
		assert.Equal(t, ticket.RoleHotlineOffice, got.Event.Role)
		assert.Equal(t, ticket.StateReturnedUpstream, got.Event.To)
		rec, err := s.Get(ctx, system, res.ID)
		require.NoError(t, err)
		assert.Equal(t, "outside_remit", rec.Ticket.Refusal.Code)
		n, err := s.db.NewSelect().Table("audit_log").Where("action = ? AND subject = ?", "ticket.on_behalf", res.ID).Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 1, n, "the audit chain names the system as the recorder")
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

// 000 §7 (二): when the suggested unit of an upheld objection objects in turn, the designating
// authority's designation is carried out on the ticket — the disputing unit's return naming the
// designated unit, then the authority's designation — recorded by the hotline office on the
// authority's behalf, in one transaction, never to the unit whose objection was upheld.
func TestApplyDesignation(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		tid, tk := dispatchedTicket(t, s, "房屋漏水", "unit-a")
		reviewer := appeal.Reviewer{Unit: "dcj", Level: appeal.ReviewerDistrict}
		ob, err := s.FileObjection(ctx, unitA, appeal.ObjectionRequest{Ticket: refOf(tk), Basis: appeal.BasisDepartment,
			BasisText: "房屋维修属房管局职责", SuggestedUnit: "unit-b", Reviewer: reviewer},
			appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "unit-a"}, at("2026-11-24 09:00"))
		require.NoError(t, err)

		returnPlan := func(t *ticket.Ticket, c CaseRecord, effects []appeal.Effect) (CasePlan, error) {
			var p CasePlan
			for _, e := range effects {
				if r, ok := e.(appeal.ReturnTicket); ok {
					p.Steps = append(p.Steps, ticket.Request{Actor: r.ExcludeUnit, Role: ticket.RoleHandlingUnit, Action: ticket.ActionReturn,
						Payload: ticket.Payload{Return: &ticket.Return{SuggestedUnit: r.SuggestedUnit, Basis: "房管局职责"}}})
				}
			}
			return p, nil
		}
		d, err := s.DecideCase(ctx, superv, ob.ID, 1, appeal.Action{Kind: appeal.ActionUphold, Reason: "属房管局职责"},
			appeal.Actor{Role: appeal.RoleCompetent, Unit: "dcj"}, returnPlan, at("2026-11-24 10:00"))
		require.NoError(t, err)
		require.Equal(t, int64(3), d.TicketVersion)
		_, err = s.Apply(ctx, office, tid, 3, dispatch("unit-b"), at("2026-11-24 11:00"))
		require.NoError(t, err)

		// Before unit-b objects, there is nothing to designate.
		designate := func(lead string) Planner {
			return func(_ *ticket.Ticket, _ CaseRecord, effects []appeal.Effect) (CasePlan, error) {
				if len(effects) != 1 {
					return CasePlan{}, errors.New("want one designation effect")
				}
				des := effects[0].(appeal.Designate)
				return CasePlan{Steps: []ticket.Request{
					{Actor: des.Disputing, Role: ticket.RoleHandlingUnit, Action: ticket.ActionReturn,
						Payload: ticket.Payload{Return: &ticket.Return{SuggestedUnit: lead, Basis: des.Reason}}},
					{Actor: des.Authority, Role: ticket.RoleLeader, Action: ticket.ActionDesignate,
						Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: lead, DispatchMode: ticket.DispatchDesignated}}},
				}}, nil
			}
		}
		_, err = s.ApplyDesignation(ctx, office, tid, 4, designate("unit-a1"), at("2026-11-24 12:00"))
		assert.ErrorIs(t, err, ErrNotFound)

		// The suggested unit sees the objection that names it and objects in turn.
		c, err := s.GetCase(ctx, unitB, ob.ID)
		require.NoError(t, err)
		assert.Contains(t, c.Machine.Allowed(appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "unit-b"}), appeal.ActionObject)
		none := func(*ticket.Ticket, CaseRecord, []appeal.Effect) (CasePlan, error) { return CasePlan{}, nil }
		d, err = s.DecideCase(ctx, unitB, ob.ID, 2, appeal.Action{Kind: appeal.ActionObject, Basis: appeal.BasisLevel, Reason: "属街道事权"},
			appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "unit-b"}, none, at("2026-11-24 13:00"))
		require.NoError(t, err)
		assert.Equal(t, appeal.StateReferred, d.Case.Machine.State())

		t.Run("refused", func(t *testing.T) {
			_, err := s.ApplyDesignation(ctx, unitB, tid, 4, designate("unit-a1"), at("2026-11-24 14:00"))
			assert.ErrorIs(t, err, ErrForbidden, "a unit does not record the authority's designation")
			_, err = s.ApplyDesignation(ctx, office, tid, 3, designate("unit-a1"), at("2026-11-24 14:00"))
			assert.ErrorIs(t, err, ErrStaleVersion)
			_, err = s.ApplyDesignation(ctx, office2, tid, 4, designate("unit-a1"), at("2026-11-24 14:00"))
			assert.ErrorIs(t, err, ErrNotFound, "outside the other office's jurisdiction")
			other := func(t *ticket.Ticket, c CaseRecord, effects []appeal.Effect) (CasePlan, error) {
				return CasePlan{Steps: []ticket.Request{{Actor: "operator-7", Role: ticket.RoleHotlineOffice, Action: ticket.ActionSupervise,
					Payload: ticket.Payload{Supervision: &ticket.Supervision{Trigger: ticket.TriggerShirking}}}}}, nil
			}
			_, err = s.ApplyDesignation(ctx, office, tid, 4, other, at("2026-11-24 14:00"))
			assert.ErrorIs(t, err, ErrForbidden, "only the return and the designation")
			failing := func(*ticket.Ticket, CaseRecord, []appeal.Effect) (CasePlan, error) {
				return CasePlan{}, errors.New("no")
			}
			_, err = s.ApplyDesignation(ctx, office, tid, 4, failing, at("2026-11-24 14:00"))
			assert.Error(t, err)
			rec, err := s.Get(ctx, office, tid)
			require.NoError(t, err)
			assert.Equal(t, int64(4), rec.Version, "nothing written")
		})

		d, err = s.ApplyDesignation(ctx, office, tid, 4, designate("unit-a1"), at("2026-11-24 15:00"))
		require.NoError(t, err)
		assert.Equal(t, int64(6), d.TicketVersion)
		require.Len(t, d.Events, 2)
		assert.Equal(t, ticket.ActionReturn, d.Events[0].Action)
		assert.Equal(t, "unit-b", d.Events[0].Actor)
		assert.Equal(t, ticket.ActionDesignate, d.Events[1].Action)
		assert.Equal(t, ticket.RoleLeader, d.Events[1].Role)
		assert.Equal(t, appeal.CityOffice, d.Events[1].Actor)
		rec, err := s.Get(ctx, unitA1, tid)
		require.NoError(t, err)
		assert.Equal(t, "unit-a1", rec.Ticket.Assignment.Lead)
		assert.Equal(t, ticket.DispatchDesignated, rec.Ticket.Assignment.DispatchMode)
		assert.Equal(t, []string{"unit-a", "unit-b"}, rec.Ticket.Assignment.Returned)
		_, err = s.ApplyDesignation(ctx, office, tid, 6, designate("unit-a1"), at("2026-11-24 16:00"))
		assert.ErrorIs(t, err, ErrNotFound, "the ticket is no longer held by the disputing unit")
		n, err := s.db.NewSelect().Table("audit_log").Where("action = ? AND subject = ?", "objection.designation", ob.ID).Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 1, n)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

// An intake's step keeps the intake's answer in its own transaction — kept if and only if the step
// is stored — and returns the ticket after it as Get returns it, so the intake neither writes nor
// reads again to answer.
func TestApplyIntakeStep(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		res, err := s.Intake(ctx, office, IntakeRequest{Key: "k-1", Intake: sampleIntake("工地噪声")}, at("2026-11-23 09:00"))
		require.NoError(t, err)
		answer := func(version int64) []byte {
			b, err := json.Marshal(map[string]any{"id": res.ID, "number": res.Number, "version": version, "stored": true})
			require.NoError(t, err)
			return b
		}
		now := at("2026-11-23 09:01")
		tests := []struct {
			name string
			step IntakeStep
			want error
		}{
			{"the answer names another version", IntakeStep{Request: dispatch("unit-a"), Key: "k-1", Answer: answer(3)}, ErrInvalid},
			{"the answer is not JSON", IntakeStep{Request: dispatch("unit-a"), Key: "k-1", Answer: []byte("{")}, ErrInvalid},
			{"another key", IntakeStep{Request: dispatch("unit-a"), Key: "k-2", Answer: answer(2)}, ErrNotFound},
			{"a leader's decision recorded by a unit", IntakeStep{Request: ticket.Request{Actor: "分管领导", Role: ticket.RoleLeader,
				Action: ticket.ActionDesignate, Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "unit-a"}}}}, ErrForbidden},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := office
				if tt.want == ErrForbidden {
					p = unitA
				}
				_, _, err := s.ApplyIntakeStep(ctx, p, res.ID, 1, tt.step, now)
				assert.ErrorIs(t, err, tt.want)
				rec, err := s.Get(ctx, office, res.ID)
				require.NoError(t, err)
				assert.Equal(t, int64(1), rec.Version, "nothing written")
			})
		}

		got, after, err := s.ApplyIntakeStep(ctx, office, res.ID, 1, IntakeStep{Request: dispatch("unit-a"), Key: "k-1", Answer: answer(2)}, now)
		require.NoError(t, err)
		assert.Equal(t, int64(2), got.Version)
		kept, id, err := s.IntakeAnswer(ctx, office, "k-1")
		require.NoError(t, err)
		assert.Equal(t, res.ID, id)
		assert.JSONEq(t, string(answer(2)), string(kept), "kept with the step")
		rec, err := s.Get(ctx, office, res.ID)
		require.NoError(t, err)
		assert.Equal(t, rec.Version, after.Version)
		assert.Equal(t, rec.Masked, after.Masked)
		a, err := json.Marshal(after.Ticket)
		require.NoError(t, err)
		b, err := json.Marshal(rec.Ticket)
		require.NoError(t, err)
		assert.JSONEq(t, string(b), string(a), "the ticket after the step is the ticket Get reads")
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}
