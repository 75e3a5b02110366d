package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/demo"
	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var loadAt = time.Date(2026, 11, 30, 8, 30, 0, 0, deadline.Location())

func clock() time.Time { return loadAt.Add(time.Hour) }

// The added route answers over HTTP through the reference server's own middleware and error table,
// next to the server's own routes.
func TestAddedRoute(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	sum, err := demo.Load(ctx, st, loadAt)
	require.NoError(t, err)
	h, err := newHandler(st, nil, &bytes.Buffer{}, clock)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/v1/district/stats")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.NotEmpty(t, resp.Header.Get(server.HeaderRequestID), "the server's middleware ran")
	var got Stats
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	assert.Equal(t, len(sum.Tickets), got.Total)
	for _, sc := range sum.States() {
		assert.Equal(t, sc.Count, got.States[string(sc.State)], sc.State)
	}
	assert.Positive(t, got.Overdue)

	// Counts only: no ticket, no citizen.
	b, _ := json.Marshal(got)
	assert.NotContains(t, string(b), "139")
	assert.NotContains(t, string(b), "HL-")

	// A wrong method on the added route is a problem from the server's error table.
	resp2, err := http.Post(srv.URL+"/v1/district/stats", "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	resp2.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp2.StatusCode)
	assert.Equal(t, "application/problem+json", resp2.Header.Get("Content-Type"))

	// The server's own routes are still there.
	resp3, err := http.Get(srv.URL + "/readyz")
	require.NoError(t, err)
	resp3.Body.Close()
	assert.Equal(t, http.StatusOK, resp3.StatusCode)
}

// The notifier turns the outbox's dispatch messages — as the store wrote them for the demo's
// tickets — into texts for the handling units, once per message id, and refuses a payload it cannot
// read for good.
func TestNotifier(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := context.Background()
	_, err := demo.Load(ctx, st, loadAt)
	require.NoError(t, err)
	msgs, err := st.PendingOutbox(ctx, store.Principal{Actor: "test:worker", Role: store.RoleSystem}, 1000)
	require.NoError(t, err)
	var sms bytes.Buffer
	n := &smsNotifier{out: &sms, sent: map[string]bool{}}
	dispatches := 0
	for _, m := range msgs {
		msg := notify.Message{ID: m.ID, Topic: m.Topic, Subject: m.Subject, Payload: m.Payload, Created: m.Created}
		require.NoError(t, n.Notify(ctx, msg))
		require.NoError(t, n.Notify(ctx, msg), "a redelivery is acknowledged")
		if m.Topic == "ticket.dispatch" {
			dispatches++
		}
	}
	lines := strings.Split(strings.TrimSpace(sms.String()), "\n")
	assert.Len(t, lines, dispatches, "one text per dispatch, none for a redelivery")
	assert.True(t, slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "【12345】致yy-fgb：工单HL-") }))
	assert.NotContains(t, sms.String(), "139", "no citizen's phone in a text")

	err = n.Notify(ctx, notify.Message{ID: "x", Topic: "ticket.dispatch", Payload: []byte("{")})
	assert.ErrorIs(t, err, notify.ErrPermanent)
}

func TestNewHandlerWithRealNotifierOption(t *testing.T) {
	st := storetest.SQLite(t)
	_, err := server.New(server.Deps{Store: st, Calendar: deadline.China()}, server.WithNotifier(nil))
	assert.Error(t, err, "the server refuses a nil notifier")
	_, err = newHandler(st, nil, &bytes.Buffer{}, clock)
	assert.NoError(t, err)
}

func TestRunRefusesWithoutKey(t *testing.T) {
	err := run(context.Background(), []string{"-db", t.TempDir() + "/x.db"}, func(string) string { return "" }, &bytes.Buffer{}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "HOTLINE_KEY")
}

// A district's program adds a route to the reference server; here one request is served in process
// over the demo district.
func Example() {
	ctx := context.Background()
	st, cleanup, err := storetest.New(ctx, storetest.LegSQLite, storetest.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cleanup()
	if _, err := demo.Load(ctx, st, loadAt); err != nil {
		fmt.Println(err)
		return
	}
	h, err := newHandler(st, nil, &bytes.Buffer{}, clock)
	if err != nil {
		fmt.Println(err)
		return
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/district/stats", nil))
	var s Stats
	_ = json.Unmarshal(rec.Body.Bytes(), &s)
	fmt.Println(rec.Code, "total", s.Total, "overdue", s.Overdue)
	states := make([]string, 0, len(s.States))
	for st := range s.States {
		states = append(states, st)
	}
	slices.Sort(states)
	for _, st := range states {
		fmt.Printf("%s %d\n", st, s.States[st])
	}
	// Output:
	// 200 total 39 overdue 3
	// archived 1
	// called_back 1
	// closed 10
	// closed_stored 1
	// closed_unfounded 1
	// dispatched 5
	// extension_requested 1
	// handling 7
	// received 6
	// refused 1
	// reopened 1
	// replied 2
	// returned 1
	// returned_upstream 1
}
