package outbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/server/notify/notifytest"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var (
	system = store.Principal{Actor: "test", Role: store.RoleSystem}
	t0     = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
)

// value reads the value of a counter or gauge.
func value(t *testing.T, c prometheus.Metric) float64 {
	t.Helper()
	var m dto.Metric
	require.NoError(t, c.Write(&m))
	if m.Counter != nil {
		return m.Counter.GetValue()
	}
	return m.Gauge.GetValue()
}

// put writes n messages to st's outbox, written and due at t0, and returns their ids.
func put(t testing.TB, st *store.Store, n int, topic string) []string {
	return putAt(t, st, n, topic, t0)
}

// putAt writes n messages written and due at at.
func putAt(t testing.TB, st *store.Store, n int, topic string, at time.Time) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", rand.Int64N(1e12))
		_, err := st.DB().ExecContext(context.Background(),
			"INSERT INTO outbox (id, topic, subject, payload, created_us, attempts, due_us) VALUES (?, ?, ?, ?, ?, 0, ?)",
			ids[i], topic, "t-"+fmt.Sprint(i), []byte(`{"ticket":"t"}`), at.UnixMicro(), at.UnixMicro())
		require.NoError(t, err)
	}
	return ids
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func testPolicy() Policy {
	p := Default()
	p.Batch, p.Concurrency, p.Backoff, p.MaxBackoff, p.MaxAttempts = 3, 2, time.Minute, 8*time.Minute, 3
	return p
}

// A failing delivery is tried again after its back-off, a permanent failure and the last attempt make
// dead letters, and the metrics count each outcome.
func TestWorkerRetriesAndDeadLetters(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ok := put(t, st, 4, "ticket.dispatch")
		flaky := put(t, st, 1, "ticket.overdue")[0]
		gone := put(t, st, 1, "ticket.reply")[0]
		calls := map[string]int{}
		attempts := map[string][]int{}
		var mu sync.Mutex
		n := notify.NotifierFunc(func(_ context.Context, m notify.Message) error {
			mu.Lock()
			defer mu.Unlock()
			calls[m.ID]++
			attempts[m.ID] = append(attempts[m.ID], m.Attempt)
			switch m.ID {
			case flaky:
				return errors.New("gateway busy")
			case gone:
				return fmt.Errorf("%w: no such recipient", notify.ErrPermanent)
			}
			return nil
		})
		c := &clock{t: t0}
		reg := prometheus.NewRegistry()
		w, err := New(st, n, testPolicy(), WithClock(c.now), WithRegistry(reg))
		require.NoError(t, err)

		rep, err := w.Round(ctx)
		require.NoError(t, err)
		assert.Equal(t, Report{Claimed: 6, Delivered: 4, Failed: 1, Dead: 1}, rep)
		c.add(30 * time.Second)
		rep, err = w.Round(ctx)
		require.NoError(t, err)
		assert.Zero(t, rep.Claimed, "inside the back-off")
		c.add(2 * time.Minute) // first back-off: 1 min, spread up to 1.5 min
		rep, err = w.Round(ctx)
		require.NoError(t, err)
		assert.Equal(t, Report{Claimed: 1, Failed: 1}, rep)
		c.add(4 * time.Minute) // second back-off: 2 min, up to 3
		rep, err = w.Round(ctx)
		require.NoError(t, err)
		assert.Equal(t, Report{Claimed: 1, Dead: 1}, rep, "the third attempt was the last")
		assert.Equal(t, map[string]int{ok[0]: 1, ok[1]: 1, ok[2]: 1, ok[3]: 1, flaky: 3, gone: 1}, calls)

		dead, err := st.DeadOutbox(ctx, system, 10)
		require.NoError(t, err)
		require.Len(t, dead, 2)
		assert.ElementsMatch(t, []string{flaky, gone}, []string{dead[0].ID, dead[1].ID})
		for _, d := range dead {
			if d.ID == gone {
				assert.Equal(t, "notify: permanent failure: no such recipient", d.LastError)
			}
		}
		assert.Equal(t, 4.0, value(t, w.met.delivered.WithLabelValues("ticket.dispatch")))
		assert.Equal(t, 2.0, value(t, w.met.failed.WithLabelValues("ticket.overdue")))
		assert.Equal(t, 1.0, value(t, w.met.dead.WithLabelValues("ticket.overdue")))
		assert.Equal(t, 1.0, value(t, w.met.dead.WithLabelValues("ticket.reply")))
		assert.Equal(t, 2.0, value(t, w.met.deadLetters))
		assert.Equal(t, 0.0, value(t, w.met.pending))
		families, err := reg.Gather()
		require.NoError(t, err)
		var names []string
		for _, f := range families {
			names = append(names, f.GetName())
		}
		assert.Subset(t, names, []string{"hotline_outbox_delivered_total", "hotline_outbox_failed_total", "hotline_outbox_dead_total",
			"hotline_outbox_pending", "hotline_outbox_dead_letters", "hotline_outbox_lag_seconds", "hotline_outbox_delivery_seconds"})

		// Requeued after the receiver was fixed, the letter is delivered.
		require.NoError(t, st.RequeueOutbox(ctx, system, gone, c.now()))
		mu.Lock()
		gone2 := gone
		gone = ""
		mu.Unlock()
		rep, err = w.Round(ctx)
		require.NoError(t, err)
		assert.Equal(t, Report{Claimed: 1, Delivered: 1}, rep)
		assert.Equal(t, 2, calls[gone2])
		assert.Equal(t, []int{0, 1, 2}, attempts[flaky], "Attempt counts the deliveries tried before")
		assert.Equal(t, []int{0, 0}, attempts[gone2], "a requeued letter starts again")
	})
}

// The lag gauge is the age of the oldest message not yet delivered.
func TestWorkerLag(t *testing.T) {
	st := storetest.SQLite(t)
	put(t, st, 2, "ticket.dispatch")
	c := &clock{t: t0.Add(90 * time.Second)}
	w, err := New(st, notify.NotifierFunc(func(context.Context, notify.Message) error { return errors.New("down") }), testPolicy(), WithClock(c.now))
	require.NoError(t, err)
	_, err = w.Round(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 90.0, value(t, w.met.lag))
	assert.Equal(t, 2.0, value(t, w.met.pending))
}

// A notifier that panics has failed: the worker goes on.
func TestWorkerSurvivesPanics(t *testing.T) {
	st := storetest.SQLite(t)
	put(t, st, 2, "ticket.dispatch")
	w, err := New(st, notify.NotifierFunc(func(context.Context, notify.Message) error { panic("adapter bug") }), testPolicy(),
		WithClock(func() time.Time { return t0 }))
	require.NoError(t, err)
	rep, err := w.Round(context.Background())
	require.NoError(t, err)
	assert.Equal(t, Report{Claimed: 2, Failed: 2}, rep)
}

// Run stops when its context ends, after recording the delivery in hand: a message being delivered at
// shutdown is acknowledged, not lost nor left claimed.
func TestRunStopsGracefully(t *testing.T) {
	st := storetest.SQLite(t)
	ids := putAt(t, st, 1, "ticket.dispatch", time.Now())
	started, release := make(chan struct{}), make(chan struct{})
	w, err := New(st, notify.NotifierFunc(func(ctx context.Context, m notify.Message) error {
		close(started)
		<-release
		return ctx.Err() // not cancelled by the shutdown: the delivery runs to its end
	}), testPolicy())
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	<-started
	cancel()
	close(release)
	require.NoError(t, <-done)
	stats, err := st.OutboxStats(context.Background(), system)
	require.NoError(t, err)
	assert.Zero(t, stats.Pending, "the message in hand was delivered and acknowledged")
	_ = ids
}

// Two workers on one database — two server instances — deliver through a signed webhook to a
// receiver that fails at random: every message is accepted exactly once (the receiver counts by
// message id, after verifying the signature), and none is left.
func TestTwoWorkersFlakyWebhook(t *testing.T) {
	for _, leg := range storetest.Legs() {
		t.Run(string(leg), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, leg)
			a, err := store.Open(ctx, dsn, storetest.DefaultOptions())
			require.NoError(t, err)
			t.Cleanup(func() { _ = a.Close() })
			require.NoError(t, a.Migrate(ctx))
			b, err := store.Open(ctx, dsn, storetest.DefaultOptions())
			require.NoError(t, err)
			t.Cleanup(func() { _ = b.Close() })
			const n = 150
			ids := putAt(t, a, n, "ticket.dispatch", time.Now())

			secret := []byte("two-workers-test-secret")
			rcv := notifytest.NewReceiver(t, secret, 1.0/3) // a third refused at random
			hook, err := notify.NewWebhook(rcv.URL, secret)
			require.NoError(t, err)
			pol := Default()
			pol.Batch, pol.Concurrency, pol.Interval, pol.Backoff, pol.MaxBackoff, pol.MaxAttempts = 10, 4, 10*time.Millisecond, time.Millisecond, 5*time.Millisecond, 1000
			wctx, stop := context.WithCancel(ctx)
			var wg sync.WaitGroup
			for i, st := range []*store.Store{a, b} {
				w, err := New(st, hook, pol, WithActor(fmt.Sprintf("outbox-%d", i)))
				require.NoError(t, err)
				wg.Go(func() { assert.NoError(t, w.Run(wctx)) })
			}
			require.Eventually(t, func() bool {
				s, err := a.OutboxStats(ctx, system)
				return err == nil && s.Pending == 0
			}, 2*time.Minute, 20*time.Millisecond)
			stop()
			wg.Wait()
			assert.Zero(t, rcv.Unverified(), "every request verifies")
			assert.Positive(t, rcv.Refused(), "the receiver failed some deliveries")
			accepted := rcv.Accepted()
			require.Len(t, accepted, n)
			for _, id := range ids {
				assert.Equal(t, 1, accepted[id], id)
			}
			dead, err := a.DeadOutbox(ctx, system, 10)
			require.NoError(t, err)
			assert.Empty(t, dead)
		})
	}
}

func TestPolicy(t *testing.T) {
	require.NoError(t, Default().Validate())
	for field, mod := range map[string]func(*Policy){
		"name":         func(p *Policy) { p.Name = "" },
		"interval":     func(p *Policy) { p.Interval = time.Millisecond },
		"batch":        func(p *Policy) { p.Batch = 0 },
		"concurrency":  func(p *Policy) { p.Concurrency = MaxConcurrency + 1 },
		"timeout":      func(p *Policy) { p.Timeout = 0 },
		"lease":        func(p *Policy) { p.Lease = p.Timeout },
		"max_attempts": func(p *Policy) { p.MaxAttempts = 0 },
		"backoff":      func(p *Policy) { p.Backoff = 0 },
		"max_backoff":  func(p *Policy) { p.MaxBackoff = p.Backoff / 2 },
		"keep":         func(p *Policy) { p.Keep = -1 },
	} {
		p := Default()
		mod(&p)
		err := p.Validate()
		var pe *PolicyError
		require.ErrorAs(t, err, &pe, field)
		assert.Equal(t, field, pe.Field)
		assert.ErrorIs(t, err, ErrInvalidPolicy)
	}
	p := Default()
	var got []time.Duration
	for a := 1; a <= 12; a++ {
		got = append(got, p.Delay(a))
	}
	assert.Equal(t, []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second, 160 * time.Second,
		320 * time.Second, 640 * time.Second, 1280 * time.Second, 2560 * time.Second, time.Hour, time.Hour, time.Hour}, got)

	_, err := New(nil, notify.NewLog(nil), Default())
	assert.Error(t, err)
	_, err = New(storetest.SQLite(t), nil, Default())
	assert.Error(t, err)
	var w *Worker
	_, err = w.Round(context.Background())
	assert.ErrorIs(t, err, ErrNotBuilt)
}
