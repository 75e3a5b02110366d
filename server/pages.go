package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/web"
	"github.com/hotline12345/hotline/ticket/privacy"
	"github.com/hotline12345/hotline/ticket/screen"
)

// The pages people use (server/web): the staff console behind a signed-in session, the big screen,
// the public pages and the rating forms. Each handler calls the same store methods and domain
// functions as the JSON handler of the same capability, so no rule is written twice; the pages add
// sessions (store.Login, store.StaffSession), CSRF protection on every form, and HTML error pages.

// Cookie names of the pages.
const (
	sessionCookie = "hotline_session"
	csrfCookie    = "hotline_csrf"
	csrfField     = "_csrf"
	ctxStaff      = "hotline.staff"
)

// WithoutPages leaves the pages out: the server answers the JSON API only.
func WithoutPages() Option {
	return func(c *config) error {
		c.noPages = true
		return nil
	}
}

// WithSessionPolicy replaces the staff sessions' policy (store.DefaultSessionPolicy: 30 minutes
// idle, 12 hours at most, 5 failures lock an account for 15 minutes).
func WithSessionPolicy(p store.SessionPolicy) Option {
	return func(c *config) error {
		if err := p.Validate(); err != nil {
			return err
		}
		c.sessions = p
		return nil
	}
}

// WithSecureCookies marks the pages' cookies Secure whatever the request: for a server behind a
// TLS-terminating proxy that does not send X-Forwarded-Proto. Without it the session cookie is
// Secure when the request came over TLS or X-Forwarded-Proto says https.
func WithSecureCookies() Option {
	return func(c *config) error {
		c.secureCookies = true
		return nil
	}
}

// pageState is what the page handlers keep besides the server's own.
type pageState struct {
	tmpl     *web.Pages
	sessions store.SessionPolicy
	// limits bound public submissions, logins bound sign-in attempts, per client address.
	limits, logins *middleware.RateLimiterMemoryStore
	// screener is built on first use (the intake preview): its automaton takes a moment.
	screener func() (*screen.Screener, error)
}

func (s *server) initPages() error {
	if s.cfg.noPages {
		return nil
	}
	tmpl, err := web.New()
	if err != nil {
		return err
	}
	pol := s.cfg.sessions
	if pol == (store.SessionPolicy{}) {
		pol = store.DefaultSessionPolicy()
	}
	s.web = &pageState{tmpl: tmpl, sessions: pol,
		screener: sync.OnceValues(func() (*screen.Screener, error) { return screen.New(screen.Shanghai()) }),
		// Public submissions: 10 a minute per client and form, in bursts of 5. Sign-in attempts: 60 a
		// minute per client in bursts of 20 (an office's staff may share one address; each account
		// is locked after its own failures).
		limits: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Every(6 * time.Second), Burst: 5, ExpiresIn: 10 * time.Minute}),
		logins: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Every(time.Second), Burst: 20, ExpiresIn: 10 * time.Minute})}
	return nil
}

// pageRoutes registers the pages, one line per route. Middleware goes on each route, not on a
// group: a group's middleware would also answer every unmatched path.
func (s *server) pageRoutes(e *echo.Echo) {
	static := http.StripPrefix("/static/", http.FileServer(http.FS(web.Static())))
	e.GET("/static/*", echo.WrapHandler(static), staticHeaders)
	e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/public/") })

	csrf := s.csrf()
	pub := func(mw ...echo.MiddlewareFunc) []echo.MiddlewareFunc {
		return append([]echo.MiddlewareFunc{s.pageHeaders, s.pageErrors, csrf}, mw...)
	}
	staff := func(roles ...store.Role) []echo.MiddlewareFunc { return pub(s.signedIn, s.allow(roles...)) }
	all := append(append([]store.Role{}, ticketReaders...), store.RoleAdmin)

	e.GET("/login", s.loginPage, pub()...)
	e.POST("/login", s.login, pub(s.limitLogins)...)
	e.POST("/logout", s.logout, pub()...)

	e.GET("/console/", s.consoleHome, staff(all...)...)
	e.GET("/console/tickets", s.ticketsPage, staff(ticketReaders...)...)
	e.GET("/console/tickets/:id", s.ticketPage, staff(ticketReaders...)...)
	e.POST("/console/tickets/:id/actions", s.ticketActionPage, staff(ticketActors...)...)
	e.POST("/console/tickets/:id/rating-link", s.ratingLinkPage, staff(store.RoleHotlineOffice)...)
	e.POST("/console/tickets/:id/reveal", s.revealPage, staff(store.RoleSupervisor)...)
	e.GET("/console/tickets/:id/forms/:form", s.ticketFormPage, staff(ticketReaders...)...)
	e.GET("/console/intake", s.intakePage, staff(store.RoleHotlineOffice)...)
	e.POST("/console/intake", s.intakeSubmit, staff(store.RoleHotlineOffice)...)
	e.GET("/console/window", s.windowPage, staff(store.RoleHotlineOffice)...)
	e.POST("/console/window", s.windowSubmit, staff(store.RoleHotlineOffice)...)
	e.GET("/console/reviews", s.reviewsPage, staff(ticketReaders...)...)
	e.GET("/console/indicators", s.indicatorsPage, staff(ticketReaders...)...)
	e.GET("/console/users", s.usersPage, staff(store.RoleAdmin)...)
	e.POST("/console/users", s.createUserPage, staff(store.RoleAdmin)...)
	e.GET("/screen", s.screenPage, staff(ticketReaders...)...)

	e.GET("/public/", s.publicIndex, pub()...)
	e.GET("/public/reviews", s.publicReviews, pub()...)
	e.GET("/public/ratings", s.publicRatings, pub()...)
	e.GET("/public/rankings", s.publicRankings, pub()...)
	e.GET("/public/rankings/result", s.publicRankingResult, pub()...)
	e.GET("/rate/window/:token", s.rateWindowPage, pub()...)
	e.POST("/rate/window/:token", s.rateWindow, pub(s.limitSubmissions)...)
	e.GET("/rate/ticket/:token", s.rateTicketPage, pub()...)
	e.POST("/rate/ticket/:token", s.rateTicket, pub(s.limitSubmissions)...)

	// Attachments, the knowledge base, the case library and the intake's suggestions (issue 15;
	// pages_attach.go, pages_kb.go). A form carrying a file is bounded before the CSRF check reads it.
	withFile := func(max func() int64, what string, roles ...store.Role) []echo.MiddlewareFunc {
		return []echo.MiddlewareFunc{s.pageHeaders, s.pageErrors, s.limitBody(max, what), csrf, s.signedIn, s.allow(roles...)}
	}
	maxFile := func() int64 { return s.store.AttachmentPolicy().MaxBytes }
	e.POST("/console/tickets/:id/attachments", s.attachPage(store.SubjectTicket), withFile(maxFile, "文件", ticketActors...)...)
	e.GET("/console/cases/:id/attachments", s.caseAttachmentsPage, staff(ticketReaders...)...)
	e.POST("/console/cases/:id/attachments", s.attachPage(store.SubjectCase), withFile(maxFile, "文件", ticketActors...)...)
	e.GET("/console/attachments/:id", s.attachmentPage, staff(ticketReaders...)...)
	e.POST("/console/intake/suggest", s.intakeSuggestPage, staff(store.RoleHotlineOffice)...)
	e.GET("/console/knowledge", s.knowledgePage, staff(all...)...)
	e.POST("/console/knowledge", s.knowledgeSave, staff(kbEditors...)...)
	e.GET("/console/knowledge/new", s.knowledgeFormPage, staff(kbEditors...)...)
	e.GET("/console/knowledge/export", s.exportKnowledge, staff(all...)...)
	e.POST("/console/knowledge/import", s.knowledgeImportPage,
		withFile(func() int64 { return knowledge.MaxImportBytes }, "导入文件", kbEditors...)...)
	e.GET("/console/knowledge/:id", s.knowledgeEntryPage, staff(all...)...)
	e.POST("/console/knowledge/:id", s.knowledgeSave, staff(kbEditors...)...)
	e.GET("/console/knowledge/:id/edit", s.knowledgeFormPage, staff(kbEditors...)...)
	e.GET("/console/library", s.libraryPage, staff(ticketReaders...)...)
	e.POST("/console/library", s.libraryDraft, staff(store.RoleHotlineOffice, store.RoleHandlingUnit)...)
	e.GET("/console/library/:id", s.libraryCasePage, staff(ticketReaders...)...)
	e.POST("/console/library/:id/actions", s.libraryAct, staff(ticketActors...)...)
}

// The roles that read tickets and those that act on them through the console.
var (
	ticketReaders = []store.Role{store.RoleHotlineOffice, store.RoleHandlingUnit, store.RoleSupervisor, store.RoleAuditor}
	ticketActors  = []store.Role{store.RoleHotlineOffice, store.RoleHandlingUnit, store.RoleSupervisor}
)

// contentSecurity allows the pages only their own scripts, styles and images.
const contentSecurity = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

func setPageHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurity)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
}

func (s *server) pageHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		setPageHeaders(h)
		h.Set("Cache-Control", "no-store")
		return next(c)
	}
}

func staticHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		setPageHeaders(c.Response().Header())
		c.Response().Header().Set("Cache-Control", "public, max-age=3600")
		return next(c)
	}
}

// csrf protects every form of the pages (echo's CSRF middleware: the Sec-Fetch-Site header from
// browsers that send it, else a token in a cookie that the form must repeat in _csrf).
func (s *server) csrf() echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:" + csrfField,
		CookieName:     csrfCookie,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   s.cfg.secureCookies,
		CookieSameSite: http.SameSiteStrictMode,
		ContextKey:     "csrf",
	})
}

// limitSubmissions bounds public submissions per client address and form.
func (s *server) limitSubmissions(next echo.HandlerFunc) echo.HandlerFunc {
	return s.pageLimit(s.web.limits)(next)
}

// limitLogins bounds sign-in attempts per client address.
func (s *server) limitLogins(next echo.HandlerFunc) echo.HandlerFunc {
	return s.pageLimit(s.web.logins)(next)
}

// pageLimit refuses a client over st's rate with a page saying so (echo's memory store keeps the rates;
// its middleware would answer through the API's error writer, not as a page).
func (s *server) pageLimit(st *middleware.RateLimiterMemoryStore) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if ok, err := st.Allow(c.Path() + "|" + c.RealIP()); !ok || err != nil {
				c.Response().Header().Set("Retry-After", "60")
				return &pageError{status: http.StatusTooManyRequests, title: "提交过于频繁", message: "提交过于频繁，请一分钟后再试。"}
			}
			return next(c)
		}
	}
}

// pageError is an error a page shows as it is.
type pageError struct {
	status         int
	title, message string
}

func (e *pageError) Error() string { return e.title }

// pageErrors renders an error a page handler returns as an HTML page with the status the error
// table gives it; the problem's detail is shown only where the table allows it.
func (s *server) pageErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Response().Committed {
			return err
		}
		var pe *pageError
		var he *echo.HTTPError
		status, title, msg := http.StatusInternalServerError, "出错了", "服务器内部错误，请稍后再试。"
		switch {
		case errors.As(err, &pe):
			status, title, msg = pe.status, pe.title, pe.message
		case errors.As(err, &he) && he.Code < 500:
			// echo's own: the CSRF check (403), a missing token (400), no such route.
			status = he.Code
			title, msg = pageMessage(Problem{Status: he.Code})
			if he.Code == http.StatusForbidden || he.Code == http.StatusBadRequest {
				title, msg = "请求已失效", "页面已过期或请求来源不明，请刷新页面后重试。"
			}
		default:
			p, unexpected := problemOf(err)
			status = p.Status
			if unexpected || errors.Is(err, store.ErrCorrupt) {
				// Logged once, as the error table's writer does; the page says nothing more.
				s.log.LogAttrs(c.Request().Context(), slog.LevelError, "unexpected error", slog.String("request_id", requestIDOf(c)),
					slog.String("error", logScrub.Scrub(err.Error(), privacy.AudienceStaff)))
			}
			title, msg = pageMessage(p)
		}
		c.Set(ctxProblemCode, fmt.Sprint(status))
		back := "/console/"
		if _, ok := c.Get(ctxStaff).(store.Staff); !ok {
			back = "/public/"
		}
		return s.render(c, status, "error", view{Title: title, Data: map[string]any{"Message": msg, "RequestID": requestIDOf(c), "Back": back}})
	}
}

// pageMessage says a problem in Chinese for a page.
func pageMessage(p Problem) (title, msg string) {
	switch p.Status {
	case http.StatusNotFound:
		return "未找到", "没有找到要查看的内容，或您无权查看。"
	case http.StatusForbidden:
		return "无权操作", "当前账号的角色不能进行此项操作。"
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		msg = "提交的内容有误"
		if p.Detail != "" {
			msg += "：" + p.Detail
		}
		return "内容有误", msg
	case http.StatusConflict, http.StatusPreconditionFailed:
		msg = "当前状态下不能进行此项操作"
		if p.Detail != "" {
			msg += "：" + p.Detail
		}
		return "不能操作", msg
	case http.StatusRequestEntityTooLarge:
		return "内容过长", "提交的内容过长。"
	case http.StatusServiceUnavailable:
		return "暂时无法服务", "服务暂时不可用，请稍后再试。"
	}
	return "出错了", "服务器内部错误，请稍后再试。"
}

// signedIn requires a staff session: without one a GET is sent to the sign-in page (and back
// after), anything else is 401. The principal goes in the context like an API key's.
func (s *server) signedIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(sessionCookie)
		if err == nil {
			u, err := s.store.StaffSession(c.Request().Context(), ck.Value, s.web.sessions, s.now())
			switch {
			case err == nil:
				c.Set(ctxStaff, u)
				c.Set(ctxPrincipal, u.Principal())
				return next(c)
			case !errors.Is(err, store.ErrForbidden):
				return err
			}
			s.clearSession(c)
		}
		if c.Request().Method == http.MethodGet {
			return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		}
		return &pageError{status: http.StatusUnauthorized, title: "请重新登录", message: "登录已过期，请重新登录后再提交。"}
	}
}

// allow lets only the given roles through.
func (s *server) allow(roles ...store.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := staffOf(c)
			for _, r := range roles {
				if u.Role == r {
					return next(c)
				}
			}
			return fmt.Errorf("%w: %s may not open this page", store.ErrForbidden, u.Role)
		}
	}
}

func staffOf(c echo.Context) store.Staff {
	u, _ := c.Get(ctxStaff).(store.Staff)
	return u
}

func (s *server) secure(c echo.Context) bool {
	return s.cfg.secureCookies || c.Request().TLS != nil || strings.EqualFold(c.Request().Header.Get(echo.HeaderXForwardedProto), "https")
}

func (s *server) setSession(c echo.Context, sess store.Session) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: sess.Token, Path: "/", HttpOnly: true, Secure: s.secure(c),
		SameSite: http.SameSiteLaxMode})
}

func (s *server) clearSession(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure(c),
		SameSite: http.SameSiteLaxMode})
}

// view is what every page template gets.
type view struct {
	Title     string
	Staff     *store.Staff
	UnitName  string
	RoleLabel string
	Menu      []menuItem
	CSRF      string
	Nav       string
	Notice    string
	Error     string
	Data      any
}

type menuItem struct {
	Href, Label string
	Current     bool
}

// roleLabels names the store's roles in Chinese.
var roleLabels = map[store.Role]string{
	store.RoleHotlineOffice: "热线办", store.RoleHandlingUnit: "承办单位", store.RoleSupervisor: "督办部门",
	store.RoleAuditor: "审计", store.RoleAdmin: "系统管理员", store.RoleSystem: "系统",
}

// menu is the console's navigation for a role.
func menu(role store.Role, nav string) []menuItem {
	var items []menuItem
	add := func(key, href, label string, roles ...store.Role) {
		for _, r := range roles {
			if r == role {
				items = append(items, menuItem{Href: href, Label: label, Current: key == nav})
				return
			}
		}
	}
	add("tickets", "/console/tickets", "工单", ticketReaders...)
	add("intake", "/console/intake", "受理", store.RoleHotlineOffice)
	add("window", "/console/window", "办不成事窗口", store.RoleHotlineOffice)
	add("reviews", "/console/reviews", "评价与申诉", ticketReaders...)
	add("indicators", "/console/indicators", "指标与排名", ticketReaders...)
	add("knowledge", "/console/knowledge", "知识库", append(append([]store.Role{}, ticketReaders...), store.RoleAdmin)...)
	add("library", "/console/library", "案例库", ticketReaders...)
	add("screen", "/screen", "大屏", ticketReaders...)
	add("users", "/console/users", "账号管理", store.RoleAdmin)
	add("public", "/public/", "公开页", ticketReaders...)
	return items
}

// render writes page name with v, filling in the session's part of the view.
func (s *server) render(c echo.Context, status int, name string, v view) error {
	if tok, ok := c.Get("csrf").(string); ok {
		v.CSRF = tok
	}
	if u, ok := c.Get(ctxStaff).(store.Staff); ok {
		v.Staff = &u
		v.RoleLabel = roleLabels[u.Role]
		v.UnitName = s.unitName(c.Request().Context(), u.Unit)
		v.Menu = menu(u.Role, v.Nav)
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return s.web.tmpl.Render(c.Response(), name, v)
}

// directory reads the unit directory and region tree (for names and the forms' choices).
func (s *server) directory(ctx context.Context) (*routing.Directory, error) {
	r, err := s.store.Router(ctx, store.Principal{Actor: "web:pages", Role: store.RoleSystem})
	if err != nil {
		return nil, err
	}
	return r.Directory(), nil
}

// unitName is a unit's name, or its id when the directory does not have it.
func (s *server) unitName(ctx context.Context, id string) string {
	if id == "" {
		return ""
	}
	if d, err := s.directory(ctx); err == nil {
		if u, ok := d.Unit(id); ok {
			return u.Name
		}
	}
	return id
}

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

func (s *server) consoleHome(c echo.Context) error {
	switch staffOf(c).Role {
	case store.RoleAdmin:
		return c.Redirect(http.StatusFound, "/console/users")
	}
	return c.Redirect(http.StatusFound, "/console/tickets")
}

// loginPage shows the sign-in form.
func (s *server) loginPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "login", view{Title: "登录", Data: s.loginData(c.QueryParam("next"), "")})
}

func (s *server) loginData(next, username string) map[string]any {
	p := s.web.sessions
	return map[string]any{"Next": safeNext(next), "Username": username, "MaxFailures": p.MaxFailures,
		"LockoutMinutes": int(p.Lockout.Minutes()), "IdleMinutes": int(p.IdleTimeout.Minutes())}
}

// safeNext keeps a post-login destination inside the console.
func safeNext(next string) string {
	if (strings.HasPrefix(next, "/console/") || strings.HasPrefix(next, "/screen")) && !strings.HasPrefix(next, "//") &&
		!strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/console/"
}

// login signs a member of staff in: store.Login checks the password (argon2id) and the TOTP code,
// counts failures and locks the account after too many.
func (s *server) login(c echo.Context) error {
	username, password := c.FormValue("username"), c.FormValue("password")
	code := strings.TrimSpace(c.FormValue("totp"))
	now := s.now()
	sess, err := s.store.Login(c.Request().Context(), store.LoginRequest{Username: username, Password: password,
		SecondFactor: func(secret []byte) (int64, bool) { return checkTOTP(secret, code, now) }}, s.web.sessions, now)
	if err != nil {
		var le *store.LockedError
		msg := "用户名、密码或动态口令不正确。"
		switch {
		case errors.As(err, &le):
			msg = fmt.Sprintf("连续登录失败次数过多，账号已锁定至 %s。", web.When(le.Until))
		case !errors.Is(err, store.ErrForbidden):
			return err
		}
		return s.render(c, http.StatusUnauthorized, "login", view{Title: "登录", Error: msg,
			Data: s.loginData(c.FormValue("next"), username)})
	}
	s.setSession(c, sess)
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}

// logout ends the session.
func (s *server) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := s.store.Logout(c.Request().Context(), ck.Value, s.now()); err != nil {
			return err
		}
	}
	s.clearSession(c)
	return c.Redirect(http.StatusSeeOther, "/login")
}
