package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hotline12345/hotline/server/store"
)

// purger deletes, every interval, the chunks of uploads that never became an attachment (an upload
// cut off by a crash or a dropped connection) once they are older than after; see
// store.PurgeStagedBlobs. Each round is one transaction with its own audit row, so with several
// instances a round may run on each: the second deletes nothing.
type purger struct {
	st           *store.Store
	log          *slog.Logger
	every, after time.Duration
	who          store.Principal
	now          func() time.Time
	chunks       prometheus.Counter
	failures     prometheus.Counter
}

func newPurger(st *store.Store, log *slog.Logger, reg prometheus.Registerer, every, after time.Duration, actor string) *purger {
	p := &purger{st: st, log: log, every: every, after: after, now: time.Now,
		who: store.Principal{Actor: actor, Role: store.RoleSystem},
		chunks: prometheus.NewCounter(prometheus.CounterOpts{Name: "hotline_purge_staged_chunks_total",
			Help: "Upload chunks deleted because no attachment names them."}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{Name: "hotline_purge_failures_total",
			Help: "Purge rounds that failed."}),
	}
	reg.MustRegister(p.chunks, p.failures)
	return p
}

// round runs one purge and reports how many chunks went.
func (p *purger) round(ctx context.Context) (int64, error) {
	now := p.now()
	n, err := p.st.PurgeStagedBlobs(ctx, p.who, now.Add(-p.after), now)
	if err != nil {
		p.failures.Inc()
		p.log.Error("purge of cut-off uploads failed", slog.Any("error", err))
		return 0, err
	}
	p.chunks.Add(float64(n))
	if n > 0 {
		p.log.Info("purged cut-off uploads", slog.Int64("chunks", n))
	}
	return n, nil
}

// run purges at once and then every interval until ctx ends.
func (p *purger) run(ctx context.Context) {
	t := time.NewTicker(p.every)
	defer t.Stop()
	for {
		_, _ = p.round(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
