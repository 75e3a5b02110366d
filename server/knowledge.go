package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/knowledge"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// MIMEXLSX is the media type of a spreadsheet import or export.
const MIMEXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// queryOf reads a search's parameters: text, matter, place and limit.
func queryOf(c echo.Context, defaultLimit int) (knowledge.Query, error) {
	qp := c.QueryParams()
	q := knowledge.Query{Text: qp.Get("text"), Matter: routing.MatterCode(qp.Get("matter")), Place: routing.RegionCode(qp.Get("place")), Limit: defaultLimit}
	if v := qp.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > knowledge.MaxLimit {
			return q, &paramError{Name: "limit", Reason: fmt.Sprintf("an integer from 1 to %d", knowledge.MaxLimit)}
		}
		q.Limit = n
	}
	if err := q.Validate(); err != nil {
		return q, err
	}
	return q, nil
}

// Suggestion is a knowledge entry offered at intake: enough to choose it, with the answer cut to
// [SuggestionRunes] characters.
type Suggestion struct {
	ID       string `json:"id"`
	Version  int64  `json:"version"`
	Question string `json:"question"`
	Answer   string `json:"answer"`
	Source   string `json:"source,omitempty"`
	Score    int64  `json:"score"`
}

// SuggestionRunes bounds the answer a suggestion shows.
const SuggestionRunes = 200

// SuggestionList is the suggestions for a text.
type SuggestionList struct {
	Items []Suggestion `json:"items"`
}

// suggestKnowledge offers, while an operator types the citizen's demand, the entries that best
// answer it (?text=, with ?matter= and ?place= when known; 5 by default): taking one answers the
// ticket at once (即办) through POST /v1/tickets/{id}/knowledge-answer.
func (s *server) suggestKnowledge(c echo.Context) error {
	q, err := queryOf(c, 5)
	if err != nil {
		return err
	}
	out, err := s.suggestions(c.Request().Context(), principal(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// suggestions are the entries that best answer q, each with its answer cut to [SuggestionRunes]: what
// GET /v1/knowledge/suggest and the intake form's suggestions (pages_kb.go) show.
func (s *server) suggestions(ctx context.Context, p store.Principal, q knowledge.Query) (SuggestionList, error) {
	hits, err := s.store.SearchKnowledge(ctx, p, q, s.now())
	if err != nil {
		return SuggestionList{}, err
	}
	out := SuggestionList{Items: make([]Suggestion, len(hits))}
	for i, h := range hits {
		answer := []rune(h.Entry.Answer)
		if len(answer) > SuggestionRunes {
			answer = append(answer[:SuggestionRunes-1], '…')
		}
		out.Items[i] = Suggestion{ID: h.Entry.ID, Version: h.Entry.Version, Question: h.Entry.Question, Answer: string(answer),
			Source: h.Entry.Source.String(), Score: h.Score}
	}
	return out, nil
}

// KnowledgeHits are whole entries found, best first.
type KnowledgeHits struct {
	Items []knowledge.Hit `json:"items"`
}

// searchKnowledge searches the knowledge base (?text=, ?matter=, ?place=, ?limit=).
func (s *server) searchKnowledge(c echo.Context) error {
	q, err := queryOf(c, knowledge.DefaultLimit)
	if err != nil {
		return err
	}
	hits, err := s.store.SearchKnowledge(c.Request().Context(), principal(c), q, s.now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, KnowledgeHits{Items: hits})
}

// KnowledgePage is a page of entries in the order they were created; Next is the cursor of the next
// page, absent at the end.
type KnowledgePage struct {
	Items []knowledge.Entry `json:"items"`
	Next  string            `json:"next,omitempty"`
}

// listKnowledge lists the entries (?keeper=, ?after=, ?limit=).
func (s *server) listKnowledge(c echo.Context) error {
	qp := c.QueryParams()
	f := store.KnowledgeFilter{Keeper: qp.Get("keeper")}
	if v := qp.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return &paramError{Name: "after", Reason: "the next of the previous page"}
		}
		f.After = n
	}
	if v := qp.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return &paramError{Name: "limit", Reason: "an integer from 1 to 1000"}
		}
		f.Limit = n
	}
	page, err := s.store.ListKnowledge(c.Request().Context(), principal(c), f)
	if err != nil {
		return err
	}
	out := KnowledgePage{Items: page.Items}
	if page.Next != 0 {
		out.Next = strconv.FormatInt(page.Next, 10)
	}
	return c.JSON(http.StatusOK, out)
}

// versioned answers with document v at version, its ETag (what If-Match names to change it), and
// for a document just created (location set) its Location.
func versioned(c echo.Context, status int, location string, version int64, v any) error {
	h := c.Response().Header()
	if location != "" {
		h.Set(echo.HeaderLocation, location)
	}
	h.Set("ETag", etag(version))
	return c.JSON(status, v)
}

// decodeEntry reads a knowledge entry from the body strictly.
func (s *server) decodeEntry(c echo.Context) (knowledge.Entry, error) {
	var e knowledge.Entry
	_, err := s.decode(c, &e)
	return e, err
}

// createKnowledge creates an entry; the keeper defaults to the caller's unit.
func (s *server) createKnowledge(c echo.Context) error {
	e, err := s.decodeEntry(c)
	if err != nil {
		return err
	}
	out, err := s.store.PutKnowledge(c.Request().Context(), principal(c), e, 0, s.now())
	if err != nil {
		return err
	}
	return versioned(c, http.StatusCreated, "/v1/knowledge/entries/"+url.PathEscape(out.ID), out.Version, out)
}

// getKnowledge returns an entry; ETag is its version.
func (s *server) getKnowledge(c echo.Context) error {
	e, err := s.store.GetKnowledge(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return versioned(c, http.StatusOK, "", e.Version, e)
}

// putKnowledge replaces an entry at the version of If-Match, keeping the previous version.
func (s *server) putKnowledge(c echo.Context) error {
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	e, err := s.decodeEntry(c)
	if err != nil {
		return err
	}
	if e.ID != "" && e.ID != c.Param("id") {
		return &paramError{Name: "id", Reason: "the body names another entry than the path"}
	}
	e.ID = c.Param("id")
	out, err := s.store.PutKnowledge(c.Request().Context(), principal(c), e, version, s.now())
	if err != nil {
		return err
	}
	return versioned(c, http.StatusOK, "", out.Version, out)
}

// KnowledgeVersion is one version of an entry.
type KnowledgeVersion struct {
	Version int64           `json:"version"`
	Actor   string          `json:"actor"`
	Unit    string          `json:"unit,omitempty"`
	At      time.Time       `json:"at"`
	Changed []string        `json:"changed"`
	Entry   knowledge.Entry `json:"entry"`
}

// KnowledgeHistory is every version of an entry, oldest first.
type KnowledgeHistory struct {
	Items []KnowledgeVersion `json:"items"`
}

// knowledgeHistory returns who changed what in an entry, when.
func (s *server) knowledgeHistory(c echo.Context) error {
	vs, err := s.store.KnowledgeHistory(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	out := KnowledgeHistory{Items: make([]KnowledgeVersion, len(vs))}
	for i, v := range vs {
		out.Items[i] = KnowledgeVersion{Version: v.Entry.Version, Actor: v.Actor, Unit: v.Unit, At: v.At, Changed: v.Changed, Entry: v.Entry}
	}
	return c.JSON(http.StatusOK, out)
}

// ImportResponse counts what an import did.
type ImportResponse struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// importKnowledge imports entries from a JSON document ({"entries": […]}, application/json) or a
// spreadsheet (XLSX), at most knowledge.MaxImportBytes, all or nothing.
func (s *server) importKnowledge(c echo.Context) error {
	body := io.LimitReader(c.Request().Body, knowledge.MaxImportBytes+1)
	var es []knowledge.Entry
	var err error
	switch contentTypeOf(c) {
	case echo.MIMEApplicationJSON:
		es, err = knowledge.ReadJSON(body)
	case MIMEXLSX:
		es, err = knowledge.ReadXLSX(body)
	default:
		return fmt.Errorf("%w (or %s)", errMediaType, MIMEXLSX)
	}
	if err != nil {
		return err
	}
	res, err := s.store.ImportKnowledge(c.Request().Context(), principal(c), es, s.now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ImportResponse{Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged})
}

// exportKnowledge exports every entry (?keeper= to narrow) as JSON (?format=json, the default) or a
// spreadsheet (?format=xlsx); the export is audited.
func (s *server) exportKnowledge(c echo.Context) error {
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "xlsx" {
		return &paramError{Name: "format", Reason: "json or xlsx"}
	}
	es, err := s.store.ExportKnowledge(c.Request().Context(), principal(c), c.QueryParam("keeper"), s.now())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if format == "xlsx" {
		if err := knowledge.WriteXLSX(&buf, es); err != nil {
			return err
		}
		c.Response().Header().Set("Content-Disposition", `attachment; filename="knowledge.xlsx"`)
		return c.Blob(http.StatusOK, MIMEXLSX, buf.Bytes())
	}
	if err := knowledge.WriteJSON(&buf, es); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, buf.Bytes())
}

// KnowledgeAnswerRequest takes a knowledge entry as the immediate answer of a ticket.
type KnowledgeAnswerRequest struct {
	Entry   string              `json:"entry"`
	Outcome ticket.ReplyOutcome `json:"outcome,omitempty"`
}

// answerFromKnowledge answers a ticket at once (即办, 002 第六条 (二) 1 (1)) with a knowledge entry:
// the lifecycle's answer action, citing the entry and its version, at the ticket version of
// If-Match.
func (s *server) answerFromKnowledge(c echo.Context) error {
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var body KnowledgeAnswerRequest
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	if body.Entry == "" {
		return &paramError{Name: "entry", Reason: "required", Err: ticket.ErrMissingField}
	}
	res, _, err := s.store.AnswerFromKnowledge(c.Request().Context(), principal(c), c.Param("id"), version, body.Entry, body.Outcome, s.now())
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(res.Version))
	return c.JSON(http.StatusOK, ActionResponse{Version: res.Version, Event: res.Event})
}
