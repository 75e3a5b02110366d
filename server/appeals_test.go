package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server"
)

func sh(month time.Month, d, h int) time.Time {
	return time.Date(2026, month, d, h, 0, 0, 0, fixedNow.Location())
}

// caseAct posts an action on a case as key at version.
func caseAct(t *testing.T, c *client, key, id string, version int64, body string) *caseReply {
	t.Helper()
	rec := c.send(http.MethodPost, "/v1/cases/"+id+"/actions", body, "Authorization", key, "If-Match", fmt.Sprintf(`"%d"`, version))
	return &caseReply{code: rec.Code, body: rec.Body.String(), t: t}
}

type caseReply struct {
	code int
	body string
	t    *testing.T
}

func (r *caseReply) ok() server.CaseActionResponse {
	r.t.Helper()
	require.Equal(r.t, http.StatusOK, r.code, r.body)
	var v server.CaseActionResponse
	require.NoError(r.t, jsonUnmarshal([]byte(r.body), &v))
	return v
}

func (r *caseReply) problem() server.Problem {
	r.t.Helper()
	return problemOf(r.t, []byte(r.body))
}

// 000 §6 (二): an upheld appeal's ticket must be closed as unfounded within 15 working days of the
// unit's receipt, so a filing or an upholding after that is refused (the appeal package's reading);
// a rejection is never late.
func TestAppealWindow(t *testing.T) {
	f := newClockServer(t, storeForTest(t), sh(11, 2, 9))
	k := seedCases(t, f.store)
	id := postReview(t, f.client, k["office"], reviewBody("R-1", "unit-a", "dissatisfied", sh(11, 1, 9)))
	*f.now = sh(11, 2, 10) // Monday: the unit receives it
	dispatchTo(t, f.client, k, id, "unit-a")

	// Day 15 is Monday 11-23; the window closes at its end.
	*f.now = sh(11, 24, 9)
	rec := f.send(http.MethodPost, "/v1/appeals", fmt.Sprintf(appealBody, id, "R-1"), "Authorization", k["unit-a"])
	assert.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
	p := problemOf(t, rec.Body.Bytes())
	assert.Equal(t, "outside_window", p.Code)
	assert.Contains(t, p.Detail, "2026-11-23")
	assert.Contains(t, p.Detail, "000 §6 (二)")

	*f.now = sh(11, 23, 16)
	rec = f.send(http.MethodPost, "/v1/appeals", fmt.Sprintf(appealBody, id, "R-1"), "Authorization", k["unit-a"])
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	filed := decodeAs[server.CaseResponse](t, rec)
	require.NotNil(t, filed.Due)
	assert.Equal(t, sh(11, 24, 0).UTC(), filed.Due.At.UTC())

	*f.now = sh(11, 24, 9)
	r := caseAct(t, f.client, k["super"], filed.ID, 1, `{"action":"uphold","reason":"证据充分"}`)
	assert.Equal(t, http.StatusConflict, r.code, r.body)
	assert.Equal(t, "outside_window", r.problem().Code)
	d := caseAct(t, f.client, k["super"], filed.ID, 1, `{"action":"reject","reason":"证据不足"}`).ok()
	assert.Equal(t, "rejected", string(d.Case.State))
	assert.Empty(t, d.Effects)
	assert.Nil(t, d.Ticket)
	assert.True(t, d.Case.Final)
}

func TestAppealRefusals(t *testing.T) {
	f := newServer(t)
	k := seedCases(t, f.store)
	at := fixedNow.AddDate(0, 0, -1)
	ticketA := postReview(t, f.client, k["office"], reviewBody("R-a", "unit-a", "dissatisfied", at))
	ticketB := postReview(t, f.client, k["office"], reviewBody("R-b", "unit-b", "dissatisfied", at))
	postReview(t, f.client, k["office"], reviewBody("R-a2", "unit-a", "dissatisfied", at))
	postReview(t, f.client, k["system"], reviewBody("R-good", "unit-a", "satisfied", at))

	rec := f.send(http.MethodPost, "/v1/appeals", fmt.Sprintf(appealBody, ticketA, "R-a"), "Authorization", k["office"])
	assert.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
	assert.Equal(t, "not_dispatched", problemOf(t, rec.Body.Bytes()).Code, "no unit holds the ticket yet: no receipt to count from")
	dispatchTo(t, f.client, k, ticketA, "unit-a")
	dispatchTo(t, f.client, k, ticketB, "unit-b")

	tests := []struct {
		name, key, body, code, field, detail string
		status                               int
	}{
		{"another unit's review: out of its sight", "unit-a", fmt.Sprintf(appealBody, ticketA, "R-b"), "not_found", "", "", 404},
		{"a review that opened another ticket", "unit-a", fmt.Sprintf(appealBody, ticketA, "R-a2"), "review_mismatch", "review_id", "another ticket", 422},
		{"a good review", "unit-a", fmt.Sprintf(appealBody, ticketA, "R-good"), "not_bad_review", "review_id", "", 422},
		{"no such review", "unit-a", fmt.Sprintf(appealBody, ticketA, "R-none"), "not_found", "", "", 404},
		{"another unit's ticket", "unit-a", fmt.Sprintf(appealBody, ticketB, "R-b"), "not_found", "", "", 404},
		{"no ticket", "unit-a", fmt.Sprintf(appealBody, "", "R-a"), "missing_field", "ticket_id", "", 422},
		{"no defence (书面申辩, 000 §6 (一))", "unit-a", strings.Replace(fmt.Sprintf(appealBody, ticketA, "R-a"), "评价内容与办理事项无关", " ", 1), "missing_field", "", "defence", 422},
		{"no evidence (举证)", "unit-a", strings.Replace(fmt.Sprintf(appealBody, ticketA, "R-a"), `["录音-20261128-01"]`, `[]`, 1), "missing_field", "", "evidence", 422},
		{"an unknown ground", "unit-a", strings.Replace(fmt.Sprintf(appealBody, ticketA, "R-a"), "malicious", "annoying", 1), "malformed_json", "ground", "", 400},
		{"a reviewer of a level 000 does not name", "unit-a", strings.Replace(fmt.Sprintf(appealBody, ticketA, "R-a"), `"district"`, `"street"`, 1), "malformed_json", "reviewer.level", "", 400},
		{"the unit reviewing itself", "unit-a", strings.Replace(fmt.Sprintf(appealBody, ticketA, "R-a"), `"dcj"`, `"unit-a"`, 1), "invalid_value", "", "own case", 422},
		{"an auditor takes no part", "auditor", fmt.Sprintf(appealBody, ticketA, "R-a"), "forbidden", "", "", 403},
		{"a supervisor files no appeal", "super", fmt.Sprintf(appealBody, ticketA, "R-a"), "role_not_allowed", "", "", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.on(t).send(http.MethodPost, "/v1/appeals", tt.body, "Authorization", k[tt.key])
			assert.Equal(t, tt.status, rec.Code, rec.Body.String())
			p := problemOf(t, rec.Body.Bytes())
			assert.Equal(t, tt.code, p.Code, rec.Body.String())
			assert.Equal(t, tt.field, p.Field)
			assert.Contains(t, p.Detail, tt.detail)
		})
	}

	rec = f.send(http.MethodPost, "/v1/appeals", fmt.Sprintf(appealBody, ticketA, "R-a"), "Authorization", k["unit-a"])
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	c := decodeAs[server.CaseResponse](t, rec)
	path := "/v1/cases/" + c.ID
	t.Run("If-Match is required and must be current", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, path+"/actions", `{"action":"uphold","reason":"x"}`, "Authorization", k["super"])
		assert.Equal(t, http.StatusPreconditionRequired, rec.Code)
		r := caseAct(t, f.on(t), k["super"], c.ID, 3, `{"action":"uphold","reason":"x"}`)
		assert.Equal(t, http.StatusPreconditionFailed, r.code)
		require.NotNil(t, r.problem().CurrentVersion)
		assert.Equal(t, int64(1), *r.problem().CurrentVersion)
	})
	t.Run("actions the table or the role does not allow", func(t *testing.T) {
		for _, tt := range []struct{ key, body, code string }{
			{"unit-a", `{"action":"uphold","reason":"x"}`, "role_not_allowed"},
			{"super", `{"action":"uphold"}`, "missing_field"},
			{"super", `{"action":"object","reason":"x","basis":"not_level"}`, "illegal_transition"},
			{"super", `{"action":""}`, "missing_field"},
			{"auditor", `{"action":"reject","reason":"x"}`, "forbidden"},
			{"office", `{"action":"reject","reason":"x","staff":"E1"}`, "forbidden"},
		} {
			r := caseAct(t, f.on(t), k[tt.key], c.ID, 1, tt.body)
			assert.Equal(t, tt.code, r.problem().Code, tt.body)
		}
		r := caseAct(t, f.on(t), k["super"], c.ID, 1, `{"action":"approve","reason":"x"}`)
		assert.Equal(t, http.StatusBadRequest, r.code)
		assert.Equal(t, "action", r.problem().Field)
	})
	t.Run("who sees the case", func(t *testing.T) {
		for key, want := range map[string]int{"unit-a": 200, "super": 200, "auditor": 200, "office": 200, "unit-b": 404, "admin": 404} {
			rec := f.on(t).get(path, "Authorization", k[key])
			assert.Equal(t, want, rec.Code, key)
		}
		rec := f.on(t).get(path, "Authorization", k["super"])
		assert.Equal(t, `"1"`, rec.Header().Get("ETag"))
		assert.ElementsMatch(t, []string{"uphold", "reject"}, strs(decodeAs[server.CaseResponse](t, rec).Allowed))
		rec = f.on(t).get(path, "Authorization", k["auditor"])
		assert.Empty(t, decodeAs[server.CaseResponse](t, rec).Allowed, "an auditor acts on nothing")
	})
	t.Run("a staff member files through the unit, which endorses (000 §6 (一))", func(t *testing.T) {
		body := strings.Replace(fmt.Sprintf(appealBody, ticketA, "R-a"), `"ground"`, `"staff":"E-007","ground"`, 1)
		rec := f.on(t).send(http.MethodPost, "/v1/appeals", body, "Authorization", k["unit-a"])
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		s := decodeAs[server.CaseResponse](t, rec)
		assert.Equal(t, "pending_unit", string(s.State))
		d := caseAct(t, f.on(t), k["unit-a"], s.ID, 1, `{"action":"endorse"}`).ok()
		assert.Equal(t, "under_review", string(d.Case.State))
		d = caseAct(t, f.on(t), k["unit-a"], s.ID, 2, `{"action":"withdraw"}`).ok()
		assert.Equal(t, "withdrawn", string(d.Case.State))
	})
}

// 000 §7: an upheld objection returns the ticket naming the suggested unit, within 5 working days of
// the unit's receipt, and the objecting unit is left out when it is dispatched again.
func TestObjection(t *testing.T) {
	f := newClockServer(t, storeForTest(t), sh(11, 2, 9))
	k := seedCases(t, f.store)
	id := postReview(t, f.client, k["office"], reviewBody("R-1", "unit-a", "dissatisfied", sh(11, 1, 9)))
	*f.now = sh(11, 2, 10)
	dispatchTo(t, f.client, k, id, "unit-a")
	body := fmt.Sprintf(`{"ticket_id":%q,"review_id":"R-1","basis":"not_department","basis_text":"房屋维修属房管局职责",`+
		`"suggested_unit":"unit-b","reviewer":{"unit":"dcj","level":"district"}}`, id)

	*f.now = sh(11, 10, 9) // day 5 is Monday 11-09
	rec := f.send(http.MethodPost, "/v1/objections", body, "Authorization", k["unit-a"])
	assert.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
	assert.Equal(t, "outside_window", problemOf(t, rec.Body.Bytes()).Code)

	*f.now = sh(11, 6, 9)
	rec = f.send(http.MethodPost, "/v1/objections", body, "Authorization", k["unit-a"])
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	c := decodeAs[server.CaseResponse](t, rec)
	assert.Equal(t, "objection", c.Family)
	require.NotNil(t, c.Due)

	*f.now = sh(11, 6, 15)
	d := caseAct(t, f.client, k["super"], c.ID, 1, `{"action":"uphold","reason":"属房管局职责"}`).ok()
	assert.Equal(t, "upheld", string(d.Case.State))
	require.Len(t, d.Effects, 1)
	assert.Equal(t, "return_ticket", d.Effects[0].Type)
	require.NotNil(t, d.Effects[0].By)
	assert.Equal(t, []string{"unit-a"}, d.Exclude)
	require.NotNil(t, d.Ticket)
	require.Len(t, d.Ticket.Events, 1)
	assert.Equal(t, "returned", string(d.Ticket.Events[0].To))
	assert.Empty(t, d.Voided, "an objection voids no review")

	rec = f.get("/v1/tickets/"+id, "Authorization", k["office"])
	require.Equal(t, http.StatusOK, rec.Code)
	tk := decodeAs[server.TicketResponse](t, rec)
	assert.Equal(t, "returned", string(tk.Ticket.State))
	last := tk.Ticket.History[len(tk.Ticket.History)-1]
	require.NotNil(t, last.Payload.Return)
	assert.Equal(t, "unit-b", last.Payload.Return.SuggestedUnit)
}

// 002 §6 (二) 3: a citizen dissatisfied with the result asks for reconsideration; improper handling
// found sends the ticket back to its unit (reopened). The reopening must fit the ticket: until the
// callback found the citizen dissatisfied there is nothing to reopen, and the finding is refused
// with nothing written.
func TestReconsideration(t *testing.T) {
	f := newServer(t)
	k := seedCases(t, f.store)
	rec := f.send(http.MethodPost, "/v1/tickets", intakeBody, "Authorization", k["office"])
	require.Equal(t, http.StatusCreated, rec.Code)
	id := decodeAs[server.IntakeResponse](t, rec).ID
	dispatchTo(t, f.client, k, id, "unit-a")

	body := fmt.Sprintf(`{"ticket_id":%q,"reason":"噪声仍未解决"}`, id)
	t.Run("only the system files for a named citizen", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, "/v1/reconsiderations", fmt.Sprintf(`{"ticket_id":%q,"reason":"x","citizen":"C-1"}`, id), "Authorization", k["office"])
		assert.Equal(t, http.StatusForbidden, rec.Code)
		rec = f.on(t).send(http.MethodPost, "/v1/reconsiderations", fmt.Sprintf(`{"ticket_id":%q,"reason":"x","citizen":"C-1"}`, id), "Authorization", k["system"])
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		assert.NotContains(t, rec.Body.String(), "C-1", "the citizen is never shown back")
	})
	rec = f.send(http.MethodPost, "/v1/reconsiderations", body, "Authorization", k["office"])
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	c := decodeAs[server.CaseResponse](t, rec)
	assert.Equal(t, "reconsideration", c.Family)

	r := caseAct(t, f.client, k["super"], c.ID, 1, `{"action":"find_improper","reason":"未实地查看"}`)
	assert.Equal(t, http.StatusConflict, r.code, r.body)
	assert.Equal(t, "effect_not_applicable", r.problem().Code)
	rec = f.get("/v1/cases/"+c.ID, "Authorization", k["super"])
	assert.Equal(t, `"1"`, rec.Header().Get("ETag"), "nothing was written")

	act(t, f.client, k["unit-a"], id, 3, `{"action":"reply","payload":{"reply":{"report":"已协调工地停工","summary":"已协调","outcome":"resolved"}}}`)
	act(t, f.client, k["office"], id, 4, `{"action":"callback","payload":{"callback":{"contacted":true,"resolved":false,`+
		`"result":"dissatisfied","efficiency":"fairly_satisfied","attitude":"satisfied"}}}`)
	d := caseAct(t, f.client, k["super"], c.ID, 1, `{"action":"find_improper","reason":"未实地查看"}`).ok()
	assert.Equal(t, "improper", string(d.Case.State))
	require.Len(t, d.Effects, 1)
	assert.Equal(t, "reopen_ticket", d.Effects[0].Type)
	require.NotNil(t, d.Ticket)
	require.Len(t, d.Ticket.Events, 1)
	assert.Equal(t, "reopen", string(d.Ticket.Events[0].Action))
	assert.Equal(t, "hotline_office", string(d.Ticket.Events[0].Role))
	rec = f.get("/v1/tickets/"+id, "Authorization", k["unit-a"])
	assert.Equal(t, "reopened", string(decodeAs[server.TicketResponse](t, rec).Ticket.State))
}
