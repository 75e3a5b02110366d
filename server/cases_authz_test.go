package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server"
)

// The authorisation matrix of the review, case and assessment endpoints: every role against every
// endpoint, on unit-a's records (unit-a's own, unit-b's another unit's). "public" sends no key.
func TestCasesAuthorisationMatrix(t *testing.T) {
	f := newClockServer(t, storeForTest(t), sh(11, 20, 9))
	k := seedCases(t, f.store)
	k["public"] = ""
	ticketA := postReview(t, f.client, k["office"], reviewBody("R-a", "unit-a", "dissatisfied", sh(11, 19, 9)))
	*f.now = sh(11, 20, 10)
	dispatchTo(t, f.client, k, ticketA, "unit-a")
	*f.now = sh(11, 23, 9)
	rec := f.send(http.MethodPost, "/v1/appeals", appealJSON(ticketA, "R-a"), "Authorization", k["unit-a"])
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	caseID := decodeAs[server.CaseResponse](t, rec).ID
	*f.now = sh(11, 25, 9) // inside the objection's 5 working days (000 §7 (二))

	rec = f.get("/v1/assessment/results?scheme=street-hotline&period=2026-11&input=true", "Authorization", k["auditor"])
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	published := decodeAs[server.AssessmentResponse](t, rec)
	res, err := json.Marshal(published.Result)
	require.NoError(t, err)
	in, err := json.Marshal(published.Input)
	require.NoError(t, err)
	verify := fmt.Sprintf(`{"scheme":"street-hotline","result":%s,"input":%s}`, res, in)
	objection := fmt.Sprintf(`{"ticket_id":%q,"basis":"not_level","basis_text":"属区级事权","suggested_unit":"unit-b","reviewer":{"unit":"dcj","level":"district"}}`, ticketA)
	reconsideration := fmt.Sprintf(`{"ticket_id":%q,"reason":"未解决"}`, ticketA)
	roles := []string{"public", "office", "unit-a", "unit-b", "super", "auditor", "system", "admin"}

	tests := []struct {
		method, path, body string
		want               map[string]int // by role, in the order of roles
	}{
		{"POST", "/v1/reviews", "", ints(401, 201, 403, 403, 403, 403, 201, 403)},
		{"GET", "/v1/reviews?unit=unit-a&period=2026-11", "", ints(401, 200, 200, 200, 200, 200, 200, 403)},
		{"GET", "/v1/reviews/R-a", "", ints(401, 200, 200, 404, 200, 200, 200, 403)},
		{"POST", "/v1/reviews/R-none/void", `{"reason":"误评"}`, ints(401, 404, 403, 403, 404, 403, 404, 403)},
		{"POST", "/v1/appeals", appealJSON(ticketA, "R-a"), ints(401, 403, 201, 404, 403, 403, 403, 403)},
		{"POST", "/v1/objections", objection, ints(401, 403, 201, 404, 403, 403, 403, 403)},
		{"POST", "/v1/reconsiderations", reconsideration, ints(401, 201, 403, 404, 403, 403, 201, 403)},
		{"GET", "/v1/cases/" + caseID, "", ints(401, 200, 200, 404, 200, 200, 200, 404)},
		{"POST", "/v1/cases/" + caseID + "/actions", `{"action":"reject","reason":"x"}`, ints(401, 412, 412, 404, 412, 403, 412, 403)},
		{"GET", "/v1/assessment/schemes", "", ints(401, 200, 200, 200, 200, 200, 200, 200)},
		{"GET", "/v1/assessment/results?scheme=street-hotline&period=2026-11", "", ints(401, 200, 200, 200, 200, 200, 200, 403)},
		{"GET", "/v1/assessment/proofs/unit-a?scheme=street-hotline&period=2026-11", "", ints(401, 200, 200, 403, 200, 200, 200, 403)},
		{"POST", "/v1/assessment/verify", verify, ints(401, 200, 200, 200, 200, 200, 200, 200)},
	}
	for _, tt := range tests {
		for i, role := range roles {
			t.Run(tt.method+" "+tt.path+" as "+role, func(t *testing.T) {
				body := tt.body
				if tt.path == "/v1/reviews" {
					body = reviewBody("R-"+role, "unit-a", "satisfied", sh(11, 29, 9))
				}
				var rec *httptest.ResponseRecorder
				if tt.method == "GET" {
					rec = f.on(t).get(tt.path, "Authorization", k[role])
				} else {
					rec = f.on(t).send(tt.method, tt.path, body, "Authorization", k[role], "If-Match", `"99"`)
				}
				assert.Equal(t, tt.want[roles[i]], rec.Code, rec.Body.String())
			})
		}
	}
	assert.Len(t, roles, 8)
}

// ints maps the matrix's roles, in order, to the statuses given.
func ints(codes ...int) map[string]int {
	roles := []string{"public", "office", "unit-a", "unit-b", "super", "auditor", "system", "admin"}
	m := map[string]int{}
	for i, c := range codes {
		m[roles[i]] = c
	}
	return m
}
