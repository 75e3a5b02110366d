package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/routing"
)

// routingPreview routes a request over the stored directory and returns the decision with its trail,
// creating nothing. Before the district has stored its regions the answer is 404.
func (s *server) routingPreview(c echo.Context) error {
	var req routing.Request
	if _, err := s.decode(c, &req); err != nil {
		return err
	}
	r, err := s.store.Router(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	d, err := r.Route(req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}
