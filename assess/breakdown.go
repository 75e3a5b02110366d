package assess

import (
	"cmp"
	"slices"
	"time"
)

// ReviewGroup is the five-rating distribution of the counted reviews sharing one value of the grouping
// attribute.
type ReviewGroup struct {
	Key     string   `json:"key"`
	Ratings [5]int64 `json:"ratings"` // Ratings[0] is 非常满意 … Ratings[4] is 非常不满意
	Total   int64    `json:"total"`
	Bad     int64    `json:"bad"` // 不满意 + 非常不满意
	// BadShare = Bad ÷ Total: where bad reviews concentrate (001 (十三) "差评比较集中的政务服务部门和
	// 人员" are to be supervised more closely).
	BadShare Rate `json:"bad_share"`
}

// Breakdown groups the reviews dated in [p.Start, min(p.End, asOf)) by the attribute by, excluding
// unfounded reviews (000 §6 (二)) and counting those with a pending appeal (only a review 复核认定为
// 不属实评价 is 不予采纳, 000 §6 (二)). Reviews whose
// attribute is empty are grouped under "". Groups are ordered by BadShare (highest first: most
// concentrated bad reviews), then Bad, then key. An invalid period or an unknown by is an error wrapping
// [ErrInvalidPeriod] or [ErrInvalidInput].
func Breakdown(reviews []Review, p Period, asOf time.Time, by GroupBy) ([]ReviewGroup, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var key func(*Review) string
	switch by {
	case ByUnit:
		key = func(r *Review) string { return r.Unit }
	case ByChannel:
		key = func(r *Review) string { return string(r.Channel) }
	case ByMatter:
		key = func(r *Review) string { return r.Matter }
	case ByWindow:
		key = func(r *Review) string { return r.Window }
	case ByStaff:
		key = func(r *Review) string { return r.Staff }
	default:
		return nil, fieldErr(ErrInvalidInput, "breakdown", "by", clip(string(by)), "is not unit, channel, matter, window or staff")
	}
	w := newWindow(p, asOf)
	groups := map[string]*ReviewGroup{}
	for i := range reviews {
		r := &reviews[i]
		if r.Unfounded || !r.Rating.Valid() || !w.in(r.At) {
			continue
		}
		k := key(r)
		g := groups[k]
		if g == nil {
			g = &ReviewGroup{Key: k}
			groups[k] = g
		}
		g.Ratings[r.Rating.Rank()-1]++
		g.Total++
		if r.Rating.Bad() {
			g.Bad++
		}
	}
	out := make([]ReviewGroup, 0, len(groups))
	for _, g := range groups {
		g.BadShare = Rate{Num: g.Bad, Den: g.Total}
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b ReviewGroup) int {
		return cmp.Or(cmp.Compare(b.BadShare.Value(), a.BadShare.Value()), cmp.Compare(b.Bad, a.Bad), cmp.Compare(a.Key, b.Key))
	})
	return out, nil
}
