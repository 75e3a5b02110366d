package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/server/store"
)

// RevealRequest asks for one masked field of a ticket's citizen, with the reason (2–200 characters).
type RevealRequest struct {
	Field  store.RevealField `json:"field"`
	Reason string            `json:"reason"`
}

// RevealResponse is the one field revealed.
type RevealResponse struct {
	ID    string            `json:"id"`
	Field store.RevealField `json:"field"`
	Value string            `json:"value"`
}

// revealField reveals one field of the citizen's identity on a ticket (store.Reveal says who may:
// the staff handling it, and a supervisor of a supervised ticket — 000 第十条, 004 第十六条) and
// records the reveal in the audit chain: who, which ticket and field, and why; never the value. The
// answer is not to be cached.
func (s *server) revealField(c echo.Context) error {
	var req RevealRequest
	if _, err := s.decode(c, &req); err != nil {
		return err
	}
	switch {
	case req.Field == "":
		return required("field")
	case req.Reason == "":
		return required("reason")
	}
	id := c.Param("id")
	v, err := s.store.Reveal(c.Request().Context(), principal(c), id, req.Field, req.Reason, s.now())
	if err != nil {
		return explain(err)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, RevealResponse{ID: id, Field: req.Field, Value: v})
}
