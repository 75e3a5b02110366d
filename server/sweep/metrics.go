package sweep

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the sweeper's Prometheus metrics (namespace hotline, subsystem sweep).
type metrics struct {
	rounds, errors, scheduleErrors, tickets, flagged, urged, skipped prometheus.Counter
	notices                                                          *prometheus.CounterVec
	reclocked                                                        *prometheus.CounterVec
	duration                                                         prometheus.Histogram
	lastSuccess                                                      prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	c := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Namespace: "hotline", Subsystem: "sweep", Name: name, Help: help})
	}
	m := &metrics{
		rounds:         c("rounds_total", "Sweeper rounds run."),
		errors:         c("errors_total", "Sweeper rounds that failed."),
		scheduleErrors: c("schedule_errors_total", "Holiday schedule loads that failed (the old calendar stays)."),
		tickets:        c("tickets_total", "Tickets taken by the sweeper because their sweep instant had passed."),
		flagged:        c("flagged_total", "Tickets whose due-soon or overdue flag the sweeper changed."),
		urged:          c("urged_total", "Urging events (催办) the sweeper applied to overdue tickets."),
		skipped:        c("skipped_total", "Tickets the sweeper set aside because their stored data does not decode (see the log)."),
		notices: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "hotline", Subsystem: "sweep", Name: "notices_total",
			Help: "Notices the sweeper wrote to the outbox, by kind (due_soon, overdue, callback_due)."}, []string{"kind"}),
		reclocked: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "hotline", Subsystem: "sweep", Name: "reclocked_total",
			Help: "Tickets whose clocks were recomputed after a holiday schedule change (changed), and those no longer provisional (fixed)."}, []string{"result"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "hotline", Subsystem: "sweep", Name: "round_seconds",
			Help: "Duration of sweeper rounds.", Buckets: prometheus.ExponentialBuckets(0.001, 4, 10)}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "hotline", Subsystem: "sweep", Name: "last_success_timestamp_seconds",
			Help: "When the last successful sweeper round ended (Unix seconds)."}),
	}
	if reg != nil {
		for _, col := range []prometheus.Collector{m.rounds, m.errors, m.scheduleErrors, m.tickets, m.flagged, m.urged, m.skipped, m.notices, m.reclocked, m.duration, m.lastSuccess} {
			if err := reg.Register(col); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

func (m *metrics) observe(r Report, err error, d time.Duration) {
	m.rounds.Inc()
	m.duration.Observe(d.Seconds())
	m.tickets.Add(float64(r.Tickets))
	m.flagged.Add(float64(r.Flagged))
	m.urged.Add(float64(r.Urged))
	m.skipped.Add(float64(len(r.Skipped) + len(r.Reclocked.Skipped)))
	m.notices.WithLabelValues("due_soon").Add(float64(r.DueSoon))
	m.notices.WithLabelValues("overdue").Add(float64(r.Overdue))
	m.notices.WithLabelValues("callback_due").Add(float64(r.Callbacks))
	m.reclocked.WithLabelValues("changed").Add(float64(r.Reclocked.Changed))
	m.reclocked.WithLabelValues("fixed").Add(float64(r.Reclocked.Fixed))
	if err != nil {
		m.errors.Inc()
		return
	}
	m.lastSuccess.SetToCurrentTime()
}
