package outbox

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hotline12345/hotline/server/store"
)

// metrics are the worker's Prometheus metrics (namespace hotline, subsystem outbox).
type metrics struct {
	delivered, failed, dead *prometheus.CounterVec
	errors                  prometheus.Counter
	pending, deadLetters    prometheus.Gauge
	lag                     prometheus.Gauge
	latency, delay          prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	vec := func(name, help string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "hotline", Subsystem: "outbox", Name: name, Help: help}, []string{"topic"})
	}
	gauge := func(name, help string) prometheus.Gauge {
		return prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "hotline", Subsystem: "outbox", Name: name, Help: help})
	}
	m := &metrics{
		delivered: vec("delivered_total", "Outbox messages the notifier accepted, by topic."),
		failed:    vec("failed_total", "Failed deliveries that will be tried again, by topic."),
		dead:      vec("dead_total", "Messages given up on (dead letters), by topic."),
		errors: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "hotline", Subsystem: "outbox", Name: "errors_total",
			Help: "Worker rounds that failed on the database."}),
		pending:     gauge("pending", "Messages not yet delivered nor given up on."),
		deadLetters: gauge("dead_letters", "Dead letters waiting for a requeue."),
		lag:         gauge("lag_seconds", "Age of the oldest pending message (0 when none)."),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "hotline", Subsystem: "outbox", Name: "delivery_seconds",
			Help: "Duration of one delivery through the notifier.", Buckets: prometheus.ExponentialBuckets(0.001, 4, 10)}),
		delay: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "hotline", Subsystem: "outbox", Name: "delay_seconds",
			Help: "Time from a message's write to its delivery.", Buckets: prometheus.ExponentialBuckets(0.01, 4, 12)}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.delivered, m.failed, m.dead, m.errors, m.pending, m.deadLetters, m.lag, m.latency, m.delay} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

func (m *metrics) stats(st store.OutboxStats, now time.Time) {
	m.pending.Set(float64(st.Pending))
	m.deadLetters.Set(float64(st.Dead))
	lag := 0.0
	if !st.Oldest.IsZero() {
		lag = max(0, now.Sub(st.Oldest).Seconds())
	}
	m.lag.Set(lag)
}
