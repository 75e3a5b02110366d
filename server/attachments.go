package server

import (
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
)

// AttachmentResponse is an attachment as stored: never its bytes. Href downloads it.
type AttachmentResponse struct {
	ID             string         `json:"id"`
	Subject        string         `json:"subject"`
	SubjectID      string         `json:"subject_id"`
	SubjectVersion int64          `json:"subject_version"`
	Purpose        attach.Purpose `json:"purpose"`
	PurposeLabel   string         `json:"purpose_label"`
	Name           string         `json:"name"`
	Type           string         `json:"type"`
	Size           int64          `json:"size"`
	SM3            string         `json:"sm3"`
	Unit           string         `json:"unit,omitempty"`
	Created        time.Time      `json:"created"`
	Href           string         `json:"href"`
}

func attachmentResponse(a store.Attachment) AttachmentResponse {
	return AttachmentResponse{ID: a.ID, Subject: a.SubjectKind, SubjectID: a.SubjectID, SubjectVersion: a.SubjectVersion,
		Purpose: a.Purpose, PurposeLabel: a.Purpose.Label(), Name: a.Name, Type: a.Type, Size: a.Size, SM3: a.Sum.String(),
		Unit: a.Unit, Created: a.Created, Href: "/v1/attachments/" + url.PathEscape(a.ID)}
}

// AttachmentList is a subject's attachments; Masked reports names made of the purpose and the id,
// for a caller who does not handle the subject.
type AttachmentList struct {
	Items  []AttachmentResponse `json:"items"`
	Masked bool                 `json:"masked"`
}

// streamsBody reports the routes whose handlers read their bodies as streams under limits of their
// own (the attachment policy's, the import's) instead of the server's body limit.
func streamsBody(c echo.Context) bool {
	if c.Request().Method != http.MethodPost {
		return false
	}
	switch c.Path() {
	case "/v1/tickets/:id/attachments", "/v1/cases/:id/attachments", "/v1/knowledge/import":
		return true
	case "/console/tickets/:id/attachments", "/console/cases/:id/attachments", "/console/knowledge/import": // the console's forms (pages_attach.go, pages_kb.go)
		return true
	}
	return false
}

// uploadAttachment attaches the request body, as it is, to the ticket or case of the path: the type
// is sniffed from the bytes, the name cleaned; ?purpose= (default general) and ?name= (or a
// Content-Disposition header) describe it. Whether the caller may attach is checked before the body
// is read.
func (s *server) uploadAttachment(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		q := c.QueryParams()
		meta, err := attach.ParseMeta(q.Get("purpose"), q.Get("name"), c.Request().Header.Get("Content-Disposition"))
		if err != nil {
			var me *attach.MetaError
			if errors.As(err, &me) {
				return &paramError{Name: me.Field, Reason: me.Reason, Err: attach.ErrMalformed}
			}
			return err
		}
		if max := s.store.AttachmentPolicy().MaxBytes; c.Request().ContentLength > max {
			return &attach.TooLargeError{Max: max} // refused before a byte is read
		}
		a, err := s.store.Attach(c.Request().Context(), principal(c), store.AttachRequest{SubjectKind: kind, SubjectID: c.Param("id"),
			Purpose: meta.Purpose, Name: meta.Name, Body: c.Request().Body}, s.now())
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderLocation, "/v1/attachments/"+url.PathEscape(a.ID))
		return c.JSON(http.StatusCreated, attachmentResponse(a))
	}
}

// listAttachments lists the attachments of the ticket or case of the path.
func (s *server) listAttachments(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		list, masked, err := s.store.Attachments(c.Request().Context(), principal(c), kind, c.Param("id"))
		if err != nil {
			return err
		}
		out := AttachmentList{Items: make([]AttachmentResponse, len(list)), Masked: masked}
		for i, a := range list {
			out.Items[i] = attachmentResponse(a)
		}
		return c.JSON(http.StatusOK, out)
	}
}

// inlineTypes are the types a browser may show in place (?inline=true): images and PDF, under a
// sandboxing Content-Security-Policy.
var inlineTypes = map[string]bool{attach.TypePDF: true, attach.TypePNG: true, attach.TypeJPEG: true, attach.TypeGIF: true, attach.TypeWebP: true}

// downloadAttachment streams an attachment's bytes to a caller who handles its subject, with its
// sniffed type, its SM3 sum, nosniff and a sandboxing policy; the store audits the download first.
// ?inline=true asks for an image or a PDF to be shown in place rather than saved.
func (s *server) downloadAttachment(c echo.Context) error {
	inline, err := boolParam(c.QueryParams(), "inline")
	if err != nil {
		return err
	}
	a, r, err := s.store.OpenAttachment(c.Request().Context(), principal(c), c.Param("id"), s.now())
	if err != nil {
		return err
	}
	defer r.Close()
	disposition := "attachment"
	if inline && inlineTypes[a.Type] {
		disposition = "inline"
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, a.Type)
	h.Set(echo.HeaderContentLength, strconv.FormatInt(a.Size, 10))
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": a.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; object-src 'self'")
	h.Set("X-Content-SM3", a.Sum.String())
	h.Set("ETag", `"sm3:`+a.Sum.String()+`"`)
	c.Response().WriteHeader(http.StatusOK)
	if _, err := io.Copy(c.Response(), r); err != nil {
		// The status is sent: the connection is cut so the client sees a short body, never a
		// complete-looking bad one; the error is logged.
		return fmt.Errorf("server: streaming attachment %s: %w", a.ID, err)
	}
	return nil
}

// readyDetails says, for /readyz, how uploads are handled: the virus scanner (or that there is none)
// and where attachments are kept.
func (s *server) readyDetails() map[string]string {
	return map[string]string{
		"virus_scanner":     s.store.Scanner().Name(),
		"attachments_store": s.store.BlobStoreName(),
	}
}

// contentTypeOf returns the media type of the request without parameters.
func contentTypeOf(c echo.Context) string {
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil {
		return ""
	}
	return strings.ToLower(mt)
}
