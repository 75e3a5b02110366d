package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/hotline12345/hotline/server/store"
)

// HeaderRequestID carries the request id, echoed on every response.
const HeaderRequestID = "X-Request-ID"

// maxRequestID bounds a request id taken from the caller.
const maxRequestID = 64

// use installs the server's own middleware, outermost first.
func (s *server) use(e *echo.Echo) error {
	metrics, err := echoprometheus.MiddlewareConfig{
		Namespace:  "hotline",
		Subsystem:  "http",
		Registerer: s.cfg.registry,
		// The Host header and unmatched paths come from the caller: as labels they would let anyone
		// grow the metrics without bound.
		LabelFuncs:                map[string]echoprometheus.LabelValueFunc{"host": func(echo.Context, error) string { return "" }},
		DoNotUseRequestPathFor404: true,
	}.ToMiddleware()
	if err != nil {
		return fmt.Errorf("server: metrics: %w", err)
	}
	e.Use(requestID, metrics, s.logRequests, s.problems, s.recoverPanics,
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: fmt.Sprintf("%dB", s.cfg.bodyLimit), Skipper: streamsBody}),
		middleware.ContextTimeout(s.cfg.timeout))
	return nil
}

// requestID takes the caller's X-Request-ID when it is short and plain (letters, digits, "-", "_",
// ".") and otherwise makes one, so that a request id never carries text into the logs.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(HeaderRequestID)
		if !plainID(id) {
			var b [16]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Request().Header.Set(HeaderRequestID, id)
		c.Response().Header().Set(HeaderRequestID, id)
		return next(c)
	}
}

func plainID(s string) bool {
	if s == "" || len(s) > maxRequestID {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_' || b == '.') {
			return false
		}
	}
	return true
}

func requestIDOf(c echo.Context) string { return c.Response().Header().Get(HeaderRequestID) }

// logRequests writes one JSON line per request: the route template (never the raw path or the query,
// which may carry a caller's text), the status, the duration, the caller's role and unit when
// authenticated, and the problem code. Bodies and
// identities are never logged.
func (s *server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		route := c.Path()
		if route == "" {
			route = "(unmatched)"
		}
		attrs := []slog.Attr{
			slog.String("request_id", requestIDOf(c)),
			slog.String("method", c.Request().Method),
			slog.String("route", route),
			slog.Int("status", c.Response().Status),
			slog.Int64("bytes", c.Response().Size),
			slog.Duration("duration", time.Since(start)),
		}
		if p, ok := c.Get(ctxPrincipal).(store.Principal); ok {
			attrs = append(attrs, slog.String("role", string(p.Role)), slog.String("unit", p.Unit))
		}
		if code, ok := c.Get(ctxProblemCode).(string); ok {
			attrs = append(attrs, slog.String("code", code))
		}
		s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request", attrs...)
		return err
	}
}

// ctxProblemCode is where the problem writer leaves the code it answered with, for the log line.
const ctxProblemCode = "hotline.problem_code"

// problems writes an error a handler returned as a problem right away, so that the metrics and the
// log line see the status the caller gets.
func (s *server) problems(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := next(c); err != nil {
			s.writeError(err, c)
		}
		return nil
	}
}

// panicError is a recovered panic. Its message names no value: a panic's value may hold anything.
type panicError struct{ stack []byte }

func (e *panicError) Error() string { return "server: handler panicked" }

// errPanic is what the error table matches a recovered panic by.
var errPanic = errors.New("server: handler panicked")

func (e *panicError) Unwrap() error { return errPanic }

// recoverPanics turns a panic into a 500 problem. The stack goes to the log; the panic's value does
// not (it may hold a citizen's data), and the response carries neither.
func (s *server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				buf := make([]byte, 8<<10)
				buf = buf[:runtime.Stack(buf, false)]
				err = &panicError{stack: buf}
			}
		}()
		return next(c)
	}
}
