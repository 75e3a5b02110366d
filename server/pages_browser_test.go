package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/demo"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// The browser tests drive the pages in headless Chromium (Debian's chromium-headless-shell, which
// .ci/run installs) through chromedp: what a person does, with the browser's own forms, cookies and
// CSRF headers. Without the browser they fail in CI (see chromium); HOTLINE_TEST_BROWSER=0 skips
// them. HOTLINE_TEST_CHROMIUM names another binary. Each page is shot at 1366×768 (an office
// screen) and 390×844 (a phone) into web/testdata/screens/ (not committed), and its width checked:
// no page may scroll sideways.

// screensDir is where the screenshots go, beside the templates.
const screensDir = "web/testdata/screens"

// chromium finds the browser or stops the test saying why. Without one the test fails in CI (CI set,
// as .ci/run runs; .ci/run installs the browser) and with HOTLINE_TEST_BROWSER=1; with
// HOTLINE_TEST_BROWSER=0, and on a developer's machine that has no browser, it is skipped saying
// how to install it, so that the Quick start's "go test ./..." passes with Go alone.
func chromium(t *testing.T) string {
	t.Helper()
	if os.Getenv("HOTLINE_TEST_BROWSER") == "0" {
		t.Skip("HOTLINE_TEST_BROWSER=0: the browser tests are skipped")
	}
	if p := os.Getenv("HOTLINE_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium-headless-shell", "headless_shell", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no headless Chromium: install it (apt-get update && apt-get install -y chromium-headless-shell) or name it in HOTLINE_TEST_CHROMIUM"
	if ci := os.Getenv("CI"); (ci != "" && ci != "false" && ci != "0") || os.Getenv("HOTLINE_TEST_BROWSER") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg + "; the browser tests are skipped outside CI (HOTLINE_TEST_BROWSER=1 makes this a failure)")
	return ""
}

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserErr    error
	browserCancel func()
)

// browser returns a context of a shared headless browser (one per test binary).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromium(t)
	browserOnce.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox, // the tests run as root in CI
			chromedp.DisableGPU,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-translate", true),
			chromedp.Flag("mute-audio", true),
			chromedp.Flag("hide-scrollbars", true),
			chromedp.Flag("lang", "zh-CN"),
			chromedp.WindowSize(1366, 768),
		)
		actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelB := chromedp.NewContext(actx)
		browserErr = chromedp.Do(ctx) // start the browser
		browserCtx, browserCancel = ctx, func() { cancelB(); cancelA() }
	})
	require.NoError(t, browserErr, "starting %s", path)
	return browserCtx
}

// tab is one browser tab on a demo site, with its own cookies.
type tab struct {
	t    *testing.T
	ctx  context.Context
	site *demoSite
}

func newTab(t *testing.T, site *demoSite) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancelT)
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)))
	return &tab{t: t, ctx: ctx, site: site}
}

func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	require.NoError(b.t, chromedp.Do(b.ctx, actions...))
}

// open loads a page and checks its status.
func (b *tab) open(path string, status int) {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.site.url+path))
	require.NoError(b.t, err, path)
	require.Equal(b.t, int64(status), resp.Status, "%s", path)
}

// submit clicks a button that sends a form and waits for the next page; it returns its status.
func (b *tab) submit(css string) int64 {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(css)))
	require.NoError(b.t, err, "submit %s", css)
	return resp.Status
}

func (b *tab) set(id, value string) {
	b.t.Helper()
	b.do(chromedp.SetValue(chromedp.ID(id), value))
}

func (b *tab) text(css string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(css)))
	require.NoError(b.t, err, css)
	return s
}

func (b *tab) html() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	require.NoError(b.t, err)
	return s
}

func (b *tab) location() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Location())
	require.NoError(b.t, err)
	return s
}

// login signs in as role's demo account with the sign-in form.
func (b *tab) login(role store.Role) {
	b.t.Helper()
	b.open("/login", http.StatusOK)
	a := account(b.t, role)
	b.set("username", a.Username)
	b.set("password", demo.StaffPassword)
	require.Equal(b.t, int64(http.StatusOK), b.submit("main form button[type=submit]"))
	require.Contains(b.t, b.location(), "/console/")
}

func (b *tab) logout() {
	b.t.Helper()
	b.submit("header.top .who button")
	require.Contains(b.t, b.location(), "/login")
}

// size is a viewport.
type size struct {
	name          string
	width, height int64
}

var (
	office = size{"1366x768", 1366, 768}
	phone  = size{"390x844", 390, 844}
	wall   = size{"1920x1080", 1920, 1080}
)

// shot takes a screenshot of the page at each size into screensDir and checks that it does not
// scroll sideways (no layout break); the viewport is left at the office size.
func (b *tab) shot(name string, sizes ...size) {
	b.t.Helper()
	if len(sizes) == 0 {
		sizes = []size{office, phone}
	}
	require.NoError(b.t, os.MkdirAll(screensDir, 0o755))
	for _, sz := range sizes {
		b.do(chromedp.EmulateViewport(sz.width, sz.height), chromedp.Sleep(100*time.Millisecond))
		over, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](
			`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`))
		require.NoError(b.t, err)
		assert.False(b.t, over, "%s at %s scrolls sideways", name, sz.name)
		png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
		require.NoError(b.t, err)
		require.NoError(b.t, os.WriteFile(filepath.Join(screensDir, name+"-"+sz.name+".png"), png, 0o644))
	}
	b.do(chromedp.EmulateViewport(office.width, office.height))
}

// act opens an action's form on the ticket page, fills it and sends it; the page must say it was
// done.
func (b *tab) act(action string, fields map[string]string, clicks ...string) {
	b.t.Helper()
	// Open the action's <details> (a click on its summary would close it when it is already open,
	// as the only action is).
	_, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(document.getElementById("action-`+action+`").open = true)`))
	require.NoError(b.t, err, "no form for %s on %s", action, b.location())
	b.do(chromedp.WaitVisible(chromedp.CSS("#action-" + action + " form")))
	for id, v := range fields {
		b.set(action+"-"+id, v)
	}
	for _, id := range clicks {
		b.do(chromedp.Click(chromedp.ID(action + "-" + id)))
	}
	status := b.submit("#action-" + action + " form button[type=submit]")
	require.Equal(b.t, int64(http.StatusOK), status, "%s: %s", action, b.text("main"))
	require.Contains(b.t, b.text("main .notice"), "已完成", action)
}

// state is the ticket's state as its page shows it.
func (b *tab) state() string {
	return b.text("main h1 .tag")
}

// TestBrowserClosedLoop takes a ticket from intake to close in the browser (000 §5 1-5-15; 004 §8,
// §11): the hotline office accepts it (screening, repeat check and the router's dispatch), the unit
// makes first contact and replies, the citizen is dissatisfied at callback, the office reopens it
// (不满退回), the unit replies again with its leader's review, the citizen is satisfied and the office
// closes it.
func TestBrowserClosedLoop(t *testing.T) {
	site := demoSQLite(t)
	b := newTab(t, site)
	b.open("/console/tickets", http.StatusOK) // sent to sign in
	require.Contains(t, b.location(), "/login?next=")
	b.shot("login")
	b.login(store.RoleHotlineOffice)
	b.open("/console/tickets", http.StatusOK)
	b.shot("tickets")

	// Intake: preview (screening, repeats, routing), then save.
	b.open("/console/intake", http.StatusOK)
	b.set("kind", "help_request")
	b.set("title", "楼道灯不亮，请房管办维修")
	b.set("content", "宝林四村12号楼楼道灯已坏一周，夜间上下楼不便，请尽快维修。")
	b.set("matter", "030102")
	b.set("region", "310113003017")
	b.set("address", "宝林四村12号")
	b.set("name", "测试市民")
	b.set("phone", "13911112222")
	require.Equal(t, int64(http.StatusOK), b.submit(`button[value="preview"]`))
	assert.Contains(t, b.text("#h-preview"), "预检结果")
	assert.Contains(t, b.text("main"), "受理")
	b.shot("intake-preview")
	require.Equal(t, int64(http.StatusCreated), b.submit(`button[value="save"]`))
	notice := b.text("main .notice")
	require.Contains(t, notice, "已受理")
	assert.Contains(t, notice, "宝山区房屋管理局友谊路房管办", "dispatched by the router to the unit")
	href, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS("main .notice a"), "href"))
	require.NoError(t, err)
	require.True(t, href.Exists)
	ticketPath := href.Value
	b.open(ticketPath, http.StatusOK)
	assert.Equal(t, "已派单", b.state())
	assert.Contains(t, b.text("section[aria-labelledby=h-clocks]"), "先行联系", "the stage clocks")
	b.shot("ticket-dispatched")
	b.logout()

	// The handling unit: first contact, then reply.
	b.login(store.RoleHandlingUnit)
	b.open(ticketPath, http.StatusOK)
	b.act("first_contact", nil)
	assert.Equal(t, "办理中", b.state())
	b.act("reply", map[string]string{"summary": "已更换楼道灯", "report": "已于当日派电工更换12号楼1-6层楼道灯，并电话告知来电人。",
		"outcome": "resolved"})
	assert.Equal(t, "已办结", b.state())
	b.logout()

	// The office calls back: dissatisfied (004 §11), so it reopens the ticket (不满退回).
	b.login(store.RoleHotlineOffice)
	b.open(ticketPath, http.StatusOK)
	b.act("callback", map[string]string{"result": "dissatisfied", "efficiency": "dissatisfied", "attitude": "fairly_satisfied"},
		"contacted-yes", "resolved-no")
	assert.Equal(t, "已回访", b.state())
	b.act("reopen", map[string]string{"reason": "来电人反映5楼灯仍不亮"})
	assert.Equal(t, "不满退回", b.state())
	b.shot("ticket-reopened")
	b.logout()

	// The unit redoes it; its leader in charge signs the redo reply (004 §11).
	b.login(store.RoleHandlingUnit)
	b.open(ticketPath, http.StatusOK)
	b.act("reply", map[string]string{"summary": "已更换5楼灯具", "report": "复查发现5楼灯具损坏，已更换灯具并现场确认。",
		"outcome": "resolved", "reviewed": "房管办主任 周某"})
	assert.Equal(t, "已办结", b.state())
	b.logout()

	// Satisfied this time; the office closes it.
	b.login(store.RoleHotlineOffice)
	b.open(ticketPath, http.StatusOK)
	b.act("callback", map[string]string{"result": "satisfied", "efficiency": "satisfied", "attitude": "satisfied"},
		"contacted-yes", "resolved-yes")
	b.act("close", nil)
	assert.Equal(t, "已结案", b.state())
	history := b.text("#h-history + ol")
	for _, step := range []string{"受理", "派单", "先行联系", "办结答复", "回访", "不满退回", "结案"} {
		assert.Contains(t, history, step)
	}
	b.shot("ticket-closed")

	// The printable forms of 003.
	id := strings.TrimPrefix(ticketPath, "/console/tickets/")
	b.open("/console/tickets/"+id+"/forms/registration", http.StatusOK)
	assert.Contains(t, b.text("main"), "测试市民", "the office handles the ticket: unmasked")
	b.shot("form-registration")
	b.open("/console/tickets/"+id+"/forms/handling", http.StatusOK)
	assert.Contains(t, b.text("main"), "督办次数")
	b.shot("form-handling")
	for _, p := range []string{"/console/window", "/console/reviews", "/console/indicators", "/console/exports"} {
		b.open(p, http.StatusOK)
		b.shot(strings.TrimPrefix(strings.ReplaceAll(p, "/", "-"), "-console-"))
	}
}

// TestBrowserUnitSeesOnlyItsTickets: signed in as the handling unit, every ticket of the list is one
// it handles.
func TestBrowserUnitSeesOnlyItsTickets(t *testing.T) {
	site := demoSQLite(t)
	b := newTab(t, site)
	b.login(store.RoleHandlingUnit)
	b.open("/console/tickets?limit=500", http.StatusOK)
	numbers, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("tr[data-number]")).map(r => r.dataset.number)`))
	require.NoError(t, err)
	lead := map[string]string{}
	for _, tk := range site.sum.Tickets {
		lead[tk.Number] = tk.Lead
	}
	require.NotEmpty(t, numbers)
	for _, n := range numbers {
		assert.Equal(t, demo.HandlingUnit, lead[n], "ticket %s", n)
	}
	for n, l := range lead {
		if l == demo.HandlingUnit {
			assert.Contains(t, numbers, n)
		}
	}
	b.shot("tickets-unit")
	_, other := demoTickets(t, site.sum)
	b.open("/console/tickets/"+other.ID, http.StatusNotFound)
}

// TestBrowserBigScreenRanking: the big screen at 1920×1080 shows the month's ranking exactly as GET
// /v1/assessment/results gives it.
func TestBrowserBigScreenRanking(t *testing.T) {
	site := demoSQLite(t)
	b := newTab(t, site)
	b.login(store.RoleHotlineOffice)
	b.do(chromedp.EmulateViewport(wall.width, wall.height))
	month := pagesNow.Format("2006-01")
	b.open("/screen?period="+month, http.StatusOK)
	rows, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#ranking tbody tr[data-unit]")).map(r => r.dataset.unit + " " + r.cells[0].textContent + " " + r.cells[2].textContent)`))
	require.NoError(t, err)
	req, _ := http.NewRequest(http.MethodGet, site.url+"/v1/assessment/results?scheme=street-hotline&period="+month, nil)
	req.Header.Set("Authorization", "Bearer "+site.keys[store.RoleHotlineOffice])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var res server.AssessmentResponse
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&res))
	var want []string
	for _, st := range append(res.Result.Ranking.Ranked, res.Result.Ranking.NotRanked...) {
		rank := "—"
		if st.Rank > 0 {
			rank = fmt.Sprint(st.Rank)
		}
		want = append(want, st.Unit+" "+rank+" "+st.Total.Text(2))
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, rows)
	svg, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.chart rect").length`))
	require.NoError(t, err)
	assert.Positive(t, svg, "charts drawn as inline SVG")
	b.shot("screen", wall)
}

// TestBrowserQRRating: the office registers a window, its QR code (PNG, as the API draws it) is
// decoded back to its URL, a phone opens it, rates the window, and the rating is on the public page
// — with no citizen's data on any public page.
func TestBrowserQRRating(t *testing.T) {
	site := demoSQLite(t)
	pii := citizens(t, site)
	api := func(method, path, body string) *http.Response {
		req, err := http.NewRequest(method, site.url+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+site.keys[store.RoleHotlineOffice])
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	put := api(http.MethodPut, "/v1/windows/hall-2", `{"unit":"`+demo.HandlingUnit+`","hall":"示范区行政服务中心","name":"2号窗口"}`)
	require.Equal(t, http.StatusOK, put.StatusCode)
	qr := api(http.MethodGet, "/v1/windows/hall-2/qr.png?size=256", "")
	require.Equal(t, http.StatusOK, qr.StatusCode)
	png, err := io.ReadAll(qr.Body)
	require.NoError(t, err)
	link := decodeQR(t, png)
	require.Equal(t, site.url+"/public/windows/hall-2", link, "the QR code opens the window's rating page")
	b := newTab(t, site)
	b.do(chromedp.EmulateViewport(phone.width, phone.height))
	b.open(strings.TrimPrefix(link, site.url), http.StatusOK)
	b.shot("rate", phone, office)
	// Keyboard: Tab reaches the skip link first, and every level of the form by Tab and arrows.
	b.do(chromedp.KeyEvent(kb.Tab))
	focused, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.activeElement.className + ":" + document.activeElement.textContent`))
	require.NoError(t, err)
	assert.Equal(t, "skip:跳到正文", focused)
	tabs := 0
	for ; tabs < 20; tabs++ {
		b.do(chromedp.KeyEvent(kb.Tab))
		id, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.activeElement.id`))
		require.NoError(t, err)
		if strings.HasPrefix(id, "rating-") {
			break
		}
	}
	assert.Less(t, tabs, 20, "the rating levels are reachable with Tab")
	b.do(chromedp.EmulateViewport(phone.width, phone.height))
	b.do(chromedp.Click(chromedp.ID("rating-satisfied")))
	b.set("dim-attitude", "very_satisfied")
	b.set("dim-efficiency", "satisfied")
	b.set("text", "窗口人员耐心细致")
	require.Equal(t, int64(http.StatusCreated), b.submit("main form button[type=submit]"))
	assert.Contains(t, b.text("main h1"), "感谢")
	b.shot("rate-done", phone, office)

	b.open("/public/reviews?unit="+demo.HandlingUnit, http.StatusOK)
	page := b.html()
	assert.Contains(t, page, "2号窗口")
	assert.Contains(t, page, "服务态度：非常满意")
	b.shot("public-reviews")
	// A published ranking (001 (八), (十)) has its own page, linked from /public/rankings.
	pub := api(http.MethodPost, "/v1/rankings", `{"month":"`+pagesNow.Format("2006-01")+`"}`)
	require.Equal(t, http.StatusCreated, pub.StatusCode)
	var published store.Publication
	require.NoError(t, json.NewDecoder(pub.Body).Decode(&published))
	b.open("/public/rankings/"+published.ID, http.StatusOK)
	assert.NotContains(t, b.text("main"), "not ranked", "the reasons are said in Chinese")
	b.shot("public-ranking-published")
	for _, p := range []string{"/public/", "/public/ratings", "/public/rankings", "/public/reviews", "/public/rankings/" + published.ID} {
		b.open(p, http.StatusOK)
		page := b.html()
		for _, v := range pii {
			assert.NotContains(t, page, v, "%s", p)
		}
		assert.Empty(t, regexp.MustCompile(`1[3-9]\d{9}`).FindAllString(page, -1), p)
		if !strings.Contains(p, published.ID) {
			b.shot(strings.Trim(strings.ReplaceAll(p, "/", "-"), "-"))
		}
	}
}

// TestBrowserConsoleDownloadsAndDisplay: the unit's download page and the admin's accounts page at
// the office size; a wall display opens the big screen with its display key, no login, at 1920×1080;
// a citizen opens a ticket's rating link on a phone.
func TestBrowserConsoleDownloadsAndDisplay(t *testing.T) {
	site := demoSQLite(t)
	b := newTab(t, site)
	b.login(store.RoleHandlingUnit)
	b.open("/console/exports", http.StatusOK)
	assert.Contains(t, b.text("main h1"), "台账与通报下载")
	b.shot("exports")
	b.logout()
	b.login(store.RoleAdmin)
	b.open("/console/users", http.StatusOK)
	b.shot("users")

	ctx := context.Background()
	admin := store.Principal{Actor: "test:admin", Role: store.RoleAdmin}
	_, key, err := site.store.IssueCredential(ctx, admin, store.CredentialSpec{Unit: account(t, store.RoleHotlineOffice).Unit,
		Role: store.RoleDisplay, Label: "大厅大屏", Expires: pagesNow.Add(24 * time.Hour)}, pagesNow)
	require.NoError(t, err)
	d := newTab(t, site)
	d.do(chromedp.EmulateViewport(wall.width, wall.height))
	d.open("/screen?display="+key, http.StatusOK)
	assert.NotContains(t, d.location(), key, "the key leaves the address bar")
	n, err := chromedp.Run(d.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#ranking tbody tr[data-unit]").length`))
	require.NoError(t, err)
	assert.Positive(t, n, "the display shows the ranking")
	d.shot("screen-display", wall)

	var replied string
	for _, tk := range site.sum.Tickets {
		if tk.State == ticket.StateReplied {
			replied = tk.ID
		}
	}
	require.NotEmpty(t, replied)
	v := site.visitor(t).login(store.RoleHotlineOffice)
	p := v.post("/console/tickets/"+replied+"/rating-link", nil)
	require.Equal(t, http.StatusOK, p.status)
	m := regexp.MustCompile(`href="http://[^"/]*(/rate/ticket/[^"]+)"`).FindStringSubmatch(p.body)
	require.NotNil(t, m)
	c := newTab(t, site)
	c.do(chromedp.EmulateViewport(phone.width, phone.height))
	c.open(html.UnescapeString(m[1]), http.StatusOK)
	c.shot("rate-ticket", phone, office)
}
