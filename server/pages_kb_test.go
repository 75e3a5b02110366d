package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/hotline12345/hotline/server/attach"
	"github.com/hotline12345/hotline/server/demo"
	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
)

// The console pages of issue 15: attachments on the ticket page, the knowledge base, the case library
// and the intake form's suggestions.

// postFile sends a multipart form with one file, as a browser's upload form does; without token the
// CSRF field is left out.
func (v *visitor) postFile(path string, fields url.Values, field, name string, content []byte, token bool) page {
	v.t.Helper()
	if v.csrf() == "" {
		v.get("/login")
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if token {
		require.NoError(v.t, w.WriteField("_csrf", v.csrf()))
	}
	for k, vs := range fields {
		for _, x := range vs {
			require.NoError(v.t, w.WriteField(k, x))
		}
	}
	fw, err := w.CreateFormFile(field, name)
	require.NoError(v.t, err)
	_, err = fw.Write(content)
	require.NoError(v.t, err)
	require.NoError(v.t, w.Close())
	req, err := http.NewRequest(http.MethodPost, v.site.url+path, &body)
	require.NoError(v.t, err)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return v.do(req)
}

var (
	createdTicket = regexp.MustCompile(`已受理，工单编号 <a href="/console/tickets/([^"]+)">`)
	attachmentRow = regexp.MustCompile(`data-attachment="([^"]+)"`)
	pdfBytes      = []byte("%PDF-1.7\n% 审核盖章的办结报告\n%%EOF\n")
	elfBytes      = append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 120)...)
)

// consoleIntake accepts an item through the console's intake form and returns the ticket's id.
func consoleIntake(t *testing.T, office *visitor, fields url.Values) string {
	t.Helper()
	form := url.Values{"channel": {"phone"}, "kind": {"help_request"}, "title": {"楼道灯不亮，请房管办维修"},
		"content": {"宝林四村12号楼楼道灯已坏一周，夜间上下楼不便。"}, "matter": {"030102"}, "region": {"310113003017"},
		"address": {"宝林四村12号"}, "name": {"测试市民"}, "phone": {"13911112222"}, "complexity": {"general"}, "step": {"save"}}
	for k, v := range fields {
		form[k] = v
	}
	p := office.post("/console/intake", form)
	require.Equal(t, http.StatusCreated, p.status, firstLine(p.body))
	m := createdTicket.FindStringSubmatch(p.body)
	require.NotNil(t, m, "the page links the new ticket")
	return m[1]
}

// consoleAct applies an action from the ticket page's form at the version the page shows.
func consoleAct(t *testing.T, v *visitor, id string, form url.Values) page {
	t.Helper()
	p := v.get("/console/tickets/" + id)
	require.Equal(t, http.StatusOK, p.status)
	form = clone(form)
	form.Set("version", version(t, p.body))
	return v.post("/console/tickets/"+id+"/actions", form)
}

var reply = url.Values{"action": {"reply"}, "summary": {"已更换楼道灯"}, "report": {"已派电工更换12号楼楼道灯。"},
	"outcome": {"resolved"}, "reviewed_by": {"房管办主任 周某"}}

// TestTicketAttachmentPages walks 000 §4 (三) through the console on a 国办 item: the reply is refused
// naming the stamped report and offering its upload; an executable named .pdf is refused in Chinese;
// a form without the CSRF token is refused; the stamped report is uploaded, listed, previewed and
// downloaded, and the reply is accepted. Another unit's attachment does not exist for the unit; a
// supervisor sees the list masked and may not download (000 第十条).
func TestTicketAttachmentPages(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) { ticketAttachmentPages(t, newDemoSite(t, st)) })
}

func ticketAttachmentPages(t *testing.T, site *demoSite) {
	office := site.visitor(t).login(store.RoleHotlineOffice)
	unit := site.visitor(t).login(store.RoleHandlingUnit)
	sup := site.visitor(t).login(store.RoleSupervisor)
	audit := site.visitor(t).login(store.RoleAuditor)
	id := consoleIntake(t, office, url.Values{"channel": {"state_council"}, "kind": {"complaint"}})
	p := consoleAct(t, unit, id, url.Values{"action": {"first_contact"}})
	require.Equal(t, http.StatusSeeOther, p.status, firstLine(p.body))

	p = unit.get("/console/tickets/" + id)
	assert.Contains(t, p.body, "“办结答复”前须上传审核盖章的办结报告（000 §4 (三)）", "the page says what the reply needs before it is tried")

	p = consoleAct(t, unit, id, reply)
	require.Equal(t, http.StatusConflict, p.status, firstLine(p.body))
	assert.Contains(t, p.body, "缺少附件“审核盖章的办结报告”（000 §4 (三)）")
	assert.Contains(t, p.body, `<option value="stamped_report" selected>`, "the upload form offers the missing attachment")
	assert.Contains(t, p.body, `action="/console/tickets/`+id+`/attachments"`)
	checkHTML(t, "refused reply", p.body)

	p = unit.postFile("/console/tickets/"+id+"/attachments", url.Values{"purpose": {"stamped_report"}}, "file", "report.pdf", elfBytes, true)
	assert.Equal(t, http.StatusUnsupportedMediaType, p.status)
	assert.Contains(t, p.body, "文件内容是可执行程序")
	assert.Contains(t, p.body, "一律不予接收")
	p = unit.postFile("/console/tickets/"+id+"/attachments", url.Values{"purpose": {"stamped_report"}}, "file", "x.txt", []byte("plain words"), true)
	assert.Equal(t, http.StatusUnsupportedMediaType, p.status)
	assert.Contains(t, p.body, "不接受此类文件")
	p = unit.postFile("/console/tickets/"+id+"/attachments", url.Values{"purpose": {"stamped_report"}}, "file", "报告.pdf", pdfBytes, false)
	assert.Equal(t, http.StatusBadRequest, p.status, "no CSRF token")
	assert.Contains(t, p.body, "请求已失效")
	p = unit.postFile("/console/tickets/"+id+"/attachments", url.Values{"purpose": {"stamped_report"}, "_csrf": {"forged"}}, "file", "报告.pdf", pdfBytes, false)
	assert.Equal(t, http.StatusForbidden, p.status, "a forged CSRF token")
	p = sup.postFile("/console/tickets/"+id+"/attachments", url.Values{"purpose": {"general"}}, "file", "报告.pdf", pdfBytes, true)
	assert.Equal(t, http.StatusForbidden, p.status, "a supervisor does not attach")
	assert.Contains(t, p.body, "不能为该工单上传附件")
	p = audit.postFile("/console/tickets/"+id+"/attachments", url.Values{"purpose": {"general"}}, "file", "报告.pdf", pdfBytes, true)
	assert.Equal(t, http.StatusForbidden, p.status, "nor an auditor")

	p = unit.postFile("/console/tickets/"+id+"/attachments", url.Values{"purpose": {"stamped_report"}}, "file", "办结报告（盖章）.pdf", pdfBytes, true)
	require.Equal(t, http.StatusSeeOther, p.status, firstLine(p.body))
	assert.Equal(t, "/console/tickets/"+id+"?attached=1#attachments", p.header.Get("Location"))
	p = unit.get("/console/tickets/" + id)
	require.Equal(t, http.StatusOK, p.status)
	checkHTML(t, "ticket with attachment", p.body)
	assert.Contains(t, p.body, "办结报告（盖章）.pdf")
	assert.Contains(t, p.body, attach.SumOf(pdfBytes).String()[:12])
	assert.NotContains(t, p.body, "前须上传", "the requirement is met")
	m := attachmentRow.FindStringSubmatch(p.body)
	require.NotNil(t, m)
	aid := m[1]
	assert.Contains(t, p.body, `<iframe src="/console/attachments/`+aid+`?inline=1"`, "a PDF is previewed in place")

	p = unit.get("/console/attachments/" + aid + "?inline=1")
	require.Equal(t, http.StatusOK, p.status)
	assert.Equal(t, string(pdfBytes), p.body)
	assert.Equal(t, attach.TypePDF, p.header.Get("Content-Type"))
	assert.Equal(t, "nosniff", p.header.Get("X-Content-Type-Options"))
	assert.True(t, strings.HasPrefix(p.header.Get("Content-Disposition"), "inline;"), p.header.Get("Content-Disposition"))
	assert.Contains(t, p.header.Get("Content-Security-Policy"), "frame-ancestors 'self'")
	assert.Equal(t, "SAMEORIGIN", p.header.Get("X-Frame-Options"))
	p = unit.get("/console/attachments/" + aid)
	require.Equal(t, http.StatusOK, p.status)
	assert.True(t, strings.HasPrefix(p.header.Get("Content-Disposition"), "attachment;"), p.header.Get("Content-Disposition"))
	assert.Contains(t, p.header.Get("Content-Security-Policy"), "sandbox")
	assert.Equal(t, "DENY", p.header.Get("X-Frame-Options"))
	assert.Equal(t, attach.SumOf(pdfBytes).String(), p.header.Get("X-Content-SM3"))

	p = sup.get("/console/tickets/" + id)
	require.Equal(t, http.StatusOK, p.status)
	assert.NotContains(t, p.body, "办结报告（盖章）", "a supervisor sees the list with masked names")
	assert.NotContains(t, p.body, "/console/attachments/"+aid, "and no link to download")
	assert.Equal(t, http.StatusForbidden, sup.get("/console/attachments/"+aid).status)
	assert.Equal(t, http.StatusForbidden, audit.get("/console/attachments/"+aid).status)

	p = consoleAct(t, unit, id, reply)
	require.Equal(t, http.StatusSeeOther, p.status, "with the stamped report the reply is accepted: %s", firstLine(p.body))

	// Another unit's ticket: its attachments do not exist for the unit.
	_, other := demoTickets(t, site.sum)
	a, err := site.store.Attach(context.Background(), store.Principal{Actor: "test:office", Unit: demo.OfficeUnit, Role: store.RoleHotlineOffice},
		store.AttachRequest{SubjectKind: store.SubjectTicket, SubjectID: other.ID, Purpose: attach.PurposeGeneral, Name: "其他单位.pdf",
			Body: bytes.NewReader(pdfBytes)}, pagesNow)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, unit.get("/console/attachments/"+a.ID).status)
	assert.Equal(t, http.StatusNotFound, unit.get("/console/attachments/"+a.ID+"?inline=1").status)
	assert.Equal(t, http.StatusNotFound, unit.get("/console/tickets/"+other.ID).status)
	p = unit.postFile("/console/tickets/"+other.ID+"/attachments", nil, "file", "x.pdf", pdfBytes, true)
	assert.Equal(t, http.StatusNotFound, p.status)
	assert.Equal(t, http.StatusOK, office.get("/console/attachments/"+a.ID).status, "the office handles it")
}

// putEntry stores a knowledge entry as the demo's hotline office.
func putEntry(t *testing.T, site *demoSite, e knowledge.Entry) knowledge.Entry {
	t.Helper()
	out, err := site.store.PutKnowledge(context.Background(), store.Principal{Actor: "test:office", Unit: demo.OfficeUnit,
		Role: store.RoleHotlineOffice}, e, 0, pagesNow)
	require.NoError(t, err)
	return out
}

var juzhuzheng = knowledge.Entry{ID: "kb-juzhuzheng", Question: "居住证怎么办理？",
	Answer: "持身份证、居住登记凭证到社区事务受理服务中心办理居住证，材料齐全的当场受理。",
	Source: knowledge.Source{Document: "上海市居住证管理办法", Article: "第九条"}}

// TestKnowledgePageAuthorization is every new page × every role, as TestPagesAuthorization: sent to
// sign in, 403 for a role the page is not for, 404 for what the role may not see.
func TestKnowledgePageAuthorization(t *testing.T) {
	site := demoSQLite(t)
	e := putEntry(t, site, juzhuzheng)
	own, other := demoTickets(t, site.sum)
	office := store.Principal{Actor: "test:office", Unit: demo.OfficeUnit, Role: store.RoleHotlineOffice}
	mine, err := site.store.Attach(context.Background(), office, store.AttachRequest{SubjectKind: store.SubjectTicket, SubjectID: own.ID,
		Purpose: attach.PurposeGeneral, Name: "现场照片.pdf", Body: bytes.NewReader(pdfBytes)}, pagesNow)
	require.NoError(t, err)
	theirs, err := site.store.Attach(context.Background(), office, store.AttachRequest{SubjectKind: store.SubjectTicket, SubjectID: other.ID,
		Purpose: attach.PurposeGeneral, Name: "其他.pdf", Body: bytes.NewReader(pdfBytes)}, pagesNow)
	require.NoError(t, err)
	lc, err := site.store.DraftCase(context.Background(), office, demoTicket(t, site, "DEMO-026").ID, pagesNow)
	require.NoError(t, err)
	const (
		in   = http.StatusOK
		no   = http.StatusForbidden
		gone = http.StatusNotFound
		away = http.StatusSeeOther
	)
	tests := []pageAccess{
		{"/console/knowledge", []int{away, in, in, in, in, in}},
		{"/console/knowledge?text=居住证", []int{away, in, in, in, in, in}},
		{"/console/knowledge/new", []int{away, in, in, no, no, in}},
		{"/console/knowledge/" + e.ID, []int{away, in, in, in, in, in}},
		{"/console/knowledge/" + e.ID + "/edit", []int{away, in, in, no, no, in}},
		{"/console/knowledge/nonesuch", []int{away, gone, gone, gone, gone, gone}},
		{"/console/knowledge/export?format=json", []int{away, in, in, in, in, in}},
		{"/console/knowledge/export?format=xlsx", []int{away, in, in, in, in, in}},
		{"/console/library", []int{away, in, in, in, in, no}},
		{"/console/library?state=draft", []int{away, in, in, in, in, no}},
		// A draft is read by the office, supervisors, auditors and the drafting unit (here the office).
		{"/console/library/" + lc.ID, []int{away, in, gone, in, in, no}},
		{"/console/attachments/" + mine.ID, []int{away, in, in, no, no, no}},
		{"/console/attachments/" + mine.ID + "?inline=1", []int{away, in, in, no, no, no}},
		{"/console/attachments/" + theirs.ID, []int{away, in, gone, no, no, no}},
	}
	visitors := checkPageAccess(t, site, tests, nil)
	// Forms: a role the form is not for is refused whatever it posts; no session is 401; no token 403.
	for _, tt := range []struct {
		role store.Role
		path string
		form url.Values
		want int
	}{
		{store.RoleSupervisor, "/console/knowledge", url.Values{"question": {"问"}, "answer": {"答"}}, no},
		{store.RoleHotlineOffice, "/console/intake/suggest", url.Values{"text": {"居住证"}}, in},
		{store.RoleHandlingUnit, "/console/intake/suggest", url.Values{"text": {"居住证"}}, no},
		{store.RoleSupervisor, "/console/intake/suggest", url.Values{"text": {"居住证"}}, no},
		{store.RoleAdmin, "/console/intake/suggest", url.Values{"text": {"居住证"}}, no},
		{store.RoleAuditor, "/console/knowledge/" + e.ID, url.Values{"version": {"1"}}, no},
		{store.RoleAdmin, "/console/library", url.Values{"ticket": {own.ID}}, no},
		{store.RoleAuditor, "/console/library/" + lc.ID + "/actions", url.Values{"action": {"review"}, "version": {"1"}}, no},
		{store.RoleHandlingUnit, "/console/library/" + lc.ID + "/actions", url.Values{"action": {"publish"}, "version": {"1"}}, gone},
		{store.RoleSupervisor, "/console/library/" + lc.ID + "/actions", url.Values{"action": {"publish"}, "version": {"1"}}, no},
		{"", "/console/knowledge", url.Values{"question": {"问"}, "answer": {"答"}}, http.StatusUnauthorized},
		{store.RoleHotlineOffice, "/console/knowledge", url.Values{"question": {"问"}, "answer": {"答"}, "_csrf": {"forged"}}, no},
		{store.RoleHotlineOffice, "/console/library/" + lc.ID + "/actions", url.Values{"action": {"review"}, "version": {"1"}, "_csrf": {"forged"}}, no},
	} {
		p := visitors[tt.role].post(tt.path, tt.form)
		assert.Equal(t, tt.want, p.status, "%s posts %s: %s", tt.role, tt.path, firstLine(p.body))
	}
	// The navigation offers the pages to the roles that may use them.
	assert.Contains(t, visitors[store.RoleHandlingUnit].get("/console/tickets").body, `href="/console/knowledge"`)
	assert.Contains(t, visitors[store.RoleHandlingUnit].get("/console/tickets").body, `href="/console/library"`)
	assert.NotContains(t, visitors[store.RoleAdmin].get("/console/users").body, `href="/console/library"`)
}

// clone copies a form, so that a post's CSRF token stays with its visitor.
func clone(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		if k != "_csrf" {
			out[k] = append([]string(nil), v...)
		}
	}
	return out
}

// demoTicket is the demo's ticket of upstream number up.
func demoTicket(t *testing.T, site *demoSite, up string) demo.Ticket {
	t.Helper()
	for _, tk := range site.sum.Tickets {
		if tk.Upstream == up {
			return tk
		}
	}
	t.Fatalf("no demo ticket %s", up)
	return demo.Ticket{}
}

// TestKnowledgePages: create an entry from the form, find it by text, matter and place, change it and
// see the versions (who changed what, when), a stale form refused, a bad code named in Chinese,
// export and import; every page valid HTML with labels on its fields.
func TestKnowledgePages(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) { knowledgePages(t, newDemoSite(t, st)) })
}

func knowledgePages(t *testing.T, site *demoSite) {
	office := site.visitor(t).login(store.RoleHotlineOffice)
	unit := site.visitor(t).login(store.RoleHandlingUnit)
	p := office.post("/console/knowledge", url.Values{"id": {"kb-light"}, "question": {"楼道灯坏了找谁修？"},
		"answer": {"住宅小区楼道灯由物业服务企业维修；无物业的由房管办协调。"}, "matters": {"030102， 0301"}, "places": {"310113003"},
		"source_document": {"上海市住宅物业管理规定"}, "source_article": {"第五十条"}, "valid_from": {"2026-01-01"}})
	require.Equal(t, http.StatusSeeOther, p.status, firstLine(p.body))
	assert.Equal(t, "/console/knowledge/kb-light?saved=1", p.header.Get("Location"))
	p = office.get("/console/knowledge/kb-light")
	require.Equal(t, http.StatusOK, p.status)
	checkHTML(t, "entry", p.body)
	assert.Contains(t, p.body, "030102, 0301")
	assert.Contains(t, p.body, "第五十条")

	for _, q := range []string{"text=" + url.QueryEscape("楼道灯"), "matter=030102", "place=310113003017", "text=" + url.QueryEscape("灯坏") + "&matter=030102"} {
		p = unit.get("/console/knowledge?" + q)
		require.Equal(t, http.StatusOK, p.status, q)
		assert.Contains(t, p.body, `data-entry="kb-light"`, q)
	}
	p = unit.get("/console/knowledge?matter=020202")
	assert.NotContains(t, p.body, `data-entry="kb-light"`, "another matter")
	p = unit.get("/console/knowledge?matter=12x")
	assert.Equal(t, http.StatusBadRequest, p.status)

	edit := office.get("/console/knowledge/kb-light/edit")
	require.Equal(t, http.StatusOK, edit.status)
	checkHTML(t, "edit", edit.body)
	form := url.Values{"question": {"楼道灯坏了找谁修？"}, "answer": {"住宅小区楼道灯由物业服务企业维修，报修电话见小区公告栏。"},
		"matters": {"030102 0301"}, "places": {"310113003"}, "source_document": {"上海市住宅物业管理规定"}, "source_article": {"第五十条"},
		"valid_from": {"2026-01-01"}, "version": {version(t, edit.body)}}
	p = unit.post("/console/knowledge/kb-light", clone(form))
	assert.Equal(t, http.StatusForbidden, p.status, "the unit does not keep the office's entry")
	assert.Contains(t, p.body, "不能维护该单位的知识库条目")
	p = office.post("/console/knowledge/kb-light", clone(form))
	require.Equal(t, http.StatusSeeOther, p.status, firstLine(p.body))
	p = office.post("/console/knowledge/kb-light", clone(form))
	assert.Equal(t, http.StatusPreconditionFailed, p.status, "the version the form was rendered at is gone")
	assert.Contains(t, p.body, "条目已被他人修改")
	p = office.get("/console/knowledge/kb-light")
	assert.Contains(t, p.body, "第2版")
	versions := regexp.MustCompile(`<tr><td class="num">(\d+)</td><td>[^<]+</td><td>([^<]+)</td><td>[^<]*</td><td>([^<]*)</td>`).FindAllStringSubmatch(p.body, -1)
	require.Len(t, versions, 2)
	assert.Equal(t, []string{"2", "答复"}, []string{versions[0][1], versions[0][3]}, "the second version changed the answer")
	assert.Equal(t, "新建", versions[1][3])
	assert.NotEmpty(t, versions[0][2], "who")

	p = office.post("/console/knowledge", url.Values{"question": {"问"}, "answer": {"答"}, "matters": {"12345"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "“适用事项”填写有误")
	checkHTML(t, "refused form", p.body)
	p = office.post("/console/knowledge", url.Values{"question": {" "}, "answer": {"答"}})
	assert.Contains(t, p.body, "“问题”填写有误：不能为空")
	p = office.post("/console/knowledge", url.Values{"question": {"问"}, "answer": {"答"}, "valid_from": {"2026-13-01"}})
	assert.Contains(t, p.body, "“生效日期”填写有误")

	p = office.get("/console/knowledge/new")
	require.Equal(t, http.StatusOK, p.status)
	checkHTML(t, "new", p.body)
	p = office.get("/console/knowledge")
	require.Equal(t, http.StatusOK, p.status)
	checkHTML(t, "list", p.body)
	assert.Contains(t, p.body, `href="/console/knowledge/export?format=xlsx"`)

	p = office.get("/console/knowledge/export?format=json")
	require.Equal(t, http.StatusOK, p.status)
	es, err := knowledge.ReadJSON(strings.NewReader(p.body))
	require.NoError(t, err)
	require.Len(t, es, 1)
	es[0].Answer += "（已核实）"
	es = append(es, juzhuzheng)
	var doc bytes.Buffer
	require.NoError(t, knowledge.WriteJSON(&doc, es))
	p = office.postFile("/console/knowledge/import", nil, "file", "kb.json", doc.Bytes(), true)
	require.Equal(t, http.StatusOK, p.status, firstLine(p.body))
	assert.Contains(t, p.body, "导入完成：新增 1 条，更新 1 条，未变 0 条。")
	p = office.get("/console/knowledge/export?format=xlsx")
	require.Equal(t, http.StatusOK, p.status)
	back, err := knowledge.ReadXLSX(strings.NewReader(p.body))
	require.NoError(t, err)
	assert.Len(t, back, 2)
	p = office.postFile("/console/knowledge/import", nil, "file", "kb.xlsx", []byte(p.body), true)
	assert.Contains(t, p.body, "未变 2 条")
	p = office.postFile("/console/knowledge/import", nil, "file", "kb.json", []byte(`{"entries":[{"question":""}]}`), true)
	assert.Equal(t, http.StatusUnprocessableEntity, p.status, firstLine(p.body))
	assert.Contains(t, p.body, "导入文件有误，未导入任何条目")
	p = office.postFile("/console/knowledge/import", nil, "file", "kb.json", []byte(`{}`), false)
	assert.Equal(t, http.StatusBadRequest, p.status, "no CSRF token")
	assert.Contains(t, p.body, "请求已失效")
}

// TestIntakeSuggestionPages: 002 第六条 (二) 1 (1) — the intake form shows the knowledge base's
// suggestions for the text typed (the script's fragment, and the "查找知识库" button without it);
// taking one saves the ticket and answers it at once (即办), citing the entry.
func TestIntakeSuggestionPages(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) { intakeSuggestionPages(t, newDemoSite(t, st)) })
}

func intakeSuggestionPages(t *testing.T, site *demoSite) {
	e := putEntry(t, site, juzhuzheng)
	putEntry(t, site, knowledge.Entry{ID: "kb-old", Question: "居住证积分怎么算？", Answer: "按旧办法计算。",
		ValidUntil: pagesNow.AddDate(0, -1, 0)})
	office := site.visitor(t).login(store.RoleHotlineOffice)

	p := office.post("/console/intake/suggest", url.Values{"text": {"请问居住证怎么办"}, "place": {"310113003017"}})
	require.Equal(t, http.StatusOK, p.status)
	assert.Contains(t, p.header.Get("Content-Type"), "text/html")
	assert.Contains(t, p.body, `<button type="submit" name="take" value="kb-juzhuzheng"`)
	assert.NotContains(t, p.body, "kb-old", "an entry no longer valid is not suggested")
	assert.NotContains(t, p.body, "<html", "a fragment")
	_, err := html.Parse(strings.NewReader(p.body))
	require.NoError(t, err)
	p = office.post("/console/intake/suggest", url.Values{"text": {"x"}})
	assert.Equal(t, http.StatusOK, p.status)
	assert.NotContains(t, p.body, "take")

	form := url.Values{"channel": {"phone"}, "kind": {"consultation"}, "title": {"居住证怎么办理"},
		"content": {"来电人咨询在宝山区办理居住证需要什么材料。"}, "region": {"310113003017"}, "name": {"测试市民"}, "phone": {"13911112222"},
		"complexity": {"general"}, "key": {"web-test-suggest"}}
	noJS := url.Values{}
	for k, v := range form {
		noJS[k] = v
	}
	noJS.Set("step", "suggest")
	p = office.post("/console/intake", noJS)
	require.Equal(t, http.StatusOK, p.status, firstLine(p.body))
	checkHTML(t, "intake with suggestions", p.body)
	assert.Contains(t, p.body, "知识库建议")
	assert.Contains(t, p.body, `value="kb-juzhuzheng"`)
	assert.Contains(t, p.body, `value="web-test-suggest"`, "the form keeps its key")
	assert.Less(t, strings.Index(p.body, `value="preview"`), strings.Index(p.body, `name="take"`),
		"Enter in a field submits the preview, never a suggestion")
	assert.Contains(t, p.body, "来电人咨询在宝山区办理居住证需要什么材料。", "and what was typed")

	take := url.Values{}
	for k, v := range form {
		take[k] = v
	}
	take.Set("take", e.ID)
	p = office.post("/console/intake", clone(take))
	require.Equal(t, http.StatusCreated, p.status, firstLine(p.body))
	assert.Contains(t, p.body, "已即办答复，引用知识库条目")
	m := createdTicket.FindStringSubmatch(p.body)
	require.NotNil(t, m)
	rec, err := site.store.Get(context.Background(), store.Principal{Actor: "test:system", Role: store.RoleSystem}, m[1])
	require.NoError(t, err)
	assert.Equal(t, ticket.StateReplied, rec.Ticket.State, "answered at once")
	last := rec.Ticket.History[len(rec.Ticket.History)-1]
	assert.Equal(t, ticket.ActionAnswer, last.Action)
	assert.Contains(t, last.Reason, "kb-juzhuzheng（第1版）")
	p = office.post("/console/intake", clone(take))
	assert.Equal(t, http.StatusConflict, p.status, "the same form again is screened as a repeat of the first")
	assert.NotContains(t, p.body, "已即办答复")
	p = office.get("/console/tickets?title=" + url.QueryEscape("居住证怎么办理"))
	assert.Len(t, regexp.MustCompile(`data-number=`).FindAllString(p.body, -1), 1, "one ticket stored")

	take.Set("take", "kb-old")
	take.Set("key", "web-test-old")
	p = office.post("/console/intake", clone(take))
	assert.Equal(t, http.StatusConflict, p.status)
	assert.Contains(t, p.body, "不在有效期内")
	take.Set("take", "nonesuch")
	p = office.post("/console/intake", clone(take))
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "条目不存在")
}

// TestLibraryPages: 003 五 (四) through the console — the office drafts a case from a closed 办不成事
// item, writes the cause found (003 六 (二)), a supervisor reviews it, the office publishes it; the
// PII scan is shown; the published case is found by every role that reads tickets and shows nothing
// of the citizen.
func TestLibraryPages(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) { libraryPages(t, newDemoSite(t, st)) })
}

func libraryPages(t *testing.T, site *demoSite) {
	pii := citizens(t, site)
	office := site.visitor(t).login(store.RoleHotlineOffice)
	sup := site.visitor(t).login(store.RoleSupervisor)
	unit := site.visitor(t).login(store.RoleHandlingUnit)
	tk := demoTicket(t, site, "DEMO-026")
	p := office.get("/console/tickets/" + tk.ID)
	require.Contains(t, p.body, `action="/console/library"`, "the ticket page offers to draft a case")
	p = office.post("/console/library", url.Values{"ticket": {tk.ID}})
	require.Equal(t, http.StatusSeeOther, p.status, firstLine(p.body))
	casePath, _, _ := strings.Cut(p.header.Get("Location"), "?")
	p = office.post("/console/library", url.Values{"ticket": {tk.ID}})
	assert.Equal(t, http.StatusConflict, p.status)
	assert.Contains(t, p.body, "该工单已编入案例库")
	_, other := demoTickets(t, site.sum)
	p = office.post("/console/library", url.Values{"ticket": {other.ID}})
	assert.Equal(t, http.StatusConflict, p.status)
	assert.Contains(t, p.body, "不能编入案例库")

	p = office.get(casePath)
	require.Equal(t, http.StatusOK, p.status)
	checkHTML(t, "case", p.body)
	assert.Contains(t, p.body, "隐私扫描")
	assert.Contains(t, p.body, "未发现来电人的姓名、电话、身份证号、地址或其他长数字")
	assert.Contains(t, p.body, `value="review"`)
	assert.NotContains(t, p.body, `value="publish"`, "a draft is reviewed before it is published")

	act := func(v *visitor, form url.Values) page {
		t.Helper()
		cur := v.get(casePath)
		require.Equal(t, http.StatusOK, cur.status)
		form.Set("version", version(t, cur.body))
		return v.post(casePath+"/actions", form)
	}
	p = act(office, url.Values{"action": {"edit"}, "title": {"老年综合津贴材料不全：容缺受理一次办成"},
		"problem": {"群众办理老年综合津贴时材料不全被退回。"}, "cause": {"窗口对容缺受理的适用范围把握过严，未启动协调机制。"},
		"solution": {"受理中心主任牵头协调，容缺受理并当日办结。"}, "units": {""}, "matters": {"010102"}, "places": {"310113"}})
	require.Equal(t, http.StatusSeeOther, p.status, firstLine(p.body))
	p = act(office, url.Values{"action": {"review"}})
	assert.Equal(t, http.StatusConflict, p.status, "the author does not review")
	assert.Contains(t, p.body, "作者和最后修改人以外")
	p = act(office, url.Values{"action": {"edit"}, "title": {""}, "problem": {"x"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "“标题”填写有误")
	p = act(sup, url.Values{"action": {"review"}})
	require.Equal(t, http.StatusSeeOther, p.status, firstLine(p.body))
	p = act(office, url.Values{"action": {"publish"}})
	require.Equal(t, http.StatusSeeOther, p.status, firstLine(p.body))

	for _, v := range []*visitor{office, sup, unit} {
		p = v.get("/console/library")
		require.Equal(t, http.StatusOK, p.status)
		checkHTML(t, "library", p.body)
		assert.Contains(t, p.body, "老年综合津贴材料不全")
		p = v.get("/console/library?text=" + url.QueryEscape("容缺受理"))
		assert.Contains(t, p.body, "老年综合津贴材料不全", "found by text")
		p = v.get(casePath)
		require.Equal(t, http.StatusOK, p.status)
		assert.Contains(t, p.body, "窗口对容缺受理的适用范围把握过严")
		for _, x := range pii {
			assert.NotContains(t, p.body, x, "the published case shows nothing of the citizen")
		}
	}
	p = unit.get("/console/library?state=draft")
	assert.NotContains(t, p.body, "老年综合津贴材料不全")
	assert.Equal(t, http.StatusOK, office.get("/console/library?state=published&text=").status)
	assert.Equal(t, http.StatusBadRequest, office.get("/console/library?state=bogus").status)
}

// TestCaseAttachmentPages: an appeal's written defence and evidence (000 第六条 (一)) through the
// console: the office and the appealing unit attach, supervisors download, auditors see the list
// masked, administrators not at all; an executable is refused in Chinese, a form without its token.
func TestCaseAttachmentPages(t *testing.T) {
	site := demoSQLite(t)
	require.NotEmpty(t, site.sum.Appeal, "the demo files an appeal")
	path := "/console/cases/" + site.sum.Appeal + "/attachments"
	office := site.visitor(t).login(store.RoleHotlineOffice)
	unit := site.visitor(t).login(store.RoleHandlingUnit)
	sup := site.visitor(t).login(store.RoleSupervisor)
	audit := site.visitor(t).login(store.RoleAuditor)
	admin := site.visitor(t).login(store.RoleAdmin)
	p := office.get(path)
	require.Equal(t, http.StatusOK, p.status, firstLine(p.body))
	checkHTML(t, path, p.body)
	assert.Contains(t, p.body, "差评申诉")
	assert.Contains(t, p.body, `action="`+path+`"`)
	linked := false
	for _, month := range []string{pagesNow.Format("2006-01"), pagesNow.AddDate(0, -1, 0).Format("2006-01")} {
		for _, unit := range []string{"yy-jw012", demo.HandlingUnit} { // the demo appeal's unit (demo/script.go)
			linked = linked || strings.Contains(office.get("/console/reviews?period="+month+"&unit="+unit).body, `href="`+path+`"`)
		}
	}
	assert.True(t, linked, "the reviews page links each case's attachments")

	p = office.postFile(path, url.Values{"purpose": {"evidence"}}, "file", "evidence.pdf", elfBytes, true)
	assert.Equal(t, http.StatusUnsupportedMediaType, p.status)
	assert.Contains(t, p.body, "文件内容是可执行程序")
	p = office.postFile(path, url.Values{"purpose": {"evidence"}}, "file", "通话记录.pdf", pdfBytes, false)
	assert.Equal(t, http.StatusBadRequest, p.status, "no CSRF token")
	p = office.postFile(path, url.Values{"purpose": {"evidence"}}, "file", "通话记录.pdf", pdfBytes, true)
	require.Equal(t, http.StatusSeeOther, p.status, firstLine(p.body))
	p = office.get(path + "?attached=1")
	assert.Contains(t, p.body, "附件已上传")
	assert.Contains(t, p.body, "通话记录.pdf")
	assert.Contains(t, p.body, "举证材料")
	m := attachmentRow.FindStringSubmatch(p.body)
	require.NotNil(t, m)

	if u := unit.get(path); u.status == http.StatusOK {
		assert.Contains(t, u.body, "通话记录.pdf", "the appealing unit handles its case")
		assert.Equal(t, http.StatusOK, unit.get("/console/attachments/"+m[1]).status)
	} else {
		assert.Equal(t, http.StatusNotFound, u.status, "another unit's case does not exist for it")
		assert.Equal(t, http.StatusNotFound, unit.get("/console/attachments/"+m[1]).status)
	}
	p = sup.get(path)
	require.Equal(t, http.StatusOK, p.status)
	assert.NotContains(t, p.body, `action="`+path+`"`, "a supervisor does not attach")
	assert.Equal(t, http.StatusOK, sup.get("/console/attachments/"+m[1]).status, "but downloads")
	p = audit.get(path)
	require.Equal(t, http.StatusOK, p.status)
	assert.NotContains(t, p.body, "通话记录.pdf", "an auditor sees the names masked")
	assert.Equal(t, http.StatusForbidden, audit.get("/console/attachments/"+m[1]).status)
	assert.Equal(t, http.StatusForbidden, admin.get(path).status)
	assert.Equal(t, http.StatusNotFound, office.get("/console/cases/nonesuch/attachments").status)
}
