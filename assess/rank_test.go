package assess

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func us(unit string, total Fixed, sample int64, x Indicators) UnitScore {
	x.Unit = unit
	return UnitScore{Unit: unit, Total: total, Sample: sample, Indicators: x}
}

func units(r Ranking) (names []string, ranks []int) {
	for _, s := range r.Ranked {
		names = append(names, s.Unit)
		ranks = append(ranks, s.Rank)
	}
	return names, ranks
}

// 004 §14: monthly comprehensive ranking; the scheme's minimum sample per unit (no document sets one; the presets choose).
func TestRank(t *testing.T) {
	base := Scheme{MinSample: 5, Ties: TieByUnit}
	t.Run("by total, min sample", func(t *testing.T) {
		r := Rank([]UnitScore{
			us("A", Int(80), 10, Indicators{}),
			us("B", Int(90), 10, Indicators{}),
			us("C", Int(99), 4, Indicators{}),
		}, base)
		names, ranks := units(r)
		assert.Equal(t, []string{"B", "A"}, names)
		assert.Equal(t, []int{1, 2}, ranks)
		require.Len(t, r.NotRanked, 1)
		assert.Equal(t, "C", r.NotRanked[0].Unit)
		assert.Equal(t, "not ranked: sample 4 < minimum 5", r.NotRanked[0].Reason)
		assert.Zero(t, r.NotRanked[0].Rank)
	})
	t.Run("tie broken by indicator", func(t *testing.T) {
		s := base
		s.TieBreak = []IndicatorID{ResolutionRate, OverdueCount}
		r := Rank([]UnitScore{
			us("A", Int(80), 10, Indicators{Resolution: Rate{8, 10}, Overdue: 1}),
			us("B", Int(80), 10, Indicators{Resolution: Rate{9, 10}, Overdue: 5}),
			us("C", Int(80), 10, Indicators{Resolution: Rate{8, 10}, Overdue: 0}),
			us("D", Int(80), 10, Indicators{}), // resolution undefined ranks below defined
		}, s)
		names, ranks := units(r)
		assert.Equal(t, []string{"B", "C", "A", "D"}, names)
		assert.Equal(t, []int{1, 2, 3, 4}, ranks)
		assert.Equal(t, "equal total with B; below it on resolution_rate", r.Ranked[1].Reason)
		assert.Equal(t, "equal total with C; below it on overdue_count", r.Ranked[2].Reason)
	})
	t.Run("full tie by unit id", func(t *testing.T) {
		r := Rank([]UnitScore{us("B", Int(70), 9, Indicators{}), us("A", Int(70), 9, Indicators{})}, base)
		names, ranks := units(r)
		assert.Equal(t, []string{"A", "B"}, names)
		assert.Equal(t, []int{1, 2}, ranks)
		assert.Equal(t, "tied with A; ordered by unit ID", r.Ranked[1].Reason)
	})
	t.Run("full tie shared", func(t *testing.T) {
		s := base
		s.Ties = TieShared
		r := Rank([]UnitScore{
			us("C", Int(60), 9, Indicators{}), us("B", Int(70), 9, Indicators{}),
			us("A", Int(70), 9, Indicators{}), us("D", Int(90), 9, Indicators{}),
		}, s)
		names, ranks := units(r)
		assert.Equal(t, []string{"D", "A", "B", "C"}, names)
		assert.Equal(t, []int{1, 2, 2, 4}, ranks, "competition ranking")
	})
	t.Run("rank of the fixture", func(t *testing.T) {
		r, err := Score(fixtureInput(), StreetHotline(), marchQuery())
		require.NoError(t, err)
		names, _ := units(r.Ranking)
		assert.Equal(t, []string{"A"}, names, "B (2 cases) and Z (none) are below the minimum sample of 5")
		require.Len(t, r.Ranking.NotRanked, 2)
		assert.Equal(t, "B", r.Ranking.NotRanked[0].Unit)
		assert.Equal(t, "Z", r.Ranking.NotRanked[1].Unit)
	})
}

// 004 §14 季约谈: the heads of the units in the last 3 places of the quarterly ranking are summoned.
func TestBottomAndSummons(t *testing.T) {
	mk := func(ranks ...int) Ranking {
		var r Ranking
		for i, k := range ranks {
			r.Ranked = append(r.Ranked, Standing{Rank: k, Unit: string(rune('A' + i))})
		}
		return r
	}
	names := func(ss []Standing) (out []string) {
		for _, s := range ss {
			out = append(out, s.Unit)
		}
		return out
	}
	tests := []struct {
		name  string
		ranks []int
		want  []string
	}{
		{"distinct ranks", []int{1, 2, 3, 4, 5}, []string{"C", "D", "E"}},
		{"tie inside the bottom three", []int{1, 2, 3, 3, 5}, []string{"C", "D", "E"}},
		{"tie across the boundary brings in every tied unit", []int{1, 2, 2, 4, 5}, []string{"B", "C", "D", "E"}},
		{"fewer than three units", []int{1, 2}, []string{"A", "B"}},
		{"none", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, names(Summons(mk(tt.ranks...)))) })
	}
	assert.Nil(t, Bottom(mk(1, 2, 3), 0))
}
