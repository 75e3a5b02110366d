package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/demo"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

// pagesNow is the instant of the page tests: the demo is loaded at it and the server's clock stands
// at it (a Monday morning, so the demo has tickets due soon and overdue).
var pagesNow = time.Date(2026, 11, 30, 9, 0, 0, 0, deadline.Location())

// demoSite is a server over a store with the demo district and its staff accounts, on a real
// listener (the pages set cookies).
type demoSite struct {
	store *store.Store
	sum   demo.Summary
	url   string
	keys  map[store.Role]string
}

func newDemoSite(t testing.TB, st *store.Store, opts ...server.Option) *demoSite {
	t.Helper()
	ctx := context.Background()
	sum, err := demo.Load(ctx, st, pagesNow)
	require.NoError(t, err)
	_, _, err = demo.StaffAccounts(ctx, st, pagesNow)
	require.NoError(t, err)
	keys, _, err := demo.Credentials(ctx, st, nil, pagesNow)
	require.NoError(t, err)
	// The tests fetch pages in bursts from one address, faster than any person: the per-address
	// limit of the API is raised (the pages' own limits on sign-in and ratings stay).
	opts = append([]server.Option{server.WithRateLimits(server.RateLimits{KeyRate: 1000, KeyBurst: 2000, AddressRate: 1000,
		AddressBurst: 2000, FailureRate: 100, FailureBurst: 600})}, opts...)
	h, err := server.New(server.Deps{Store: st, Calendar: deadline.China(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return pagesNow }}, opts...)
	require.NoError(t, err)
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	site := &demoSite{store: st, sum: sum, url: ts.URL, keys: map[store.Role]string{}}
	for _, k := range keys {
		site.keys[k.Role] = k.Secret
	}
	return site
}

// demoSQLite is the demo site on a fresh SQLite store.
func demoSQLite(t testing.TB, opts ...server.Option) *demoSite {
	return newDemoSite(t, storetest.SQLite(t), opts...)
}

// account returns the demo's staff account of role.
func account(t testing.TB, role store.Role) demo.Account {
	for _, a := range demo.Accounts() {
		if a.Role == role {
			return a
		}
	}
	t.Fatalf("no demo account of role %s", role)
	return demo.Account{}
}

// visitor is a browser without JavaScript: a cookie jar, no redirects followed.
type visitor struct {
	t    testing.TB
	site *demoSite
	c    *http.Client
}

func (s *demoSite) visitor(t testing.TB) *visitor {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &visitor{t: t, site: s, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// page is a response: status, headers and the body as text.
type page struct {
	status int
	header http.Header
	body   string
}

func (v *visitor) do(req *http.Request) page {
	v.t.Helper()
	resp, err := v.c.Do(req)
	require.NoError(v.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(v.t, err)
	return page{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (v *visitor) get(path string) page {
	v.t.Helper()
	req, err := http.NewRequest(http.MethodGet, v.site.url+path, nil)
	require.NoError(v.t, err)
	return v.do(req)
}

// csrf is the token the CSRF cookie holds (forms repeat it in _csrf).
func (v *visitor) csrf() string {
	u, _ := url.Parse(v.site.url)
	for _, c := range v.c.Jar.Cookies(u) {
		if c.Name == "hotline_csrf" {
			return c.Value
		}
	}
	return ""
}

// post sends a form with the CSRF token (fetching a page first if there is no token yet).
func (v *visitor) post(path string, form url.Values) page {
	v.t.Helper()
	if v.csrf() == "" {
		v.get("/login")
	}
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" {
		form.Set("_csrf", v.csrf())
	}
	req, err := http.NewRequest(http.MethodPost, v.site.url+path, strings.NewReader(form.Encode()))
	require.NoError(v.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return v.do(req)
}

// login signs in as role's demo account and checks it worked.
func (v *visitor) login(role store.Role) *visitor {
	v.t.Helper()
	a := account(v.t, role)
	p := v.post("/login", url.Values{"username": {a.Username}, "password": {demo.StaffPassword}})
	require.Equal(v.t, http.StatusSeeOther, p.status, "login as %s: %s", a.Username, p.body)
	return v
}

var hiddenVersion = regexp.MustCompile(`name="version" value="(\d+)"`)

// version is the ticket version a ticket page's forms carry.
func version(t testing.TB, body string) string {
	m := hiddenVersion.FindStringSubmatch(body)
	require.NotNil(t, m, "the page has no action form")
	return m[1]
}

// putWindow registers service window id of unit in the demo's hall, with staff, and returns its
// rating form's path (the address its QR code opens).
func putWindow(tb testing.TB, st *store.Store, id, unit, name string, staff ...store.WindowStaff) string {
	tb.Helper()
	admin := store.Principal{Actor: "test:admin", Role: store.RoleAdmin}
	require.NoError(tb, st.PutWindow(context.Background(), admin, store.Window{ID: id, Unit: unit, Hall: "示范区行政服务中心",
		Name: name, Staff: staff}, pagesNow))
	return "/public/windows/" + id
}

// pageRoles are the visitors of a page authorisation table, in the order of its columns: anonymous,
// then each staff role.
func pageRoles() []store.Role {
	return []store.Role{"", store.RoleHotlineOffice, store.RoleHandlingUnit, store.RoleSupervisor, store.RoleAuditor, store.RoleAdmin}
}

// pageAccess is one row of a page authorisation table: a path and the status each of pageRoles gets.
type pageAccess struct {
	path string
	want []int // per role, in the order of pageRoles
}

// checkPageAccess signs in one visitor per role of pageRoles, opens every path of tests as each and
// checks the status; an anonymous visitor sent away must be sent to sign in. Each page answered 200
// is handed to ok, if given. It returns the visitors, for the forms a test posts afterwards.
func checkPageAccess(t *testing.T, site *demoSite, tests []pageAccess, ok func(t *testing.T, p page)) map[store.Role]*visitor {
	t.Helper()
	roles := pageRoles()
	visitors := map[store.Role]*visitor{}
	for _, r := range roles {
		v := site.visitor(t)
		if r != "" {
			v.login(r)
		}
		visitors[r] = v
	}
	for _, tt := range tests {
		require.Len(t, tt.want, len(roles), tt.path)
		for i, r := range roles {
			name := string(r)
			if name == "" {
				name = "anonymous"
			}
			t.Run(name+" "+tt.path, func(t *testing.T) {
				p := visitors[r].get(tt.path)
				assert.Equal(t, tt.want[i], p.status, "%s", firstLine(p.body))
				if p.status == http.StatusSeeOther {
					assert.True(t, strings.HasPrefix(p.header.Get("Location"), "/login?next="), p.header.Get("Location"))
				}
				if p.status == http.StatusOK && ok != nil {
					ok(t, p)
				}
			})
		}
	}
	return visitors
}
