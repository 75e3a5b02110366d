package deadline

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 9: a stage completed before its clock started is not a fact the clock can judge; it is
// refused with a typed error naming the stage, never judged "done in time".
func TestStatusDoneBeforeStart(t *testing.T) {
	c := China()
	start := sh(2025, 9, 30, 10, 0)
	s := Stage{Key: ReplyGeneral, Start: start, Done: start.Add(-time.Minute)}
	_, err := c.Status(StreetHotline(), s, start.Add(time.Hour))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalidStage)
	var se *StageError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, ReplyGeneral, se.Key)
	assert.Equal(t, "done", se.Field)

	// Done at the very instant of the start is a fact (an immediate reply).
	s.Done = start
	st, err := c.Status(StreetHotline(), s, start)
	require.NoError(t, err)
	assert.Equal(t, DoneInTime, st.State)
}

// Issue 9, 民法典 第二百零一条–第二百零三条: a period of 0 days is "the same day": it ends at the end of
// the receipt day, or at business close of that day, and never before the receipt itself — a
// receipt after business close, or on a day without business, ends the next working day.
func TestDueZeroDaysNeverBeforeReceipt(t *testing.T) {
	c := China()
	close := Counting{BusinessClose: NewTimeOfDay(17, 0)}
	tests := []struct {
		name     string
		received time.Time
		p        Period
		rule     Counting
		want     time.Time
	}{
		{"working day before close", sh(2025, 9, 30, 10, 0), Period{0, WorkingDays}, close, sh(2025, 9, 30, 17, 0)},
		{"working day after close", sh(2025, 9, 30, 18, 0), Period{0, WorkingDays}, close, sh(2025, 10, 9, 17, 0)},
		{"working day at close", sh(2025, 9, 30, 17, 0), Period{0, WorkingDays}, close, sh(2025, 10, 9, 17, 0)},
		{"holiday", sh(2025, 10, 2, 9, 0), Period{0, WorkingDays}, close, sh(2025, 10, 9, 17, 0)},
		{"calendar days after close", sh(2025, 9, 30, 18, 0), Period{0, CalendarDays}, close, sh(2025, 10, 9, 17, 0)},
		{"negative days", sh(2025, 9, 30, 18, 0), Period{-3, WorkingDays}, close, sh(2025, 10, 9, 17, 0)},
		{"no close: end of the receipt day", sh(2025, 9, 30, 23, 0), Period{0, WorkingDays}, Counting{}, sh(2025, 10, 1, 0, 0)},
		{"same day after close", sh(2025, 9, 30, 18, 0), Period{0, SameDay}, close, sh(2025, 10, 9, 17, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := c.Due(tt.received, tt.p, tt.rule)
			assert.True(t, tt.want.Equal(d.At), "got %s: %s", d.At, d.Explanation)
			assert.True(t, d.At.After(tt.received), d.Explanation)
		})
	}
}

// The invariant behind the fix, over many receipts, periods and counting rules: a deadline is always
// after the receipt, and its last day is never before the receipt's date.
func TestDueNeverBeforeReceiptProperty(t *testing.T) {
	c := China()
	base := sh(2025, 9, 25, 0, 0)
	for i := 0; i < 24*4*20; i++ {
		r := base.Add(time.Duration(i) * 15 * time.Minute)
		for _, p := range []Period{{0, WorkingDays}, {0, CalendarDays}, {0, SameDay}, {1, WorkingDays}, {1, CalendarDays}} {
			for _, rule := range []Counting{{}, {BusinessClose: NewTimeOfDay(17, 0)}, {BusinessClose: NewTimeOfDay(9, 0), Cutoff: NewTimeOfDay(16, 0)}, {Cutoff: NewTimeOfDay(8, 0)}} {
				d := c.Due(r, p, rule)
				require.True(t, d.At.After(r), "%s %v %v: %s", r, p, rule, d.Explanation)
				require.False(t, d.LastDay.Before(midnight(r)), "%s %v %v: %s", r, p, rule, d.Explanation)
			}
		}
	}
}

// Issue 9: an extension of a same-day limit to zero or fewer days is refused, not counted.
func TestExtendSameDayToNothing(t *testing.T) {
	p := Policy{Name: "x", Limits: []Limit{{Key: ReplyQuick, Period: sameDay, Extendable: true}}}
	require.NoError(t, p.Validate())
	start := sh(2025, 9, 30, 10, 0)
	for _, days := range []int{0, -1, math.MinInt} {
		_, err := China().Extend(p, Stage{Key: ReplyQuick, Start: start}, days, start)
		assert.ErrorIs(t, err, ErrNotExtendable, "%d", days)
		_, err = China().Status(p, Stage{Key: ReplyQuick, Start: start, ExtendedTo: days}, start)
		if days > 0 {
			assert.Error(t, err)
		}
	}
}

// Issue 9: errors never echo a huge input whole.
func TestErrorsClipHugeInput(t *testing.T) {
	huge := strings.Repeat("x", 64<<10)
	const bound = 1 << 10
	errs := map[string]error{}
	_, errs["ParseTimeOfDay"] = ParseTimeOfDay(huge)
	var tod TimeOfDay
	errs["TimeOfDay.UnmarshalJSON"] = tod.UnmarshalJSON([]byte(`[` + strings.Repeat("1,", 32<<10) + `1]`))
	var k DayKind
	errs["DayKind.UnmarshalText"] = k.UnmarshalText([]byte(huge))
	_, errs["ParseNotice date"] = ParseNotice("n.json", []byte(`{"year":2027,"days":[{"date":"`+huge+`","off":true}]}`))
	_, errs["ParseOverrides date"] = ParseOverrides("o.json", []byte(`[{"date":"`+huge+`","off":true}]`))
	_, errs["ParsePolicy name"] = ParsePolicy([]byte(`{"name":"` + huge + `","limits":[{"key":"a","days":1,"unit":"weeks"}]}`))
	_, errs["ParsePolicy key"] = ParsePolicy([]byte(`{"name":"x","limits":[{"key":"` + huge + `","days":-1,"unit":"working_days"}]}`))
	_, errs["ParsePolicy unit"] = ParsePolicy([]byte(`{"name":"x","limits":[{"key":"a","days":1,"unit":"` + huge + `"}]}`))
	_, errs["Preset"] = Preset(huge)
	_, errs["Status key"] = China().Status(StreetHotline(), Stage{Key: Key(huge), Start: sh(2025, 9, 30, 10, 0)}, sh(2025, 9, 30, 10, 0))
	for name, err := range errs {
		require.Error(t, err, name)
		assert.Less(t, len(err.Error()), bound, "%s: %.200s…", name, err.Error())
	}
}

// Issue 9: Validate and ParsePolicy are linear in the number of limits. The benchmark
// (BenchmarkParsePolicy) measures it; this test only checks that a policy of many limits, several of
// them naming extension windows, is accepted and refused as before.
func TestValidateManyLimits(t *testing.T) {
	p := manyLimits(5000)
	require.NoError(t, p.Validate())
	p.Limits[4999].ExtensionWindow = "nowhere"
	assert.ErrorContains(t, p.Validate(), `limits[4999].extension_window`)
	p = manyLimits(5000)
	p.Limits[4998].Key = p.Limits[10].Key
	assert.ErrorContains(t, p.Validate(), `limits[4998].key`)
}

// manyLimits returns a valid policy of n limits: every tenth is extendable within a window limit.
func manyLimits(n int) Policy {
	p := Policy{Name: "many", Version: "test"}
	for i := range n {
		l := Limit{Key: Key(fmt.Sprintf("k%06d", i)), Label: "x", Period: wd(5)}
		if i%10 == 1 {
			l.Extendable, l.ExtendTo, l.ExtensionWindow = true, 10, Key(fmt.Sprintf("k%06d", i-1))
		}
		if i%10 == 0 && i+1 < n {
			l.ExtendTo, l.Approvals = 10, []string{"街道热线办"}
		}
		p.Limits = append(p.Limits, l)
	}
	return p
}

// FuzzStatus drives the clock with arbitrary instants, lengths and counting rules: it never panics,
// a deadline is always after its start, and a stage done before its start is refused.
func FuzzStatus(f *testing.F) {
	start := sh(2025, 9, 30, 18, 0).Unix()
	f.Add(start, start-60, start, 0, 0, 17*60, 0)         // done before start; 0 days after close
	f.Add(start, int64(0), start, 5, 10, 17*60+30, 16*60) // an extension
	f.Add(start, int64(0), start, math.MaxInt, math.MaxInt, 0, 0)
	f.Add(start, int64(0), start, math.MinInt, math.MinInt, -1, 24*60)
	f.Add(int64(math.MaxInt64/2), int64(0), int64(math.MinInt64/2), 1, 0, 9*60, 0)
	c := China()
	f.Fuzz(func(t *testing.T, startU, doneU, nowU int64, days, ext, closeMin, cutoffMin int) {
		s := Stage{Key: ReplyGeneral, Start: time.Unix(startU, 0), ExtendedTo: ext}
		if doneU != 0 {
			s.Done = time.Unix(doneU, 0)
		}
		p := Policy{Name: "f", Counting: Counting{BusinessClose: TimeOfDay(closeMin), Cutoff: TimeOfDay(cutoffMin)},
			DueSoon: wd(1), Limits: []Limit{{Key: ReplyGeneral, Period: wd(days), Extendable: true}}}
		st, err := c.Status(p, s, time.Unix(nowU, 0))
		if err != nil {
			return
		}
		if !s.Done.IsZero() && s.Done.Before(s.Start) {
			t.Fatalf("done before start accepted: %+v", st)
		}
		if !st.Due.At.After(s.Start) {
			t.Fatalf("deadline %s not after the start %s: %s", st.Due.At, s.Start, st.Due.Explanation)
		}
		_, _ = c.Extend(p, s, ext, time.Unix(nowU, 0))
		_, _ = c.Window(p, ReplyGeneral, s.Start, time.Unix(nowU, 0))
	})
}
