package server

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/internal/strictjson"
)

// readBody reads the request body, at most the body limit, after checking it is JSON.
func (s *server) readBody(c echo.Context) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEApplicationJSON {
		return nil, errMediaType
	}
	data, err := io.ReadAll(io.LimitReader(c.Request().Body, s.cfg.bodyLimit+1))
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, he
		}
		return nil, fmt.Errorf("%w: reading the body", strictjson.ErrMalformed)
	}
	if int64(len(data)) > s.cfg.bodyLimit {
		return nil, strictjson.ErrTooLarge
	}
	return data, nil
}

// decode reads the body into v strictly: no unknown, duplicate or case-variant keys, no trailing
// data, enum values checked; errors name the JSON path.
func (s *server) decode(c echo.Context, v any) ([]byte, error) {
	data, err := s.readBody(c)
	if err != nil {
		return nil, err
	}
	return data, strictjson.Decode(data, v, s.cfg.bodyLimit)
}

// etag is the entity tag of a version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// ifMatch returns the version of the request's If-Match: missing is errMissingIfMatch (428), one
// that is not a single strong tag this server issued is errBadIfMatch.
func ifMatch(c echo.Context) (int64, error) {
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if h == "" {
		return 0, errMissingIfMatch
	}
	if len(h) < 3 || len(h) > 22 || h[0] != '"' || h[len(h)-1] != '"' {
		return 0, &paramError{Name: "If-Match", Reason: `expected one entity tag such as "3"`, Err: errBadIfMatch}
	}
	v, err := strconv.ParseInt(h[1:len(h)-1], 10, 64)
	if err != nil || v < 1 {
		return 0, &paramError{Name: "If-Match", Reason: `expected one entity tag such as "3"`, Err: errBadIfMatch}
	}
	return v, nil
}
