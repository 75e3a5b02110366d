package server_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server"
)

// routes.go and openapi.yaml list the same operations: every route is documented and every
// documented operation is served. The HTML pages are not part of the API (pages_test.go checks them).
func TestRoutesMatchOpenAPI(t *testing.T) {
	f := newServer(t, server.WithoutPages())
	e, ok := f.h.(*echo.Echo)
	require.True(t, ok, "New returns the echo instance")
	param := regexp.MustCompile(`:([A-Za-z_][A-Za-z0-9_]*)`)
	var served []string
	for _, r := range e.Routes() {
		if strings.HasPrefix(r.Method, "echo_") {
			continue // echo's not-found routes of a group with middleware
		}
		served = append(served, r.Method+" "+param.ReplaceAllString(r.Path, "{$1}"))
	}
	doc, err := spec()
	require.NoError(t, err)
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	sort.Strings(served)
	sort.Strings(documented)
	assert.Equal(t, documented, served)
}
