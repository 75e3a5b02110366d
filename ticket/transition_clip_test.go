package ticket

import (
	"strings"
	"testing"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A refused action or a stored state of 64 KB is quoted clipped, not echoed whole (issue 9: errors
// echo a 64 KB input whole).
func TestTransitionErrorClipsActionAndState(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")})
	long := strings.Repeat("長", 1<<14)
	_, err := m.Apply(tk.Clone(), Request{Actor: "x", Role: RoleHotlineOffice, Action: Action(long)}, lcAt("2026-11-23 10:00"))
	require.ErrorIs(t, err, ErrIllegalTransition)
	assert.Less(t, len(err.Error()), 400)

	te := &TransitionError{State: State(long), Action: Action(long), Role: Role(long), Reason: "r", Err: ErrIllegalTransition}
	assert.Less(t, len(te.Error()), 400)
}
