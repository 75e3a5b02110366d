package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

func TestCalendar(t *testing.T) {
	f := newServer(t)
	day := func(t *testing.T, date string) server.DayResponse {
		rec := f.on(t).get("/v1/calendar/days/" + date)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var d server.DayResponse
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &d))
		return d
	}
	t.Run("国庆节 2026-10-01 is a statutory holiday", func(t *testing.T) {
		d := day(t, "2026-10-01")
		assert.False(t, d.Workday)
		assert.Equal(t, "statutory_holiday", string(d.Kind))
		assert.False(t, d.Provisional)
	})
	t.Run("a Monday is a working day", func(t *testing.T) {
		d := day(t, "2026-11-30")
		assert.True(t, d.Workday)
		assert.Equal(t, "2026-11-30", d.Date)
	})
	t.Run("a bad date is a problem naming the parameter", func(t *testing.T) {
		for _, bad := range []string{"2026-13-01", "yesterday", "2026-1-1"} {
			rec := f.on(t).get("/v1/calendar/days/" + bad)
			assert.Equal(t, http.StatusBadRequest, rec.Code, bad)
			p := problemOf(t, rec.Body.Bytes())
			assert.Equal(t, "bad_parameter", p.Code)
			assert.Equal(t, "date", p.Field)
		}
	})
	t.Run("published years", func(t *testing.T) {
		rec := f.on(t).get("/v1/calendar/years")
		require.Equal(t, http.StatusOK, rec.Code)
		var y server.YearsResponse
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &y))
		assert.Contains(t, y.Published, 2026)
	})
	t.Run("policies list the presets and their limits", func(t *testing.T) {
		rec := f.on(t).get("/v1/calendar/policies")
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Contains(t, rec.Body.String(), `"street-hotline"`)
	})
	t.Run("deadline: first contact under the street hotline's policy (004)", func(t *testing.T) {
		rec := f.on(t).get("/v1/calendar/deadline?policy=street-hotline&key=first_contact&received=2026-09-30T16:00:00%2B08:00")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var d server.DeadlineResponse
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &d))
		assert.Equal(t, "first_contact", string(d.Key))
		assert.True(t, d.Deadline.At.After(d.Received))
		assert.NotEmpty(t, d.Deadline.Explanation)
	})
	t.Run("deadline refusals name the parameter", func(t *testing.T) {
		for _, tt := range []struct{ query, field string }{
			{"policy=nope&key=first_contact&received=2026-09-30T16:00:00Z", "policy"},
			{"policy=street-hotline&key=nope&received=2026-09-30T16:00:00Z", "key"},
			{"policy=street-hotline&key=first_contact", "received"},
			{"policy=street-hotline&key=first_contact&received=tomorrow", "received"},
		} {
			rec := f.on(t).get("/v1/calendar/deadline?" + tt.query)
			assert.Equal(t, http.StatusBadRequest, rec.Code, tt.query)
			assert.Equal(t, tt.field, problemOf(t, rec.Body.Bytes()).Field, tt.query)
		}
	})
}

// keys are API keys by principal name, issued through the store.
type keys map[string]string

// seedTickets writes a unit tree and issues API keys: a hotline office over 310113 (宝山区), two
// handling units and a supervisor.
func seedTickets(t *testing.T, st *store.Store) keys { return seedTicketsTB(t, st) }

func seedTicketsTB(t testing.TB, st *store.Store) keys {
	t.Helper()
	return storetest.Seed(t, st, fixedNow, []routing.Unit{
		{ID: "office-bs", Name: "宝山区热线办", Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"310113"}},
		{ID: "unit-a", Name: "友谊路街道", Kind: routing.UnitStreet},
		{ID: "unit-b", Name: "宝山区房管局", Kind: routing.UnitFunctionalDepartment},
	}, map[string]storetest.Key{
		"office": {Unit: "office-bs", Role: store.RoleHotlineOffice},
		"unit-a": {Unit: "unit-a", Role: store.RoleHandlingUnit},
		"unit-b": {Unit: "unit-b", Role: store.RoleHandlingUnit},
		"super":  {Unit: "dcj", Role: store.RoleSupervisor},
	})
}

const intakeBody = `{"channel":"phone","kind":"complaint","title":"工地夜间施工噪声",
 "content":"小区旁工地夜间施工，噪声扰民。",
 "citizen":{"name":"张三","phone":"13812345678","address":"宝山区友谊路1号"},
 "place":{"region_code":"310113001","address":"友谊路"}}`

func TestTicketsRequireAKey(t *testing.T) {
	f := newServer(t)
	seedTickets(t, f.store)
	for _, auth := range []string{"", "Bearer", "Basic abc", "Bearer hk_" + strings.Repeat("0", 64), "Bearer nonsense"} {
		rec := f.get("/v1/tickets", "Authorization", auth)
		assert.Equal(t, http.StatusUnauthorized, rec.Code, auth)
		assert.Equal(t, "unauthorized", problemOf(t, rec.Body.Bytes()).Code)
		assert.NotEmpty(t, rec.Header().Get("WWW-Authenticate"))
	}
}

// TestIntakeGetListAct runs on every dialect (PostgreSQL and MariaDB when their DSNs are set).
func TestIntakeGetListAct(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) { intakeGetListAct(t, st) })
}

func intakeGetListAct(t *testing.T, st *store.Store) {
	f := newServerOn(t, st)
	f.client = &client{t: t, h: f.h}
	k := seedTickets(t, f.store)

	// Intake, idempotent.
	rec := f.send(http.MethodPost, "/v1/tickets", intakeBody, "Authorization", k["office"], "Idempotency-Key", "up-1")
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var created server.IntakeResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &created))
	assert.Equal(t, int64(1), created.Version)
	assert.Equal(t, `"1"`, rec.Header().Get("ETag"))
	assert.Equal(t, "/v1/tickets/"+created.ID, rec.Header().Get("Location"))
	assert.Empty(t, rec.Header().Get(server.HeaderIdempotentReplayed))

	t.Run("the same key and body replays the stored result", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, "/v1/tickets", intakeBody, "Authorization", k["office"], "Idempotency-Key", "up-1")
		require.Equal(t, http.StatusCreated, rec.Code)
		var again server.IntakeResponse
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &again))
		assert.Equal(t, created, again)
		assert.Equal(t, "true", rec.Header().Get(server.HeaderIdempotentReplayed))
		assert.Contains(t, f.on(t).get("/metrics").Body.String(), "hotline_intake_idempotent_replays_total 1")
	})
	t.Run("the log line names the caller's role and unit, never the citizen", func(t *testing.T) {
		var found bool
		for _, l := range f.log.lines(t) {
			if l["route"] == "/v1/tickets" && l["method"] == "POST" {
				found = true
				assert.Equal(t, "hotline_office", l["role"])
				assert.Equal(t, "office-bs", l["unit"])
			}
		}
		assert.True(t, found)
		assert.NotContains(t, f.log.String(), "13812345678")
		assert.NotContains(t, f.log.String(), "张三")
	})
	t.Run("the same key with another body is 422", func(t *testing.T) {
		other := strings.Replace(intakeBody, "工地夜间施工噪声", "另一件事", 1)
		rec := f.on(t).send(http.MethodPost, "/v1/tickets", other, "Authorization", k["office"], "Idempotency-Key", "up-1")
		assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		assert.Equal(t, "idempotency_key_reused", problemOf(t, rec.Body.Bytes()).Code)
	})
	t.Run("bad bodies are problems naming the field", func(t *testing.T) {
		tests := []struct {
			name, body, code, field string
			status                  int
		}{
			{"unknown field", `{"channel":"phone","kind":"complaint","content":"x","colour":"red"}`, "malformed_json", "colour", 400},
			{"wrong enum", `{"channel":"fax","kind":"complaint","content":"x"}`, "malformed_json", "channel", 400},
			{"duplicate key", `{"channel":"phone","channel":"web","kind":"complaint","content":"x"}`, "malformed_json", "channel", 400},
			{"trailing data", intakeBody + `{}`, "malformed_json", "", 400},
			{"not JSON", `channel=phone`, "malformed_json", "", 400},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := f.on(t).send(http.MethodPost, "/v1/tickets", tt.body, "Authorization", k["office"])
				assert.Equal(t, tt.status, rec.Code, rec.Body.String())
				p := problemOf(t, rec.Body.Bytes())
				assert.Equal(t, tt.code, p.Code)
				assert.Equal(t, tt.field, p.Field)
			})
		}
	})
	t.Run("a body that is not JSON by its media type is 415", func(t *testing.T) {
		req := mustRequest(t, http.MethodPost, "/v1/tickets")
		req.Body = http.NoBody
		req.Header.Set("Authorization", k["office"])
		req.Header.Set("Content-Type", "text/plain")
		rec := f.on(t).do(req)
		assert.Equal(t, http.StatusUnsupportedMediaType, rec.Code)
	})
	t.Run("a bad Idempotency-Key is 400", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, "/v1/tickets", intakeBody, "Authorization", k["office"], "Idempotency-Key", strings.Repeat("k", 256))
		assert.Equal(t, http.StatusBadRequest, rec.Code)
		assert.Equal(t, "Idempotency-Key", problemOf(t, rec.Body.Bytes()).Field)
	})

	// Get: the office handles it and sees the citizen; unit-b does not see it at all.
	rec = f.get("/v1/tickets/"+created.ID, "Authorization", k["office"])
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var got server.TicketResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
	assert.False(t, got.Masked)
	assert.Equal(t, "13812345678", got.Ticket.Citizen.Phone)
	assert.Equal(t, "received", string(got.Ticket.State))
	assert.Equal(t, `"1"`, rec.Header().Get("ETag"))
	rec = f.get("/v1/tickets/"+created.ID, "Authorization", k["unit-b"])
	assert.Equal(t, http.StatusNotFound, rec.Code)
	rec = f.get("/v1/tickets/"+created.ID, "Authorization", k["super"])
	require.Equal(t, http.StatusOK, rec.Code)
	assert.NotContains(t, rec.Body.String(), "13812345678", "a supervisor sees the identity masked")

	t.Run("forms of 003 print the ticket, masked for a non-handler", func(t *testing.T) {
		rec := f.on(t).get("/v1/tickets/"+created.ID+"/forms/registration", "Authorization", k["office"])
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Contains(t, rec.Body.String(), "13812345678", "the handler's form has the phone")
		assert.Contains(t, rec.Body.String(), created.Number)
		rec = f.on(t).get("/v1/tickets/"+created.ID+"/forms/registration", "Authorization", k["super"])
		require.Equal(t, http.StatusOK, rec.Code)
		assert.NotContains(t, rec.Body.String(), "13812345678")
		rec = f.on(t).get("/v1/tickets/"+created.ID+"/forms/handling", "Authorization", k["office"])
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Contains(t, rec.Body.String(), created.Number)
		rec = f.on(t).get("/v1/tickets/"+created.ID+"/forms/receipt", "Authorization", k["office"])
		assert.Equal(t, http.StatusBadRequest, rec.Code)
	})

	// Actions with If-Match.
	dispatch := `{"action":"dispatch","payload":{"dispatch":{"lead":"unit-a","dispatch_mode":"statutory"}}}`
	path := "/v1/tickets/" + created.ID + "/actions"
	t.Run("If-Match missing is 428", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, path, dispatch, "Authorization", k["office"])
		assert.Equal(t, http.StatusPreconditionRequired, rec.Code)
		assert.Equal(t, "if_match_required", problemOf(t, rec.Body.Bytes()).Code)
	})
	t.Run("If-Match malformed is 400", func(t *testing.T) {
		for _, bad := range []string{"1", `W/"1"`, `"x"`, `"0"`, `"1", "2"`} {
			rec := f.on(t).send(http.MethodPost, path, dispatch, "Authorization", k["office"], "If-Match", bad)
			assert.Equal(t, http.StatusBadRequest, rec.Code, bad)
			assert.Equal(t, "If-Match", problemOf(t, rec.Body.Bytes()).Field, bad)
		}
	})
	t.Run("If-Match stale is 412 with the current version", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, path, dispatch, "Authorization", k["office"], "If-Match", `"7"`)
		assert.Equal(t, http.StatusPreconditionFailed, rec.Code)
		p := problemOf(t, rec.Body.Bytes())
		assert.Equal(t, "stale_version", p.Code)
		require.NotNil(t, p.CurrentVersion)
		assert.Equal(t, int64(1), *p.CurrentVersion)
	})
	rec = f.send(http.MethodPost, path, dispatch, "Authorization", k["office"], "If-Match", `"1"`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var applied server.ActionResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &applied))
	assert.Equal(t, int64(2), applied.Version)
	assert.Equal(t, "dispatch", string(applied.Event.Action))
	assert.Equal(t, `"2"`, rec.Header().Get("ETag"))
	t.Run("the dispatched unit now sees it, masked for nobody handling it", func(t *testing.T) {
		rec := f.on(t).get("/v1/tickets/"+created.ID, "Authorization", k["unit-a"])
		require.Equal(t, http.StatusOK, rec.Code)
	})
	t.Run("an action the state does not allow is 409 naming state and action", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, path, `{"action":"accept","payload":{"intake":{"channel":"phone","kind":"complaint","content":"x","number":""}}}`,
			"Authorization", k["office"], "If-Match", `"2"`)
		assert.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
		p := problemOf(t, rec.Body.Bytes())
		assert.Equal(t, "illegal_transition", p.Code)
		assert.Contains(t, p.Detail, "dispatched")
		assert.Contains(t, p.Detail, "accept")
	})
	t.Run("another unit cannot act on it: outside its scope it does not exist", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, path, dispatch, "Authorization", k["unit-b"], "If-Match", `"2"`)
		assert.Equal(t, http.StatusNotFound, rec.Code, "outside its scope the ticket does not exist")
	})

	// Listing.
	// Another matter from the same caller: not a repeat of the first (004 §12 (二) 2), so the first is
	// left as it was.
	other := strings.Replace(strings.Replace(intakeBody, "工地夜间施工噪声", "路灯不亮", 1), "小区旁工地夜间施工，噪声扰民。", "小区门口路灯连续一周不亮，夜间出行不便，请尽快修复。", 1)
	rec = f.send(http.MethodPost, "/v1/tickets", other, "Authorization", k["office"])
	require.Equal(t, http.StatusCreated, rec.Code)
	t.Run("list pages by keyset", func(t *testing.T) {
		var ids []string
		cursor := ""
		for range 3 {
			rec := f.on(t).get("/v1/tickets?limit=1&cursor="+cursor, "Authorization", k["office"])
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			var page server.ListResponse
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
			for _, it := range page.Items {
				ids = append(ids, it.ID)
			}
			if page.Next == "" {
				break
			}
			cursor = page.Next
		}
		assert.Len(t, ids, 2)
		assert.Contains(t, ids, created.ID)
	})
	t.Run("list filters by state", func(t *testing.T) {
		rec := f.on(t).get("/v1/tickets?state=dispatched", "Authorization", k["office"])
		require.Equal(t, http.StatusOK, rec.Code)
		var page server.ListResponse
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
		require.Len(t, page.Items, 1)
		assert.Equal(t, created.ID, page.Items[0].ID)
		assert.Equal(t, int64(2), page.Items[0].Version)
	})
	t.Run("list refuses bad parameters naming them", func(t *testing.T) {
		for _, tt := range []struct{ query, field string }{
			{"state=lost", "state"}, {"limit=0", "limit"}, {"limit=501", "limit"}, {"overdue=maybe", "overdue"},
			{"received_from=yesterday", "received_from"}, {"channel=fax", "channel"}, {"kind=rant", "kind"},
		} {
			rec := f.on(t).get("/v1/tickets?"+tt.query, "Authorization", k["office"])
			assert.Equal(t, http.StatusBadRequest, rec.Code, tt.query)
			assert.Equal(t, "bad_parameter", problemOf(t, rec.Body.Bytes()).Code, tt.query)
			assert.Equal(t, tt.field, problemOf(t, rec.Body.Bytes()).Field, tt.query)
		}
	})
	t.Run("a handling unit lists only its own", func(t *testing.T) {
		rec := f.on(t).get("/v1/tickets", "Authorization", k["unit-b"])
		require.Equal(t, http.StatusOK, rec.Code)
		var page server.ListResponse
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
		assert.Empty(t, page.Items)
	})
}

// 50 clients apply the same transition with the same ETag: one wins, the others get 412.
func TestConcurrentActionsOneWins(t *testing.T) {
	storetest.EachDialect(t, concurrentActionsOneWins)
}

func concurrentActionsOneWins(t *testing.T, st *store.Store) {
	f := newServerOn(t, st)
	f.client = &client{t: t, h: f.h}
	k := seedTickets(t, f.store)
	rec := f.send(http.MethodPost, "/v1/tickets", intakeBody, "Authorization", k["office"])
	require.Equal(t, http.StatusCreated, rec.Code)
	var created server.IntakeResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &created))
	dispatch := `{"action":"dispatch","payload":{"dispatch":{"lead":"unit-a","dispatch_mode":"statutory"}}}`
	const n = 50
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req := mustRequest(t, http.MethodPost, "/v1/tickets/"+created.ID+"/actions")
			req.Body = http.NoBody
			r := strings.NewReader(dispatch)
			req.Body = readCloser{r}
			req.ContentLength = int64(len(dispatch))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", k["office"])
			req.Header.Set("If-Match", `"1"`)
			rr := newRecorder()
			f.h.ServeHTTP(rr, req)
			codes[i] = rr.Code
		})
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	assert.Equal(t, map[int]int{200: 1, 412: n - 1}, count, fmt.Sprint(count))
}

func TestRoutingPreview(t *testing.T) {
	f := newServer(t)
	k := seedTickets(t, f.store)
	preview := `{"place":"310113001","matters":["01"]}`
	rec := f.send(http.MethodPost, "/v1/routing/preview", preview, "Authorization", k["office"])
	assert.Equal(t, http.StatusNotFound, rec.Code, "no regions stored yet")

	ctx := context.Background()
	admin := store.Principal{Actor: "admin-1", Unit: "city", Role: store.RoleAdmin}
	require.NoError(t, f.store.PutRegions(ctx, admin, []routing.Region{
		{Code: "310113", Name: "宝山区", Level: routing.LevelCounty},
		{Code: "310113001", Name: "友谊路街道", Parent: "310113", Level: routing.LevelTown},
	}, fixedNow))
	require.NoError(t, f.store.PutCatalogue(ctx, admin, []routing.Matter{{Code: "01", Name: "市容环境", Kind: routing.MatterTerritorial}}, fixedNow))
	require.NoError(t, f.store.PutUnit(ctx, admin, routing.Unit{ID: "yyl", Name: "友谊路街道", Kind: routing.UnitStreet,
		Areas: []routing.RegionCode{"310113001"}, Territorial: true}, fixedNow))

	rec = f.send(http.MethodPost, "/v1/routing/preview", preview, "Authorization", k["office"])
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var d routing.Decision
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &d))
	// The street covers the place but is competent for no matter, and no district government is
	// marked territorial (托底): the rules cannot pick a unit, so the decision needs designation, never a guess
	// (000 §4 (二)), and its trail says why.
	assert.True(t, d.NeedsDesignation, rec.Body.String())
	assert.Empty(t, d.Lead)
	assert.Contains(t, rec.Body.String(), `"trail"`)
	assert.Contains(t, rec.Body.String(), "000 §4 (二)")

	rec = f.send(http.MethodPost, "/v1/routing/preview", `{"place":"999999999","matters":["01"]}`, "Authorization", k["office"])
	assert.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	assert.Equal(t, "unknown_region", problemOf(t, rec.Body.Bytes()).Code)
	rec = f.send(http.MethodPost, "/v1/routing/preview", preview)
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
}
