package deadline

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A nil reader or file system is refused with a typed error, not a nil-pointer panic.
func TestLoadersRefuseNil(t *testing.T) {
	var err error
	require.NotPanics(t, func() { _, err = ReadPolicy(nil) })
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	require.NotPanics(t, func() { _, err = LoadNotices(nil) })
	assert.ErrorIs(t, err, ErrMalformed)
	var se *ScheduleError
	assert.ErrorAs(t, err, &se)
	require.NotPanics(t, func() { _, err = LoadHolidayCN(nil) })
	assert.ErrorIs(t, err, ErrMalformed)
}
