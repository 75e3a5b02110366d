package server

import (
	"errors"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/server/store"
)

const ctxPrincipal = "hotline.principal"

// authenticate requires an API key (Authorization: Bearer <key>) and puts its principal in the
// context. A missing, malformed, unknown or revoked key is 401 with no further detail.
func (s *server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		scheme, key, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || key == "" {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="hotline"`)
			return errUnauthorized
		}
		p, err := s.store.Authenticate(c.Request().Context(), strings.TrimSpace(key), s.now())
		if err != nil {
			if errors.Is(err, store.ErrForbidden) {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="hotline", error="invalid_token"`)
				return errUnauthorized
			}
			return err
		}
		c.Set(ctxPrincipal, p)
		return next(c)
	}
}

// principal is the authenticated caller; only routes behind authenticate call it.
func principal(c echo.Context) store.Principal {
	p, _ := c.Get(ctxPrincipal).(store.Principal)
	return p
}
