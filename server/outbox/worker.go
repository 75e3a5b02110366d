package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hotline12345/hotline/server/internal/bgjob"
	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/server/store"
)

// purgeEvery is how often a worker deletes the delivered messages older than Policy.Keep.
const purgeEvery = time.Hour

// Worker delivers the store's outbox through a [notify.Notifier]: build it with [New], run it with
// [Worker.Run] (or one [Worker.Round] at a time). Several workers — on several server instances, or
// in one process — may run on one database: each claim is the worker's alone until its lease runs
// out.
type Worker struct {
	st  *store.Store
	n   notify.Notifier
	pol Policy
	job bgjob.Settings // logger, clock, registry, principal
	met *metrics

	mu        sync.Mutex // one round at a time
	lastPurge time.Time
}

// Option tunes [New].
type Option func(*Worker) error

// WithLogger logs failed deliveries, dead letters and errors to l (default: discard). Only ids,
// topics and the notifier's error are logged.
func WithLogger(l *slog.Logger) Option {
	return func(w *Worker) error {
		return w.job.SetLogger(l)
	}
}

// WithClock reads instants from now (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(w *Worker) error {
		return w.job.SetClock(now)
	}
}

// WithRegistry registers the worker's metrics with reg (by default they are kept but not
// registered).
func WithRegistry(reg prometheus.Registerer) Option {
	return func(w *Worker) error {
		return w.job.SetRegistry(reg)
	}
}

// WithActor names the system principal the worker acts as (default "outbox").
func WithActor(actor string) Option {
	return func(w *Worker) error {
		w.job.SetActor(actor)
		return nil
	}
}

// New returns a worker delivering st's outbox through n under policy pol.
func New(st *store.Store, n notify.Notifier, pol Policy, opts ...Option) (*Worker, error) {
	switch {
	case st == nil:
		return nil, errors.New("outbox: nil store")
	case n == nil:
		return nil, errors.New("outbox: nil notifier")
	}
	if err := pol.Validate(); err != nil {
		return nil, err
	}
	w := &Worker{st: st, n: n, pol: pol,
		job: bgjob.Defaults("outbox", "outbox")}
	if err := bgjob.Apply(w, &w.job, opts); err != nil {
		return nil, err
	}
	m, err := newMetrics(w.job.Reg)
	if err != nil {
		return nil, err
	}
	w.met = m
	return w, nil
}

// Report is what one round did.
type Report struct {
	// Claimed counts the messages taken; Delivered, Failed (to be tried again) and Dead (given up
	// on) what became of them.
	Claimed, Delivered, Failed, Dead int
	// Purged counts the delivered messages deleted past Policy.Keep.
	Purged int64
}

// Round claims and delivers batch after batch until the outbox has nothing due, then refreshes the
// gauges (pending, dead letters, lag). When ctx ends it finishes the batch in hand — the deliveries
// under way run to their end or their timeout, and their outcome is recorded — and returns.
func (w *Worker) Round(ctx context.Context) (Report, error) {
	if w == nil || w.st == nil {
		return Report{}, ErrNotBuilt
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	var rep Report
	err := w.round(ctx, &rep)
	if err != nil {
		w.met.errors.Inc()
		w.job.Log.Error("outbox round failed", slog.String("error", err.Error()))
	}
	if st, serr := w.st.OutboxStats(context.WithoutCancel(ctx), w.job.Who); serr == nil {
		w.met.stats(st, w.job.Now())
	}
	return rep, err
}

func (w *Worker) round(ctx context.Context, rep *Report) error {
	bg := context.WithoutCancel(ctx)
	for ctx.Err() == nil {
		msgs, err := w.st.ClaimOutbox(bg, w.job.Who, w.pol.Batch, w.pol.Lease, w.job.Now())
		if err != nil {
			return err
		}
		rep.Claimed += len(msgs)
		if err := w.deliver(bg, msgs, rep); err != nil {
			return err
		}
		if len(msgs) < w.pol.Batch {
			break
		}
	}
	if w.pol.Keep > 0 && w.job.Now().Sub(w.lastPurge) >= purgeEvery {
		n, err := w.st.PurgeOutbox(bg, w.job.Who, w.job.Now().Add(-w.pol.Keep))
		if err != nil {
			return err
		}
		rep.Purged, w.lastPurge = n, w.job.Now()
	}
	return nil
}

// outcome is what became of one delivery.
type outcome struct {
	msg store.OutboxMessage
	err error
	dur time.Duration
}

// deliver delivers msgs, Concurrency at a time, then records the outcomes: one acknowledgement for
// the delivered, one update for each failure.
func (w *Worker) deliver(ctx context.Context, msgs []store.OutboxMessage, rep *Report) error {
	out := make([]outcome, len(msgs))
	sem := make(chan struct{}, w.pol.Concurrency)
	var wg sync.WaitGroup
	for i, m := range msgs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			start := time.Now()
			err := w.notify(ctx, m)
			out[i] = outcome{msg: m, err: err, dur: time.Since(start)}
		})
	}
	wg.Wait()
	now := w.job.Now()
	var acked []string
	for _, o := range out {
		m := o.msg
		w.met.latency.Observe(o.dur.Seconds())
		if o.err == nil {
			acked = append(acked, m.ID)
			w.met.delivered.WithLabelValues(m.Topic).Inc()
			w.met.delay.Observe(now.Sub(m.Created).Seconds())
			continue
		}
		attempt := m.Attempts + 1
		var retry time.Time
		if !errors.Is(o.err, notify.ErrPermanent) && attempt < w.pol.MaxAttempts {
			d := w.pol.Delay(attempt)
			retry = now.Add(d + time.Duration(rand.Int64N(int64(d/2)+1)))
		}
		if err := w.st.FailOutbox(ctx, w.job.Who, m.ID, m.Claim, retry, o.err.Error(), now); err != nil {
			return err
		}
		if retry.IsZero() {
			rep.Dead++
			w.met.dead.WithLabelValues(m.Topic).Inc()
			w.job.Log.Error("outbox message is a dead letter", slog.String("id", m.ID), slog.String("topic", m.Topic),
				slog.Int("attempts", attempt), slog.String("error", o.err.Error()))
			continue
		}
		rep.Failed++
		w.met.failed.WithLabelValues(m.Topic).Inc()
		w.job.Log.Warn("outbox delivery failed", slog.String("id", m.ID), slog.String("topic", m.Topic),
			slog.Int("attempt", attempt), slog.Time("retry", retry), slog.String("error", o.err.Error()))
	}
	if err := w.st.AckOutbox(ctx, w.job.Who, acked, now); err != nil {
		return err
	}
	rep.Delivered += len(acked)
	return nil
}

// notify delivers m under the policy's timeout; a notifier that panics has failed (and will be
// tried again), it does not stop the worker.
func (w *Worker) notify(ctx context.Context, m store.OutboxMessage) (err error) {
	ctx, cancel := context.WithTimeout(ctx, w.pol.Timeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("outbox: the notifier panicked: %v", r)
		}
	}()
	return w.n.Notify(ctx, notify.Message{ID: m.ID, Topic: m.Topic, Subject: m.Subject, Payload: m.Payload,
		Created: m.Created, Attempt: m.Attempts})
}

// Run does rounds until ctx ends — at once while messages keep coming, Policy.Interval apart when
// the outbox is empty — then returns nil once the batch in hand is recorded.
func (w *Worker) Run(ctx context.Context) error {
	if w == nil || w.st == nil {
		return ErrNotBuilt
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		rep, err := w.Round(ctx)
		wait := w.pol.Interval
		if err == nil && rep.Claimed >= w.pol.Batch {
			wait = 0
		}
		t.Reset(wait)
	}
}
