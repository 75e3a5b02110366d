package ticket

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A refused ticket number quotes at most 64 bytes of what it was given, however long (issue 9: errors
// must not echo a 64 KB input whole).
func TestNumberErrorClipsInput(t *testing.T) {
	long := strings.Repeat("9", 1<<16)
	_, err := ParseNumber(long)
	require.ErrorIs(t, err, ErrInvalidNumber)
	assert.Less(t, len(err.Error()), 200, "ParseNumber")
	var ne *NumberError
	require.ErrorAs(t, err, &ne)
	assert.LessOrEqual(t, len(ne.Input), 64+len("…"))

	_, err = NewNumber(strings.Repeat("Q", 1<<16), time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), 1)
	require.ErrorIs(t, err, ErrInvalidNumber)
	assert.Less(t, len(err.Error()), 300, "NewNumber")

	_, err = ParseNumber("BSYYL-20261123-000001-0")
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, "BSYYL-20261123-000001-0", ne.Input, "a short input is quoted whole")
}
