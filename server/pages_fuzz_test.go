package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzRatingLinks: no token or window id, however malformed or forged, makes a rating page fail with
// a server error or accept a rating.
func FuzzRatingLinks(f *testing.F) {
	for _, s := range []string{"", ".", "x.y", "eyJ0IjoiMSJ9.AAAA", "eyJ1IjoieXktZmdiIiwidyI6IjEifQ.", strings.Repeat("A", 2000) + ".A"} {
		f.Add(s)
	}
	fx := newServerTB(f)
	f.Fuzz(func(t *testing.T, tok string) {
		for _, p := range []string{"/rate/ticket/", "/public/windows/"} {
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				req := httptest.NewRequest(method, p+url.PathEscape(tok), strings.NewReader("rating=satisfied"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Sec-Fetch-Site", "same-origin")
				rec := httptest.NewRecorder()
				fx.h.ServeHTTP(rec, req)
				if rec.Code >= 500 || rec.Code == http.StatusCreated {
					t.Fatalf("%s %s%q: %d", method, p, tok, rec.Code)
				}
			}
		}
	})
}

// FuzzDisplayKey: no display key, however malformed or forged, opens the big screen or makes it fail
// with a server error; each is a 401 page (or 429 once one address has guessed too often).
func FuzzDisplayKey(f *testing.F) {
	for _, s := range []string{"", "hlk_", "hlk_" + strings.Repeat("0", 64), "hlk_" + strings.Repeat("é", 32), "13812345678", "%00"} {
		f.Add(s)
	}
	fx := newServerTB(f)
	f.Fuzz(func(t *testing.T, key string) {
		if key == "" {
			return // no key: the staff's sign-in, as any page
		}
		req := httptest.NewRequest(http.MethodGet, "/screen?display="+url.QueryEscape(key), nil)
		rec := httptest.NewRecorder()
		fx.h.ServeHTTP(rec, req)
		// 429: guessing keys from one address is limited like failed logins.
		if rec.Code != http.StatusUnauthorized && rec.Code != http.StatusTooManyRequests {
			t.Fatalf("display key %q: %d", key, rec.Code)
		}
	})
}
