package routing

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The region files in testdata/ are the published 2023 data: each must match
// the sha256 that testdata/SOURCE.md records, so that a corrupted or edited
// copy (the national .gz, read only by the benchmarks, above all) fails
// plain `go test` rather than a benchmark run. Hashing the 5 MB file takes a
// few milliseconds; nothing is decompressed.
func TestTestdataChecksums(t *testing.T) {
	src, err := os.ReadFile("testdata/SOURCE.md")
	require.NoError(t, err)
	// Table rows: | `file` | what | `sha256` |
	row := regexp.MustCompile("(?m)^\\| `([^`]+)` \\|.*\\| `([0-9a-f]{64})` \\|$")
	want := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(src), -1) {
		want[m[1]] = m[2]
	}
	for _, name := range []string{"china-regions.csv.gz", "shanghai-310113.csv", "shanghai-counties.csv"} {
		t.Run(name, func(t *testing.T) {
			sum, ok := want[name]
			require.True(t, ok, "SOURCE.md records no sha256 for %s", name)
			f, err := os.Open("testdata/" + name)
			require.NoError(t, err)
			defer f.Close()
			h := sha256.New()
			_, err = io.Copy(h, f)
			require.NoError(t, err)
			assert.Equal(t, sum, hex.EncodeToString(h.Sum(nil)), "testdata/%s differs from the file SOURCE.md describes", name)
		})
	}
}
