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

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
)

// The authorisation matrix: every route of the built server × every caller × a ticket of the
// caller's own unit and one of another unit → the status. A route without a row fails the test, as
// does a row without a route: adding a route means adding its line here.
//
// Callers: the public (no key), an expired key, a revoked key, and a key of each role —
// the hotline office of 宝山区 (office), the handling unit 友谊路街道 (unit), a supervisor, an auditor,
// an upstream platform (system) and an admin. "own" is a ticket in the office's jurisdiction led by the unit; "other" is one of
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
	{"POST /v1/tickets", intakeAt, "anon=401 *=403 office=201,403 system=201"},
	{"GET /v1/tickets", get("/v1/tickets"), "anon=401 *=200 admin=403"},
	{"GET /v1/tickets/:id", get("/v1/tickets/{ticket}"), "anon=401 *=200 office=200,404 unit=200,404 admin=403"},
	{"POST /v1/tickets/:id/actions", staleAction, "anon=401 *=403 office=412,404 unit=412,404 supervisor=412 system=412"},
	{"GET /v1/tickets/:id/forms/:form", get("/v1/tickets/{ticket}/forms/registration"), "anon=401 *=200 office=200,404 unit=200,404 admin=403"},
	{"POST /v1/tickets/:id/reveal", post("/v1/tickets/{ticket}/reveal", `{"field":"phone","reason":"回访联系市民"}`),
		"anon=401 *=403 office=200,404 unit=200,404"},
	{"POST /v1/tickets/:id/dispatch", staleDispatch, "anon=401 *=403 office=412,404 system=412"},
	{"POST /v1/routing/preview", post("/v1/routing/preview", `{"place":"310113003","matters":["07"]}`), "anon=401 *=200"},

	// Reviews (好差评), appeals, objections, reconsiderations and assessment. "own" is unit-a's review,
	// case or ticket in 宝山区; "other" unit-b's in 浦东新区. Case actions carry a stale If-Match.
	{"POST /v1/reviews", goodReview, "anon=401 *=403 office=201 system=201"},
	{"GET /v1/reviews", get("/v1/reviews?unit=unit-a&period=2026-11"), "anon=401 *=200 admin=403"},
	{"GET /v1/reviews/:id", get("/v1/reviews/{review}"), "anon=401 *=200 unit=200,404 admin=403"},
	{"POST /v1/reviews/:id/void", post("/v1/reviews/R-none/void", `{"reason":"误评"}`), "anon=401 *=403 office=404 supervisor=404 system=404"},
	{"POST /v1/appeals", appealOn, "anon=401 *=403 office=403,404 unit=201,404"},
	{"POST /v1/objections", objectionOn, "anon=401 *=403 office=403,404 unit=201,404"},
	{"POST /v1/reconsiderations", reconsiderationOn, "anon=401 *=403 office=201,404 unit=403,404 system=201"},
	// Cases: a handling unit sees its own (and its subordinates'); every other role but the admin sees
	// every case, an office those of other districts too (store.caseVisible).
	{"GET /v1/cases/:id", get("/v1/cases/{case}"), "anon=401 *=200 unit=200,404 admin=404"},
	{"POST /v1/cases/:id/actions", staleCaseAction, "anon=401 *=412 unit=412,404 auditor=403 admin=403"},
	{"GET /v1/assessment/schemes", get("/v1/assessment/schemes"), "anon=401 *=200"},
	{"GET /v1/assessment/results", get("/v1/assessment/results?scheme=street-hotline&period=2026-11"), "anon=401 *=200 admin=403"},
	{"GET /v1/assessment/proofs/:unit", get("/v1/assessment/proofs/{unit}?scheme=street-hotline&period=2026-11"),
		"anon=401 *=200 unit=200,403 admin=403"},
	{"POST /v1/assessment/verify", verifyResult, "anon=401 *=200"},

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

	// Ledgers, reports, rankings and windows (issue 13): scoped like the tickets; admins read no
	// tickets or reviews. A ranking is published by offices, supervisors and the system.
	{"GET /v1/ledgers/tickets", get("/v1/ledgers/tickets?month=2026-11&format=csv"), "anon=401 *=200 admin=403"},
	{"GET /v1/ledgers/window-cases", get("/v1/ledgers/window-cases?month=2026-11"), "anon=401 *=200 admin=403"},
	{"GET /v1/reports/monthly", get("/v1/reports/monthly?month=2026-11"), "anon=401 *=200 admin=403"},
	{"POST /v1/rankings", post("/v1/rankings", `{"month":"2026-11","scheme":"shanghai-reviews"}`),
		"anon=401 *=403 office=201 supervisor=201 system=201"},
	{"GET /v1/windows", get("/v1/windows"), "anon=401 *=200"},
	{"GET /v1/windows/sheet", withWindow(get("/v1/windows/sheet?hall=%E5%AE%9D%E5%B1%B1%E5%8C%BA%E8%A1%8C%E6%94%BF%E6%9C%8D%E5%8A%A1%E4%B8%AD%E5%BF%83")), "anon=401 *=200"},
	{"PUT /v1/windows/:id", send(http.MethodPut, "/v1/windows/m-01", "application/json",
		`{"unit":"unit-a","hall":"宝山区行政服务中心","name":"1号窗口"}`), "anon=401 *=403 office=200 admin=200"},
	{"GET /v1/windows/:id/qr.png", withWindow(get("/v1/windows/m-01/qr.png?size=128")), "anon=401 *=200"},
	{"GET /v1/windows/:id/qr.svg", withWindow(get("/v1/windows/m-01/qr.svg")), "anon=401 *=200"},

	// Public disclosure: anyone, with a key or without. (The windows' rating form is a page: pages_test.go.)
	{"GET /public/v1/reviews", get("/public/v1/reviews"), "*=200"},
	{"GET /public/v1/ratings", get("/public/v1/ratings"), "*=200"},
	{"GET /public/v1/rankings", get("/public/v1/rankings"), "*=200"},
	{"GET /public/v1/rankings/:id", published("/public/v1/rankings/{ranking}"), "*=200"},
	{"GET /public/v1/rankings/:id/input", published("/public/v1/rankings/{ranking}/input"), "*=200"},
	{"GET /public/rankings/:id", published("/public/rankings/{ranking}"), "*=200"},
}

// withWindow makes sure window m-01 of unit-a exists before the request.
func withWindow(req func(*matrix, bool) *http.Request) func(*matrix, bool) *http.Request {
	return func(m *matrix, own bool) *http.Request {
		require.NoError(m.t, m.f.store.PutWindow(context.Background(), matrixAdmin, store.Window{ID: "m-01", Unit: "unit-a",
			Hall: "宝山区行政服务中心", Name: "1号窗口"}, fixedNow))
		return req(m, own)
	}
}

// published publishes a (empty) ranking through the store and asks for it at path.
func published(path string) func(*matrix, bool) *http.Request {
	return func(m *matrix, own bool) *http.Request {
		period, err := assess.Month(2026, time.November)
		require.NoError(m.t, err)
		res, err := assess.Score(assess.Input{}, assess.ShanghaiReviews(), assess.Query{Period: period, AsOf: fixedNow})
		require.NoError(m.t, err)
		pub, err := m.f.store.PublishRanking(context.Background(), store.Principal{Actor: "gateway", Unit: "sh12345", Role: store.RoleSystem},
			"矩阵", "", assess.ShanghaiReviews(), assess.Input{}, res, fixedNow)
		require.NoError(m.t, err)
		return get(strings.ReplaceAll(path, "{ranking}", pub.ID))(m, own)
	}
}

type matrixRow struct {
	route string // "METHOD path" as echo registers it
	req   func(m *matrix, own bool) *http.Request
	want  string
}

// matrixCallers in the order the failures are reported.
var matrixCallers = []string{"public", "expired", "revoked", "office", "unit", "supervisor", "auditor", "system", "admin"}

// matrix is the fixture the rows' requests are built from.
type matrix struct {
	t     *testing.T
	f     fixture
	keys  map[string]string // caller → Authorization header value
	own   string            // a ticket of 宝山区 led by unit-a
	other string            // a ticket of 浦东新区 led by unit-b
	n     int               // numbers the records rows create, so each is new

	// own and other: the targets of the case rows.
	review, case_, appealTicket, appealReview, objectionTicket, reconsiderTicket [2]string
	verify                                                                       string // a published result and its input
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
	m.n++
	body := strings.Replace(strings.Replace(intakeBody, "310113001", place, 1), "13812345678", fmt.Sprintf("137%08d", m.n), 1)
	return post("/v1/tickets", body)(m, own)
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
	id, i, unit := m.own, 0, "unit-a"
	if !own {
		id, i, unit = m.other, 1, "unit-b"
	}
	return strings.NewReplacer("{ticket}", id, "{review}", m.review[i], "{case}", m.case_[i], "{unit}", unit).Replace(p)
}

func which(own bool) int {
	if own {
		return 0
	}
	return 1
}

// staleDispatch routes the ticket again with an If-Match that is not its version.
func staleDispatch(m *matrix, own bool) *http.Request {
	req := post("/v1/tickets/{ticket}/dispatch", `{}`)(m, own)
	req.Header.Set("If-Match", `"99"`)
	return req
}

// goodReview posts a new satisfied review of unit-a (no ticket).
func goodReview(m *matrix, own bool) *http.Request {
	m.n++
	return post("/v1/reviews", reviewJSON(fmt.Sprintf("R-m%d", m.n), "unit-a", "satisfied", "", ""))(m, own)
}

// appealOn appeals the bad review of unit-a's ticket (own) or of unit-b's (other).
func appealOn(m *matrix, own bool) *http.Request {
	i := which(own)
	return post("/v1/appeals", appealJSON(m.appealTicket[i], m.appealReview[i]))(m, own)
}

// objectionOn objects to the dispatch of unit-a's ticket (own) or unit-b's (other) (000 §7 (二)).
func objectionOn(m *matrix, own bool) *http.Request {
	return post("/v1/objections", fmt.Sprintf(`{"ticket_id":%q,"basis":"not_level","basis_text":"属区级事权","suggested_unit":"unit-b",`+
		`"reviewer":{"unit":"dcj","level":"district"}}`, m.objectionTicket[which(own)]))(m, own)
}

// reconsiderationOn asks for the reconsideration (复查复核) of a ticket (002 §6 (二) 3).
func reconsiderationOn(m *matrix, own bool) *http.Request {
	return post("/v1/reconsiderations", fmt.Sprintf(`{"ticket_id":%q,"reason":"未解决"}`, m.reconsiderTicket[which(own)]))(m, own)
}

func staleCaseAction(m *matrix, own bool) *http.Request {
	req := post("/v1/cases/{case}/actions", `{"action":"reject","reason":"x"}`)(m, own)
	req.Header.Set("If-Match", `"99"`)
	return req
}

func verifyResult(m *matrix, own bool) *http.Request {
	return post("/v1/assessment/verify", m.verify)(m, own)
}

// reviewJSON is a review of unit an hour before the matrix's now; a bad one carries the ticket it
// opens, placed at place, from a caller with phone (each its own, so that none repeats another).
func reviewJSON(id, unit, rating, phone, place string) string {
	r := fmt.Sprintf(`{"id":%q,"rating":%q,"unit":%q,"channel":"phone","rater":"h-%s","at":%q}`, id, rating, unit, id,
		fixedNow.Add(-time.Hour).Format(time.RFC3339))
	if phone == "" {
		return `{"review":` + r + `}`
	}
	return `{"review":` + r + `,"ticket":{"content":"窗口办事态度差","citizen":{"name":"王五","phone":"` + phone + `"},` +
		`"place":{"region_code":"` + place + `"}}}`
}

// reviewTicket posts a bad review of unit through office's key and hands its ticket to unit (dispatch,
// first contact): the unit may then appeal the review (000 §6 (二)).
func (m *matrix) reviewTicket(office, unit, id, phone, place string) string {
	rec := m.f.send(http.MethodPost, "/v1/reviews", reviewJSON(id, unit, "dissatisfied", phone, place), "Authorization", m.keys[office])
	require.Equal(m.t, http.StatusCreated, rec.Code, rec.Body.String())
	var res server.ReviewResponse
	require.NoError(m.t, json.Unmarshal(rec.Body.Bytes(), &res))
	require.NotNil(m.t, res.Ticket)
	m.handOver(office, unit, res.Ticket.ID, res.Ticket.Version)
	return res.Ticket.ID
}

// handOver dispatches ticket id at version to unit and has the unit make first contact.
func (m *matrix) handOver(office, unit, id string, version int64) {
	for _, step := range []struct{ key, body string }{
		{office, `{"action":"dispatch","payload":{"dispatch":{"lead":"` + unit + `","dispatch_mode":"statutory"}}}`},
		{unit, `{"action":"first_contact"}`},
	} {
		rec := m.f.send(http.MethodPost, "/v1/tickets/"+id+"/actions", step.body, "Authorization", m.keys[step.key],
			"If-Match", fmt.Sprintf(`"%d"`, version))
		require.Equal(m.t, http.StatusOK, rec.Code, rec.Body.String())
		var res server.ActionResponse
		require.NoError(m.t, json.Unmarshal(rec.Body.Bytes(), &res))
		version = res.Version
	}
}

// appeal files unit's appeal of review on ticket and returns the case.
func (m *matrix) appeal(unit, ticketID, review string) string {
	rec := m.f.send(http.MethodPost, "/v1/appeals", appealJSON(ticketID, review), "Authorization", m.keys[unit])
	require.Equal(m.t, http.StatusCreated, rec.Code, rec.Body.String())
	var c server.CaseResponse
	require.NoError(m.t, json.Unmarshal(rec.Body.Bytes(), &c))
	return c.ID
}

var matrixAdmin = store.Principal{Actor: "admin-1", Unit: "city", Role: store.RoleAdmin}

func newMatrix(t *testing.T) *matrix {
	f := newServer(t, server.WithRateLimits(server.RateLimits{}), server.WithoutPages()) // the pages have their matrix in pages_test.go
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
		"system": {"sh12345", store.RoleSystem}, "unit-b": {"unit-b", store.RoleHandlingUnit},
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

	m.keys["unit-a"] = m.keys["unit"]
	m.own = m.ticket("office", "310113003", "unit-a", "13800000001")
	m.other = m.ticket("office-pd", "310115001", "unit-b", "13800000002")
	m.objectionTicket = [2]string{m.ticket("office", "310113003", "unit-a", "13800000003"), m.other}
	m.reconsiderTicket = [2]string{m.ticket("office", "310113003", "unit-a", "13800000004"),
		m.ticket("office-pd", "310115001", "unit-b", "13800000005")}

	for i, r := range []struct{ office, unit, place string }{{"office", "unit-a", "310113003"}, {"office-pd", "unit-b", "310115001"}} {
		m.review[i] = fmt.Sprintf("R-good-%d", i)
		rec := m.f.send(http.MethodPost, "/v1/reviews", reviewJSON(m.review[i], r.unit, "satisfied", "", ""), "Authorization", m.keys[r.office])
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		caseReview := fmt.Sprintf("R-case-%d", i)
		ticketID := m.reviewTicket(r.office, r.unit, caseReview, fmt.Sprintf("1390000001%d", i), r.place)
		m.case_[i] = m.appeal(r.unit, ticketID, caseReview)
		m.appealReview[i] = fmt.Sprintf("R-appeal-%d", i)
		m.appealTicket[i] = m.reviewTicket(r.office, r.unit, m.appealReview[i], fmt.Sprintf("1390000002%d", i), r.place)
	}

	rec := m.f.get("/v1/assessment/results?scheme=street-hotline&period=2026-11&input=true", "Authorization", m.keys["auditor"])
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var published server.AssessmentResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &published))
	res, err := json.Marshal(published.Result)
	require.NoError(t, err)
	in, err := json.Marshal(published.Input)
	require.NoError(t, err)
	m.verify = fmt.Sprintf(`{"scheme":"street-hotline","result":%s,"input":%s}`, res, in)
	return m
}

// ticket accepts a ticket received half an hour before now (so that the month's assessment counts
// it) from the caller with phone, with office's key at place, and dispatches it to lead.
func (m *matrix) ticket(office, place, lead, phone string) string {
	body := strings.Replace(strings.Replace(intakeBody, "310113001", place, 1), "13812345678", phone, 1)
	body = strings.Replace(body, `{"channel":"phone",`, `{"channel":"phone","received":"`+fixedNow.Add(-30*time.Minute).Format(time.RFC3339)+`",`, 1)
	rec := m.f.send(http.MethodPost, "/v1/tickets", body, "Authorization", m.keys[office])
	require.Equal(m.t, http.StatusCreated, rec.Code, rec.Body.String())
	var created server.IntakeResponse
	require.NoError(m.t, json.Unmarshal(rec.Body.Bytes(), &created))
	rec = m.f.send(http.MethodPost, "/v1/tickets/"+created.ID+"/actions",
		`{"action":"dispatch","payload":{"dispatch":{"lead":"`+lead+`","dispatch_mode":"statutory"}}}`,
		"Authorization", m.keys[office], "If-Match", fmt.Sprintf(`"%d"`, created.Version))
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
		scoped := strings.Contains(r.want, ",") // a row with an own,other status runs both
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
