package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/internal/xtest"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/attach"
	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
)

// moreKeys issues an administrator's and an auditor's keys besides seedTickets'.
func moreKeys(t *testing.T, st *store.Store, k keys) keys {
	t.Helper()
	maps.Copy(k, storetest.Seed(t, st, fixedNow, nil, map[string]storetest.Key{
		"admin":   {Unit: "city", Role: store.RoleAdmin},
		"auditor": {Unit: "city", Role: store.RoleAuditor},
	}))
	return k
}

// upload posts body as a file to path (a raw body, as a browser or curl sends it).
func (c *client) upload(path string, body []byte, header ...string) *httptest.ResponseRecorder {
	c.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/octet-stream")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

func pdfFile(what string) []byte { return []byte("%PDF-1.7\n% " + what + "\n%%EOF\n") }

var elfFile = append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 120)...)

// act applies a lifecycle action through the API and returns the new version.
func kbAct(t *testing.T, f fixture, key, id string, version int64, body string) int64 {
	t.Helper()
	rec := f.send(http.MethodPost, "/v1/tickets/"+id+"/actions", body, "Authorization", key, "If-Match", fmt.Sprintf(`"%d"`, version))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var res server.ActionResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &res))
	return res.Version
}

func kbIntake(t *testing.T, f fixture, key, body string) string {
	t.Helper()
	rec := f.send(http.MethodPost, "/v1/tickets", body, "Authorization", key)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var created server.IntakeResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &created))
	return created.ID
}

const (
	kbDispatchA    = `{"action":"dispatch","payload":{"dispatch":{"lead":"unit-a","dispatch_mode":"statutory"}}}`
	kbFirstContact = `{"action":"first_contact"}`
	kbReplyBody    = `{"action":"reply","payload":{"reply":{"report":"经核查，已责令停止夜间施工。","summary":"已责令停止夜间施工。","outcome":"resolved","reviewed_by":"分管副主任"}}}`
)

// TestAttachmentsAPI runs on every dialect (PostgreSQL and MariaDB when their DSNs are set): 000 §4
// (三) through the API, scoping of downloads, content sniffing, /readyz saying there is no scanner.
func TestAttachmentsAPI(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) { attachmentsAPI(t, st) })
}

func attachmentsAPI(t *testing.T, st *store.Store) {
	f := newServerOn(t, st)
	f.client = &client{t: t, h: f.h}
	k := moreKeys(t, st, seedTickets(t, st))
	gb := strings.Replace(intakeBody, `"channel":"phone"`, `"channel":"state_council","upstream":"GB-2026-0001"`, 1)
	id := kbIntake(t, f, k["office"], gb)
	v := kbAct(t, f, k["office"], id, 1, kbDispatchA)
	v = kbAct(t, f, k["unit-a"], id, v, kbFirstContact)

	t.Run("000 §4 (三): a 国办 reply is refused until its stamped report is attached", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, "/v1/tickets/"+id+"/actions", kbReplyBody, "Authorization", k["unit-a"], "If-Match", fmt.Sprintf(`"%d"`, v))
		require.Equal(t, http.StatusConflict, rec.Code, rec.Body.String())
		p := problemOf(t, rec.Body.Bytes())
		assert.Equal(t, "attachment_required", p.Code)
		assert.Contains(t, p.Detail, "审核盖章的办结报告")
		assert.Contains(t, p.Detail, "000 §4 (三)")
	})
	var report server.AttachmentResponse
	t.Run("the unit attaches the stamped report", func(t *testing.T) {
		rec := f.on(t).upload("/v1/tickets/"+id+"/attachments?purpose=stamped_report&name="+url.QueryEscape("办结报告（盖章）.pdf"),
			pdfFile("盖章办结报告"), "Authorization", k["unit-a"])
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &report))
		assert.Equal(t, "办结报告（盖章）.pdf", report.Name)
		assert.Equal(t, attach.TypePDF, report.Type)
		assert.Equal(t, attach.SumOf(pdfFile("盖章办结报告")).String(), report.SM3)
		assert.Equal(t, "/v1/attachments/"+report.ID, rec.Header().Get("Location"))
	})
	t.Run("and the reply is accepted", func(t *testing.T) {
		v = kbAct(t, f, k["unit-a"], id, v, kbReplyBody)
	})
	t.Run("an executable named .pdf is refused for its content", func(t *testing.T) {
		rec := f.on(t).upload("/v1/tickets/"+id+"/attachments?purpose=evidence&name=report.pdf", elfFile, "Authorization", k["unit-a"])
		assert.Equal(t, http.StatusUnsupportedMediaType, rec.Code)
		p := problemOf(t, rec.Body.Bytes())
		assert.Equal(t, "attachment_executable", p.Code)
		assert.Contains(t, p.Detail, "program")
	})
	t.Run("bad metadata is a problem naming the parameter", func(t *testing.T) {
		rec := f.on(t).upload("/v1/tickets/"+id+"/attachments?purpose=selfie", pdfFile("x"), "Authorization", k["unit-a"])
		assert.Equal(t, http.StatusBadRequest, rec.Code)
		assert.Equal(t, "purpose", problemOf(t, rec.Body.Bytes()).Field)
	})
	t.Run("the handling unit downloads it, with its type, sum and nosniff", func(t *testing.T) {
		rec := f.on(t).get(report.Href+"?inline=true", "Authorization", k["unit-a"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.Equal(t, pdfFile("盖章办结报告"), rec.Body.Bytes())
		assert.Equal(t, attach.TypePDF, rec.Header().Get("Content-Type"))
		assert.Equal(t, report.SM3, rec.Header().Get("X-Content-SM3"))
		assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
		assert.True(t, strings.HasPrefix(rec.Header().Get("Content-Disposition"), "inline;"))
	})
	t.Run("another unit cannot download it: it does not exist for it", func(t *testing.T) {
		rec := f.on(t).get(report.Href, "Authorization", k["unit-b"])
		assert.Equal(t, http.StatusNotFound, rec.Code)
		rec = f.on(t).get("/v1/tickets/"+id+"/attachments", "Authorization", k["unit-b"])
		assert.Equal(t, http.StatusNotFound, rec.Code)
	})
	t.Run("a supervisor sees the list masked and may not download (000 第十条)", func(t *testing.T) {
		rec := f.on(t).get("/v1/tickets/"+id+"/attachments", "Authorization", k["super"])
		require.Equal(t, http.StatusOK, rec.Code)
		var list server.AttachmentList
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &list))
		assert.True(t, list.Masked)
		require.Len(t, list.Items, 1)
		assert.NotEqual(t, report.Name, list.Items[0].Name)
		rec = f.on(t).get(report.Href, "Authorization", k["super"])
		assert.Equal(t, http.StatusForbidden, rec.Code)
	})
	t.Run("readyz says uploads are not scanned", func(t *testing.T) {
		rec := f.on(t).get("/readyz")
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var h server.Health
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &h))
		assert.Equal(t, attach.NoScannerName, h.Details["virus_scanner"])
		assert.Equal(t, "database", h.Details["attachments_store"])
	})
	t.Run("the log never names the file", func(t *testing.T) {
		assert.NotContains(t, f.log.String(), "办结报告（盖章）")
	})
}

// A 20 MB upload through the API (past the 1 MB JSON body limit, under the attachment policy's)
// streams: the heap never grows by as much as the file.
func TestUpload20MBStreams(t *testing.T) {
	f := newServer(t, server.WithTimeout(10*time.Minute)) // SM3 of 20 MB under -race on a busy machine is slow

	k := seedTickets(t, f.store)
	id := kbIntake(t, f, k["office"], intakeBody)
	kbAct(t, f, k["office"], id, 1, kbDispatchA)
	const size = 20 << 20
	req := httptest.NewRequest(http.MethodPost, "/v1/tickets/"+id+"/attachments?purpose=evidence&name=video.pdf",
		&xtest.Stream{Head: pdfFile("stream"), N: size})
	req.Header.Set("Authorization", k["unit-a"])
	req.ContentLength = size
	rec := httptest.NewRecorder()
	peak := xtest.PeakHeap(func() { f.h.ServeHTTP(rec, req) })
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var a server.AttachmentResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &a))
	assert.Equal(t, int64(size), a.Size)
	t.Logf("a %d-byte upload through the API grew the heap by at most %d bytes", size, peak)
	assert.Less(t, peak, uint64(size), "the upload must stream")

	// A declared length over the policy's limit is 413 before a byte is read (a stream without one
	// is cut at the limit: attach.TestIngest).
	body := &xtest.Stream{Head: pdfFile("stream"), N: attach.Shanghai().MaxBytes + 1}
	req = httptest.NewRequest(http.MethodPost, "/v1/tickets/"+id+"/attachments", body)
	req.Header.Set("Authorization", k["unit-a"])
	req.ContentLength = body.N
	rec = httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	assert.Equal(t, "attachment_too_large", problemOf(t, rec.Body.Bytes()).Code)
	assert.Zero(t, body.Consumed(), "nothing was read")
}

// The knowledge base through the API: entries, versions, search and suggestions, import and export in
// JSON and XLSX, and an immediate answer (即办) that cites an entry.
func TestKnowledgeAPI(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) { knowledgeAPI(t, st) })
}

func knowledgeAPI(t *testing.T, st *store.Store) {
	f := newServerOn(t, st)
	f.client = &client{t: t, h: f.h}
	k := moreKeys(t, st, seedTickets(t, st))

	corpus, err := os.ReadFile("store/testdata/knowledge.json")
	require.NoError(t, err)
	t.Run("import JSON, all or nothing", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, "/v1/knowledge/import", string(corpus), "Authorization", k["unit-a"])
		assert.Equal(t, http.StatusForbidden, rec.Code, "unit-a keeps nothing of unit-b's")
		rec = f.on(t).send(http.MethodPost, "/v1/knowledge/import", `{"entries":[{"question":"q","answer":"a","matters":["5"]}]}`, "Authorization", k["admin"])
		assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		assert.Equal(t, "entries[0].matters[0]", problemOf(t, rec.Body.Bytes()).Field)
		rec = f.on(t).send(http.MethodPost, "/v1/knowledge/import", string(corpus), "Authorization", k["admin"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.JSONEq(t, `{"created":26,"updated":0,"unchanged":0}`, rec.Body.String())
	})
	t.Run("suggestions for the text being typed", func(t *testing.T) {
		rec := f.on(t).get("/v1/knowledge/suggest?text="+url.QueryEscape("市民问居住证怎么办理")+"&place=310113003", "Authorization", k["office"])
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var s server.SuggestionList
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &s))
		require.NotEmpty(t, s.Items)
		assert.Equal(t, "kb-juzhuzheng", s.Items[0].ID)
		assert.Equal(t, "上海市居住证管理办法 第八条", s.Items[0].Source)
		rec = f.on(t).get("/v1/knowledge/suggest?matter=5", "Authorization", k["office"])
		assert.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		assert.Equal(t, "matter", problemOf(t, rec.Body.Bytes()).Field)
		rec = f.on(t).get("/v1/knowledge/search?text="+url.QueryEscape("公积金租房")+"&limit=2", "Authorization", k["auditor"])
		require.Equal(t, http.StatusOK, rec.Code)
		var hits server.KnowledgeHits
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &hits))
		require.Len(t, hits.Items, 2)
		assert.Equal(t, "kb-provident-fund-withdraw", hits.Items[0].Entry.ID)
	})
	t.Run("create, replace at a version, history", func(t *testing.T) {
		rec := f.on(t).send(http.MethodPost, "/v1/knowledge/entries", `{"question":"垃圾分类投放时间？","answer":"早7时至9时。","matters":["07"]}`, "Authorization", k["unit-a"])
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		var e knowledge.Entry
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e))
		assert.Equal(t, "unit-a", e.Keeper)
		assert.Equal(t, `"1"`, rec.Header().Get("ETag"))
		path := "/v1/knowledge/entries/" + e.ID
		rec = f.on(t).send(http.MethodPut, path, `{"question":"垃圾分类投放时间？","answer":"早7时至9时，晚18时至20时。","matters":["07"]}`, "Authorization", k["unit-a"])
		assert.Equal(t, http.StatusPreconditionRequired, rec.Code)
		rec = f.on(t).send(http.MethodPut, path, `{"question":"垃圾分类投放时间？","answer":"早7时至9时，晚18时至20时。","matters":["07"]}`, "Authorization", k["unit-b"], "If-Match", `"1"`)
		assert.Equal(t, http.StatusForbidden, rec.Code)
		rec = f.on(t).send(http.MethodPut, path, `{"question":"垃圾分类投放时间？","answer":"早7时至9时，晚18时至20时。","matters":["07"]}`, "Authorization", k["unit-a"], "If-Match", `"1"`)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.Equal(t, `"2"`, rec.Header().Get("ETag"))
		rec = f.on(t).send(http.MethodPut, path, `{"question":"x","answer":"y"}`, "Authorization", k["unit-a"], "If-Match", `"1"`)
		assert.Equal(t, http.StatusPreconditionFailed, rec.Code)
		rec = f.on(t).send(http.MethodPut, path, `{"question":"x","answer":"y","colour":"red"}`, "Authorization", k["unit-a"], "If-Match", `"2"`)
		assert.Equal(t, http.StatusBadRequest, rec.Code)
		assert.Equal(t, "colour", problemOf(t, rec.Body.Bytes()).Field)
		rec = f.on(t).get(path+"/versions", "Authorization", k["super"])
		require.Equal(t, http.StatusOK, rec.Code)
		var h server.KnowledgeHistory
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &h))
		require.Len(t, h.Items, 2)
		assert.Equal(t, []string{"answer"}, h.Items[1].Changed)
		assert.NotEmpty(t, h.Items[1].Actor)
		rec = f.on(t).get(path, "Authorization", k["unit-b"])
		require.Equal(t, http.StatusOK, rec.Code)
		rec = f.on(t).get("/v1/knowledge/entries?keeper=unit-b&limit=5", "Authorization", k["unit-b"])
		require.Equal(t, http.StatusOK, rec.Code)
		var page server.KnowledgePage
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page))
		assert.Len(t, page.Items, 5)
		assert.NotEmpty(t, page.Next)
	})
	t.Run("export JSON and XLSX, and the XLSX imports back unchanged", func(t *testing.T) {
		rec := f.on(t).get("/v1/knowledge/export?keeper=unit-b", "Authorization", k["admin"])
		require.Equal(t, http.StatusOK, rec.Code)
		es, err := knowledge.ReadJSON(bytes.NewReader(rec.Body.Bytes()))
		require.NoError(t, err)
		assert.Len(t, es, 10)
		rec = f.on(t).get("/v1/knowledge/export?format=xlsx", "Authorization", k["admin"])
		require.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, server.MIMEXLSX, rec.Header().Get("Content-Type"))
		back, err := knowledge.ReadXLSX(bytes.NewReader(rec.Body.Bytes()))
		require.NoError(t, err)
		assert.Len(t, back, 27)
		req := httptest.NewRequest(http.MethodPost, "/v1/knowledge/import", bytes.NewReader(rec.Body.Bytes()))
		req.Header.Set("Content-Type", server.MIMEXLSX)
		req.Header.Set("Authorization", k["admin"])
		rec = f.on(t).do(req)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.JSONEq(t, `{"created":0,"updated":0,"unchanged":27}`, rec.Body.String())
		rec = f.on(t).send(http.MethodPost, "/v1/knowledge/import", "not json", "Authorization", k["admin"])
		assert.Equal(t, http.StatusBadRequest, rec.Code)
		assert.Equal(t, "malformed_json", problemOf(t, rec.Body.Bytes()).Code)
		req = httptest.NewRequest(http.MethodPost, "/v1/knowledge/import", strings.NewReader("PK\x03\x04 not a workbook"))
		req.Header.Set("Content-Type", server.MIMEXLSX)
		req.Header.Set("Authorization", k["admin"])
		rec = f.on(t).do(req)
		assert.Equal(t, http.StatusBadRequest, rec.Code)
		assert.Equal(t, "malformed_import", problemOf(t, rec.Body.Bytes()).Code)
		rec = f.on(t).upload("/v1/knowledge/import", []byte("x"), "Authorization", k["admin"])
		assert.Equal(t, http.StatusUnsupportedMediaType, rec.Code)
	})
	t.Run("002 §6 (二) 1 (1): taking a suggestion answers the ticket at once, citing the entry", func(t *testing.T) {
		consult := strings.NewReplacer(`"kind":"complaint"`, `"kind":"consultation"`, "工地夜间施工噪声", "居住证怎么办").Replace(intakeBody)
		id := kbIntake(t, f, k["office"], consult)
		rec := f.on(t).send(http.MethodPost, "/v1/tickets/"+id+"/knowledge-answer", `{"entry":"kb-points-2025"}`, "Authorization", k["office"], "If-Match", `"1"`)
		assert.Equal(t, http.StatusConflict, rec.Code)
		assert.Equal(t, "entry_not_valid", problemOf(t, rec.Body.Bytes()).Code)
		rec = f.on(t).send(http.MethodPost, "/v1/tickets/"+id+"/knowledge-answer", `{"entry":"kb-juzhuzheng"}`, "Authorization", k["office"], "If-Match", `"1"`)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		var res server.ActionResponse
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &res))
		assert.Equal(t, ticket.ActionAnswer, res.Event.Action)
		assert.Contains(t, res.Event.Reason, "kb-juzhuzheng")
		assert.Equal(t, `"2"`, rec.Header().Get("ETag"))
	})
}

// 003 五 (四): the case library through the API; a published case carries no phone, ID number,
// address or name of the citizen (scanned).
func TestLibraryAPI(t *testing.T) {
	storetest.EachDialect(t, func(t *testing.T, st *store.Store) { libraryAPI(t, st) })
}

func libraryAPI(t *testing.T, st *store.Store) {
	f := newServerOn(t, st)
	f.client = &client{t: t, h: f.h}
	k := moreKeys(t, st, seedTickets(t, st))
	window := strings.NewReplacer(`"channel":"phone"`, `"channel":"window_offline"`, `"kind":"complaint"`, `"kind":"errand"`,
		"小区旁工地夜间施工，噪声扰民。", "张三（13812345678）住宝山区友谊路1号，办理居住证时窗口称缺少租赁备案，办不成。").Replace(intakeBody)
	id := kbIntake(t, f, k["office"], window)
	v := kbAct(t, f, k["office"], id, 1, kbDispatchA)
	v = kbAct(t, f, k["unit-a"], id, v, kbFirstContact)
	v = kbAct(t, f, k["unit-a"], id, v, `{"action":"reply","payload":{"reply":{"report":"已为张三办结，电话13812345678。","summary":"租赁备案与居住证一并办理。","outcome":"resolved"}}}`)
	v = kbAct(t, f, k["office"], id, v, `{"action":"callback","payload":{"callback":{"contacted":true,"resolved":true,"result":"satisfied","efficiency":"satisfied","attitude":"satisfied"}}}`)
	kbAct(t, f, k["office"], id, v, `{"action":"close"}`)

	rec := f.send(http.MethodPost, "/v1/library/cases", `{"ticket":"`+id+`"}`, "Authorization", k["office"])
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	var c knowledge.Case
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &c))
	path := "/v1/library/cases/" + c.ID
	rec = f.send(http.MethodPost, "/v1/library/cases", `{"ticket":"`+id+`"}`, "Authorization", k["office"])
	assert.Equal(t, http.StatusConflict, rec.Code)

	text, _ := json.Marshal(map[string]any{"title": c.Title, "problem": c.Problem, "solution": c.Solution, "units": c.Units,
		"cause": "张三的租赁合同未在房管部门备案，受理中心无法核验。"})
	rec = f.send(http.MethodPost, path+"/actions", `{"action":"edit","text":`+string(text)+`}`, "Authorization", k["office"], "If-Match", `"1"`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = f.send(http.MethodPost, path+"/actions", `{"action":"review"}`, "Authorization", k["office"], "If-Match", `"2"`)
	assert.Equal(t, http.StatusConflict, rec.Code, "the author does not review their own case")
	assert.Equal(t, "illegal_transition", problemOf(t, rec.Body.Bytes()).Code)
	rec = f.send(http.MethodPost, path+"/actions", `{"action":"review"}`, "Authorization", k["super"], "If-Match", `"2"`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = f.send(http.MethodPost, path+"/actions", `{"action":"publish"}`, "Authorization", k["office"], "If-Match", `"3"`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	rec = f.get(path, "Authorization", k["unit-b"])
	require.Equal(t, http.StatusOK, rec.Code)
	body := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|HL-[0-9]{8}-[0-9]{6}-[0-9A-Z]`).ReplaceAllString(rec.Body.String(), "")
	for _, secret := range []string{"张三", "13812345678", "1234", "友谊路1号"} {
		assert.NotContains(t, body, secret)
	}
	assert.NotRegexp(t, `[0-9]{7,}`, body)
	assert.Contains(t, body, "租赁合同未在房管部门备案")

	rec = f.get("/v1/library/search?text="+url.QueryEscape("居住证缺少租赁备案"), "Authorization", k["unit-b"])
	require.Equal(t, http.StatusOK, rec.Code)
	var hits server.LibraryHits
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &hits))
	require.Len(t, hits.Items, 1)
	rec = f.get("/v1/library/cases?state=published", "Authorization", k["auditor"])
	require.Equal(t, http.StatusOK, rec.Code)
	rec = f.get("/v1/library/cases?state=lost", "Authorization", k["auditor"])
	assert.Equal(t, http.StatusBadRequest, rec.Code)
}

// FuzzUploadMetadata sends arbitrary upload metadata (purpose, name, Content-Disposition): nothing may
// get a 500, and every refusal is a problem.
func FuzzUploadMetadata(f *testing.F) {
	f.Add("stamped_report", "办结报告.pdf", "")
	f.Add("", "", `attachment; filename*=UTF-8''%E4%B8%BE.pdf`)
	f.Add("举证材料", "../../etc/passwd", `form-data; filename="\x00"`)
	srv := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, purpose, name, disposition string) {
		q := url.Values{"purpose": {purpose}, "name": {name}}
		req := httptest.NewRequest(http.MethodPost, "/v1/tickets/"+srv.id+"/attachments?"+q.Encode(), bytes.NewReader(pdfFile("fuzz")))
		req.Header.Set("Authorization", srv.key)
		if strings.IndexFunc(disposition, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0 {
			req.Header.Set("Content-Disposition", disposition)
		}
		rec := httptest.NewRecorder()
		srv.h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("answered %d: %s", rec.Code, rec.Body.String())
		}
		if rec.Code >= 400 {
			var p map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p["code"] == nil {
				t.Fatalf("answered %d without a problem: %s", rec.Code, rec.Body.String())
			}
		}
	})
}

// FuzzKnowledgeBodies sends arbitrary bodies to the knowledge and library endpoints that take JSON.
func FuzzKnowledgeBodies(f *testing.F) {
	for _, s := range []string{
		`{"entries":[{"question":"q","answer":"a"}]}`, `{"question":"居住证","answer":"社区办理","matters":["05"],"places":["310113"]}`,
		`{"entry":"kb-1"}`, `{"ticket":"x"}`, `{"action":"edit","text":{"title":"t","problem":"p"}}`, `{"entries":null}`, `[]`,
	} {
		f.Add(s)
	}
	srv := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/v1/knowledge/import", "/v1/knowledge/entries", "/v1/tickets/" + srv.id + "/knowledge-answer",
			"/v1/library/cases", "/v1/library/cases/x/actions"} {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", srv.key)
			req.Header.Set("If-Match", `"1"`)
			rec := httptest.NewRecorder()
			srv.h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s answered %d to %q: %s", path, rec.Code, body, rec.Body.String())
			}
		}
	})
}
