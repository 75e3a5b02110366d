package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var requestIDLine = regexp.MustCompile(`请求编号：[0-9a-f]+`)

// FuzzRatingForm posts arbitrary form bodies to a window's rating form (the one window-rating
// handler, pages_rate.go): no input gets a 500, every answer is a page, and the form never echoes a
// mobile or ID number it was sent.
func FuzzRatingForm(f *testing.F) {
	for _, seed := range []string{
		"rating=satisfied",
		"rating=very_dissatisfied&text=" + url.QueryEscape("电话13812345678"),
		"rating=非常满意&staff=0301&dim_attitude=meh",
		"rating=satisfied&rating=dissatisfied&staff=0301",
		"%zz", "", "text=" + strings.Repeat("长", 600), "staff=;rating=satisfied",
	} {
		f.Add(seed)
	}
	srv := newFuzzServer(f)
	for _, body := range []string{`{"unit":"unit-a","hall":"宝山区行政服务中心","name":"3号窗口","staff":[{"id":"0301","name":"一"}]}`} {
		req := httptest.NewRequest(http.MethodPut, "/v1/windows/bs-03", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", srv.key)
		rec := httptest.NewRecorder()
		srv.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			f.Fatalf("window: %d %s", rec.Code, rec.Body.String())
		}
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/public/windows/bs-03", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin") // a browser's form: past the CSRF check
		req.RemoteAddr = "10.9.9.9:1"                   // the limiter answers a 429 page once the burst is spent
		rec := httptest.NewRecorder()
		srv.h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("answered %d to %q: %s", rec.Code, body, rec.Body.String())
		}
		if rec.Code == http.StatusTooManyRequests {
			// The per-address limit of the public (identify, before any route) answers a problem.
			var p map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err == nil && p["code"] == "rate_limited" {
				return
			}
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("answered %d with %s to %q", rec.Code, rec.Header().Get("Content-Type"), body)
		}
		// An error page names its random request id (hexadecimal), which may hold a run of digits.
		page := requestIDLine.ReplaceAllString(rec.Body.String(), "")
		if mobileRE.MatchString(page) || idRE.MatchString(page) {
			t.Fatalf("the page echoes a number: %s", rec.Body.String())
		}
	})
}

// FuzzLedgerQuery sends arbitrary query strings to the ledger, report and public listing routes: no
// input gets a 500, and every refusal is a problem document.
func FuzzLedgerQuery(f *testing.F) {
	for _, seed := range []string{
		"month=2026-11", "from=2026-11-01&to=2026-11-30&format=csv", "month=2026-11&unit=unit-a&masked=true",
		"month=0000-00", "month=9999-12", "from=2026-02-30&to=2026-03-01", "month=2026-11&month=2026-12", "%", "limit=-1&cursor=%%%",
	} {
		f.Add(seed)
	}
	srv := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, query string) {
		for _, path := range []string{"/v1/ledgers/tickets", "/v1/ledgers/window-cases", "/v1/reports/monthly", "/public/v1/reviews",
			"/public/v1/ratings"} {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.URL.Path, req.URL.RawQuery = path, query
			req.Header.Set("Authorization", srv.key)
			rec := httptest.NewRecorder()
			srv.h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s?%s answered %d: %s", path, query, rec.Code, rec.Body.String())
			}
			if rec.Code >= 400 {
				var p map[string]any
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p["code"] == nil {
					t.Fatalf("%s?%s answered %d without a problem: %s", path, query, rec.Code, rec.Body.String())
				}
			}
		}
	})
}
