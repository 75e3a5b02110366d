package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
)

// TestIntakeReplay: a retried intake (the same Idempotency-Key and body) answers exactly what the
// first attempt answered — the outcome, the dispatch with its trail and the ticket as it was then,
// with its clocks then — however the ticket moved on since; another body is 422.
func TestIntakeReplay(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) {
		s := newScene(t, st, true)
		body := noiseItem("13812345678", nil)
		first, rec := s.intake(t, "office", body, http.StatusCreated, "Idempotency-Key", "up-1")
		assert.Empty(t, rec.Header().Get(server.HeaderIdempotentReplayed))
		require.Equal(t, loop.StatusDispatched, first.Dispatch.Status)

		s.at("2026-11-25 15:00")
		s.must(t, "yy-cyzx", first.ID, firstContact)
		again, rec2 := s.intake(t, "office", body, http.StatusCreated, "Idempotency-Key", "up-1")
		assert.Equal(t, "true", rec2.Header().Get(server.HeaderIdempotentReplayed))
		assert.JSONEq(t, rec.Body.String(), rec2.Body.String(), "the same answer")
		assert.Equal(t, rec.Header().Get("ETag"), rec2.Header().Get("ETag"))
		assert.Equal(t, ticket.StateDispatched, again.Ticket.Ticket.State, "as it was then")
		assert.Equal(t, ticket.StateHandling, s.ticket(t, "office", first.ID).Ticket.State, "as it is now")

		page := s.on(t).get("/v1/tickets", "Authorization", s.keys["office"])
		var list server.ListResponse
		require.NoError(t, json.Unmarshal(page.Body.Bytes(), &list))
		assert.Len(t, list.Items, 1, "one ticket stored")

		rec3 := s.on(t).send(http.MethodPost, "/v1/tickets", noiseItem("13812345678", map[string]any{"title": "另一件事"}),
			"Authorization", s.keys["office"], "Idempotency-Key", "up-1")
		assert.Equal(t, http.StatusUnprocessableEntity, rec3.Code)
		assert.Equal(t, "idempotency_key_reused", problemCode(t, rec3))

		t.Run("missing elements claim no key", func(t *testing.T) {
			incomplete := noiseItem("13900001111", map[string]any{"channel": "bad_review", "kind": "review"})
			ans, _ := s.intake(t, "office", incomplete, http.StatusOK, "Idempotency-Key", "up-2")
			assert.False(t, ans.Stored)
			_, rec := s.intake(t, "office", noiseItem("13900001111", map[string]any{"content": "宝钢一村小区门口的施工围挡倒塌，占用人行道，请尽快处理。"}),
				http.StatusCreated, "Idempotency-Key", "up-2")
			assert.Empty(t, rec.Header().Get(server.HeaderIdempotentReplayed))
		})
	})
}

// TestIntakeRetryCompletes: when the first attempt stored the ticket and stopped before what
// follows (a crash between the steps), the retry goes on from there and keeps the answer; when the
// ticket has moved on without an answer (the first attempt still running), the retry is 409 with
// Retry-After.
func TestIntakeRetryCompletes(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) {
		s := newScene(t, st, true)
		ctx := context.Background()
		office := store.Principal{Actor: "credential:crashed", Unit: "office-bs", Role: store.RoleHotlineOffice}
		stored := func(t *testing.T, key, body string) store.IntakeResult {
			var in ticket.Intake
			require.NoError(t, json.Unmarshal([]byte(body), &in))
			res, err := st.Intake(ctx, office, store.IntakeRequest{Key: key, Body: []byte(body), Intake: in}, monday)
			require.NoError(t, err)
			return res
		}

		body := noiseItem("13812345678", nil)
		res := stored(t, "crash-1", body)
		ans, rec := s.intake(t, "office", body, http.StatusCreated, "Idempotency-Key", "crash-1")
		assert.Equal(t, "true", rec.Header().Get(server.HeaderIdempotentReplayed))
		assert.Equal(t, res.ID, ans.ID)
		assert.Equal(t, loop.StatusDispatched, ans.Dispatch.Status, "the retry dispatched it")
		assert.Nil(t, ans.Repeat, "the ticket is not a repeat of itself")
		assert.Equal(t, int64(2), ans.Version)
		_, rec2 := s.intake(t, "office", body, http.StatusCreated, "Idempotency-Key", "crash-1")
		assert.JSONEq(t, rec.Body.String(), rec2.Body.String(), "kept once complete")

		body = noiseItem("13900001111", map[string]any{"content": "宝钢一村小区门口的施工围挡倒塌，占用人行道，请尽快处理。"})
		res = stored(t, "crash-2", body)
		_, err := st.Apply(ctx, office, res.ID, 1, ticket.Request{Action: ticket.ActionFirstContact}, monday)
		require.NoError(t, err)
		r := s.on(t).send(http.MethodPost, "/v1/tickets", body, "Authorization", s.keys["office"], "Idempotency-Key", "crash-2")
		assert.Equal(t, http.StatusConflict, r.Code)
		assert.Equal(t, "intake_in_progress", problemCode(t, r))
		assert.Equal(t, "1", r.Header().Get("Retry-After"))
	})
}

// TestIntakeRoles: only a hotline office or the system accepts tickets, and an office only in its
// jurisdiction; a refused caller learns nothing about the caller's other tickets.
func TestIntakeRoles(t *testing.T) {
	s := newScene(t, storetest.SQLite(t), true)
	for _, who := range []string{"yy-cyzx", "super"} {
		rec := s.on(t).send(http.MethodPost, "/v1/tickets", noiseItem("13812345678", nil), "Authorization", s.keys[who])
		assert.Equal(t, http.StatusForbidden, rec.Code, who)
		assert.NotContains(t, rec.Body.String(), "repeat")
	}
	rec := s.on(t).send(http.MethodPost, "/v1/tickets", noiseItem("13812345678", map[string]any{
		"place": map[string]any{"region_code": "310115001", "address": "浦东"}}), "Authorization", s.keys["office"])
	assert.Equal(t, http.StatusForbidden, rec.Code, "outside the office's jurisdiction")
	ans, _ := s.intake(t, "gateway", noiseItem("13812345678", map[string]any{"upstream": "SH-1"}), http.StatusCreated)
	assert.Equal(t, loop.StatusDispatched, ans.Dispatch.Status, "the system dispatches as the office does")

	// Returning a 国办 item upstream is the office's decision (000 §4 (一)): the system that takes it
	// in records it on the office's behalf, with its reason, at once.
	ans, _ = s.intake(t, "gateway", noiseItem("13900001111", map[string]any{"channel": "state_council", "upstream": "GOV-9",
		"content": "国办转来：宝钢一村的施工围挡倒塌占道。", "place": map[string]any{"region_code": "310113"}}), http.StatusCreated)
	assert.Equal(t, "return_upstream", string(ans.Screening.Outcome))
	assert.Equal(t, loop.StatusScreenedOut, ans.Dispatch.Status)
	assert.NotContains(t, ans.Dispatch.Reason, "left to the hotline office")
	assert.Equal(t, ticket.StateReturnedUpstream, ans.Ticket.Ticket.State)
	assert.Equal(t, "missing_elements", ans.Ticket.Ticket.Refusal.Code)
	last := ans.Ticket.Ticket.History[len(ans.Ticket.Ticket.History)-1]
	assert.Equal(t, ticket.RoleHotlineOffice, last.Role)
	assert.Empty(t, s.ticket(t, "office", ans.ID).AllowedActions)
}

// TestConcurrentTransitionsOverHTTP: 50 clients over real connections apply the same transition
// with the same ETag: exactly one 200, the other 49 are 412 carrying the current version, and every
// answer matches openapi.yaml.
func TestConcurrentTransitionsOverHTTP(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) {
		s := newScene(t, st, false)
		ans, _ := s.intake(t, "office", noiseItem("13812345678", nil), http.StatusCreated)
		require.Equal(t, int64(1), ans.Version)
		srv := httptest.NewServer(s.h)
		defer srv.Close()
		const n = 50
		body := `{"action":"dispatch","payload":{"dispatch":{"lead":"yy-cyzx","dispatch_mode":"statutory"}}}`
		type answer struct {
			req  *http.Request
			rec  *httptest.ResponseRecorder
			err  error
			code int
		}
		answers := make([]answer, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				req, err := http.NewRequest(http.MethodPost, srv.URL+"/v1/tickets/"+ans.ID+"/actions", strings.NewReader(body))
				if err != nil {
					answers[i].err = err
					return
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", s.keys["office"])
				req.Header.Set("If-Match", `"1"`)
				resp, err := srv.Client().Do(req)
				if err != nil {
					answers[i].err = err
					return
				}
				defer resp.Body.Close()
				b, err := io.ReadAll(resp.Body)
				rec := httptest.NewRecorder()
				for k, v := range resp.Header {
					rec.Header()[k] = v
				}
				rec.WriteHeader(resp.StatusCode)
				_, _ = rec.Write(b)
				answers[i] = answer{req: req, rec: rec, err: err, code: resp.StatusCode}
			})
		}
		close(start)
		wg.Wait()
		count := map[int]int{}
		for _, a := range answers {
			require.NoError(t, a.err)
			count[a.code]++
			// Validate against the spec on the test's goroutine, with a server-relative request.
			probe := httptest.NewRequest(http.MethodPost, "/v1/tickets/"+ans.ID+"/actions", strings.NewReader(body))
			probe.Header = a.req.Header.Clone()
			validateResponse(t, probe, []byte(body), a.rec)
			if a.code == http.StatusPreconditionFailed {
				p := problemOf(t, a.rec.Body.Bytes())
				assert.Equal(t, "stale_version", p.Code)
				require.NotNil(t, p.CurrentVersion)
				assert.Equal(t, int64(2), *p.CurrentVersion)
			}
		}
		assert.Equal(t, map[int]int{http.StatusOK: 1, http.StatusPreconditionFailed: n - 1}, count, fmt.Sprint(count))
		v := s.ticket(t, "office", ans.ID)
		assert.Equal(t, int64(2), v.Version)
		assert.Len(t, v.Ticket.History, 2, "one dispatch stored")
	})
}

// TestConcurrentIntakesOfOneCaller: one caller's items arriving together are each stored and
// answered (none fails on a ticket another intake is changing), and every repeat an answer says was
// counted is counted once by an original (004 §12 (二) 2).
func TestConcurrentIntakesOfOneCaller(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) {
		s := newScene(t, st, true)
		body := noiseItem("13812345678", nil)
		var mu sync.Mutex
		var answers []server.IntakeResponse
		send := func(i int) {
			req := httptest.NewRequest(http.MethodPost, "/v1/tickets", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", s.keys["office"])
			req.Header.Set("Idempotency-Key", fmt.Sprint("same-caller-", i))
			rec := httptest.NewRecorder()
			s.h.ServeHTTP(rec, req)
			mu.Lock()
			defer mu.Unlock()
			if !assert.Equal(t, http.StatusCreated, rec.Code, rec.Body.String()) {
				return
			}
			var a server.IntakeResponse
			if assert.NoError(t, json.Unmarshal(rec.Body.Bytes(), &a)) {
				answers = append(answers, a)
			}
		}
		for i := range 4 {
			send(i)
		}
		var wg sync.WaitGroup
		for c := range 8 {
			wg.Go(func() {
				for j := range 3 {
					send(100 + c*10 + j)
				}
			})
		}
		wg.Wait()
		require.Len(t, answers, 4+8*3)
		counted, repeats := 0, 0
		for _, a := range answers {
			if a.Repeat != nil && a.Repeat.Counted {
				counted++
			}
			repeats += s.ticket(t, "office", a.ID).Ticket.Counters.Repeats
		}
		assert.Equal(t, counted, repeats, "every repeat counted is counted once")
		assert.Positive(t, counted)
	})
}
