package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

const (
	regionsCSV = "code,name,parent_code,level\n" +
		"310113,宝山区,3101,county\n" +
		"310113003,友谊路街道,310113,town\n" +
		"310113003001,宝钢一村居委会,310113003,village\n"
	catalogueJSON = `{"matters": [
  {"code": "04", "name": "市容环境", "kind": "sector_line", "line": "绿化市容"},
  {"code": "07", "name": "社区管理", "kind": "territorial"}]}`
	unitsCSV = "id,name,kind,parent,areas,matters,territorial,authority\n" +
		"bs-gov,宝山区人民政府,区政府,,310113,,true,\n" +
		"yy-gov,友谊路街道办事处,街镇,bs-gov,310113003,07,true,bs-gov\n" +
		"bs-lh,宝山区绿化市容局,职能部门,bs-gov,310113,04,,bs-gov\n"
)

// adminKeys issues an admin key and a supervisor's key (a reader of the directory).
func adminKeys(t *testing.T, st *store.Store) (admin, reader string) {
	t.Helper()
	ctx := context.Background()
	_, a, err := st.CreateCredential(ctx, matrixAdmin, "city", store.RoleAdmin, "admin", fixedNow)
	require.NoError(t, err)
	_, o, err := st.CreateCredential(ctx, matrixAdmin, "bs-hotline", store.RoleSupervisor, "reader", fixedNow)
	require.NoError(t, err)
	return "Bearer " + a, "Bearer " + o
}

// The directory over HTTP: import regions, catalogue and units in CSV and JSON, change one unit;
// each change is checked as a whole and the router is rebuilt from it (000 §4 (二) 属地 fallback).
func TestDirectoryAPI(t *testing.T) {
	storetest.EachDialect(t, directoryAPI)
}

func directoryAPI(t *testing.T, st *store.Store) {
	f := newServerOn(t, st)
	f.client = &client{t: t, h: f.h}
	admin, reader := adminKeys(t, st)
	put := func(t *testing.T, method, path, contentType, body, auth string) *http.Response {
		t.Helper()
		req := mustRequest(t, method, path)
		req.Body = readCloser{strings.NewReader(body)}
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", auth)
		return f.on(t).do(req).Result()
	}
	imported := func(t *testing.T, res *http.Response) int {
		t.Helper()
		require.Equal(t, http.StatusOK, res.StatusCode)
		var r server.ImportResult
		require.NoError(t, json.NewDecoder(res.Body).Decode(&r))
		return r.Imported
	}

	assert.Equal(t, 3, imported(t, put(t, http.MethodPut, "/v1/regions", "text/csv", regionsCSV, admin)))
	assert.Equal(t, 2, imported(t, put(t, http.MethodPut, "/v1/catalogue", "application/json", catalogueJSON, admin)))
	assert.Equal(t, 3, imported(t, put(t, http.MethodPost, "/v1/units/import", "text/csv; charset=utf-8", unitsCSV, admin)))

	t.Run("everyone authenticated reads the directory", func(t *testing.T) {
		var units server.UnitList
		rec := f.on(t).get("/v1/units", "Authorization", reader)
		require.Equal(t, http.StatusOK, rec.Code)
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &units))
		assert.Len(t, units.Items, 3)
		var regions server.RegionList
		rec = f.on(t).get("/v1/regions", "Authorization", reader)
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &regions))
		assert.Len(t, regions.Items, 3)
		rec = f.on(t).get("/v1/catalogue", "Authorization", reader)
		assert.Contains(t, rec.Body.String(), "社区管理")
		rec = f.on(t).get("/v1/units/yy-gov", "Authorization", reader)
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Contains(t, rec.Body.String(), `"territorial":true`)
		assert.Equal(t, http.StatusNotFound, f.on(t).get("/v1/units/nobody", "Authorization", reader).Code)
	})

	preview := func(t *testing.T) routing.Decision {
		rec := f.on(t).send(http.MethodPost, "/v1/routing/preview", `{"place":"310113003001","matters":["07"]}`, "Authorization", reader)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var d routing.Decision
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &d))
		return d
	}
	t.Run("the router is rebuilt from the import", func(t *testing.T) {
		assert.Equal(t, "yy-gov", preview(t).Lead, "the street is responsible for 07 at its area")
	})

	t.Run("one unit: created 201, changed 200, the router follows", func(t *testing.T) {
		body := `{"name":"宝钢一村居委会","kind":"居民区","parent":"yy-gov","areas":["310113003001"],"matters":["07"]}`
		res := put(t, http.MethodPut, "/v1/units/yy-bg1", "application/json", body, admin)
		require.Equal(t, http.StatusCreated, res.StatusCode)
		assert.Equal(t, "yy-bg1", preview(t).Lead, "the committee is nearer the place")
		res = put(t, http.MethodPut, "/v1/units/yy-bg1", "application/json", strings.Replace(body, `"matters":["07"]`, `"matters":["04"]`, 1), admin)
		require.Equal(t, http.StatusOK, res.StatusCode)
		assert.Equal(t, "yy-gov", preview(t).Lead)
	})

	t.Run("refusals say why and change nothing", func(t *testing.T) {
		tests := []struct {
			name, method, path, contentType, body, code, detail string
			status                                              int
		}{
			{"a unit outside the regions", http.MethodPost, "/v1/units/import", "application/json",
				`{"units":[{"id":"pd-gov","name":"浦东新区人民政府","kind":"district_government","areas":["310115"]}]}`,
				"invalid_directory", "310115", http.StatusUnprocessableEntity},
			{"a CSV row with a bad kind", http.MethodPost, "/v1/units/import", "text/csv",
				"id,name,kind\nx,某单位,office\n", "invalid_directory", "kind", http.StatusUnprocessableEntity},
			{"a CSV without the required column", http.MethodPut, "/v1/catalogue", "text/csv",
				"code,kind\n07,territorial\n", "invalid_directory", "name", http.StatusUnprocessableEntity},
			{"regions that drop a unit's area", http.MethodPut, "/v1/regions", "application/json",
				`{"regions":[{"code":"310113","name":"宝山区","level":"county"}]}`, "invalid_directory", "310113003", http.StatusUnprocessableEntity},
			{"a matter a unit is responsible for dropped", http.MethodPut, "/v1/catalogue", "application/json",
				`{"matters":[{"code":"04","name":"市容环境","kind":"territorial"}]}`, "invalid_directory", "07", http.StatusUnprocessableEntity},
			{"JSON with an unknown key", http.MethodPut, "/v1/regions", "application/json",
				`{"regions":[],"colour":"red"}`, "invalid_directory", "colour", http.StatusUnprocessableEntity},
			{"another media type", http.MethodPut, "/v1/regions", "application/xml", `<regions/>`, "unsupported_media_type", "", http.StatusUnsupportedMediaType},
			{"a unit whose body names another", http.MethodPut, "/v1/units/yy-gov", "application/json",
				`{"id":"bs-gov","name":"x","kind":"street"}`, "invalid_argument", "", http.StatusBadRequest},
			{"a unit of its own parent", http.MethodPut, "/v1/units/loop", "application/json",
				`{"name":"x","kind":"street","parent":"loop"}`, "invalid_directory", "parent", http.StatusUnprocessableEntity},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req := mustRequest(t, tt.method, tt.path)
				req.Body = readCloser{strings.NewReader(tt.body)}
				req.Header.Set("Content-Type", tt.contentType)
				req.Header.Set("Authorization", admin)
				rec := f.on(t).do(req)
				require.Equal(t, tt.status, rec.Code, rec.Body.String())
				p := problemOf(t, rec.Body.Bytes())
				assert.Equal(t, tt.code, p.Code)
				assert.Contains(t, p.Detail+p.Field, tt.detail)
			})
		}
		assert.Equal(t, "yy-gov", preview(t).Lead, "the directory is unchanged")
		var units server.UnitList
		require.NoError(t, json.Unmarshal(f.on(t).get("/v1/units", "Authorization", reader).Body.Bytes(), &units))
		assert.Len(t, units.Items, 4)
	})
	t.Run("only the admin changes the directory", func(t *testing.T) {
		res := put(t, http.MethodPut, "/v1/regions", "text/csv", regionsCSV, reader)
		assert.Equal(t, http.StatusForbidden, res.StatusCode)
	})
	t.Run("every change is in the audit chain", func(t *testing.T) {
		assert.Len(t, auditRows(t, st, "regions.put"), 1)
		assert.Len(t, auditRows(t, st, "catalogue.put"), 1)
		assert.Len(t, auditRows(t, st, "units.import"), 1)
		assert.Len(t, auditRows(t, st, "unit.put"), 2)
		require.NoError(t, st.VerifyAudit(context.Background(), testAuditor))
	})
}

// Reveal over HTTP (000 第十条, 004 第十六条): one field, with a reason, audited without the value.
func TestRevealAPI(t *testing.T) {
	f := newServer(t)
	k := seedTickets(t, f.store)
	rec := f.send(http.MethodPost, "/v1/tickets", intakeBody, "Authorization", k["office"])
	require.Equal(t, http.StatusCreated, rec.Code)
	var created server.IntakeResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &created))
	path := "/v1/tickets/" + created.ID + "/reveal"

	rec = f.send(http.MethodPost, path, `{"field":"phone","reason":"回访联系市民"}`, "Authorization", k["office"])
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	var got server.RevealResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
	assert.Equal(t, server.RevealResponse{ID: created.ID, Field: "phone", Value: "13812345678"}, got)
	assert.NotContains(t, rec.Body.String(), "张三", "only the field asked for")

	rows := auditRows(t, f.store, "ticket.reveal")
	require.Len(t, rows, 1)
	assert.Contains(t, rows[0], "field=phone")
	assert.Contains(t, rows[0], "reason=回访联系市民")
	assert.Contains(t, rows[0], "role=hotline_office")
	assert.NotContains(t, rows[0], "13812345678")
	assert.NotContains(t, f.log.String(), "13812345678")

	for _, tt := range []struct {
		name, auth, body, field, code string
		status                        int
	}{
		{"no reason", k["office"], `{"field":"phone"}`, "reason", "invalid_argument", 400},
		{"no field", k["office"], `{"reason":"回访"}`, "field", "invalid_argument", 400},
		{"an unknown field", k["office"], `{"field":"enterprise","reason":"回访"}`, "", "invalid_argument", 400},
		{"a reason too long", k["office"], `{"field":"name","reason":"` + strings.Repeat("因", 201) + `"}`, "", "invalid_argument", 400},
		{"an unknown key", k["office"], `{"field":"name","reason":"回访","value":"x"}`, "value", "malformed_json", 400},
		{"a supervisor of a ticket not under supervision", k["super"], `{"field":"name","reason":"核实"}`, "", "forbidden", 403},
		{"a unit that does not handle it", k["unit-b"], `{"field":"name","reason":"核实"}`, "", "not_found", 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := f.on(t).send(http.MethodPost, path, tt.body, "Authorization", tt.auth)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			p := problemOf(t, rec.Body.Bytes())
			assert.Equal(t, tt.code, p.Code)
			assert.Equal(t, tt.field, p.Field)
		})
	}
	assert.Len(t, auditRows(t, f.store, "ticket.reveal"), 1, "refusals reveal nothing and chain nothing")
}
