// Package boundary holds the tests that enforce the import boundaries (the one place they are
// checked): the domain packages deadline,
// ticket (and its nested packages), routing, appeal and assess import only the standard library,
// deadline, github.com/google/uuid, github.com/emmansun/gmsm and the module's internal helpers —
// never echo, bun, database/sql or server; and server/loop, which joins them, imports nothing else but
// them (CONTRIBUTING.md, "Layout and boundaries").
package boundary

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/hotline12345/hotline"

var domain = []string{"deadline", "ticket", "routing", "appeal", "assess"}

// allowed reports whether a non-test file of the domain package dir may import path.
func allowed(dir, path string) bool {
	first, _, _ := strings.Cut(path, "/")
	switch {
	case !strings.Contains(first, "."): // the standard library
		return path != "database/sql" && !strings.HasPrefix(path, "database/sql/")
	case path == module+"/deadline" || strings.HasPrefix(path, module+"/internal/"):
		return true
	case path == "github.com/google/uuid" || strings.HasPrefix(path, "github.com/emmansun/gmsm/"):
		return true
	}
	// Nested packages may import their parent family (ticket/privacy imports ticket).
	top, _, _ := strings.Cut(dir, string(filepath.Separator))
	return path == module+"/"+top || strings.HasPrefix(path, module+"/"+top+"/")
}

func TestImportBoundary(t *testing.T) {
	root := filepath.Join("..", "..")
	checked := 0
	for _, pkg := range domain {
		err := filepath.WalkDir(filepath.Join(root, pkg), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			src, err := os.ReadFile(path)
			require.NoError(t, err)
			f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ImportsOnly)
			require.NoError(t, err)
			rel, err := filepath.Rel(root, filepath.Dir(path))
			require.NoError(t, err)
			for _, imp := range f.Imports {
				p, err := strconv.Unquote(imp.Path.Value)
				require.NoError(t, err)
				assert.True(t, allowed(rel, p), "%s imports %s, outside the domain boundary", path, p)
			}
			checked++
			return nil
		})
		require.NoError(t, err)
	}
	assert.Greater(t, checked, 50, "the walk found too few files: is the test run from internal/boundary?")
}

// loopAllowed reports whether server/loop, the pure adapter where the domain packages meet, may import
// path: the standard library (no database/sql, no net/http), the domain packages and the module's
// internal helpers — no echo, no bun, no storage, no server.
func loopAllowed(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	if !strings.Contains(first, ".") {
		return !strings.HasPrefix(path, "database/sql") && !strings.HasPrefix(path, "net/http")
	}
	for _, d := range append(domain, "internal") {
		if path == module+"/"+d || strings.HasPrefix(path, module+"/"+d+"/") {
			return true
		}
	}
	return false
}

func TestLoopImportBoundary(t *testing.T) {
	dir := filepath.Join("..", "..", "server", "loop")
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	checked := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			require.NoError(t, err)
			assert.True(t, loopAllowed(p), "%s imports %s: server/loop must stay as pure as the packages it joins", path, p)
		}
		checked++
	}
	assert.Positive(t, checked, "no files found in server/loop")
	assert.False(t, loopAllowed("github.com/uptrace/bun"))
	assert.False(t, loopAllowed("net/http"))
	assert.False(t, loopAllowed(module+"/server/store"))
	assert.True(t, loopAllowed(module+"/ticket/privacy"))
}

func TestAllowed(t *testing.T) {
	tests := []struct {
		dir, path string
		want      bool
	}{
		{"ticket", "strings", true},
		{"ticket", module + "/deadline", true},
		{"ticket/privacy", module + "/ticket", true},
		{"routing", module + "/ticket", false},
		{"assess", "github.com/emmansun/gmsm/sm3", true},
		{"assess", "github.com/google/uuid", true},
		{"appeal", "database/sql", false},
		{"appeal", "github.com/uptrace/bun", false},
		{"appeal", "github.com/labstack/echo/v4", false},
		{"deadline", module + "/server/store", false},
		{"deadline", module + "/internal/strictjson", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, allowed(filepath.FromSlash(tt.dir), tt.path), "%s imports %s", tt.dir, tt.path)
	}
}
