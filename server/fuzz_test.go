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
		// The intake loop, the lifecycle actions' payloads and POST /v1/tickets/:id/dispatch.
		`{"channel":"state_council","kind":"complaint","content":"x","upstream":"GOV-1","place":{"region_code":"310113"}}`,
		`{"channel":"window_offline","kind":"errand","content":"民事诉讼判决书强制执行","citizen":{"phone":"13812345678"}}`,
		`{"channel":"bad_review","kind":"review","content":"差评","citizen":{"phone":"13812345678"}}`,
		`{"channel":"phone","kind":"complaint","content":"噪声扰民","citizen":{"phone":"13812345678"},"place":{"region_code":"310113003001"},"matter":{"levels":[{"code":"05"},{"code":"0502"},{"code":"050201"}]}}`,
		`{"channel":"phone","kind":"complaint","content":"x","matter":{"levels":[{"code":"05"},{"code":"0301"}]}}`,
		`{"action":"designate","on_behalf_of":{"actor":"分管领导","role":"leader"},"payload":{"dispatch":{"lead":"unit-a","dispatch_mode":"designated"}}}`,
		`{"action":"approve_extension","on_behalf_of":{"actor":"市热线办","role":"upper_office"},"payload":{"approval":{"approver":"市热线办"}}}`,
		`{"action":"dispatch","on_behalf_of":{"actor":"","role":"hotline_office"}}`,
		`{"action":"return","payload":{"return":{"suggested_unit":"unit-b","basis":"非本单位职责"}}}`,
		`{"action":"request_extension","payload":{"extension":{"days":-1,"explanation":"x"}}}`,
		`{"action":"request_extension","payload":{"extension":{"days":99999999999,"explanation":"x"}}}`,
		`{"action":"close_stored","reason":"x","payload":{"closure":{"approver":"区热线办","stored":true,"at":"2026-01-01T00:00:00Z"}}}`,
		`{"action":"close_unfounded","payload":{"appeal_review":{"review":"R","reviewer":"x","level":"street"}}}`,
		`{"action":"mark_repeat","payload":{"repeat":{"of":"not-a-number"}}}`,
		`{"action":"answer","payload":{"reply":{"report":"x","summary":"y","outcome":"settled"}}}`,
		`{"upheld":["unit-a"],"complexity":"complex","mode":"joint"}`,
		`{"designation":{"lead":"unit-b","by":"分管领导","co_handling":["unit-b"]}}`,
		`{"designation":{"lead":"","by":""},"upheld":[""]}`,
		`{"mode":"immediate"}`,
		`[]`, `null`, `""`, `{"a":` + strings.Repeat("[", 1000),
		"\xff\xfe{}",
	} {
		f.Add(seed)
	}
	srv := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/v1/tickets", "/v1/tickets/" + srv.id + "/actions", "/v1/tickets/" + srv.id + "/dispatch"} {
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

// FuzzCaseBodies sends arbitrary bodies to the review, appeal, objection, reconsideration, case-action
// and verify endpoints, each as a caller allowed to use it: no input may get a 500, and every refusal
// is a problem document.
func FuzzCaseBodies(f *testing.F) {
	for _, seed := range []string{
		`{"review":{"id":"R9","rating":"very_dissatisfied","unit":"unit-a","channel":"kiosk","at":"2026-11-29T09:00:00+08:00"},"ticket":{"content":"x","place":{"region_code":"310113001"}}}`,
		`{"review":{"id":"R9","rating":"satisfied","unit":"unit-a","dimensions":{"service_attitude":"dissatisfied"},"at":"2026-11-29T09:00:00+08:00"}}`,
		`{"review":{"id":"","rating":"dissatisfied","unit":"","at":"0001-01-01T00:00:00Z"},"ticket":{"kind":"complaint","number":"x"}}`,
		`{"review":{"id":"R9","rating":"dissatisfied","unit":"unit-a","at":"9999-12-31T23:59:59+14:00"},"ticket":{"citizen":{"phone":"１３８"}}}`,
		`{"reason":"误评"}`, `{"reason":""}`,
		`{"ticket_id":"T","review_id":"R-f","ground":"malicious","defence":"d","evidence":["e"],"reviewer":{"unit":"dcj","level":"district"}}`,
		`{"ticket_id":"T","review_id":"R-f","staff":"E1","ground":"untrue","defence":"d","evidence":[""],"reviewer":{"unit":"unit-a","level":"city"}}`,
		`{"ticket_id":"T","basis":"not_level","basis_text":"b","suggested_unit":"unit-b","reviewer":{"unit":"dcj","level":"district"}}`,
		`{"ticket_id":"T","reason":"r","citizen":"C","replied_at":"2026-01-01T00:00:00Z","reviewer":{"unit":"dcj","level":"city"}}`,
		`{"action":"uphold","reason":"r"}`, `{"action":"object","basis":"not_system","reason":"r","staff":"E","citizen":"C"}`,
		`{"action":"lapse"}`, `{"action":"file"}`,
		`{"scheme":"shanghai-reviews","result":{"period":{"kind":"month","start":"2026-11-01T00:00:00+08:00","end":"2026-12-01T00:00:00+08:00","label":"2026-11"},"as_of":"2026-11-30T00:00:00Z","algorithm":"sm3"}}`,
		`{"scheme":{"name":"x"},"result":{},"input":{"cases":[{"id":"C","unit":"u","received_at":"2026-11-02T00:00:00Z","reply_due":"2020-01-01T00:00:00Z"}]}}`,
		`{"scheme":"hebi","result":{"algorithm":"md5"},"proof":{"algorithm":"sm3","root":"00","tree_size":-1,"unit":"u","cases":[{"index":99,"case":{},"path":[]}]}}`,
		`{"scheme":"hebi","result":{"period":{"kind":"year","start":"2026-11-01T00:00:00Z","end":"2026-10-01T00:00:00Z","label":"x"}},"input":{"volumes":[{"unit":"u","count":-1}]}}`,
		`[]`, `null`, `""`, `{"a":` + strings.Repeat("[", 1000), "\xff\xfe{}",
	} {
		f.Add(seed)
	}
	srv := newCaseFuzzServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		body = strings.ReplaceAll(body, `"T"`, `"`+srv.ticket+`"`)
		for _, ep := range []struct{ path, key string }{
			{"/v1/reviews", srv.keys["system"]}, {"/v1/reviews/R-f/void", srv.keys["super"]},
			{"/v1/appeals", srv.keys["unit-a"]}, {"/v1/objections", srv.keys["unit-a"]},
			{"/v1/reconsiderations", srv.keys["system"]}, {"/v1/cases/" + srv.caseID + "/actions", srv.keys["super"]},
			{"/v1/assessment/verify", srv.keys["auditor"]},
		} {
			req := httptest.NewRequest(http.MethodPost, ep.path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", ep.key)
			req.Header.Set("If-Match", `"1"`)
			rec := httptest.NewRecorder()
			srv.h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s answered %d to %q: %s", ep.path, rec.Code, body, rec.Body.String())
			}
			if rec.Code >= 400 {
				var p map[string]any
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p["code"] == nil {
					t.Fatalf("%s answered %d without a problem: %s", ep.path, rec.Code, rec.Body.String())
				}
			}
		}
	})
}

type caseFuzzServer struct {
	h              http.Handler
	keys           keys
	ticket, caseID string
}

// newCaseFuzzServer stores a bad review whose ticket unit-a handles, and an appeal on it.
func newCaseFuzzServer(f *testing.F) caseFuzzServer {
	fx := newServerTB(f)
	k := seedCases(f, fx.store)
	do := func(method, path, key, body string, header ...string) []byte {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", key)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		fx.h.ServeHTTP(rec, req)
		if rec.Code >= 300 {
			f.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body.String())
		}
		return rec.Body.Bytes()
	}
	var rv struct{ Ticket struct{ ID string } }
	if err := json.Unmarshal(do(http.MethodPost, "/v1/reviews", k["office"], reviewBody("R-f", "unit-a", "dissatisfied", fixedNow.AddDate(0, 0, -1))), &rv); err != nil {
		f.Fatal(err)
	}
	id := rv.Ticket.ID
	do(http.MethodPost, "/v1/tickets/"+id+"/actions", k["office"], `{"action":"dispatch","payload":{"dispatch":{"lead":"unit-a","dispatch_mode":"statutory"}}}`, "If-Match", `"1"`)
	do(http.MethodPost, "/v1/tickets/"+id+"/actions", k["unit-a"], `{"action":"first_contact"}`, "If-Match", `"2"`)
	var c struct{ ID string }
	if err := json.Unmarshal(do(http.MethodPost, "/v1/appeals", k["unit-a"], appealJSON(id, "R-f")), &c); err != nil {
		f.Fatal(err)
	}
	return caseFuzzServer{h: fx.h, keys: k, ticket: id, caseID: c.ID}
}
