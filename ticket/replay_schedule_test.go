package ticket

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
)

// replayNotice2027 is a made-up 2027 schedule (the real one is not yet published): 春节 02-05 to
// 02-11 off, where the provisional calendar has only the statutory 02-05 to 02-08.
const replayNotice2027 = `{"year": 2027, "papers": [], "days": [
	{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
	{"name": "春节", "date": "2027-02-05", "isOffDay": true}, {"name": "春节", "date": "2027-02-06", "isOffDay": true},
	{"name": "春节", "date": "2027-02-07", "isOffDay": true}, {"name": "春节", "date": "2027-02-08", "isOffDay": true},
	{"name": "春节", "date": "2027-02-09", "isOffDay": true}, {"name": "春节", "date": "2027-02-10", "isOffDay": true},
	{"name": "春节", "date": "2027-02-11", "isOffDay": true}, {"name": "春节", "date": "2027-02-20", "isOffDay": false}]}`

// A history recorded under the provisional 2027 schedule replays once the schedule is published:
// the deadlines an event set are taken from the event ("reply due 2027-02-10 00:00 (provisional)",
// 004 §8 (二)), not recounted on the new calendar; a deadline recomputed between two events (a
// reclock) is recorded on the next one; and an edited deadline is still refused.
func TestReplayAfterScheduleChange(t *testing.T) {
	n, err := deadline.ParseHolidayCN("2027.json", []byte(replayNotice2027))
	require.NoError(t, err)
	published, err := deadline.China().WithNotices(n)
	require.NoError(t, err)
	pol := deadline.StreetHotline()
	old, err := NewMachine(deadline.China(), pol, StreetHotline())
	require.NoError(t, err)
	upgraded, err := NewMachine(published, pol, StreetHotline())
	require.NoError(t, err)

	tk, err := old.Accept(lcIntake(ChannelPhone), "op", RoleHotlineOffice, lcAt("2027-01-29 10:00"))
	require.NoError(t, err)
	_, err = old.Apply(tk, lcDispatch("unit-a", ModeTransfer, ComplexityGeneral), lcAt("2027-01-29 10:30"))
	require.NoError(t, err)
	require.True(t, tk.Deadlines.Reply.Due.Provisional)
	assert.Contains(t, tk.History[1].String(), "(provisional)")
	provisionalDue := tk.Deadlines.Reply.Due

	// Replayed on the published schedule, the history is what happened.
	got, err := upgraded.Replay(tk.History)
	require.NoError(t, err)
	assert.Equal(t, tk.History, got.History)
	assert.Equal(t, provisionalDue, got.Deadlines.Reply.Due)

	// The store's reclock moves the running reply clock; the next event records it and replays.
	st, err := upgraded.Status(tk, lcAt("2027-01-30 08:00"))
	require.NoError(t, err)
	for _, s := range st {
		if s.Key == tk.Deadlines.Reply.Key {
			tk.Deadlines.Reply.Due = s.Due
		}
	}
	require.NotEqual(t, provisionalDue.At, tk.Deadlines.Reply.Due.At)
	ev, err := upgraded.Apply(tk, lcFirstContact(), lcAt("2027-02-01 09:00"))
	require.NoError(t, err)
	require.Len(t, ev.Reclocked, 1)
	assert.Equal(t, tk.Deadlines.Reply.Due, ev.Reclocked[0].Due)
	got, err = upgraded.Replay(tk.History)
	require.NoError(t, err)
	assert.Equal(t, tk.Deadlines, got.Deadlines)

	// An edited deadline in a stored event is caught by the digest.
	edits := []func(h []Event){
		func(h []Event) {
			h[1].Dues[len(h[1].Dues)-1].Due.At = h[1].Dues[len(h[1].Dues)-1].Due.At.AddDate(0, 0, 1)
		},
		func(h []Event) { h[1].Dues[len(h[1].Dues)-1].Due.Provisional = false },
		func(h []Event) { h[2].Reclocked[0].Due.At = h[2].Reclocked[0].Due.At.AddDate(0, 0, 2) },
	}
	for i, edit := range edits {
		h := tk.Clone().History
		for j := range h {
			h[j].Dues = append([]ClockDue(nil), h[j].Dues...)
			h[j].Reclocked = append([]ClockDue(nil), h[j].Reclocked...)
		}
		edit(h)
		_, err := upgraded.Replay(h)
		assert.ErrorIs(t, err, ErrHistoryMismatch, "edit %d", i)
	}
}
