package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequestBodies sends arbitrary bodies to every endpoint that takes one: no input may get a 500,
// and every refusal is a problem document.
func FuzzRequestBodies(f *testing.F) {
	for _, seed := range []string{
		intakeBody,
		`{"action":"dispatch","payload":{"dispatch":{"lead":"unit-a","dispatch_mode":"statutory"}}}`,
		`{"action":"reply","payload":{"reply":{}}}`,
		`{"channel":"phone","kind":"complaint","content":"x","received":"0001-01-01T00:00:00Z"}`,
		`{"channel":"phone","kind":"complaint","content":"x","received":"9999-12-31T23:59:59+14:00"}`,
		`{"channel":"phone","kind":"complaint","content":"x","citizen":{"phone":"１３８１２３４５６７８","id_number":"11010519491231002X"}}`,
		`{"channel":"phone","kind":"complaint","content":"x","matter":{"levels":[{},{},{},{}]}}`,
		`{"action":"callback","payload":{"callback":{"satisfaction":"very"}}}`,
		`{"action":"","payload":{}}`,
		`[]`, `null`, `""`, `{"a":` + strings.Repeat("[", 1000),
		"\xff\xfe{}",
	} {
		f.Add(seed)
	}
	srv := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/v1/tickets", "/v1/tickets/" + srv.id + "/actions"} {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", srv.key)
			req.Header.Set("If-Match", `"1"`)
			rec := httptest.NewRecorder()
			srv.h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s answered %d to %q: %s", path, rec.Code, body, rec.Body.String())
			}
			if rec.Code >= 400 {
				var p map[string]any
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p["code"] == nil {
					t.Fatalf("%s answered %d without a problem: %s", path, rec.Code, rec.Body.String())
				}
			}
		}
	})
}

type fuzzServer struct {
	h   http.Handler
	key string
	id  string
}

func newFuzzServer(f *testing.F) fuzzServer {
	fx := newServerTB(f)
	k := seedTicketsTB(f, fx.store)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/v1/tickets", strings.NewReader(intakeBody))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", k["office"])
	fx.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		f.Fatalf("intake: %d %s", rec.Code, rec.Body.String())
	}
	var created struct{ ID string }
	if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil {
		f.Fatal(err)
	}
	return fuzzServer{h: fx.h, key: k["office"], id: created.ID}
}
