package ticket

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestImportBoundary: a domain package imports only the standard library, deadline, uuid, gmsm and
// the module's internal helpers (CONTRIBUTING.md, "Layout and boundaries"). Test files may import
// more.
func TestImportBoundary(t *testing.T) {
	const module = "github.com/hotline12345/hotline/"
	allowed := func(p string) bool {
		first, _, _ := strings.Cut(p, "/")
		switch {
		case !strings.Contains(first, "."): // the standard library
			return true
		case p == module+"deadline", strings.HasPrefix(p, module+"internal/"):
			return true
		case p == "github.com/google/uuid", strings.HasPrefix(p, "github.com/emmansun/gmsm"):
			return true
		}
		return false
	}
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			require.NoError(t, err)
			require.True(t, allowed(p), "%s imports %s", name, p)
		}
	}
}
