package sweep

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/internal/bgjob"
	"github.com/hotline12345/hotline/server/store"
)

// Sweeper runs the deadline sweeper over a store: build it with [New], run it with [Sweeper.Run]
// (or one [Sweeper.Round] at a time). Several sweepers — on several server instances, or in one
// process — may run on one database: the store hands each ticket to one of them.
type Sweeper struct {
	st     *store.Store
	pol    Policy
	job    bgjob.Settings // logger, clock, registry, principal
	met    *metrics
	dir    string
	digest string
	// pass is the recomputation of clocks after a schedule change still to finish; nil when none.
	pass *pass

	mu sync.Mutex // one round at a time
}

type pass struct {
	all   bool
	after string
}

// Option tunes [New].
type Option func(*Sweeper) error

// WithLogger logs each round that did something, and every error, to l (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(s *Sweeper) error {
		return s.job.SetLogger(l)
	}
}

// WithClock reads the sweep instant from now (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(s *Sweeper) error {
		return s.job.SetClock(now)
	}
}

// WithRegistry registers the sweeper's metrics with reg (by default they are kept but not
// registered).
func WithRegistry(reg prometheus.Registerer) Option {
	return func(s *Sweeper) error {
		return s.job.SetRegistry(reg)
	}
}

// WithActor names the system principal the sweeper acts as in the audit trail and on urging events
// (default "sweeper"; give each instance its own name to tell them apart).
func WithActor(actor string) Option {
	return func(s *Sweeper) error {
		s.job.SetActor(actor)
		return nil
	}
}

// WithHolidays makes the sweeper read the holiday schedule from directory dir ([LoadHolidays]) at
// every round: when the files change, the store is given the new calendar ([store.Store.SetCalendar])
// and the clocks of open tickets are recomputed ([store.Store.Reclock]) — the provisional ones after
// a newly published year, every running one after a revision of a published year. Give every
// instance the same directory (a shared volume or the same configuration package).
func WithHolidays(dir string) Option {
	return func(s *Sweeper) error {
		if dir == "" {
			return errors.New("sweep: empty holiday directory")
		}
		s.dir = dir
		return nil
	}
}

// New returns a sweeper over st under policy pol.
func New(st *store.Store, pol Policy, opts ...Option) (*Sweeper, error) {
	if st == nil {
		return nil, errors.New("sweep: nil store")
	}
	if err := pol.Validate(); err != nil {
		return nil, err
	}
	s := &Sweeper{st: st, pol: pol,
		job: bgjob.Defaults("sweep", "sweeper")}
	if err := bgjob.Apply(s, &s.job, opts); err != nil {
		return nil, err
	}
	m, err := newMetrics(s.job.Reg)
	if err != nil {
		return nil, err
	}
	s.met = m
	return s, nil
}

// Report is what one round did.
type Report struct {
	store.SweepResult
	// Batches counts the sweep transactions.
	Batches int
	// Schedule is what a changed holiday schedule changed (zero when it did not change).
	Schedule Change
	// Reclocked sums the recomputation done this round.
	Reclocked store.ReclockResult
}

func (r *Report) add(x store.SweepResult) {
	r.Tickets += x.Tickets
	r.Flagged += x.Flagged
	r.DueSoon += x.DueSoon
	r.Overdue += x.Overdue
	r.Callbacks += x.Callbacks
	r.Urged += x.Urged
	r.UrgeRefused += x.UrgeRefused
	r.Skipped = append(r.Skipped, x.Skipped...)
	r.Batches++
}

// Round does one round: it reloads the holiday schedule if it changed, goes on with a recomputation
// of clocks (at most Policy.ReclockBatches pages), then sweeps batch after batch until no ticket is
// due. When ctx ends it finishes the transaction in hand and returns; nothing is half-written.
func (s *Sweeper) Round(ctx context.Context) (Report, error) {
	if s == nil || s.st == nil {
		return Report{}, ErrNotBuilt
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	var rep Report
	err := s.round(ctx, &rep)
	s.met.observe(rep, err, time.Since(start))
	for _, sk := range append(rep.Skipped, rep.Reclocked.Skipped...) {
		s.job.Log.Error("ticket set aside by the sweeper", slog.String("ticket", sk))
	}
	if err != nil {
		s.job.Log.Error("sweep round failed", slog.String("error", err.Error()))
	} else if rep.Tickets > 0 || rep.Reclocked.Read > 0 {
		s.job.Log.Info("sweep round", slog.Int("tickets", rep.Tickets), slog.Int("flagged", rep.Flagged),
			slog.Int("due_soon", rep.DueSoon), slog.Int("overdue", rep.Overdue), slog.Int("urged", rep.Urged),
			slog.Int("callbacks", rep.Callbacks), slog.Int("reclock_changed", rep.Reclocked.Changed),
			slog.Int("reclock_fixed", rep.Reclocked.Fixed))
	}
	return rep, err
}

func (s *Sweeper) round(ctx context.Context, rep *Report) error {
	// Each transaction runs to its end even when ctx ends meanwhile; ctx only stops the next one.
	tx := context.WithoutCancel(ctx)
	if s.dir != "" {
		ch, err := s.syncSchedule()
		if err != nil {
			// A bad file must not stop the sweeping: the old calendar stays, the error is counted.
			s.met.scheduleErrors.Inc()
			s.job.Log.Error("holiday schedule not loaded", slog.String("error", err.Error()))
		}
		rep.Schedule = ch
	}
	for i := 0; s.pass != nil && i < s.pol.ReclockBatches && ctx.Err() == nil; i++ {
		r, err := s.st.Reclock(tx, s.job.Who, store.ReclockOptions{All: s.pass.all, After: s.pass.after, Limit: s.pol.Batch}, s.job.Now())
		if err != nil {
			return err
		}
		rep.Reclocked.Read += r.Read
		rep.Reclocked.Changed += r.Changed
		rep.Reclocked.Fixed += r.Fixed
		rep.Reclocked.Skipped = append(rep.Reclocked.Skipped, r.Skipped...)
		s.pass.after = r.Next
		if r.Next == "" {
			s.pass = nil
		}
	}
	for ctx.Err() == nil {
		r, err := s.st.SweepDue(tx, s.job.Who, store.SweepOptions{Limit: s.pol.Batch, Urge: s.pol.Urge}, s.job.Now())
		if err != nil {
			return err
		}
		rep.add(r)
		if !r.Full {
			break
		}
	}
	return nil
}

// syncSchedule loads the holiday directory when its files changed since the last load, gives the
// store the new calendar and starts a recomputation of clocks if the calendar changes any date.
func (s *Sweeper) syncSchedule() (Change, error) {
	digest, err := scheduleDigest(os.DirFS(s.dir))
	if err != nil {
		return Change{}, fmt.Errorf("%w: %s: %w", ErrSchedule, s.dir, err)
	}
	if digest == s.digest {
		return Change{}, nil
	}
	cal, digest, err := LoadHolidays(s.dir)
	if err != nil {
		return Change{}, err
	}
	return s.setCalendar(cal, digest)
}

func (s *Sweeper) setCalendar(cal *deadline.Calendar, digest string) (Change, error) {
	ch := Compare(s.st.Calendar(), cal, s.job.Now())
	if err := s.st.SetCalendar(cal); err != nil {
		return Change{}, err
	}
	s.digest = digest
	if ch.None() {
		return ch, nil
	}
	all := ch.Revised || (s.pass != nil && s.pass.all)
	s.pass = &pass{all: all}
	s.job.Log.Info("holiday schedule changed: recomputing clocks", slog.Int("dates", ch.Dates),
		slog.Int("published", ch.Published), slog.Bool("all_open_tickets", all))
	return ch, nil
}

// SyncSchedule loads the holiday directory now, outside a round: the command calls it before it
// serves, so that the first ticket is counted on the new calendar. It is a no-op without
// [WithHolidays].
func (s *Sweeper) SyncSchedule(ctx context.Context) (Change, error) {
	if s == nil || s.st == nil {
		return Change{}, ErrNotBuilt
	}
	if s.dir == "" {
		return Change{}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.syncSchedule()
}

// Run does a round every Policy.Interval until ctx ends, then returns nil once the round in hand has
// finished its transaction. Errors are logged and counted (hotline_sweep_errors_total), and the next
// round tries again.
func (s *Sweeper) Run(ctx context.Context) error {
	if s == nil || s.st == nil {
		return ErrNotBuilt
	}
	t := time.NewTicker(s.pol.Interval)
	defer t.Stop()
	for {
		_, _ = s.Round(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
