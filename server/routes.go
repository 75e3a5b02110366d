package server

import "github.com/labstack/echo/v4"

// routes is the whole API surface, one line per route; server/api/openapi.yaml describes each (a test
// checks the two agree).
func (s *server) routes(e *echo.Echo) {
	// Operations.
	e.GET("/livez", s.livez)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metrics())
	e.GET("/openapi.yaml", s.openapi)
}
