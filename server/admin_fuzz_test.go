package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
)

// FuzzAdminBodies sends arbitrary bodies, as JSON and as CSV, to every endpoint of keys, the directory
// and the reveal: no input may get a 500, and every refusal is a problem document.
func FuzzAdminBodies(f *testing.F) {
	for _, seed := range []string{
		`{"unit":"unit-a","role":"handling_unit","label":"x","expires":"2027-01-01T00:00:00Z"}`,
		`{"unit":"unit-a","role":"system"}`,
		`{"name":"宝山区房管局","kind":"functional_department","areas":["310113"],"matters":["0701"]}`,
		`{"id":"other","name":"x","kind":"street"}`,
		`{"units":[{"id":"a","name":"甲","kind":"street","parent":"a"}]}`,
		`{"matters":[{"code":"07","name":"市容","kind":"territorial"}]}`,
		`{"regions":[{"code":"310113","name":"宝山区","level":"county"}]}`,
		`{"regions":[]}`,
		`{"field":"phone","reason":"回访联系市民"}`,
		`{"field":"phone","reason":"` + strings.Repeat("因", 300) + `"}`,
		"id,name,kind\nx,甲,street\n",
		"code,name,kind\n07,市容,territorial\n",
		"code,name,parent_code,level\n310113,宝山区,3101,county\n",
		"code,name,parent_code,level\n31,\"上\"海\",,province\n",
		"\x1f\x8b\x08\x00", `null`, `[]`, `{"a":` + strings.Repeat("[", 1000), "\xff\xfe",
	} {
		f.Add(seed)
	}
	fx := newServerTB(f, server.WithRateLimits(server.RateLimits{}))
	k := seedTicketsTB(f, fx.store)
	_, adminKey, err := fx.store.CreateCredential(context.Background(), matrixAdmin, "city", store.RoleAdmin, "fuzz", fixedNow)
	if err != nil {
		f.Fatal(err)
	}
	id := fuzzTicket(f, fx.h, k["office"])
	targets := []struct{ method, path, auth string }{
		{http.MethodPost, "/v1/admin/keys", "Bearer " + adminKey},
		{http.MethodPut, "/v1/units/fuzz-unit", "Bearer " + adminKey},
		{http.MethodPost, "/v1/units/import", "Bearer " + adminKey},
		{http.MethodPut, "/v1/catalogue", "Bearer " + adminKey},
		{http.MethodPut, "/v1/regions", "Bearer " + adminKey},
		{http.MethodPost, "/v1/tickets/" + id + "/reveal", k["office"]},
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, tg := range targets {
			for _, ct := range []string{"application/json", "text/csv"} {
				req := httptest.NewRequest(tg.method, tg.path, strings.NewReader(body))
				req.Header.Set("Content-Type", ct)
				req.Header.Set("Authorization", tg.auth)
				rec := httptest.NewRecorder()
				fx.h.ServeHTTP(rec, req)
				if rec.Code >= 500 {
					t.Fatalf("%s %s (%s) answered %d to %q: %s", tg.method, tg.path, ct, rec.Code, body, rec.Body.String())
				}
				if rec.Code >= 400 {
					var p map[string]any
					if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p["code"] == nil {
						t.Fatalf("%s %s answered %d without a problem: %s", tg.method, tg.path, rec.Code, rec.Body.String())
					}
				}
			}
		}
	})
}

func fuzzTicket(f *testing.F, h http.Handler, key string) string {
	req := httptest.NewRequest(http.MethodPost, "/v1/tickets", strings.NewReader(intakeBody))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", key)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		f.Fatalf("intake: %d %s", rec.Code, rec.Body.String())
	}
	var created struct{ ID string }
	if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil {
		f.Fatal(err)
	}
	return created.ID
}
