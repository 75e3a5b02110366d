package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/report"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
)

var (
	pOffice = store.Principal{Actor: "operator-7", Unit: "office-bs", Role: store.RoleHotlineOffice}
	pSystem = store.Principal{Actor: "gateway", Unit: "sh12345", Role: store.RoleSystem}
)

func nov(day, hour int) time.Time {
	return time.Date(2026, 11, day, hour, 0, 0, 0, deadline.Location())
}

// reportFixture stores a month of tickets through the store: for unit-a and unit-b, tickets replied
// and called back (satisfied or not), one left open past due, one never dispatched, and reviews, one of
// them a bad review whose ticket was replied (rectified).
func reportFixture(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	unit := func(u string) store.Principal {
		return store.Principal{Actor: "clerk-" + u, Unit: u, Role: store.RoleHandlingUnit}
	}
	drive := func(id string, steps ...step) {
		v := int64(1)
		for _, next := range steps {
			p, req := next()
			rec, err := st.Get(ctx, pOffice, id)
			require.NoError(t, err)
			at := rec.Ticket.History[len(rec.Ticket.History)-1].At.Add(2 * time.Hour)
			res, err := st.Apply(ctx, p, id, v, req, at)
			require.NoError(t, err, req.Action)
			v = res.Version
		}
	}
	dispatch := func(u string) step {
		return func() (store.Principal, ticket.Request) {
			return pOffice, ticket.Request{Action: ticket.ActionDispatch, Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: u,
				DispatchMode: ticket.DispatchStatutory, Complexity: ticket.ComplexityGeneral}}}
		}
	}
	by := func(u string, a ticket.Action, p ticket.Payload) step {
		return func() (store.Principal, ticket.Request) {
			return unit(u), ticket.Request{Action: a, Payload: p}
		}
	}
	cb := func(s ticket.Satisfaction) step {
		return func() (store.Principal, ticket.Request) {
			return pOffice, ticket.Request{Action: ticket.ActionCallback, Payload: ticket.Payload{Callback: &ticket.Callback{
				Contacted: true, Resolved: s != ticket.Dissatisfied, Result: s, Efficiency: s, Attitude: s}}}
		}
	}
	reply := ticket.Payload{Reply: &ticket.Reply{Report: "已处理", Summary: "已处理完毕", Outcome: ticket.OutcomeResolved}}
	intake := func(day int, kind ticket.Kind, ch ticket.Channel) string {
		in := ticket.Intake{Channel: ch, Kind: kind, Title: "测试工单", Content: "诉求内容", Received: nov(day, 9),
			Citizen: ticket.Person{Name: "张三", Phone: "13812345678"}, Place: ticket.Place{RegionCode: "310113001"},
			Matter: ticket.Matter{Levels: []ticket.MatterLevel{{Code: "05", Label: "城市管理"}}}}
		res, err := st.Intake(ctx, pOffice, store.IntakeRequest{Intake: in}, nov(day, 9))
		require.NoError(t, err)
		return res.ID
	}
	for i, u := range []string{"unit-a", "unit-b"} {
		for j := range 3 + 3*i {
			s := ticket.Satisfied
			if j == 1 {
				s = ticket.Dissatisfied
			}
			id := intake(2+j, ticket.KindComplaint, ticket.ChannelPhone)
			drive(id, dispatch(u), by(u, ticket.ActionFirstContact, ticket.Payload{}), by(u, ticket.ActionReply, reply), cb(s))
		}
		drive(intake(3, ticket.KindHelpRequest, ticket.ChannelWeb), dispatch(u))
	}
	intake(20, ticket.KindSuggestion, ticket.ChannelSuishenban)
	bad := intake(10, ticket.KindReview, ticket.ChannelBadReview)
	drive(bad, dispatch("unit-a"), by("unit-a", ticket.ActionFirstContact, ticket.Payload{}), by("unit-a", ticket.ActionReply, reply))
	for i, r := range []assess.Rating{assess.VerySatisfied, assess.Dissatisfied, assess.Satisfied} {
		ticketID := ""
		if r.Bad() {
			ticketID = bad
		}
		require.NoError(t, st.PutReview(ctx, pSystem, assess.Review{ID: "rv-" + string(rune('a'+i)), Rating: r, Unit: "unit-a",
			Channel: assess.ChannelOneNetPortal, At: nov(12+i, 10)}, ticketID, nov(12+i, 10)))
	}
}

// step is one action on a ticket: who takes it and what.
type step = func() (store.Principal, ticket.Request)

// expectedScore computes, independently of the report, what assess.Score gives over every ticket the
// office sees (read one by one with Get) and the month's reviews.
func expectedScore(t *testing.T, st *store.Store, scheme assess.Scheme) (assess.Result, assess.Input) {
	t.Helper()
	ctx := context.Background()
	var in assess.Input
	cursor := ""
	for {
		page, err := st.List(ctx, pOffice, store.Filter{Limit: 2, Cursor: cursor}, fixedNow)
		require.NoError(t, err)
		for _, s := range page.Items {
			rec, err := st.Get(ctx, pOffice, s.ID)
			require.NoError(t, err)
			c, err := loop.CaseRecord(rec.Ticket, loop.StreetHotline())
			if errors.Is(err, loop.ErrNotDispatched) {
				continue
			}
			require.NoError(t, err)
			in.Cases = append(in.Cases, c)
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	recs, err := st.ReviewRecords(ctx, pOffice, nov(1, 0), fixedNow)
	require.NoError(t, err)
	for _, r := range recs {
		in.Reviews = append(in.Reviews, r.Review)
	}
	units, err := st.Units(ctx, pOffice)
	require.NoError(t, err)
	for _, u := range units {
		in.Units = append(in.Units, u.ID)
	}
	period, err := assess.Month(2026, time.November)
	require.NoError(t, err)
	res, err := assess.Score(in, scheme, assess.Query{Period: period, AsOf: fixedNow})
	require.NoError(t, err)
	return res, in
}

// The monthly report's figures are assess.Score's on the same data, and its digest verifies (004 §14;
// 001 (十)); as XLSX and HTML it carries the same digest and is audited.
func TestMonthlyReport(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) { monthlyReport(t, st) })
}

func monthlyReport(t *testing.T, st *store.Store) {
	f := newServerOn(t, st)
	f.client = &client{t: t, h: f.h}
	k := seedTickets(t, st)
	reportFixture(t, st)

	rec := f.get("/v1/reports/monthly?month=2026-11", "Authorization", k["office"])
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var r report.Report
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
	want, wantIn := expectedScore(t, st, assess.StreetHotline())
	assert.Equal(t, want.Units, r.Result.Units, "every unit's indicators and score are Score's")
	assert.Equal(t, want.Ranking, r.Result.Ranking)
	assert.ElementsMatch(t, wantIn.Cases, r.Input.Cases, "the same records")
	assert.Equal(t, want.Digest, r.Result.Digest, "and so the same digest")
	require.NoError(t, assess.Verify(r.Input, r.Scheme, r.Result), "the report's digest verifies")
	assert.Equal(t, "street-hotline", r.Scheme.Name)
	assert.Equal(t, "宝山区热线办", r.Title)
	assert.NotEmpty(t, r.Chain.Head)

	a, ok := r.Result.Unit("unit-a")
	require.True(t, ok)
	assert.Equal(t, assess.Rate{Num: 2, Den: 3}, a.Indicators.Satisfaction, "one dissatisfied callback of three (004 §11 (三))")
	assert.Equal(t, int64(1), a.Indicators.BadReviews)
	assert.Equal(t, assess.Rate{Num: 1, Den: 1}, a.Indicators.Rectification, "its ticket was replied (001 (六))")
	assert.Equal(t, int64(1), r.Undispatched)
	assert.Equal(t, int64(3+6+2+1+1), r.District.Counts.Received)
	assert.NotContains(t, rec.Body.String(), "13812345678", "no identity in a report")

	t.Run("as XLSX", func(t *testing.T) {
		rec := f.on(t).get("/v1/reports/monthly?month=2026-11&format=xlsx", "Authorization", k["office"])
		require.Equal(t, http.StatusOK, rec.Code)
		x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
		require.NoError(t, err)
		defer x.Close()
		rows, err := x.GetRows("概况")
		require.NoError(t, err)
		found := false
		for _, row := range rows {
			if row[0] == "结果摘要" {
				found = true
				assert.Equal(t, r.Result.Digest, row[1])
			}
		}
		assert.True(t, found)
		units, err := x.GetRows("单位指标")
		require.NoError(t, err)
		for _, row := range units[1:] {
			if row[0] == "unit-a" {
				assert.Equal(t, report.RateText(a.Indicators.Satisfaction), row[6])
				assert.Equal(t, a.Total.Text(2), row[17])
			}
		}
	})
	t.Run("as a printable page", func(t *testing.T) {
		rec := f.on(t).get("/v1/reports/monthly?month=2026-11&format=html&unit=unit-a", "Authorization", k["office"])
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Contains(t, rec.Body.String(), r.Result.Digest)
		assert.Contains(t, rec.Body.String(), "友谊路街道")
		assert.Contains(t, rec.Body.String(), "月度通报")
		n, err := st.DB().NewSelect().Table("audit_log").Where("action = ?", "report.export").Count(context.Background())
		require.NoError(t, err)
		assert.Equal(t, int64(2), n)
	})
	t.Run("a handling unit's report covers its own units", func(t *testing.T) {
		rec := f.on(t).get("/v1/reports/monthly?month=2026-11", "Authorization", k["unit-b"])
		require.Equal(t, http.StatusOK, rec.Code)
		var rb report.Report
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &rb))
		require.Len(t, rb.Units, 1)
		assert.Equal(t, "unit-b", rb.Units[0].Unit)
		require.NoError(t, assess.Verify(rb.Input, rb.Scheme, rb.Result))
	})
	t.Run("bad parameters", func(t *testing.T) {
		for _, tt := range []struct{ query, field string }{
			{"", "month"}, {"month=2026-12", "month"}, {"month=11-2026", "month"}, {"month=2026-11&scheme=nope", "scheme"},
			{"month=2026-11&policy=nope", "policy"}, {"month=2026-11&unit=nobody", "unit"}, {"month=2026-11&format=pdf", "format"},
		} {
			rec := f.on(t).get("/v1/reports/monthly?"+tt.query, "Authorization", k["office"])
			assert.Equal(t, http.StatusBadRequest, rec.Code, tt.query)
			assert.Equal(t, tt.field, problemOf(t, rec.Body.Bytes()).Field, tt.query)
		}
	})

	t.Run("a published ranking can be recomputed by anyone (001 (八), (十))", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, "/v1/rankings", `{"month":"2026-11","scheme":"street-hotline"}`, "Authorization", k["office"])
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		var pub store.Publication
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &pub))
		loc := rec.Header().Get("Location")
		assert.Equal(t, "/public/v1/rankings/"+pub.ID, loc)
		assert.Equal(t, r.Result.Digest, pub.Result.Digest, "the same figures as the report")

		rec = f.on(t).get(loc)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var got store.Publication
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
		rec = f.on(t).get(loc + "/input")
		require.Equal(t, http.StatusOK, rec.Code)
		var in assess.Input
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &in))
		require.NoError(t, assess.Verify(in, got.Scheme, got.Result))
		assert.Equal(t, "004", got.Scheme.Version)
		assert.NotEmpty(t, got.Chain.Head)

		rec = f.on(t).get("/public/rankings/" + pub.ID)
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Contains(t, rec.Body.String(), pub.Result.Digest)
		assert.Contains(t, rec.Body.String(), got.Chain.Head)
		assert.Contains(t, rec.Body.String(), "友谊路街道")
		rec = f.on(t).get("/public/v1/rankings")
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Contains(t, rec.Body.String(), pub.ID)

		assert.Equal(t, http.StatusForbidden, f.on(t).send(http.MethodPost, "/v1/rankings", `{"month":"2026-11"}`, "Authorization", k["unit-a"]).Code)
		assert.Equal(t, http.StatusBadRequest, f.on(t).send(http.MethodPost, "/v1/rankings", `{"scheme":"hebi"}`, "Authorization", k["office"]).Code)
		assert.Equal(t, http.StatusBadRequest, f.on(t).send(http.MethodPost, "/v1/rankings", `{"month":"2026-11","x":1}`, "Authorization", k["office"]).Code)
		assert.Equal(t, http.StatusNotFound, f.on(t).get("/public/v1/rankings/nope").Code)
		assert.True(t, strings.HasPrefix(f.on(t).get("/public/rankings/nope").Header().Get("Content-Type"), "application/problem+json"))
	})
}
