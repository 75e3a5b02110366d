package deadline

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 004 §8 (二): a general matter is replied within 5 working days of receipt. Received 2025-09-30
// (Tue) 10:00, the days are 10-09, 10-10, 10-11 (make-up Saturday), 10-13, 10-14; the street
// hotline's due-soon lead is 1 working day, so 预警 starts 2025-10-14 00:00.
func TestStatusStates(t *testing.T) {
	c := China()
	p := StreetHotline()
	start := sh(2025, 9, 30, 10, 0)
	tests := []struct {
		name      string
		done      time.Time
		now       time.Time
		state     State
		remaining int
	}{
		{"just received", time.Time{}, sh(2025, 9, 30, 11, 0), Pending, 5},
		{"during the holiday", time.Time{}, sh(2025, 10, 5, 11, 0), Pending, 5},
		{"day 1", time.Time{}, sh(2025, 10, 9, 10, 0), Pending, 4},
		{"day before the last", time.Time{}, sh(2025, 10, 13, 23, 59), Pending, 1},
		{"last day begins: due soon (预警)", time.Time{}, sh(2025, 10, 14, 0, 0), DueSoon, 0},
		{"last minute", time.Time{}, sh(2025, 10, 14, 23, 59), DueSoon, 0},
		{"deadline passed: overdue (超期)", time.Time{}, sh(2025, 10, 15, 0, 0), Overdue, -1},
		{"three working days late", time.Time{}, sh(2025, 10, 17, 12, 0), Overdue, -3},
		{"weekend after: still counted from working days", time.Time{}, sh(2025, 10, 19, 12, 0), Overdue, -3},
		{"done in time", sh(2025, 10, 14, 23, 59), sh(2025, 11, 1, 0, 0), DoneInTime, 0},
		{"done early", sh(2025, 10, 9, 9, 0), sh(2025, 11, 1, 0, 0), DoneInTime, 4},
		{"done late", sh(2025, 10, 15, 0, 0), sh(2025, 11, 1, 0, 0), DoneLate, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := c.Status(p, Stage{Key: ReplyGeneral, Start: start, Done: tt.done}, tt.now)
			require.NoError(t, err)
			assert.Equal(t, ReplyGeneral, st.Key)
			assert.Equal(t, tt.state, st.State, st.Explanation)
			assert.Equal(t, tt.remaining, st.Remaining, st.Explanation)
			assert.Equal(t, "2025-10-14", st.Due.LastDay.Format(time.DateOnly))
			assert.True(t, sh(2025, 10, 14, 0, 0).Equal(st.DueSoonFrom), "DueSoonFrom = %s", st.DueSoonFrom)
			assert.Contains(t, st.Explanation, "004 §8 (二)")
			assert.Contains(t, st.Explanation, string(tt.state))
			assert.False(t, st.Provisional, "2025 is published")
		})
	}
}

func TestStateLabels(t *testing.T) {
	for s, label := range map[State]string{Pending: "办理中", DueSoon: "预警", Overdue: "超期", DoneInTime: "按期完成", DoneLate: "超期完成"} {
		assert.Equal(t, label, s.Label())
	}
	assert.True(t, Overdue.Open())
	assert.False(t, DoneLate.Open())
	assert.Equal(t, "未知(odd)", State("odd").Label())
}

// The due-soon lead is policy (预警: Policy.DueSoon, a configurable lead).
func TestStatusDueSoonLead(t *testing.T) {
	c := China()
	start := sh(2025, 9, 30, 10, 0) // 5 wd → last day 2025-10-14
	tests := []struct {
		lead Period
		from time.Time
	}{
		{Period{}, time.Time{}},
		{wd(1), sh(2025, 10, 14, 0, 0)},
		{wd(2), sh(2025, 10, 13, 0, 0)},
		{wd(3), sh(2025, 10, 11, 0, 0)}, // the make-up Saturday is a working day
		{Period{2, CalendarDays}, sh(2025, 10, 13, 0, 0)},
		{sameDay, sh(2025, 10, 14, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.lead.String(), func(t *testing.T) {
			p := StreetHotline()
			p.DueSoon = tt.lead
			st, err := c.Status(p, Stage{Key: ReplyGeneral, Start: start}, sh(2025, 10, 12, 12, 0))
			require.NoError(t, err)
			assert.True(t, tt.from.Equal(st.DueSoonFrom), "DueSoonFrom = %s, want %s", st.DueSoonFrom, tt.from)
			want := Pending
			if !tt.from.IsZero() && !sh(2025, 10, 12, 12, 0).Before(tt.from) {
				want = DueSoon
			}
			assert.Equal(t, want, st.State)
		})
	}
}

// 003 六 (二): the cause of a problem raised that day is analysed the same day. A same-day stage is
// due soon from its start under a 1-working-day lead.
func TestStatusSameDay(t *testing.T) {
	c := China()
	st, err := c.Status(CouldNotGetItDone(), Stage{Key: CauseAnalysis, Start: sh(2025, 9, 30, 10, 0)}, sh(2025, 9, 30, 11, 0))
	require.NoError(t, err)
	assert.Equal(t, DueSoon, st.State)
	assert.Equal(t, 0, st.Remaining)
	assert.True(t, sh(2025, 10, 1, 0, 0).Equal(st.Due.At))
	assert.Contains(t, st.Explanation, "003 六 (二)")
}

// 004 §11: the redo after a dissatisfied callback takes 3 working days, counted from the re-dispatch
// (the stage's Start), not from the ticket's receipt.
func TestStatusReopenFromRedispatch(t *testing.T) {
	c := China()
	st, err := c.Status(StreetHotline(), Stage{Key: Reopen, Start: sh(2025, 10, 10, 15, 0)}, sh(2025, 10, 13, 9, 0))
	require.NoError(t, err)
	// 10-11 (make-up Saturday), 10-13, 10-14.
	assert.Equal(t, "2025-10-14", st.Due.LastDay.Format(time.DateOnly))
	assert.Equal(t, Pending, st.State)
	assert.Equal(t, 1, st.Remaining)
}

func TestStatusWithCounting(t *testing.T) {
	c := China()
	p := StreetHotline()
	p.Counting = Counting{Cutoff: NewTimeOfDay(17, 0), BusinessClose: NewTimeOfDay(17, 30)}
	// 004 §8 (一): first contact within 1 working day. Received after the cut-off on 2025-09-30, it
	// counts as received 2025-10-09, so day 1 is 2025-10-10, ending at business close.
	st, err := c.Status(p, Stage{Key: FirstContact, Start: sh(2025, 9, 30, 18, 0)}, sh(2025, 10, 10, 17, 30))
	require.NoError(t, err)
	assert.True(t, sh(2025, 10, 10, 17, 30).Equal(st.Due.At))
	assert.Equal(t, Overdue, st.State)
	assert.Equal(t, -1, st.Remaining, "overdue on the last day after business close is at least -1")
}

func TestStatusErrors(t *testing.T) {
	c := China()
	start := sh(2025, 9, 30, 10, 0)
	_, err := c.Status(StreetHotline(), Stage{Key: ReplyJoint, Start: start}, start)
	assert.ErrorIs(t, err, ErrNoLimit)
	assert.ErrorContains(t, err, "reply_joint")

	_, err = c.Status(StreetHotline(), Stage{Key: ReplyGeneral}, start)
	assert.ErrorIs(t, err, ErrInvalidStage)

	// 004 §8 (一): first contact is not extendable.
	_, err = c.Status(StreetHotline(), Stage{Key: FirstContact, Start: start, ExtendedTo: 2}, start)
	assert.ErrorIs(t, err, ErrNotExtendable)
	var ee *ExtensionError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, FirstContact, ee.Key)

	// 004 §9 第一款: at most 10 working days.
	_, err = c.Status(StreetHotline(), Stage{Key: ReplyGeneral, Start: start, ExtendedTo: 11}, start)
	assert.ErrorIs(t, err, ErrExtensionTooLong)
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 10, ee.Max)
	assert.Equal(t, 11, ee.Requested)
}

// An approved extension shifts the reply deadline to its new length from the same start.
func TestStatusExtended(t *testing.T) {
	c := China()
	start := sh(2025, 9, 30, 10, 0)
	tests := []struct {
		name    string
		p       Policy
		key     Key
		to      int
		lastDay string
	}{
		// 004 §9 第一款: a general matter extended to 10 working days:
		// 10-09 10 11 13 14 15 16 17 20 21.
		{"004 §9 general to 10", StreetHotline(), ReplyGeneral, 10, "2025-10-21"},
		// 004 §9 第二款: a complex matter extended with city approval has no fixed cap.
		{"004 §9 complex to 20", StreetHotline(), ReplyComplex, 20, "2025-11-04"},
		// 002 §6 (二) 1 (4): 协办 extendable with the city leaders' approval.
		{"002 协办 to 20", Hebi12345(), ReplyJoint, 20, "2025-11-04"},
		// 000 §5: 国办 "一般" items at most 25 working days.
		{"000 §5 国办 to 25", StateCouncilForwarded(), ReplyComplex, 25, "2025-11-11"},
		// 003 四 (四) 4: a special case extended to a declared date, at most 10 working days.
		{"003 special to 10", CouldNotGetItDone(), ReplyComplex, 10, "2025-10-21"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := c.Status(tt.p, Stage{Key: tt.key, Start: start, ExtendedTo: tt.to}, start)
			require.NoError(t, err)
			assert.Equal(t, tt.lastDay, st.Due.LastDay.Format(time.DateOnly))
			assert.Contains(t, st.Explanation, "extended from")
		})
	}
}

// 004 §9 第一款: an extension of a general matter is requested within 3 working days of receipt.
// Received 2025-09-30, the window's days are 10-09, 10-10, 10-11 (make-up Saturday): it closes
// 2025-10-12 00:00.
func TestWindow(t *testing.T) {
	c := China()
	p := StreetHotline()
	start := sh(2025, 9, 30, 10, 0)
	closes := sh(2025, 10, 12, 0, 0)
	tests := []struct {
		at time.Time
		in bool
	}{
		{sh(2025, 9, 30, 10, 0), true},
		{sh(2025, 10, 11, 23, 59), true},
		{sh(2025, 10, 12, 0, 0), false},
		{sh(2025, 10, 20, 9, 0), false},
	}
	for _, tt := range tests {
		w, err := c.Window(p, ExtensionGeneral, start, tt.at)
		require.NoError(t, err)
		assert.Equal(t, tt.in, w.InTime, tt.at)
		assert.True(t, closes.Equal(w.Closes), w.Closes)
		assert.Contains(t, w.Explanation, "004 §9 第一款")
		err = w.Err(tt.at)
		if tt.in {
			assert.NoError(t, err)
			continue
		}
		var we *WindowError
		require.ErrorAs(t, err, &we)
		assert.ErrorIs(t, err, ErrWindowClosed)
		assert.True(t, closes.Equal(we.Closed))
		assert.Contains(t, err.Error(), "window closed 2025-10-12 00:00")
	}

	// 004 §9 第二款: complex matters within 5 working days: 10-09 10 11 13 14, closing 10-15 00:00.
	w, err := c.Window(p, ExtensionComplex, start, sh(2025, 10, 14, 16, 0))
	require.NoError(t, err)
	assert.True(t, w.InTime)
	assert.True(t, sh(2025, 10, 15, 0, 0).Equal(w.Closes))

	_, err = c.Window(p, AppealClose, start, start)
	assert.ErrorIs(t, err, ErrNoLimit)
	_, err = c.Window(p, ExtensionGeneral, time.Time{}, start)
	assert.ErrorIs(t, err, ErrInvalidStage)
}

func TestExtend(t *testing.T) {
	c := China()
	start := sh(2025, 9, 30, 10, 0)
	general := Stage{Key: ReplyGeneral, Start: start}
	complexStage := Stage{Key: ReplyComplex, Start: start}

	// 004 §9 第一款: within 3 working days, to at most 10, approved by the street hotline office.
	e, err := c.Extend(StreetHotline(), general, 10, sh(2025, 10, 10, 9, 0))
	require.NoError(t, err)
	assert.Equal(t, "2025-10-21", e.Due.LastDay.Format(time.DateOnly))
	require.NotNil(t, e.Window)
	assert.True(t, e.Window.InTime)
	assert.False(t, e.WrittenReport)
	assert.Equal(t, []string{"街道热线办"}, e.Approvals)
	assert.Contains(t, e.Explanation, "extended from 5 working days to 10 working days")

	// Too late: the window closed 2025-10-12 00:00.
	_, err = c.Extend(StreetHotline(), general, 10, sh(2025, 10, 13, 9, 0))
	var we *WindowError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, ExtensionGeneral, we.Key)
	assert.True(t, sh(2025, 10, 12, 0, 0).Equal(we.Closed))

	// Beyond the cap, or not an extension at all.
	_, err = c.Extend(StreetHotline(), general, 12, sh(2025, 10, 10, 9, 0))
	assert.ErrorIs(t, err, ErrExtensionTooLong)
	_, err = c.Extend(StreetHotline(), general, 5, sh(2025, 10, 10, 9, 0))
	assert.ErrorIs(t, err, ErrNotExtendable)
	assert.ErrorContains(t, err, "not longer than")

	// 004 §9 第二款: complex matters within 5 working days, with a written report, approved by the
	// street, the district and the city.
	e, err = c.Extend(StreetHotline(), complexStage, 20, sh(2025, 10, 14, 16, 0))
	require.NoError(t, err)
	assert.True(t, e.WrittenReport)
	assert.Equal(t, []string{"街道热线办", "区热线办", "市热线办"}, e.Approvals)
	e.Approvals[0] = "changed"
	l, _ := StreetHotline().Limit(ExtensionComplex)
	assert.Equal(t, "街道热线办", l.Approvals[0])

	// 000 §5: a 一网通办 complex matter may be extended; no window, but it must be asked for before
	// the current deadline (15 working days: 2025-10-28).
	_, err = c.Extend(ShanghaiOneNet(), complexStage, 20, sh(2025, 10, 28, 23, 0))
	require.NoError(t, err)
	_, err = c.Extend(ShanghaiOneNet(), complexStage, 20, sh(2025, 10, 29, 0, 0))
	require.ErrorAs(t, err, &we)
	assert.Equal(t, ReplyComplex, we.Key)
	assert.ErrorContains(t, err, "before the current deadline")

	// 000 §5: the rectify-and-reply limit of 5 days is not extendable.
	_, err = c.Extend(ShanghaiOneNet(), Stage{Key: ReplyGeneral, Start: start}, 10, start)
	assert.ErrorIs(t, err, ErrNotExtendable)

	_, err = c.Extend(ShanghaiOneNet(), Stage{Key: ReplyJoint, Start: start}, 10, start)
	assert.ErrorIs(t, err, ErrNoLimit)
	_, err = c.Extend(ShanghaiOneNet(), Stage{Key: ReplyComplex}, 20, start)
	assert.ErrorIs(t, err, ErrInvalidStage)
	assert.False(t, errors.Is(err, ErrNoLimit))
}

// Property: for random receipts (2007–2026), presets and counting options, a deadline is after its
// receipt, a working-day period's last day is the N-th working day after the effective receipt
// date, and as now advances a stage's state only moves forward (pending → due soon → overdue) while
// its remaining working days never grow.
func TestClockProperties(t *testing.T) {
	c := China()
	rng := rand.New(rand.NewPCG(12345, 2))
	presets := Presets()
	rules := []Counting{{}, {Cutoff: NewTimeOfDay(17, 0)}, {BusinessClose: NewTimeOfDay(17, 30)},
		{Cutoff: NewTimeOfDay(16, 30), BusinessClose: NewTimeOfDay(17, 30)}}
	rank := map[State]int{Pending: 0, DueSoon: 1, Overdue: 2}
	for i := range 300 {
		p := presets[rng.IntN(len(presets))]
		p.Counting = rules[rng.IntN(len(rules))]
		l := p.Limits[rng.IntN(len(p.Limits))]
		start := time.Date(2007+rng.IntN(20), time.Month(1+rng.IntN(12)), 1+rng.IntN(28),
			rng.IntN(24), rng.IntN(60), 0, 0, Location())

		d := c.Due(start, l.Period, p.Counting)
		require.True(t, d.At.After(start), "case %d: %s", i, d.Explanation)
		require.True(t, c.IsWorkday(d.LastDay), "case %d: last day %s not a working day: %s", i, d.LastDay, d.Explanation)
		if l.Unit == WorkingDays {
			effective := midnight(start)
			if p.Counting.Cutoff > 0 && c.IsWorkday(start) && !start.Before(p.Counting.Cutoff.on(effective)) {
				effective = c.AddWorkdays(effective, 1)
			}
			require.Equal(t, l.Days, c.WorkdaysBetween(effective, d.LastDay), "case %d: %s", i, d.Explanation)
		}

		prevRank, prevRemaining := -1, 1<<30
		for now := start; !now.After(d.At.AddDate(0, 0, 10)); now = now.Add(7 * time.Hour) {
			st, err := c.Status(p, Stage{Key: l.Key, Start: start}, now)
			require.NoError(t, err)
			require.GreaterOrEqual(t, rank[st.State], prevRank, "case %d at %s: %s", i, now, st.Explanation)
			require.LessOrEqual(t, st.Remaining, prevRemaining, "case %d at %s: %s", i, now, st.Explanation)
			require.Equal(t, st.State == Overdue, st.Remaining < 0, "case %d at %s: %s", i, now, st.Explanation)
			prevRank, prevRemaining = rank[st.State], st.Remaining
		}
	}
}

// Beyond the published schedule (《全国年节及纪念日放假办法》): every clock answer that rests on a date beyond the published schedule
// says so. 2027 is unpublished here; its 1 January (元旦, 《全国年节及纪念日放假办法》 第二条) is off
// provisionally and no make-up day is guessed.
func TestClockProvisional(t *testing.T) {
	c := China()
	if slices.Contains(c.PublishedYears(), 2027) {
		t.Skip("2027 is published: these cases are no longer provisional")
	}
	p := StreetHotline()

	t.Run("Status: the deadline is provisional", func(t *testing.T) {
		// 004 §8 (二): 5 working days from Mon 2026-12-28: 12-29, 12-30, 12-31, 2027-01-04, 01-05.
		st, err := c.Status(p, Stage{Key: ReplyGeneral, Start: sh(2026, 12, 28, 10, 0)}, sh(2026, 12, 29, 10, 0))
		require.NoError(t, err)
		assert.Equal(t, "2027-01-05", st.Due.LastDay.Format(time.DateOnly))
		assert.True(t, st.Due.Provisional)
		assert.True(t, st.Provisional)
		assert.Equal(t, 4, st.Remaining)
		assert.Contains(t, st.Explanation, "provisional")
	})
	t.Run("Status: only the remaining days are provisional", func(t *testing.T) {
		// 5 working days from Tue 2026-12-01 end 2026-12-08 (final); on 2027-01-06 the stage is
		// 20 working days overdue (12-09 … 12-31: 17, 2027-01-04 … 01-06: 3), counted provisionally.
		st, err := c.Status(p, Stage{Key: ReplyGeneral, Start: sh(2026, 12, 1, 10, 0)}, sh(2027, 1, 6, 10, 0))
		require.NoError(t, err)
		assert.Equal(t, "2026-12-08", st.Due.LastDay.Format(time.DateOnly))
		assert.False(t, st.Due.Provisional)
		assert.Equal(t, Overdue, st.State)
		assert.Equal(t, -20, st.Remaining)
		assert.True(t, st.Provisional)
		assert.Contains(t, st.Explanation, "provisional")

		// Done in time in 2026, asked about in 2027: nothing provisional.
		st, err = c.Status(p, Stage{Key: ReplyGeneral, Start: sh(2026, 12, 1, 10, 0), Done: sh(2026, 12, 7, 16, 0)}, sh(2027, 1, 6, 10, 0))
		require.NoError(t, err)
		assert.Equal(t, DoneInTime, st.State)
		assert.Equal(t, 1, st.Remaining)
		assert.False(t, st.Provisional)
		assert.NotContains(t, st.Explanation, "provisional")
	})
	t.Run("Window", func(t *testing.T) {
		// 004 §9 第一款: apply within 3 working days of Tue 2026-12-29: 12-30, 12-31, 2027-01-04.
		w, err := c.Window(p, ExtensionGeneral, sh(2026, 12, 29, 10, 0), sh(2027, 1, 4, 12, 0))
		require.NoError(t, err)
		assert.True(t, w.InTime)
		assert.True(t, sh(2027, 1, 5, 0, 0).Equal(w.Closes), w.Closes)
		assert.True(t, w.Window.Provisional)
		assert.Contains(t, w.Explanation, "provisional")
	})
	t.Run("Extend", func(t *testing.T) {
		// 004 §9 第一款: extended to 10 working days from Tue 2026-12-29: 12-30, 12-31, 2027-01-04 …
		// 01-08, 01-11 … 01-13.
		e, err := c.Extend(p, Stage{Key: ReplyGeneral, Start: sh(2026, 12, 29, 10, 0)}, 10, sh(2026, 12, 31, 9, 0))
		require.NoError(t, err)
		assert.Equal(t, "2027-01-13", e.Due.LastDay.Format(time.DateOnly))
		assert.True(t, e.Due.Provisional)
		assert.True(t, e.Provisional)
		assert.Contains(t, e.Explanation, "provisional")

		// The same request a year earlier rests on published data only.
		e, err = c.Extend(p, Stage{Key: ReplyGeneral, Start: sh(2025, 12, 2, 10, 0)}, 10, sh(2025, 12, 3, 9, 0))
		require.NoError(t, err)
		assert.False(t, e.Provisional)
		assert.NotContains(t, e.Explanation, "provisional")
	})
}

// An extension without a cap (000 §5: 特别疑难的事项可申请延期) is still bounded: more than 3660 days is
// refused, not counted into overflow; a huge due-soon lead makes a stage due soon from far back.
func TestClockHugeValues(t *testing.T) {
	c := China()
	start := sh(2025, 9, 30, 10, 0)
	s := Stage{Key: ReplyComplex, Start: start}
	_, err := c.Extend(ShanghaiOneNet(), s, math.MaxInt, start)
	assert.ErrorIs(t, err, ErrExtensionTooLong)
	assert.ErrorContains(t, err, "implausibly long")
	e, err := c.Extend(ShanghaiOneNet(), s, 3660, start)
	require.NoError(t, err)
	assert.True(t, e.Due.At.After(start))
	s.ExtendedTo = math.MaxInt
	_, err = c.Status(ShanghaiOneNet(), s, start)
	assert.ErrorIs(t, err, ErrExtensionTooLong)

	for _, lead := range []Period{{math.MaxInt, CalendarDays}, {math.MaxInt, WorkingDays}} {
		p := ShanghaiOneNet()
		p.DueSoon = lead // not validated
		st, err := c.Status(p, Stage{Key: FirstContact, Start: start}, start)
		require.NoError(t, err)
		assert.True(t, st.DueSoonFrom.Before(start), "%v: %s", lead, st.DueSoonFrom)
		assert.Equal(t, DueSoon, st.State)
	}
}
