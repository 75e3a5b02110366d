package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/screen"
)

// The scenario harness: the real echo router (server.New) over a store of each dialect, a clock the
// test moves, the directory of 宝山区友谊路街道 and an API key per principal. Every response is checked
// against openapi.yaml by the client.

// when reads "2006-01-02 15:04" in Asia/Shanghai.
func when(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, deadline.Location())
	if err != nil {
		panic(err)
	}
	return t
}

// monday is Monday 2026-11-23 09:00: the weeks after it have no holiday.
var monday = when("2026-11-23 09:00")

type scene struct {
	*client
	st   *store.Store
	keys keys
	mu   sync.Mutex
	now  time.Time
}

func (s *scene) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

// at moves the clock to "2006-01-02 15:04".
func (s *scene) at(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = when(v)
}

// machineOptions returns the store options with the lifecycle under deadlines and rules.
func machineOptions(t *testing.T, deadlines deadline.Policy, rules ticket.Policy) store.Options {
	t.Helper()
	m, err := ticket.NewMachine(deadline.China(), deadlines, rules)
	require.NoError(t, err)
	o := storetest.DefaultOptions()
	o.Machine = m
	return o
}

// newScene builds the server over st with the directory stored (withDirectory) or only the units.
func newScene(t *testing.T, st *store.Store, withDirectory bool, edit ...func(*server.Deps)) *scene {
	t.Helper()
	sc := &scene{st: st, now: monday}
	deps := server.Deps{Store: st, Calendar: deadline.China(), Now: sc.clock,
		Logger: slog.New(slog.NewJSONHandler(&syncBuffer{}, nil))}
	for _, e := range edit {
		e(&deps)
	}
	h, err := server.New(deps)
	require.NoError(t, err)
	sc.client = &client{t: t, h: h}
	sc.keys = seedDirectory(t, st, withDirectory)
	return sc
}

// seedDirectory stores the slice of 宝山区 the scenarios route in — 友谊路街道, one residents'
// committee, a three-level catalogue and the units that answer for it — and issues keys: the district
// hotline office over 310113, the street's units, a supervisor and the upstream gateway (system).
func seedDirectory(t *testing.T, st *store.Store, withDirectory bool) keys {
	t.Helper()
	ctx := context.Background()
	admin := store.Principal{Actor: "admin-1", Unit: "city", Role: store.RoleAdmin}
	if withDirectory {
		require.NoError(t, st.PutRegions(ctx, admin, []routing.Region{
			{Code: "310113", Name: "宝山区", Level: routing.LevelCounty},
			{Code: "310113003", Name: "友谊路街道", Parent: "310113", Level: routing.LevelTown},
			{Code: "310113003001", Name: "宝钢一村居委会", Parent: "310113003", Level: routing.LevelVillage},
		}, monday))
		require.NoError(t, st.PutCatalogue(ctx, admin, []routing.Matter{
			{Code: "03", Name: "市容环境", Kind: routing.MatterSectorLine, Line: "绿化市容"},
			{Code: "05", Name: "城市管理", Kind: routing.MatterSectorLine, Line: "城管执法"},
			{Code: "0502", Name: "施工管理"},
			{Code: "050201", Name: "夜间施工噪声"},
			{Code: "07", Name: "社区治理", Kind: routing.MatterTerritorial},
		}, monday))
	}
	return storetest.Seed(t, st, monday, []routing.Unit{
		{ID: "office-bs", Name: "宝山区热线办", Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"310113"}},
		{ID: "bs-gov", Name: "宝山区人民政府", Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"310113"}, Territorial: true},
		{ID: "yy-gov", Name: "友谊路街道办事处", Kind: routing.UnitStreet, Parent: "bs-gov",
			Areas: []routing.RegionCode{"310113003"}, Matters: []routing.MatterCode{"07"}, Territorial: true, Authority: "bs-gov"},
		{ID: "yy-cyzx", Name: "友谊路街道城运中心", Kind: routing.UnitFunctionalDepartment, Parent: "yy-gov", Line: "城管执法",
			Areas: []routing.RegionCode{"310113003"}, Matters: []routing.MatterCode{"0502"}, Authority: "yy-gov"},
		{ID: "yy-sqglb", Name: "友谊路街道社区管理办", Kind: routing.UnitFunctionalDepartment, Parent: "yy-gov",
			Areas: []routing.RegionCode{"310113003"}, Matters: []routing.MatterCode{"07"}, Authority: "yy-gov"},
	}, map[string]storetest.Key{
		"office":   {Unit: "office-bs", Role: store.RoleHotlineOffice},
		"yy-cyzx":  {Unit: "yy-cyzx", Role: store.RoleHandlingUnit},
		"yy-sqglb": {Unit: "yy-sqglb", Role: store.RoleHandlingUnit},
		"yy-gov":   {Unit: "yy-gov", Role: store.RoleHandlingUnit},
		"super":    {Unit: "dcj", Role: store.RoleSupervisor},
		"gateway":  {Unit: "sh12345", Role: store.RoleSystem},
	})
}

// noiseItem is a complaint about night-time construction noise at 宝钢一村, by caller phone.
func noiseItem(phone string, extra map[string]any) string {
	m := map[string]any{
		"channel": "phone", "kind": "complaint", "title": "工地夜间施工噪声",
		"content": "宝钢一村旁工地连续多晚施工到凌晨，噪声扰民，请尽快处理。",
		"citizen": map[string]any{"name": "张三", "phone": phone, "address": "宝钢一村1号"},
		"place":   map[string]any{"region_code": "310113003001", "address": "宝钢一村"},
		"matter": map[string]any{"levels": []map[string]string{
			{"code": "05", "label": "城市管理"}, {"code": "0502", "label": "施工管理"}, {"code": "050201", "label": "夜间施工噪声"}}},
	}
	for k, v := range extra {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// intake sends an item as who and decodes the answer; want is the status expected.
func (s *scene) intake(t *testing.T, who, body string, want int, header ...string) (server.IntakeResponse, *httptest.ResponseRecorder) {
	t.Helper()
	rec := s.on(t).send(http.MethodPost, "/v1/tickets", body, append([]string{"Authorization", s.keys[who]}, header...)...)
	require.Equal(t, want, rec.Code, rec.Body.String())
	var ans server.IntakeResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &ans))
	return ans, rec
}

// ticket reads ticket id as who.
func (s *scene) ticket(t *testing.T, who, id string) server.TicketResponse {
	t.Helper()
	rec := s.on(t).get("/v1/tickets/"+id, "Authorization", s.keys[who])
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var v server.TicketResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &v))
	return v
}

// version is the ticket's current version, read by the office.
func (s *scene) version(t *testing.T, id string) int64 {
	t.Helper()
	return s.ticket(t, "office", id).Version
}

// act applies action body to ticket id as who at the ticket's current version.
func (s *scene) act(t *testing.T, who, id, body string) *httptest.ResponseRecorder {
	t.Helper()
	return s.on(t).send(http.MethodPost, "/v1/tickets/"+id+"/actions", body,
		"Authorization", s.keys[who], "If-Match", fmt.Sprintf(`"%d"`, s.version(t, id)))
}

// must applies action body as who and requires it to succeed.
func (s *scene) must(t *testing.T, who, id, body string) server.ActionResponse {
	t.Helper()
	rec := s.act(t, who, id, body)
	require.Equal(t, http.StatusOK, rec.Code, "%s: %s", body, rec.Body.String())
	var r server.ActionResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
	return r
}

// dispatch routes and dispatches ticket id as the office.
func (s *scene) dispatch(t *testing.T, id, body string) server.DispatchResponse {
	t.Helper()
	rec := s.on(t).send(http.MethodPost, "/v1/tickets/"+id+"/dispatch", body,
		"Authorization", s.keys["office"], "If-Match", fmt.Sprintf(`"%d"`, s.version(t, id)))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var r server.DispatchResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
	return r
}

// clock returns the named clock of v.
func clockOf(t *testing.T, v server.TicketResponse, stage string) ticket.ClockStatus {
	t.Helper()
	for _, c := range v.Clocks {
		if c.Stage == stage {
			return c
		}
	}
	require.Failf(t, "no clock", "ticket has no %s clock: %+v", stage, v.Clocks)
	return ticket.ClockStatus{}
}

func problemCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	return problemOf(t, rec.Body.Bytes()).Code
}

const (
	callbackSatisfied    = `{"action":"callback","payload":{"callback":{"contacted":true,"resolved":true,"result":"satisfied","efficiency":"satisfied","attitude":"satisfied"}}}`
	callbackDissatisfied = `{"action":"callback","payload":{"callback":{"contacted":true,"resolved":false,"result":"dissatisfied","efficiency":"fairly_satisfied","attitude":"satisfied"}}}`
	firstContact         = `{"action":"first_contact"}`
	closeAction          = `{"action":"close"}`
)

func replyBody(reviewedBy string) string {
	r := map[string]any{"report": "已约谈施工单位，责令夜间22点后停止施工。", "summary": "已责令夜间停工", "outcome": "resolved"}
	if reviewedBy != "" {
		r["reviewed_by"] = reviewedBy
	}
	b, _ := json.Marshal(map[string]any{"action": "reply", "payload": map[string]any{"reply": r}})
	return string(b)
}

type routingStep = routing.Step

func screenElement(s string) screen.Element { return screen.Element(s) }
