package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/server/attach"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// The console's attachments (issue 15; 000 §4 (三), §6 (一)): the ticket page lists a ticket's files,
// takes an upload through a multipart form and shows images and PDFs in place. Every read and write
// goes through the store's attachment methods — store.Attach (the policy's sniffing, size limit, SM3
// sum and scanner), store.Attachments (names masked for those who do not handle the ticket) and
// store.OpenAttachment (scoping and the audited download) — exactly as the API's handlers in
// attachments.go; the pages add the form, Chinese messages and the headers of an in-page preview.

// attachmentView is one attachment on the ticket page.
type attachmentView struct {
	ID, Name, Type, TypeLabel, Size, SM3, SM3Short, Purpose, Actor, Unit string
	Created                                                              time.Time
	// Preview is "image" or "pdf" for a file the page may show in place, else "".
	Preview string
}

// attachSection is the attachments of a ticket or a case on its page: the list, whether the member
// of staff may download and upload, the upload form's choices, and why an action was refused for a
// missing file.
type attachSection struct {
	Items                  []attachmentView
	Masked                 bool
	CanUpload, CanDownload bool
	// Action is where the upload form posts.
	Action          string
	Purposes        []option
	MaxSize, Accept string
	// Needed says which attachment an action open now still needs (the policy's requirement, e.g. the
	// stamped report of a 国办 reply); Missing is set when an action was just refused for it.
	Needed, Missing string
	// Error is why an upload was refused, in Chinese.
	Error string
}

// typeLabels name the accepted media types as an office worker knows them.
var typeLabels = map[string]string{attach.TypePDF: "PDF", attach.TypeOFD: "OFD", attach.TypePNG: "PNG 图片",
	attach.TypeJPEG: "JPEG 图片", attach.TypeGIF: "GIF 图片", attach.TypeWebP: "WebP 图片", attach.TypeZip: "ZIP 压缩包",
	attach.TypeText: "纯文本"}

func typeLabel(t string) string {
	if l, ok := typeLabels[t]; ok {
		return l
	}
	return t
}

// sizeText says a number of bytes for people (1 KB = 1024 bytes).
func sizeText(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d 字节", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
}

// attachmentsOf is the attachments section of subject kind/id for u: the store lists them (masked
// names for a role that sees the subject but does not handle it, store.Attachments).
func (s *server) attachmentsOf(ctx context.Context, u store.Staff, kind, id string) (*attachSection, []store.Attachment, error) {
	list, masked, err := s.store.Attachments(ctx, u.Principal(), kind, id)
	if err != nil {
		return nil, nil, err
	}
	pol := s.store.AttachmentPolicy()
	sec := &attachSection{Masked: masked, CanDownload: !masked,
		CanUpload: !masked && (u.Role == store.RoleHotlineOffice || u.Role == store.RoleHandlingUnit),
		MaxSize:   sizeText(pol.MaxBytes), Accept: strings.Join(pol.Types, ","),
		Purposes: options(attach.Purposes(), attach.Purpose.Label, string(attach.PurposeGeneral), "")}
	sec.Action = "/console/tickets/" + url.PathEscape(id) + "/attachments"
	if kind == store.SubjectCase {
		sec.Action = "/console/cases/" + url.PathEscape(id) + "/attachments"
	}
	dir, err := s.directory(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range list {
		av := attachmentView{ID: a.ID, Name: a.Name, Type: a.Type, TypeLabel: typeLabel(a.Type), Size: sizeText(a.Size),
			SM3: a.Sum.String(), Purpose: a.Purpose.Label(), Actor: a.Actor, Unit: a.Unit, Created: a.Created}
		av.SM3Short = av.SM3[:12] + "…"
		if un, ok := dir.Unit(a.Unit); ok {
			av.Unit = un.Name
		}
		if sec.CanDownload && inlineTypes[a.Type] {
			av.Preview = "image"
			if a.Type == attach.TypePDF {
				av.Preview = "pdf"
			}
		}
		sec.Items = append(sec.Items, av)
	}
	return sec, list, nil
}

// ticketAttachments is the attachments section of ticket t (id) for u, saying what the actions
// open now still need.
func (s *server) ticketAttachments(ctx context.Context, u store.Staff, id string, t *ticket.Ticket, allowed []ticket.Action) (*attachSection, error) {
	sec, list, err := s.attachmentsOf(ctx, u, store.SubjectTicket, id)
	if err != nil {
		return nil, err
	}
	pol := s.store.AttachmentPolicy()
	// What an open action still needs: the policy's check with the purposes attached since the
	// previous event of the same action, as the store counts them when the action is applied.
	var traits []attach.Trait
	if t.Channel.StateCouncil() {
		traits = append(traits, attach.TraitStateCouncil)
	}
	for _, a := range allowed {
		if !pol.Requires(attach.SubjectTicket, string(a)) {
			continue
		}
		since := 0
		for _, e := range t.History {
			if e.Action == a {
				since = e.Seq
			}
		}
		var present []attach.Purpose
		for _, at := range list {
			if at.SubjectVersion >= int64(since) {
				present = append(present, at.Purpose)
			}
		}
		var me *attach.MissingError
		if err := pol.Check(attach.Facts{Subject: attach.SubjectTicket, Action: string(a), Traits: traits, Present: present}); errors.As(err, &me) {
			sec.Needed = fmt.Sprintf("“%s”前须上传%s（%s）。", a.Label(), me.Purpose.Label(), me.Source)
			sec.choose(me.Purpose)
			break
		}
	}
	return sec, nil
}

// missingAttachment marks the section with the attachment an action was refused for and preselects
// its purpose in the upload form; it returns the page's message.
func (sec *attachSection) missingAttachment(me *attach.MissingError) string {
	sec.Missing = me.Purpose.Label()
	sec.choose(me.Purpose)
	return fmt.Sprintf("未能提交：缺少附件“%s”（%s）。请在本页“附件”一栏上传后再提交。", me.Purpose.Label(), me.Source)
}

// choose preselects purpose p in the upload form.
func (sec *attachSection) choose(p attach.Purpose) {
	for i := range sec.Purposes {
		sec.Purposes[i].Selected = sec.Purposes[i].Value == string(p)
	}
}

// uploadSlack is what a multipart form may carry besides the file: the boundaries, the purpose and
// the CSRF token.
const uploadSlack = 64 << 10

// limitBody bounds the body of a form that carries a file to max plus the form's own fields: a
// larger Content-Length is refused before a byte is read, a longer chunked body when it gets there.
// It runs before the CSRF check, which may read the form.
func (s *server) limitBody(max func() int64, what string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			limit := max() + uploadSlack
			if c.Request().ContentLength > limit {
				return &pageError{status: http.StatusRequestEntityTooLarge, title: "文件过大",
					message: fmt.Sprintf("%s超过大小上限（%s），未上传。", what, sizeText(max()))}
			}
			c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, limit)
			return next(c)
		}
	}
}

// formFile reads a multipart form's purpose and file. A form the CSRF check has parsed already is
// read from memory (or the temporary file of a large part); otherwise the body is streamed: the
// fields before the file are read, then the file is the reader returned, read once by the store.
// The caller closes the file.
func formFile(c echo.Context, field string, fields ...string) (map[string]string, string, io.ReadCloser, error) {
	vals := map[string]string{}
	req := c.Request()
	if req.MultipartForm != nil {
		for _, f := range fields {
			if v := req.MultipartForm.Value[f]; len(v) > 0 {
				vals[f] = v[0]
			}
		}
		fh, err := c.FormFile(field)
		if err != nil {
			return vals, "", nil, attach.ErrEmpty
		}
		f, err := fh.Open()
		return vals, fh.Filename, f, err
	}
	mr, err := req.MultipartReader()
	if err != nil {
		return vals, "", nil, &attach.MetaError{Field: field, Reason: "not a multipart form with a file"}
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return vals, "", nil, attach.ErrEmpty
		}
		if err != nil {
			return vals, "", nil, &attach.MetaError{Field: field, Reason: "malformed multipart form"}
		}
		name := part.FormName()
		if name == field {
			return vals, part.FileName(), part, nil
		}
		for _, f := range fields {
			if name == f {
				b, err := io.ReadAll(io.LimitReader(part, attach.MaxMetaBytes+1))
				if err != nil || len(b) > attach.MaxMetaBytes {
					return vals, "", nil, &attach.MetaError{Field: f, Reason: "longer than 2048 bytes"}
				}
				vals[f] = string(b)
			}
		}
		_ = part.Close()
	}
}

// attachPage attaches a file from the upload form of a ticket's or a case's page to it: store.Attach,
// as POST /v1/tickets/{id}/attachments and /v1/cases/{id}/attachments. A refused file is said in
// Chinese on the same page.
func (s *server) attachPage(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("id")
		u := staffOf(c)
		vals, name, f, err := formFile(c, "file", "purpose")
		if f != nil {
			defer f.Close()
		}
		var meta attach.Meta
		if err == nil {
			meta, err = attach.ParseMeta(vals["purpose"], name, "")
		}
		if err == nil {
			_, err = s.store.Attach(c.Request().Context(), u.Principal(), store.AttachRequest{SubjectKind: kind, SubjectID: id,
				Purpose: meta.Purpose, Name: meta.Name, Body: f}, s.now())
		}
		if err != nil {
			status, msg, ok := uploadRefusal(err, s.store.AttachmentPolicy())
			if !ok {
				return err
			}
			if kind == store.SubjectCase {
				return s.renderCaseAttachments(c, status, id, msg)
			}
			v, verr := s.ticketView(c, id)
			if verr != nil {
				return verr
			}
			v.Attach.Error = msg
			return s.render(c, status, "ticket", view{Title: "工单 " + v.Number, Nav: "tickets", Error: msg, Data: v})
		}
		back := "/console/tickets/" + url.PathEscape(id)
		if kind == store.SubjectCase {
			back = "/console/cases/" + url.PathEscape(id) + "/attachments"
		}
		return c.Redirect(http.StatusSeeOther, back+"?attached=1#attachments")
	}
}

// caseFamilies name the case families in Chinese.
var caseFamilies = map[string]string{store.FamilyAppeal: "差评申诉", store.FamilyObjection: "确责异议", store.FamilyReconsideration: "复查复核"}

// caseAttachmentsPage shows the attachments of an appeal, objection or reconsideration (000 第六条
// (一): 书面申辩和举证; 第七条 (一)) with their upload form: those who see the case see the list
// (store.GetCase and store.Attachments decide), those who handle it download and attach.
func (s *server) caseAttachmentsPage(c echo.Context) error {
	notice := ""
	if c.QueryParam("attached") == "1" {
		notice = "附件已上传。"
	}
	return s.renderCaseAttachments(c, http.StatusOK, c.Param("id"), "", notice)
}

func (s *server) renderCaseAttachments(c echo.Context, status int, id, errMsg string, notice ...string) error {
	ctx := c.Request().Context()
	u := staffOf(c)
	rec, err := s.store.GetCase(ctx, u.Principal(), id)
	if err != nil {
		return err
	}
	sec, _, err := s.attachmentsOf(ctx, u, store.SubjectCase, id)
	if err != nil {
		return err
	}
	sec.Error = errMsg
	family := caseFamilies[rec.Family]
	v := view{Title: family + "附件", Nav: "reviews", Error: errMsg,
		Data: map[string]any{"ID": id, "Family": family, "Attach": sec}}
	if len(notice) > 0 {
		v.Notice = notice[0]
	}
	return s.render(c, status, "case_attachments", v)
}

// uploadRefusal says in Chinese why the policy, the scanner or the store refused an upload, with the
// status the error table gives it; ok is false for errors that are not the file's (the ticket does
// not exist for the caller, a server error), which the page answers as such.
func uploadRefusal(err error, pol attach.Policy) (status int, msg string, ok bool) {
	var (
		tl *attach.TooLargeError
		te *attach.TypeError
		me *attach.MetaError
	)
	allowed := make([]string, len(pol.Types))
	for i, t := range pol.Types {
		allowed[i] = typeLabel(t)
	}
	p, _ := problemOf(err)
	status = p.Status
	switch {
	case errors.As(err, &tl):
		msg = fmt.Sprintf("文件超过大小上限（%s），未上传。", sizeText(tl.Max))
	case errors.As(err, &te) && errors.Is(err, attach.ErrExecutable):
		msg = fmt.Sprintf("文件内容是可执行程序（检测为 %s），无论文件名如何，一律不予接收。", te.Type)
	case errors.As(err, &te):
		msg = fmt.Sprintf("不接受此类文件（按内容检测为 %s）。可上传：%s。", typeLabel(te.Type), strings.Join(allowed, "、"))
	case errors.Is(err, attach.ErrEmpty):
		status, msg = http.StatusUnprocessableEntity, "未选择文件，或文件为空。"
	case errors.Is(err, attach.ErrInfected):
		msg = "文件未通过病毒扫描，不予接收。"
	case errors.As(err, &me):
		status, msg = http.StatusBadRequest, "上传内容有误（"+me.Field+"）："+me.Reason
	case errors.Is(err, store.ErrForbidden):
		msg = "当前账号不能为该工单上传附件：只有承办该工单的单位和热线办可以上传。"
	default:
		return 0, "", false
	}
	return status, msg, true
}

// attachmentPage sends an attachment to a member of staff who handles its subject: store.OpenAttachment
// checks that and audits the download (the sum, never the content) as GET /v1/attachments/{id} does.
// ?inline=1 shows an image or a PDF in place — on the ticket page, in an <img> or an <iframe> of the
// same origin — with the sniffed type, nosniff, and a policy that lets the file do nothing else;
// anything else is a download.
func (s *server) attachmentPage(c echo.Context) error {
	inline := c.QueryParam("inline") == "1"
	a, r, err := s.store.OpenAttachment(c.Request().Context(), staffOf(c).Principal(), c.Param("id"), s.now())
	if err != nil {
		return err
	}
	defer r.Close()
	h := c.Response().Header()
	disposition, frames := "attachment", "DENY"
	csp := "sandbox; default-src 'none'; frame-ancestors 'none'"
	if inline && inlineTypes[a.Type] {
		disposition, frames = "inline", "SAMEORIGIN"
		// An image is shown sandboxed; Chromium's PDF viewer does not run in a sandboxed document, so
		// a PDF gets no sandbox but may load nothing, run no script and be framed by the console only.
		csp = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
		if a.Type == attach.TypePDF {
			csp = "default-src 'none'; object-src 'self'; frame-ancestors 'self'"
		}
	}
	h.Set(echo.HeaderContentType, a.Type)
	h.Set(echo.HeaderContentLength, strconv.FormatInt(a.Size, 10))
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": a.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Frame-Options", frames)
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-SM3", a.Sum.String())
	c.Response().WriteHeader(http.StatusOK)
	if _, err := io.Copy(c.Response(), r); err != nil {
		return fmt.Errorf("server: streaming attachment %s: %w", a.ID, err)
	}
	return nil
}
