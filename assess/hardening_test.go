package assess

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hebiComplaints returns ten cases of unit U received in March 2025, four of them complaints against
// the unit, every one replied on time with a satisfied callback.
func hebiComplaints() []CaseRecord {
	var cs []CaseRecord
	for i := range 10 {
		recv := mar(3+i, 9)
		cs = append(cs, CaseRecord{ID: fmt.Sprintf("H%d", i), Unit: "U", Complaint: i < 4, ReceivedAt: recv,
			ReplyDue: recv.Add(48 * time.Hour), RepliedAt: recv.Add(24 * time.Hour), CallbackAt: recv.Add(25 * time.Hour),
			Satisfaction: Satisfied})
	}
	return cs
}

// 002 §9 被投诉率: complaints ÷ service volume. The complaints are part of the volume, so a volume below
// the complaint count (0 or 1 with 4 complaints) is not data a rate can be computed from: before the fix
// a volume of 0 made the rate undefined, the weights rescaled and the unit scored 100; a volume of 1
// gave a rate of 400%.
func TestHebiComplaintRateVolumeBelowComplaints(t *testing.T) {
	for _, vol := range []int64{0, 1, 3} {
		t.Run(fmt.Sprint("volume ", vol), func(t *testing.T) {
			in := Input{Cases: hebiComplaints(), Volumes: []Volume{{Unit: "U", Count: vol}}}
			_, err := Score(in, Hebi(), marchQuery())
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidInput)
			var fe *FieldError
			require.True(t, errors.As(err, &fe), "%T", err)
			assert.Contains(t, err.Error(), `unit U`)
			assert.Contains(t, err.Error(), "4 complaints")
		})
	}
	t.Run("volume equal to the complaints", func(t *testing.T) {
		in := Input{Cases: hebiComplaints(), Volumes: []Volume{{Unit: "U", Count: 4}}}
		r, err := Score(in, Hebi(), marchQuery())
		require.NoError(t, err)
		u, _ := r.Unit("U")
		assert.Equal(t, Rate{4, 4}, u.Indicators.Complaint)
		assert.Equal(t, Fixed(0), u.Items[0].Points, "a 100% complaint rate earns nothing")
	})
	t.Run("volume 0 without complaints is no data", func(t *testing.T) {
		cs := hebiComplaints()
		for i := range cs {
			cs[i].Complaint = false
		}
		in := Input{Cases: cs, Volumes: []Volume{{Unit: "U", Count: 0}}}
		r, err := Score(in, Hebi(), marchQuery())
		require.NoError(t, err)
		u, _ := r.Unit("U")
		assert.False(t, u.Indicators.Complaint.Defined())
		assert.False(t, u.Items[0].Defined)
	})
	t.Run("a volume of 1000 gives 0.4%", func(t *testing.T) {
		in := Input{Cases: hebiComplaints(), Volumes: []Volume{{Unit: "U", Count: 1000}}}
		r, err := Score(in, Hebi(), marchQuery())
		require.NoError(t, err)
		u, _ := r.Unit("U")
		assert.Equal(t, "0.40%", u.Indicators.Complaint.Value().Percent())
	})
}

// Every rate with a denominator obeys 0 ≤ Num ≤ Den; a rate that would break it is an input error,
// never a figure above 100% or a "no data" that hides a numerator.
func TestRatesAreProperFractions(t *testing.T) {
	assert.NoError(t, Rate{0, 0}.check("x"))
	assert.NoError(t, Rate{3, 3}.check("x"))
	for _, r := range []Rate{{1, 0}, {4, 1}, {-1, 2}, {0, -1}} {
		assert.ErrorIs(t, r.check("x"), ErrInvalidInput, "%v", r)
	}
}

// A HotSpots call over the longest allowed range (1,044 weeks) with 20,000 distinct matter × place
// keys, each seen in one week: before the fix every key held a count for every week of the range
// (20,000 × 1,044 × 8 B ≈ 167 MB); sized by the weeks that have data it needs a few MB.
func TestHotSpotsMemoryFollowsData(t *testing.T) {
	from := on(time.January, 6, 0).AddDate(-19, 0, 0)
	to := from.AddDate(0, 0, 7*1040)
	cases := make([]CaseRecord, 20_000)
	for i := range cases {
		cases[i] = CaseRecord{ID: fmt.Sprint("C", i), Unit: "U", Matter: fmt.Sprint("M", i), Place: "P",
			ReceivedAt: from.AddDate(0, 0, 7*(i%1000))}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := HotSpots(cases, from, to, DefaultHotSpot())
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	allocated := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, allocated, uint64(30<<20), "allocated %d bytes", allocated)
}

// The scheme loader refuses every input of the shared malformed-input table (issue 9: trailing data
// such as `{"name":"x"}}` was accepted; duplicate and case-variant keys were "last wins").
func TestParseSchemeMalformed(t *testing.T) {
	valid, err := json.Marshal(StreetHotline())
	require.NoError(t, err)
	_, err = ParseScheme(valid)
	require.NoError(t, err)
	for _, c := range strictjsontest.Cases(valid, MaxSchemeBytes) {
		t.Run(c.Name, func(t *testing.T) {
			_, err := ParseScheme(c.Input)
			require.Error(t, err)
			assert.Less(t, len(err.Error()), 600, "the error must not echo the input")
		})
	}
	_, err = ParseScheme([]byte(`{"id":"x"}}`))
	assert.ErrorIs(t, err, ErrMalformed)
}

// Periods are built from caller data: a month outside 1–12, a quarter outside 1–4, a year outside
// [MinYear, MaxYear] or an invalid year policy is a typed error, never a silently normalised period
// (issue 9: Month(2025, 0) gave December 2024, Year(p, MaxInt) a wrapped-around nonsense year).
func TestPeriodConstructorsRefuseBadArguments(t *testing.T) {
	ay := deadline.AssessmentYear()
	for name, f := range map[string]func() (Period, error){
		"month 0":            func() (Period, error) { return Month(2025, 0) },
		"month 13":           func() (Period, error) { return Month(2025, 13) },
		"month of year max":  func() (Period, error) { return Month(math.MaxInt, time.March) },
		"month of year -1":   func() (Period, error) { return Month(-1, time.March) },
		"quarter 0":          func() (Period, error) { return Quarter(2025, 0) },
		"quarter 5":          func() (Period, error) { return Quarter(2025, 5) },
		"quarter of year 0":  func() (Period, error) { return Quarter(0, 1) },
		"year max":           func() (Period, error) { return Year(ay, math.MaxInt) },
		"year min":           func() (Period, error) { return Year(ay, math.MinInt) },
		"year policy broken": func() (Period, error) { return Year(deadline.YearPolicy{StartMonth: 14, StartDay: 1}, 2025) },
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f()
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidPeriod)
			var fe *FieldError
			assert.True(t, errors.As(err, &fe), "%T", err)
		})
	}
	_, err := AssessmentMonths(ay, math.MaxInt)
	assert.ErrorIs(t, err, ErrInvalidPeriod)
	p, err := Year(ay, MaxYear)
	require.NoError(t, err)
	assert.Equal(t, "AY9999", p.Label)
	p, err = Month(2025, time.December)
	require.NoError(t, err)
	assert.Equal(t, "2025-12", p.Label)
}

// Int saturates instead of wrapping: a count of 10¹³ returns (possible as the sum of ten million
// cases of 10⁶ returns each) must not become a negative number of points.
func TestIntSaturates(t *testing.T) {
	assert.Equal(t, Fixed(math.MaxInt64), Int(10_000_000_000_000))
	assert.Equal(t, Fixed(math.MinInt64), Int(-10_000_000_000_000))
	assert.Equal(t, Fixed(9_223_372_036_854_000_000), Int(9_223_372_036_854))
	perCount := Scoring{Kind: ScorePerCount, PerCount: RatioOf(1, 10)}
	assert.Equal(t, Fixed(0), scoreItem(perCount, Int(10_000_000_000_000)), "a huge count earns nothing, not everything")
}

// Errors never echo a huge input whole (issue 9: enum errors echoed a 64 KB input).
func TestErrorsDoNotEchoHugeInput(t *testing.T) {
	huge := strings.Repeat("单", 64<<10)
	for name, in := range map[string]Input{
		"case id":      {Cases: []CaseRecord{{ID: huge, Unit: "U"}}},
		"review id":    {Reviews: []Review{{ID: huge, Unit: "U", Rating: "great"}}},
		"unit":         {Cases: hebiComplaints(), Volumes: []Volume{{Unit: "U", Count: 1}, {Unit: huge, Count: -1}}},
		"rating":       {Reviews: []Review{{ID: "R", Unit: "U", Rating: Rating(huge), At: mar(3, 9)}}},
		"volume below": {Cases: []CaseRecord{{ID: "C", Unit: huge, Complaint: true, ReceivedAt: mar(3, 9)}}, Volumes: []Volume{{Unit: huge}}},
	} {
		_, err := Score(in, Hebi(), marchQuery())
		require.Error(t, err, name)
		assert.Less(t, len(err.Error()), 700, name)
	}
	_, err := ParseScheme([]byte(`{"name":"` + huge + `"}`))
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 700)
	_, err = Preset(huge)
	assert.Less(t, len(err.Error()), 700)
	_, err = Breakdown(nil, marchQuery().Period, marchQuery().AsOf, GroupBy(huge))
	assert.Less(t, len(err.Error()), 700)
}
