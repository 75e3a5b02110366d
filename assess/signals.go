package assess

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// SignalKind names what a [Signal] points at.
type SignalKind string

// The signal kinds of 001 (十) "及时查处弄虚作假刷'好评'和恶意'差评'的行为" and DESIGN §6 hot spots.
const (
	SignalFakePraise   SignalKind = "fake_praise"          // 刷好评
	SignalMaliciousBad SignalKind = "malicious_bad_review" // 恶意差评
)

// Label returns the Chinese name of the kind.
func (k SignalKind) Label() string {
	switch k {
	case SignalFakePraise:
		return "疑似刷好评"
	case SignalMaliciousBad:
		return "疑似恶意差评"
	}
	return ""
}

// Signal is a pattern in the reviews worth a person's look. It is never a verdict: 001 (十) asks for
// fake praise and malicious bad reviews to be investigated (查处), and a burst of reviews can be
// honest. A Signal carries the statistic and the evidence (the review IDs) so the check can start.
type Signal struct {
	Kind SignalKind `json:"kind"`
	// By is who gave the reviews: "rater:<hashed ID>" or "device:<hashed ID>".
	By string `json:"by"`
	// Against is, for malicious bad reviews, the target: "unit:<ID>" or "staff:<ID>".
	Against string `json:"against,omitempty"`
	// Units are the units the reviews rate, sorted.
	Units     []string  `json:"units"`
	From      time.Time `json:"from"` // first review of the burst
	To        time.Time `json:"to"`   // last review of the burst
	Count     int       `json:"count"`
	ReviewIDs []string  `json:"review_ids"` // in time order
	// Statistic states the test that fired, with its numbers.
	Statistic string `json:"statistic"`
}

// BurstPolicy says when reviews from one source form a burst: at least MinCount of them, of the given
// levels, with at most Window between the first and the last.
type BurstPolicy struct {
	Window   time.Duration `json:"window"` // nanoseconds in JSON
	MinCount int           `json:"min_count"`
	Levels   []Level       `json:"levels"`
}

// Validate reports whether p is usable.
func (p BurstPolicy) Validate() error {
	if p.Window <= 0 {
		return fieldErr(ErrInvalidPolicy, "burst policy", "window", p.Window.String(), "is not positive")
	}
	if p.MinCount < 2 {
		return fieldErr(ErrInvalidPolicy, "burst policy", "min_count", fmt.Sprint(p.MinCount), "is below 2: one review is not a burst")
	}
	if len(p.Levels) == 0 {
		return fieldErr(ErrInvalidPolicy, "burst policy", "levels", "", "is empty")
	}
	for _, l := range p.Levels {
		if !l.Valid() {
			return fieldErr(ErrInvalidPolicy, "burst policy", "levels", fmt.Sprint(int(l)), "is not a level 1–5")
		}
	}
	return nil
}

// DefaultFakePraise returns a starting policy for fake praise: 5 or more 非常满意/满意 reviews from one
// rater or one device within 24 hours. None of the documents sets figures; tune them on local data.
func DefaultFakePraise() BurstPolicy {
	return BurstPolicy{Window: 24 * time.Hour, MinCount: 5, Levels: []Level{VerySatisfied, Satisfied}}
}

// DefaultMaliciousBad returns a starting policy for malicious bad reviews: 3 or more bad reviews (不满意
// or 非常不满意) from one rater against one unit or one staff member within 30 days. None of the
// documents sets figures; tune them on local data.
func DefaultMaliciousBad() BurstPolicy {
	return BurstPolicy{Window: 30 * 24 * time.Hour, MinCount: 3, Levels: []Level{Dissatisfied, VeryDissatisfied}}
}

// FakePraise returns bursts of reviews at p.Levels from one rater, and separately from one device
// (001 (十) 刷好评). Every review counts, unfounded or not. Signals are ordered by From, then By.
func FakePraise(reviews []Review, p BurstPolicy) ([]Signal, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	keyed := func(prefix string, key func(*Review) string) map[string][]*Review {
		m := map[string][]*Review{}
		for i := range reviews {
			r := &reviews[i]
			if k := key(r); k != "" && slices.Contains(p.Levels, r.Level) {
				m[prefix+k] = append(m[prefix+k], r)
			}
		}
		return m
	}
	var out []Signal
	for _, groups := range []map[string][]*Review{
		keyed("rater:", func(r *Review) string { return r.Rater }),
		keyed("device:", func(r *Review) string { return r.Device }),
	} {
		for by, rs := range groups {
			for _, b := range bursts(rs, p) {
				b.Kind, b.By = SignalFakePraise, by
				b.Statistic = fmt.Sprintf("%d reviews at levels %v from one %s within %s (policy: ≥ %d within %s)",
					b.Count, p.Levels, kindOf(by), b.To.Sub(b.From), p.MinCount, p.Window)
				out = append(out, b)
			}
		}
	}
	sortSignals(out)
	return out, nil
}

// MaliciousBad returns bursts of bad reviews (levels in p.Levels, normally 不满意 and 非常不满意) from one
// rater against one unit, and separately against one staff member (001 (十) 恶意差评). Every review
// counts, unfounded or not: a review later ruled unfounded is exactly what this looks for.
func MaliciousBad(reviews []Review, p BurstPolicy) ([]Signal, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	type key struct{ by, against string }
	groups := map[key][]*Review{}
	for i := range reviews {
		r := &reviews[i]
		if r.Rater == "" || !slices.Contains(p.Levels, r.Level) {
			continue
		}
		groups[key{"rater:" + r.Rater, "unit:" + r.Unit}] = append(groups[key{"rater:" + r.Rater, "unit:" + r.Unit}], r)
		if r.Staff != "" {
			groups[key{"rater:" + r.Rater, "staff:" + r.Staff}] = append(groups[key{"rater:" + r.Rater, "staff:" + r.Staff}], r)
		}
	}
	var out []Signal
	for k, rs := range groups {
		for _, b := range bursts(rs, p) {
			b.Kind, b.By, b.Against = SignalMaliciousBad, k.by, k.against
			b.Statistic = fmt.Sprintf("%d bad reviews from one rater against %s within %s (policy: ≥ %d within %s)",
				b.Count, k.against, b.To.Sub(b.From), p.MinCount, p.Window)
			out = append(out, b)
		}
	}
	sortSignals(out)
	return out, nil
}

func kindOf(by string) string {
	if len(by) > 6 && by[:6] == "device" {
		return "device"
	}
	return "rater"
}

func sortSignals(s []Signal) {
	slices.SortFunc(s, func(a, b Signal) int {
		return cmp.Or(a.From.Compare(b.From), cmp.Compare(a.By, b.By), cmp.Compare(a.Against, b.Against))
	})
}

// bursts finds the maximal runs of rs (one source) in which some window of length p.Window holds at
// least p.MinCount reviews; overlapping qualifying windows merge into one signal.
func bursts(rs []*Review, p BurstPolicy) []Signal {
	slices.SortFunc(rs, func(a, b *Review) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID)) })
	var out []Signal
	lo, runStart, runEnd := 0, -1, -1
	flush := func() {
		if runStart < 0 {
			return
		}
		s := Signal{From: rs[runStart].At, To: rs[runEnd].At, Count: runEnd - runStart + 1}
		units := map[string]bool{}
		for _, r := range rs[runStart : runEnd+1] {
			s.ReviewIDs = append(s.ReviewIDs, r.ID)
			units[r.Unit] = true
		}
		for u := range units {
			s.Units = append(s.Units, u)
		}
		slices.Sort(s.Units)
		out = append(out, s)
		runStart, runEnd = -1, -1
	}
	for hi := range rs {
		for rs[hi].At.Sub(rs[lo].At) > p.Window {
			lo++
		}
		if hi-lo+1 < p.MinCount {
			continue
		}
		if runStart >= 0 && lo > runEnd {
			flush()
		}
		if runStart < 0 {
			runStart = lo
		}
		runEnd = hi
	}
	flush()
	return out
}

// HotSpotPolicy says when a matter × place is a hot spot (投诉集中, 001 (七) "差评集中的问题", DESIGN §6):
// a week whose count is at least MinCount and whose z-score against the same matter × place's own
// trailing History weeks exceeds K.
type HotSpotPolicy struct {
	History  int   `json:"history"`   // trailing weeks compared against
	K        Fixed `json:"k"`         // z-score threshold
	MinCount int64 `json:"min_count"` // a week below this is never a hot spot
}

// DefaultHotSpot returns a starting policy: 8 weeks of history, z > 3, at least 5 cases in the week.
func DefaultHotSpot() HotSpotPolicy { return HotSpotPolicy{History: 8, K: Int(3), MinCount: 5} }

// Validate reports whether p is usable.
func (p HotSpotPolicy) Validate() error {
	if p.History < 2 || p.History > 520 {
		return fieldErr(ErrInvalidPolicy, "hot-spot policy", "history", fmt.Sprint(p.History), "is not in [2, 520] weeks")
	}
	if p.K <= 0 {
		return fieldErr(ErrInvalidPolicy, "hot-spot policy", "k", p.K.String(), "is not positive")
	}
	if p.MinCount < 1 {
		return fieldErr(ErrInvalidPolicy, "hot-spot policy", "min_count", fmt.Sprint(p.MinCount), "is below 1")
	}
	return nil
}

// HotSpot is a week in which a matter × place had many more cases than its own history: a signal for
// 综合分析整改 (001 (七)), not a verdict.
type HotSpot struct {
	Matter string    `json:"matter"`
	Place  string    `json:"place"`
	Week   time.Time `json:"week"` // Monday 00:00 Asia/Shanghai
	Count  int64     `json:"count"`
	// Mean and SD are the mean and population standard deviation of the trailing History weekly counts;
	// Z = (Count − Mean) / max(SD, 1), the floor of 1 keeping a flat history from making every small
	// rise infinite.
	Mean      Fixed    `json:"mean"`
	SD        Fixed    `json:"sd"`
	Z         Fixed    `json:"z"`
	History   int      `json:"history"`
	Statistic string   `json:"statistic"`
	CaseIDs   []string `json:"case_ids"` // the week's cases, sorted
}

// WeekStart returns Monday 00:00 Asia/Shanghai of the week holding t.
func WeekStart(t time.Time) time.Time {
	t = t.In(deadline.Shanghai())
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, deadline.Shanghai())
	off := (int(d.Weekday()) + 6) % 7 // days since Monday
	return d.AddDate(0, 0, -off)
}

// maxHotSpotWeeks bounds the range [HotSpots] counts over: it keeps one count per week for every matter ×
// place, so a range from the zero time would otherwise take gigabytes.
const maxHotSpotWeeks = 1044

// HotSpots counts the cases received in the whole weeks [WeekStart(from), WeekStart(to)) by matter ×
// place × week, and returns every week that has History full weeks before it in the range and is a hot
// spot under p. Cases with neither matter nor place are skipped. Results are ordered by week, matter,
// place. The arithmetic is exact (fixed-point, integer square root), so results do not depend on the
// platform. A zero from, or a range of more than 1,044 weeks (20 years), is an error wrapping
// [ErrInvalidPeriod].
func HotSpots(cases []CaseRecord, from, to time.Time, p HotSpotPolicy) ([]HotSpot, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if from.IsZero() {
		return nil, fieldErr(ErrInvalidPeriod, "hot spots", "from", "", "is zero")
	}
	first, last := WeekStart(from), WeekStart(to)
	if !first.Before(last) {
		return nil, fieldErr(ErrInvalidPeriod, "hot spots", "to", to.Format(time.RFC3339), "is not in a later week than from")
	}
	// time.Duration saturates at about 292 years, so this cannot overflow.
	if n := last.Sub(first) / (7 * 24 * time.Hour); n > maxHotSpotWeeks {
		return nil, fieldErr(ErrInvalidPeriod, "hot spots", "to", to.Format(time.RFC3339),
			fmt.Sprintf("is %d weeks after from; at most %d (20 years) are counted at once", n, maxHotSpotWeeks))
	}
	var weeks []time.Time
	for w := first; w.Before(last); w = w.AddDate(0, 0, 7) {
		weeks = append(weeks, w)
	}
	type key struct{ matter, place string }
	counts := map[key][]int64{}
	ids := map[key]map[int][]string{}
	for i := range cases {
		c := &cases[i]
		if c.Matter == "" && c.Place == "" || c.ReceivedAt.Before(first) || !c.ReceivedAt.Before(last) {
			continue
		}
		k := key{c.Matter, c.Place}
		wk, _ := slices.BinarySearchFunc(weeks, c.ReceivedAt, func(w, t time.Time) int {
			if w.After(t) {
				return 1
			}
			return -1
		})
		wk-- // the last week starting at or before ReceivedAt
		if counts[k] == nil {
			counts[k] = make([]int64, len(weeks))
			ids[k] = map[int][]string{}
		}
		counts[k][wk]++
		ids[k][wk] = append(ids[k][wk], c.ID)
	}
	var out []HotSpot
	W := int64(p.History)
	for k, series := range counts {
		for w := p.History; w < len(series); w++ {
			x := series[w]
			if x < p.MinCount {
				continue
			}
			var sum, sq int64
			for _, v := range series[w-p.History : w] {
				sum += v
				sq += v * v
			}
			mean := Fixed(mulDivRound(sum, int64(One), W))
			sd := isqrtFixed(W*sq-sum*sum, W*W)
			z := (Int(x) - mean).Div(max(sd, One))
			if z <= p.K {
				continue
			}
			caseIDs := slices.Clone(ids[k][w])
			slices.Sort(caseIDs)
			out = append(out, HotSpot{
				Matter: k.matter, Place: k.place, Week: weeks[w], Count: x,
				Mean: mean, SD: sd, Z: z, History: p.History,
				Statistic: fmt.Sprintf("z = (count − mean) / max(sd, 1) over the trailing %d weeks = (%d − %s) / %s = %s > k = %s",
					p.History, x, mean, max(sd, One), z, p.K),
				CaseIDs: caseIDs,
			})
		}
	}
	slices.SortFunc(out, func(a, b HotSpot) int {
		return cmp.Or(a.Week.Compare(b.Week), cmp.Compare(a.Matter, b.Matter), cmp.Compare(a.Place, b.Place))
	})
	return out, nil
}

// isqrtFixed returns sqrt(num/den) as a Fixed, truncated: floor(sqrt(num × 10¹² / den)) millionths.
func isqrtFixed(num, den int64) Fixed {
	if num <= 0 || den <= 0 {
		return 0
	}
	n := new(big.Int).Mul(big.NewInt(num), big.NewInt(int64(One)*int64(One)))
	n.Quo(n, big.NewInt(den))
	return Fixed(n.Sqrt(n).Int64())
}
