package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// The console's reviews and appeals of a unit, its monthly indicators and the ranking, and the big
// screen (004 §14). The figures are the assessment endpoints' own: s.assessInput and assess.Score
// over the same scheme, period and as-of instant, so the page and GET /v1/assessment/results agree.

// screenScheme is the scheme of the monthly ranking the console and the big screen show.
const screenScheme = "street-hotline"

// monthParam reads a month (2026-11) or, empty, the month of now.
func (s *server) monthParam(v string) (assess.Period, string, error) {
	if v == "" {
		v = s.now().In(deadline.Location()).Format("2006-01")
	}
	p, err := periodParam(v)
	if err != nil || p.Kind != assess.PeriodMonth {
		return assess.Period{}, "", &paramError{Name: "period", Reason: "a month, e.g. 2026-11"}
	}
	return p, v, nil
}

type reviewRowView struct {
	ID, Rating, Channel, Window, Dimensions, VoidReason, TicketID string
	At                                                            time.Time
	Bad, Voided                                                   bool
}

type countView struct {
	Label string
	Count int
}

// dimensionsText lists a review's dimension ratings in the order of 001 (二).
func dimensionsText(r assess.Review) string {
	var parts []string
	for _, d := range assess.Dimensions() {
		if v, ok := r.Dimensions[d]; ok {
			parts = append(parts, d.Label()+"："+v.Label())
		}
	}
	return strings.Join(parts, "；")
}

// reviewsPage lists a unit's 好差评 reviews of a month and its appeals, objections and
// reconsiderations (store.Reviews and store.UnitCases, scoped like GET /v1/reviews: a handling unit
// sees its own only).
func (s *server) reviewsPage(c echo.Context) error {
	ctx := c.Request().Context()
	u := staffOf(c)
	period, month, err := s.monthParam(c.QueryParam("period"))
	if err != nil {
		return err
	}
	unit := c.QueryParam("unit")
	if u.Role == store.RoleHandlingUnit || unit == "" {
		unit = u.Unit
	}
	if len(unit) > 64 {
		return &paramError{Name: "unit", Reason: "at most 64 bytes"}
	}
	p := u.Principal()
	rs, err := s.store.Reviews(ctx, p, unit, period.Start, period.End)
	if err != nil {
		return err
	}
	dist := make([]countView, len(assess.Ratings()))
	for i, r := range assess.Ratings() {
		dist[i].Label = r.Label()
	}
	var rows []reviewRowView
	for _, r := range rs {
		row := reviewRowView{ID: r.ID, Rating: r.Rating.Label(), Channel: r.Channel.Label(), Window: r.Window,
			Dimensions: dimensionsText(r), At: r.At, Bad: r.Rating.Bad(), Voided: r.Unfounded}
		if r.Unfounded || r.Rating.Bad() {
			if sr, err := s.store.Review(ctx, p, r.ID); err == nil {
				row.TicketID, row.VoidReason = sr.TicketID, sr.VoidReason
			}
		}
		if !r.Unfounded && r.Rating.Rank() >= 1 && r.Rating.Rank() <= len(dist) {
			dist[r.Rating.Rank()-1].Count++
		}
		rows = append(rows, row)
	}
	cases, err := s.store.UnitCases(ctx, p, unit, period.Start, period.End, 200)
	if err != nil {
		return err
	}
	type caseRow struct {
		ID, Family, State, TicketID string
		Created, Updated            time.Time
	}
	families := map[string]string{store.FamilyAppeal: "差评申诉", store.FamilyObjection: "确责异议", store.FamilyReconsideration: "复查复核"}
	var crs []caseRow
	for _, cs := range cases {
		state := cs.State
		if rec, err := s.store.GetCase(ctx, p, cs.ID); err == nil {
			state = rec.Machine.State().Label()
		}
		crs = append(crs, caseRow{ID: cs.ID, Family: families[cs.Family], State: state, TicketID: cs.TicketID,
			Created: cs.Created, Updated: cs.Updated})
	}
	data := map[string]any{"Period": month, "Unit": unit, "UnitName": s.unitName(ctx, unit), "Reviews": rows, "Dist": dist, "Cases": crs}
	if u.Role != store.RoleHandlingUnit {
		dir, err := s.directory(ctx)
		if err != nil {
			return err
		}
		data["Units"] = unitOptions(dir, unit, "", func(routing.Unit) bool { return true })
	}
	return s.render(c, http.StatusOK, "reviews", view{Title: "评价与申诉", Nav: "reviews", Data: data})
}

// standingView is one row of a ranking as the pages show it.
type standingView struct {
	Rank       int
	Unit, Name string
	Total      string
	Sample     int64
	Reason     string
	Mine       bool
	Score      assess.Fixed
}

// scoreMonth scores a month under the ranking scheme as p, as GET /v1/assessment/results does with
// scheme=street-hotline&period=… and no as_of.
func (s *server) scoreMonth(c echo.Context, p store.Principal, period assess.Period) (assess.Result, assess.Input, error) {
	scheme, err := assess.Preset(screenScheme)
	if err != nil {
		return assess.Result{}, assess.Input{}, err
	}
	asOf := earlier(s.now(), period.End)
	if asOf.Before(period.Start) {
		asOf = period.Start
	}
	in, err := s.assessInput(c, p, loop.StreetHotline(), period, asOf)
	if err != nil {
		return assess.Result{}, assess.Input{}, err
	}
	res, err := assess.Score(in, scheme, assess.Query{Period: period, AsOf: asOf})
	return res, in, err
}

var (
	notRankedRE = regexp.MustCompile(`^not ranked: sample (\d+) < minimum (\d+)$`)
	tiedRE      = regexp.MustCompile(`^tied with (\S+)(; ordered by unit ID)?$`)
	belowRE     = regexp.MustCompile(`^equal total with (\S+); below it on (.+)$`)
)

// reasonText says a standing's reason (assess.Rank's English) in Chinese, naming units by name.
func (s *server) reasonText(ctx context.Context, r string) string {
	switch {
	case notRankedRE.MatchString(r):
		m := notRankedRE.FindStringSubmatch(r)
		return "样本 " + m[1] + " 件，少于最低样本 " + m[2] + " 件，不参与排名"
	case tiedRE.MatchString(r):
		m := tiedRE.FindStringSubmatch(r)
		out := "与" + s.unitName(ctx, m[1]) + "并列"
		if m[2] != "" {
			out += "（按单位编号排序）"
		}
		return out
	case belowRE.MatchString(r):
		m := belowRE.FindStringSubmatch(r)
		return "与" + s.unitName(ctx, m[1]) + "总分相同，按 " + m[2] + " 排在其后"
	}
	return r
}

// standings lists a ranking's ranked units, then the units not ranked.
func (s *server) standings(c echo.Context, r assess.Ranking, mine string) []standingView {
	ctx := c.Request().Context()
	var out []standingView
	for _, st := range append(append([]assess.Standing{}, r.Ranked...), r.NotRanked...) {
		out = append(out, standingView{Rank: st.Rank, Unit: st.Unit, Name: s.unitName(ctx, st.Unit), Total: st.Total.Text(2), Score: st.Total,
			Sample: st.Sample, Reason: s.reasonText(ctx, st.Reason), Mine: st.Unit == mine})
	}
	return out
}

type kpiView struct{ Label, Value string }

func rateText(r assess.Rate) string {
	if !r.Defined() {
		return "—"
	}
	return r.Value().Percent()
}

// indicatorsPage shows the unit's indicators of a month and the month's comprehensive ranking (004
// §14 月通报) with its digest.
func (s *server) indicatorsPage(c echo.Context) error {
	u := staffOf(c)
	period, month, err := s.monthParam(c.QueryParam("period"))
	if err != nil {
		return err
	}
	res, _, err := s.scoreMonth(c, u.Principal(), period)
	if err != nil {
		return err
	}
	data := map[string]any{"Period": month, "Scheme": res.Scheme, "AsOf": res.AsOf, "Digest": res.Digest,
		"Ranking": s.standings(c, res.Ranking, u.Unit)}
	if us, ok := res.Unit(u.Unit); ok {
		in := us.Indicators
		data["Mine"] = map[string]any{"Name": s.unitName(c.Request().Context(), u.Unit), "KPIs": []kpiView{
			{"受理件数", fmt.Sprint(in.Received)}, {"先行联系率", rateText(in.FirstContact)}, {"按期办结率", rateText(in.OnTime)},
			{"实际解决率", rateText(in.Resolution)}, {"满意率", rateText(in.Satisfaction)}, {"回访率", rateText(in.CallbackCoverage)},
			{"逾期件", fmt.Sprint(in.Overdue)}, {"退单", fmt.Sprint(in.Returns)}, {"重复投诉", fmt.Sprint(in.Repeats)},
			{"督办次数", fmt.Sprint(in.Supervisions)}, {"差评", fmt.Sprint(in.BadReviews)}, {"综合得分", us.Total.Text(2)},
		}}
	}
	return s.render(c, http.StatusOK, "indicators", view{Title: "指标与排名", Nav: "indicators", Data: data})
}

// Bar charts drawn as inline SVG from figures computed here (no canvas library, no CDN).

type segmentView struct {
	X, Y, W, H  float64
	Fill, Title string
}

type barView struct {
	Label, Value          string
	LabelX, ValueX, TextY float64
	Segments              []segmentView
}

type legendView struct {
	X, Y, TextX, TextY float64
	Fill, Label        string
}

type chartView struct {
	Width, Height float64
	Label         string
	Bars          []barView
	Legend        []legendView
}

// barSeries is one series of a stacked bar chart.
type barSeries struct {
	Label, Fill string
}

// barChart draws horizontal stacked bars: one row per label, the values of each series stacked,
// scaled to the largest row total.
func barChart(label string, labels []string, series []barSeries, values [][]float64, valueText []string, width float64) chartView {
	const rowH, gap, labelW, valueW, legendH = 26.0, 8.0, 330.0, 90.0, 28.0
	ch := chartView{Width: width, Label: label}
	max := 0.0
	for _, row := range values {
		sum := 0.0
		for _, v := range row {
			sum += v
		}
		if sum > max {
			max = sum
		}
	}
	if max == 0 {
		max = 1
	}
	span := width - labelW - valueW
	y := 4.0
	if len(series) > 1 {
		x := labelW
		for _, sr := range series {
			ch.Legend = append(ch.Legend, legendView{X: x, Y: y, TextX: x + 20, TextY: y + 12, Fill: sr.Fill, Label: sr.Label})
			x += 120
		}
		y += legendH
	}
	for i, l := range labels {
		if r := []rune(l); len(r) > 16 {
			l = string(r[:15]) + "…"
		}
		b := barView{Label: l, LabelX: labelW - 8, TextY: y + rowH*0.7, Value: valueText[i]}
		x := labelW
		for j, v := range values[i] {
			w := v / max * span
			if w > 0 {
				b.Segments = append(b.Segments, segmentView{X: x, Y: y, W: w, H: rowH, Fill: series[j].Fill,
					Title: fmt.Sprintf("%s %s：%g", l, series[j].Label, v)})
			}
			x += w
		}
		b.ValueX = x + 6
		ch.Bars = append(ch.Bars, b)
		y += rowH + gap
	}
	ch.Height = y
	return ch
}

// screenPage is the big screen (004 §14: 每月……综合排名……在大屏滚动播放): the month's ranking, the
// month's counts, overdue and due-soon tickets by unit and the hot spots, refreshing itself.
func (s *server) screenPage(c echo.Context) error {
	ctx := c.Request().Context()
	p := staffOf(c).Principal()
	if cred, ok := c.Get(ctxDisplay).(store.Credential); ok {
		// A wall display reads its office's screen: the figures below are all aggregates.
		p = store.Principal{Actor: "display:" + cred.ID, Unit: cred.Unit, Role: store.RoleHotlineOffice}
	}
	period, month, err := s.monthParam(c.QueryParam("period"))
	if err != nil {
		return err
	}
	now := s.now()
	res, _, err := s.scoreMonth(c, p, period)
	if err != nil {
		return err
	}
	ranking := s.standings(c, res.Ranking, "")
	// The chart shows the ten highest totals (ranked units first, in their order; then the units
	// below the minimum sample by total).
	top := append([]standingView{}, ranking...)
	sort.SliceStable(top, func(i, j int) bool {
		if (top[i].Rank > 0) != (top[j].Rank > 0) {
			return top[i].Rank > 0
		}
		if top[i].Rank > 0 {
			return top[i].Rank < top[j].Rank
		}
		return top[i].Score > top[j].Score
	})
	if len(top) > 10 {
		top = top[:10]
	}
	var labels, texts []string
	var vals [][]float64
	for _, st := range top {
		rank := "—"
		if st.Rank > 0 {
			rank = fmt.Sprint(st.Rank)
		}
		labels = append(labels, rank+" "+st.Name)
		vals = append(vals, []float64{float64(st.Score) / 1e6})
		texts = append(texts, st.Total)
	}
	rankChart := barChart("本月综合得分前十（样本不足的单位以“—”标示）", labels, []barSeries{{"综合得分", "#4fa3ff"}}, vals, texts, 1040)

	// This month's counts: the store's listing, as GET /v1/tickets would page through it.
	var received, open, overdue, dueSoon, closed int
	byUnit := map[string][2]int{}
	f := store.Filter{ReceivedFrom: period.Start, ReceivedTo: period.End, Limit: 500}
	for {
		page, err := s.store.List(ctx, p, f, now)
		if err != nil {
			return err
		}
		for _, it := range page.Items {
			received++
			st := ticket.State(it.State)
			switch st {
			case ticket.StateClosed, ticket.StateClosedStored, ticket.StateClosedUnfounded, ticket.StateArchived,
				ticket.StateRefused, ticket.StateReturnedUpstream:
				closed++
			default:
				open++
			}
		}
		if page.Next == "" {
			break
		}
		f.Cursor = page.Next
	}
	for _, flag := range []int{0, 1} {
		f := store.Filter{Limit: 500, Overdue: flag == 0, DueSoon: flag == 1}
		for {
			page, err := s.store.List(ctx, p, f, now)
			if err != nil {
				return err
			}
			for _, it := range page.Items {
				if it.LeadUnit == "" {
					continue
				}
				cnt := byUnit[it.LeadUnit]
				cnt[flag]++
				byUnit[it.LeadUnit] = cnt
				if flag == 0 {
					overdue++
				} else {
					dueSoon++
				}
			}
			if page.Next == "" {
				break
			}
			f.Cursor = page.Next
		}
	}
	units := make([]string, 0, len(byUnit))
	for id := range byUnit {
		units = append(units, id)
	}
	sort.Slice(units, func(i, j int) bool {
		a, b := byUnit[units[i]], byUnit[units[j]]
		if a[0]+a[1] != b[0]+b[1] {
			return a[0]+a[1] > b[0]+b[1]
		}
		return units[i] < units[j]
	})
	if len(units) > 8 {
		units = units[:8]
	}
	labels, texts, vals = nil, nil, nil
	for _, id := range units {
		cnt := byUnit[id]
		labels = append(labels, s.unitName(ctx, id))
		vals = append(vals, []float64{float64(cnt[0]), float64(cnt[1])})
		texts = append(texts, fmt.Sprintf("%d / %d", cnt[0], cnt[1]))
	}
	dueChart := barChart("超期与预警工单（按承办单位）", labels, []barSeries{{"超期", "#ff6b5e"}, {"预警", "#ffb547"}}, vals, texts, 800)

	// Hot spots (assess.HotSpots) over the cases of the last weeks: a week whose count of a matter at
	// a place jumps against its own history (001 (七)).
	pol := assess.DefaultHotSpot()
	from := period.Start.AddDate(0, 0, -7*(pol.History+1))
	hotIn, err := s.assessInput(c, p, loop.StreetHotline(), assess.Custom(from, period.End, "hot spots"), earlier(now, period.End))
	if err != nil && !errors.Is(err, assess.ErrInvalidPeriod) {
		return err
	}
	type hotView struct {
		Matter, Place, Z string
		Week             time.Time
		Count            int64
	}
	var hots []hotView
	if spots, err := assess.HotSpots(hotIn.Cases, period.Start, earlier(now, period.End), pol); err == nil {
		dir, derr := s.directory(ctx)
		for _, h := range spots {
			hv := hotView{Matter: h.Matter, Place: h.Place, Week: h.Week, Count: h.Count, Z: h.Z.Text(1)}
			if derr == nil {
				if m, ok := dir.Matter(routing.MatterCode(h.Matter)); ok {
					hv.Matter = m.Name
				}
				if r, ok := dir.Tree().Region(routing.RegionCode(h.Place)); ok {
					hv.Place = r.Name
				}
			}
			hots = append(hots, hv)
		}
	}
	data := map[string]any{"Heading": "12345 热线月度综合排名", "Month": month, "Now": now, "Refresh": 60,
		"Ranking": ranking, "RankChart": rankChart, "DueChart": dueChart, "HotSpots": hots,
		"ScrollRanking": len(ranking) > 12, "ScrollHot": len(hots) > 6,
		"KPIs": []kpiView{{"本月受理", fmt.Sprint(received)}, {"办理中", fmt.Sprint(open)}, {"已办结", fmt.Sprint(closed)},
			{"超期 / 预警", fmt.Sprintf("%d / %d", overdue, dueSoon)}}}
	return s.render(c, http.StatusOK, "screen", view{Title: "大屏 · 月度综合排名", Nav: "screen", Data: data})
}

// The big screen without a staff login (004 §14 在大屏滚动播放): a wall display cannot type a password,
// so the admin issues it a display key (store.RoleDisplay: hashed, expiring, revocable; "hotline keys
// create -role display -unit <office>" or POST /v1/admin/keys) and opens /screen?display=<key> on it
// once. The key is checked, kept in an HttpOnly cookie scoped to /screen, and the address without it
// is loaded (so the key does not stay in the address bar, the history or the refresh). Each request
// checks the key again: a revoked or expired key is a 401 page and its cookie is cleared. The key
// opens this page only — it is no API key (store.Authenticate refuses it) and no session.

const (
	displayCookie = "hotline_display"
	ctxDisplay    = "hotline.display"
)

// displayOrStaff lets a display key or a signed-in reader of tickets through.
func (s *server) displayOrStaff(next echo.HandlerFunc) echo.HandlerFunc {
	staff := s.signedIn(s.allow(ticketReaders...)(next))
	return func(c echo.Context) error {
		key, fromURL := c.QueryParam("display"), true
		if key == "" {
			fromURL = false
			if ck, err := c.Cookie(displayCookie); err == nil {
				key = ck.Value
			}
		}
		if key == "" {
			return staff(c)
		}
		cred, err := s.store.AuthenticateDisplay(c.Request().Context(), key, s.now())
		var refused *store.AuthError
		if errors.As(err, &refused) {
			// As for API keys: an address whose keys keep failing is refused without a write.
			if wait, ok := s.auth.failures.allow(c.RealIP(), time.Now()); !ok {
				s.auth.failed.WithLabelValues(string(refused.Reason)).Inc()
				return s.refuse(c, "failures", wait)
			}
			s.recordFailure(c, refused)
			c.SetCookie(&http.Cookie{Name: displayCookie, Value: "", Path: "/screen", MaxAge: -1, HttpOnly: true,
				Secure: s.secure(c), SameSite: http.SameSiteStrictMode})
			return &pageError{status: http.StatusUnauthorized, title: "大屏令牌无效",
				message: "此大屏令牌已过期、已撤销或无效。请联系系统管理员重新签发，或由工作人员登录后打开大屏。"}
		}
		if err != nil {
			return err
		}
		if fromURL {
			// Lax: the display's first load may come from a link (a kiosk's start page).
			c.SetCookie(&http.Cookie{Name: displayCookie, Value: key, Path: "/screen", Expires: cred.Expires, HttpOnly: true,
				Secure: s.secure(c), SameSite: http.SameSiteLaxMode})
			q := c.QueryParams()
			q.Del("display")
			to := "/screen"
			if len(q) > 0 {
				to += "?" + q.Encode()
			}
			return c.Redirect(http.StatusSeeOther, to)
		}
		c.Set(ctxDisplay, cred)
		return next(c)
	}
}
