package server_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

// clockFixture is a server whose clock the test moves.
type clockFixture struct {
	fixture
	now *time.Time
}

// newClockServer builds the server over st with a clock starting at start.
func newClockServer(t *testing.T, st *store.Store, start time.Time) clockFixture {
	t.Helper()
	now := start
	buf := &syncBuffer{}
	h, err := server.New(server.Deps{Store: st, Calendar: deadline.China(), Logger: slog.New(slog.NewJSONHandler(buf, nil)),
		Now: func() time.Time { return now }})
	require.NoError(t, err)
	f := fixture{h: h, store: st, log: buf}
	f.client = &client{t: t, h: h}
	return clockFixture{fixture: f, now: &now}
}

// seedCases issues the keys of seedTickets and, besides, a system key (the 好差评 platform) and an
// auditor's key.
func seedCases(t testing.TB, st *store.Store) keys {
	t.Helper()
	k := seedTicketsTB(t, st)
	maps.Copy(k, storetest.Seed(t, st, fixedNow, nil, map[string]storetest.Key{
		"system":  {Unit: "haochaping", Role: store.RoleSystem},
		"auditor": {Unit: "audit", Role: store.RoleAuditor},
		"admin":   {Unit: "city", Role: store.RoleAdmin},
	}))
	return k
}

// decodeAs reads a JSON body into a T.
func decodeAs[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &v), rec.Body.String())
	return v
}

// reviewBody is a review of unit by the phone channel at instant at, with a ticket for a bad one.
func reviewBody(id, unit, rating string, at time.Time) string {
	r := fmt.Sprintf(`{"id":%q,"rating":%q,"unit":%q,"channel":"phone","rater":"h-%s","at":%q}`, id, rating, unit, id, at.Format(time.RFC3339))
	if rating == "dissatisfied" || rating == "very_dissatisfied" {
		return `{"review":` + r + `,"ticket":{"content":"窗口办事态度差","citizen":{"name":"王五","phone":"13912345678"},` +
			`"place":{"region_code":"310113001"}}}`
	}
	return `{"review":` + r + `}`
}

// postReview sends a review as key and returns the review ticket's id ("" for none).
func postReview(t *testing.T, c *client, key, body string) string {
	t.Helper()
	rec := c.send(http.MethodPost, "/v1/reviews", body, "Authorization", key)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	res := decodeAs[server.ReviewResponse](t, rec)
	if res.Ticket == nil {
		return ""
	}
	return res.Ticket.ID
}

// act applies a ticket action at version and returns the new version.
func act(t *testing.T, c *client, key, id string, version int64, body string) int64 {
	t.Helper()
	rec := c.send(http.MethodPost, "/v1/tickets/"+id+"/actions", body, "Authorization", key, "If-Match", fmt.Sprintf(`"%d"`, version))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return decodeAs[server.ActionResponse](t, rec).Version
}

// dispatchTo dispatches ticket id (version 1) to unit and has the unit make first contact: the
// ticket is then in its hands (handling), at version 3.
func dispatchTo(t *testing.T, c *client, k keys, id, unit string) {
	t.Helper()
	act(t, c, k["office"], id, 1, `{"action":"dispatch","payload":{"dispatch":{"lead":"`+unit+`","dispatch_mode":"statutory"}}}`)
	act(t, c, k[unit], id, 2, `{"action":"first_contact"}`)
}

const appealBody = `{"ticket_id":%q,"review_id":%q,"ground":"malicious","defence":"评价内容与办理事项无关",` +
	`"evidence":["录音-20261128-01"],"reviewer":{"unit":"dcj","level":"district"}}`

// verifyBody is a verify request for result under the named scheme, with proof (JSON) when given.
func verifyBody(t *testing.T, scheme string, result assess.Result, proof string) string {
	t.Helper()
	b, err := json.Marshal(result)
	require.NoError(t, err)
	body := fmt.Sprintf(`{"scheme":%q,"result":%s`, scheme, b)
	if proof != "" {
		body += `,"proof":` + proof
	}
	return body + "}"
}

func proofJSON(t *testing.T, p assess.InclusionProof) string {
	t.Helper()
	b, err := json.Marshal(p)
	require.NoError(t, err)
	return string(b)
}

func storeForTest(t *testing.T) *store.Store { return storetest.SQLite(t) }

// appealJSON is an appeal by the ticket's unit of review on ticket.
func appealJSON(ticket, review string) string { return fmt.Sprintf(appealBody, ticket, review) }
