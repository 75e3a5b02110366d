package loop

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

// TestImportBoundary: the adapter is as pure as the domain packages it joins (CONTRIBUTING.md,
// "Layout and boundaries"): the standard library (no database/sql, no net/http), the domain
// packages and the module's internal helpers (the strict JSON loader), nothing else — no echo, no
// bun, no storage, no server.
func TestImportBoundary(t *testing.T) {
	const module = "github.com/hotline12345/hotline/"
	allowed := func(p string) bool {
		first, _, _ := strings.Cut(p, "/")
		if !strings.Contains(first, ".") {
			return !strings.HasPrefix(p, "database/sql") && !strings.HasPrefix(p, "net/http")
		}
		for _, d := range []string{"deadline", "ticket", "routing", "appeal", "assess", "internal"} {
			if p == module+d || strings.HasPrefix(p, module+d+"/") {
				return true
			}
		}
		return false
	}
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range af.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			require.NoError(t, err)
			if !allowed(p) {
				t.Errorf("%s imports %s: server/loop imports only the standard library and the domain packages", f, p)
			}
		}
	}
}
