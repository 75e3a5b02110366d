package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
)

var screenRows = regexp.MustCompile(`<tr data-unit="[^"]+"><td class="num">[^<]+</td><td>[^<]*</td><td class="num">[^<]+</td>`)

// TestBigScreenDisplayKey: a wall display opens the big screen with a display key the admin issued
// (004 §14) — no staff login; the key is moved out of the address into a cookie; the screen equals
// the office's; the key opens nothing else and is no API key; revoked or expired, it is a 401 page.
func TestBigScreenDisplayKey(t *testing.T) {
	site := demoSQLite(t)
	ctx := context.Background()
	admin := store.Principal{Actor: "test:admin", Role: store.RoleAdmin}
	office := account(t, store.RoleHotlineOffice)
	issue := func(now time.Time, valid time.Duration) (store.Credential, string) {
		c, key, err := site.store.IssueCredential(ctx, admin, store.CredentialSpec{Unit: office.Unit, Role: store.RoleDisplay,
			Label: "大厅大屏", Expires: now.Add(valid)}, now)
		require.NoError(t, err)
		return c, key
	}
	cred, key := issue(pagesNow, 30*24*time.Hour)
	month := pagesNow.Format("2006-01")

	wall := site.visitor(t)
	p := wall.get("/screen?period=" + month + "&display=" + key)
	require.Equal(t, http.StatusSeeOther, p.status, firstLine(p.body))
	assert.Equal(t, "/screen?period="+month, p.header.Get("Location"), "the key leaves the address")
	setCookie := strings.Join(p.header.Values("Set-Cookie"), "\n")
	assert.Contains(t, setCookie, "hotline_display=")
	assert.Contains(t, setCookie, "HttpOnly")
	assert.Contains(t, setCookie, "Path=/screen")
	p = wall.get("/screen?period=" + month)
	require.Equal(t, http.StatusOK, p.status, firstLine(p.body))
	checkHTML(t, "/screen (display)", p.body)
	staff := site.visitor(t).login(store.RoleHotlineOffice).get("/screen?period=" + month)
	require.Equal(t, http.StatusOK, staff.status)
	require.NotEmpty(t, screenRows.FindAllString(staff.body, -1))
	assert.Equal(t, screenRows.FindAllString(staff.body, -1), screenRows.FindAllString(p.body, -1), "the office's screen")
	for _, v := range citizens(t, site) {
		assert.NotContains(t, p.body, v, "no citizen's data on the screen")
	}
	assert.NotContains(t, p.body, "/console/tickets/", "no ticket details")

	t.Run("it opens nothing else", func(t *testing.T) {
		for _, path := range []string{"/console/", "/console/tickets", "/console/exports"} {
			assert.Equal(t, http.StatusSeeOther, wall.get(path).status, path)
		}
		req, err := http.NewRequest(http.MethodGet, site.url+"/v1/tickets", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+key)
		assert.Equal(t, http.StatusUnauthorized, wall.do(req).status, "a display key is no API key")
		_, err = site.store.Authenticate(ctx, key, pagesNow)
		var refused *store.AuthError
		require.ErrorAs(t, err, &refused)
		assert.Equal(t, store.AuthWrongUse, refused.Reason)
		other := site.visitor(t).get("/screen?display=" + site.keys[store.RoleHotlineOffice])
		assert.Equal(t, http.StatusUnauthorized, other.status, "an API key is no display key")
	})
	t.Run("revoked, then expired: a 401 page", func(t *testing.T) {
		require.NoError(t, site.store.RevokeCredential(ctx, admin, cred.ID, pagesNow))
		p := wall.get("/screen?period=" + month)
		assert.Equal(t, http.StatusUnauthorized, p.status)
		assert.Contains(t, p.body, "大屏令牌无效")
		assert.Contains(t, strings.Join(p.header.Values("Set-Cookie"), "\n"), "hotline_display=;")
		_, old := issue(pagesNow.Add(-48*time.Hour), 24*time.Hour)
		p = site.visitor(t).get("/screen?display=" + old)
		assert.Equal(t, http.StatusUnauthorized, p.status)
		assert.Equal(t, http.StatusUnauthorized, site.visitor(t).get("/screen?display=hlk_nonsense").status)
	})
}

// TestDisplayKeysOnTheUsersPage: the admin issues a display key on the accounts page, sees the
// screen's address once, the display opens it, and the admin revokes it there; no other role may.
func TestDisplayKeysOnTheUsersPage(t *testing.T) {
	site := demoSQLite(t)
	admin := site.visitor(t).login(store.RoleAdmin)
	office := account(t, store.RoleHotlineOffice)
	p := admin.post("/console/display-keys", url.Values{"unit": {office.Unit}, "label": {"服务大厅大屏"}, "days": {"30"}})
	require.Equal(t, http.StatusCreated, p.status, firstLine(p.body))
	checkHTML(t, "/console/users (display key)", p.body)
	m := regexp.MustCompile(`/screen\?display=(hlk_[0-9a-f]{64})`).FindStringSubmatch(p.body)
	require.NotNil(t, m, "the address is shown once")
	assert.Contains(t, p.body, "服务大厅大屏")
	assert.NotContains(t, admin.get("/console/users").body, m[1], "and never again")

	wall := site.visitor(t)
	require.Equal(t, http.StatusSeeOther, wall.get("/screen?display="+m[1]).status)
	require.Equal(t, http.StatusOK, wall.get("/screen").status)

	creds, err := site.store.Credentials(context.Background(), store.Principal{Actor: "test:admin", Role: store.RoleAdmin})
	require.NoError(t, err)
	var id string
	for _, c := range creds {
		if c.Role == store.RoleDisplay {
			id = c.ID
		}
	}
	require.NotEmpty(t, id)
	for _, r := range []store.Role{store.RoleHotlineOffice, store.RoleSupervisor} {
		v := site.visitor(t).login(r)
		assert.Equal(t, http.StatusForbidden, v.post("/console/display-keys/"+id+"/revoke", nil).status, r)
		assert.Equal(t, http.StatusForbidden, v.post("/console/display-keys", url.Values{"unit": {office.Unit}, "days": {"1"}}).status, r)
	}
	apiKey := ""
	for _, c := range creds {
		if c.Role != store.RoleDisplay {
			apiKey = c.ID
			break
		}
	}
	assert.Equal(t, http.StatusNotFound, admin.post("/console/display-keys/"+apiKey+"/revoke", nil).status, "API keys are not revoked here")
	p = admin.post("/console/display-keys/"+id+"/revoke", nil)
	require.Equal(t, http.StatusOK, p.status, firstLine(p.body))
	assert.Contains(t, p.body, "已撤销")
	assert.Equal(t, http.StatusUnauthorized, wall.get("/screen").status, "the display shows the key is void")
	assert.Equal(t, http.StatusUnprocessableEntity, admin.post("/console/display-keys", url.Values{"unit": {office.Unit}, "days": {"0"}}).status)
}

// A wall display's refused keys are failed logins of its address, throttled as an API key's are:
// past the address's failure budget it is refused (429) without a write to the audit chain.
func TestDisplayKeyFailuresThrottled(t *testing.T) {
	site := demoSQLite(t, server.WithRateLimits(server.RateLimits{FailureRate: 0.001, FailureBurst: 3}))
	bad := "hlk_" + strings.Repeat("d", 64)
	wall := site.visitor(t)
	for range 3 {
		assert.Equal(t, http.StatusUnauthorized, wall.get("/screen?display="+bad).status)
	}
	for range 4 {
		p := wall.get("/screen?display=" + bad)
		assert.Equal(t, http.StatusTooManyRequests, p.status)
		assert.NotEmpty(t, p.header.Get("Retry-After"))
	}
	assert.Len(t, auditRows(t, site.store, "auth.failure"), 2, "counts 1 and 2 only: the throttled attempts wrote nothing")
}
