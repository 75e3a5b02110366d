package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
)

// metricValue reads one sample of the text exposition, or -1 when it is absent.
func metricValue(t *testing.T, body, sample string) float64 {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` (\S+)$`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	require.NoError(t, err)
	return v
}

// intake accepts a ticket from a caller of phone's (each test ticket its own caller, so that none is
// a repeat of another) and returns its id and version.
func intake(t *testing.T, f fixture, key, phone string) (string, int64) {
	t.Helper()
	rec := f.send(http.MethodPost, "/v1/tickets", strings.Replace(intakeBody, "13812345678", phone, 1), "Authorization", key)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var created server.IntakeResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &created))
	return created.ID, created.Version
}

func TestMetricsFromTheStore(t *testing.T) {
	f := newServer(t, server.WithMetricsCache(0))
	k := seedTickets(t, f.store)
	id, version := intake(t, f, k["office"], "13800000001")
	intake(t, f, k["office"], "13800000002")
	rec := f.send(http.MethodPost, "/v1/tickets/"+id+"/actions",
		`{"action":"dispatch","payload":{"dispatch":{"lead":"unit-a","dispatch_mode":"statutory"}}}`, "Authorization", k["office"],
		"If-Match", fmt.Sprintf(`"%d"`, version))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	body := f.get("/metrics").Body.String()
	assert.Equal(t, 1.0, metricValue(t, body, `hotline_tickets{state="received"}`))
	assert.Equal(t, 1.0, metricValue(t, body, `hotline_tickets{state="dispatched"}`))
	assert.Equal(t, 0.0, metricValue(t, body, `hotline_tickets{state="closed"}`), "every state is reported")
	assert.Equal(t, 0.0, metricValue(t, body, `hotline_tickets_overdue`))
	assert.Equal(t, 1.0, metricValue(t, body, `hotline_store_stats_up`))
	var total float64
	for shard := range store.AuditShards {
		v := metricValue(t, body, fmt.Sprintf(`hotline_audit_rows{shard="%d"}`, shard))
		require.GreaterOrEqual(t, v, 0.0, "shard %d", shard)
		total += v
	}
	var rows int
	require.NoError(t, f.store.DB().NewSelect().Table("audit_log").ColumnExpr("COUNT(*)").Scan(context.Background(), &rows))
	assert.Equal(t, float64(rows), total, "the shards' rows add up to the chain")
	assert.NotContains(t, body, "13812345678")
	assert.NotContains(t, body, "工地")

	t.Run("overdue and due soon at a later hour", func(t *testing.T) {
		later := fixedNow.AddDate(0, 1, 0)
		h, err := server.New(server.Deps{Store: f.store, Calendar: deadline.China(), Now: func() time.Time { return later }})
		require.NoError(t, err)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		assert.Equal(t, 2.0, metricValue(t, rec.Body.String(), `hotline_tickets_overdue`), "a month on, both are past due")
		assert.Equal(t, 0.0, metricValue(t, rec.Body.String(), `hotline_tickets_due_soon`))
	})
	t.Run("a store that does not answer reports up 0, and the scrape still answers", func(t *testing.T) {
		g := newServer(t, server.WithMetricsCache(0))
		require.NoError(t, g.store.DB().Close())
		rec := g.get("/metrics")
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, 0.0, metricValue(t, rec.Body.String(), `hotline_store_stats_up`))
		assert.Equal(t, -1.0, metricValue(t, rec.Body.String(), `hotline_tickets{state="received"}`), "no figures were ever read")
	})
}

func TestMetricsCache(t *testing.T) {
	f := newServer(t) // DefaultMetricsCache
	k := seedTickets(t, f.store)
	intake(t, f, k["office"], "13800000001")
	assert.Equal(t, 1.0, metricValue(t, f.get("/metrics").Body.String(), `hotline_tickets{state="received"}`))
	intake(t, f, k["office"], "13800000002")
	assert.Equal(t, 1.0, metricValue(t, f.get("/metrics").Body.String(), `hotline_tickets{state="received"}`),
		"within the cache's 15 s the figures are reused")
}

func TestMetricsAccess(t *testing.T) {
	t.Run("with a key: admins, auditors and supervisors", func(t *testing.T) {
		f := newServer(t, server.WithMetricsAccess(server.MetricsKey))
		k := seedTickets(t, f.store)
		_, auditor, err := f.store.CreateCredential(context.Background(), matrixAdmin, "audit", store.RoleAuditor, "prometheus", fixedNow)
		require.NoError(t, err)
		rec := f.get("/metrics")
		assert.Equal(t, http.StatusUnauthorized, rec.Code)
		assert.NotEmpty(t, rec.Header().Get("WWW-Authenticate"))
		assert.Equal(t, http.StatusForbidden, f.get("/metrics", "Authorization", k["office"]).Code)
		assert.Equal(t, http.StatusOK, f.get("/metrics", "Authorization", k["super"]).Code)
		rec = f.get("/metrics", "Authorization", "Bearer "+auditor)
		assert.Equal(t, http.StatusOK, rec.Code)
		assert.Contains(t, rec.Body.String(), "hotline_tickets")
	})
	t.Run("off: served on a listener of the program's own", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		f := newServer(t, server.WithMetricsAccess(server.MetricsOff), server.WithRegistry(reg))
		assert.Equal(t, http.StatusNotFound, f.get("/metrics").Code)
		f.get("/livez")
		rec := httptest.NewRecorder()
		server.MetricsHandler(reg).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		assert.Contains(t, rec.Body.String(), `hotline_http_requests_total{code="200",host="",method="GET",url="/livez"} 1`)
		assert.Contains(t, rec.Body.String(), "hotline_store_stats_up 1")
	})
	t.Run("bad options are refused", func(t *testing.T) {
		for _, o := range []server.Option{server.WithMetricsAccess(7), server.WithMetricsCache(-time.Second), server.WithIPExtractor(nil)} {
			_, err := server.New(server.Deps{Store: newServer(t).store, Calendar: deadline.China(), Logger: slog.Default()}, o)
			assert.Error(t, err)
		}
	})
}
