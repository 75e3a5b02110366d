package appeal

import (
	"errors"
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Hand-worked from deadline/data/holiday-cn/2025.json and 2026.json (the State Council notices):
// the receipt day is not counted; make-up working days (isOffDay false) count; holidays do not.
var handWorked = []struct {
	name     string
	received time.Time
	return5  time.Time // 000 §7 (二): 5 working days from receipt
	close15  time.Time // 000 §6 (二): 15 working days from receipt
}{
	// 国庆/中秋 2025: 9-28 (Sun) is a make-up working day, 10-01..10-08 off, 10-11 (Sat) make-up.
	// 5: 9-28, 9-29, 9-30, 10-09, 10-10. 15: … 10-11, 10-13..17, 10-20..23.
	{"国庆 2025, received Fri 2025-09-26", at(2025, 9, 26, 10, 0), day(2025, 10, 10), day(2025, 10, 23)},
	// Received on a holiday: day 1 is the first working day after it.
	// 5: 10-09, 10-10, 10-11 (Sat, make-up), 10-13, 10-14.
	{"国庆 2025, received on holiday 2025-10-03", at(2025, 10, 3, 9, 0), day(2025, 10, 14), day(2025, 10, 28)},
	// 春节 2025: 1-26 (Sun) make-up, 1-28..2-04 off, 2-08 (Sat) make-up.
	// 5: 1-26, 1-27, 2-05, 2-06, 2-07. 15: 2-08, 2-10..14, 2-17..20.
	{"春节 2025, received Fri 2025-01-24", at(2025, 1, 24, 16, 30), day(2025, 2, 7), day(2025, 2, 20)},
	// 元旦 2026: 1-01..1-03 off, 1-04 (Sun) make-up.
	// 5: 1-04, 1-05, 1-06, 1-07, 1-08. 15: 1-09, 1-12..16, 1-19..22.
	{"元旦 2026, received Wed 2025-12-31", at(2025, 12, 31, 11, 0), day(2026, 1, 8), day(2026, 1, 22)},
	// 春节 2026: 2-14 (Sat) make-up, 2-15..2-23 off, 2-28 (Sat) make-up.
	// 5: 2-13, 2-14, 2-24, 2-25, 2-26. 15: 2-27, 2-28, 3-02..06, 3-09..11.
	{"春节 2026, received Thu 2026-02-12", at(2026, 2, 12, 9, 0), day(2026, 2, 26), day(2026, 3, 11)},
	// 中秋+国庆 2026: 9-20 (Sun) make-up, 9-25..27 off, 10-01..07 off, 10-10 (Sat) make-up.
	// 5: 9-20, 9-21, 9-22, 9-23, 9-24. 15: 9-28, 9-29, 9-30, 10-08, 10-09, 10-10, 10-12..15.
	{"国庆 2026, received Fri 2026-09-18", at(2026, 9, 18, 14, 0), day(2026, 9, 24), day(2026, 10, 15)},
}

// 000 §6 (二) and 000 §7 (二): the windows end on the hand-worked days, and the calendar agrees.
func TestWindowsHandWorked(t *testing.T) {
	r := shanghaiMachine(t)
	cal := deadline.China()
	for _, tc := range handWorked {
		t.Run(tc.name, func(t *testing.T) {
			w5, err := r.Window(deadline.ObjectionReturn, tc.received, tc.received)
			require.NoError(t, err)
			assert.Equal(t, tc.return5, w5.Due.LastDay, "000 §7 (二) 5 working days")
			assert.Equal(t, tc.return5.AddDate(0, 0, 1), w5.Due.At)
			assert.Equal(t, cal.AddWorkdays(tc.received, 5), w5.Due.LastDay, "calendar agrees")
			assert.Equal(t, "000 §7 (二)", w5.Source)

			w15, err := r.Window(deadline.AppealClose, tc.received, tc.received)
			require.NoError(t, err)
			assert.Equal(t, tc.close15, w15.Due.LastDay, "000 §6 (二) 15 working days")
			assert.Equal(t, cal.AddWorkdays(tc.received, 15), w15.Due.LastDay, "calendar agrees")
			assert.Equal(t, 15, cal.WorkdaysBetween(tc.received, tc.close15))
			assert.False(t, w15.Due.Provisional)
		})
	}
}

// 000 §6 (二): an appeal filed on the last day of the 15 working days is in time; one filed at the
// next midnight is refused, naming the day the window closed and the article.
func TestAppealFilingWindow(t *testing.T) {
	r := shanghaiMachine(t)
	for _, tc := range handWorked {
		t.Run(tc.name, func(t *testing.T) {
			lastMinute := tc.close15.Add(24*time.Hour - time.Minute)
			a, err := r.FileAppeal(appealReq(tc.received), unitU1, lastMinute)
			require.NoError(t, err)
			assert.Equal(t, StateUnderReview, a.State())

			closed := tc.close15.AddDate(0, 0, 1)
			_, err = r.FileAppeal(appealReq(tc.received), unitU1, closed)
			var late *LateError
			require.ErrorAs(t, err, &late)
			assert.ErrorIs(t, err, ErrLate)
			assert.ErrorIs(t, err, deadline.ErrWindowClosed)
			assert.Equal(t, closed, late.Closed)
			assert.Equal(t, tc.close15, late.LastDay)
			assert.Equal(t, deadline.AppealClose, late.Key)
			assert.Equal(t, "appeal filing", late.Kind)
			assert.Equal(t, "000 §6 (二)", late.Source)
			assert.Contains(t, err.Error(), tc.close15.Format(time.DateOnly))
			assert.Contains(t, err.Error(), "000 §6 (二)")
		})
	}
}

// 000 §7 (二): an objection filed on the 5th working day is in time; the next day it is refused.
func TestObjectionFilingWindow(t *testing.T) {
	r := shanghaiMachine(t)
	for _, tc := range handWorked {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.FileObjection(objectionReq(tc.received), unitU1, tc.return5.Add(23*time.Hour))
			require.NoError(t, err)

			_, err = r.FileObjection(objectionReq(tc.received), unitU1, tc.return5.AddDate(0, 0, 1).Add(9*time.Hour))
			var late *LateError
			require.ErrorAs(t, err, &late)
			assert.Equal(t, tc.return5.AddDate(0, 0, 1), late.Closed)
			assert.Equal(t, deadline.ObjectionReturn, late.Key)
			assert.Equal(t, "000 §7 (二)", late.Source)
			assert.Contains(t, err.Error(), tc.return5.Format(time.DateOnly))
		})
	}
}

// A make-up working day counts: 2025-09-28 (Sun) is day 1 of a ticket received 2025-09-26, so a
// window of one working day already closes at the end of that Sunday.
func TestMakeUpWeekendCounts(t *testing.T) {
	one := deadline.Policy{Name: "one-day", Limits: []deadline.Limit{
		{Key: deadline.ObjectionReturn, Label: "一日", Period: deadline.Period{Days: 1, Unit: deadline.WorkingDays}, Source: "test"},
	}}
	p := Shanghai()
	p.Appeal = Windows{}
	r, err := NewMachine(deadline.China(), one, p)
	require.NoError(t, err)
	received := at(2025, 9, 26, 10, 0)
	_, err = r.FileObjection(objectionReq(received), unitU1, at(2025, 9, 28, 23, 0))
	require.NoError(t, err)
	_, err = r.FileObjection(objectionReq(received), unitU1, at(2025, 9, 29, 8, 0))
	assert.True(t, errors.Is(err, ErrLate), "%v", err)
}

// A window that runs past the published schedule is provisional, and says so in the refusal and in
// the effect: 2027 is not yet published (deadline/data/holiday-cn/2027.json is empty), so its days
// are weekends and the statutory holidays only. Received Thu 2026-12-24: 5 working days are
// 12-25, 12-28 … 12-31, all published (000 §7 (二)); 15 working days run on past 元旦 (Fri
// 2027-01-01, statutory) through 01-04 … 01-08 and 01-11 … 01-15, provisionally (000 §6 (二)).
func TestProvisionalWindows(t *testing.T) {
	r := shanghaiMachine(t)
	rec := at(2026, 12, 24, 10, 0)

	w5, err := r.Window(deadline.ObjectionReturn, rec, rec)
	require.NoError(t, err)
	assert.Equal(t, day(2026, 12, 31), w5.Due.LastDay)
	assert.False(t, w5.Due.Provisional)
	w15, err := r.Window(deadline.AppealClose, rec, rec)
	require.NoError(t, err)
	assert.Equal(t, day(2027, 1, 15), w15.Due.LastDay)
	assert.True(t, w15.Due.Provisional)

	// 000 §6 (二): a late filing is refused on the provisional window, and says it is provisional.
	_, err = r.FileAppeal(appealReq(rec), unitU1, at(2027, 1, 18, 9, 0))
	var le *LateError
	require.ErrorAs(t, err, &le)
	assert.True(t, le.Provisional)
	assert.Equal(t, day(2027, 1, 15), le.LastDay)
	assert.Contains(t, err.Error(), "provisional")

	// 000 §6 (二): the close-as-unfounded effect carries the provisional flag.
	a, err := r.FileAppeal(appealReq(rec), unitU1, at(2026, 12, 28, 9, 0))
	require.NoError(t, err)
	effects, err := a.Apply(act(ActionUphold), deptD1, at(2027, 1, 6, 9, 0))
	require.NoError(t, err)
	require.Len(t, effects, 2)
	c := effects[1].(CloseTicketAsUnfounded)
	assert.True(t, c.Provisional)
	assert.Equal(t, day(2027, 1, 15), c.LastDay)
	assert.Contains(t, c.Explain(), "2027-01-15 (provisional)")

	// 000 §7 (二): the return falls inside the published year: not provisional.
	o, err := r.FileObjection(objectionReq(rec), unitU1, at(2026, 12, 25, 9, 0))
	require.NoError(t, err)
	effects, err = o.Apply(act(ActionUphold), deptD1, at(2026, 12, 28, 9, 0))
	require.NoError(t, err)
	ret := effects[0].(ReturnTicket)
	assert.False(t, ret.Provisional)
	assert.Equal(t, day(2026, 12, 31), ret.LastDay)
	assert.NotContains(t, ret.Explain(), "provisional")
}

// A policy may close the filing window before the effect window: here a staff member's appeal must
// be taken up by the unit within 5 working days of receipt (a district's choice; 000 §6 sets only
// the 15 days to close). After the 5 days the unit can no longer take it up, and the hotline office
// may record it as lapsed although the 15 days still run.
func TestAppealFilingWindowShorterThanEffect(t *testing.T) {
	p := Shanghai()
	p.Appeal.Filing = deadline.ObjectionReturn // 5 working days from receipt
	r, err := NewMachine(deadline.China(), deadline.Appeals(), p)
	require.NoError(t, err)
	// Received Fri 2025-09-26: 5 working days end 2025-10-10, 15 end 2025-10-23.
	a, err := r.FileAppeal(appealReq(received), staffS1, at(2025, 10, 10, 16, 0))
	require.NoError(t, err)
	_, err = a.Apply(act(ActionEndorse), unitU1, at(2025, 10, 11, 9, 0))
	var le *LateError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, day(2025, 10, 10), le.LastDay)
	assert.Equal(t, deadline.ObjectionReturn, le.Key)
	_, err = a.Apply(act(ActionLapse), hotline, at(2025, 10, 11, 9, 0))
	require.NoError(t, err)
	assert.Equal(t, StateLapsed, a.State())

	// Once under review only the effect window matters: the 15 days still run.
	b, err := r.FileAppeal(appealReq(received), unitU1, at(2025, 10, 10, 16, 0))
	require.NoError(t, err)
	_, err = b.Apply(act(ActionLapse), hotline, at(2025, 10, 11, 9, 0))
	require.ErrorIs(t, err, ErrIllegalTransition)
	effects, err := b.Apply(act(ActionUphold), deptD1, at(2025, 10, 20, 9, 0))
	require.NoError(t, err)
	assert.Equal(t, day(2025, 10, 23), effects[1].(CloseTicketAsUnfounded).LastDay)
}

// A replay does not re-check windows: a history recorded in time replays under limits by which it
// would now be late (a schedule or policy changed since), and the effects it recomputes carry the
// due date under the current limits. Live, the same filing is refused.
func TestReplayDoesNotRecheckWindows(t *testing.T) {
	r := shanghaiMachine(t)
	a, err := r.FileAppeal(appealReq(received), unitU1, at(2025, 10, 20, 9, 0))
	require.NoError(t, err)
	_, err = a.Apply(act(ActionUphold), deptD1, at(2025, 10, 22, 9, 0))
	require.NoError(t, err)

	oneDay := deadline.Appeals().With(deadline.Limit{Key: deadline.AppealClose, Label: "一日",
		Period: deadline.Period{Days: 1, Unit: deadline.WorkingDays}, Source: "changed"})
	short, err := NewMachine(deadline.China(), oneDay, Shanghai())
	require.NoError(t, err)

	_, err = short.FileAppeal(appealReq(received), unitU1, at(2025, 10, 20, 9, 0))
	require.ErrorIs(t, err, ErrLate, "live, the filing is late under the new limits")

	b, err := short.ReplayAppeal(roundTrip(t, a.Request()), roundTrip(t, a.History()))
	require.NoError(t, err)
	assert.Equal(t, StateUpheld, b.State())
	h := b.History()
	require.Len(t, h[1].Effects, 2)
	// Day 1 after Fri 2025-09-26 is the make-up Sunday 09-28.
	assert.Equal(t, day(2025, 9, 28), h[1].Effects[1].(CloseTicketAsUnfounded).LastDay)
	assert.Equal(t, day(2025, 10, 23), a.History()[1].Effects[1].(CloseTicketAsUnfounded).LastDay)
}
