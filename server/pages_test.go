package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/demo"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// demoTickets picks a ticket handled by the demo's handling unit and one handled by another unit.
func demoTickets(t *testing.T, sum demo.Summary) (own, other demo.Ticket) {
	t.Helper()
	for _, tk := range sum.Tickets {
		switch {
		case tk.Lead == demo.HandlingUnit && own.ID == "":
			own = tk
		case tk.Lead != "" && tk.Lead != demo.HandlingUnit && other.ID == "":
			other = tk
		}
	}
	require.NotEmpty(t, own.ID)
	require.NotEmpty(t, other.ID)
	return own, other
}

// TestPagesAuthorization is every page × every role: the status each gets. Anonymous visitors are
// sent to sign in; a role that may not open a page gets 403; a ticket outside the role's scope is 404
// as in the API.
func TestPagesAuthorization(t *testing.T) {
	site := demoSQLite(t)
	own, other := demoTickets(t, site.sum)
	const (
		in   = http.StatusOK
		no   = http.StatusForbidden
		gone = http.StatusNotFound
		away = http.StatusSeeOther
	)
	tests := []pageAccess{
		{"/login", []int{in, in, in, in, in, in}},
		{"/public/", []int{in, in, in, in, in, in}},
		{"/public/reviews", []int{in, in, in, in, in, in}},
		{"/public/ratings", []int{in, in, in, in, in, in}},
		{"/public/rankings", []int{in, in, in, in, in, in}},
		{"/console/tickets", []int{away, in, in, in, in, no}},
		{"/console/tickets?overdue=true", []int{away, in, in, in, in, no}},
		{"/console/tickets/" + own.ID, []int{away, in, in, in, in, no}},
		{"/console/tickets/" + other.ID, []int{away, in, gone, in, in, no}},
		{"/console/tickets/" + own.ID + "/forms/registration", []int{away, in, in, in, in, no}},
		{"/console/tickets/" + own.ID + "/forms/handling", []int{away, in, in, in, in, no}},
		{"/console/tickets/" + other.ID + "/forms/handling", []int{away, in, gone, in, in, no}},
		{"/console/intake", []int{away, in, no, no, no, no}},
		{"/console/window", []int{away, in, no, no, no, no}},
		{"/console/reviews", []int{away, in, in, in, in, no}},
		{"/console/indicators", []int{away, in, in, in, in, no}},
		{"/console/users", []int{away, no, no, no, no, in}},
		{"/screen", []int{away, in, in, in, in, no}},
		{"/console/exports", []int{away, in, in, in, in, no}},
		{"/console/exports/tickets?month=2026-11", []int{away, in, in, in, in, no}},
		{"/console/exports/window-cases?month=2026-11&format=csv", []int{away, in, in, in, in, no}},
		{"/console/exports/report?month=2026-11&format=html", []int{away, in, in, in, in, no}},
	}
	visitors := checkPageAccess(t, site, tests, func(t *testing.T, p page) {
		assert.Contains(t, p.header.Get("Content-Security-Policy"), "default-src 'self'")
		assert.Equal(t, "DENY", p.header.Get("X-Frame-Options"))
	})
	// Forms: a role that may not act is refused, whatever it posts.
	for _, r := range []store.Role{store.RoleAuditor, store.RoleAdmin} {
		p := visitors[r].post("/console/tickets/"+own.ID+"/actions", url.Values{"action": {"first_contact"}, "version": {"1"}})
		assert.Equal(t, no, p.status, "%s acts", r)
	}
	p := visitors[store.RoleHandlingUnit].post("/console/intake", url.Values{"step": {"save"}})
	assert.Equal(t, no, p.status, "a handling unit does not accept tickets")
	p = visitors[""].post("/console/tickets/"+own.ID+"/actions", url.Values{"action": {"first_contact"}, "version": {"1"}})
	assert.Equal(t, http.StatusUnauthorized, p.status, "no session")
}

func firstLine(s string) string {
	if i := strings.Index(s, "<h1>"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// TestHandlingUnitSeesOnlyItsTickets: the list of the handling unit shows its own tickets and no
// other unit's (the store's scoping, as for GET /v1/tickets).
func TestHandlingUnitSeesOnlyItsTickets(t *testing.T) {
	site := demoSQLite(t)
	unit := site.visitor(t).login(store.RoleHandlingUnit)
	office := site.visitor(t).login(store.RoleHotlineOffice)
	body := unit.get("/console/tickets?limit=500").body
	all := office.get("/console/tickets").body
	seen := 0
	for _, tk := range site.sum.Tickets {
		if tk.Lead == demo.HandlingUnit {
			assert.Contains(t, body, tk.Number, "own ticket %s", tk.Upstream)
			seen++
		} else if tk.Lead != "" {
			assert.NotContains(t, body, tk.Number, "%s's ticket %s", tk.Lead, tk.Upstream)
			assert.Contains(t, all, tk.Number, "the office sees %s", tk.Upstream)
		}
	}
	assert.Positive(t, seen)
	assert.Contains(t, body, `class="overdue"`, "overdue tickets are marked")
}

// TestLoginLockoutAndCSRF: wrong passwords lock the account (等保 level 3), a form without the CSRF
// token is refused, and logout ends the session.
func TestLoginLockoutAndCSRF(t *testing.T) {
	site := demoSQLite(t, server.WithSessionPolicy(store.SessionPolicy{IdleTimeout: time.Hour, MaxAge: 2 * time.Hour,
		MaxFailures: 3, Lockout: time.Hour}))
	v := site.visitor(t)
	for i := 0; i < 2; i++ {
		p := v.post("/login", url.Values{"username": {"office"}, "password": {"wrong password"}})
		assert.Equal(t, http.StatusUnauthorized, p.status)
		assert.Contains(t, p.body, "用户名、密码或动态口令不正确")
	}
	p := v.post("/login", url.Values{"username": {"office"}, "password": {"wrong password"}})
	assert.Contains(t, p.body, "账号已锁定")
	p = v.post("/login", url.Values{"username": {"office"}, "password": {demo.StaffPassword}})
	assert.Equal(t, http.StatusUnauthorized, p.status, "locked even with the right password")
	assert.Contains(t, p.body, "账号已锁定")

	w := site.visitor(t)
	w.get("/login")
	p = w.post("/login", url.Values{"username": {"fgb"}, "password": {demo.StaffPassword}, "_csrf": {"forged"}})
	assert.Equal(t, http.StatusForbidden, p.status, "a forged CSRF token")
	w.login(store.RoleHandlingUnit)
	assert.Equal(t, http.StatusOK, w.get("/console/tickets").status)
	p = w.post("/logout", nil)
	assert.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, http.StatusSeeOther, w.get("/console/tickets").status, "signed out")

	// The session cookie is HttpOnly and SameSite; the next parameter never leaves the console.
	x := site.visitor(t)
	x.get("/login")
	req, _ := http.NewRequest(http.MethodPost, site.url+"/login", strings.NewReader(url.Values{"username": {"dzb"},
		"password": {demo.StaffPassword}, "_csrf": {x.csrf()}, "next": {"//evil.example/"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := x.c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "/console/", resp.Header.Get("Location"))
	var cookie string
	for _, h := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(h, "hotline_session=") {
			cookie = h
		}
	}
	assert.Contains(t, cookie, "HttpOnly")
	assert.Contains(t, cookie, "SameSite=Lax")
}

// TestStaleVersionSaysReload: an action on a version someone else moved on is refused with the
// message to reload (optimistic concurrency, as If-Match in the API).
func TestStaleVersionSaysReload(t *testing.T) {
	site := demoSQLite(t)
	own, _ := demoTickets(t, site.sum)
	var walk demo.Ticket
	for _, tk := range site.sum.Tickets {
		if tk.Lead == demo.HandlingUnit && tk.State == ticket.StateDispatched {
			walk = tk
		}
	}
	require.NotEmpty(t, walk.ID, "a ticket waiting for first contact (%s)", own.Upstream)
	a, b := site.visitor(t).login(store.RoleHandlingUnit), site.visitor(t).login(store.RoleHandlingUnit)
	pa := a.get("/console/tickets/" + walk.ID)
	pb := b.get("/console/tickets/" + walk.ID)
	require.Equal(t, http.StatusOK, pa.status)
	assert.Contains(t, pa.body, `value="first_contact"`)
	p := a.post("/console/tickets/"+walk.ID+"/actions", url.Values{"action": {"first_contact"}, "version": {version(t, pa.body)}})
	require.Equal(t, http.StatusSeeOther, p.status, firstLine(p.body))
	p = b.post("/console/tickets/"+walk.ID+"/actions", url.Values{"action": {"first_contact"}, "version": {version(t, pb.body)}})
	assert.Equal(t, http.StatusPreconditionFailed, p.status)
	assert.Contains(t, p.body, "工单已被他人修改，请刷新")
}

// TestPagesAreValidHTML parses every page each role can open and checks what assistive technology
// and keyboards need: one <html lang>, a <title>, a <main>, unique ids, and a label for every field.
func TestPagesAreValidHTML(t *testing.T) {
	site := demoSQLite(t)
	own, _ := demoTickets(t, site.sum)
	office := site.visitor(t).login(store.RoleHotlineOffice)
	unit := site.visitor(t).login(store.RoleHandlingUnit)
	admin := site.visitor(t).login(store.RoleAdmin)
	anon := site.visitor(t)
	pages := map[string]*visitor{
		"/login": anon, "/public/": anon, "/public/reviews": anon, "/public/ratings": anon, "/public/rankings": anon,
		"/console/tickets": office, "/console/tickets/" + own.ID: unit, "/console/intake": office, "/console/window": office,
		"/console/reviews": unit, "/console/indicators": unit, "/console/users": admin, "/screen": office, "/console/exports": unit,
		"/console/tickets/" + own.ID + "/forms/registration": office, "/console/tickets/" + own.ID + "/forms/handling": office,
	}
	for _, tk := range site.sum.Tickets {
		pages["/console/tickets/"+tk.ID] = office
	}
	for path, v := range pages {
		p := v.get(path)
		require.Equal(t, http.StatusOK, p.status, path)
		checkHTML(t, path, p.body)
	}
}

// checkHTML checks a page's structure and that every form field has a label.
func checkHTML(t *testing.T, path, body string) {
	t.Helper()
	assert.True(t, strings.HasPrefix(body, "<!DOCTYPE html>"), "%s: doctype", path)
	doc, err := html.Parse(strings.NewReader(body))
	require.NoError(t, err, path)
	ids := map[string]int{}
	labels := map[string]bool{}
	var fields []*html.Node
	var title, main int
	lang := ""
	var walk func(n *html.Node, inLabel bool)
	walk = func(n *html.Node, inLabel bool) {
		if n.Type == html.ElementNode {
			if id := attr(n, "id"); id != "" {
				ids[id]++
			}
			switch n.Data {
			case "html":
				lang = attr(n, "lang")
			case "title":
				title++
			case "main":
				main++
			case "label":
				if f := attr(n, "for"); f != "" {
					labels[f] = true
				}
				inLabel = true
			case "input", "select", "textarea":
				typ := attr(n, "type")
				if typ != "hidden" && typ != "submit" && typ != "button" && !inLabel {
					fields = append(fields, n)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLabel)
		}
	}
	walk(doc, false)
	assert.Equal(t, "zh-CN", lang, "%s: lang", path)
	assert.GreaterOrEqual(t, title, 1, "%s: title", path)
	assert.Equal(t, 1, main, "%s: one main", path)
	for id, n := range ids {
		assert.Equal(t, 1, n, "%s: id %q used %d times", path, id, n)
	}
	for _, f := range fields {
		id := attr(f, "id")
		assert.True(t, id != "" && labels[id], "%s: <%s name=%q> has no label", path, f.Data, attr(f, "name"))
	}
	// Every link and form stays on the site (no CDN).
	for _, m := range regexp.MustCompile(`(?:src|href|action)="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		u := m[1]
		assert.False(t, strings.HasPrefix(u, "//") || (strings.Contains(u, "://") && !strings.HasPrefix(u, "http://127.0.0.1")),
			"%s: external reference %s", path, u)
	}
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// citizens returns the personal data of every stored demo citizen: what no public page may show
// (001 (十), 000 §10).
func citizens(t *testing.T, site *demoSite) []string {
	t.Helper()
	sys := store.Principal{Actor: "test:system", Role: store.RoleSystem}
	var out []string
	for _, tk := range site.sum.Tickets {
		rec, err := site.store.Get(context.Background(), sys, tk.ID)
		require.NoError(t, err)
		p := rec.Ticket.Citizen
		for _, v := range []string{p.Name, p.Phone, p.IDNumber, p.CreditCode, p.Address} {
			if v != "" {
				out = append(out, v)
			}
		}
	}
	require.NotEmpty(t, out)
	return out
}

var phoneOrID = regexp.MustCompile(`1[3-9]\d{9}|\d{17}[\dXx]`)

// TestPublicPagesShowNoPII scans every public page for the demo citizens' names, phones, ID numbers
// and addresses and for anything shaped like a phone or ID number.
func TestPublicPagesShowNoPII(t *testing.T) {
	site := demoSQLite(t)
	pii := citizens(t, site)
	anon := site.visitor(t)
	for _, path := range []string{"/public/", "/public/reviews", "/public/ratings", "/public/rankings", "/public/rankings/result",
		"/public/reviews?unit=" + demo.HandlingUnit} {
		p := anon.get(path)
		require.Equal(t, http.StatusOK, p.status, path)
		for _, v := range pii {
			assert.NotContains(t, p.body, v, "%s shows a citizen's data", path)
		}
		assert.Empty(t, phoneOrID.FindAllString(p.body, -1), "%s", path)
	}
	p := anon.get("/public/reviews")
	assert.Contains(t, p.body, "class=\"card review\"", "the demo's reviews are published")
	p = anon.get("/public/rankings")
	assert.NotContains(t, p.body, "not ranked", "the ranking's reasons are said in Chinese")
	assert.Contains(t, p.body, "不参与排名")
}

// TestRatingLinkOnce: the office issues a signed link for a replied ticket; the citizen rates once;
// the link does not work again, an altered link never.
func TestRatingLinkOnce(t *testing.T) {
	site := demoSQLite(t)
	var replied demo.Ticket
	for _, tk := range site.sum.Tickets {
		if tk.State == ticket.StateReplied {
			replied = tk
		}
	}
	require.NotEmpty(t, replied.ID)
	office := site.visitor(t).login(store.RoleHotlineOffice)
	p := office.post("/console/tickets/"+replied.ID+"/rating-link", nil)
	require.Equal(t, http.StatusOK, p.status, firstLine(p.body))
	m := regexp.MustCompile(`href="(http://[^"]*/rate/ticket/[^"]+)"`).FindStringSubmatch(p.body)
	require.NotNil(t, m, "the page shows the link")
	link, err := url.Parse(html.UnescapeString(m[1]))
	require.NoError(t, err)
	citizen := site.visitor(t)
	p = citizen.get(link.Path)
	require.Equal(t, http.StatusOK, p.status)
	assert.Contains(t, p.body, replied.Number)
	form := url.Values{"rating": {"satisfied"}, "dim_attitude": {"very_satisfied"}, "text": {"处理及时"}}
	p = citizen.post(link.Path, form)
	assert.Equal(t, http.StatusCreated, p.status, firstLine(p.body))
	assert.Contains(t, site.visitor(t).get("/public/reviews").body, "处理及时", "a good rating keeps its text (it was lost before)")
	p = citizen.post(link.Path, form)
	assert.Equal(t, http.StatusNotFound, p.status, "once only")
	assert.Contains(t, p.body, "已使用")
	tampered := link.Path[:len(link.Path)-2] + "AA"
	assert.Equal(t, http.StatusNotFound, citizen.get(tampered).status)
	assert.Equal(t, http.StatusNotFound, citizen.get("/rate/ticket/x.y").status)
}

// TestRatingThroughQRCode: a registered window's QR page takes a rating; the same device again within
// the half hour is refused; rapid-fire posts are limited; a good rating keeps its text, published with
// the phone number scrubbed (001 (八)).
func TestRatingThroughQRCode(t *testing.T) {
	site := demoSQLite(t)
	path := putWindow(t, site.store, "hall-3", demo.HandlingUnit, "3号窗口", store.WindowStaff{ID: "0301", Name: "王芳"})
	v := site.visitor(t)
	p := v.get(path + "?staff=0301")
	require.Equal(t, http.StatusOK, p.status)
	checkHTML(t, path, p.body)
	assert.Contains(t, p.body, `<option value="0301" selected>`)
	p = v.post(path, url.Values{"rating": {"very_satisfied"}, "staff": {"0301"}, "text": {"窗口人员很耐心，有事可打13912345678"}})
	assert.Equal(t, http.StatusCreated, p.status, firstLine(p.body))
	p = v.post(path, url.Values{"rating": {"very_satisfied"}})
	assert.Equal(t, http.StatusConflict, p.status, "the same device within the half hour")
	p = v.post(path, url.Values{"rating": {"bogus"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	limited := false
	for i := 0; i < 10 && !limited; i++ {
		limited = v.post(path, url.Values{"rating": {"satisfied"}}).status == http.StatusTooManyRequests
	}
	assert.True(t, limited, "rapid-fire submissions are limited")
	assert.Equal(t, http.StatusNotFound, v.get("/public/windows/no-such").status)
	page := site.visitor(t).get("/public/reviews?unit=" + demo.HandlingUnit).body
	assert.Contains(t, page, "3号窗口")
	assert.Contains(t, page, "窗口人员很耐心", "a good rating keeps its text")
	assert.NotContains(t, page, "13912345678", "scrubbed of phone numbers")
	assert.NotContains(t, page, "0301", "no staff number is published")
}

// TestBigScreenRankingEqualsAPI: the big screen's ranking is GET /v1/assessment/results' for the
// month, unit by unit.
func TestBigScreenRankingEqualsAPI(t *testing.T) {
	site := demoSQLite(t)
	office := site.visitor(t).login(store.RoleHotlineOffice)
	month := pagesNow.Format("2006-01")
	p := office.get("/screen?period=" + month)
	require.Equal(t, http.StatusOK, p.status)
	assert.Contains(t, p.body, "<svg")
	assert.Contains(t, p.body, `http-equiv="refresh"`)
	req, _ := http.NewRequest(http.MethodGet, site.url+"/v1/assessment/results?scheme=street-hotline&period="+month, nil)
	req.Header.Set("Authorization", "Bearer "+site.keys[store.RoleHotlineOffice])
	api := office.do(req)
	require.Equal(t, http.StatusOK, api.status, api.body)
	var res server.AssessmentResponse
	require.NoError(t, json.Unmarshal([]byte(api.body), &res))
	require.NotEmpty(t, append(res.Result.Ranking.Ranked, res.Result.Ranking.NotRanked...), "the demo month has scores")
	rows := regexp.MustCompile(`<tr data-unit="([^"]+)"><td class="num">([^<]+)</td><td>[^<]*</td><td class="num">([^<]+)</td>`).
		FindAllStringSubmatch(p.body, -1)
	var got, want []string
	for _, r := range rows {
		got = append(got, r[1]+" "+r[2]+" "+r[3])
	}
	for _, st := range append(res.Result.Ranking.Ranked, res.Result.Ranking.NotRanked...) {
		rank := "—"
		if st.Rank > 0 {
			rank = fmt.Sprint(st.Rank)
		}
		want = append(want, st.Unit+" "+rank+" "+st.Total.Text(2))
	}
	assert.Equal(t, want, got)
}

func TestTOTP(t *testing.T) {
	// RFC 6238 appendix B, SHA-1, the last six digits of the eight-digit values.
	secret := []byte("12345678901234567890")
	for _, tt := range []struct {
		unix int64
		code string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}} {
		step, ok := server.CheckTOTPForTest(secret, tt.code, time.Unix(tt.unix, 0))
		assert.True(t, ok, "%d", tt.unix)
		assert.Equal(t, tt.unix/30, step)
		_, ok = server.CheckTOTPForTest(secret, tt.code, time.Unix(tt.unix+120, 0))
		assert.False(t, ok, "two steps later")
	}
	_, ok := server.CheckTOTPForTest(secret, "12345", time.Unix(59, 0))
	assert.False(t, ok)
}

// TestWithoutPages: the pages are off; the API answers alone.
func TestWithoutPages(t *testing.T) {
	f := newServer(t, server.WithoutPages())
	assert.Equal(t, http.StatusNotFound, f.get("/login").Code)
	assert.Equal(t, http.StatusOK, f.get("/livez").Code)
}

// TestLoginWithSecondFactor: an account with a TOTP secret signs in only with the current code, and
// each code once (等保 level 3: two factors).
func TestLoginWithSecondFactor(t *testing.T) {
	site := demoSQLite(t)
	secret := []byte("0123456789abcdefghij")
	admin := store.Principal{Actor: "test:admin", Unit: demo.AdminUnit, Role: store.RoleAdmin}
	require.NoError(t, site.store.SetStaffTOTP(context.Background(), admin, "office", secret, pagesNow))
	v := site.visitor(t)
	p := v.post("/login", url.Values{"username": {"office"}, "password": {demo.StaffPassword}})
	assert.Equal(t, http.StatusUnauthorized, p.status, "no code")
	p = v.post("/login", url.Values{"username": {"office"}, "password": {demo.StaffPassword}, "totp": {"000000"}})
	assert.Equal(t, http.StatusUnauthorized, p.status, "a wrong code")
	code := server.TOTPCodeForTest(secret, pagesNow)
	p = v.post("/login", url.Values{"username": {"office"}, "password": {demo.StaffPassword}, "totp": {code}})
	assert.Equal(t, http.StatusSeeOther, p.status)
	w := site.visitor(t)
	p = w.post("/login", url.Values{"username": {"office"}, "password": {demo.StaffPassword}, "totp": {code}})
	assert.Equal(t, http.StatusUnauthorized, p.status, "the same code twice")
}

// TestRevealWithReason: a supervisor sees a supervised ticket masked and may reveal one field with a
// reason (store.Reveal, audited); a ticket not under supervision offers no reveal.
func TestRevealWithReason(t *testing.T) {
	site := demoSQLite(t)
	sup := site.visitor(t).login(store.RoleSupervisor)
	sys := store.Principal{Actor: "test:system", Role: store.RoleSystem}
	var supervised, plain demo.Ticket
	for _, tk := range site.sum.Tickets {
		rec, err := site.store.Get(context.Background(), sys, tk.ID)
		require.NoError(t, err)
		if rec.Ticket.Citizen.Phone == "" {
			continue
		}
		if rec.Ticket.Supervised && supervised.ID == "" {
			supervised = tk
		} else if !rec.Ticket.Supervised && plain.ID == "" {
			plain = tk
		}
	}
	require.NotEmpty(t, supervised.ID)
	require.NotEmpty(t, plain.ID)
	assert.NotContains(t, sup.get("/console/tickets/"+plain.ID).body, `id="reveal"`)
	p := sup.get("/console/tickets/" + supervised.ID)
	require.Contains(t, p.body, `id="reveal"`)
	rec, err := site.store.Get(context.Background(), sys, supervised.ID)
	require.NoError(t, err)
	assert.NotContains(t, p.body, rec.Ticket.Citizen.Phone, "masked")
	p = sup.post("/console/tickets/"+supervised.ID+"/reveal", url.Values{"field": {"phone"}, "reason": {"督办核实联系方式"}})
	require.Equal(t, http.StatusOK, p.status, firstLine(p.body))
	assert.Contains(t, p.body, rec.Ticket.Citizen.Phone)
	p = sup.post("/console/tickets/"+plain.ID+"/reveal", url.Values{"field": {"phone"}, "reason": {"无理由"}})
	assert.Equal(t, http.StatusForbidden, p.status)
}
