package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/server/knowledge"
)

// DraftLibraryCaseRequest names the ticket a library case is drafted from.
type DraftLibraryCaseRequest struct {
	Ticket string `json:"ticket"`
}

// draftCase drafts a library case from a closed 办不成事 item or a solved hard ticket the caller
// handles (003 五 (四)), with the citizen masked out; ETag is its version.
func (s *server) draftCase(c echo.Context) error {
	var body DraftLibraryCaseRequest
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	if body.Ticket == "" {
		return &paramError{Name: "ticket", Reason: "required"}
	}
	lc, err := s.store.DraftCase(c.Request().Context(), principal(c), body.Ticket, s.now())
	if err != nil {
		return err
	}
	return versioned(c, http.StatusCreated, "/v1/library/cases/"+url.PathEscape(lc.ID), lc.Version, lc)
}

// getLibraryCase returns a library case the caller may read; ETag is its version.
func (s *server) getLibraryCase(c echo.Context) error {
	lc, err := s.store.GetLibraryCase(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return versioned(c, http.StatusOK, "", lc.Version, lc)
}

// LibraryCaseList is a list of library cases.
type LibraryCaseList struct {
	Items []knowledge.Case `json:"items"`
}

// listLibraryCases lists the library's cases in a state (?state=, published by default), most
// recently changed first.
func (s *server) listLibraryCases(c echo.Context) error {
	state := knowledge.CaseState(c.QueryParam("state"))
	if state != "" && !state.Valid() {
		return &paramError{Name: "state", Reason: "draft, reviewed, published or withdrawn"}
	}
	limit := 0
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return &paramError{Name: "limit", Reason: "an integer from 1 to 500"}
		}
		limit = n
	}
	list, err := s.store.ListLibraryCases(c.Request().Context(), principal(c), state, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, LibraryCaseList{Items: list})
}

// LibraryActionRequest is an action on a library case; Text is the whole new text of an edit.
type LibraryActionRequest struct {
	Action knowledge.CaseAction `json:"action"`
	Text   *knowledge.CaseText  `json:"text,omitempty"`
}

// actOnCase edits, reviews, publishes or withdraws a library case at the version of If-Match.
func (s *server) actOnCase(c echo.Context) error {
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var body LibraryActionRequest
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	if body.Action == "" {
		return &paramError{Name: "action", Reason: "edit, review, publish or withdraw"}
	}
	var text knowledge.CaseText
	if body.Action == knowledge.CaseEdit {
		if body.Text == nil {
			return &paramError{Name: "text", Reason: "an edit carries the whole text"}
		}
		text = *body.Text
	}
	lc, err := s.store.ActOnCase(c.Request().Context(), principal(c), c.Param("id"), version, body.Action, text, s.now())
	if err != nil {
		return err
	}
	return versioned(c, http.StatusOK, "", lc.Version, lc)
}

// LibraryHits are published cases found, best first.
type LibraryHits struct {
	Items []LibraryHit `json:"items"`
}

// LibraryHit is a published case found and its score.
type LibraryHit struct {
	Case  knowledge.Case `json:"case"`
	Score int64          `json:"score"`
}

// searchLibrary searches the published cases (?text=, ?matter=, ?place=, ?limit=).
func (s *server) searchLibrary(c echo.Context) error {
	q, err := queryOf(c, knowledge.DefaultLimit)
	if err != nil {
		return err
	}
	hits, err := s.store.SearchCases(c.Request().Context(), principal(c), q, s.now())
	if err != nil {
		return err
	}
	out := LibraryHits{Items: make([]LibraryHit, len(hits))}
	for i, h := range hits {
		out.Items[i] = LibraryHit{Case: h.Case, Score: h.Score}
	}
	return c.JSON(http.StatusOK, out)
}
