package assess

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rv(id, unit, staff, rater, device string, l Rating, at time.Time) Review {
	return Review{ID: id, Unit: unit, Staff: staff, Rater: rater, Device: device, Rating: l, At: at}
}

// 001 (十): 及时查处弄虚作假刷"好评" — one rater or one device praising in bursts.
func TestFakePraise(t *testing.T) {
	reviews := []Review{
		// rater h1: four good reviews within 3 hours, then one a week later.
		rv("a1", "A", "", "h1", "", VerySatisfied, mar(3, 9)),
		rv("a2", "A", "", "h1", "", Satisfied, mar(3, 10)),
		rv("a3", "B", "", "h1", "", VerySatisfied, mar(3, 11)),
		rv("a4", "A", "", "h1", "", VerySatisfied, mar(3, 12)),
		rv("a5", "A", "", "h1", "", VerySatisfied, mar(10, 12)),
		// device d9: three raters, three good reviews within an hour.
		rv("b1", "C", "", "x1", "d9", VerySatisfied, mar(5, 9)),
		rv("b2", "C", "", "x2", "d9", VerySatisfied, mar(5, 9)),
		rv("b3", "C", "", "x3", "d9", VerySatisfied, mar(5, 10)),
		// rater h2: three reviews in a burst but one is bad: not praise.
		rv("c1", "A", "", "h2", "", VerySatisfied, mar(6, 9)),
		rv("c2", "A", "", "h2", "", Dissatisfied, mar(6, 9)),
		rv("c3", "A", "", "h2", "", VerySatisfied, mar(6, 10)),
	}
	p := BurstPolicy{Window: 24 * time.Hour, MinCount: 3, Ratings: []Rating{VerySatisfied, Satisfied}}
	sig, err := FakePraise(reviews, p)
	require.NoError(t, err)
	require.Len(t, sig, 2)
	assert.Equal(t, "rater:h1", sig[0].By)
	assert.Equal(t, SignalFakePraise, sig[0].Kind)
	assert.Equal(t, []string{"a1", "a2", "a3", "a4"}, sig[0].ReviewIDs, "a5 is a week later")
	assert.Equal(t, []string{"A", "B"}, sig[0].Units)
	assert.Equal(t, 4, sig[0].Count)
	assert.Equal(t, 3*time.Hour, sig[0].To.Sub(sig[0].From))
	assert.Contains(t, sig[0].Statistic, "4 reviews")
	assert.Equal(t, "device:d9", sig[1].By)
	assert.Equal(t, []string{"b1", "b2", "b3"}, sig[1].ReviewIDs)
	assert.Equal(t, "疑似刷好评", sig[0].Kind.Label())
}

func TestBurstsSplitAndMerge(t *testing.T) {
	p := BurstPolicy{Window: 2 * time.Hour, MinCount: 3, Ratings: []Rating{VerySatisfied}}
	var reviews []Review
	// two separate bursts of three (at hours 0,1,2 and 10,11,12) and a chain that keeps extending.
	for i, h := range []int{0, 1, 2, 10, 11, 12} {
		reviews = append(reviews, rv(string(rune('a'+i)), "A", "", "h", "", VerySatisfied, mar(3, h)))
	}
	sig, err := FakePraise(reviews, p)
	require.NoError(t, err)
	require.Len(t, sig, 2)
	assert.Equal(t, []string{"a", "b", "c"}, sig[0].ReviewIDs)
	assert.Equal(t, []string{"d", "e", "f"}, sig[1].ReviewIDs)

	reviews = nil
	for i := range 6 { // one every hour: every window of 2h holds 3, so one merged run
		reviews = append(reviews, rv(string(rune('a'+i)), "A", "", "h", "", VerySatisfied, mar(3, i)))
	}
	sig, err = FakePraise(reviews, p)
	require.NoError(t, err)
	require.Len(t, sig, 1)
	assert.Equal(t, 6, sig[0].Count)
}

// 001 (十): 恶意"差评" — one rater repeatedly against one unit or one staff member. Unfounded reviews
// still count: they are what this looks for.
func TestMaliciousBad(t *testing.T) {
	reviews := []Review{
		rv("m1", "A", "s1", "h1", "", Dissatisfied, mar(1, 9)),
		rv("m2", "A", "s1", "h1", "", VeryDissatisfied, mar(5, 9)),
		rv("m3", "A", "s2", "h1", "", VeryDissatisfied, mar(20, 9)),
		rv("m4", "B", "s1", "h1", "", VeryDissatisfied, mar(21, 9)),
		rv("ok", "A", "s1", "h1", "", VerySatisfied, mar(6, 9)),
		rv("n1", "C", "", "h2", "", VeryDissatisfied, mar(1, 9)),
		rv("n2", "C", "", "h2", "", VeryDissatisfied, on(time.May, 1, 9)), // outside the window
	}
	reviews[2].Unfounded = true
	sig, err := MaliciousBad(reviews, DefaultMaliciousBad())
	require.NoError(t, err)
	require.Len(t, sig, 2)
	// ordered by From, By, Against: "staff:s1" before "unit:A".
	// against staff s1 (across units A and B): m1 m2 m4.
	assert.Equal(t, "staff:s1", sig[0].Against)
	assert.Equal(t, []string{"m1", "m2", "m4"}, sig[0].ReviewIDs)
	assert.Equal(t, []string{"A", "B"}, sig[0].Units)
	// against unit A: m1 m2 m3 within 30 days (m3 unfounded, still counted).
	assert.Equal(t, "unit:A", sig[1].Against)
	assert.Equal(t, []string{"m1", "m2", "m3"}, sig[1].ReviewIDs)
	for _, s := range sig {
		assert.Equal(t, "rater:h1", s.By)
		assert.Equal(t, SignalMaliciousBad, s.Kind)
		assert.Contains(t, s.Statistic, "bad reviews from one rater")
	}
}

func TestBurstPolicyValidate(t *testing.T) {
	for name, p := range map[string]BurstPolicy{
		"zero window":    {MinCount: 3, Ratings: []Rating{VerySatisfied}},
		"min count 1":    {Window: time.Hour, MinCount: 1, Ratings: []Rating{VerySatisfied}},
		"no ratings":     {Window: time.Hour, MinCount: 3},
		"invalid rating": {Window: time.Hour, MinCount: 3, Ratings: []Rating{"six"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := FakePraise(nil, p)
			assert.ErrorIs(t, err, ErrInvalidPolicy)
			_, err = MaliciousBad(nil, p)
			assert.ErrorIs(t, err, ErrInvalidPolicy)
		})
	}
	assert.NoError(t, DefaultFakePraise().Validate())
}

func TestWeekStart(t *testing.T) {
	// 2025-03-05 is a Wednesday; its week starts Monday 2025-03-03.
	assert.True(t, mar(3, 0).Equal(WeekStart(mar(5, 15))))
	assert.True(t, mar(3, 0).Equal(WeekStart(mar(3, 0))))
	assert.True(t, mar(3, 0).Equal(WeekStart(mar(9, 23))), "Sunday belongs to the week before")
	// An instant given in UTC is read in Asia/Shanghai: 2025-03-02 17:00 UTC is Monday 01:00 there.
	assert.True(t, mar(3, 0).Equal(WeekStart(time.Date(2025, 3, 2, 17, 0, 0, 0, time.UTC))))
}

// Hot spots (投诉集中) by matter, place and time: 001 (七) "对企业群众反映强烈、'差评'集中的问题，要及时调查".
func TestHotSpots(t *testing.T) {
	var cases []CaseRecord
	n := 0
	add := func(matter, place string, week, count int) {
		for range count {
			n++
			cases = append(cases, CaseRecord{ID: "H" + string(rune('A'+n/26)) + string(rune('a'+n%26)), Unit: "A",
				Matter: matter, Place: place, ReceivedAt: on(time.January, 6, 10).AddDate(0, 0, 7*week)})
		}
	}
	// noise: 2,3,2,3 cases a week for weeks 0–3; week 4 jumps to 12.
	for w, c := range []int{2, 3, 2, 3} {
		add("noise", "P1", w, c)
	}
	add("noise", "P1", 4, 12)
	// flat: 4 a week throughout — never a hot spot.
	for w := range 5 {
		add("flat", "P1", w, 4)
	}
	// small: zero history then 3 cases: below MinCount.
	add("small", "P2", 4, 3)
	// same matter, another place: independent series.
	add("noise", "P9", 4, 1)

	p := HotSpotPolicy{History: 4, K: Int(3), MinCount: 5}
	from, to := on(time.January, 6, 0), on(time.February, 10, 0) // weeks of Jan 6 … Feb 3
	hs, err := HotSpots(cases, from, to, p)
	require.NoError(t, err)
	require.Len(t, hs, 1)
	h := hs[0]
	assert.Equal(t, "noise", h.Matter)
	assert.Equal(t, "P1", h.Place)
	assert.True(t, on(time.February, 3, 0).Equal(h.Week))
	assert.Equal(t, int64(12), h.Count)
	// history 2,3,2,3: mean 2.5, population sd 0.5 → floored to 1; z = (12 − 2.5) / 1 = 9.5
	assert.Equal(t, "2.5", h.Mean.String())
	assert.Equal(t, "0.5", h.SD.String())
	assert.Equal(t, "9.5", h.Z.String())
	assert.Len(t, h.CaseIDs, 12)
	assert.Contains(t, h.Statistic, "trailing 4 weeks")

	t.Run("sd above the floor", func(t *testing.T) {
		var cs []CaseRecord
		cases, n = nil, 0
		for w, c := range []int{0, 10, 0, 10} {
			add("wave", "P", w, c)
		}
		add("wave", "P", 4, 30)
		cs = cases
		hs, err := HotSpots(cs, from, to, p)
		require.NoError(t, err)
		require.Len(t, hs, 1)
		// mean 5, sd 5, z = (30 − 5) / 5 = 5
		assert.Equal(t, "5", hs[0].SD.String())
		assert.Equal(t, "5", hs[0].Z.String())
	})
	t.Run("policy and range", func(t *testing.T) {
		_, err := HotSpots(nil, from, to, HotSpotPolicy{History: 1, K: One, MinCount: 1})
		assert.ErrorIs(t, err, ErrInvalidPolicy)
		_, err = HotSpots(nil, from, to, HotSpotPolicy{History: 4, K: 0, MinCount: 1})
		assert.ErrorIs(t, err, ErrInvalidPolicy)
		_, err = HotSpots(nil, from, to, HotSpotPolicy{History: 4, K: One, MinCount: 0})
		assert.ErrorIs(t, err, ErrInvalidPolicy)
		_, err = HotSpots(nil, to, from, p)
		assert.ErrorIs(t, err, ErrInvalidPeriod)
		_, err = HotSpots(nil, time.Time{}, to, p)
		assert.ErrorIs(t, err, ErrInvalidPeriod, "a zero from would count weeks since year 1")
		_, err = HotSpots(nil, from, from.AddDate(21, 0, 0), p)
		require.ErrorIs(t, err, ErrInvalidPeriod)
		assert.Contains(t, err.Error(), "at most 1044")
		_, err = HotSpots(nil, from, from.AddDate(19, 0, 0), p)
		assert.NoError(t, err)
		assert.NoError(t, DefaultHotSpot().Validate())
	})
}
