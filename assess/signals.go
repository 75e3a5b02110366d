package assess

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

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
// ratings, with at most Window between the first and the last.
type BurstPolicy struct {
	Window   time.Duration `json:"window"` // nanoseconds in JSON
	MinCount int           `json:"min_count"`
	Ratings  []Rating      `json:"ratings"`
}

// Validate reports whether p is usable.
func (p BurstPolicy) Validate() error {
	bad := func(field, reason string) error { return &PolicyError{Policy: "burst", Field: field, Reason: reason} }
	if p.Window <= 0 {
		return bad("window", p.Window.String()+" is not positive")
	}
	if p.MinCount < 2 {
		return bad("min_count", fmt.Sprint(p.MinCount)+" is below 2: one review is not a burst")
	}
	if len(p.Ratings) == 0 {
		return bad("ratings", "is empty")
	}
	for _, l := range p.Ratings {
		if !l.Valid() {
			return bad("ratings", fmt.Sprintf("%q is not one of the five ratings", clip(string(l))))
		}
	}
	return nil
}

// DefaultFakePraise returns a starting policy for fake praise: 5 or more 非常满意/满意 reviews from one
// rater or one device within 24 hours. None of the documents sets figures; tune them on local data.
func DefaultFakePraise() BurstPolicy {
	return BurstPolicy{Window: 24 * time.Hour, MinCount: 5, Ratings: []Rating{VerySatisfied, Satisfied}}
}

// DefaultMaliciousBad returns a starting policy for malicious bad reviews: 3 or more bad reviews (不满意
// or 非常不满意) from one rater against one unit or one staff member within 30 days. None of the
// documents sets figures; tune them on local data.
func DefaultMaliciousBad() BurstPolicy {
	return BurstPolicy{Window: 30 * 24 * time.Hour, MinCount: 3, Ratings: []Rating{Dissatisfied, VeryDissatisfied}}
}

// FakePraise returns bursts of reviews rated p.Ratings from one rater, and separately from one device
// (001 (十) 刷好评). Every review counts, unfounded or not. Signals are ordered by From, then By.
func FakePraise(reviews []Review, p BurstPolicy) ([]Signal, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	keyed := func(prefix string, key func(*Review) string) map[string][]*Review {
		m := map[string][]*Review{}
		for i := range reviews {
			r := &reviews[i]
			if k := key(r); k != "" && slices.Contains(p.Ratings, r.Rating) {
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
				b.Statistic = fmt.Sprintf("%d reviews rated %v from one %s within %s (policy: ≥ %d within %s)",
					b.Count, p.Ratings, kindOf(by), b.To.Sub(b.From), p.MinCount, p.Window)
				out = append(out, b)
			}
		}
	}
	sortSignals(out)
	return out, nil
}

// MaliciousBad returns bursts of bad reviews (ratings in p.Ratings, normally 不满意 and 非常不满意) from one
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
		if r.Rater == "" || !slices.Contains(p.Ratings, r.Rating) {
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

// HotSpotPolicy says when a matter × place is a hot spot (投诉集中; 001 (七) "对企业群众反映强烈、'差评'
// 集中的问题，要及时调查"):
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
	bad := func(field, reason string) error {
		return &PolicyError{Policy: "hot_spot", Field: field, Reason: reason}
	}
	if p.History < 2 || p.History > 520 {
		return bad("history", fmt.Sprint(p.History)+" is not in [2, 520] weeks")
	}
	if p.K <= 0 {
		return bad("k", p.K.String()+" is not positive")
	}
	if p.MinCount < 1 {
		return bad("min_count", fmt.Sprint(p.MinCount)+" is below 1")
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
	t = t.In(deadline.Location())
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, deadline.Location())
	off := (int(d.Weekday()) + 6) % 7 // days since Monday
	return d.AddDate(0, 0, -off)
}

// maxHotSpotWeeks bounds the range [HotSpots] counts over (20 years). Memory does not depend on it —
// only the weeks that have data are kept — but a bulletin over more is not a hot-spot question.
const maxHotSpotWeeks = 1044

// HotSpots counts the cases received in the whole weeks [WeekStart(from), WeekStart(to)) by matter ×
// place × week, and returns every week that has History full weeks before it in the range and is a hot
// spot under p. Cases with neither matter nor place are skipped. Results are ordered by week, matter,
// place. The arithmetic is exact (fixed-point, integer square root), so results do not depend on the
// platform. Memory is one 8-byte entry per counted case plus the week table of the range, whatever
// the number of distinct matter × place keys (see BENCHMARKS.md). A zero from, or a range of more than 1,044 weeks (20 years), is an error wrapping
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
	if len(cases) > math.MaxInt32 {
		return nil, fieldErr(ErrInvalidInput, "hot spots", "cases", strconv.Itoa(len(cases)), fmt.Sprintf("are more than %d", math.MaxInt32))
	}
	// One entry per counted case (8 bytes), sorted by matter, place, week and ID: each matter × place is
	// then a run of entries and each of its weeks with data a sub-run, already in ID order. Memory
	// follows the cases, not the number of keys × the weeks of the range.
	type entry struct{ idx, week int32 }
	var entries []entry
	for i := range cases {
		c := &cases[i]
		if c.Matter == "" && c.Place == "" || c.ReceivedAt.Before(first) || !c.ReceivedAt.Before(last) {
			continue
		}
		wk, _ := slices.BinarySearchFunc(weeks, c.ReceivedAt, func(w, t time.Time) int {
			if w.After(t) {
				return 1
			}
			return -1
		})
		// wk ≥ 1: weeks[0] = first ≤ ReceivedAt. The last week starting at or before ReceivedAt is wk−1.
		entries = append(entries, entry{int32(i), int32(wk - 1)})
	}
	slices.SortFunc(entries, func(a, b entry) int {
		ca, cb := &cases[a.idx], &cases[b.idx]
		return cmp.Or(cmp.Compare(ca.Matter, cb.Matter), cmp.Compare(ca.Place, cb.Place),
			cmp.Compare(a.week, b.week), cmp.Compare(ca.ID, cb.ID))
	})
	// weekRun is one week with data of the current key: its index, count and entries.
	type weekRun struct {
		week   int32
		count  int64
		lo, hi int // entries[lo:hi]
	}
	var out []HotSpot
	var runs []weekRun // reused per key
	for lo := 0; lo < len(entries); {
		c0 := &cases[entries[lo].idx]
		hi := lo
		runs = runs[:0]
		for hi < len(entries) && cases[entries[hi].idx].Matter == c0.Matter && cases[entries[hi].idx].Place == c0.Place {
			if n := len(runs); n > 0 && runs[n-1].week == entries[hi].week {
				runs[n-1].count++
				runs[n-1].hi = hi + 1
			} else {
				runs = append(runs, weekRun{week: entries[hi].week, count: 1, lo: hi, hi: hi + 1})
			}
			hi++
		}
		// Only a week with data can reach MinCount ≥ 1; its trailing History weeks are the runs with a
		// week in [w − History, w), the others counting 0.
		first := 0
		for j, run := range runs {
			w := int(run.week)
			if w < p.History || run.count < p.MinCount {
				continue
			}
			for int(runs[first].week) < w-p.History {
				first++
			}
			var sum, sq int64
			for _, h := range runs[first:j] {
				sum += h.count
				sq += h.count * h.count // count ≤ len(cases) < 2³¹: the square fits
			}
			mean := Fixed(mulDivRound(sum, int64(One), int64(p.History)))
			sd := sdFixed(sum, sq, int64(p.History))
			z := (Int(run.count) - mean).Div(max(sd, One))
			if z <= p.K {
				continue
			}
			caseIDs := make([]string, 0, run.hi-run.lo)
			for _, e := range entries[run.lo:run.hi] {
				caseIDs = append(caseIDs, cases[e.idx].ID)
			}
			out = append(out, HotSpot{
				Matter: c0.Matter, Place: c0.Place, Week: weeks[w], Count: run.count,
				Mean: mean, SD: sd, Z: z, History: p.History,
				Statistic: fmt.Sprintf("z = (count − mean) / max(sd, 1) over the trailing %d weeks = (%d − %s) / %s = %s > k = %s",
					p.History, run.count, mean, max(sd, One), z, p.K),
				CaseIDs: caseIDs,
			})
		}
		lo = hi
	}
	slices.SortFunc(out, func(a, b HotSpot) int {
		return cmp.Or(a.Week.Compare(b.Week), cmp.Compare(a.Matter, b.Matter), cmp.Compare(a.Place, b.Place))
	})
	return out, nil
}

// sdFixed returns the population standard deviation of n counts with the given sum and sum of squares,
// sqrt((n·sq − sum²) / n²), as a Fixed truncated to millionths. The arithmetic is exact big-integer
// arithmetic, so no count can overflow it.
func sdFixed(sum, sq, n int64) Fixed {
	if n <= 0 {
		return 0
	}
	num := new(big.Int).Mul(big.NewInt(n), big.NewInt(sq))
	num.Sub(num, new(big.Int).Mul(big.NewInt(sum), big.NewInt(sum)))
	if num.Sign() <= 0 {
		return 0
	}
	num.Mul(num, big.NewInt(int64(One)*int64(One)))
	num.Quo(num, new(big.Int).Mul(big.NewInt(n), big.NewInt(n)))
	return Fixed(num.Sqrt(num).Int64())
}
