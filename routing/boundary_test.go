package routing

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

// TestImportBoundary enforces the layout rule of CONTRIBUTING.md: a domain
// package imports only the standard library, deadline, uuid, gmsm and the
// module's internal helpers (test files may import test libraries).
func TestImportBoundary(t *testing.T) {
	allowed := []string{
		"github.com/hotline12345/hotline/deadline",
		"github.com/hotline12345/hotline/internal/",
		"github.com/google/uuid",
		"github.com/emmansun/gmsm/",
	}
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			require.NoError(t, err)
			first, _, _ := strings.Cut(path, "/")
			if !strings.Contains(first, ".") {
				continue // standard library
			}
			ok := false
			for _, a := range allowed {
				ok = ok || path == strings.TrimSuffix(a, "/") || strings.HasPrefix(path, a)
			}
			assert.True(t, ok, "%s imports %s, outside the domain packages' boundary", name, path)
		}
	}
}
