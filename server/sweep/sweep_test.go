package sweep

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var (
	gateway = store.Principal{Actor: "gateway", Role: store.RoleSystem}
	office  = store.Principal{Actor: "operator", Unit: "office-bs", Role: store.RoleHotlineOffice}
	admin   = store.Principal{Actor: "admin", Role: store.RoleAdmin}
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, deadline.Location())
	if err != nil {
		panic(err)
	}
	return t
}

func intake(title string) ticket.Intake {
	return ticket.Intake{Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint, Title: title, Content: "夜间施工噪声扰民",
		Place: ticket.Place{RegionCode: "310113001"}}
}

func dispatch(lead string) ticket.Request {
	return ticket.Request{Action: ticket.ActionDispatch, Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: lead, DispatchMode: ticket.DispatchStatutory}}}
}

// fixedClock is a clock the test moves.
type fixedClock struct{ t time.Time }

func (c *fixedClock) now() time.Time { return c.t }

// A sweeper's rounds across the National Day holiday of 2026 (10-01 to 10-07 off): first contact,
// 1 working day from intake (004 §8 (一); 000 §5), is due soon from 10-08 00:00 and due 10-09 00:00;
// the general reply, 5 working days from dispatch (004 §8 (二); 000 §5), due soon from 10-13 00:00
// and due 10-14 00:00. A round does nothing before an instant and its work once at it.
func TestRoundsAcrossHoliday(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		res, err := st.Intake(ctx, gateway, store.IntakeRequest{Intake: intake("国庆前夕")}, at("2026-09-30 10:00"))
		require.NoError(t, err)
		_, err = st.Apply(ctx, gateway, res.ID, 1, dispatch("unit-a"), at("2026-09-30 10:30"))
		require.NoError(t, err)
		c := &fixedClock{}
		reg := prometheus.NewRegistry()
		s, err := New(st, Default(), WithClock(c.now), WithRegistry(reg), WithActor("sweeper-1"))
		require.NoError(t, err)
		for _, step := range []struct {
			now  string
			want store.SweepResult
		}{
			{"2026-10-01 09:00", store.SweepResult{}},
			{"2026-10-07 23:59", store.SweepResult{}},
			{"2026-10-08 00:00", store.SweepResult{Tickets: 1, Flagged: 1, DueSoon: 1}},
			{"2026-10-08 23:59", store.SweepResult{}},
			{"2026-10-09 00:00", store.SweepResult{Tickets: 1, Flagged: 1, Overdue: 1, Urged: 1}},
			{"2026-10-12 17:00", store.SweepResult{}},
			{"2026-10-13 00:00", store.SweepResult{Tickets: 1, Flagged: 1, DueSoon: 1}},
			{"2026-10-14 00:00", store.SweepResult{Tickets: 1, Flagged: 1, Overdue: 1, Urged: 1}},
			{"2026-10-15 00:00", store.SweepResult{}},
		} {
			c.t = at(step.now)
			rep, err := s.Round(ctx)
			require.NoError(t, err)
			assert.Equal(t, step.want, rep.SweepResult, step.now)
			assert.Equal(t, 1, rep.Batches, step.now)
		}
		rec, err := st.Get(ctx, gateway, res.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, rec.Ticket.Counters.Urgings, "催办 once per clock run out (002 §6 (二) 1 (6))")
		assert.Equal(t, "sweeper-1", rec.Ticket.History[len(rec.Ticket.History)-1].Actor)
		assert.Equal(t, 2.0, counter(t, reg, "hotline_sweep_urged_total"))
		assert.Equal(t, 9.0, counter(t, reg, "hotline_sweep_rounds_total"))
		assert.Equal(t, 4.0, counter(t, reg, "hotline_sweep_tickets_total"))
	})
}

// counter sums the values of the metric family name in reg.
func counter(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	fams, err := reg.Gather()
	require.NoError(t, err)
	sum := 0.0
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			sum += m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return sum
}

// notice2027 is a made-up 2027 schedule for the tests (the real one is not published as this is
// written): 元旦 on 01-01, 春节 from 02-05 to 02-11, and 02-20 a make-up working day.
const notice2027 = `{"year": 2027, "papers": [], "days": [
	{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
	{"name": "春节", "date": "2027-02-05", "isOffDay": true}, {"name": "春节", "date": "2027-02-06", "isOffDay": true},
	{"name": "春节", "date": "2027-02-07", "isOffDay": true}, {"name": "春节", "date": "2027-02-08", "isOffDay": true},
	{"name": "春节", "date": "2027-02-09", "isOffDay": true}, {"name": "春节", "date": "2027-02-10", "isOffDay": true},
	{"name": "春节", "date": "2027-02-11", "isOffDay": true}, {"name": "春节", "date": "2027-02-20", "isOffDay": false}]}`

// A holiday file dropped into the watched directory, without a restart: the store counts on the new
// calendar, and the provisional clocks of open tickets are recomputed and no longer provisional.
// Received Friday 2027-01-29 and dispatched at once, the general reply (5 working days, 004 §8 (二))
// is due 2027-02-10 00:00 on the provisional calendar (春节 02-05 to 02-08 by law), 2027-02-13 00:00
// once the schedule gives 02-05 to 02-11 off.
func TestNewScheduleWithoutRestart(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		dir := t.TempDir()
		c := &fixedClock{t: at("2027-01-29 09:00")}
		reg := prometheus.NewRegistry()
		s, err := New(st, Default(), WithClock(c.now), WithHolidays(dir), WithRegistry(reg))
		require.NoError(t, err)
		_, err = s.SyncSchedule(ctx)
		require.ErrorIs(t, err, ErrSchedule, "an empty directory has no file to load")

		res, err := st.Intake(ctx, gateway, store.IntakeRequest{Intake: intake("春节前")}, at("2027-01-29 10:00"))
		require.NoError(t, err)
		_, err = st.Apply(ctx, gateway, res.ID, 1, dispatch("unit-a"), at("2027-01-29 10:30"))
		require.NoError(t, err)
		due := func() deadline.Deadline {
			rec, err := st.Get(ctx, gateway, res.ID)
			require.NoError(t, err)
			return rec.Ticket.Deadlines.Reply.Due
		}
		assert.Equal(t, at("2027-02-10 00:00"), due().At.In(deadline.Location()))
		assert.True(t, due().Provisional)

		c.t = at("2027-01-30 08:00")
		rep, err := s.Round(ctx)
		require.NoError(t, err, "a round with a bad schedule still sweeps")
		assert.Zero(t, rep.Schedule)
		assert.Equal(t, 1.0, counter(t, reg, "hotline_sweep_schedule_errors_total"), "counted by the round")

		require.NoError(t, os.WriteFile(filepath.Join(dir, "2027.json"), []byte(notice2027), 0o644))
		rep, err = s.Round(ctx)
		require.NoError(t, err)
		assert.False(t, rep.Schedule.Revised, "only provisional dates changed")
		assert.GreaterOrEqual(t, rep.Schedule.Dates, 4, "02-09 to 02-11 off and 02-20 on, at least")
		assert.Positive(t, rep.Schedule.Published)
		assert.Equal(t, store.ReclockResult{Read: 1, Changed: 1, Fixed: 1}, rep.Reclocked)
		assert.Equal(t, at("2027-02-13 00:00"), due().At.In(deadline.Location()))
		assert.False(t, due().Provisional)
		assert.True(t, st.Calendar().Day(at("2027-02-10 12:00")).Kind != deadline.Workday)

		rep, err = s.Round(ctx)
		require.NoError(t, err)
		assert.Zero(t, rep.Schedule, "the same files: nothing to do")
		assert.Zero(t, rep.Reclocked)

		// A broken file keeps the calendar in force.
		require.NoError(t, os.WriteFile(filepath.Join(dir, "2028.json"), []byte(`{"year": 2028, "days": [`), 0o644))
		_, err = s.SyncSchedule(ctx)
		require.ErrorIs(t, err, ErrSchedule)
		assert.False(t, st.Calendar().IsWorkday(at("2027-02-10 12:00")))
	})
}

func TestCompare(t *testing.T) {
	n, err := deadline.ParseHolidayCN("2027.json", []byte(notice2027))
	require.NoError(t, err)
	published, err := deadline.China().WithNotices(n)
	require.NoError(t, err)
	now := at("2026-12-01 09:00")
	assert.True(t, Compare(deadline.China(), deadline.China(), now).None())
	ch := Compare(deadline.China(), published, now)
	assert.False(t, ch.Revised)
	assert.Positive(t, ch.Dates)
	assert.Equal(t, 365, ch.Published, "every date of 2027 is now published")

	// A corrected notice for a published year (as in 2015, 2019, 2020): every open ticket is reclocked.
	rev, err := deadline.ParseHolidayCN("2026.json", []byte(`{"year": 2026, "papers": [], "days": [{"name": "国庆节", "date": "2026-12-02", "isOffDay": true}]}`))
	require.NoError(t, err)
	revised, err := deadline.China().WithNotices(rev)
	require.NoError(t, err)
	ch = Compare(deadline.China(), revised, now)
	assert.True(t, ch.Revised)
	assert.Zero(t, ch.Published)
}

func TestPolicy(t *testing.T) {
	require.NoError(t, Default().Validate())
	for field, mod := range map[string]func(*Policy){
		"name":            func(p *Policy) { p.Name = "" },
		"interval":        func(p *Policy) { p.Interval = time.Millisecond },
		"batch":           func(p *Policy) { p.Batch = MaxBatch + 1 },
		"reclock_batches": func(p *Policy) { p.ReclockBatches = 0 },
	} {
		p := Default()
		mod(&p)
		err := p.Validate()
		var pe *PolicyError
		require.ErrorAs(t, err, &pe, field)
		assert.Equal(t, field, pe.Field)
		assert.ErrorIs(t, err, ErrInvalidPolicy)
		assert.True(t, strings.HasPrefix(err.Error(), `sweep: policy "`), err.Error())
	}
	st := storetest.SQLite(t)
	for _, o := range []Option{nil, WithLogger(nil), WithClock(nil), WithRegistry(nil), WithHolidays(""), WithActor("")} {
		_, err := New(st, Default(), o)
		assert.Error(t, err)
	}
	_, err := New(nil, Default())
	assert.Error(t, err)
	var s *Sweeper
	_, err = s.Round(context.Background())
	assert.ErrorIs(t, err, ErrNotBuilt)
	assert.ErrorIs(t, s.Run(context.Background()), ErrNotBuilt)
	_ = routing.Unit{}
	_ = admin
	_ = office
}

// Run stops when its context ends.
func TestRunStops(t *testing.T) {
	st := storetest.SQLite(t)
	p := Default()
	p.Interval = MinInterval
	s, err := New(st, p)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 3*MinInterval)
	defer cancel()
	require.NoError(t, s.Run(ctx))
}
