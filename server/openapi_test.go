package server_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/api"
)

// spec is the OpenAPI document, loaded and validated once.
var spec = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec())
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(context.Background())
})

var specRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := spec()
	if err != nil {
		return nil, err
	}
	return legacy.NewRouter(doc)
})

// client sends requests to a handler and checks every response against the OpenAPI document: the
// operation must be in it, the status must be one it declares, and the body must match its schema.
// A problem response to a request that matches no operation (an unknown route) is checked against
// the Problem schema.
type client struct {
	t *testing.T
	h http.Handler
}

// on returns a client that reports to t (a subtest's).
func (c *client) on(t *testing.T) *client { return &client{t: t, h: c.h} }

// do serves req and validates the response; it returns the recorder with its body unread.
func (c *client) do(req *http.Request) *httptest.ResponseRecorder {
	c.t.Helper()
	var reqBody []byte
	if req.Body != nil {
		var err error
		reqBody, err = io.ReadAll(req.Body)
		require.NoError(c.t, err)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	validateResponse(c.t, req, reqBody, rec)
	return rec
}

func (c *client) get(path string, header ...string) *httptest.ResponseRecorder {
	c.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

func (c *client) send(method, path, body string, header ...string) *httptest.ResponseRecorder {
	c.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

func validateResponse(t *testing.T, req *http.Request, reqBody []byte, rec *httptest.ResponseRecorder) {
	t.Helper()
	doc, err := spec()
	require.NoError(t, err, "openapi.yaml")
	router, err := specRouter()
	require.NoError(t, err, "openapi.yaml routes")
	// The router matches on a request with the server-relative URL.
	probe := req.Clone(context.Background())
	probe.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := router.FindRoute(probe)
	if err != nil {
		// No operation: only a problem may answer, and it must be one.
		mt, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
		require.Equal(t, "application/problem+json", mt, "%s %s is in no operation of openapi.yaml and answered %d %s",
			req.Method, req.URL.Path, rec.Code, rec.Body.String())
		schema := doc.Components.Schemas["Problem"].Value
		var v any
		require.NoError(t, jsonUnmarshal(rec.Body.Bytes(), &v))
		require.NoError(t, schema.VisitJSON(v), "problem body %s", rec.Body.String())
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	require.NoError(t, openapi3filter.ValidateResponse(context.Background(), out),
		"%s %s → %d does not match openapi.yaml: %s", req.Method, req.URL.Path, rec.Code, rec.Body.String())
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
