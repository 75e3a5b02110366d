package assess

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CONTRIBUTING.md "Layout and boundaries": a domain package imports only the standard library,
// deadline, github.com/google/uuid, github.com/emmansun/gmsm and the module's internal helpers.
func TestImportBoundary(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	allowed := func(p string) bool {
		first, _, _ := strings.Cut(p, "/")
		switch {
		case !strings.Contains(first, "."): // the standard library
			return true
		case p == "github.com/hotline12345/hotline/deadline",
			strings.HasPrefix(p, "github.com/hotline12345/hotline/internal/"),
			p == "github.com/google/uuid",
			p == "github.com/emmansun/gmsm" || strings.HasPrefix(p, "github.com/emmansun/gmsm/"):
			return true
		}
		return false
	}
	fset := token.NewFileSet()
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range af.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			require.NoError(t, err)
			assert.True(t, allowed(p), "%s imports %s", f, p)
		}
		checked++
	}
	assert.Greater(t, checked, 10)
}
