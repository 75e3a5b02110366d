package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/server/api"
)

// readyTimeout bounds the database checks of /readyz.
const readyTimeout = 2 * time.Second

// Health is the body of /livez and /readyz.
type Health struct {
	Status string `json:"status"`
	// Details says, on /readyz, how the server runs where an operator should know: e.g. whether
	// uploads are scanned for viruses.
	Details map[string]string `json:"details,omitempty"`
}

// livez answers while the process serves requests; it checks nothing else, so that an unreachable
// database does not get the process restarted.
func (s *server) livez(c echo.Context) error {
	return c.JSON(http.StatusOK, Health{Status: "ok"})
}

// readyz answers 200 when the server should receive traffic: not draining, the database answers and
// its migrations are at head; otherwise a 503 problem "not_ready" saying which.
func (s *server) readyz(c echo.Context) error {
	if s.cfg.draining() {
		return fmt.Errorf("%w: draining", errNotReady)
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), readyTimeout)
	defer cancel()
	if err := s.store.DB().PingContext(ctx); err != nil {
		return fmt.Errorf("%w: database unreachable", errNotReady)
	}
	pending, err := s.store.Pending(ctx)
	if err != nil {
		return fmt.Errorf("%w: migrations cannot be read", errNotReady)
	}
	if len(pending) > 0 {
		return fmt.Errorf("%w: %d migrations pending", errNotReady, len(pending))
	}
	return c.JSON(http.StatusOK, Health{Status: "ok", Details: s.readyDetails()})
}

// openapi serves the OpenAPI document.
func (s *server) openapi(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml", api.Spec())
}
