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
	r := shanghaiRules(t)
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
	r := shanghaiRules(t)
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
	r := shanghaiRules(t)
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
	r, err := NewRules(deadline.China(), one, p)
	require.NoError(t, err)
	received := at(2025, 9, 26, 10, 0)
	_, err = r.FileObjection(objectionReq(received), unitU1, at(2025, 9, 28, 23, 0))
	require.NoError(t, err)
	_, err = r.FileObjection(objectionReq(received), unitU1, at(2025, 9, 29, 8, 0))
	assert.True(t, errors.Is(err, ErrLate), "%v", err)
}
