package ticket

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ReadPolicy is ParsePolicy from a reader, like every other package's (CONTRIBUTING.md "Naming":
// ParsePolicy / ReadPolicy): bounded before it buffers, strict, and nil-safe.
func TestReadPolicy(t *testing.T) {
	valid, err := json.Marshal(StreetHotline())
	require.NoError(t, err)
	p, err := ReadPolicy(bytes.NewReader(valid))
	require.NoError(t, err)
	assert.Equal(t, StreetHotline(), p)
	for _, c := range strictjsontest.Cases(valid, MaxPolicyBytes) {
		t.Run(c.Name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { _, err = ReadPolicy(bytes.NewReader(c.Input)) })
			require.ErrorIs(t, err, ErrInvalidPolicy)
		})
	}
	_, err = ReadPolicy(strings.NewReader(strings.Repeat(" ", 2*MaxPolicyBytes)))
	require.ErrorIs(t, err, ErrInvalidPolicy)
	require.NotPanics(t, func() { _, err = ReadPolicy(nil) })
	require.ErrorIs(t, err, ErrInvalidPolicy)
}
