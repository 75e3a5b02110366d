package ticket

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The -update flag rewrites golden files. It is defined in init, after every package-level variable of
// the test binary, so that it coexists with a definition elsewhere in the package's tests.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/")
	}
}

func lcUpdating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// The diagram of the transition table is kept in testdata/lifecycle.mmd and in doc.go; both must be
// what the table renders (go test ./ticket -run Mermaid -update rewrites the golden file).
func TestMermaidGolden(t *testing.T) {
	got := Lifecycle().Mermaid()
	path := filepath.Join("testdata", "lifecycle.mmd")
	if lcUpdating() {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./ticket -run Mermaid -update")
	assert.Equal(t, string(want), got)

	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	var indented strings.Builder
	for line := range strings.Lines(got) {
		indented.WriteString("//\t" + line)
	}
	assert.Contains(t, string(doc), indented.String(), "doc.go shows the current diagram")

	assert.True(t, strings.HasPrefix(got, "stateDiagram-v2\n"))
	for _, s := range States() {
		assert.Contains(t, got, s.Label())
	}
	for _, a := range Actions() {
		assert.Contains(t, got, a.Label())
	}
}
