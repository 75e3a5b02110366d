package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/server"
)

// handledSeq numbers the tickets handledTicket takes in, to keep them apart.
var handledSeq atomic.Int64

// handledTicket takes a ticket through the street hotline's loop for unit: intake, dispatch, first
// contact, reply and a callback with the citizen's satisfaction (004 §8, §11).
func handledTicket(t *testing.T, f clockFixture, k keys, unit, satisfaction string) string {
	t.Helper()
	// Each ticket has its own caller and matter: the same caller asking the same again would be a
	// repeat (004 §12), counted on the first ticket rather than handled anew.
	n := handledSeq.Add(1)
	body := strings.NewReplacer("13812345678", fmt.Sprintf("1381234%04d", n), "工地夜间施工噪声", fmt.Sprintf("第%d件诉求", n),
		"小区旁工地夜间施工，噪声扰民。", fmt.Sprintf("诉求编号%d：小区第%d号楼旁的路灯坏了，请尽快修复。", n, n)).Replace(intakeBody)
	rec := f.send(http.MethodPost, "/v1/tickets", body, "Authorization", k["office"])
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	res := decodeAs[server.IntakeResponse](t, rec)
	require.Nil(t, res.Repeat, "each handled ticket is new, not a repeat")
	id := res.ID
	dispatchTo(t, f.client, k, id, unit)
	act(t, f.client, k[unit], id, 3, `{"action":"reply","payload":{"reply":{"report":"已处理","summary":"已处理","outcome":"resolved"}}}`)
	act(t, f.client, k["office"], id, 4, fmt.Sprintf(`{"action":"callback","payload":{"callback":{"contacted":true,"resolved":true,`+
		`"result":%q,"efficiency":"satisfied","attitude":"satisfied"}}}`, satisfaction))
	return id
}

// Indicators, scores, the monthly ranking (月通报), the quarter's bottom three (季约谈) and the
// assessment year (年终评, 000 §8 (三)) of 004 §14, from the stored tickets through loop.CaseRecord, with
// digests that verify against the inputs and name what changed.
func TestAssessment(t *testing.T) {
	f := newClockServer(t, storeForTest(t), sh(11, 2, 9))
	k := seedCases(t, f.store)
	for i := range 6 {
		*f.now = sh(11, 2+i, 9)
		handledTicket(t, f, k, "unit-a", "satisfied")
		sat := "satisfied"
		if i < 2 {
			sat = "dissatisfied"
		}
		handledTicket(t, f, k, "unit-b", sat)
	}
	*f.now = sh(11, 30, 9)

	get := func(t *testing.T, key, query string) server.AssessmentResponse {
		t.Helper()
		rec := f.on(t).get("/v1/assessment/results?"+query, "Authorization", k[key])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		return decodeAs[server.AssessmentResponse](t, rec)
	}
	month := get(t, "super", "scheme=street-hotline&period=2026-11&records=true")
	require.Len(t, month.Result.Ranking.Ranked, 2)
	assert.Equal(t, "unit-a", month.Result.Ranking.Ranked[0].Unit, "all satisfied ranks first")
	assert.Equal(t, "street-hotline", month.Policy)
	ua, ok := month.Result.Unit("unit-a")
	require.True(t, ok)
	assert.Equal(t, int64(6), ua.Indicators.Received)
	assert.Equal(t, assess.Rate{Num: 6, Den: 6}, ua.Indicators.Satisfaction)
	ub, _ := month.Result.Unit("unit-b")
	assert.Equal(t, assess.Rate{Num: 4, Den: 6}, ub.Indicators.Satisfaction)
	assert.Len(t, month.Result.InputDigest, 64)
	assert.NotEmpty(t, month.Result.Records)
	assert.Empty(t, month.Summons, "a month has no 约谈")

	t.Run("deterministic: the same query gives the same digests", func(t *testing.T) {
		q := "scheme=street-hotline&period=2026-11&as_of=2026-11-30T09:00:00%2B08:00"
		a, b := get(t, "auditor", q), get(t, "super", q)
		assert.Equal(t, a.Result.Digest, b.Result.Digest)
		assert.Equal(t, month.Result.Digest, a.Result.Digest)
		assert.Empty(t, a.Result.Records, "records only on request")
	})
	t.Run("the quarter's bottom three are summoned (004 §14)", func(t *testing.T) {
		q := get(t, "super", "scheme=street-hotline&period=2026-Q4")
		assert.Equal(t, "quarter", string(q.Result.Period.Kind))
		assert.Len(t, q.Summons, 2, "fewer than three units: all of them")
	})
	t.Run("the assessment year runs from 2025-11-01 (000 §8 (三))", func(t *testing.T) {
		y := get(t, "super", "scheme=street-hotline&period=AY2027")
		assert.Equal(t, "AY2027", y.Result.Period.Label)
		assert.Len(t, y.Result.Ranking.Ranked, 2)
	})
	t.Run("a handling unit scores its own tickets only, and is not given the input", func(t *testing.T) {
		own := get(t, "unit-a", "scheme=street-hotline&period=2026-11")
		require.Len(t, own.Result.Units, 1)
		assert.Equal(t, "unit-a", own.Result.Units[0].Unit)
		rec := f.on(t).get("/v1/assessment/results?scheme=street-hotline&period=2026-11&input=true", "Authorization", k["unit-a"])
		assert.Equal(t, http.StatusForbidden, rec.Code)
		rec = f.on(t).get("/v1/assessment/results?scheme=street-hotline&period=2026-11", "Authorization", k["admin"])
		assert.Equal(t, http.StatusForbidden, rec.Code)
	})
	t.Run("bad parameters name themselves", func(t *testing.T) {
		for _, tt := range []struct{ query, field string }{
			{"period=2026-11", "scheme"}, {"scheme=nope&period=2026-11", "scheme"}, {"scheme=hebi", "period"},
			{"scheme=hebi&period=2026-11&policy=nope", "policy"}, {"scheme=hebi&period=2026-11&as_of=2026-10-01T00:00:00Z", "as_of"},
			{"scheme=hebi&period=2026-11&as_of=yesterday", "as_of"}, {"scheme=hebi&period=2026-11&records=maybe", "records"},
		} {
			rec := f.on(t).get("/v1/assessment/results?"+tt.query, "Authorization", k["super"])
			assert.Equal(t, http.StatusBadRequest, rec.Code, tt.query)
			assert.Equal(t, tt.field, problemOf(t, rec.Body.Bytes()).Field, tt.query)
		}
	})

	withInput := get(t, "auditor", "scheme=street-hotline&period=2026-11&records=true&input=true")
	require.NotNil(t, withInput.Input)
	require.Len(t, withInput.Input.Cases, 12)
	inputJSON, err := json.Marshal(withInput.Input)
	require.NoError(t, err)
	verify := func(t *testing.T, body string) server.VerifyResponse {
		t.Helper()
		rec := f.on(t).send(http.MethodPost, "/v1/assessment/verify", body, "Authorization", k["auditor"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		return decodeAs[server.VerifyResponse](t, rec)
	}
	withInputBody := func(scheme string, r assess.Result, input string) string {
		b, err := json.Marshal(r)
		require.NoError(t, err)
		return fmt.Sprintf(`{"scheme":%s,"result":%s,"input":%s}`, scheme, b, input)
	}
	t.Run("verify: result and inputs", func(t *testing.T) {
		assert.True(t, verify(t, withInputBody(`"street-hotline"`, withInput.Result, string(inputJSON))).Verified)
		assert.True(t, verify(t, verifyBody(t, "street-hotline", withInput.Result, "")).Verified, "against the store")
		doc, err := json.Marshal(assess.StreetHotline())
		require.NoError(t, err)
		assert.True(t, verify(t, withInputBody(string(doc), withInput.Result, string(inputJSON))).Verified, "a scheme given as a document")
	})
	t.Run("verify: a changed figure is named", func(t *testing.T) {
		r := withInput.Result
		r.Units = append([]assess.UnitScore(nil), r.Units...)
		r.Units[0].Total += assess.Int(1)
		v := verify(t, withInputBody(`"street-hotline"`, r, string(inputJSON)))
		assert.False(t, v.Verified)
		assert.Equal(t, "units[unit-a].total", v.Mismatch.Path)
	})
	t.Run("verify: a changed record is named", func(t *testing.T) {
		in := *withInput.Input
		in.Cases = append([]assess.CaseRecord(nil), in.Cases...)
		in.Cases[3].Satisfaction = assess.VeryDissatisfied
		b, err := json.Marshal(in)
		require.NoError(t, err)
		v := verify(t, withInputBody(`"street-hotline"`, withInput.Result, string(b)))
		assert.False(t, v.Verified)
		assert.Equal(t, "input[case:"+in.Cases[3].ID+"]", v.Mismatch.Path)
		assert.Equal(t, "changed", v.Mismatch.Change)
		require.Len(t, v.Changes, 1)
	})
	t.Run("verify: refusals", func(t *testing.T) {
		res, err := json.Marshal(withInput.Result)
		require.NoError(t, err)
		for _, tt := range []struct {
			name, body, code string
			status           int
		}{
			{"no scheme", fmt.Sprintf(`{"result":%s}`, res), "invalid_scheme", 422},
			{"an unknown preset", fmt.Sprintf(`{"scheme":"nope","result":%s}`, res), "invalid_scheme", 422},
			{"a scheme that does not add up", fmt.Sprintf(`{"scheme":{"name":"x","items":[{"id":"a","weight":50,"indicators":["resolution_rate"],"scoring":{"kind":"rate"}}],"satisfied_ratings":["satisfied"],"missing":"reweight","min_sample":1,"ties":"shared"},"result":%s}`, res), "invalid_scheme", 422},
			{"a malformed scheme", fmt.Sprintf(`{"scheme":{"colour":1},"result":%s}`, res), "malformed_json", 400},
			{"a result with an unknown field", `{"scheme":"hebi","result":{"colour":1}}`, "malformed_json", 400},
			{"a result without a period", `{"scheme":"hebi","result":{}}`, "invalid_period", 400},
		} {
			rec := f.on(t).send(http.MethodPost, "/v1/assessment/verify", tt.body, "Authorization", k["auditor"])
			assert.Equal(t, tt.status, rec.Code, tt.name+": "+rec.Body.String())
			assert.Equal(t, tt.code, problemOf(t, rec.Body.Bytes()).Code, tt.name)
		}
	})
	t.Run("proofs: every unit's own, checked without the other records", func(t *testing.T) {
		rec := f.on(t).get("/v1/assessment/proofs/unit-b?scheme=street-hotline&period=2026-11", "Authorization", k["unit-b"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		proof := decodeAs[assess.InclusionProof](t, rec)
		assert.Len(t, proof.Cases, 6)
		assert.Equal(t, month.Result.InputDigest, proof.Root.String(), "against the result over every unit")
		assert.NotContains(t, rec.Body.String(), "13812345678")
		assert.True(t, verify(t, verifyBody(t, "street-hotline", month.Result.Public(), proofJSON(t, proof))).Verified)

		proof.Cases[0].Case.Satisfaction = assess.Satisfied
		v := verify(t, verifyBody(t, "street-hotline", month.Result.Public(), proofJSON(t, proof)))
		assert.False(t, v.Verified)
		assert.True(t, strings.HasPrefix(v.Mismatch.Path, "proof.cases[case:"), v.Mismatch.Path)

		rec = f.on(t).get("/v1/assessment/proofs/unit-a?scheme=street-hotline&period=2026-11", "Authorization", k["unit-b"])
		assert.Equal(t, http.StatusForbidden, rec.Code)
		rec = f.on(t).get("/v1/assessment/proofs/unit-z?scheme=street-hotline&period=2026-11", "Authorization", k["super"])
		assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		rec = f.on(t).get("/v1/assessment/proofs/unit-a?scheme=street-hotline&period=2026-11", "Authorization", k["admin"])
		assert.Equal(t, http.StatusForbidden, rec.Code)
	})
	t.Run("schemes and policies", func(t *testing.T) {
		rec := f.on(t).get("/v1/assessment/schemes", "Authorization", k["unit-a"])
		require.Equal(t, http.StatusOK, rec.Code)
		s := decodeAs[server.SchemesResponse](t, rec)
		assert.Len(t, s.Schemes, len(assess.Presets()))
		assert.NotEmpty(t, s.Policies)
	})
}
