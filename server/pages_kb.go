package server

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/screen"
)

// The console's knowledge base (知识库, 003 七 (二), 004 第六条 (八)) and case library (案例库, 003 五
// (四)), and the intake form's suggestions (即办, 002 第六条 (二) 1 (1)). Each page calls the store
// method of the matching endpoint of knowledge.go and caselib.go — search, list, history, put,
// import, export, draft, act — so who may do what is decided once, by the store; the pages add forms,
// Chinese messages and the PII scan of a case before it is published.

// The roles that keep knowledge entries (the store checks the keeper: a unit its own subtree).
var kbEditors = []store.Role{store.RoleHotlineOffice, store.RoleHandlingUnit, store.RoleAdmin}

// kbFieldLabels name an entry's and a case's fields in Chinese, for the forms' messages.
var kbFieldLabels = map[string]string{
	"id": "编号", "question": "问题", "answer": "答复", "matters": "适用事项", "places": "适用区域",
	"source.document": "依据文件", "source.article": "条款", "keeper": "维护单位", "valid_from": "生效日期",
	"valid_until": "失效日期", "title": "标题", "problem": "问题描述", "cause": "原因分析", "solution": "解决办法",
	"units": "涉及单位", "version": "版本", "text": "查询内容", "matter": "事项", "place": "区域", "file": "文件",
}

// fieldMessage says a refused field of a form in Chinese: its label and the reason (the common
// reasons translated).
func fieldMessage(err error) string {
	var fe *knowledge.FieldError
	var pe *paramError
	field, reason := "", ""
	switch {
	case errors.As(err, &fe):
		field, reason = fe.Field, fe.Reason
	case errors.As(err, &pe):
		field, reason = pe.Name, pe.Reason
	default:
		return problemText(err)
	}
	base := field
	if i := strings.IndexByte(base, '['); i >= 0 {
		base = base[:i]
	}
	label, ok := kbFieldLabels[base]
	if !ok {
		label = base
	}
	for en, zh := range map[string]string{"must not be empty": "不能为空", "not UTF-8": "含有无效字符",
		"must be after valid_from": "须晚于生效日期", "is listed twice": "重复填写", "a date, e.g. 2026-11-30": "须为日期，如 2026-11-30"} {
		reason = strings.ReplaceAll(reason, en, zh)
	}
	if n, found := strings.CutPrefix(reason, "at most "); found {
		if num, rest, ok := strings.Cut(n, " characters"); ok && rest == "" {
			reason = "最多 " + num + " 个字"
		}
	}
	return "“" + label + "”填写有误：" + reason
}

// splitCodes splits a list of codes typed by a person: separated by spaces, commas (half- or
// full-width), 、 or semicolons.
func splitCodes(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",，、;；", r)
	})
}

func codesOf[T ~string](v string) []T {
	var out []T
	for _, s := range splitCodes(v) {
		out = append(out, T(s))
	}
	return out
}

func joinCodesOf[T ~string](cs []T) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// entryFromForm reads a knowledge entry from the entry form: codes as lists, dates as days in
// Asia/Shanghai (valid until the end of the day given). The entry is validated as the API's is.
func entryFromForm(f url.Values) (knowledge.Entry, error) {
	get := func(name string) string { return strings.TrimSpace(f.Get(name)) }
	e := knowledge.Entry{ID: get("id"), Question: get("question"), Answer: strings.TrimSpace(strings.ReplaceAll(f.Get("answer"), "\r\n", "\n")),
		Matters: codesOf[routing.MatterCode](f.Get("matters")), Places: codesOf[routing.RegionCode](f.Get("places")),
		Source: knowledge.Source{Document: get("source_document"), Article: get("source_article")}, Keeper: get("keeper")}
	var err error
	if e.ValidFrom, err = dayParam("valid_from", get("valid_from")); err != nil {
		return e, err
	}
	until, err := dayParam("valid_until", get("valid_until"))
	if err != nil {
		return e, err
	}
	if !until.IsZero() {
		e.ValidUntil = until.AddDate(0, 0, 1)
	}
	return e, e.Validate()
}

// caseTextFromForm reads a library case's text from the case form.
func caseTextFromForm(f url.Values) (knowledge.CaseText, error) {
	text := func(name string) string { return strings.TrimSpace(strings.ReplaceAll(f.Get(name), "\r\n", "\n")) }
	t := knowledge.CaseText{Title: text("title"), Problem: text("problem"), Cause: text("cause"), Solution: text("solution"),
		Units: splitCodes(f.Get("units")), Matters: codesOf[routing.MatterCode](f.Get("matters")),
		Places: codesOf[routing.RegionCode](f.Get("places"))}
	return t, t.Validate()
}

// entryView is an entry as the pages show it.
type entryView struct {
	knowledge.Entry
	KeeperName, Validity, Excerpt, MattersText, PlacesText, ValidFromText, ValidUntilText string
	Current                                                                               bool
	Score                                                                                 int64
}

func (s *server) entryView(dir *routing.Directory, e knowledge.Entry, now time.Time) entryView {
	v := entryView{Entry: e, KeeperName: e.Keeper, MattersText: joinCodesOf(e.Matters), PlacesText: joinCodesOf(e.Places),
		Current: e.ValidAt(now)}
	if u, ok := dir.Unit(e.Keeper); ok {
		v.KeeperName = u.Name
	}
	switch {
	case v.Current:
		v.Validity = "有效"
	case !e.ValidFrom.IsZero() && now.Before(e.ValidFrom):
		v.Validity = "未生效"
	default:
		v.Validity = "已失效"
	}
	if !e.ValidFrom.IsZero() {
		v.ValidFromText = e.ValidFrom.In(deadline.Location()).Format("2006-01-02")
	}
	if !e.ValidUntil.IsZero() {
		v.ValidUntilText = e.ValidUntil.Add(-time.Nanosecond).In(deadline.Location()).Format("2006-01-02")
	}
	v.Excerpt = clip(e.Answer, 120)
	return v
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// knowledgePage lists the knowledge base, or searches it by text, matter code and place as
// GET /v1/knowledge/search does; with neither, the entries in the order they were created, a page at
// a time (GET /v1/knowledge/entries).
func (s *server) knowledgePage(c echo.Context) error {
	return s.renderKnowledge(c, http.StatusOK, "", "")
}

// pageQuery reads the search form shared by the knowledge base and the case library pages: text,
// matter code and place, a page of 20.
func pageQuery(qp url.Values) (knowledge.Query, error) {
	q := knowledge.Query{Text: strings.TrimSpace(qp.Get("text")), Matter: routing.MatterCode(qp.Get("matter")),
		Place: routing.RegionCode(qp.Get("place")), Limit: 20}
	if err := q.Validate(); err != nil {
		return q, &paramError{Name: "text", Reason: fieldMessage(err)}
	}
	return q, nil
}

func (s *server) renderKnowledge(c echo.Context, status int, notice, errMsg string) error {
	ctx := c.Request().Context()
	u := staffOf(c)
	qp := c.QueryParams()
	q, err := pageQuery(qp)
	if err != nil {
		return err
	}
	dir, err := s.directory(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	searched := q.Text != "" || q.Matter != "" || q.Place != ""
	data := map[string]any{"Text": q.Text, "Matter": string(q.Matter), "Place": string(q.Place),
		"CanEdit": slices.Contains(kbEditors, u.Role), "Searched": searched}
	var rows []entryView
	if searched {
		hits, err := s.store.SearchKnowledge(ctx, u.Principal(), q, now)
		if err != nil {
			return err
		}
		for _, h := range hits {
			v := s.entryView(dir, h.Entry, now)
			v.Score = h.Score
			rows = append(rows, v)
		}
	} else {
		f := store.KnowledgeFilter{Limit: 50}
		if a := qp.Get("after"); a != "" {
			if f.After, err = strconv.ParseInt(a, 10, 64); err != nil || f.After < 0 {
				return &paramError{Name: "after", Reason: "the next of the previous page"}
			}
		}
		page, err := s.store.ListKnowledge(ctx, u.Principal(), f)
		if err != nil {
			return err
		}
		for _, e := range page.Items {
			rows = append(rows, s.entryView(dir, e, now))
		}
		if page.Next != 0 {
			data["Next"] = "/console/knowledge?after=" + strconv.FormatInt(page.Next, 10)
		}
	}
	data["Rows"] = rows
	return s.render(c, status, "knowledge", view{Title: "知识库", Nav: "knowledge", Notice: notice, Error: errMsg, Data: data})
}

// versionView is one version of an entry: who changed which fields when.
type versionView struct {
	Version       int64
	At            time.Time
	Actor, Unit   string
	Changed       string
	Question, Ans string
}

// knowledgeEntryPage shows an entry and every version of it (GET /v1/knowledge/entries/{id} and
// …/versions).
func (s *server) knowledgeEntryPage(c echo.Context) error {
	ctx := c.Request().Context()
	u := staffOf(c)
	e, err := s.store.GetKnowledge(ctx, u.Principal(), c.Param("id"))
	if err != nil {
		return err
	}
	vs, err := s.store.KnowledgeHistory(ctx, u.Principal(), e.ID)
	if err != nil {
		return err
	}
	dir, err := s.directory(ctx)
	if err != nil {
		return err
	}
	var history []versionView
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		var changed []string
		for _, f := range v.Changed {
			if l, ok := kbFieldLabels[f]; ok {
				f = l
			} else if f == "created" {
				f = "新建"
			}
			changed = append(changed, f)
		}
		unit := v.Unit
		if un, ok := dir.Unit(v.Unit); ok {
			unit = un.Name
		}
		history = append(history, versionView{Version: v.Entry.Version, At: v.At, Actor: v.Actor, Unit: unit,
			Changed: strings.Join(changed, "、"), Question: v.Entry.Question, Ans: clip(v.Entry.Answer, 80)})
	}
	notice := ""
	if c.QueryParam("saved") == "1" {
		notice = "已保存。"
	}
	return s.render(c, http.StatusOK, "knowledge_entry", view{Title: "知识库条目", Nav: "knowledge", Notice: notice,
		Data: map[string]any{"Entry": s.entryView(dir, e, s.now()), "History": history, "CanEdit": slices.Contains(kbEditors, u.Role)}})
}

// knowledgeFormPage shows the form of a new entry, or of entry :id to edit.
func (s *server) knowledgeFormPage(c echo.Context) error {
	ctx := c.Request().Context()
	u := staffOf(c)
	var e knowledge.Entry
	if id := c.Param("id"); id != "" {
		var err error
		if e, err = s.store.GetKnowledge(ctx, u.Principal(), id); err != nil {
			return err
		}
	}
	return s.renderEntryForm(c, http.StatusOK, e, "")
}

func (s *server) renderEntryForm(c echo.Context, status int, e knowledge.Entry, errMsg string) error {
	dir, err := s.directory(c.Request().Context())
	if err != nil {
		return err
	}
	u := staffOf(c)
	keeper := e.Keeper
	if keeper == "" {
		keeper = u.Unit
	}
	// The units offered are those the member of staff may keep entries for — its unit and the units
	// below it (an administrator: all) — and the entry's keeper; the store decides all the same.
	within := func(x routing.Unit) bool {
		for id, hops := x.ID, 0; id != "" && hops < 32; hops++ {
			if id == u.Unit {
				return true
			}
			p, ok := dir.Unit(id)
			if !ok {
				return false
			}
			id = p.Parent
		}
		return false
	}
	units := unitOptions(dir, keeper, "", func(x routing.Unit) bool {
		return u.Role == store.RoleAdmin || x.ID == keeper || within(x)
	})
	title := "新建知识库条目"
	if e.Version > 0 {
		title = "修改知识库条目"
	}
	return s.render(c, status, "knowledge_form", view{Title: title, Nav: "knowledge", Error: errMsg,
		Data: map[string]any{"Entry": s.entryView(dir, e, s.now()), "Units": units, "New": e.Version == 0}})
}

// knowledgeSave creates an entry (no version) or replaces entry :id at the version the form was
// rendered at: store.PutKnowledge, as POST and PUT /v1/knowledge/entries.
func (s *server) knowledgeSave(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	e, ferr := entryFromForm(form)
	var version int64
	if id := c.Param("id"); id != "" {
		e.ID = id
		if version, err = strconv.ParseInt(form.Get("version"), 10, 64); err != nil || version < 1 {
			return &paramError{Name: "version", Reason: "the entry's version"}
		}
	}
	if ferr != nil {
		e.Version = version
		return s.renderEntryForm(c, http.StatusUnprocessableEntity, e, fieldMessage(ferr))
	}
	out, err := s.store.PutKnowledge(c.Request().Context(), staffOf(c).Principal(), e, version, s.now())
	if err != nil {
		p, _ := problemOf(err)
		if p.Status >= 500 || p.Status == http.StatusNotFound {
			return err
		}
		msg := fieldMessage(err)
		switch {
		case errors.Is(err, store.ErrStaleVersion):
			msg = "条目已被他人修改，请重新打开后再修改。"
		case errors.Is(err, store.ErrForbidden):
			msg = "当前账号不能维护该单位的知识库条目。"
		case errors.Is(err, store.ErrDuplicate):
			msg = "已有相同编号的条目。"
		}
		e.Version = version
		return s.renderEntryForm(c, p.Status, e, msg)
	}
	return c.Redirect(http.StatusSeeOther, "/console/knowledge/"+url.PathEscape(out.ID)+"?saved=1")
}

// knowledgeImportPage imports a JSON document or a spreadsheet (XLSX) from the import form, all or
// nothing: knowledge.ReadJSON / ReadXLSX and store.ImportKnowledge, as POST /v1/knowledge/import.
func (s *server) knowledgeImportPage(c echo.Context) error {
	_, name, f, err := formFile(c, "file")
	if f != nil {
		defer f.Close()
	}
	if err != nil {
		return s.renderKnowledge(c, http.StatusUnprocessableEntity, "", "请选择要导入的 JSON 或 XLSX 文件。")
	}
	br := bufio.NewReader(io.LimitReader(f, knowledge.MaxImportBytes+1))
	head, _ := br.Peek(2)
	var es []knowledge.Entry
	if string(head) == "PK" || strings.HasSuffix(strings.ToLower(name), ".xlsx") {
		es, err = knowledge.ReadXLSX(br)
	} else {
		es, err = knowledge.ReadJSON(br)
	}
	if err == nil {
		var res store.ImportResult
		res, err = s.store.ImportKnowledge(c.Request().Context(), staffOf(c).Principal(), es, s.now())
		if err == nil {
			return s.renderKnowledge(c, http.StatusOK, fmt.Sprintf("导入完成：新增 %d 条，更新 %d 条，未变 %d 条。",
				res.Created, res.Updated, res.Unchanged), "")
		}
	}
	p, _ := problemOf(err)
	if p.Status >= 500 {
		return err
	}
	msg := "导入文件有误，未导入任何条目：" + fieldMessage(err)
	var me *knowledge.MalformedError
	switch {
	case errors.As(err, &me):
		msg = "导入文件有误，未导入任何条目：" + me.Error()
	case errors.Is(err, store.ErrForbidden):
		msg = "当前账号不能维护文件中某些单位的条目，未导入任何条目。"
	}
	return s.renderKnowledge(c, p.Status, "", msg)
}

// libraryCaseView is a library case as the pages show it.
type libraryCaseView struct {
	knowledge.Case
	StateLabel, UnitsText, MattersText, PlacesText string
	Score                                          int64
}

func caseViewOf(dir *routing.Directory, lc knowledge.Case) libraryCaseView {
	v := libraryCaseView{Case: lc, StateLabel: lc.State.Label(), MattersText: joinCodesOf(lc.Matters), PlacesText: joinCodesOf(lc.Places)}
	names := make([]string, len(lc.Units))
	for i, id := range lc.Units {
		names[i] = id
		if u, ok := dir.Unit(id); ok {
			names[i] = u.Name
		}
	}
	v.UnitsText = strings.Join(names, "、")
	return v
}

// libraryPage lists the case library's cases in a state (published by default; drafts and reviewed
// cases for those who may see them), or searches the published ones (GET /v1/library/search).
func (s *server) libraryPage(c echo.Context) error {
	ctx := c.Request().Context()
	u := staffOf(c)
	qp := c.QueryParams()
	state := knowledge.CaseState(qp.Get("state"))
	if state != "" && !state.Valid() {
		return &paramError{Name: "state", Reason: "draft, reviewed, published or withdrawn"}
	}
	q, err := pageQuery(qp)
	if err != nil {
		return err
	}
	dir, err := s.directory(ctx)
	if err != nil {
		return err
	}
	searched := q.Text != "" || q.Matter != "" || q.Place != ""
	var rows []libraryCaseView
	if searched {
		hits, err := s.store.SearchCases(ctx, u.Principal(), q, s.now())
		if err != nil {
			return err
		}
		for _, h := range hits {
			v := caseViewOf(dir, h.Case)
			v.Score = h.Score
			rows = append(rows, v)
		}
	} else {
		list, err := s.store.ListLibraryCases(ctx, u.Principal(), state, 100)
		if err != nil {
			return err
		}
		for _, lc := range list {
			rows = append(rows, caseViewOf(dir, lc))
		}
	}
	if state == "" {
		state = knowledge.CasePublished
	}
	return s.render(c, http.StatusOK, "library", view{Title: "案例库", Nav: "library", Data: map[string]any{
		"Rows": rows, "Searched": searched, "Text": q.Text, "Matter": string(q.Matter), "Place": string(q.Place),
		"States": options(knowledge.CaseStates(), knowledge.CaseState.Label, string(state), ""), "StateLabel": state.Label(),
	}})
}

// caseActions are the actions on a library case the store lets each role take (store.ActOnCase);
// the state and the reviewer's rule are checked there.
var caseActions = map[knowledge.CaseAction][]store.Role{
	knowledge.CaseEdit:     {store.RoleHotlineOffice, store.RoleHandlingUnit},
	knowledge.CaseReview:   {store.RoleHotlineOffice, store.RoleSupervisor},
	knowledge.CasePublish:  {store.RoleHotlineOffice},
	knowledge.CaseWithdraw: {store.RoleHotlineOffice},
}

// caseActionsFor lists the actions role may take on a case in state.
func caseActionsFor(role store.Role, state knowledge.CaseState) []option {
	var out []option
	for _, a := range knowledge.CaseActions() {
		if a == knowledge.CaseEdit || !slices.Contains(caseActions[a], role) {
			continue
		}
		ok := false
		switch a {
		case knowledge.CaseReview:
			ok = state == knowledge.CaseDraft
		case knowledge.CasePublish:
			ok = state == knowledge.CaseReviewed
		case knowledge.CaseWithdraw:
			ok = state != knowledge.CaseWithdrawn
		}
		if ok {
			out = append(out, option{Value: string(a), Label: a.Label()})
		}
	}
	return out
}

// leakLabels name what the PII scan looks for.
var leakLabels = map[string]string{"name": "姓名", "phone": "电话", "id_number": "身份证号", "address": "地址", "number": "长数字（电话、证件号等）"}

// caseScan runs the case library's PII scan (knowledge.Leaks, the scan store.ActOnCase runs before
// publishing) on lc against its ticket's citizen and says the result in Chinese, naming fields and
// kinds, never values. The ticket is read as the system: the scan needs the identity it looks for,
// and only its verdict is shown.
func (s *server) caseScan(c echo.Context, lc knowledge.Case) (clean bool, msg string, err error) {
	rec, err := s.store.Get(c.Request().Context(), store.Principal{Actor: "web:pages", Role: store.RoleSystem}, lc.TicketID)
	if err != nil {
		return false, "", err
	}
	lerr := knowledge.Leaks(lc.CaseText, rec.Ticket.Citizen, knowledge.CasePrivacy())
	var le *knowledge.LeakError
	if !errors.As(lerr, &le) {
		return true, "未发现来电人的姓名、电话、身份证号、地址或其他长数字。", nil
	}
	var fields, kinds []string
	for _, f := range le.Fields {
		if l, ok := kbFieldLabels[f]; ok {
			f = l
		}
		fields = append(fields, "“"+f+"”")
	}
	for _, k := range le.Kinds {
		if l, ok := leakLabels[k]; ok {
			k = l
		}
		kinds = append(kinds, k)
	}
	return false, fmt.Sprintf("%s中仍含来电人的%s，须修改后才能发布。", strings.Join(fields, "、"), strings.Join(kinds, "、")), nil
}

// libraryCasePage shows a library case, its PII scan and the actions open to the role.
func (s *server) libraryCasePage(c echo.Context) error {
	notice := ""
	switch done := c.QueryParam("done"); {
	case done == "draft":
		notice = "已起草案例，来电人信息已自动脱敏；请补充原因分析后提交审核。"
	case done != "":
		if a, err := knowledge.ParseCaseAction(done); err == nil {
			notice = "已完成：" + a.Label()
		}
	}
	return s.renderCase(c, http.StatusOK, c.Param("id"), notice, "")
}

func (s *server) renderCase(c echo.Context, status int, id, notice, errMsg string) error {
	ctx := c.Request().Context()
	u := staffOf(c)
	lc, err := s.store.GetLibraryCase(ctx, u.Principal(), id)
	if err != nil {
		return err
	}
	dir, err := s.directory(ctx)
	if err != nil {
		return err
	}
	clean, scan, err := s.caseScan(c, lc)
	if err != nil {
		return err
	}
	canEdit := slices.Contains(caseActions[knowledge.CaseEdit], u.Role) && (lc.State == knowledge.CaseDraft || lc.State == knowledge.CaseReviewed)
	return s.render(c, status, "library_case", view{Title: "案例 " + lc.Title, Nav: "library", Notice: notice, Error: errMsg,
		Data: map[string]any{"Case": caseViewOf(dir, lc), "Clean": clean, "Scan": scan, "CanEdit": canEdit,
			"UnitsCodes": strings.Join(lc.Units, ", "), "Actions": caseActionsFor(u.Role, lc.State)}})
}

// libraryDraft drafts a case from a ticket (POST /v1/library/cases): store.DraftCase masks the
// citizen out; the author then writes the cause found (003 六 (二)).
func (s *server) libraryDraft(c echo.Context) error {
	tid := strings.TrimSpace(c.FormValue("ticket"))
	if tid == "" {
		return &paramError{Name: "ticket", Reason: "required"}
	}
	lc, err := s.store.DraftCase(c.Request().Context(), staffOf(c).Principal(), tid, s.now())
	var ie *knowledge.IneligibleError
	switch {
	case errors.As(err, &ie):
		return s.afterAction(c, tid, "", &pageError{status: http.StatusConflict, title: "不能编入案例库",
			message: "该工单不能编入案例库：只有已结案的“办不成事”事项，或回访已解决的疑难工单（复杂、督办、重办或延期）可以编入。"})
	case errors.Is(err, store.ErrDuplicate):
		return s.afterAction(c, tid, "", &pageError{status: http.StatusConflict, title: "已编入案例库", message: "该工单已编入案例库。"})
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/console/library/"+url.PathEscape(lc.ID)+"?done=draft")
}

// libraryAct edits, reviews, publishes or withdraws a case at the version the page was rendered at
// (POST /v1/library/cases/{id}/actions); a refusal is said on the case page.
func (s *server) libraryAct(c echo.Context) error {
	id := c.Param("id")
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(form.Get("version"), 10, 64)
	if err != nil || version < 1 {
		return &paramError{Name: "version", Reason: "the case's version"}
	}
	a, err := knowledge.ParseCaseAction(form.Get("action"))
	if err != nil {
		return &paramError{Name: "action", Reason: "edit, review, publish or withdraw"}
	}
	var text knowledge.CaseText
	if a == knowledge.CaseEdit {
		if text, err = caseTextFromForm(form); err != nil {
			return s.renderCase(c, http.StatusUnprocessableEntity, id, "", fieldMessage(err))
		}
	}
	_, err = s.store.ActOnCase(c.Request().Context(), staffOf(c).Principal(), id, version, a, text, s.now())
	if err != nil {
		p, _ := problemOf(err)
		if p.Status >= 500 || p.Status == http.StatusNotFound {
			return err
		}
		var le *knowledge.LeakError
		var te *knowledge.TransitionError
		msg := fieldMessage(err)
		switch {
		case errors.Is(err, store.ErrStaleVersion):
			msg = "案例已被他人修改，请刷新后再操作。"
		case errors.As(err, &le):
			msg = "未能发布：隐私扫描发现来电人信息，请先修改。"
		case errors.As(err, &te) && a == knowledge.CaseReview:
			msg = "未能审核：案例须由作者和最后修改人以外的人员审核，且只能审核草稿。"
		case errors.As(err, &te):
			msg = "当前状态（" + te.State.Label() + "）下不能" + a.Label() + "。"
		case errors.Is(err, store.ErrForbidden):
			msg = "当前账号的角色不能" + a.Label() + "案例。"
		}
		return s.renderCase(c, p.Status, id, "", msg)
	}
	return c.Redirect(http.StatusSeeOther, "/console/library/"+url.PathEscape(id)+"?done="+url.QueryEscape(string(a)))
}

// suggestionQuery is the knowledge query of the intake form's text so far: its title and content
// (cut to what a query may carry), its matter and its place.
func suggestionQuery(title, content, matter, place string) knowledge.Query {
	text := strings.TrimSpace(title + " " + content)
	if utf8.RuneCountInString(text) > knowledge.MaxQueryRunes {
		text = string([]rune(text)[:knowledge.MaxQueryRunes])
	}
	q := knowledge.Query{Text: text, Limit: 5}
	if m := routing.MatterCode(matter); m.Valid() {
		q.Matter = m
	}
	if p := routing.RegionCode(place); p.Valid() {
		q.Place = p
	}
	return q
}

// intakeSuggestions are the suggestions for the intake form's text: the same code as
// GET /v1/knowledge/suggest (server.suggestions); nothing for a text too short to search.
func (s *server) intakeSuggestions(c echo.Context, q knowledge.Query) ([]Suggestion, error) {
	if utf8.RuneCountInString(q.Text) < 2 {
		return nil, nil
	}
	list, err := s.suggestions(c.Request().Context(), staffOf(c).Principal(), q)
	return list.Items, err
}

// intakeSuggestPage answers the intake form's script while the operator types: the suggestions as
// an HTML fragment, rendered with the same template as the form's own "查找知识库". The text is
// posted, not put in the URL: what a citizen said stays out of proxies' and browsers' URL logs.
func (s *server) intakeSuggestPage(c echo.Context) error {
	items, err := s.intakeSuggestions(c, suggestionQuery("", c.FormValue("text"), c.FormValue("matter"), c.FormValue("place")))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(http.StatusOK)
	return s.web.tmpl.Render(c.Response(), "kb_suggest", map[string]any{"Suggestions": items, "Asked": true})
}

// answerFromKnowledgeAtIntake saves the intake form and answers the new ticket at once (即办) with knowledge entry
// entryID — store.AnswerFromKnowledge, as POST /v1/tickets/{id}/knowledge-answer — instead of
// dispatching it. Only an item screening accepts and that repeats no open ticket is answered so: any
// other is left to the usual save, and the form says why.
func (s *server) answerFromKnowledgeAtIntake(c echo.Context, window bool, form intakeForm, in ticket.Intake, entryID string) error {
	ctx := c.Request().Context()
	u := staffOf(c)
	p, now := u.Principal(), s.now()
	e, err := s.store.GetKnowledge(ctx, p, entryID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return s.renderIntake(c, http.StatusUnprocessableEntity, window, form, nil, nil, "所选知识库条目不存在。")
	case err != nil:
		return err
	case !e.ValidAt(now):
		return s.renderIntake(c, http.StatusConflict, window, form, nil, nil, "所选知识库条目当前不在有效期内，不能引用。")
	}
	earlier, err := s.callerHistory(ctx, p, in.Citizen, "", now)
	if err != nil {
		return err
	}
	ans, rep, err := s.screenIntake(in, earlier, now)
	if err != nil {
		return err
	}
	switch {
	case !ans.Stored:
		return s.renderIntake(c, http.StatusUnprocessableEntity, window, form, screeningView(ans.Screening), nil, "要素不全，未受理：请向来电人补充后再提交。")
	case ans.Screening.Outcome != screen.Accept:
		return s.renderIntake(c, http.StatusConflict, window, form, screeningView(ans.Screening), nil,
			"筛查结果为“"+ans.Screening.Outcome.Label()+"”，不能即办：请按预检结果处理。")
	case rep != nil && rep.OriginalState.Open():
		return s.renderIntake(c, http.StatusConflict, window, form, nil, nil,
			"疑似重复件：原工单 "+rep.Original+" 仍在办理，不能即办，请按重复件受理。")
	}
	if len(form.Key) > maxIdempotencyKey || !printableASCII(form.Key) {
		form.Key = ""
	}
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	res, err := s.store.Intake(ctx, p, store.IntakeRequest{Key: form.Key, Body: body, Intake: in}, now)
	if err != nil {
		pr, _ := problemOf(err)
		if pr.Status >= 500 {
			return err
		}
		return s.renderIntake(c, pr.Status, window, form, nil, nil, problemText(err))
	}
	created := &createdView{ID: res.ID, Number: res.Number}
	if res.Replayed {
		created.Outcome = "（此前已受理）"
		return s.renderIntake(c, http.StatusCreated, window, form, nil, created, "")
	}
	if _, _, err := s.store.AnswerFromKnowledge(ctx, p, res.ID, res.Version, e.ID, "", now); err != nil {
		pr, _ := problemOf(err)
		if pr.Status >= 500 {
			return err
		}
		_, msg := pageMessage(pr)
		created.Outcome = "已受理，但未能即办（" + msg + "），请在工单页继续办理。"
	} else {
		created.Outcome = fmt.Sprintf("已即办答复，引用知识库条目“%s”（%s，第%d版）。", clip(e.Question, 40), e.ID, e.Version)
	}
	return s.renderIntake(c, http.StatusCreated, window, form, nil, created, "")
}
