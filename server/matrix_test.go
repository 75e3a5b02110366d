package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
)

// The authorisation matrix: every route of the built server × every caller × a ticket of the
// caller's own unit and one of another unit → the status. A route without a row fails the test, as
// does a row without a route: adding a route means adding its line here.
//
// Callers: the public (no key), an expired key, a revoked key, and a key of each role —
// the hotline office of 宝山区 (office), the handling unit 友谊路街道 (unit), a supervisor, an auditor
// and an admin. "own" is a ticket in the office's jurisdiction led by the unit; "other" is one of
// 浦东新区 led by another unit. Supervisors and auditors see every ticket (supervisors act on them,
// auditors read them masked); admins read none (store scoping).
//
// A row's want is a list of caller=status: "*" is every caller not named otherwise, "anon" the
// public, the expired and the revoked key; "own,other" gives the statuses for the two tickets where
// a row is scoped (one status means both).
var matrixRows = []matrixRow{
	// Operations and the calendar: public; a refused key is served as the public there.
	{"GET /livez", get("/livez"), "*=200"},
	{"GET /readyz", get("/readyz"), "*=200"},
	{"GET /metrics", get("/metrics"), "*=200"},
	{"GET /openapi.yaml", get("/openapi.yaml"), "*=200"},
	{"GET /v1/calendar/days/:date", get("/v1/calendar/days/2026-10-01"), "*=200"},
	{"GET /v1/calendar/years", get("/v1/calendar/years"), "*=200"},
	{"GET /v1/calendar/policies", get("/v1/calendar/policies"), "*=200"},
	{"GET /v1/calendar/deadline", get("/v1/calendar/deadline?policy=street-hotline&key=first_contact&received=2026-11-30T09:00:00%2B08:00"), "*=200"},

	// Tickets: the store scopes every read and write. Actions carry a stale If-Match, so a caller who
	// passes scoping gets 412 and nothing changes.
	{"POST /v1/tickets", intakeAt, "anon=401 *=403 office=201,403"},
	{"GET /v1/tickets", get("/v1/tickets"), "anon=401 *=200 admin=403"},
	{"GET /v1/tickets/:id", get("/v1/tickets/{ticket}"), "anon=401 *=200 office=200,404 unit=200,404 admin=403"},
	{"POST /v1/tickets/:id/actions", staleAction, "anon=401 *=403 office=412,404 unit=412,404 supervisor=412"},
	{"GET /v1/tickets/:id/forms/:form", get("/v1/tickets/{ticket}/forms/registration"), "anon=401 *=200 office=200,404 unit=200,404 admin=403"},
	{"POST /v1/tickets/:id/reveal", post("/v1/tickets/{ticket}/reveal", `{"field":"phone","reason":"回访联系市民"}`),
		"anon=401 *=403 office=200,404 unit=200,404"},
	{"POST /v1/routing/preview", post("/v1/routing/preview", `{"place":"310113003","matters":["07"]}`), "anon=401 *=200"},

	// Keys and the directory: everyone authenticated reads the directory; the admin changes it.
	{"POST /v1/admin/keys", post("/v1/admin/keys", `{"unit":"unit-a","role":"handling_unit","label":"矩阵"}`), "anon=401 *=403 admin=201"},
	{"GET /v1/admin/keys", get("/v1/admin/keys"), "anon=401 *=403 admin=200"},
	{"DELETE /v1/admin/keys/:id", revokeFresh, "anon=401 *=403 admin=204"},
	{"GET /v1/units", get("/v1/units"), "anon=401 *=200"},
	{"POST /v1/units/import", send(http.MethodPost, "/v1/units/import", "text/csv", matrixUnitsCSV), "anon=401 *=403 admin=200"},
	{"GET /v1/units/:id", get("/v1/units/unit-a"), "anon=401 *=200"},
	{"PUT /v1/units/:id", send(http.MethodPut, "/v1/units/unit-b", "application/json",
		`{"name":"宝山区房管局","kind":"functional_department","areas":["310113"]}`), "anon=401 *=403 admin=200"},
	{"GET /v1/catalogue", get("/v1/catalogue"), "anon=401 *=200"},
	{"PUT /v1/catalogue", send(http.MethodPut, "/v1/catalogue", "text/csv", "code,name,kind\n07,市容环境,territorial\n"), "anon=401 *=403 admin=200"},
	{"GET /v1/regions", get("/v1/regions"), "anon=401 *=200"},
	{"PUT /v1/regions", send(http.MethodPut, "/v1/regions", "application/json", matrixRegionsJSON), "anon=401 *=403 admin=200"},
}

type matrixRow struct {
	route string // "METHOD path" as echo registers it
	req   func(m *matrix, own bool) *http.Request
	want  string
}

// matrixCallers in the order the failures are reported.
var matrixCallers = []string{"public", "expired", "revoked", "office", "unit", "supervisor", "auditor", "admin"}

// matrix is the fixture the rows' requests are built from.
type matrix struct {
	t     *testing.T
	f     fixture
	keys  map[string]string // caller → Authorization header value
	own   string            // a ticket of 宝山区 led by unit-a
	other string            // a ticket of 浦东新区 led by unit-b
}

const matrixUnitsCSV = "id,name,kind,areas,matters,territorial\nunit-a,友谊路街道,street,310113003,07,true\n"

const matrixRegionsJSON = `{"regions":[
 {"code":"310113","name":"宝山区","level":"county"},
 {"code":"310113003","name":"友谊路街道","parent_code":"310113","level":"town"},
 {"code":"310115","name":"浦东新区","level":"county"},
 {"code":"310115001","name":"潍坊新村街道","parent_code":"310115","level":"town"}]}`

func get(path string) func(*matrix, bool) *http.Request {
	return func(m *matrix, own bool) *http.Request {
		return httptest.NewRequest(http.MethodGet, m.path(path, own), nil)
	}
}

func post(path, body string) func(*matrix, bool) *http.Request {
	return send(http.MethodPost, path, "application/json", body)
}

func send(method, path, contentType, body string) func(*matrix, bool) *http.Request {
	return func(m *matrix, own bool) *http.Request {
		req := httptest.NewRequest(method, m.path(path, own), strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		return req
	}
}

// intakeAt accepts a ticket placed in the office's jurisdiction (own) or outside it (other).
func intakeAt(m *matrix, own bool) *http.Request {
	place := "310113003"
	if !own {
		place = "310115001"
	}
	return post("/v1/tickets", strings.Replace(intakeBody, "310113001", place, 1))(m, own)
}

// staleAction dispatches the ticket with an If-Match one behind: 412 for whoever passes scoping.
func staleAction(m *matrix, own bool) *http.Request {
	req := post("/v1/tickets/{ticket}/actions", `{"action":"urge"}`)(m, own)
	req.Header.Set("If-Match", `"99"`)
	return req
}

// revokeFresh revokes a key issued for the request, so every caller's attempt has one to revoke.
func revokeFresh(m *matrix, own bool) *http.Request {
	id, _, err := m.f.store.CreateCredential(context.Background(), matrixAdmin, "unit-a", store.RoleHandlingUnit, "to revoke", fixedNow)
	require.NoError(m.t, err)
	return httptest.NewRequest(http.MethodDelete, "/v1/admin/keys/"+id, nil)
}

func (m *matrix) path(p string, own bool) string {
	id := m.own
	if !own {
		id = m.other
	}
	return strings.ReplaceAll(p, "{ticket}", id)
}

var matrixAdmin = store.Principal{Actor: "admin-1", Unit: "city", Role: store.RoleAdmin}

func newMatrix(t *testing.T) *matrix {
	f := newServer(t, server.WithRateLimits(server.RateLimits{}))
	ctx := context.Background()
	st := f.store
	regions, err := routing.ReadRegionsJSON(strings.NewReader(matrixRegionsJSON))
	require.NoError(t, err)
	var rs []routing.Region
	for r := range regions.All() {
		rs = append(rs, r)
	}
	require.NoError(t, st.PutRegions(ctx, matrixAdmin, rs, fixedNow))
	require.NoError(t, st.PutCatalogue(ctx, matrixAdmin, []routing.Matter{{Code: "07", Name: "市容环境", Kind: routing.MatterTerritorial}}, fixedNow))
	require.NoError(t, st.PutUnits(ctx, matrixAdmin, []routing.Unit{
		{ID: "office-bs", Name: "宝山区热线办", Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"310113"}},
		{ID: "office-pd", Name: "浦东新区热线办", Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"310115"}},
		{ID: "unit-a", Name: "友谊路街道", Kind: routing.UnitStreet, Areas: []routing.RegionCode{"310113003"},
			Matters: []routing.MatterCode{"07"}, Territorial: true},
		{ID: "unit-b", Name: "宝山区房管局", Kind: routing.UnitFunctionalDepartment, Areas: []routing.RegionCode{"310113"}},
	}, fixedNow))
	m := &matrix{t: t, f: f, keys: map[string]string{}}
	for caller, pr := range map[string]struct {
		unit string
		role store.Role
	}{
		"office": {"office-bs", store.RoleHotlineOffice}, "office-pd": {"office-pd", store.RoleHotlineOffice},
		"unit": {"unit-a", store.RoleHandlingUnit}, "supervisor": {"dcj", store.RoleSupervisor},
		"auditor": {"audit", store.RoleAuditor}, "admin": {"city", store.RoleAdmin},
	} {
		_, secret, err := st.CreateCredential(ctx, matrixAdmin, pr.unit, pr.role, caller, fixedNow)
		require.NoError(t, err)
		m.keys[caller] = "Bearer " + secret
	}
	_, expired, err := st.IssueCredential(ctx, matrixAdmin, store.CredentialSpec{Unit: "office-bs", Role: store.RoleHotlineOffice,
		Expires: fixedNow.Add(-time.Hour)}, fixedNow.Add(-2*time.Hour))
	require.NoError(t, err)
	m.keys["expired"] = "Bearer " + expired
	id, revoked, err := st.CreateCredential(ctx, matrixAdmin, "office-bs", store.RoleHotlineOffice, "revoked", fixedNow)
	require.NoError(t, err)
	require.NoError(t, st.RevokeCredential(ctx, matrixAdmin, id, fixedNow))
	m.keys["revoked"] = "Bearer " + revoked

	m.own = m.ticket("office", "310113003", "unit-a")
	m.other = m.ticket("office-pd", "310115001", "unit-b")
	return m
}

// ticket accepts a ticket with office's key at place and dispatches it to lead.
func (m *matrix) ticket(office, place, lead string) string {
	rec := m.f.send(http.MethodPost, "/v1/tickets", strings.Replace(intakeBody, "310113001", place, 1), "Authorization", m.keys[office])
	require.Equal(m.t, http.StatusCreated, rec.Code, rec.Body.String())
	var created server.IntakeResponse
	require.NoError(m.t, json.Unmarshal(rec.Body.Bytes(), &created))
	rec = m.f.send(http.MethodPost, "/v1/tickets/"+created.ID+"/actions",
		`{"action":"dispatch","payload":{"dispatch":{"lead":"`+lead+`","dispatch_mode":"statutory"}}}`,
		"Authorization", m.keys[office], "If-Match", `"1"`)
	require.Equal(m.t, http.StatusOK, rec.Code, rec.Body.String())
	return created.ID
}

// parseWant reads a row's want into caller → [own, other].
func parseWant(want string) (map[string][2]int, error) {
	out := map[string][2]int{}
	toks := strings.Fields(want)
	// "*" is the default, whatever its position.
	sort.SliceStable(toks, func(i, j int) bool { return strings.HasPrefix(toks[i], "*=") && !strings.HasPrefix(toks[j], "*=") })
	for _, tok := range toks {
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			return nil, fmt.Errorf("%q: want caller=status", tok)
		}
		ownS, otherS, two := strings.Cut(v, ",")
		own, err := strconv.Atoi(ownS)
		if err != nil {
			return nil, fmt.Errorf("%q: %v", tok, err)
		}
		other := own
		if two {
			if other, err = strconv.Atoi(otherS); err != nil {
				return nil, fmt.Errorf("%q: %v", tok, err)
			}
		}
		var callers []string
		switch k {
		case "*":
			callers = matrixCallers
		case "anon":
			callers = []string{"public", "expired", "revoked"}
		default:
			if !strings.Contains(" "+strings.Join(matrixCallers, " ")+" ", " "+k+" ") {
				return nil, fmt.Errorf("%q: unknown caller %q", tok, k)
			}
			callers = []string{k}
		}
		for _, c := range callers {
			out[c] = [2]int{own, other}
		}
	}
	for _, c := range matrixCallers {
		if _, ok := out[c]; !ok {
			return nil, fmt.Errorf("no status for caller %q", c)
		}
	}
	return out, nil
}

func TestAuthorisationMatrix(t *testing.T) {
	m := newMatrix(t)
	e, ok := m.f.h.(*echo.Echo)
	require.True(t, ok, "New returns the echo instance")

	rows := map[string]matrixRow{}
	for _, r := range matrixRows {
		_, dup := rows[r.route]
		require.False(t, dup, "two rows for %s", r.route)
		rows[r.route] = r
	}
	served := map[string]bool{}
	var missing []string
	for _, r := range e.Routes() {
		if strings.HasPrefix(r.Method, "echo_") {
			continue // echo's not-found routes of a group with middleware
		}
		key := r.Method + " " + r.Path
		served[key] = true
		if _, ok := rows[key]; !ok {
			missing = append(missing, key)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		var b strings.Builder
		for _, k := range missing {
			fmt.Fprintf(&b, "\t{%q, get(\"…\"), \"anon=401 *=403 …\"},\n", k)
		}
		t.Fatalf("AUTHORISATION MATRIX: %d route(s) have no row in matrixRows (server/matrix_test.go); add one line each:\n%s",
			len(missing), b.String())
	}
	for k := range rows {
		require.True(t, served[k], "matrixRows has a row for %s, which the server does not serve", k)
	}

	for _, r := range matrixRows {
		want, err := parseWant(r.want)
		require.NoError(t, err, "row %s", r.route)
		scoped := strings.Contains(r.route, "/v1/tickets")
		t.Run(r.route, func(t *testing.T) {
			for _, caller := range matrixCallers {
				for i, own := range []bool{true, false} {
					if i == 1 && !scoped {
						break
					}
					req := r.req(m, own)
					if key := m.keys[caller]; key != "" {
						req.Header.Set("Authorization", key)
					}
					rec := m.f.on(t).do(req)
					which := "own"
					if !own {
						which = "other"
					}
					if rec.Code != want[caller][i] {
						t.Errorf("%s as %s (%s ticket): %d, want %d: %s", r.route, caller, which, rec.Code, want[caller][i], rec.Body.String())
					}
				}
			}
		})
	}
}

// The want strings parse, and a missing caller is an error.
func TestParseWant(t *testing.T) {
	w, err := parseWant("anon=401 *=403 office=200,404")
	require.NoError(t, err)
	require.Equal(t, [2]int{401, 401}, w["expired"])
	require.Equal(t, [2]int{200, 404}, w["office"])
	require.Equal(t, [2]int{403, 403}, w["admin"])
	_, err = parseWant("anon=401 office=200")
	require.Error(t, err)
	_, err = parseWant("*=200 nobody=200")
	require.Error(t, err)
}
