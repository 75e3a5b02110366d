package store

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/ticket"
)

// notices returns the outbox notices about ticket id, in the order written.
func notices(t *testing.T, s *Store, id string) []notify.Notice {
	t.Helper()
	var rows []noticeRow
	require.NoError(t, s.db.NewSelect().Model(&rows).Where("subject = ?", id).Order("created_us ASC", "topic ASC").Scan(context.Background()))
	out := make([]notify.Notice, len(rows))
	for i, r := range rows {
		require.NoError(t, json.Unmarshal(r.Payload, &out[i]))
		assert.Equal(t, r.Topic, out[i].Topic)
		assert.NotContains(t, string(r.Payload), testPhone, "no identity in the outbox")
		assert.NotContains(t, string(r.Payload), "张三")
		assert.NotContains(t, string(r.Payload), "友谊路1号")
	}
	return out
}

func topics(ns []notify.Notice) []string {
	if len(ns) == 0 {
		return nil
	}
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Topic
		if n.Clock != "" {
			out[i] += ":" + n.Clock
		}
	}
	return out
}

// sweepAt reads ticket id's sweep instant (zero when none).
func sweepAt(t *testing.T, s *Store, id string) time.Time {
	t.Helper()
	var r sweepRow
	require.NoError(t, s.db.NewSelect().Model(&r).Column("id", "sweep_at_us", "provisional").Where("t.id = ?", id).Scan(context.Background()))
	if r.SweepAtUS == nil {
		return time.Time{}
	}
	return fromMicros(*r.SweepAtUS).In(deadline.Location())
}

// The sweeper across the National Day holiday of 2026 (10-01 to 10-07 off, 10-08 a working day), with
// the exact instants. First contact is the street hotline office's within 1 working day of intake
// (004 §8 (一); 000 §5: 1 working day), the general reply the unit's within 5 working days of
// dispatch (004 §8 (二); 000 §5). A receipt on 09-30 counts its first working day as 10-08, so first
// contact is due 10-09 00:00 and due soon (the policy's 1-working-day lead) from 10-08 00:00; the
// reply counts 10-08, 10-09, 10-10 (the make-up Saturday), 10-12 and 10-13, so it is due 10-14 00:00,
// due soon from 10-13 00:00. Each crossing is noticed once, at the first sweep at or after it, and an
// overdue clock is urged once (002 §6 (二) 1 (6)).
func TestSweepAcrossNationalDay(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake("国庆前夕噪声")}, at("2026-09-30 10:00"))
		require.NoError(t, err)
		assert.Equal(t, at("2026-10-08 00:00"), sweepAt(t, s, res.ID), "first contact due soon from the start of its last day")
		_, err = s.Apply(ctx, office, res.ID, 1, dispatch("unit-a", "unit-b"), at("2026-09-30 10:30"))
		require.NoError(t, err)
		assert.Equal(t, []string{notify.TopicDispatch}, topics(notices(t, s, res.ID)))

		sweep := func(now time.Time) SweepResult {
			t.Helper()
			r, err := s.SweepDue(ctx, system, SweepOptions{Limit: 100, Urge: true}, now)
			require.NoError(t, err)
			return r
		}
		steps := []struct {
			now     time.Time
			want    SweepResult
			topics  []string
			next    time.Time
			overdue bool
			dueSoon bool
		}{
			{now: at("2026-10-07 23:59"), want: SweepResult{}, next: at("2026-10-08 00:00")},
			{now: at("2026-10-08 00:00"), want: SweepResult{Tickets: 1, Flagged: 1, DueSoon: 1},
				topics: []string{"ticket.due_soon:first_contact"}, next: at("2026-10-09 00:00"), dueSoon: true},
			{now: at("2026-10-08 18:00"), want: SweepResult{}, next: at("2026-10-09 00:00"), dueSoon: true},
			{now: at("2026-10-09 00:00"), want: SweepResult{Tickets: 1, Flagged: 1, Overdue: 1, Urged: 1},
				topics: []string{"ticket.overdue:first_contact", "ticket.urge"}, next: at("2026-10-13 00:00"), overdue: true},
			{now: at("2026-10-13 00:00"), want: SweepResult{Tickets: 1, Flagged: 1, DueSoon: 1},
				topics: []string{"ticket.due_soon:reply_general"}, next: at("2026-10-14 00:00"), overdue: true, dueSoon: true},
			{now: at("2026-10-14 00:00"), want: SweepResult{Tickets: 1, Flagged: 1, Overdue: 1, Urged: 1},
				topics: []string{"ticket.overdue:reply_general", "ticket.urge"}, overdue: true},
			{now: at("2026-10-20 09:00"), want: SweepResult{}, overdue: true},
		}
		seen := 1
		for _, st := range steps {
			got := sweep(st.now)
			assert.Equal(t, st.want, got, st.now)
			all := notices(t, s, res.ID)
			assert.Equal(t, st.topics, topics(all[seen:]), st.now)
			seen = len(all)
			assert.Equal(t, st.next, sweepAt(t, s, res.ID), st.now)
			page, err := s.List(ctx, office, Filter{}, st.now)
			require.NoError(t, err)
			require.Len(t, page.Items, 1)
			assert.Equal(t, st.overdue, page.Items[0].Overdue, st.now)
			assert.Equal(t, st.dueSoon, page.Items[0].DueSoon, st.now)
		}
		all := notices(t, s, res.ID)
		require.Len(t, all, 7)
		od := all[2]
		assert.Equal(t, "first_contact", od.Clock)
		assert.Equal(t, at("2026-10-09 00:00").UTC(), od.Due)
		assert.False(t, od.Provisional)
		assert.Equal(t, []notify.Recipient{{Role: "handling_unit", Unit: "unit-a"}, {Role: "handling_unit", Unit: "unit-b"},
			{Role: "leader", Unit: "unit-a"}}, od.To, "to the units and the lead unit's leader")
		assert.Equal(t, at("2026-10-14 00:00").UTC(), all[5].Due)

		rec, err := s.Get(ctx, office, res.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, rec.Ticket.Counters.Urgings, "one urging per clock run out")
		assert.Equal(t, int64(4), rec.Version)
		last := rec.Ticket.History[3]
		assert.Equal(t, ticket.ActionUrge, last.Action)
		assert.Equal(t, ticket.RoleSystem, last.Role)
		assert.Equal(t, system.Actor, last.Actor)

		mm, err := s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm, "urging is an event of the history like any other")
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

// Every replied ticket is scheduled for its callback (000 §4 (四): 实行100%回访; 004 §11), once per
// reply: the change that replies writes the notice, and the sweeper, which schedules it for any
// replied ticket it takes, writes no second one.
func TestCallbackScheduledOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ids := fill(t, s, 1)
		id := ids[0]
		_, err := s.Apply(ctx, office, id, 2, ticket.Request{Action: ticket.ActionFirstContact}, at("2026-11-23 10:00"))
		require.NoError(t, err)
		_, err = s.Apply(ctx, unitA, id, 3, ticket.Request{Action: ticket.ActionReply, Payload: ticket.Payload{Reply: &ticket.Reply{
			Report: "现场核实后约谈施工方", Summary: "已协调施工方调整作业时间", Outcome: ticket.OutcomeResolved}}}, at("2026-11-24 15:00"))
		require.NoError(t, err)
		ns := notices(t, s, id)
		// (notices written together are listed by topic)
		assert.Equal(t, []string{notify.TopicDispatch, notify.TopicCallbackDue, notify.TopicReply}, topics(ns))
		assert.Equal(t, []notify.Recipient{{Role: notify.ToHotlineOffice, Region: "310113001"}}, ns[1].To)
		assert.Equal(t, []notify.Recipient{{Role: notify.ToCitizen}}, ns[2].To, "the reply goes to the citizen")

		// A replied ticket the sweeper takes (as after the migration, which marks every replied ticket).
		_, err = s.db.NewUpdate().Table("tickets").Set("sweep_at_us = 0").Where("id = ?", id).Exec(ctx)
		require.NoError(t, err)
		r, err := s.SweepDue(ctx, system, SweepOptions{Limit: 10}, at("2026-11-24 16:00"))
		require.NoError(t, err)
		assert.Equal(t, 1, r.Tickets)
		assert.Zero(t, r.Callbacks, "already scheduled by the reply")
		assert.Len(t, notices(t, s, id), 3)

		// One written by nobody yet (a reply stored before this version): the sweeper writes it, once.
		_, err = s.db.NewDelete().Model((*noticeRow)(nil)).Where("topic = ?", notify.TopicCallbackDue).Exec(ctx)
		require.NoError(t, err)
		_, err = s.db.NewUpdate().Table("tickets").Set("sweep_at_us = 0").Where("id = ?", id).Exec(ctx)
		require.NoError(t, err)
		for range 2 {
			_, err = s.db.NewUpdate().Table("tickets").Set("sweep_at_us = 0").Where("id = ?", id).Exec(ctx)
			require.NoError(t, err)
			_, err := s.SweepDue(ctx, system, SweepOptions{Limit: 10}, at("2026-11-24 16:00"))
			require.NoError(t, err)
		}
		assert.Equal(t, []string{notify.TopicDispatch, notify.TopicReply, notify.TopicCallbackDue}, topics(notices(t, s, id)),
			"written again later, by the sweeper")
	})
}

// Two store handles on one database — two server instances — sweep at once: each overdue ticket is
// urged once and noticed once, and the two together took each ticket once.
func TestSweepTwoInstances(t *testing.T) {
	eachDialectTwice(t, func(t *testing.T, a, b *Store) {
		ctx := context.Background()
		seedUnits(t, a)
		const n = 60
		for i := range n {
			in := sampleIntake("两实例")
			in.Citizen = ticket.Person{}
			_, err := a.Intake(ctx, office, IntakeRequest{Key: "two-" + string(rune('A'+i%26)) + time.Duration(i).String(), Intake: in}, at("2026-11-23 09:00"))
			require.NoError(t, err)
		}
		var wg sync.WaitGroup
		results := make([][]SweepResult, 2)
		for i, s := range []*Store{a, b} {
			wg.Go(func() {
				for {
					r, err := s.SweepDue(ctx, Principal{Actor: "sweeper-" + string(rune('a'+i)), Role: RoleSystem},
						SweepOptions{Limit: 7, Urge: true}, at("2026-11-26 10:00"))
					if !assert.NoError(t, err) || r.Tickets == 0 {
						return
					}
					results[i] = append(results[i], r)
				}
			})
		}
		wg.Wait()
		var sum SweepResult
		for _, rs := range results {
			for _, r := range rs {
				sum.Tickets += r.Tickets
				sum.Overdue += r.Overdue
				sum.Urged += r.Urged
			}
		}
		assert.Equal(t, SweepResult{Tickets: n, Overdue: n, Urged: n}, sum, "each ticket taken, noticed and urged once in all")
		var urges, overdue int64
		urges, err := a.db.NewSelect().Model((*eventRow)(nil)).Where("action = ?", "urge").Count(ctx)
		require.NoError(t, err)
		overdue, err = a.db.NewSelect().Model((*noticeRow)(nil)).Where("topic = ?", notify.TopicOverdue).Count(ctx)
		require.NoError(t, err)
		assert.Equal(t, int64(n), urges)
		assert.Equal(t, int64(n), overdue)
		require.NoError(t, a.VerifyAudit(ctx, auditor))
	})
}

// The outbox's delivery bookkeeping: a claim holds messages for its lease, a failure comes back after
// its back-off, a permanent one is a dead letter until requeued, and an acknowledged message is never
// claimed again.
func TestOutboxClaims(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		fill(t, s, 3) // three dispatch notices
		t0 := at("2026-11-23 10:00")
		// A row written without the delivery columns (as an appeal's is) is due at once.
		_, err := s.db.NewInsert().Model(&outboxRow{ID: newID(), Topic: "appeal.file", Subject: "c-1", Payload: []byte(`{"case":"c-1"}`),
			CreatedUS: micros(t0)}).Exec(ctx)
		require.NoError(t, err)
		legacy, err := s.ClaimOutbox(ctx, system, 10, time.Minute, t0.Add(-time.Hour))
		require.NoError(t, err)
		require.Len(t, legacy, 1, "due before any notice of the tickets")
		assert.Equal(t, "appeal.file", legacy[0].Topic)
		require.NoError(t, s.AckOutbox(ctx, system, []string{legacy[0].ID}, t0))
		first, err := s.ClaimOutbox(ctx, system, 2, time.Minute, t0)
		require.NoError(t, err)
		require.Len(t, first, 2)
		assert.Zero(t, first[0].Attempts)
		assert.NotEmpty(t, first[0].Claim)
		second, err := s.ClaimOutbox(ctx, system, 10, time.Minute, t0)
		require.NoError(t, err)
		require.Len(t, second, 1, "the first claim's messages are leased")
		none, err := s.ClaimOutbox(ctx, system, 10, time.Minute, t0.Add(30*time.Second))
		require.NoError(t, err)
		assert.Empty(t, none)

		require.NoError(t, s.AckOutbox(ctx, system, []string{first[0].ID}, t0.Add(time.Second)))
		require.NoError(t, s.FailOutbox(ctx, system, first[1].ID, first[1].Claim, t0.Add(10*time.Minute), "notify: webhook answered 503", t0.Add(time.Second)))
		require.NoError(t, s.FailOutbox(ctx, system, second[0].ID, "not-its-claim", time.Time{}, "stale", t0.Add(time.Second)))
		st, err := s.OutboxStats(ctx, system)
		require.NoError(t, err)
		assert.Equal(t, OutboxStats{Pending: 2, Oldest: first[1].Created}, st, "a stale claim changes nothing")

		// The lease of the third ran out: it is claimed again, the second attempt.
		again, err := s.ClaimOutbox(ctx, system, 10, time.Minute, t0.Add(2*time.Minute))
		require.NoError(t, err)
		require.Len(t, again, 1)
		assert.Equal(t, second[0].ID, again[0].ID)
		assert.Equal(t, 1, again[0].Attempts)
		require.NoError(t, s.FailOutbox(ctx, system, again[0].ID, again[0].Claim, time.Time{}, "notify: webhook answered 410 Gone (permanent)", t0.Add(2*time.Minute)))

		// The failed one is back after its back-off.
		back, err := s.ClaimOutbox(ctx, system, 10, time.Minute, t0.Add(10*time.Minute))
		require.NoError(t, err)
		require.Len(t, back, 1)
		assert.Equal(t, first[1].ID, back[0].ID)
		require.NoError(t, s.AckOutbox(ctx, system, []string{back[0].ID}, t0.Add(10*time.Minute)))

		dead, err := s.DeadOutbox(ctx, admin, 10)
		require.NoError(t, err)
		require.Len(t, dead, 1)
		assert.Equal(t, second[0].ID, dead[0].ID)
		assert.Equal(t, "notify: webhook answered 410 Gone (permanent)", dead[0].LastError)
		assert.Equal(t, t0.Add(2*time.Minute).UTC(), dead[0].Dead)
		st, err = s.OutboxStats(ctx, system)
		require.NoError(t, err)
		assert.Equal(t, OutboxStats{Dead: 1}, st)

		require.NoError(t, s.RequeueOutbox(ctx, admin, dead[0].ID, t0.Add(time.Hour)))
		assert.ErrorIs(t, s.RequeueOutbox(ctx, admin, dead[0].ID, t0.Add(time.Hour)), ErrNotFound)
		re, err := s.ClaimOutbox(ctx, system, 10, time.Minute, t0.Add(time.Hour))
		require.NoError(t, err)
		require.Len(t, re, 1)
		assert.Zero(t, re[0].Attempts, "a requeued letter starts its attempts again")
		require.NoError(t, s.AckOutbox(ctx, system, []string{re[0].ID}, t0.Add(time.Hour)))

		n, err := s.PurgeOutbox(ctx, system, t0.Add(30*time.Minute))
		require.NoError(t, err)
		assert.Equal(t, int64(3), n, "delivered before the cut (the appeal's and two notices)")
		st, err = s.OutboxStats(ctx, system)
		require.NoError(t, err)
		assert.Equal(t, OutboxStats{}, st)

		for _, call := range []func() error{
			func() error { _, err := s.ClaimOutbox(ctx, unitA, 1, time.Minute, t0); return err },
			func() error { return s.AckOutbox(ctx, office, []string{"x"}, t0) },
			func() error { return s.FailOutbox(ctx, auditor, "x", "y", t0, "", t0) },
			func() error { _, err := s.DeadOutbox(ctx, unitA, 1); return err },
			func() error { return s.RequeueOutbox(ctx, office, "x", t0) },
			func() error { _, err := s.OutboxStats(ctx, unitA); return err },
			func() error { _, err := s.PurgeOutbox(ctx, unitA, t0); return err },
		} {
			assert.ErrorIs(t, call(), ErrForbidden)
		}
		_, err = s.ClaimOutbox(ctx, system, 0, time.Minute, t0)
		assert.ErrorIs(t, err, ErrInvalid)
		_, err = s.ClaimOutbox(ctx, system, 1, 0, t0)
		assert.ErrorIs(t, err, ErrInvalid)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

// notice2027 is a made-up 2027 schedule for the tests (the real one is not published as this is
// written): 元旦 on 01-01, 春节 from 02-05 to 02-11, and 02-20 a make-up working day.
const notice2027 = `{"year": 2027, "papers": [], "days": [
	{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
	{"name": "春节", "date": "2027-02-05", "isOffDay": true}, {"name": "春节", "date": "2027-02-06", "isOffDay": true},
	{"name": "春节", "date": "2027-02-07", "isOffDay": true}, {"name": "春节", "date": "2027-02-08", "isOffDay": true},
	{"name": "春节", "date": "2027-02-09", "isOffDay": true}, {"name": "春节", "date": "2027-02-10", "isOffDay": true},
	{"name": "春节", "date": "2027-02-11", "isOffDay": true}, {"name": "春节", "date": "2027-02-20", "isOffDay": false}]}`

// After a new holiday schedule, the clocks counted over provisional days are recomputed (DESIGN §2:
// "every result that touched such a date says it is provisional, so systems recompute when the
// schedule is published"). Received Friday 2027-01-29, dispatched at once: on the provisional
// calendar (春节 02-05 to 02-08 by law) the general reply is due 2027-02-10 00:00 (02-01 to 02-04,
// 02-09); with the published holiday to 02-11 it is due 2027-02-13 00:00 (02-12 is the fifth working
// day), and no longer provisional.
func TestReclockNewSchedule(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedUnits(t, s)
		res, err := s.Intake(ctx, office, IntakeRequest{Intake: sampleIntake("春节前")}, at("2027-01-29 10:00"))
		require.NoError(t, err)
		_, err = s.Apply(ctx, office, res.ID, 1, dispatch("unit-a"), at("2027-01-29 10:30"))
		require.NoError(t, err)
		other := fill(t, s, 1)[0] // received 2026-11-23: nothing provisional
		rec, err := s.Get(ctx, office, res.ID)
		require.NoError(t, err)
		assert.Equal(t, at("2027-02-10 00:00"), rec.Ticket.Deadlines.Reply.Due.At.In(deadline.Location()))
		assert.True(t, rec.Ticket.Deadlines.Reply.Due.Provisional)

		n, err := deadline.ParseHolidayCN("2027.json", []byte(notice2027))
		require.NoError(t, err)
		cal, err := deadline.China().WithNotices(n)
		require.NoError(t, err)
		require.NoError(t, s.SetCalendar(cal))
		assert.Same(t, cal, s.Calendar())

		r, err := s.Reclock(ctx, system, ReclockOptions{Limit: 10}, at("2027-01-30 08:00"))
		require.NoError(t, err)
		assert.Equal(t, ReclockResult{Read: 1, Changed: 1, Fixed: 1}, r, "only the provisional ticket is read")
		rec, err = s.Get(ctx, office, res.ID)
		require.NoError(t, err)
		assert.Equal(t, at("2027-02-13 00:00"), rec.Ticket.Deadlines.Reply.Due.At.In(deadline.Location()))
		assert.False(t, rec.Ticket.Deadlines.Reply.Due.Provisional)
		assert.Equal(t, at("2027-02-02 00:00"), rec.Ticket.Deadlines.FirstContact.Due.At.In(deadline.Location()))
		assert.False(t, rec.Ticket.Deadlines.FirstContact.Due.Provisional)
		assert.Equal(t, int64(2), rec.Version, "no event: the history records what was known when it happened")
		assert.Equal(t, at("2027-02-01 00:00"), sweepAt(t, s, res.ID))
		page, err := s.List(ctx, office, Filter{}, at("2027-01-30 08:00"))
		require.NoError(t, err)
		for _, it := range page.Items {
			if it.ID == res.ID {
				assert.Equal(t, at("2027-02-02 00:00"), it.NextDue.In(deadline.Location()), "first contact is next")
			}
		}

		again, err := s.Reclock(ctx, system, ReclockOptions{Limit: 10}, at("2027-01-30 08:00"))
		require.NoError(t, err)
		assert.Equal(t, ReclockResult{}, again, "nothing provisional is left")
		all, err := s.Reclock(ctx, system, ReclockOptions{All: true, Limit: 1}, at("2027-01-30 08:00"))
		require.NoError(t, err)
		assert.Equal(t, 1, all.Read)
		assert.NotEmpty(t, all.Next, "a full page: go on after it")
		all, err = s.Reclock(ctx, system, ReclockOptions{All: true, After: all.Next, Limit: 1}, at("2027-01-30 08:00"))
		require.NoError(t, err)
		assert.Zero(t, all.Changed, "the open tickets already agree with the calendar")
		_ = other
		_, err = s.Reclock(ctx, office, ReclockOptions{Limit: 1}, at("2027-01-30 08:00"))
		assert.ErrorIs(t, err, ErrForbidden)
		assert.ErrorIs(t, s.SetCalendar(nil), ErrInvalid)
		require.NoError(t, s.VerifyAudit(ctx, auditor))
	})
}

// A ticket whose stored snapshot does not decode is set aside, named in the result, and does not
// stop the sweep of the others.
func TestSweepSetsAsideABadTicket(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ids := fill(t, s, 3)
		_, err := s.db.NewUpdate().Table("tickets").Set("snapshot = ?", []byte("not json")).Where("id = ?", ids[1]).Exec(ctx)
		require.NoError(t, err)
		r, err := s.SweepDue(ctx, system, SweepOptions{Limit: 10, Urge: true}, at("2026-11-26 10:00"))
		require.NoError(t, err)
		assert.Equal(t, 3, r.Tickets)
		assert.Equal(t, 2, r.Overdue)
		assert.Equal(t, 2, r.Urged)
		require.Len(t, r.Skipped, 1)
		assert.True(t, strings.HasPrefix(r.Skipped[0], ids[1]+": "), r.Skipped[0])
		assert.True(t, sweepAt(t, s, ids[1]).IsZero(), "set aside until its next change")
		r, err = s.SweepDue(ctx, system, SweepOptions{Limit: 10, Urge: true}, at("2026-11-26 11:00"))
		require.NoError(t, err)
		assert.Zero(t, r.Tickets)
		rr, err := s.Reclock(ctx, system, ReclockOptions{All: true, Limit: 10}, at("2026-11-26 11:00"))
		require.NoError(t, err)
		require.Len(t, rr.Skipped, 1)
	})
}
