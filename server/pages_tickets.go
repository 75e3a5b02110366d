package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/attach"
	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/web"
	"github.com/hotline12345/hotline/ticket"
)

// The console's ticket pages: the list with the store's filters, one ticket with its clocks and the
// actions the lifecycle allows the role now, the printable forms of 003.

type ticketRowView struct {
	ID, Number, Title, Kind, Channel, State, Lead, Remaining, Class string
	Received, NextDue                                               time.Time
	Supervised                                                      bool
}

// remainingDays counts working days to the exclusive deadline due from now (0 on its last day), or
// minus those since its last day once past it (at least -1), as deadline.StageStatus.Remaining.
func remainingDays(cal *deadline.Calendar, due, now time.Time) int {
	last := due.Add(-time.Nanosecond)
	if now.Before(due) {
		return cal.WorkdaysBetween(now, last)
	}
	n := cal.WorkdaysBetween(last, now)
	if n < 1 {
		n = 1
	}
	return -n
}

func options[T ~string](all []T, label func(T) string, selected string, blank string) []option {
	var out []option
	if blank != "" {
		out = append(out, option{Value: "", Label: blank, Selected: selected == ""})
	}
	for _, v := range all {
		out = append(out, option{Value: string(v), Label: label(v), Selected: string(v) == selected})
	}
	return out
}

// dayParam reads a date (2006-01-02) as midnight in Asia/Shanghai.
func dayParam(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", v, deadline.Location())
	if err != nil {
		return time.Time{}, &paramError{Name: name, Reason: "a date, e.g. 2026-11-30"}
	}
	return t, nil
}

// ticketsPage lists the tickets the member of staff may see (the store scopes them, as for
// GET /v1/tickets), newest first, with due-soon and overdue marked and remaining working days.
func (s *server) ticketsPage(c echo.Context) error {
	q := c.QueryParams()
	f := store.Filter{Unit: q.Get("unit"), Channel: q.Get("channel"), Kind: q.Get("kind"), Title: q.Get("title"), Cursor: q.Get("cursor")}
	if st := q.Get("state"); st != "" {
		if _, err := ticket.ParseState(st); err != nil {
			return &paramError{Name: "state", Reason: "unknown state"}
		}
		f.States = []string{st}
	}
	if f.Channel != "" {
		if _, err := ticket.ParseChannel(f.Channel); err != nil {
			return &paramError{Name: "channel", Reason: "unknown channel"}
		}
	}
	if f.Kind != "" {
		if _, err := ticket.ParseKind(f.Kind); err != nil {
			return &paramError{Name: "kind", Reason: "unknown kind"}
		}
	}
	if len(f.Title) > 100 {
		return &paramError{Name: "title", Reason: "at most 100 bytes"}
	}
	var err error
	if f.Overdue, err = boolParam(q, "overdue"); err != nil {
		return err
	}
	if f.DueSoon, err = boolParam(q, "due_soon"); err != nil {
		return err
	}
	if f.ReceivedFrom, err = dayParam("from", q.Get("from")); err != nil {
		return err
	}
	to, err := dayParam("to", q.Get("to"))
	if err != nil {
		return err
	}
	if !to.IsZero() {
		f.ReceivedTo = to.AddDate(0, 0, 1)
	}
	ctx := c.Request().Context()
	u := staffOf(c)
	now := s.now()
	page, err := s.store.List(ctx, u.Principal(), f, now)
	if err != nil {
		return err
	}
	dir, err := s.directory(ctx)
	if err != nil {
		return err
	}
	name := func(id string) string {
		if un, ok := dir.Unit(id); ok {
			return un.Name
		}
		return id
	}
	var rows []ticketRowView
	for _, it := range page.Items {
		r := ticketRowView{ID: it.ID, Number: it.Number, Title: it.Title, Received: it.Received, NextDue: it.NextDue,
			Supervised: it.Supervised, Lead: name(it.LeadUnit)}
		r.State = ticket.State(it.State).Label()
		r.Kind = ticket.Kind(it.Kind).Label()
		r.Channel = ticket.Channel(it.Channel).Label()
		switch {
		case it.Overdue || (!it.NextDue.IsZero() && !now.Before(it.NextDue)):
			r.Class = "overdue"
		case it.DueSoon || (!it.DueSoonFrom.IsZero() && !now.Before(it.DueSoonFrom)):
			r.Class = "due-soon"
		}
		if !it.NextDue.IsZero() {
			r.Remaining = web.Workdays(remainingDays(s.calendar, it.NextDue, now))
		}
		rows = append(rows, r)
	}
	data := map[string]any{
		"Rows":     rows,
		"States":   options(ticket.States(), ticket.State.Label, q.Get("state"), "全部"),
		"Kinds":    options(ticket.Kinds(), ticket.Kind.Label, f.Kind, "全部"),
		"Channels": options(ticket.Channels(), ticket.Channel.Label, f.Channel, "全部"),
		"Title":    f.Title, "From": q.Get("from"), "To": q.Get("to"), "Overdue": f.Overdue, "DueSoon": f.DueSoon,
	}
	if u.Role != store.RoleHandlingUnit {
		data["Units"] = unitOptions(dir, f.Unit, "全部", func(routing.Unit) bool { return true })
	}
	if page.Next != "" {
		nq := url.Values{}
		for k, v := range q {
			if k != "cursor" {
				nq[k] = v
			}
		}
		nq.Set("cursor", page.Next)
		data["Next"] = "/console/tickets?" + nq.Encode()
	}
	return s.render(c, http.StatusOK, "tickets", view{Title: "工单", Nav: "tickets", Data: data})
}

// unitOptions lists the directory's units that keep passes, by name.
func unitOptions(dir *routing.Directory, selected, blank string, keep func(routing.Unit) bool) []option {
	var out []option
	if blank != "" {
		out = append(out, option{Value: "", Label: blank, Selected: selected == ""})
	}
	for u := range dir.Units() {
		if keep(u) {
			out = append(out, option{Value: u.ID, Label: u.Name, Selected: u.ID == selected})
		}
	}
	return out
}

// field is a label and a value on a page.
type field struct{ Label, Value string }

type clockView struct {
	Label, StateLabel, Remaining, Class string
	Due                                 time.Time
}

type historyView struct {
	At                                    time.Time
	Actor, Role, Action, From, To, Reason string
	Notes                                 []string
}

// actionView is one action the member of staff may take now, as a form.
type actionView struct {
	Action, Label, Carries, Source, Approver string
	NeedsReason, Open                        bool
	Routing                                  *routingView
	Units, Modes, Complexities, Outcomes     []option
	Satisfactions, Triggers                  []option
}

type routingView struct {
	Summary string
	Trail   []string
}

type ticketView struct {
	ID, Number, State, Content string
	Version                    int64
	Masked, Supervised, Stale  bool
	Fields, Citizen            []field
	Reply, Callback            []field
	Clocks                     []clockView
	History                    []historyView
	Actions                    []actionView
	CanIssueLink               bool
	// CanReveal offers the audited reveal of one masked field with a reason (store.Reveal: a
	// supervisor while the ticket is supervised); Revealed is what was revealed.
	CanReveal         bool
	RevealFields      []option
	Revealed          *field
	RatingLink        string
	RatingLinkExpires time.Time
	// Attach is the ticket's attachments (pages_attach.go); CanDraftCase offers to write the ticket up
	// for the case library (pages_kb.go).
	Attach       *attachSection
	CanDraftCase bool
}

// ticketPage shows one ticket as the member of staff may see it (the store masks the citizen for
// those who do not handle it), with its history, stage clocks and the actions open to the role now.
func (s *server) ticketPage(c echo.Context) error {
	v, err := s.ticketView(c, c.Param("id"))
	if err != nil {
		return err
	}
	notice := ""
	if a, err := ticket.ParseAction(c.QueryParam("done")); err == nil && c.QueryParam("done") != "" {
		notice = "已完成：" + a.Label()
	}
	if c.QueryParam("attached") == "1" {
		notice = "附件已上传。"
	}
	return s.render(c, http.StatusOK, "ticket", view{Title: "工单 " + v.Number, Nav: "tickets", Notice: notice, Data: v})
}

func (s *server) ticketView(c echo.Context, id string) (*ticketView, error) {
	ctx := c.Request().Context()
	u := staffOf(c)
	rec, err := s.store.Get(ctx, u.Principal(), id)
	if err != nil {
		return nil, err
	}
	dir, err := s.directory(ctx)
	if err != nil {
		return nil, err
	}
	name := func(id string) string {
		if un, ok := dir.Unit(id); ok {
			return un.Name
		}
		return id
	}
	t := rec.Ticket
	now := s.now()
	v := &ticketView{ID: rec.ID, Number: t.Number.String(), State: t.State.Label(), Content: t.Content, Version: rec.Version,
		Masked: rec.Masked, Supervised: t.Supervised}
	place := t.Place.RegionCode
	if r, ok := dir.Tree().Region(routing.RegionCode(place)); ok {
		place = r.Name
	}
	co := make([]string, len(t.Assignment.CoHandling))
	for i, u := range t.Assignment.CoHandling {
		co[i] = name(u)
	}
	v.Fields = []field{
		{"标题", t.Title}, {"类别", t.Kind.Label()}, {"渠道", t.Channel.Label()}, {"事项", t.Matter.Label()},
		{"发生地", strings.TrimSpace(place + " " + t.Place.Address)}, {"受理时间", web.When(t.Received)}, {"受理人员", t.ReceivedBy},
		{"主办单位", name(t.Assignment.Lead)}, {"协办单位", strings.Join(co, "、")}, {"派单方式", t.Assignment.DispatchMode.Label()},
		{"难易程度", t.Complexity.Label()}, {"办理方式", t.Mode.Label()},
		{"督办 / 催办 / 退单 / 重复", fmt.Sprintf("%d / %d / %d / %d", t.Counters.Supervisions, t.Counters.Urgings, t.Counters.Returns, t.Counters.Repeats)},
	}
	p := t.Citizen
	v.Citizen = []field{{"姓名", p.Name}, {"联系电话", p.Phone}}
	if p.IDNumber != "" {
		v.Citizen = append(v.Citizen, field{"身份证号", p.IDNumber})
	}
	if p.Enterprise != "" {
		v.Citizen = append(v.Citizen, field{"企业", p.Enterprise}, field{"统一社会信用代码", p.CreditCode})
	}
	if p.Address != "" {
		v.Citizen = append(v.Citizen, field{"联系地址", p.Address})
	}
	if r := t.Reply; r != nil {
		v.Reply = []field{{"答复要点", r.Summary}, {"办结报告", r.Report}, {"办理结果", r.Outcome.Label()}}
	}
	if cb := t.Callback; cb != nil {
		v.Callback = []field{{"联系情况", yes(cb.Contacted, "已联系", "未联系")}, {"办理结果", yes(cb.Resolved, "已解决", "未解决")},
			{"对结果", cb.Result.Label()}, {"对效率", cb.Efficiency.Label()}, {"对态度", cb.Attitude.Label()}, {"回访时间", web.When(cb.At)}}
	}
	resp, err := s.view(u.Principal(), rec, now)
	if err != nil {
		return nil, err
	}
	v.Clocks = clockViews(resp.Clocks)
	for _, e := range t.History {
		v.History = append(v.History, historyView{At: e.At, Actor: e.Actor, Role: e.Role.Label(), Action: e.Action.Label(),
			From: e.From.Label(), To: e.To.Label(), Reason: e.Reason, Notes: e.Notes})
	}
	v.Actions, err = s.actionViews(ctx, u, t, resp.AllowedActions, dir)
	if err != nil {
		return nil, err
	}
	if rec.Masked && u.Role == store.RoleSupervisor && t.Supervised {
		v.CanReveal = true
		labels := map[store.RevealField]string{store.RevealName: "姓名", store.RevealPhone: "联系电话",
			store.RevealIDNumber: "身份证号", store.RevealAddress: "联系地址"}
		for _, f := range store.RevealFields() {
			v.RevealFields = append(v.RevealFields, option{Value: string(f), Label: labels[f]})
		}
	}
	if v.Attach, err = s.ticketAttachments(ctx, u, rec.ID, t, resp.AllowedActions); err != nil {
		return nil, err
	}
	v.CanDraftCase = (u.Role == store.RoleHotlineOffice || u.Role == store.RoleHandlingUnit) && !rec.Masked && knowledge.Eligible(t) == nil
	v.CanIssueLink = u.Role == store.RoleHotlineOffice && (t.State == ticket.StateReplied || t.State == ticket.StateChecked ||
		t.State == ticket.StateCalledBack || t.State == ticket.StateClosed)
	return v, nil
}

func yes(b bool, y, n string) string {
	if b {
		return y
	}
	return n
}

// clockViews shows the ticket's stage clocks as GET /v1/tickets/{id} gives them (ticket.Machine.Clocks:
// due instant, due soon, overdue, remaining working days).
func clockViews(clocks []ticket.ClockStatus) []clockView {
	var out []clockView
	for _, ck := range clocks {
		cv := clockView{Label: ck.Label, Due: ck.Due.At, StateLabel: ck.State.Label()}
		if cv.Label == "" {
			cv.Label = ck.Stage
		}
		if ck.Running {
			cv.Remaining = web.Workdays(ck.Remaining)
		}
		switch ck.State {
		case deadline.Overdue:
			cv.Class = "overdue"
		case deadline.DueSoon:
			cv.Class = "due-soon"
		case deadline.DoneInTime:
			cv.Class = "ok"
		}
		out = append(out, cv)
	}
	return out
}

// actionViews makes a form of each action the role may take now (the allowed actions of GET
// /v1/tickets/{id}); the lifecycle row gives what it carries and its article.
func (s *server) actionViews(ctx context.Context, u store.Staff, t *ticket.Ticket, allowed []ticket.Action, dir *routing.Directory) ([]actionView, error) {
	var out []actionView
	for _, a := range allowed {
		tr, ok := ticket.Lifecycle().Lookup(t.State, a)
		if !ok {
			continue
		}
		av := actionView{Action: string(tr.Action), Label: tr.Action.Label(), Carries: string(tr.Carries), Source: tr.Source,
			NeedsReason: tr.NeedsReason}
		switch tr.Carries {
		case ticket.CarriesDispatch:
			rv, lead, mode := s.routingView(ctx, u, t)
			av.Routing = rv
			av.Units = unitOptions(dir, lead, "", func(routing.Unit) bool { return true })
			av.Modes = options(ticket.DispatchModes(), ticket.DispatchMode.Label, mode, "")
			cx := string(t.Complexity)
			if cx == "" {
				cx = string(ticket.ComplexityGeneral)
			}
			av.Complexities = options(ticket.Complexities(), ticket.Complexity.Label, cx, "")
		case ticket.CarriesReturn:
			av.Units = unitOptions(dir, "", "", func(x routing.Unit) bool { return x.ID != t.Assignment.Lead })
		case ticket.CarriesApproval:
			if ex := t.Extension; ex != nil && len(ex.Approved) < len(ex.Approvals) {
				av.Approver = ex.Approvals[len(ex.Approved)]
			}
		case ticket.CarriesReply:
			av.Outcomes = options(ticket.ReplyOutcomes(), ticket.ReplyOutcome.Label, "", "")
		case ticket.CarriesCallback:
			av.Satisfactions = options(ticket.Satisfactions(), ticket.Satisfaction.Label, "", "")
		case ticket.CarriesSupervision:
			av.Triggers = options(ticket.SupervisionTriggers(), ticket.SupervisionTrigger.Label, "", "")
		}
		out = append(out, av)
	}
	if len(out) == 1 {
		out[0].Open = true
	}
	return out, nil
}

// routingView routes the ticket with the stored directory, as the demo and the routing preview do
// (server/loop.RoutingRequest, routing.Router.Route), and returns the decision shown beside the
// dispatch form with its lead and mode.
func (s *server) routingView(ctx context.Context, u store.Staff, t *ticket.Ticket) (*routingView, string, string) {
	router, err := s.store.Router(ctx, u.Principal())
	if err != nil {
		return &routingView{Summary: "无法读取派单目录：" + err.Error()}, "", string(ticket.DispatchStatutory)
	}
	req, err := loop.RoutingRequest(t, loop.RouteOptions{})
	if err != nil {
		return &routingView{Summary: "无法生成派单请求：" + err.Error()}, "", string(ticket.DispatchStatutory)
	}
	d, err := router.Route(req)
	if err != nil {
		return &routingView{Summary: "派单规则未能给出结果：" + err.Error()}, "", string(ticket.DispatchStatutory)
	}
	rv := &routingView{}
	dir := router.Directory()
	name := func(id string) string {
		if un, ok := dir.Unit(id); ok {
			return un.Name
		}
		return id
	}
	if d.NeedsDesignation {
		var cs []string
		for _, c := range d.Candidates {
			cs = append(cs, name(c))
		}
		rv.Summary = "存在争议，需由 " + name(d.Authority) + " 指定承办单位（候选：" + strings.Join(cs, "、") + "）"
	} else {
		rv.Summary = fmt.Sprintf("%s：%s", ticket.DispatchMode(d.Mode).Label(), name(d.Lead))
		if len(d.CoHandling) > 0 {
			var cs []string
			for _, c := range d.CoHandling {
				cs = append(cs, name(c))
			}
			rv.Summary += "，协办：" + strings.Join(cs, "、")
		}
	}
	for _, st := range d.Trail {
		line := st.Detail
		if st.Article != "" {
			line += "（" + st.Article + "）"
		}
		rv.Trail = append(rv.Trail, line)
	}
	mode := string(d.Mode)
	if mode == "" {
		mode = string(ticket.DispatchStatutory)
	}
	return rv, d.Lead, mode
}

// ticketActionPage applies a lifecycle action from a form: the same store.Apply as POST
// /v1/tickets/{id}/actions, with the version the page was rendered at, so a ticket someone else
// changed meanwhile is refused and the page says so.
func (s *server) ticketActionPage(c echo.Context) error {
	id := c.Param("id")
	version, err := strconv.ParseInt(c.FormValue("version"), 10, 64)
	if err != nil || version < 1 {
		return &paramError{Name: "version", Reason: "the ticket's version"}
	}
	action, err := ticket.ParseAction(c.FormValue("action"))
	if err != nil {
		return &paramError{Name: "action", Reason: "unknown action", Err: ticket.ErrInvalidEnum}
	}
	u := staffOf(c)
	ctx := c.Request().Context()
	if action == ticket.ActionDispatch && c.FormValue("auto") == "1" {
		return s.autoDispatchPage(c, id, version)
	}
	req := ticket.Request{Action: action, Reason: strings.TrimSpace(c.FormValue("reason"))}
	// An action carries the same payload in every row of the table.
	carries := ticket.CarriesNothing
	for _, row := range ticket.Lifecycle().Rows() {
		if row.Action == action {
			carries = row.Carries
			break
		}
	}
	if req.Payload, err = payloadFromForm(c, carries); err != nil {
		return err
	}
	_, err = s.store.Apply(ctx, u.Principal(), id, version, req, s.now())
	return s.afterAction(c, id, string(action), err)
}

// afterAction answers a form's action: back to the ticket when it was applied, or the ticket page
// again saying why not — "工单已被他人修改，请刷新" for a stale version.
func (s *server) afterAction(c echo.Context, id, action string, err error) error {
	if errors.Is(err, store.ErrStaleVersion) {
		v, verr := s.ticketView(c, id)
		if verr != nil {
			return verr
		}
		v.Stale = true
		return s.render(c, http.StatusPreconditionFailed, "ticket", view{Title: "工单 " + v.Number, Nav: "tickets", Data: v})
	}
	if err != nil {
		var pe *pageError
		msg := ""
		status := http.StatusConflict
		if errors.As(err, &pe) {
			msg, status = pe.message, pe.status
		} else {
			p, _ := problemOf(err)
			if p.Status >= 500 {
				return err
			}
			_, msg = pageMessage(p)
			status = p.Status
		}
		v, verr := s.ticketView(c, id)
		if verr != nil {
			return err
		}
		var me *attach.MissingError
		if errors.As(err, &me) {
			// 000 §4 (三): say which attachment is missing and offer its upload on the same page.
			msg = v.Attach.missingAttachment(me)
		}
		return s.render(c, status, "ticket", view{Title: "工单 " + v.Number, Nav: "tickets", Error: msg, Data: v})
	}
	return c.Redirect(http.StatusSeeOther, "/console/tickets/"+url.PathEscape(id)+"?done="+url.QueryEscape(action))
}

// autoDispatchPage routes the ticket and applies the decision as POST /v1/tickets/{id}/dispatch does
// (server/loop.PlanDispatch: the dispatch, and a supervision for buck-passing when the router found
// it); a decision that needs designation applies nothing and says so.
func (s *server) autoDispatchPage(c echo.Context, id string, version int64) error {
	u := staffOf(c)
	if u.Role != store.RoleHotlineOffice {
		return fmt.Errorf("%w: %s may not dispatch tickets", store.ErrForbidden, u.Role)
	}
	ctx, now, p := c.Request().Context(), s.now(), u.Principal()
	rec, err := s.store.Get(ctx, p, id)
	if err != nil {
		return err
	}
	if rec.Version != version {
		return s.afterAction(c, id, string(ticket.ActionDispatch), &store.VersionError{ID: id, Given: version, Current: rec.Version})
	}
	router, err := s.router(ctx, p)
	if err != nil {
		return err
	}
	plan := loop.PlanDispatch(rec.Ticket, router, loop.RouteOptions{}, loop.DispatchOptions{Actor: p.Actor,
		Complexity: ticket.Complexity(c.FormValue("complexity"))})
	if len(plan.Requests) == 0 {
		return s.afterAction(c, id, string(ticket.ActionDispatch), &pageError{status: http.StatusConflict, title: "未能自动派单",
			message: "未能自动派单：" + plan.Reason})
	}
	for i, q := range plan.Requests {
		res, err := s.applyRequest(ctx, p, id, version, q, now)
		if err != nil && i == 0 {
			return s.afterAction(c, id, string(ticket.ActionDispatch), err)
		}
		if err != nil {
			break // the dispatch is stored; what follows it is left to the office
		}
		version = res.Version
	}
	return s.afterAction(c, id, string(ticket.ActionDispatch), nil)
}

// payloadFromForm builds the payload an action carries from the form's fields; the lifecycle
// checks it (ErrMissingField, ErrInvalidPayload) as for the JSON.
func payloadFromForm(c echo.Context, kind ticket.PayloadKind) (ticket.Payload, error) {
	f := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	var p ticket.Payload
	switch kind {
	case ticket.CarriesDispatch:
		d := &ticket.Dispatch{Lead: f("lead"), DispatchMode: ticket.DispatchMode(f("dispatch_mode")),
			Complexity: ticket.Complexity(f("complexity"))}
		if co := f("co_handling"); co != "" {
			d.CoHandling = strings.Split(co, ",")
		}
		p.Dispatch = d
	case ticket.CarriesReturn:
		p.Return = &ticket.Return{SuggestedUnit: f("suggested_unit"), Basis: f("basis")}
	case ticket.CarriesExtension:
		days, err := strconv.Atoi(f("days"))
		if err != nil {
			return p, &paramError{Name: "days", Reason: "a number of working days", Err: ticket.ErrInvalidPayload}
		}
		p.Extension = &ticket.Extension{Days: days, Explanation: f("explanation"), WrittenReport: f("written_report")}
	case ticket.CarriesApproval:
		p.Approval = &ticket.Approval{Approver: f("approver")}
	case ticket.CarriesReply:
		p.Reply = &ticket.Reply{Summary: f("summary"), Report: f("report"), Outcome: ticket.ReplyOutcome(f("outcome")),
			ReviewedBy: f("reviewed_by")}
	case ticket.CarriesCallback:
		p.Callback = &ticket.Callback{Contacted: f("contacted") == "true", Resolved: f("resolved") == "true",
			Result: ticket.Satisfaction(f("result")), Efficiency: ticket.Satisfaction(f("efficiency")), Attitude: ticket.Satisfaction(f("attitude"))}
	case ticket.CarriesSupervision:
		p.Supervision = &ticket.Supervision{Trigger: ticket.SupervisionTrigger(f("trigger"))}
	case ticket.CarriesRepeat:
		n, err := ticket.ParseNumber(f("of"))
		if err != nil {
			return p, err
		}
		p.Repeat = &ticket.Repeat{Of: n}
	case ticket.CarriesClosure:
		p.Closure = &ticket.Closure{Approver: f("approver")}
	case ticket.CarriesRefusal:
		p.Refusal = &ticket.Refusal{Code: f("code"), Explanation: f("explanation"), Redirect: f("redirect")}
	case ticket.CarriesAppealReview:
		p.AppealReview = &ticket.AppealReview{Review: f("review"), Reviewer: f("reviewer"), Level: ticket.ReviewerLevel(f("level"))}
	}
	return p, nil
}

// ticketFormPage prints the ticket as the 登记表 (003 附件1) or 承办单 (003 附件2, with 督办次数), in
// the annexes' layout; like GET /v1/tickets/{id}/forms/{form}, a role that does not handle the
// ticket prints the masked copy.
func (s *server) ticketFormPage(c echo.Context) error {
	form := c.Param("form")
	if form != "registration" && form != "handling" {
		return &paramError{Name: "form", Reason: "registration or handling"}
	}
	ctx := c.Request().Context()
	rec, err := s.store.Get(ctx, staffOf(c).Principal(), c.Param("id"))
	if err != nil {
		return err
	}
	t := rec.Ticket
	data := map[string]any{"ID": rec.ID, "Form": form, "Number": t.Number.String(), "Masked": rec.Masked,
		"ReceivedBy": t.ReceivedBy, "Received": web.When(t.Received)}
	title := "“办不成事”事项登记表"
	if form == "registration" {
		name := t.Citizen.Name
		if t.Citizen.Enterprise != "" {
			name = strings.TrimSpace(t.Citizen.Enterprise + " " + name)
		}
		data["Name"], data["Phone"] = name, t.Citizen.Phone
		data["Record"] = strings.TrimSpace(t.Title + "\n" + t.Content)
		switch {
		case t.Reply != nil:
			data["Reply"] = strings.TrimSpace(t.Reply.Summary + "\n" + t.Reply.Report)
		case t.Refusal != nil:
			data["Reply"] = "不予受理：" + t.Refusal.Explanation + " " + t.Refusal.Redirect
		}
	} else {
		title = "“办不成事”事项承办单"
		unit := s.unitName(ctx, t.Assignment.Lead)
		for i, co := range t.Assignment.CoHandling {
			if i == 0 {
				unit += "（协办："
			} else {
				unit += "、"
			}
			unit += s.unitName(ctx, co)
			if i == len(t.Assignment.CoHandling)-1 {
				unit += "）"
			}
		}
		data["Unit"] = unit
		limit := t.Deadlines.Reply
		if t.Deadlines.Redo.Key != "" {
			limit = t.Deadlines.Redo
		}
		if limit.Key != "" {
			data["Limit"] = web.When(limit.Due.At) + " 前（" + limit.Label + "）"
		}
		data["Dispatched"] = web.When(t.Assignment.Dispatched)
		data["Supervisions"] = t.Counters.Supervisions
		if t.Reply != nil {
			data["Opinion"] = t.Reply.Report + "\n处理结果：" + t.Reply.Outcome.Label()
		}
		if cb := t.Callback; cb != nil {
			data["Feedback"] = fmt.Sprintf("联系情况：%s；办理结果：%s；对结果%s，对效率%s，对态度%s",
				yes(cb.Contacted, "已联系", "未联系"), yes(cb.Resolved, "已解决", "未解决"),
				cb.Result.Label(), cb.Efficiency.Label(), cb.Attitude.Label())
		}
	}
	return s.render(c, http.StatusOK, "form", view{Title: title, Data: data})
}

// revealPage reveals one masked field of the citizen with a reason, as POST /v1/tickets/{id}/reveal
// does (store.Reveal decides who may, and audits who saw which field and why).
func (s *server) revealPage(c echo.Context) error {
	id := c.Param("id")
	which := store.RevealField(c.FormValue("field"))
	reason := strings.TrimSpace(c.FormValue("reason"))
	if !which.Valid() {
		return &paramError{Name: "field", Reason: "name, phone, id_number or address"}
	}
	value, err := s.store.Reveal(c.Request().Context(), staffOf(c).Principal(), id, which, reason, s.now())
	if err != nil {
		return err
	}
	v, err := s.ticketView(c, id)
	if err != nil {
		return err
	}
	for _, o := range v.RevealFields {
		if o.Value == string(which) {
			v.Revealed = &field{Label: o.Label, Value: value}
		}
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return s.render(c, http.StatusOK, "ticket", view{Title: "工单 " + v.Number, Nav: "tickets", Notice: "已查看，查看记录已存入审计链。", Data: v})
}
