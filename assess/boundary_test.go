package assess

import (
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Due times are exclusive ends, the At of a deadline.Deadline: "1 个工作日内先行联系" (004 §8 (一)) and
// "5 个工作日内办理并回复" (004 §8 (二)) end at 24:00 of the last day — midnight of the next day — so
// a step done at that instant is late, exactly as deadline.Deadline.InTime and the ticket package
// judge it, and a duty due at 2025-04-01 00:00 belongs to March.
func TestDueTimesAreExclusiveEnds(t *testing.T) {
	cal := deadline.China()
	pol := deadline.StreetHotline()
	fc, ok := pol.Limit(deadline.FirstContact)
	require.True(t, ok)
	rp, ok := pol.Limit(deadline.ReplyGeneral)
	require.True(t, ok)
	// Received Thu 2025-03-27 10:00: first contact by the end of Fri 03-28, reply by the end of
	// Thu 04-03 (03-28, 03-31, 04-01, 04-02, 04-03; 清明 04-04 is off).
	recv := mar(27, 10)
	fcDue := cal.Due(recv, fc.Period, pol.Counting).At
	rpDue := cal.Due(recv, rp.Period, pol.Counting).At
	require.Equal(t, on(time.March, 29, 0), fcDue)
	require.Equal(t, on(time.April, 4, 0), rpDue)
	// Received Fri 2025-03-28 10:00: day 1 is Mon 03-31, so first contact is due at 2025-04-01 00:00,
	// a March duty.
	lateRecv := mar(28, 10)
	lateFCDue := cal.Due(lateRecv, fc.Period, pol.Counting).At
	require.Equal(t, on(time.April, 1, 0), lateFCDue)

	cases := []CaseRecord{
		// contacted exactly at the due instant: late; replied 1 ns before the due instant: in time
		{ID: "E1", Unit: "E", ReceivedAt: recv, FirstContactDue: fcDue, FirstContactAt: fcDue,
			ReplyDue: rpDue, RepliedAt: rpDue.Add(-time.Nanosecond)},
		// contacted 1 ns early: in time; replied exactly at the due instant: overdue
		{ID: "E2", Unit: "E", ReceivedAt: recv, FirstContactDue: fcDue, FirstContactAt: fcDue.Add(-time.Nanosecond),
			ReplyDue: rpDue, RepliedAt: rpDue},
		// first contact due at the very end of March, never made: counts against March
		{ID: "E3", Unit: "E", ReceivedAt: lateRecv, FirstContactDue: lateFCDue},
		// still open, reply due exactly at the horizon (2025-04-01 00:00): overdue at the period end
		{ID: "E4", Unit: "E", ReceivedAt: mar(20, 9), ReplyDue: on(time.April, 1, 0)},
	}
	// The month's figures, read with as-of at the period end and later: both agree.
	for _, asOf := range []time.Time{on(time.April, 1, 0), on(time.April, 10, 0)} {
		x := indicatorsOf(t, Input{Cases: cases}, StreetHotline(), Query{Period: must(Month(2025, time.March)), AsOf: asOf}, "E")
		assert.Equal(t, Rate{1, 3}, x.FirstContact, "E1 late at the instant, E2 in time, E3 due in March and missed (as of %s)", asOf)
		if asOf.Equal(on(time.April, 1, 0)) {
			// E1 and E2 replied in April: not in March's replied cohort; E4 open and due at the horizon.
			assert.Equal(t, Rate{0, 1}, x.OnTime, "E4 open overdue at the horizon")
		}
	}
	april := indicatorsOf(t, Input{Cases: cases}, StreetHotline(), Query{Period: must(Month(2025, time.April)), AsOf: on(time.May, 1, 0)}, "E")
	assert.Equal(t, Rate{1, 3}, april.OnTime, "E1 replied 1 ns early is on time, E2 at the instant is overdue, E4 still open and overdue")
	assert.Equal(t, Rate{0, 0}, april.FirstContact, "no first contact falls due in April")
}
