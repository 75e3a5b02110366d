package server_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

// 000 §6: a bad review opens its review ticket; the rated unit appeals it as a malicious review (一);
// the district's competent department upholds the appeal, so the review is 不属实 and 评价结果不予采纳
// and the unit's ticket is closed as unfounded within 15 working days of its receipt (二) — and the
// review no longer counts in the month's 好差评 ranking (001 (八)). Every response is checked
// against the OpenAPI document; on SQLite always, PostgreSQL and MariaDB when their DSNs are set.
func TestScenarioBadReviewAppealUpheld(t *testing.T) {
	storetest.EachDialect(t, scenarioBadReviewAppealUpheld)
}

func scenarioBadReviewAppealUpheld(t *testing.T, st *store.Store) {
	day := time.Date(2026, 11, 2, 9, 0, 0, 0, fixedNow.Location())
	f := newClockServer(t, st, day.AddDate(0, 0, 18)) // Friday 2026-11-20
	k := seedCases(t, st)
	at := func(d, h int) { *f.now = time.Date(2026, 11, d, h, 0, 0, 0, fixedNow.Location()) }

	// November's reviews of two units: 30 satisfied each and one bad each (ShanghaiReviews ranks
	// units with at least 30 counted reviews). The bad ones open their tickets on the 20th.
	for i := range 30 {
		for _, u := range []string{"unit-a", "unit-b"} {
			postReview(t, f.client, k["system"], reviewBody(fmt.Sprintf("R-%s-%02d", u, i), u, "satisfied", day.Add(time.Duration(i)*time.Hour)))
		}
	}
	ticketA := postReview(t, f.client, k["office"], reviewBody("R-a-bad", "unit-a", "very_dissatisfied", day.Add(40*time.Hour)))
	ticketB := postReview(t, f.client, k["office"], reviewBody("R-b-bad", "unit-b", "dissatisfied", day.Add(41*time.Hour)))
	require.NotEmpty(t, ticketA, "a bad review opens its review ticket (001 (六))")
	require.NotEmpty(t, ticketB)

	ranking := func(t *testing.T, records bool) server.AssessmentResponse {
		t.Helper()
		rec := f.on(t).get(fmt.Sprintf("/v1/assessment/results?scheme=shanghai-reviews&period=2026-11&records=%t", records), "Authorization", k["super"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		return decodeAs[server.AssessmentResponse](t, rec)
	}
	standing := func(r assess.Ranking, unit string) assess.Standing {
		for _, s := range r.Ranked {
			if s.Unit == unit {
				return s
			}
		}
		t.Fatalf("%s is not ranked: %+v", unit, r)
		return assess.Standing{}
	}
	at(20, 9)
	before := ranking(t, true)
	a0, b0 := standing(before.Result.Ranking, "unit-a"), standing(before.Result.Ranking, "unit-b")
	assert.Equal(t, a0.Total, b0.Total, "one bad review each: level")
	assert.Equal(t, 1, a0.Rank)
	assert.Equal(t, 1, b0.Rank, "shared (ties: shared)")
	assert.Equal(t, int64(31), a0.Sample)

	// The office dispatches the review ticket to unit-a, which makes first contact.
	at(20, 10)
	dispatchTo(t, f.client, k, ticketA, "unit-a")

	// unit-a appeals: the review is malicious (000 §6 (一)).
	at(23, 9)
	rec := f.send(http.MethodPost, "/v1/appeals", fmt.Sprintf(appealBody, ticketA, "R-a-bad"), "Authorization", k["unit-a"])
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	filed := decodeAs[server.CaseResponse](t, rec)
	assert.Equal(t, "appeal", filed.Family)
	assert.Equal(t, "under_review", string(filed.State))
	assert.Equal(t, `"1"`, rec.Header().Get("ETag"))
	require.NotNil(t, filed.Due, "the 15 working days of 000 §6 (二)")
	assert.Equal(t, "withdraw", string(filed.Allowed[0]))

	// While the appeal is pending the review still counts (000 §6 (二): only 复核认定 is 不予采纳).
	pending := ranking(t, false)
	assert.Equal(t, a0.Total, standing(pending.Result.Ranking, "unit-a").Total)

	// The district's competent department (the supervisor's key of unit dcj) upholds it.
	at(25, 9)
	rec = f.get("/v1/cases/"+filed.ID, "Authorization", k["super"])
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.ElementsMatch(t, []string{"uphold", "reject"}, strs(decodeAs[server.CaseResponse](t, rec).Allowed))
	rec = f.send(http.MethodPost, "/v1/cases/"+filed.ID+"/actions", `{"action":"uphold","reason":"录音证实评价与事项无关，属恶意差评"}`,
		"Authorization", k["super"], "If-Match", `"1"`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	decided := decodeAs[server.CaseActionResponse](t, rec)
	assert.Equal(t, "upheld", string(decided.Case.State))
	assert.Equal(t, []string{"R-a-bad"}, decided.Voided)
	require.Len(t, decided.Effects, 2)
	assert.Equal(t, "void_review", decided.Effects[0].Type)
	assert.Equal(t, "close_ticket_as_unfounded", decided.Effects[1].Type)
	require.NotNil(t, decided.Ticket)
	assert.Equal(t, ticketA, decided.Ticket.ID)
	require.Len(t, decided.Ticket.Events, 1)
	assert.Equal(t, "closed_unfounded", string(decided.Ticket.Events[0].To))

	rec = f.get("/v1/tickets/"+ticketA, "Authorization", k["unit-a"])
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "closed_unfounded", string(decodeAs[server.TicketResponse](t, rec).Ticket.State))
	rec = f.get("/v1/reviews/R-a-bad", "Authorization", k["super"])
	require.Equal(t, http.StatusOK, rec.Code)
	rv := decodeAs[server.ReviewView](t, rec)
	assert.True(t, rv.Unfounded)
	assert.Equal(t, "不属实评价", rv.VoidReason)

	// The month's ranking without the voided review: unit-a now leads.
	at(30, 9)
	after := ranking(t, true)
	a1, b1 := standing(after.Result.Ranking, "unit-a"), standing(after.Result.Ranking, "unit-b")
	assert.Equal(t, 1, a1.Rank)
	assert.Equal(t, 2, b1.Rank)
	assert.Greater(t, a1.Total, a0.Total)
	assert.Equal(t, b0.Total, b1.Total, "unit-b's standing is its own")
	assert.Equal(t, int64(30), a1.Sample, "the unfounded review left the sample")
	ua, _ := after.Result.Unit("unit-a")
	assert.Equal(t, int64(0), ua.Indicators.BadReviews)

	t.Run("the earlier result no longer verifies and names the review that changed", func(t *testing.T) {
		body := verifyBody(t, "shanghai-reviews", before.Result, "")
		rec := f.on(t).send(http.MethodPost, "/v1/assessment/verify", body, "Authorization", k["auditor"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		v := decodeAs[server.VerifyResponse](t, rec)
		assert.False(t, v.Verified)
		require.NotNil(t, v.Mismatch)
		assert.Contains(t, v.Mismatch.Path, "review:R-a-bad")
		assert.Equal(t, "changed", v.Mismatch.Change)
	})
	t.Run("the later result verifies against the store", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, "/v1/assessment/verify", verifyBody(t, "shanghai-reviews", after.Result, ""), "Authorization", k["auditor"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.True(t, decodeAs[server.VerifyResponse](t, rec).Verified)
	})
	t.Run("unit-a's inclusion proof checks against the published result", func(t *testing.T) {
		rec := f.on(t).get("/v1/assessment/proofs/unit-a?scheme=shanghai-reviews&period=2026-11", "Authorization", k["unit-a"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		proof := decodeAs[assess.InclusionProof](t, rec)
		require.Len(t, proof.Cases, 1, "its review ticket")
		rec = f.on(t).send(http.MethodPost, "/v1/assessment/verify", verifyBody(t, "shanghai-reviews", after.Result.Public(), proofJSON(t, proof)),
			"Authorization", k["unit-a"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.True(t, decodeAs[server.VerifyResponse](t, rec).Verified)
	})
	t.Run("no citizen's identity left the server", func(t *testing.T) {
		assert.NotContains(t, f.log.String(), "13912345678")
		assert.NotContains(t, f.log.String(), "王五")
	})
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
