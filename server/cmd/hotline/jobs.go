package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/server/outbox"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/sweep"
)

// Defaults of serve's background jobs.
const (
	defaultSweepInterval  = 30 * time.Second
	defaultOutboxInterval = 2 * time.Second
	defaultPurgeInterval  = time.Hour
	defaultPurgeAfter     = 24 * time.Hour
)

// jobFlags are serve's flags for its background jobs: the deadline sweeper, the outbox worker and the
// purge of upload chunks that no attachment names.
type jobFlags struct {
	sweepEvery, outboxEvery time.Duration
	purgeEvery, purgeAfter  time.Duration
	urge                    bool
	holidays                string
	webhook, secretFile     string
	instance                string
	getenv                  func(string) string
	err                     error // a bad environment value, reported after parsing
}

// addJobFlags defines the jobs' flags on fs, with defaults from the environment.
func addJobFlags(fs *flag.FlagSet, getenv func(string) string) *jobFlags {
	f := &jobFlags{getenv: getenv}
	dur := func(name string, def time.Duration) time.Duration {
		v := getenv(name)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			f.err = errors.Join(f.err, fmt.Errorf("%s=%q is not a duration such as 30s", name, v))
			return def
		}
		return d
	}
	urge := true
	if v := getenv("HOTLINE_URGE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			f.err = errors.Join(f.err, fmt.Errorf("HOTLINE_URGE=%q is not true or false", v))
		}
		urge = b || err != nil
	}
	host, _ := os.Hostname()
	fs.DurationVar(&f.sweepEvery, "sweep-interval", dur("HOTLINE_SWEEP_INTERVAL", defaultSweepInterval),
		"run the deadline sweeper this often (HOTLINE_SWEEP_INTERVAL); 0 turns it off on this instance")
	fs.DurationVar(&f.outboxEvery, "outbox-interval", dur("HOTLINE_OUTBOX_INTERVAL", defaultOutboxInterval),
		"when the outbox is empty, look again after this long (HOTLINE_OUTBOX_INTERVAL); 0 turns delivery off on this instance")
	fs.DurationVar(&f.purgeEvery, "purge-interval", dur("HOTLINE_PURGE_INTERVAL", defaultPurgeInterval),
		"delete upload chunks left by cut-off uploads this often (HOTLINE_PURGE_INTERVAL); 0 turns it off on this instance")
	fs.DurationVar(&f.purgeAfter, "purge-after", dur("HOTLINE_PURGE_AFTER", defaultPurgeAfter),
		"an upload's chunks are left alone this long before they count as cut off (HOTLINE_PURGE_AFTER)")
	fs.BoolVar(&f.urge, "urge", urge, "the sweeper urges (催办) tickets whose clock ran out, 002 §6 (二) 1 (6) (HOTLINE_URGE)")
	fs.StringVar(&f.holidays, "holidays", getenv("HOTLINE_HOLIDAYS"),
		"a directory of holiday schedule files (holiday-cn format, e.g. 2027.json), watched by the sweeper (HOTLINE_HOLIDAYS)")
	fs.StringVar(&f.webhook, "webhook-url", getenv("HOTLINE_WEBHOOK_URL"),
		"deliver notifications as signed POSTs to this URL (HOTLINE_WEBHOOK_URL); without it they are logged")
	fs.StringVar(&f.secretFile, "webhook-secret-file", getenv("HOTLINE_WEBHOOK_SECRET_FILE"),
		"a file holding the webhook's signing secret (HOTLINE_WEBHOOK_SECRET_FILE; or the secret itself in HOTLINE_WEBHOOK_SECRET)")
	fs.StringVar(&f.instance, "instance", envOr(getenv, "HOTLINE_INSTANCE", host),
		"this instance's name in the audit trail of the sweeper and the outbox worker (HOTLINE_INSTANCE)")
	return f
}

// jobs are the running background jobs of serve.
type jobs struct {
	notifier notify.Notifier
	registry *prometheus.Registry
	sweeper  *sweep.Sweeper
	worker   *outbox.Worker
	purger   *purger
	f        *jobFlags
	log      *slog.Logger

	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
}

// start builds the notifier and the jobs, and loads the holiday directory into the store before
// anything is served.
func (f *jobFlags) start(ctx context.Context, st *store.Store, log *slog.Logger) (*jobs, error) {
	if f.err != nil {
		return nil, f.err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	j := &jobs{registry: reg, f: f, log: log, cancel: func() {}}
	var n notify.Notifier = notify.NewLog(log)
	if f.webhook != "" {
		secret, err := f.secret()
		if err != nil {
			return nil, err
		}
		hook, err := notify.NewWebhook(f.webhook, secret)
		if err != nil {
			return nil, err
		}
		n = hook
	}
	j.notifier = n
	name := f.instance
	if name == "" {
		name = "hotline"
	}
	spol := sweep.Default()
	if f.sweepEvery > 0 {
		spol.Interval = f.sweepEvery
	}
	spol.Urge = f.urge
	sopts := []sweep.Option{sweep.WithLogger(log), sweep.WithRegistry(reg), sweep.WithActor(actorName("sweeper@" + name))}
	if f.holidays != "" {
		sopts = append(sopts, sweep.WithHolidays(f.holidays))
	}
	sw, err := sweep.New(st, spol, sopts...)
	if err != nil {
		return nil, err
	}
	if ch, err := sw.SyncSchedule(ctx); err != nil {
		return nil, err
	} else if !ch.None() {
		log.Info("holiday schedule loaded", slog.String("dir", f.holidays), slog.Int("dates_changed", ch.Dates), slog.Bool("revised", ch.Revised))
	}
	j.sweeper = sw
	opol := outbox.Default()
	if f.outboxEvery > 0 {
		opol.Interval = f.outboxEvery
	}
	w, err := outbox.New(st, n, opol, outbox.WithLogger(log), outbox.WithRegistry(reg), outbox.WithActor(actorName("outbox@"+name)))
	if err != nil {
		return nil, err
	}
	j.worker = w
	if f.purgeEvery > 0 && f.purgeAfter <= 0 {
		return nil, errors.New("-purge-after must be longer than 0: an upload in progress would lose its chunks")
	}
	j.purger = newPurger(st, log, reg, f.purgeEvery, f.purgeAfter, actorName("purge@"+name))
	return j, nil
}

// secret reads the webhook's signing secret from its file or the environment.
func (f *jobFlags) secret() ([]byte, error) {
	if f.secretFile != "" {
		b, err := os.ReadFile(f.secretFile)
		if err != nil {
			return nil, fmt.Errorf("the webhook secret: %w", err)
		}
		return bytes.TrimSpace(b), nil
	}
	if v := f.getenv("HOTLINE_WEBHOOK_SECRET"); v != "" {
		return []byte(v), nil
	}
	return nil, errors.New("a webhook URL needs a signing secret: set -webhook-secret-file, HOTLINE_WEBHOOK_SECRET_FILE or HOTLINE_WEBHOOK_SECRET")
}

func actorName(s string) string {
	if len(s) > 128 {
		return s[:128]
	}
	return s
}

// run starts the enabled jobs; stop ends them.
func (j *jobs) run(ctx context.Context) {
	ctx, j.cancel = context.WithCancel(context.WithoutCancel(ctx))
	if j.f.sweepEvery > 0 {
		j.wg.Go(func() { _ = j.sweeper.Run(ctx) })
	}
	if j.f.outboxEvery > 0 {
		j.wg.Go(func() { _ = j.worker.Run(ctx) })
	}
	if j.f.purgeEvery > 0 {
		j.wg.Go(func() { j.purger.run(ctx) })
	}
	j.log.Info("background jobs", slog.Duration("sweep_interval", j.f.sweepEvery), slog.Duration("outbox_interval", j.f.outboxEvery),
		slog.Duration("purge_interval", j.f.purgeEvery),
		slog.Bool("webhook", j.f.webhook != ""), slog.String("holidays", j.f.holidays))
}

// stop ends the jobs and waits for them: each finishes the transaction or the deliveries in hand
// (bounded by the outbox policy's timeout), so nothing acknowledged is lost and nothing is
// half-written. It may be called more than once.
func (j *jobs) stop() {
	if j == nil {
		return
	}
	j.once.Do(func() {
		j.cancel()
		j.wg.Wait()
	})
}
