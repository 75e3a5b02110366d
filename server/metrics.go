package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/privacy"
)

// Metrics.
//
// /metrics serves the server's registry: the HTTP requests and latencies (echoprometheus), the
// idempotent replays, the failed logins and rate-limited requests, the Go runtime and the process,
// and — read from the store when scraped, cached for [DefaultMetricsCache] — the tickets by state,
// those due soon (预警) and overdue (超期), and the audit chain's rows per shard:
//
//	hotline_tickets{state="handling"}          tickets in each state
//	hotline_tickets_due_soon                   a running stage in its due-soon window
//	hotline_tickets_overdue                    a running stage past due
//	hotline_audit_rows{shard="0"}              rows in each audit shard (their sum is the chain's size)
//	hotline_store_stats_up                     1 when the last read of the store succeeded
//
// None of them carries a ticket's, a unit's or a caller's data: label values are states and shard
// numbers. Who may read them is [MetricsAccess]: by default anyone who reaches the port (the command
// listens on 127.0.0.1), which is how Prometheus scrapes most services; a deployment that exposes the
// port requires a key ([MetricsKey]) or serves the registry on a listener of its own ([MetricsOff]
// with [MetricsHandler]).

// DefaultMetricsCache is how long the figures read from the store are reused between scrapes.
const DefaultMetricsCache = 15 * time.Second

// statsTimeout bounds a scrape's read of the store.
const statsTimeout = 5 * time.Second

// MetricsAccess says who may read /metrics.
type MetricsAccess int

// The ways /metrics is served.
const (
	// MetricsPublic serves /metrics to everyone who reaches the port (the default).
	MetricsPublic MetricsAccess = iota
	// MetricsKey requires an API key of an admin, an auditor or a supervisor (Prometheus sends it with
	// authorization: {credentials: …} in its scrape config): 401 without one, 403 for other roles.
	MetricsKey
	// MetricsOff answers /metrics 404: serve the registry given with [WithRegistry] on a separate
	// listener with [MetricsHandler].
	MetricsOff
)

// WithMetricsAccess says who may read /metrics (default [MetricsPublic]).
func WithMetricsAccess(a MetricsAccess) Option {
	return func(c *config) error {
		if a < MetricsPublic || a > MetricsOff {
			return errors.New("server: unknown metrics access " + strconv.Itoa(int(a)))
		}
		c.auth.metricsAccess = a
		return nil
	}
}

// WithMetricsCache sets how long the figures read from the store are reused (default
// [DefaultMetricsCache]); zero reads the store at every scrape.
func WithMetricsCache(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("server: negative metrics cache")
		}
		c.auth.metricsCache = d
		return nil
	}
}

// MetricsHandler serves reg in the Prometheus text format: with [MetricsOff] and [WithRegistry], a
// program serves the server's metrics on a listener of its own.
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// metrics serves the server's registry as [MetricsAccess] says.
func (s *server) metrics() echo.HandlerFunc {
	h := echo.WrapHandler(MetricsHandler(s.cfg.registry))
	return func(c echo.Context) error {
		switch s.cfg.auth.metricsAccess {
		case MetricsOff:
			return echo.ErrNotFound
		case MetricsKey:
			if err := s.authenticate(func(echo.Context) error { return nil })(c); err != nil {
				return err
			}
			if err := requireRole(c, "read the metrics", store.RoleAdmin, store.RoleAuditor, store.RoleSupervisor); err != nil {
				return err
			}
		}
		return h(c)
	}
}

// storeCollector reads the store's figures at scrape time, reusing them for ttl.
type storeCollector struct {
	st  *store.Store
	now func() time.Time
	ttl time.Duration
	log *slog.Logger

	tickets, dueSoon, overdue, audit, up *prometheus.Desc

	mu   sync.Mutex
	at   time.Time // wall clock of the last read
	last store.Stats
	ok   bool
}

// statsPrincipal is who the collector reads the store as.
var statsPrincipal = store.Principal{Actor: "server:metrics", Role: store.RoleSystem}

func newStoreCollector(st *store.Store, now func() time.Time, ttl time.Duration, log *slog.Logger) *storeCollector {
	return &storeCollector{st: st, now: now, ttl: ttl, log: log,
		tickets: prometheus.NewDesc("hotline_tickets", "Tickets in each state.", []string{"state"}, nil),
		dueSoon: prometheus.NewDesc("hotline_tickets_due_soon", "Tickets with a running stage in its due-soon window (预警).", nil, nil),
		overdue: prometheus.NewDesc("hotline_tickets_overdue", "Tickets with a running stage past its due instant (超期).", nil, nil),
		audit:   prometheus.NewDesc("hotline_audit_rows", "Rows in each shard of the audit chain.", []string{"shard"}, nil),
		up:      prometheus.NewDesc("hotline_store_stats_up", "1 when the last read of the store's figures succeeded.", nil, nil),
	}
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.tickets, c.dueSoon, c.overdue, c.audit, c.up} {
		ch <- d
	}
}

// stats returns the cached figures, reading the store when they are older than ttl. A failed read
// keeps the last figures and reports up 0.
func (c *storeCollector) stats() (store.Stats, bool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ok && time.Since(c.at) < c.ttl {
		return c.last, true, true
	}
	ctx, cancel := context.WithTimeout(context.Background(), statsTimeout)
	defer cancel()
	st, err := c.st.Stats(ctx, statsPrincipal, c.now())
	if err != nil {
		c.ok = false
		c.log.LogAttrs(ctx, slog.LevelWarn, "metrics: reading the store's figures", slog.String("error", logScrub.Scrub(err.Error(), privacy.AudienceStaff)))
		return c.last, c.at != time.Time{}, false
	}
	c.last, c.at, c.ok = st, time.Now(), true
	return st, true, true
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	st, have, up := c.stats()
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, map[bool]float64{true: 1, false: 0}[up])
	if !have {
		return
	}
	// Every state is reported, zero included, so a state that empties is 0 and not a stale series.
	counts := map[string]float64{}
	for _, state := range ticket.States() {
		counts[string(state)] = 0
	}
	for state, n := range st.ByState {
		if parsed, err := ticket.ParseState(state); err == nil {
			state = string(parsed)
		} else {
			state = "unknown" // a label value from the database is never taken on trust
		}
		counts[state] += float64(n)
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ch <- prometheus.MustNewConstMetric(c.tickets, prometheus.GaugeValue, counts[n], n)
	}
	ch <- prometheus.MustNewConstMetric(c.dueSoon, prometheus.GaugeValue, float64(st.DueSoon))
	ch <- prometheus.MustNewConstMetric(c.overdue, prometheus.GaugeValue, float64(st.Overdue))
	for i, n := range st.AuditSizes {
		ch <- prometheus.MustNewConstMetric(c.audit, prometheus.GaugeValue, float64(n), strconv.Itoa(i))
	}
}
