package assess

import (
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/require"
)

// scoreNaive is the baseline for BenchmarkScore1M: the same validation, digests, scoring and ranking,
// but indicators computed the obvious way — for each unit, filter every case and review of that unit,
// then one pass per indicator, each written straight from the formula in the doc comment of
// [Indicators]. Being written independently of accumulateCase it also serves as a model for the fast
// path (TestNaiveMatchesFast).
func scoreNaive(in Input, s Scheme, q Query) (Result, error) {
	if err := s.Validate(); err != nil {
		return Result{}, err
	}
	if err := q.validate(); err != nil {
		return Result{}, err
	}
	alg := s.algorithm()
	if err := validateInput(&in, &s); err != nil {
		return Result{}, err
	}
	records, root, err := inputTree(&in, alg)
	if err != nil {
		return Result{}, err
	}
	units, _ := buildUnits(&in)
	w := newWindow(q.Period, q.AsOf)
	sat := maskOf(s.SatisfiedRatings)
	in2 := func(t time.Time) bool { return w.in(t) }
	ind := make([]Indicators, len(units.names))
	for j, name := range units.names {
		var cs []CaseRecord
		for _, c := range in.Cases {
			if c.Unit == name {
				cs = append(cs, c)
			}
		}
		var rs []Review
		for _, r := range in.Reviews {
			if r.Unit == name && !r.Unfounded && in2(r.At) {
				rs = append(rs, r)
			}
		}
		x := Indicators{Unit: name}
		replied := func(c CaseRecord) bool { return in2(c.RepliedAt) }
		known := func(c CaseRecord) bool { return !c.CallbackAt.IsZero() && !c.CallbackAt.After(w.asOf) }
		for _, c := range cs { // received cohort
			if in2(c.ReceivedAt) {
				x.Received++
			}
		}
		for _, c := range cs {
			if in2(c.ReceivedAt) {
				x.Returns += int64(c.Returns)
			}
		}
		for _, c := range cs {
			if in2(c.ReceivedAt) {
				x.Repeats += int64(c.Repeats)
			}
		}
		for _, c := range cs {
			if in2(c.ReceivedAt) {
				x.Reopens += int64(c.Reopens)
			}
		}
		for _, c := range cs {
			if in2(c.ReceivedAt) {
				x.Supervisions += int64(c.Supervisions)
			}
		}
		for _, c := range cs {
			if in2(c.ReceivedAt) && c.Complaint && !c.Unfounded {
				x.Complaints++
			}
		}
		for _, c := range cs { // first-contact due cohort
			// A due time is an exclusive end: its duty belongs to the period holding the instant
			// just before it, and only a step strictly before it is in time.
			if !c.FirstContactDue.IsZero() && in2(c.FirstContactDue.Add(-1)) {
				x.FirstContact.Den++
				if !c.FirstContactAt.IsZero() && c.FirstContactAt.Before(c.FirstContactDue) {
					x.FirstContact.Num++
				}
			}
		}
		for _, c := range cs { // on time: replied with a due date, plus open overdue
			open := c.RepliedAt.IsZero() || !c.RepliedAt.Before(w.h)
			switch {
			case replied(c) && !c.ReplyDue.IsZero():
				x.OnTime.Den++
				if c.RepliedAt.Before(c.ReplyDue) {
					x.OnTime.Num++
				}
			case open && c.ReceivedAt.Before(w.h) && !c.ReplyDue.IsZero() && !c.ReplyDue.After(w.h):
				x.OnTime.Den++
			}
		}
		x.Overdue = x.OnTime.Den - x.OnTime.Num
		for _, c := range cs {
			if replied(c) {
				x.CallbackCoverage.Den++
				if known(c) {
					x.CallbackCoverage.Num++
				}
			}
		}
		answer := func(r *Rate, pick func(CaseRecord) Answer, excludeUnfounded bool) {
			for _, c := range cs {
				if replied(c) && known(c) && !(excludeUnfounded && c.Unfounded) && pick(c).Known() {
					r.Den++
					if pick(c) == Yes {
						r.Num++
					}
				}
			}
		}
		answer(&x.Contacted, func(c CaseRecord) Answer { return c.Contacted }, false)
		answer(&x.Resolution, func(c CaseRecord) Answer { return c.Resolved }, true)
		answer(&x.Attitude, func(c CaseRecord) Answer { return c.Attitude }, true)
		for _, c := range cs {
			if replied(c) && known(c) && !c.Unfounded && c.Satisfaction.Valid() {
				x.Satisfaction.Den++
				if sat.has(c.Satisfaction) {
					x.Satisfaction.Num++
				}
			}
		}
		for _, c := range cs {
			if replied(c) && c.ReportAccepted.Known() {
				x.Report.Den++
				if c.ReportAccepted == Yes {
					x.Report.Num++
				}
			}
		}
		for _, r := range rs {
			x.Ratings[r.Rating.Rank()-1]++
		}
		x.Reviews = int64(len(rs))
		x.BadReviews = x.Ratings[3] + x.Ratings[4]
		for _, r := range rs {
			x.ReviewSatisfaction.Den++
			if sat.has(r.Rating) {
				x.ReviewSatisfaction.Num++
			}
			if r.Rating.Bad() {
				x.Rectification.Den++
				if r.Rectified {
					x.Rectification.Num++
				}
			}
		}
		for i, d := range Dimensions() {
			for _, r := range rs {
				if l, ok := r.Dimensions[d]; ok {
					x.DimensionSatisfaction[i].Den++
					if sat.has(l) {
						x.DimensionSatisfaction[i].Num++
					}
				}
			}
		}
		x.Complaint = Rate{Num: x.Complaints, Den: x.Received}
		for _, v := range in.Volumes {
			if v.Unit == name {
				if v.Count < x.Complaints {
					return Result{}, fieldErr(ErrInvalidInput, "volumes (unit "+name+")", "count", "", "is below the complaints")
				}
				x.Complaint.Den = v.Count
			}
		}
		ind[j] = x
	}
	res, err := finish(&in, &s, q, alg, root.String(), units, ind)
	res.Records = records
	return res, err
}

// TestNaiveMatchesFast checks the single-pass indicators against the per-formula baseline.
func TestNaiveMatchesFast(t *testing.T) {
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 99))
		in := genInput(rng, 25, 3000, 800)
		in.Volumes = []Volume{{Unit: "U003", Count: 900}}
		in.Cases = append(in.Cases, fixtureCases()...)
		in.Reviews = append(in.Reviews, fixtureReviews()...)
		for _, asOf := range []time.Time{mar(20, 12), on(4, 1, 0), on(4, 5, 0)} {
			q := Query{Period: marchQuery().Period, AsOf: asOf}
			fast, err := Score(in, StreetHotline(), q)
			require.NoError(t, err)
			naive, err := scoreNaive(in, StreetHotline(), q)
			require.NoError(t, err)
			require.Equal(t, naive, fast, "seed %d as of %s", seed, asOf)
		}
	}
}

const (
	benchCases = 1_000_000
	benchUnits = 500
)

// benchInput returns 1,000,000 cases over 500 units in random ID order (and 50,000 reviews), laid
// out in memory as a decoder would leave it: each record's strings allocated in slice order.
func benchInput(b *testing.B) Input {
	b.Helper()
	in := benchInputScattered(b)
	for i := range in.Cases {
		c := &in.Cases[i]
		c.ID, c.Matter, c.Place = strings.Clone(c.ID), strings.Clone(c.Matter), strings.Clone(c.Place)
	}
	return in
}

// benchInputScattered is benchInput with the slice shuffled after generation, so that consecutive
// records' strings lie far apart in memory: the worst case for the canonical ordering's reads.
func benchInputScattered(b *testing.B) Input {
	b.Helper()
	rng := rand.New(rand.NewPCG(2025, 3))
	in := genInput(rng, benchUnits, benchCases, 50_000)
	rng.Shuffle(len(in.Cases), func(i, j int) { in.Cases[i], in.Cases[j] = in.Cases[j], in.Cases[i] })
	return in
}

// BenchmarkScore1M scores 1,000,000 cases across 500 units with the single-pass path: validate,
// the SM3 Merkle input digest (on every core), dense per-unit accumulation, scoring, ranking, result
// digest. Its peer is BenchmarkSM3Floor1M.
func BenchmarkScore1M(b *testing.B) {
	in, s, q := benchInput(b), StreetHotline(), marchQuery()
	measure(b, func() error { _, err := Score(in, s, q); return err })
}

// BenchmarkSM3Floor1M is the peer of BenchmarkScore1M (issue 10): the single-stream floor, one SM3
// pass over the canonical encoding of the same input — every record's leaf encoding, concatenated
// in canonical order, built before the timer starts. Score must come within 1.5× of it.
func BenchmarkSM3Floor1M(b *testing.B) {
	in := benchInput(b)
	records, _, err := inputTree(&in, SM3)
	require.NoError(b, err)
	byID := make(map[string]int, len(in.Cases))
	for i := range in.Cases {
		byID[in.Cases[i].ID] = i
	}
	rv := make(map[string]int, len(in.Reviews))
	for i := range in.Reviews {
		rv[in.Reviews[i].ID] = i
	}
	var enc []byte
	for _, r := range records {
		switch r.Kind {
		case RecordCase:
			enc = appendCaseLeaf(enc, &in.Cases[byID[r.ID]])
		case RecordReview:
			enc = appendReviewLeaf(enc, &in.Reviews[rv[r.ID]])
		}
	}
	b.SetBytes(int64(len(enc)))
	measure(b, func() error { _ = sm3.Sum(enc); return nil })
}

// BenchmarkScore1MScattered is BenchmarkScore1M on the scattered layout (see benchInputScattered).
func BenchmarkScore1MScattered(b *testing.B) {
	in, s, q := benchInputScattered(b), StreetHotline(), marchQuery()
	measure(b, func() error { _, err := Score(in, s, q); return err })
}

// BenchmarkScoreNaive1M is the baseline: the same work with per-unit multi-pass filtering.
func BenchmarkScoreNaive1M(b *testing.B) {
	in, s, q := benchInput(b), StreetHotline(), marchQuery()
	measure(b, func() error { _, err := scoreNaive(in, s, q); return err })
}

// BenchmarkIndicators1M isolates the single-pass accumulation (no validation, no digests).
func BenchmarkIndicators1M(b *testing.B) {
	in, s, q := benchInput(b), StreetHotline(), marchQuery()
	units, caseUnit := buildUnits(&in)
	w, sat := newWindow(q.Period, q.AsOf), maskOf(s.SatisfiedRatings)
	measure(b, func() error { _, err := computeIndicators(&in, units, caseUnit, w, sat); return err })
}

// BenchmarkDigestInput1M isolates the Merkle input digest: leaf encodings and hashes, canonical
// order, the record list and the root.
func BenchmarkDigestInput1M(b *testing.B) {
	in := benchInput(b)
	measure(b, func() error { _, _, err := inputTree(&in, SM3); return err })
}

// measure runs op in a b.Loop (which excludes the setup before it from the timing), reporting
// allocations and the process CPU time per operation.
func measure(b *testing.B, op func() error) {
	b.ReportAllocs()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
}

// reportCPU adds the process CPU time per operation since start as the "cpu-ns/op" metric: the time
// of every core the operation kept busy (its goroutines and the garbage collector's), whatever share
// of the machine it got. Divided by the number of cores it bounds the wall time from below.
func reportCPU(b *testing.B, start time.Duration) {
	if n := b.N; n > 0 {
		b.ReportMetric(float64(processCPU()-start)/float64(n), "cpu-ns/op")
	}
}

// BenchmarkHotSpotsPerKey counts 10,000 distinct matter × place keys, each with one case, over the
// longest allowed range (1,044 weeks), and reports the bytes allocated per key ("B/key"). Issue 9:
// the first layout kept a count for every week of the range per key (≈ 9.6 KB a key); sized by the
// weeks that have data, a key costs what its cases cost.
func BenchmarkHotSpotsPerKey(b *testing.B) {
	const keys = 10_000
	from := on(time.January, 6, 0).AddDate(-19, 0, 0)
	to := from.AddDate(0, 0, 7*1040)
	cases := make([]CaseRecord, keys)
	for i := range cases {
		cases[i] = CaseRecord{ID: "C" + strconv.Itoa(i), Unit: "U", Matter: "M" + strconv.Itoa(i), Place: "P",
			ReceivedAt: from.AddDate(0, 0, 7*(i%1000))}
	}
	p := DefaultHotSpot()
	b.ReportAllocs()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for b.Loop() {
		if _, err := HotSpots(cases, from, to, p); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(b.N)/keys, "B/key")
}
