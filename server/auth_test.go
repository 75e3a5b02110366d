package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

var testAuditor = store.Principal{Actor: "auditor-1", Unit: "audit", Role: store.RoleAuditor}

// auditRows returns the fields of the audit rows with action, joined, one string per row.
func auditRows(t *testing.T, st *store.Store, action string) []string {
	t.Helper()
	var rows []struct {
		Subject string `bun:"subject"`
		Fields  []byte `bun:"fields"`
	}
	require.NoError(t, st.DB().NewSelect().Table("audit_log").Column("subject", "fields").Where("action = ?", action).
		OrderExpr("shard ASC, seq ASC").Scan(context.Background(), &rows))
	out := make([]string, len(rows))
	for i, r := range rows {
		var f []string
		require.NoError(t, json.Unmarshal(r.Fields, &f))
		out[i] = r.Subject + " " + strings.Join(f, " ")
	}
	return out
}

// Every refused key is a failed login in the audit chain (DESIGN §8: every login failure is in the
// chain), named by fingerprint or credential, never by the key; the caller gets 401, or on a public
// route is served as the public.
func TestLoginFailuresAudited(t *testing.T) {
	storetest.EachDialect(t, loginFailuresAudited)
}

func loginFailuresAudited(t *testing.T, st *store.Store) {
	f := newServerOn(t, st)
	f.client = &client{t: t, h: f.h}
	k := seedTickets(t, f.store)
	ctx := context.Background()
	_, expired, err := st.IssueCredential(ctx, matrixAdmin, store.CredentialSpec{Unit: "office-bs", Role: store.RoleHotlineOffice,
		Expires: fixedNow.Add(-time.Minute)}, fixedNow.Add(-time.Hour))
	require.NoError(t, err)
	id, revoked, err := st.CreateCredential(ctx, matrixAdmin, "office-bs", store.RoleHotlineOffice, "old", fixedNow)
	require.NoError(t, err)
	require.NoError(t, st.RevokeCredential(ctx, matrixAdmin, id, fixedNow))
	unknown := "hlk_" + strings.Repeat("0123456789abcdef", 4)

	tests := []struct {
		name, auth, reason, detail string
	}{
		{"unknown", "Bearer " + unknown, "unknown", ""},
		{"revoked", "Bearer " + revoked, "revoked", ""},
		{"expired", "Bearer " + expired, "expired", "expired"},
		{"malformed", "Bearer 13812345678", "malformed", ""},
		{"another scheme", "Basic dXNlcjpwYXNz", "malformed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := countWith(auditRows(t, st, "auth.failure"), "reason="+tt.reason)
			rec := f.on(t).get("/v1/tickets", "Authorization", tt.auth)
			require.Equal(t, http.StatusUnauthorized, rec.Code)
			p := problemOf(t, rec.Body.Bytes())
			assert.Equal(t, "unauthorized", p.Code)
			if tt.detail != "" {
				assert.Contains(t, p.Detail, tt.detail)
			} else {
				assert.Empty(t, p.Detail)
			}
			assert.Contains(t, rec.Header().Get("WWW-Authenticate"), `error="invalid_token"`)
			assert.Equal(t, before+1, countWith(auditRows(t, st, "auth.failure"), "reason="+tt.reason),
				"the first failure of its minute is chained")
		})
	}
	t.Run("the chain and the log never hold a key", func(t *testing.T) {
		all := strings.Join(auditRows(t, st, "auth.failure"), "\n")
		for _, secret := range []string{unknown, revoked, expired, "13812345678", "dXNlcjpwYXNz"} {
			assert.NotContains(t, all, secret)
			assert.NotContains(t, f.log.String(), secret)
		}
		assert.Contains(t, all, "credential:"+id, "a revoked key is named by its credential")
	})
	t.Run("a refused key on a public route is served as the public, and recorded", func(t *testing.T) {
		before := len(auditRows(t, st, "auth.failure"))
		rec := f.on(t).get("/v1/calendar/years", "Authorization", "Bearer hlk_"+strings.Repeat("f", 64))
		assert.Equal(t, http.StatusOK, rec.Code)
		assert.Len(t, auditRows(t, st, "auth.failure"), before+1)
	})
	t.Run("a valid key is not a failure", func(t *testing.T) {
		before := len(auditRows(t, st, "auth.failure"))
		assert.Equal(t, http.StatusOK, f.on(t).get("/v1/tickets", "Authorization", k["office"]).Code)
		assert.Len(t, auditRows(t, st, "auth.failure"), before)
	})
	t.Run("repeated failures are counted, chained at powers of two", func(t *testing.T) {
		key := "Bearer hlk_" + strings.Repeat("e", 64)
		before := len(auditRows(t, st, "auth.failure"))
		for range 9 {
			f.on(t).get("/v1/tickets", "Authorization", key)
		}
		assert.Len(t, auditRows(t, st, "auth.failure"), before+4, "1, 2, 4, 8")
		counts, err := st.AuthFailures(ctx, testAuditor, fixedNow, 100)
		require.NoError(t, err)
		var n int64
		for _, c := range counts {
			if c.Reason == "unknown" && strings.HasPrefix(c.Subject, "key:") && c.Attempts > n {
				n = c.Attempts
			}
		}
		assert.Equal(t, int64(9), n)
		body := f.on(t).get("/metrics").Body.String()
		assert.Contains(t, body, `hotline_auth_failures_total{reason="expired"} 1`)
	})
	require.NoError(t, st.VerifyAudit(ctx, testAuditor))
}

func TestRateLimits(t *testing.T) {
	slow := 0.001 // one token every 1000 s: nothing refills during the test
	t.Run("per key, with Retry-After", func(t *testing.T) {
		f := newServer(t, server.WithRateLimits(server.RateLimits{KeyRate: slow, KeyBurst: 2}))
		k := seedTickets(t, f.store)
		for range 2 {
			assert.Equal(t, http.StatusOK, f.on(t).get("/v1/units", "Authorization", k["office"]).Code)
		}
		rec := f.on(t).get("/v1/units", "Authorization", k["office"])
		require.Equal(t, http.StatusTooManyRequests, rec.Code)
		assert.Equal(t, "rate_limited", problemOf(t, rec.Body.Bytes()).Code)
		wait, err := strconv.Atoi(rec.Header().Get("Retry-After"))
		require.NoError(t, err)
		assert.InDelta(t, 1000, wait, 1)
		assert.Equal(t, http.StatusOK, f.on(t).get("/v1/units", "Authorization", k["unit-a"]).Code, "another key has its own bucket")
		assert.Contains(t, f.on(t).get("/metrics").Body.String(), `hotline_http_rate_limited_total{class="key"} 1`)
	})
	t.Run("the public per client address", func(t *testing.T) {
		f := newServer(t, server.WithRateLimits(server.RateLimits{AddressRate: slow, AddressBurst: 2}))
		from := func(ip string) *http.Request {
			req := mustRequest(t, http.MethodGet, "/livez")
			req.RemoteAddr = ip + ":4321"
			req.Header.Set("X-Forwarded-For", "203.0.113."+strings.TrimPrefix(ip, "192.0.2.")) // not trusted
			return req
		}
		assert.Equal(t, http.StatusOK, f.do(from("192.0.2.1")).Code)
		assert.Equal(t, http.StatusOK, f.do(from("192.0.2.1")).Code)
		rec := f.do(from("192.0.2.1"))
		assert.Equal(t, http.StatusTooManyRequests, rec.Code, "a forged X-Forwarded-For does not reset the bucket")
		assert.NotEmpty(t, rec.Header().Get("Retry-After"))
		assert.Equal(t, http.StatusOK, f.do(from("192.0.2.2")).Code)
	})
	t.Run("failed logins per client address: refused without a write, valid keys still served", func(t *testing.T) {
		f := newServer(t, server.WithRateLimits(server.RateLimits{FailureRate: slow, FailureBurst: 3}))
		k := seedTickets(t, f.store)
		bad := "Bearer hlk_" + strings.Repeat("d", 64)
		for range 3 {
			assert.Equal(t, http.StatusUnauthorized, f.on(t).get("/v1/units", "Authorization", bad).Code)
		}
		for range 5 {
			rec := f.on(t).get("/v1/units", "Authorization", bad)
			require.Equal(t, http.StatusTooManyRequests, rec.Code)
			assert.NotEmpty(t, rec.Header().Get("Retry-After"))
		}
		assert.Len(t, auditRows(t, f.store, "auth.failure"), 2, "counts 1 and 2 only: the throttled attempts wrote nothing")
		assert.Equal(t, http.StatusOK, f.on(t).get("/v1/units", "Authorization", k["office"]).Code)
		body := f.on(t).get("/metrics").Body.String()
		assert.Contains(t, body, `hotline_http_rate_limited_total{class="failures"} 5`)
		assert.Contains(t, body, `hotline_auth_failures_total{reason="unknown"} 8`)
	})
	t.Run("bad limits are refused", func(t *testing.T) {
		for _, l := range []server.RateLimits{{KeyRate: -1}, {KeyRate: 1, KeyBurst: 0}, {AddressRate: 1}} {
			_, err := server.New(server.Deps{Store: storetest.SQLite(t), Calendar: deadline.China()}, server.WithRateLimits(l))
			require.Error(t, err)
		}
	})
}

// API keys over HTTP: shown once, stored hashed, listed without the key, revocable, expiring.
func TestKeysAPI(t *testing.T) {
	f := newServer(t)
	seedTickets(t, f.store)
	_, adminKey, err := f.store.CreateCredential(context.Background(), matrixAdmin, "city", store.RoleAdmin, "admin", fixedNow)
	require.NoError(t, err)
	admin := "Bearer " + adminKey

	rec := f.send(http.MethodPost, "/v1/admin/keys", `{"unit":"unit-a","role":"handling_unit","label":"街道对接","expires":"2027-03-01T00:00:00+08:00"}`,
		"Authorization", admin)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	var created server.KeyCreated
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &created))
	assert.Equal(t, "active", created.Status)
	assert.Equal(t, "2027-02-28T16:00:00Z", created.Expires.UTC().Format(time.RFC3339))
	assert.Equal(t, "/v1/admin/keys/"+created.ID, rec.Header().Get("Location"))
	key := "Bearer " + created.Key

	t.Run("the key works for its unit and role", func(t *testing.T) {
		assert.Equal(t, http.StatusOK, f.on(t).get("/v1/tickets", "Authorization", key).Code)
		assert.Equal(t, http.StatusForbidden, f.on(t).get("/v1/admin/keys", "Authorization", key).Code)
	})
	t.Run("the list never shows the key", func(t *testing.T) {
		rec := f.on(t).get("/v1/admin/keys", "Authorization", admin)
		require.Equal(t, http.StatusOK, rec.Code)
		assert.NotContains(t, rec.Body.String(), created.Key[4:])
		assert.NotContains(t, rec.Body.String(), adminKey[4:])
		var list server.KeyList
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &list))
		var found bool
		for _, k := range list.Items {
			if k.ID == created.ID {
				found = true
				assert.Equal(t, created.Fingerprint, k.Fingerprint)
				assert.Equal(t, "街道对接", k.Label)
			}
		}
		assert.True(t, found)
	})
	t.Run("refusals name the field", func(t *testing.T) {
		for _, tt := range []struct{ body, field, detail string }{
			{`{"role":"handling_unit"}`, "unit", ""},
			{`{"unit":"unit-a"}`, "role", ""},
			{`{"unit":"unit-a","role":"root"}`, "", "role"},
			{`{"unit":"nowhere","role":"handling_unit"}`, "", "directory"},
			{`{"unit":"unit-a","role":"handling_unit","expires":"2026-01-01T00:00:00Z"}`, "", "expiry"},
			{`{"unit":"unit-a","role":"handling_unit","expires":"2036-01-01T00:00:00Z"}`, "", "days"},
		} {
			rec := f.on(t).send(http.MethodPost, "/v1/admin/keys", tt.body, "Authorization", admin)
			require.Equal(t, http.StatusBadRequest, rec.Code, tt.body)
			p := problemOf(t, rec.Body.Bytes())
			assert.Equal(t, "invalid_argument", p.Code)
			assert.Equal(t, tt.field, p.Field, tt.body)
			assert.Contains(t, p.Detail, tt.detail, tt.body)
		}
		rec := f.on(t).send(http.MethodPost, "/v1/admin/keys", `{"unit":"unit-a","role":"handling_unit","colour":"red"}`, "Authorization", admin)
		assert.Equal(t, "colour", problemOf(t, rec.Body.Bytes()).Field)
	})
	t.Run("revoked: 401 from then on; revoking twice is 404", func(t *testing.T) {
		rec := f.on(t).do(withAuth(mustRequest(t, http.MethodDelete, "/v1/admin/keys/"+created.ID), admin))
		require.Equal(t, http.StatusNoContent, rec.Code)
		assert.Equal(t, http.StatusUnauthorized, f.on(t).get("/v1/tickets", "Authorization", key).Code)
		rec = f.on(t).do(withAuth(mustRequest(t, http.MethodDelete, "/v1/admin/keys/"+created.ID), admin))
		assert.Equal(t, http.StatusNotFound, rec.Code)
	})
}

func countWith(rows []string, sub string) int {
	n := 0
	for _, r := range rows {
		if strings.Contains(r, sub) {
			n++
		}
	}
	return n
}

func withAuth(req *http.Request, auth string) *http.Request {
	req.Header.Set("Authorization", auth)
	return req
}
