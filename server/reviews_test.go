package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server"
)

// Reviews come in from every channel of 001 (一), through the platform (system) or the hotline office;
// a bad review opens its review ticket (001 (六)); a good one opens none.
func TestReviewIntake(t *testing.T) {
	f := newServer(t)
	k := seedCases(t, f.store)
	at := fixedNow.AddDate(0, 0, -1)

	for _, ch := range []string{"phone", "one_net_portal", "suishenban", "service_hall", "kiosk", "other"} {
		t.Run("channel "+ch, func(t *testing.T) {
			body := strings.Replace(reviewBody("R-"+ch, "unit-a", "satisfied", at), `"phone"`, `"`+ch+`"`, 1)
			rec := f.on(t).send(http.MethodPost, "/v1/reviews", body, "Authorization", k["system"])
			require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
			res := decodeAs[server.ReviewResponse](t, rec)
			assert.Equal(t, "R-"+ch, res.Review)
			assert.Nil(t, res.Ticket, "a good review opens no ticket")
			assert.Equal(t, "/v1/reviews/R-"+ch, rec.Header().Get("Location"))
		})
	}
	t.Run("a bad review opens its review ticket, and says nothing of the citizen", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, "/v1/reviews", reviewBody("R-bad", "unit-a", "dissatisfied", at), "Authorization", k["office"])
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		assert.NotContains(t, rec.Body.String(), "13912345678")
		res := decodeAs[server.ReviewResponse](t, rec)
		require.NotNil(t, res.Ticket)
		rec = f.on(t).get("/v1/tickets/"+res.Ticket.ID, "Authorization", k["office"])
		require.Equal(t, http.StatusOK, rec.Code)
		tk := decodeAs[server.TicketResponse](t, rec)
		assert.Equal(t, "review", string(tk.Ticket.Kind))
		assert.Equal(t, "bad_review", string(tk.Ticket.Channel))
		assert.Equal(t, "13912345678", tk.Ticket.Citizen.Phone, "the handler has the citizen to contact (001 (六): 1 working day)")

		again := f.on(t).send(http.MethodPost, "/v1/reviews", reviewBody("R-bad", "unit-a", "dissatisfied", at), "Authorization", k["office"])
		require.Equal(t, http.StatusCreated, again.Code)
		assert.Equal(t, "true", again.Header().Get(server.HeaderIdempotentReplayed))
		assert.Equal(t, res.Ticket.ID, decodeAs[server.ReviewResponse](t, again).Ticket.ID)
	})
	t.Run("refusals name the field", func(t *testing.T) {
		tests := []struct {
			name, key, body, code, field string
			status                       int
		}{
			{"unknown rating", "system", `{"review":{"id":"R1","rating":"awful","unit":"unit-a","at":"2026-11-29T09:00:00+08:00"}}`, "malformed_json", "review.rating", 400},
			{"unknown channel", "system", `{"review":{"id":"R1","rating":"satisfied","unit":"unit-a","channel":"fax","at":"2026-11-29T09:00:00+08:00"}}`, "malformed_json", "review.channel", 400},
			{"unknown field", "system", `{"review":{"id":"R1","rating":"satisfied","unit":"unit-a","at":"2026-11-29T09:00:00+08:00","name":"张三"}}`, "malformed_json", "review.name", 400},
			{"no time", "system", `{"review":{"id":"R1","rating":"satisfied","unit":"unit-a"}}`, "invalid_assessment_input", "review.at", 422},
			{"no rating", "system", `{"review":{"id":"R1","unit":"unit-a","at":"2026-11-29T09:00:00+08:00"}}`, "invalid_assessment_input", "", 422},
			{"a good review with a ticket", "system", `{"review":{"id":"R1","rating":"satisfied","unit":"unit-a","at":"2026-11-29T09:00:00+08:00"},"ticket":{"content":"x"}}`, "not_bad_review", "ticket", 422},
			{"a bad review's ticket of another kind", "system", `{"review":{"id":"R1","rating":"dissatisfied","unit":"unit-a","at":"2026-11-29T09:00:00+08:00"},"ticket":{"kind":"complaint"}}`, "invalid_review", "", 422},
			{"a handling unit rates nobody", "unit-a", reviewBody("R2", "unit-b", "satisfied", at), "forbidden", "", 403},
			{"an auditor neither", "auditor", reviewBody("R2", "unit-b", "satisfied", at), "forbidden", "", 403},
			{"outside the office's jurisdiction", "office", strings.Replace(reviewBody("R3", "unit-a", "dissatisfied", at), "310113001", "310115001", 1), "forbidden", "", 403},
			{"another review under a stored id", "system", reviewBody("R-phone", "unit-b", "satisfied", at), "duplicate", "", 409},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := f.on(t).send(http.MethodPost, "/v1/reviews", tt.body, "Authorization", k[tt.key])
				assert.Equal(t, tt.status, rec.Code, rec.Body.String())
				p := problemOf(t, rec.Body.Bytes())
				assert.Equal(t, tt.code, p.Code)
				assert.Equal(t, tt.field, p.Field)
			})
		}
		rec := f.on(t).send(http.MethodPost, "/v1/reviews", reviewBody("R4", "unit-a", "satisfied", at))
		assert.Equal(t, http.StatusUnauthorized, rec.Code, "the public posts no review (001 (四), (十))")
	})
}

func TestReviewListGetVoid(t *testing.T) {
	f := newServer(t)
	k := seedCases(t, f.store)
	at := fixedNow.AddDate(0, 0, -1)
	postReview(t, f.client, k["system"], reviewBody("R-a1", "unit-a", "satisfied", at))
	postReview(t, f.client, k["office"], reviewBody("R-a2", "unit-a", "very_dissatisfied", at.Add(1)))
	postReview(t, f.client, k["system"], reviewBody("R-b1", "unit-b", "satisfied", at))

	list := func(t *testing.T, key, query string) server.ReviewList {
		rec := f.on(t).get("/v1/reviews?"+query, "Authorization", k[key])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		return decodeAs[server.ReviewList](t, rec)
	}
	t.Run("a unit's month, the rater hidden from the unit itself", func(t *testing.T) {
		l := list(t, "super", "unit=unit-a&period=2026-11")
		require.Len(t, l.Items, 2)
		assert.Equal(t, "h-R-a1", l.Items[0].Rater)
		assert.Equal(t, "2026-11", l.Period.Label)
		l = list(t, "unit-a", "unit=unit-a&period=2026-11")
		require.Len(t, l.Items, 2)
		assert.Empty(t, l.Items[0].Rater)
		assert.Empty(t, list(t, "unit-b", "unit=unit-a&period=2026-11").Items, "another unit's reviews are not a unit's to read")
		assert.Empty(t, list(t, "super", "unit=unit-a&period=2026-10").Items)
		assert.Len(t, list(t, "super", "unit=unit-a&period=2026-Q4").Items, 2)
		assert.Len(t, list(t, "super", "unit=unit-a&period=AY2027").Items, 2, "the assessment year 2027 starts 2026-11-01 (000 §8 (三))")
	})
	t.Run("bad parameters", func(t *testing.T) {
		for _, q := range []struct{ query, field string }{
			{"period=2026-11", "unit"}, {"unit=unit-a", "period"}, {"unit=unit-a&period=2026-13", "period"},
			{"unit=unit-a&period=2026-Q5", "period"}, {"unit=unit-a&period=November", "period"}, {"unit=unit-a&period=AY0001", "period"},
		} {
			rec := f.on(t).get("/v1/reviews?"+q.query, "Authorization", k["super"])
			assert.Equal(t, http.StatusBadRequest, rec.Code, q.query)
			assert.Equal(t, q.field, problemOf(t, rec.Body.Bytes()).Field, q.query)
		}
	})
	t.Run("one review and its ticket", func(t *testing.T) {
		rec := f.on(t).get("/v1/reviews/R-a2", "Authorization", k["office"])
		require.Equal(t, http.StatusOK, rec.Code)
		assert.NotEmpty(t, decodeAs[server.ReviewView](t, rec).TicketID)
		assert.Equal(t, http.StatusNotFound, f.on(t).get("/v1/reviews/R-a2", "Authorization", k["unit-b"]).Code)
		assert.Equal(t, http.StatusNotFound, f.on(t).get("/v1/reviews/nope", "Authorization", k["office"]).Code)
	})
	t.Run("void: authorised roles, with a reason, once", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, "/v1/reviews/R-a1/void", `{"reason":"误评"}`, "Authorization", k["unit-a"])
		assert.Equal(t, http.StatusForbidden, rec.Code, "the rated unit does not void its own reviews")
		rec = f.on(t).send(http.MethodPost, "/v1/reviews/R-a1/void", `{"reason":""}`, "Authorization", k["super"])
		assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		assert.Equal(t, "reason", problemOf(t, rec.Body.Bytes()).Field)
		rec = f.on(t).send(http.MethodPost, "/v1/reviews/R-a1/void", `{"reason":"误评","x":1}`, "Authorization", k["super"])
		assert.Equal(t, http.StatusBadRequest, rec.Code)
		rec = f.on(t).send(http.MethodPost, "/v1/reviews/R-a1/void", `{"reason":"误评"}`, "Authorization", k["super"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.True(t, decodeAs[server.VoidResponse](t, rec).Voided)
		rec = f.on(t).send(http.MethodPost, "/v1/reviews/R-a1/void", `{"reason":"误评"}`, "Authorization", k["office"])
		assert.Equal(t, http.StatusConflict, rec.Code)
		rec = f.on(t).send(http.MethodPost, "/v1/reviews/nope/void", `{"reason":"误评"}`, "Authorization", k["office"])
		assert.Equal(t, http.StatusNotFound, rec.Code)
		l := list(t, "auditor", "unit=unit-a&period=2026-11")
		assert.True(t, l.Items[0].Unfounded)
	})
}
