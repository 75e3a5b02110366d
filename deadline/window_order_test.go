package deadline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A request made before its window opens, or at the zero instant (an unset time), is not "in time":
// Window and Extend refuse it with a *StageError naming "at", as Status refuses a stage done before
// its start (issue 9). 004 §9 第一款: apply within 3 working days of receipt — counted from it.
func TestWindowRefusesRequestBeforeStart(t *testing.T) {
	cal := China()
	p := StreetHotline()
	start := time.Date(2026, 3, 6, 10, 0, 0, 0, shanghai)
	for name, at := range map[string]time.Time{
		"an hour before the start": start.Add(-time.Hour),
		"a nanosecond before":      start.Add(-time.Nanosecond),
		"the zero instant":         {},
	} {
		_, err := cal.Window(p, ExtensionGeneral, start, at)
		require.ErrorIs(t, err, ErrInvalidStage, name)
		var se *StageError
		require.ErrorAs(t, err, &se, name)
		assert.Equal(t, "at", se.Field, name)

		_, err = cal.Extend(p, Stage{Key: ReplyGeneral, Start: start}, 10, at)
		require.ErrorIs(t, err, ErrInvalidStage, "Extend, %s", name)
	}
	// A limit without an extension window checks the request's instant too.
	noWindow := p.With(Limit{Key: ReplyGeneral, Label: "一般事项", Period: Period{5, WorkingDays}, Extendable: true, ExtendTo: 10})
	require.NoError(t, noWindow.Validate())
	_, err := cal.Extend(noWindow, Stage{Key: ReplyGeneral, Start: start}, 10, time.Time{})
	require.ErrorIs(t, err, ErrInvalidStage)
	_, err = cal.Extend(noWindow, Stage{Key: ReplyGeneral, Start: start}, 10, start.Add(time.Hour))
	require.NoError(t, err)

	w, err := cal.Window(p, ExtensionGeneral, start, start)
	require.NoError(t, err, "a request at the start itself is in time")
	assert.True(t, w.InTime)
}
