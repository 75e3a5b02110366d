package assess

import (
	"cmp"
	"fmt"
	"slices"
)

// Standing is one unit's place in a [Ranking].
type Standing struct {
	Rank   int    `json:"rank,omitempty"` // 1-based; 0 for a unit not ranked
	Unit   string `json:"unit"`
	Total  Fixed  `json:"total"`
	Sample int64  `json:"sample"`
	// Reason explains the place: which tie-break decided it, or why the unit is not ranked.
	Reason string `json:"reason,omitempty"`
}

// Ranking is the order of units by total score (004 §14: 每月……综合排名). Units whose sample is below
// the scheme's MinSample are not ranked and are listed apart, by unit ID, saying so.
type Ranking struct {
	Ranked    []Standing `json:"ranked"`
	NotRanked []Standing `json:"not_ranked,omitempty"`
}

// Rank orders scores under s: higher Total first; equal totals are compared on s.TieBreak in order
// (each indicator in its better direction, a defined value before an undefined one), and units still
// equal are ordered by unit ID and either numbered on ([TieByUnit]) or given the same rank
// ([TieShared], competition ranking 1, 2, 2, 4). Rank does not modify scores.
func Rank(scores []UnitScore, s Scheme) Ranking {
	var r Ranking
	var cand []*UnitScore
	for i := range scores {
		u := &scores[i]
		if u.Sample < s.MinSample {
			r.NotRanked = append(r.NotRanked, Standing{Unit: u.Unit, Total: u.Total, Sample: u.Sample,
				Reason: fmt.Sprintf("not ranked: sample %d < minimum %d", u.Sample, s.MinSample)})
			continue
		}
		cand = append(cand, u)
	}
	slices.SortFunc(r.NotRanked, func(a, b Standing) int { return cmp.Compare(a.Unit, b.Unit) })
	// compare returns the order of a and b without the unit ID, and the indicator that decided it.
	compare := func(a, b *UnitScore) (int, IndicatorID) {
		if c := cmp.Compare(b.Total, a.Total); c != 0 {
			return c, ""
		}
		for _, id := range s.TieBreak {
			va, da := a.Indicators.Value(id)
			vb, db := b.Indicators.Value(id)
			switch {
			case da && !db:
				return -1, id
			case !da && db:
				return 1, id
			case !da && !db:
				continue
			}
			c := cmp.Compare(vb, va)
			if id.LowerIsBetter() {
				c = -c
			}
			if c != 0 {
				return c, id
			}
		}
		return 0, ""
	}
	slices.SortFunc(cand, func(a, b *UnitScore) int {
		if c, _ := compare(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.Unit, b.Unit)
	})
	for i, u := range cand {
		st := Standing{Rank: i + 1, Unit: u.Unit, Total: u.Total, Sample: u.Sample}
		if i > 0 {
			prev := cand[i-1]
			c, by := compare(prev, u)
			switch {
			case c == 0 && s.Ties == TieShared:
				st.Rank = r.Ranked[i-1].Rank
				st.Reason = "tied with " + prev.Unit
			case c == 0:
				st.Reason = "tied with " + prev.Unit + "; ordered by unit ID"
			case by != "":
				st.Reason = fmt.Sprintf("equal total with %s; below it on %s", prev.Unit, by)
			}
		}
		r.Ranked = append(r.Ranked, st)
	}
	return r
}

// Bottom returns the units in the last n places of r: the unit in place len−n+1 and every unit after
// it, plus any unit sharing the rank of that unit (so a tie at the boundary brings in every tied
// unit). With n = 3 this is 004 §14's 季约谈: "综合排名后 3 位的工单处置单位". Units not ranked are
// never included.
func Bottom(r Ranking, n int) []Standing {
	if n <= 0 || len(r.Ranked) == 0 {
		return nil
	}
	first := max(len(r.Ranked)-n, 0)
	boundary := r.Ranked[first].Rank
	for first > 0 && r.Ranked[first-1].Rank == boundary {
		first--
	}
	return slices.Clone(r.Ranked[first:])
}

// Summons returns the units a quarterly ranking sends to 约谈: the bottom three (004 §14).
func Summons(quarter Ranking) []Standing { return Bottom(quarter, 3) }
