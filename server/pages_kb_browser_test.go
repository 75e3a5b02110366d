package server_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/store"
)

// TestBrowserStampedReportAndSuggestions drives issue 15's console pages in headless Chromium, with
// the harness of pages_browser_test.go: while the operator types a consultation the knowledge base's
// suggestions appear (the page's script), and taking one answers the ticket at once (即办); a 国办
// item's reply is refused until the unit uploads the stamped report (000 §4 (三)) from the same page,
// an image attachment is previewed in place, and the reply is then accepted.
func TestBrowserStampedReportAndSuggestions(t *testing.T) {
	site := demoSQLite(t)
	putEntry(t, site, juzhuzheng)
	dir := t.TempDir()
	report := filepath.Join(dir, "办结报告（盖章）.pdf")
	require.NoError(t, os.WriteFile(report, pdfBytes, 0o644))
	photo := filepath.Join(dir, "现场照片.png")
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{R: uint8(x * 4), G: 120, B: uint8(y * 5), A: 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	require.NoError(t, os.WriteFile(photo, buf.Bytes(), 0o644))

	b := newTab(t, site)
	b.login(store.RoleHotlineOffice)

	// Intake: the suggestions appear while the content is typed.
	b.open("/console/intake", http.StatusOK)
	b.set("kind", "consultation")
	b.set("title", "居住证咨询")
	b.set("region", "310113003017")
	b.set("name", "测试市民")
	b.set("phone", "13911112222")
	b.do(chromedp.SendKeys(chromedp.ID("content"), "来电人问居住证怎么办理"))
	b.do(chromedp.WaitVisible(chromedp.CSS(`#kb-suggest button[value="kb-juzhuzheng"]`)))
	assert.Contains(t, b.text("#kb-suggest"), "居住证怎么办理？")
	assert.Contains(t, b.text("#kb-suggest"), "上海市居住证管理办法 第九条")
	b.do(chromedp.ScrollIntoView(chromedp.ID("kb-suggest")))
	b.shot("intake-suggestions")
	require.Equal(t, int64(http.StatusCreated), b.submit(`#kb-suggest button[value="kb-juzhuzheng"]`))
	assert.Contains(t, b.text("main .notice"), "已即办答复，引用知识库条目")

	// A 国办 item, dispatched by the router to the demo's unit.
	b.open("/console/intake", http.StatusOK)
	b.set("channel", "state_council")
	b.set("kind", "complaint")
	b.set("title", "楼道灯不亮（国办转办）")
	b.set("content", "国办转办：宝林四村12号楼楼道灯已坏一周，夜间上下楼不便。")
	b.set("matter", "030102")
	b.set("region", "310113003017")
	b.set("address", "宝林四村12号")
	b.set("name", "测试市民")
	b.set("phone", "13911113333")
	require.Equal(t, int64(http.StatusCreated), b.submit(`button[value="save"]`))
	href, err := chromedp.Run(b.ctx, chromedp.AttributeValue(chromedp.CSS("main .notice a"), "href"))
	require.NoError(t, err)
	require.True(t, href.Exists)
	ticketPath := href.Value
	b.logout()

	b.login(store.RoleHandlingUnit)
	b.open(ticketPath, http.StatusOK)
	b.act("first_contact", nil)
	assert.Contains(t, b.text("#attachments"), "前须上传审核盖章的办结报告")

	// The reply without the stamped report: refused, naming it, with the upload on the same page.
	fillReply := func() {
		_, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(document.getElementById("action-reply").open = true)`))
		require.NoError(t, err)
		for id, v := range map[string]string{"summary": "已更换楼道灯", "report": "已派电工更换12号楼楼道灯，经分管领导审核盖章。",
			"outcome": "resolved", "reviewed": "房管办主任 周某"} {
			b.set("reply-"+id, v)
		}
	}
	fillReply()
	require.Equal(t, int64(http.StatusConflict), b.submit("#action-reply form button[type=submit]"))
	assert.Contains(t, b.text("main .alert"), "缺少附件“审核盖章的办结报告”（000 §4 (三)）")
	purpose, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("attach-purpose")))
	require.NoError(t, err)
	assert.Equal(t, "stamped_report", purpose, "the upload offers the missing attachment")
	b.shot("ticket-attachment-missing")

	b.do(chromedp.SetUploadFiles(chromedp.ID("attach-file"), []string{report}))
	require.Equal(t, int64(http.StatusOK), b.submit(`#attachments form button[type=submit]`))
	assert.Contains(t, b.text("main .notice"), "附件已上传")
	assert.Contains(t, b.text("#attachments table"), "办结报告（盖章）.pdf")
	assert.Contains(t, b.text("#attachments table"), "审核盖章的办结报告")

	// An image is previewed in place: the console serves it inline under the page's policy.
	b.set("attach-purpose", "general")
	b.do(chromedp.SetUploadFiles(chromedp.ID("attach-file"), []string{photo}))
	require.Equal(t, int64(http.StatusOK), b.submit(`#attachments form button[type=submit]`))
	_, err = chromedp.Run(b.ctx, chromedp.Evaluate[bool](
		`Array.from(document.querySelectorAll("#attachments details.preview")).forEach(d => d.open = true) || true`))
	require.NoError(t, err)
	loaded := false
	for range 50 {
		w, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](
			`(document.querySelector("#attachments details.preview img") || {naturalWidth: 0}).naturalWidth`))
		require.NoError(t, err)
		if loaded = w == 64; loaded {
			break
		}
		b.do(chromedp.Sleep(100 * time.Millisecond))
	}
	assert.True(t, loaded, "the image preview is shown")
	b.do(chromedp.ScrollIntoView(chromedp.ID("attachments")))
	b.shot("ticket-attachments")

	fillReply()
	b.set("reply-summary", "已更换楼道灯，附盖章办结报告")
	require.Equal(t, int64(http.StatusOK), b.submit("#action-reply form button[type=submit]"))
	require.Contains(t, b.text("main .notice"), "已完成")
	assert.Equal(t, "已办结", b.state())
	b.logout()

	// The knowledge base and the case library.
	b.login(store.RoleHotlineOffice)
	b.open("/console/knowledge", http.StatusOK)
	assert.Contains(t, b.text("main table"), "居住证怎么办理？")
	b.shot("knowledge")
	b.open("/console/knowledge/kb-juzhuzheng", http.StatusOK)
	assert.Contains(t, b.text("#h-versions + div"), "新建")
	b.shot("knowledge-entry")
	b.open("/console/tickets/"+demoTicket(t, site, "DEMO-026").ID, http.StatusOK)
	require.Equal(t, int64(http.StatusOK), b.submit(`form[action="/console/library"] button`))
	assert.Contains(t, b.text("#scan"), "通过")
	assert.True(t, strings.Contains(b.location(), "/console/library/"))
	b.shot("library-case")
}
