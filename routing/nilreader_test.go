package routing

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every reader-taking loader refuses a nil io.Reader with a *RowError wrapping ErrMalformed instead
// of a nil-pointer panic (a caller's mistake must not crash the server that made it).
func TestReadersRefuseNil(t *testing.T) {
	for name, read := range map[string]func() error{
		"ReadRegions(nil)":     func() error { _, err := ReadRegions(nil); return err },
		"ReadRegions(ok, nil)": func() error { _, err := ReadRegions(io.MultiReader(), nil); return err },
		"ReadUnitsCSV":         func() error { _, err := ReadUnitsCSV(nil); return err },
		"ReadMattersCSV":       func() error { _, err := ReadMattersCSV(nil); return err },
		"ReadDirectory":        func() error { _, err := ReadDirectory(nil, nil); return err },
		"ReadPolicy":           func() error { _, err := ReadPolicy(nil); return err },
	} {
		var err error
		require.NotPanics(t, func() { err = read() }, name)
		require.Error(t, err, name)
		if name != "ReadPolicy" {
			var re *RowError
			assert.ErrorAs(t, err, &re, name)
		}
		assert.ErrorIs(t, err, ErrMalformed, name)
	}
}
