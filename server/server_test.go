package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/api"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// syncBuffer is a log sink tests read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// lines returns the log's JSON lines.
func (s *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), "log line %q", l)
		out = append(out, m)
	}
	return out
}

var fixedNow = time.Date(2026, 11, 30, 9, 0, 0, 0, deadline.Location())

type fixture struct {
	*client
	h     http.Handler
	store *store.Store
	log   *syncBuffer
}

// newServer builds the server over a fresh SQLite store with a log buffer and a fixed clock.
func newServer(t *testing.T, opts ...server.Option) fixture {
	t.Helper()
	f := newServerTB(t, opts...)
	f.client = &client{t: t, h: f.h}
	return f
}

// newServerTB is newServer without the validating client (for fuzz targets and benchmarks).
func newServerTB(t testing.TB, opts ...server.Option) fixture {
	t.Helper()
	return newServerOn(t, storetest.SQLite(t), opts...)
}

// newServerOn builds the server over st.
func newServerOn(t testing.TB, st *store.Store, opts ...server.Option) fixture {
	t.Helper()
	buf := &syncBuffer{}
	h, err := server.New(server.Deps{
		Store:    st,
		Calendar: deadline.China(),
		Logger:   slog.New(slog.NewJSONHandler(buf, nil)),
		Now:      func() time.Time { return fixedNow },
	}, opts...)
	require.NoError(t, err)
	return fixture{h: h, store: st, log: buf}
}

func problemOf(t *testing.T, body []byte) server.Problem {
	t.Helper()
	var p server.Problem
	require.NoError(t, json.Unmarshal(body, &p), "problem %s", body)
	return p
}

func TestNewRefusesMissingDependencies(t *testing.T) {
	st := storetest.SQLite(t)
	tests := []struct {
		name string
		deps server.Deps
		opts []server.Option
		want string
	}{
		{"no store", server.Deps{Calendar: deadline.China()}, nil, "Store"},
		{"no calendar", server.Deps{Store: st}, nil, "Calendar"},
		{"invalid policy", server.Deps{Store: st, Calendar: deadline.China(), Deadlines: []deadline.Policy{{Label: "no name"}}}, nil, "policy"},
		{"duplicate policy", server.Deps{Store: st, Calendar: deadline.China(),
			Deadlines: []deadline.Policy{deadline.StreetHotline(), deadline.StreetHotline()}}, nil, "twice"},
		{"nil option", server.Deps{Store: st, Calendar: deadline.China()}, []server.Option{nil}, "nil option"},
		{"zero body limit", server.Deps{Store: st, Calendar: deadline.China()}, []server.Option{server.WithBodyLimit(0)}, "body limit"},
		{"zero timeout", server.Deps{Store: st, Calendar: deadline.China()}, []server.Option{server.WithTimeout(0)}, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := server.New(tt.deps, tt.opts...)
			require.Error(t, err)
			assert.Nil(t, h)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestHealth(t *testing.T) {
	t.Run("livez and readyz answer on a migrated store", func(t *testing.T) {
		f := newServer(t)
		for _, path := range []string{"/livez", "/readyz"} {
			rec := f.get(path)
			assert.Equal(t, http.StatusOK, rec.Code, path)
			var h server.Health
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &h), path)
			assert.Equal(t, "ok", h.Status, path)
			if path == "/readyz" {
				assert.Contains(t, h.Details["virus_scanner"], "not scanned", "the no-op scanner says so")
			} else {
				assert.Empty(t, h.Details)
			}
		}
	})
	t.Run("readyz is 503 while draining, livez stays 200", func(t *testing.T) {
		var draining bool
		f := newServer(t, server.WithDraining(func() bool { return draining }))
		assert.Equal(t, http.StatusOK, f.get("/readyz").Code)
		draining = true
		rec := f.get("/readyz")
		assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
		p := problemOf(t, rec.Body.Bytes())
		assert.Equal(t, "not_ready", p.Code)
		assert.Contains(t, p.Detail, "draining")
		assert.Equal(t, http.StatusOK, f.get("/livez").Code)
	})
	t.Run("readyz is 503 when migrations are not at head", func(t *testing.T) {
		f := newServer(t)
		require.NoError(t, f.store.Rollback(context.Background()))
		rec := f.get("/readyz")
		assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
		assert.Contains(t, problemOf(t, rec.Body.Bytes()).Detail, "pending")
	})
	t.Run("readyz is 503 when the database is closed", func(t *testing.T) {
		f := newServer(t)
		require.NoError(t, f.store.DB().Close())
		rec := f.get("/readyz")
		assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
		assert.Contains(t, problemOf(t, rec.Body.Bytes()).Detail, "database")
	})
}

func TestOpenAPIServed(t *testing.T) {
	f := newServer(t)
	rec := f.get("/openapi.yaml")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, api.Spec(), rec.Body.Bytes())
	_, err := spec()
	require.NoError(t, err, "the document is valid OpenAPI 3")
}

func TestMetrics(t *testing.T) {
	f := newServer(t)
	for i := range 3 {
		req := mustRequest(t, http.MethodGet, "/livez")
		req.Host = fmt.Sprintf("attacker-%d.example", i)
		f.do(req)
	}
	f.get("/no/such/route/" + strings.Repeat("x", 10))
	rec := f.get("/metrics")
	require.Equal(t, http.StatusOK, rec.Code)
	body := rec.Body.String()
	assert.Contains(t, body, `hotline_http_requests_total{code="200",host="",method="GET",url="/livez"} 3`)
	assert.NotContains(t, body, "attacker", "the Host header is not a label")
	assert.NotContains(t, body, "/no/such/route", "an unmatched path is not a label")
	assert.Contains(t, body, "go_goroutines", "the Go collector is registered")
}

func mustRequest(t *testing.T, method, path string) *http.Request {
	req, err := http.NewRequest(method, path, nil)
	require.NoError(t, err)
	return req
}

// The error table: each kind of error a handler can return, through a route a district adds.
func TestErrorTable(t *testing.T) {
	errs := map[string]error{
		"stale":      &store.VersionError{ID: "T1", Given: 3, Current: 5},
		"notfound":   fmt.Errorf("%w: ticket T1", store.ErrNotFound),
		"transition": &ticket.TransitionError{State: ticket.StateClosed, Action: ticket.ActionDispatch, Err: ticket.ErrIllegalTransition},
		"keyreused":  &store.KeyReuseError{Key: "k1"},
		"mobile":     fmt.Errorf("citizen phone 13812345678: %w", ticket.ErrInvalidMobile),
		"unknown":    errors.New("pq: duplicate key value (phone)=(13812345678) violates constraint"),
		"timeout":    fmt.Errorf("query: %w", context.DeadlineExceeded),
	}
	f := newServer(t, server.WithRoutes(func(e *echo.Echo) {
		e.GET("/x/err/:name", func(c echo.Context) error { return errs[c.Param("name")] })
		e.GET("/x/panic", func(c echo.Context) error { panic("citizen 张三 13812345678") })
	}))
	tests := []struct {
		name, code string
		status     int
		detail     string // substring of the detail; "" for none
	}{
		{"stale", "stale_version", 412, ""},
		{"notfound", "not_found", 404, ""},
		{"transition", "illegal_transition", 409, "closed"},
		{"keyreused", "idempotency_key_reused", 422, ""},
		{"mobile", "invalid_mobile", 422, ""},
		{"unknown", "internal", 500, ""},
		{"timeout", "timeout", 503, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.on(t).get("/x/err/" + tt.name)
			assert.Equal(t, tt.status, rec.Code)
			assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
			p := problemOf(t, rec.Body.Bytes())
			assert.Equal(t, tt.code, p.Code)
			assert.Equal(t, "urn:hotline:problem:"+tt.code, p.Type)
			assert.Equal(t, tt.status, p.Status)
			assert.Equal(t, rec.Header().Get(server.HeaderRequestID), p.RequestID)
			if tt.detail == "" {
				assert.Empty(t, p.Detail)
			} else {
				assert.Contains(t, p.Detail, tt.detail)
			}
			assert.NotContains(t, rec.Body.String(), "13812345678")
		})
	}
	t.Run("a stale version carries the current one", func(t *testing.T) {
		p := problemOf(t, f.on(t).get("/x/err/stale").Body.Bytes())
		require.NotNil(t, p.CurrentVersion)
		assert.Equal(t, int64(5), *p.CurrentVersion)
	})
	t.Run("an unknown error is logged once, its numbers masked", func(t *testing.T) {
		before := strings.Count(f.log.String(), `"msg":"unexpected error"`)
		rec := f.on(t).get("/x/err/unknown")
		assert.Equal(t, 500, rec.Code)
		log := f.log.String()
		assert.Equal(t, before+1, strings.Count(log, `"msg":"unexpected error"`))
		assert.NotContains(t, log, "13812345678")
		assert.Contains(t, log, "duplicate key value")
	})
	t.Run("a panic is a 500 without the panic's value, the stack is logged", func(t *testing.T) {
		rec := f.on(t).get("/x/panic")
		assert.Equal(t, 500, rec.Code)
		p := problemOf(t, rec.Body.Bytes())
		assert.Equal(t, "internal", p.Code)
		assert.Empty(t, p.Detail)
		assert.NotContains(t, rec.Body.String(), "goroutine")
		log := f.log.String()
		assert.Contains(t, log, `"msg":"panic"`)
		assert.Contains(t, log, "goroutine")
		assert.NotContains(t, log, "张三")
		assert.NotContains(t, log, "13812345678")
	})
	t.Run("expected errors are not logged as errors", func(t *testing.T) {
		before := strings.Count(f.log.String(), `"level":"ERROR"`)
		f.on(t).get("/x/err/stale")
		f.on(t).get("/x/err/notfound")
		assert.Equal(t, before, strings.Count(f.log.String(), `"level":"ERROR"`))
	})
}

func TestUnknownRouteAndMethod(t *testing.T) {
	f := newServer(t)
	rec := f.get("/nope")
	assert.Equal(t, http.StatusNotFound, rec.Code)
	assert.Equal(t, "route_not_found", problemOf(t, rec.Body.Bytes()).Code)
	rec = f.send(http.MethodPost, "/livez", `{}`)
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, "method_not_allowed", problemOf(t, rec.Body.Bytes()).Code)
}

func TestBodyLimit(t *testing.T) {
	f := newServer(t, server.WithBodyLimit(64), server.WithRoutes(func(e *echo.Echo) {
		e.POST("/x/echo", func(c echo.Context) error {
			var v map[string]any
			if err := c.Bind(&v); err != nil {
				return err
			}
			return c.NoContent(http.StatusNoContent)
		})
	}))
	rec := f.send(http.MethodPost, "/x/echo", `{"a":"`+strings.Repeat("x", 100)+`"}`)
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	assert.Equal(t, "body_too_large", problemOf(t, rec.Body.Bytes()).Code)
}

func TestTimeout(t *testing.T) {
	f := newServer(t, server.WithTimeout(20*time.Millisecond), server.WithRoutes(func(e *echo.Echo) {
		e.GET("/x/slow", func(c echo.Context) error {
			<-c.Request().Context().Done()
			return c.Request().Context().Err()
		})
	}))
	rec := f.get("/x/slow")
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "timeout", problemOf(t, rec.Body.Bytes()).Code)
}

func TestRequestIDAndLog(t *testing.T) {
	f := newServer(t)
	t.Run("a plain caller id is kept", func(t *testing.T) {
		rec := f.on(t).get("/livez", server.HeaderRequestID, "abc-123")
		assert.Equal(t, "abc-123", rec.Header().Get(server.HeaderRequestID))
	})
	t.Run("anything else is replaced", func(t *testing.T) {
		for _, bad := range []string{"a b", "x\"}\n{\"injected\":1", strings.Repeat("a", 65), "张三"} {
			rec := f.on(t).get("/livez", server.HeaderRequestID, bad)
			id := rec.Header().Get(server.HeaderRequestID)
			assert.NotEqual(t, bad, id)
			assert.Len(t, id, 32)
		}
	})
	t.Run("the log line names the route template, not the query", func(t *testing.T) {
		f.on(t).get("/livez?phone=13812345678", server.HeaderRequestID, "log-1")
		var found map[string]any
		for _, l := range f.log.lines(t) {
			if l["request_id"] == "log-1" {
				found = l
			}
		}
		require.NotNil(t, found)
		assert.Equal(t, "/livez", found["route"])
		assert.Equal(t, float64(200), found["status"])
		assert.Equal(t, "GET", found["method"])
		assert.NotContains(t, f.log.String(), "13812345678")
	})
}
