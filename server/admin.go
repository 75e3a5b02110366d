package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/store"
)

// API keys (admin): issued with a role and an expiry, shown once, listed without the key, revoked.

// KeyRequest asks for an API key.
type KeyRequest struct {
	// Unit is the unit the key acts for: a unit of the directory for a hotline office or a handling
	// unit; the organisation's name for the other roles.
	Unit string `json:"unit"`
	// Role is hotline_office, handling_unit, supervisor, auditor, admin, or system for an upstream
	// platform.
	Role store.Role `json:"role"`
	// Label says what the key is for.
	Label string `json:"label,omitempty"`
	// Expires is when the key stops working; absent means a year from now
	// (store.DefaultCredentialLifetime), at most three years (store.MaxCredentialLifetime).
	Expires *time.Time `json:"expires,omitempty"`
}

// KeyInfo is an API key as the list shows it: never the key.
type KeyInfo struct {
	store.Credential
	// Status is active, expired or revoked.
	Status string `json:"status"`
}

// KeyCreated is the answer to a key's creation: the only time the key is shown.
type KeyCreated struct {
	KeyInfo
	Key string `json:"key"`
}

// KeyList is every API key, oldest first.
type KeyList struct {
	Items []KeyInfo `json:"items"`
}

// detailedError passes the store's or the routing package's explanation of a refused argument to
// the caller: for the calls that use it, the text quotes only what the caller sent (clipped) and the
// directory's codes and names, never a citizen's data.
type detailedError struct {
	err  error
	kind error
}

func (e *detailedError) Error() string {
	return strings.TrimPrefix(e.err.Error(), store.ErrInvalid.Error()+": ")
}
func (e *detailedError) Unwrap() error { return e.kind }

// explain turns the refusals of a directory or key change into problems that say why.
func explain(err error) error {
	var re *routing.RowError
	switch {
	case errors.As(err, &re):
		return &detailedError{err: err, kind: errInvalidDirectory}
	case errors.Is(err, store.ErrInvalid):
		return &detailedError{err: err, kind: errInvalidAdmin}
	}
	return err
}

func required(name string) error {
	return &paramError{Name: name, Reason: "required", Err: errInvalidAdmin}
}

func (s *server) createKey(c echo.Context) error {
	if err := requireRole(c, "issue API keys", store.RoleAdmin); err != nil {
		return err
	}
	var req KeyRequest
	if _, err := s.decode(c, &req); err != nil {
		return err
	}
	switch {
	case req.Unit == "":
		return required("unit")
	case req.Role == "":
		return required("role")
	}
	now := s.now()
	spec := store.CredentialSpec{Unit: req.Unit, Role: req.Role, Label: req.Label, Expires: now.Add(store.DefaultCredentialLifetime)}
	if req.Expires != nil {
		spec.Expires = *req.Expires
	}
	cred, secret, err := s.store.IssueCredential(c.Request().Context(), principal(c), spec, now)
	if err != nil {
		return explain(err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set(echo.HeaderLocation, "/v1/admin/keys/"+url.PathEscape(cred.ID))
	return c.JSON(http.StatusCreated, KeyCreated{KeyInfo: KeyInfo{Credential: cred, Status: cred.Status(now)}, Key: secret})
}

func (s *server) listKeys(c echo.Context) error {
	creds, err := s.store.Credentials(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	now := s.now()
	out := KeyList{Items: make([]KeyInfo, len(creds))}
	for i, cr := range creds {
		out.Items[i] = KeyInfo{Credential: cr, Status: cr.Status(now)}
	}
	return c.JSON(http.StatusOK, out)
}

func (s *server) revokeKey(c echo.Context) error {
	if err := s.store.RevokeCredential(c.Request().Context(), principal(c), c.Param("id"), s.now()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
