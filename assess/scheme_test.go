package assess

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func unitScore(t *testing.T, r Result, unit string) UnitScore {
	t.Helper()
	u, ok := r.Unit(unit)
	require.True(t, ok, "unit %s", unit)
	return u
}

func TestPresetsValidate(t *testing.T) {
	for _, s := range Presets() {
		t.Run(s.Name, func(t *testing.T) {
			require.NoError(t, s.Validate())
			var sum Fixed
			for _, it := range s.Items {
				sum += it.Weight
			}
			assert.Equal(t, Int(100), sum)
		})
	}
}

// 004 §15 (一) 1: the four contents; (一) 2: three bonus items; (一) 3: four deduction items.
func TestStreetHotlinePresetContents(t *testing.T) {
	s := StreetHotline()
	var labels []string
	for _, it := range s.Items {
		labels = append(labels, it.Label)
		assert.Equal(t, Int(25), it.Weight, "004 sets no weights: equal 25 each")
	}
	assert.Equal(t, []string{"实际解决率", "市民满意率", "先行联系与态度", "办理时效与办结报告"}, labels)
	var bonus, deduction int
	for _, a := range s.Adjustments {
		switch a.Kind {
		case Bonus:
			bonus++
		case Deduction:
			deduction++
		}
		assert.Contains(t, a.Source, "004 §15 (一)")
	}
	assert.Equal(t, 3, bonus, "004 §15 (一) 2")
	assert.Equal(t, 4, deduction, "004 §15 (一) 3")
}

// 002 §9: 被投诉率, 按期办结率, 抽查回访满意率.
func TestHebiPresetContents(t *testing.T) {
	s := Hebi()
	require.Len(t, s.Items, 3)
	assert.Equal(t, []IndicatorID{ComplaintRate}, s.Items[0].Indicators)
	assert.Equal(t, ScoreInverse, s.Items[0].Scoring.Kind, "lower complaint rate is better")
	assert.Equal(t, []IndicatorID{OnTimeRate}, s.Items[1].Indicators)
	assert.Equal(t, []IndicatorID{SatisfactionRate}, s.Items[2].Indicators)
}

func TestBeijingPresetContents(t *testing.T) {
	s := Beijing3Rates()
	require.Len(t, s.Items, 3)
	assert.Equal(t, []IndicatorID{FirstContactRate}, s.Items[0].Indicators, "响应率")
	assert.Equal(t, []IndicatorID{ResolutionRate}, s.Items[1].Indicators, "解决率")
	assert.Equal(t, []IndicatorID{SatisfactionRate}, s.Items[2].Indicators, "满意率")
}

// Hand-computed scores of the fixture's unit A (March 2025) under each preset.
func TestPresetScoresFixture(t *testing.T) {
	t.Run("street hotline 004 §15", func(t *testing.T) {
		r, err := Score(fixtureInput(), StreetHotline(), marchQuery())
		require.NoError(t, err)
		a := unitScore(t, r, "A")
		// resolution 2/3 → 0.666667 × 25 = 16.666675
		// satisfaction 2/3 → 16.666675
		// first contact 3/5 and attitude 1/2 → mean 0.55 × 25 = 13.75
		// on time 2/6 = 0.333333 and report 1/2 → mean 0.4166665 → 0.416667 × 25 = 10.416675
		want := []ItemScore{
			{Item: "resolution", Defined: true, Fraction: 666_667, Points: 16_666_675},
			{Item: "satisfaction", Defined: true, Fraction: 666_667, Points: 16_666_675},
			{Item: "contact_attitude", Defined: true, Fraction: 550_000, Points: 13_750_000},
			{Item: "timeliness_report", Defined: true, Fraction: 416_667, Points: 10_416_675},
		}
		assert.Equal(t, want, a.Items)
		assert.Equal(t, "57.500025", a.Base.String())
		// 004 §15 (一) 2: lead_hard_cases ×3 = 3 points, capped at 2.
		// 004 §15 (一) 3: false_report 2; cold_attitude ×6 = 12, capped at 10. media_exposure is in April.
		assert.Equal(t, []AdjustmentScore{
			{Item: "lead_hard_cases", Kind: Bonus, Count: 3, Points: Int(2), Capped: true},
			{Item: "false_report", Kind: Deduction, Count: 1, Points: Int(2)},
			{Item: "cold_attitude", Kind: Deduction, Count: 6, Points: Int(10), Capped: true},
		}, a.Adjustments)
		assert.Equal(t, Int(2), a.Bonus)
		assert.Equal(t, Int(12), a.Deduction)
		assert.Equal(t, "47.500025", a.Total.String())

		b := unitScore(t, r, "B")
		// resolution 1/2 → 12.5; the rest full → 87.5
		assert.Equal(t, "87.5", b.Total.String())
	})
	t.Run("hebi 002 §9", func(t *testing.T) {
		in := fixtureInput()
		in.Adjustments = nil
		r, err := Score(in, Hebi(), marchQuery())
		require.NoError(t, err)
		a := unitScore(t, r, "A")
		// complaint 1/6 = 0.166667 → (1 − 0.166667) × 34 = 28.333322
		// on time 2/6 = 0.333333 × 33 = 10.999989
		// satisfaction 2/3 = 0.666667 × 33 = 22.000011
		assert.Equal(t, Fixed(28_333_322), a.Items[0].Points)
		assert.Equal(t, Fixed(10_999_989), a.Items[1].Points)
		assert.Equal(t, Fixed(22_000_011), a.Items[2].Points)
		assert.Equal(t, "61.333322", a.Total.String())
	})
	t.Run("beijing 三率", func(t *testing.T) {
		in := fixtureInput()
		in.Adjustments = nil
		r, err := Score(in, Beijing3Rates(), marchQuery())
		require.NoError(t, err)
		a := unitScore(t, r, "A")
		// response 3/5 × 34 = 20.4; resolution 0.666667 × 33 = 22.000011; satisfaction the same
		assert.Equal(t, "64.400022", a.Total.String())
	})
}

// An item with no data: reweight scales the others up, full awards the weight, zero nothing.
func TestMissingRules(t *testing.T) {
	// Unit D: cases replied on time, no callbacks: resolution and satisfaction undefined.
	in := Input{Cases: []CaseRecord{
		{ID: "D1", Unit: "D", ReceivedAt: mar(3, 9), FirstContactDue: mar(4, 9), FirstContactAt: mar(3, 10), ReplyDue: mar(10, 9), RepliedAt: mar(6, 9)},
		{ID: "D2", Unit: "D", ReceivedAt: mar(3, 9), FirstContactDue: mar(4, 9), FirstContactAt: mar(5, 10), ReplyDue: mar(10, 9), RepliedAt: mar(6, 9)},
	}}
	// contact_attitude: first contact 1/2, attitude undefined → 0.5 × 25 = 12.5
	// timeliness_report: on time 2/2, report undefined → 1 × 25 = 25
	tests := []struct {
		rule MissingRule
		want string
	}{
		{MissingReweight, "75"}, // 37.5 × 100 / 50
		{MissingFull, "87.5"},   // 37.5 + 25 + 25
		{MissingZero, "37.5"},
	}
	for _, tt := range tests {
		t.Run(string(tt.rule), func(t *testing.T) {
			s := StreetHotline()
			s.Missing = tt.rule
			r, err := Score(in, s, marchQuery())
			require.NoError(t, err)
			d := unitScore(t, r, "D")
			assert.False(t, d.Items[0].Defined)
			assert.Equal(t, tt.want, d.Total.String())
		})
	}
	t.Run("no data at all", func(t *testing.T) {
		r, err := Score(Input{Units: []string{"E"}}, StreetHotline(), marchQuery())
		require.NoError(t, err)
		assert.Equal(t, Fixed(0), unitScore(t, r, "E").Total)
	})
}

func TestScoringKinds(t *testing.T) {
	bands := Scoring{Kind: ScoreBands, Bands: []Band{{Min: 0, Fraction: One}, {Min: Int(1), Fraction: One / 2}, {Min: Int(3), Fraction: 0}}}
	tests := []struct {
		name string
		sc   Scoring
		v    Fixed
		want Fixed
	}{
		{"rate", Scoring{Kind: ScoreRate}, 953_000, 953_000},
		{"rate clamps", Scoring{Kind: ScoreRate}, 2 * One, One},
		{"inverse", Scoring{Kind: ScoreInverse}, 10_000, 990_000},
		{"per count", Scoring{Kind: ScorePerCount, PerCount: 100_000}, Int(3), 700_000},
		{"per count floors at 0", Scoring{Kind: ScorePerCount, PerCount: 500_000}, Int(3), 0},
		{"bands 0 overdue", bands, 0, One},
		{"bands 2 overdue", bands, Int(2), One / 2},
		{"bands 3 overdue", bands, Int(3), 0},
		{"bands below every min", Scoring{Kind: ScoreBands, Bands: []Band{{Min: 900_000, Fraction: One}}}, 800_000, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, scoreItem(tt.sc, tt.v)) })
	}
}

func TestSchemeValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Scheme)
		field  string
	}{
		{"no name", func(s *Scheme) { s.Name = "" }, "name"},
		{"no items", func(s *Scheme) { s.Items = nil }, "items"},
		{"weights not 100", func(s *Scheme) { s.Items[0].Weight = Int(30) }, "items[].weight"},
		{"zero weight", func(s *Scheme) { s.Items[0].Weight = 0 }, "weight"},
		{"duplicate item", func(s *Scheme) { s.Items[1].ID = s.Items[0].ID }, "id"},
		{"empty item id", func(s *Scheme) { s.Items[1].ID = "" }, "id"},
		{"no indicators", func(s *Scheme) { s.Items[0].Indicators = nil }, "indicators"},
		{"unknown indicator", func(s *Scheme) { s.Items[0].Indicators = []IndicatorID{"speed"} }, "indicators"},
		{"rate scoring of a count", func(s *Scheme) { s.Items[0].Indicators = []IndicatorID{OverdueCount} }, "scoring.kind"},
		{"per-count scoring of a rate", func(s *Scheme) { s.Items[0].Scoring = Scoring{Kind: ScorePerCount, PerCount: 1} }, "scoring.kind"},
		{"per-count zero", func(s *Scheme) {
			s.Items[0].Indicators = []IndicatorID{OverdueCount}
			s.Items[0].Scoring = Scoring{Kind: ScorePerCount}
		}, "scoring.per_count"},
		{"unknown scoring", func(s *Scheme) { s.Items[0].Scoring.Kind = "log" }, "scoring.kind"},
		{"empty bands", func(s *Scheme) { s.Items[0].Scoring = Scoring{Kind: ScoreBands} }, "scoring.bands"},
		{"bands not ascending", func(s *Scheme) {
			s.Items[0].Scoring = Scoring{Kind: ScoreBands, Bands: []Band{{Min: One}, {Min: One}}}
		}, "scoring.bands[1].min"},
		{"band fraction > 1", func(s *Scheme) {
			s.Items[0].Scoring = Scoring{Kind: ScoreBands, Bands: []Band{{Min: 0, Fraction: 2 * One}}}
		}, "scoring.bands[0].fraction"},
		{"adjustment id clash", func(s *Scheme) { s.Adjustments[0].ID = "resolution" }, "id"},
		{"adjustment kind", func(s *Scheme) { s.Adjustments[0].Kind = "reward" }, "kind"},
		{"adjustment points", func(s *Scheme) { s.Adjustments[0].Points = 0 }, "points"},
		{"adjustment cap", func(s *Scheme) { s.Adjustments[0].Cap = -1 }, "cap"},
		{"adjustment empty id", func(s *Scheme) { s.Adjustments[0].ID = "" }, "id"},
		{"bonus cap", func(s *Scheme) { s.BonusCap = Int(101) }, "bonus_cap"},
		{"deduction cap", func(s *Scheme) { s.DeductionCap = -1 }, "deduction_cap"},
		{"no satisfied levels", func(s *Scheme) { s.SatisfiedRatings = nil }, "satisfied_ratings"},
		{"bad level satisfied", func(s *Scheme) { s.SatisfiedRatings = []Rating{Dissatisfied} }, "satisfied_ratings"},
		{"invalid rating", func(s *Scheme) { s.SatisfiedRatings = []Rating{"great"} }, "satisfied_ratings"},
		{"sample not a count", func(s *Scheme) { s.Sample = OnTimeRate }, "sample"},
		{"unknown algorithm", func(s *Scheme) { s.Algorithm = "md5" }, "algorithm"},
		{"missing rule", func(s *Scheme) { s.Missing = "" }, "missing"},
		{"negative min sample", func(s *Scheme) { s.MinSample = -1 }, "min_sample"},
		{"unknown tie break", func(s *Scheme) { s.TieBreak = []IndicatorID{"luck"} }, "tie_break"},
		{"tie rule", func(s *Scheme) { s.Ties = "coin" }, "ties"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := StreetHotline()
			tt.mutate(&s)
			err := s.Validate()
			require.ErrorIs(t, err, ErrInvalidPolicy)
			var pe *PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Contains(t, pe.Field, tt.field)
			assert.Equal(t, s.Name, pe.Policy)
			assert.Contains(t, err.Error(), `assess: policy "`+s.Name+`": `)
			_, err = Score(Input{}, s, marchQuery())
			assert.ErrorIs(t, err, ErrInvalidPolicy)
		})
	}
}

func TestParseScheme(t *testing.T) {
	for _, p := range Presets() {
		b, err := json.Marshal(p)
		require.NoError(t, err)
		got, err := ParseScheme(b)
		require.NoError(t, err, "preset %s round-trips", p.Name)
		assert.Equal(t, p, got)
	}
	bad := []struct{ name, json string }{
		{"not json", "{"},
		{"unknown field", `{"id":"x","colour":"red"}`},
		{"trailing data", `{"id":"x"} {}`},
		{"float weight with too many digits", `{"id":"x","items":[{"id":"a","weight":33.3333333,"indicators":["on_time_rate"],"scoring":{"kind":"rate"}}]}`},
		{"invalid", `{"name":"x"}`},
		{"old key id", `{"id":"x"}`},
		{"numeric rating", `{"name":"x","satisfied_ratings":[1]}`},
		{"unknown rating", `{"name":"x","satisfied_ratings":["great"]}`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseScheme([]byte(tt.json))
			assert.Error(t, err)
		})
	}
	t.Run("minimal", func(t *testing.T) {
		s, err := ParseScheme([]byte(`{"name":"mini","items":[{"id":"ot","weight":100,"indicators":["on_time_rate"],"scoring":{"kind":"rate"}}],
			"satisfied_ratings":["very_satisfied","满意"],"missing":"zero","min_sample":0,"ties":"unit_id"}`))
		require.NoError(t, err)
		assert.Equal(t, Int(100), s.Items[0].Weight)
	})
}

func TestSchemeClone(t *testing.T) {
	s := StreetHotline()
	c := s.Clone()
	c.Items[0].Indicators[0] = OverdueCount
	c.SatisfiedRatings[0] = Satisfied
	assert.Equal(t, ResolutionRate, s.Items[0].Indicators[0])
	assert.Equal(t, VerySatisfied, s.SatisfiedRatings[0])
}

func FuzzParseScheme(f *testing.F) {
	for _, p := range Presets() {
		b, _ := json.Marshal(p)
		f.Add(b)
	}
	f.Add([]byte(`{"id":"x","items":[{"id":"a","weight":100,"indicators":["overdue_count"],"scoring":{"kind":"bands","bands":[{"min":0,"fraction":1},{"min":1,"fraction":0.5}]}}],"satisfied_levels":[1],"missing":"full","ties":"shared"}`))
	f.Add([]byte(`{"id":"x","items":[{"id":"a","weight":"100","indicators":["returns"],"scoring":{"kind":"per_count","per_count":0.1}}],"satisfied_levels":[1],"missing":"full","ties":"shared"}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"id":"x","items":[{"weight":1e3}]}`))
	// Issue 9: trailing data, duplicate and case-variant keys, huge numbers.
	valid, _ := json.Marshal(StreetHotline())
	for _, c := range strictjsontest.Cases(valid, 0) {
		f.Add(c.Input)
	}
	f.Add([]byte(`{"id":"x"}}`))
	f.Add([]byte(`{"id":"x","items":[{"id":"a","weight":100,"indicators":["returns"],"scoring":{"kind":"per_count","per_count":0.000001}}],"satisfied_levels":[1],"missing":"full","min_sample":9223372036854775807,"ties":"shared"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScheme(data)
		if err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("loaded scheme does not validate: %v", err)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		s2, err := ParseScheme(b)
		if err != nil {
			t.Fatalf("re-load of %s: %v", b, err)
		}
		b2, _ := json.Marshal(s2)
		if string(b) != string(b2) {
			t.Fatalf("round trip changed the scheme:\n%s\n%s", b, b2)
		}
		// A loaded scheme must score without panicking.
		if _, err := Score(fixtureNoAdjustments(), s, marchQuery()); err != nil {
			t.Fatalf("score with loaded scheme: %v", err)
		}
	})
}

// fixtureNoAdjustments returns the fixture without bonus or deduction awards, for any scheme.
func fixtureNoAdjustments() Input {
	in := fixtureInput()
	in.Adjustments = nil
	return in
}

// 004 §15 (一) 2–3: each bonus or deduction item is capped on its own, and the totals are capped by the
// scheme's BonusCap (5) and DeductionCap (20) in the StreetHotline preset.
func TestAdjustmentTotalCaps(t *testing.T) {
	in := fixtureInput()
	in.Adjustments = []Adjustment{
		// bonuses: 2 + 2 + 2 (each item's cap of 2) = 6 → total cap 5
		{Unit: "B", Item: "lead_hard_cases", Count: 3, At: mar(10, 9)},
		{Unit: "B", Item: "repeat_governance", Count: 2, At: mar(10, 9)},
		{Unit: "B", Item: "efficiency_gain", Count: 2, At: mar(10, 9)},
		// deductions: 10 + 10 + 4 = 24 → total cap 20
		{Unit: "B", Item: "false_report", Count: 5, At: mar(11, 9)},
		{Unit: "B", Item: "media_exposure", Count: 6, At: mar(11, 9)},
		{Unit: "B", Item: "buck_passing", Count: 2, At: mar(11, 9)},
	}
	r, err := Score(in, StreetHotline(), marchQuery())
	require.NoError(t, err)
	b := unitScore(t, r, "B")
	assert.Equal(t, []AdjustmentScore{
		{Item: "lead_hard_cases", Kind: Bonus, Count: 3, Points: Int(2), Capped: true},
		{Item: "repeat_governance", Kind: Bonus, Count: 2, Points: Int(2)},
		{Item: "efficiency_gain", Kind: Bonus, Count: 2, Points: Int(2)},
		{Item: "false_report", Kind: Deduction, Count: 5, Points: Int(10)},
		{Item: "media_exposure", Kind: Deduction, Count: 6, Points: Int(10), Capped: true},
		{Item: "buck_passing", Kind: Deduction, Count: 2, Points: Int(4)},
	}, b.Adjustments)
	assert.Equal(t, Int(5), b.Bonus, "bonus_cap 5")
	assert.Equal(t, Int(20), b.Deduction, "deduction_cap 20")
	assert.Equal(t, "72.5", b.Total.String(), "87.5 + 5 − 20")

	t.Run("no total caps", func(t *testing.T) {
		s := StreetHotline()
		s.BonusCap, s.DeductionCap = 0, 0
		r, err := Score(in, s, marchQuery())
		require.NoError(t, err)
		b := unitScore(t, r, "B")
		assert.Equal(t, Int(6), b.Bonus)
		assert.Equal(t, Int(24), b.Deduction)
		assert.Equal(t, "69.5", b.Total.String())
	})
}

// 001 (八): "定期公开各区、各部门'好差评'综合排名情况" — units ranked on their reviews, the sample
// being the counted reviews; unfounded reviews (000 §6 (二)) are left out.
func TestShanghaiReviewsRanking(t *testing.T) {
	s, err := Preset("shanghai-reviews")
	require.NoError(t, err)
	assert.Equal(t, ShanghaiReviews(), s)
	var in Input
	add := func(unit string, n int, r Rating, rectified, unfounded bool) {
		for range n {
			in.Reviews = append(in.Reviews, Review{ID: fmt.Sprintf("%s-%d", unit, len(in.Reviews)), Unit: unit,
				Rating: r, At: mar(10, 9), Rectified: rectified, Unfounded: unfounded})
		}
	}
	add("区A", 36, VerySatisfied, false, false)
	add("区A", 4, Dissatisfied, true, false) // 36/40 satisfied, bad reviews all rectified
	add("区B", 38, Satisfied, false, false)
	add("区B", 2, VeryDissatisfied, false, false) // 38/40 satisfied, none rectified
	add("区B", 9, VeryDissatisfied, false, true)  // ruled unfounded: not counted
	add("区C", 10, VerySatisfied, false, false)   // too few reviews to be ranked
	r, err := Score(in, s, marchQuery())
	require.NoError(t, err)
	a, b := unitScore(t, r, "区A"), unitScore(t, r, "区B")
	assert.Equal(t, int64(40), a.Sample)
	assert.Equal(t, int64(40), b.Sample, "unfounded reviews are not in the sample")
	// A: 70 × 0.9 + 30 × 1 = 93; B: 70 × 0.95 + 30 × 0 = 66.5.
	assert.Equal(t, "93", a.Total.String())
	assert.Equal(t, "66.5", b.Total.String())
	names, ranks := units(r.Ranking)
	assert.Equal(t, []string{"区A", "区B"}, names)
	assert.Equal(t, []int{1, 2}, ranks)
	require.Len(t, r.Ranking.NotRanked, 1)
	assert.Equal(t, "区C", r.Ranking.NotRanked[0].Unit)
	assert.Contains(t, r.Ranking.NotRanked[0].Reason, "sample 10 < minimum 30")
}

func TestPreset(t *testing.T) {
	for _, p := range Presets() {
		got, err := Preset(p.Name)
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	_, err := Preset("nowhere")
	assert.ErrorIs(t, err, ErrUnknownPreset)
	assert.Contains(t, err.Error(), "street-hotline")
}
