package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/ticket"
)

// referenceSweep is what the sweeper computed for a due ticket before the sweep plan existed, from
// the decoded ticket and its clocks' status on the calendar: the notices, the projection's flags and
// the next sweep instant. The plan must give the same, to the byte.
func referenceSweep(id string, version int64, t *ticket.Ticket, m *ticket.Machine, now time.Time) ([]*noticeRow, int16, int16, *int64) {
	var notices []*noticeRow
	soon := dueSoonFrom(t, m, now)
	for _, c := range clockPtrs(&t.Deadlines) {
		if !c.Running() {
			continue
		}
		var kind, topic string
		switch from := soon[c.Key]; {
		case !now.Before(c.Due.At):
			kind, topic = "overdue", notify.TopicOverdue
		case !from.IsZero() && !now.Before(from):
			kind, topic = "due_soon", notify.TopicDueSoon
		default:
			continue
		}
		n := baseNotice(id, t, topic, version)
		n.Clock, n.Due, n.Provisional, n.To = string(c.Key), c.Due.At.UTC(), c.Due.Provisional, handlingUnits(t, true)
		notices = append(notices, newNotice(noticeID(id, kind, string(c.Key), strconv.FormatInt(micros(c.Due.At), 10)), n, now))
	}
	if awaitingCallback(t, m.DeadlinePolicy()) {
		notices = append(notices, callbackNotice(id, t, version, now))
	}
	var next ticketRow
	project(&next, t, m, now)
	at, _ := sweepState(t, m, now, false)
	return notices, next.Overdue, next.DueSoon, at
}

// planTickets are tickets in the states the sweeper meets, built on the lifecycle: unassigned, with
// a lead and co-handling units (a joint dispatch), with the reply clock running, with the first
// contact made late (overdue for good), replied and awaiting the callback (000 §4 (四)), and one
// whose clocks run over 2027's provisional dates. Received just before the National Day holiday of
// 2026 (10-01 to 10-07 off, 000 §5, 004 §8).
func planTickets(t *testing.T, m *ticket.Machine) map[string]*ticket.Ticket {
	recv := at("2026-09-30 10:00")
	in := ticket.Intake{Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint, Title: "夜间施工噪声", Content: "夜间施工噪声扰民",
		Place: ticket.Place{RegionCode: "310113001"}}
	office := func(a ticket.Action, p ticket.Payload) ticket.Request {
		return ticket.Request{Actor: "op", Role: ticket.RoleHotlineOffice, Action: a, Payload: p}
	}
	unit := func(a ticket.Action, p ticket.Payload) ticket.Request {
		return ticket.Request{Actor: "clerk", Role: ticket.RoleHandlingUnit, Action: a, Payload: p}
	}
	joint := office(ticket.ActionDispatch, ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "unit-a", CoHandling: []string{"unit-b", "unit-c"},
		DispatchMode: ticket.DispatchStatutory}})
	plain := office(ticket.ActionDispatch, ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "unit-a", DispatchMode: ticket.DispatchStatutory}})
	contact := unit(ticket.ActionFirstContact, ticket.Payload{})
	reply := unit(ticket.ActionReply, ticket.Payload{Reply: &ticket.Reply{Report: "已约谈施工单位。", Summary: "已责令夜间停工", Outcome: ticket.OutcomeResolved}})
	type step struct {
		r  ticket.Request
		at time.Time
	}
	out := map[string]*ticket.Ticket{}
	for _, c := range []struct {
		name  string
		recv  time.Time
		steps []step
	}{
		{"unassigned", recv, nil},
		{"joint", recv, []step{{joint, recv.Add(30 * time.Minute)}}},
		{"reply running", recv, []step{{joint, recv.Add(30 * time.Minute)}, {contact, recv.Add(2 * time.Hour)}}},
		{"contact late", recv, []step{{plain, recv.Add(30 * time.Minute)}, {contact, at("2026-10-10 09:00")}}},
		{"replied", recv, []step{{plain, recv.Add(30 * time.Minute)}, {contact, recv.Add(2 * time.Hour)}, {reply, at("2026-10-09 15:00")}}},
		{"provisional", at("2027-01-29 10:00"), []step{{plain, at("2027-01-29 10:07")}}},
	} {
		in := in
		num, err := ticket.NewNumber("HL", c.recv, len(out)+1)
		require.NoError(t, err)
		in.Number = num
		tk, err := m.Accept(in, "gateway", ticket.RoleSystem, c.recv)
		require.NoError(t, err, c.name)
		for _, s := range c.steps {
			_, err := m.Apply(tk, s.r, s.at)
			require.NoError(t, err, c.name)
		}
		out[c.name] = tk
	}
	return out
}

// The sweep plan stored at a ticket's write gives, at every instant across the holiday, the notices
// (ids and payloads, byte for byte), flags and next sweep instant the sweeper computed from the
// decoded ticket and the calendar; so does the slow path for a row without a plan (written before
// migration 20261201000101), which also yields the plan to store.
func TestSweepPlanMatchesTicket(t *testing.T) {
	m, err := defaultMachine()
	require.NoError(t, err)
	callback := callbackStates(m.DeadlinePolicy())
	s := &Store{}
	for name, tk := range planTickets(t, m) {
		t.Run(name, func(t *testing.T) {
			const id, version = "0190f3c1-0000-7000-8000-000000000001", int64(4)
			var written ticketRow
			project(&written, tk, m, tk.Received)
			require.NotNil(t, written.SweepPlan)
			plan, err := decodePlan(written.SweepPlan)
			require.NoError(t, err)
			switch name {
			case "joint":
				assert.Equal(t, []string{"unit-b", "unit-c"}, plan.Co)
			case "contact late":
				assert.True(t, plan.Late, "first contact made late: overdue for good")
			case "provisional":
				require.NotEmpty(t, plan.Clocks)
				assert.True(t, plan.Clocks[0].Prov)
			case "replied":
				assert.True(t, callback[written.State])
			}
			snap, err := json.Marshal(stripped(tk))
			require.NoError(t, err)
			fast := sweepRow{ticketRow: written}
			fast.ID, fast.Version = id, version
			slow := fast
			slow.SweepPlan, slow.Snapshot = nil, snap
			notices := 0
			for now := tk.Received; now.Before(tk.Received.AddDate(0, 0, 30)); now = now.Add(20 * time.Minute) {
				wantN, wantOver, wantSoon, wantAt := referenceSweep(id, version, tk, m, now)
				notices += len(wantN)
				for path, row := range map[string]sweepRow{"plan": fast, "snapshot": slow} {
					var p *sweepPlan
					if path == "plan" {
						p = &plan
					}
					w, err := s.sweepNotices(row, p, m, callback, now)
					require.NoError(t, err)
					require.Len(t, w.notices, len(wantN), "%s at %s", path, now)
					for i, n := range w.notices {
						assert.Equal(t, wantN[i].ID, n.ID, "%s at %s", path, now)
						assert.JSONEq(t, string(wantN[i].Payload), string(n.Payload), "%s at %s", path, now)
						assert.Equal(t, *wantN[i], *n, "%s at %s", path, now)
					}
					over, soon, next := w.plan.state(now)
					assert.Equal(t, wantOver, boolInt(over), "overdue, %s at %s", path, now)
					assert.Equal(t, wantSoon, boolInt(soon), "due soon, %s at %s", path, now)
					assert.Equal(t, wantAt, next, "next sweep instant, %s at %s", path, now)
					if path == "snapshot" {
						assert.Equal(t, written.SweepPlan, w.backfill, "the plan the slow path stores is the write's")
					} else {
						assert.Nil(t, w.backfill)
					}
				}
			}
			assert.NotZero(t, notices, "the scenario sees notices")
		})
	}
}

// A row written before the sweep plan existed (NULL) is swept from its snapshot — the same flags and
// notices as a ticket with its plan — and gets its plan stored; VerifyTickets accepts both.
func TestSweepWithoutPlan(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		var ids []string
		for range 2 {
			res, err := s.Intake(ctx, system, IntakeRequest{Intake: ticket.Intake{Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint,
				Title: "国庆前夕", Content: "夜间施工噪声扰民", Place: ticket.Place{RegionCode: "310113001"}}}, at("2026-09-30 10:00"))
			require.NoError(t, err)
			ids = append(ids, res.ID)
		}
		var written [][]byte
		require.NoError(t, s.db.NewSelect().Table("tickets").Column("sweep_plan").Where("id IN (?)", bun.In(ids)).Scan(ctx, &written))
		require.Len(t, written, 2)
		for _, p := range written {
			_, err := decodePlan(p)
			require.NoError(t, err, "the intake stores the plan")
		}
		_, err := s.db.NewUpdate().Table("tickets").Set("sweep_plan = NULL").Where("id = ?", ids[1]).Exec(ctx)
		require.NoError(t, err)
		mis, err := s.VerifyTickets(ctx, admin)
		require.NoError(t, err)
		assert.Empty(t, mis, "a row without its plan is not a mismatch")
		for _, step := range []struct {
			now  string
			want SweepResult
		}{
			{"2026-10-07 23:59", SweepResult{}},
			{"2026-10-08 00:00", SweepResult{Tickets: 2, Flagged: 2, DueSoon: 2}},
			{"2026-10-09 00:00", SweepResult{Tickets: 2, Flagged: 2, Overdue: 2, Urged: 2}},
		} {
			res, err := s.SweepDue(ctx, system, SweepOptions{Limit: 100, Urge: true}, at(step.now))
			require.NoError(t, err)
			assert.Equal(t, step.want, res, step.now)
		}
		var rows []sweepRow
		require.NoError(t, s.db.NewSelect().Model(&rows).Where("t.id IN (?)", bun.In(ids)).OrderExpr("t.id").Scan(ctx))
		require.Len(t, rows, 2)
		assert.Equal(t, rows[0].SweepPlan, rows[1].SweepPlan, "the plan is stored")
		assert.Equal(t, [2]int16{rows[0].Overdue, rows[0].DueSoon}, [2]int16{rows[1].Overdue, rows[1].DueSoon})
		assert.Equal(t, rows[0].SweepAtUS, rows[1].SweepAtUS)
		var notices []noticeRow
		require.NoError(t, s.db.NewSelect().Model(&notices).Where("subject IN (?)", bun.In(ids)).
			Where("topic IN (?)", bun.In([]string{notify.TopicDueSoon, notify.TopicOverdue})).Scan(ctx))
		var got [2][]string
		for _, n := range notices {
			var x notify.Notice
			require.NoError(t, json.Unmarshal(n.Payload, &x))
			i := 0
			if n.Subject == ids[1] {
				i = 1
			}
			got[i] = append(got[i], x.Topic+" "+x.Clock+" "+x.Due.Format(time.RFC3339)+" "+x.State)
		}
		assert.ElementsMatch(t, got[0], got[1])
		assert.Len(t, got[0], 2)
		mis, err = s.VerifyTickets(ctx, admin)
		require.NoError(t, err)
		assert.Empty(t, mis)
	})
}

// A ticket whose snapshot does not decode but whose sweep plan does is still flagged and announced
// — the sweep reads the plan — while its urging, which loads the ticket, is set aside and named;
// the others are swept as usual.
func TestSweepBadSnapshotSoundPlan(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ids := fill(t, s, 3)
		_, err := s.db.NewUpdate().Table("tickets").Set("snapshot = ?", []byte("not json")).Where("id = ?", ids[1]).Exec(ctx)
		require.NoError(t, err)
		r, err := s.SweepDue(ctx, system, SweepOptions{Limit: 10, Urge: true}, at("2026-11-26 10:00"))
		require.NoError(t, err)
		assert.Equal(t, 3, r.Tickets)
		assert.Equal(t, 3, r.Flagged)
		assert.Equal(t, 3, r.Overdue)
		assert.Equal(t, 2, r.Urged)
		require.Len(t, r.Skipped, 1)
		assert.True(t, strings.HasPrefix(r.Skipped[0], ids[1]+": urging: "), r.Skipped[0])
		r, err = s.SweepDue(ctx, system, SweepOptions{Limit: 10, Urge: true}, at("2026-11-26 11:00"))
		require.NoError(t, err)
		assert.Zero(t, r.Tickets, "flagged once")
	})
}

// Every stored plan decodes to what was encoded; any other bytes are refused, never a panic.
func FuzzDecodePlan(f *testing.F) {
	f.Add(sweepPlan{}.encode())
	f.Add(sweepPlan{Clocks: []planClock{{Key: "first_contact", Due: 1790000000000000000, Soon: 1789900000000000000, Prov: true}},
		Co: []string{"unit-b", "区房管局"}, Late: true}.encode())
	f.Add([]byte{1, 0, 200, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodePlan(b)
		if err != nil {
			return
		}
		again, err := decodePlan(p.encode())
		require.NoError(t, err)
		assert.Equal(t, p, again)
	})
}
