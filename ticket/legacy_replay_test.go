package ticket

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
)

// legacyHistory rewrites t's history as earlier code stored it, re-chaining the digests: the events
// before cut carry no deadlines (written before events recorded Dues, 0.1.0), and the events from
// cut on are as the code that added Dues wrote them, which stated no Reclocked after such an event.
func legacyHistory(t *testing.T, tk *Ticket, cut int) []Event {
	t.Helper()
	h := append([]Event(nil), tk.History...)
	prev := ""
	for i := range h {
		if i < cut {
			h[i].Dues, h[i].Reclocked, h[i].ExtensionDue = nil, nil, nil
		} else {
			h[i].Reclocked = nil
		}
		d, err := h[i].digest(prev)
		require.NoError(t, err)
		h[i].Digest, prev = d, d
	}
	return h
}

// A history whose first events predate recorded deadlines and whose later events were written by
// the code that first recorded them (no Reclocked after a legacy event) replays and verifies: such
// histories exist wherever that code ran, and a false "edited" report would send them to audit.
func TestReplayEventsAfterLegacyWithoutReclocked(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("城管中队", noMode, ComplexityComplex), lcAt("2026-11-23 10:00")},
		lcStep{lcFirstContact(), lcAt("2026-11-23 11:00")},
		lcStep{lcExtension(20, "书面报告：需协调市属单位"), lcAt("2026-11-30 09:00")},
	)
	for _, cut := range []int{1, 2, 3} {
		h := legacyHistory(t, tk, cut)
		got, err := m.Replay(h)
		require.NoError(t, err, "legacy events before #%d", cut+1)
		assert.Equal(t, tk.State, got.State)
		assert.Equal(t, h[len(h)-1].Digest, got.History[len(got.History)-1].Digest)

		// An edit is still caught.
		h[len(h)-1].Actor = "someone else"
		_, err = m.Replay(h)
		assert.ErrorIs(t, err, ErrHistoryMismatch)
	}
}
