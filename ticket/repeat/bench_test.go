package repeat

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
)

// linearFind is the baseline of BenchmarkFind: the same decision as [Index.Find], but
// comparing the candidate with every ticket in the index instead of the caller's and the place's
// buckets. The model test in repeat_test.go checks that both agree.
func linearFind(x *Index, c Record, now time.Time) (Match, bool) {
	grams := ngrams(c.Text, x.policy.N)
	if len(grams) == 0 {
		return Match{}, false
	}
	since, until := now.AddDate(0, 0, -x.policy.WindowDays).Unix(), now.Unix()
	place, hasPlace := x.placeIndex(c)
	scope := x.policy.Scope
	best, bestSim := -1, 0.0
	for i := range x.entries {
		e := &x.entries[i]
		if e.received < since || e.received > until || e.id == c.ID {
			continue
		}
		sameCaller := !c.Caller.IsZero() && e.caller == c.Caller
		samePlace := hasPlace && e.place == place
		var in bool
		switch scope {
		case ScopeCaller:
			in = sameCaller
		case ScopeCallerPlace:
			in = sameCaller && samePlace
		case ScopePlace:
			in = samePlace
		case ScopeCallerOrPlace:
			in = sameCaller || samePlace
		}
		if !in {
			continue
		}
		sim, ok := dice(grams, e.grams, x.policy.Threshold)
		if !ok {
			continue
		}
		if best < 0 || sim > bestSim || (sim == bestSim && e.received > x.entries[best].received) {
			best, bestSim = i, sim
		}
	}
	if best < 0 {
		return Match{}, false
	}
	e := &x.entries[best]
	chain := x.chains[e.chain]
	return Match{Original: chain.root, Matched: e.id, Count: int(chain.total), Similarity: bestSim}, true
}

// complaintCorpus generates plausible complaint texts of 60–160 characters from a few hundred
// phrases, so that texts about the same matter share many bigrams and others share few.
type complaintCorpus struct {
	rng     *rand.Rand
	phrases []string
}

func newComplaintCorpus(seed uint64) *complaintCorpus {
	rng := rand.New(rand.NewPCG(seed, 7))
	const han = "路灯坏噪音扰民垃圾清运停车占道违章搭建油烟排放漏水物业管理费用退还公交线路班次学校招生医保报销社保缴纳户籍迁移不动产登记营业执照办理窗口态度服务效率施工夜间绿化养护井盖缺失积水排水供暖燃气电梯故障小区门禁外卖电动车充电楼道堆物"
	rs := []rune(han)
	phrases := make([]string, 400)
	for i := range phrases {
		n := 4 + rng.IntN(6)
		var b strings.Builder
		for range n {
			b.WriteRune(rs[rng.IntN(len(rs))])
		}
		phrases[i] = b.String()
	}
	return &complaintCorpus{rng: rng, phrases: phrases}
}

func (c *complaintCorpus) text() string {
	var b strings.Builder
	for b.Len() < 3*(60+c.rng.IntN(100)) {
		b.WriteString(c.phrases[c.rng.IntN(len(c.phrases))])
		b.WriteString("，")
	}
	return b.String()
}

// repeatRecords generates n tickets received over the 90 days before now: 20,000 callers, 200
// regions × 50 matters.
func repeatRecords(tb testing.TB, n int) ([]Record, time.Time) {
	tb.Helper()
	mac, err := NewSM3MAC([]byte("0123456789abcdef-benchmark-key"))
	if err != nil {
		tb.Fatal(err)
	}
	callers := make([]CallerKey, 20000)
	for i := range callers {
		callers[i], _ = CallerKeyOf(mac, fmt.Sprintf("139%08d", i))
	}
	corpus := newComplaintCorpus(1)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	recs := make([]Record, n)
	for i := range recs {
		recs[i] = Record{
			ID:       fmt.Sprintf("T%07d", i),
			Caller:   callers[corpus.rng.IntN(len(callers))],
			Region:   fmt.Sprintf("310%03d", corpus.rng.IntN(200)),
			Matter:   fmt.Sprintf("m%02d", corpus.rng.IntN(50)),
			Received: now.Add(-time.Duration(corpus.rng.Int64N(int64(90 * 24 * time.Hour)))),
			Text:     corpus.text(),
		}
	}
	return recs, now
}

// repeatIndexOf indexes recs.
func repeatIndexOf(tb testing.TB, recs []Record) *Index {
	tb.Helper()
	x, err := NewIndex(StreetHotline())
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range recs {
		if err := x.Add(r); err != nil {
			tb.Fatal(err)
		}
	}
	return x
}

func heapAlloc() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// repeatFixture returns an index of n generated tickets, lookups for it (see repeatQueries), the
// instant to look up at, and the heap the index holds per ticket: measured with the generated
// records dropped, so it counts what the index itself keeps (entries, buckets, signatures, and the
// ID, region and matter strings it references), not the texts it was built from.
func repeatFixture(tb testing.TB, n int) (x *Index, qs []Record, now time.Time, perTicket float64) {
	tb.Helper()
	base := heapAlloc()
	recs, now := repeatRecords(tb, n)
	withRecs := heapAlloc()
	qs = repeatQueries(recs, 1024)
	queries := heapAlloc() - withRecs
	x = repeatIndexOf(tb, recs)
	recs = nil
	runtime.KeepAlive(recs)
	held := heapAlloc() - base - queries
	return x, qs, now, float64(held) / float64(x.Len())
}

// queries returns candidates for lookups: half re-worded repeats of indexed tickets (same caller,
// place and matter, a phrase changed), half new tickets.
func repeatQueries(recs []Record, n int) []Record {
	corpus := newComplaintCorpus(2)
	qs := make([]Record, n)
	for i := range qs {
		r := recs[corpus.rng.IntN(len(recs))]
		q := Record{ID: fmt.Sprintf("Q%07d", i), Caller: r.Caller, Region: r.Region, Matter: r.Matter}
		if i%2 == 0 {
			q.Text = "再次反映：" + r.Text
		} else {
			q.Text = corpus.text()
		}
		qs[i] = q
	}
	return qs
}

// BenchmarkFind looks up a candidate among 100,000 recent tickets (target: under 1 ms per
// lookup). "indexed" is Index.Find (buckets by caller and by place+matter); "linear" is the
// baseline comparing with every ticket. bytes/ticket is the index's heap per ticket (see
// repeatFixture).
func BenchmarkFind(b *testing.B) {
	x, qs, now, perTicket := repeatFixture(b, 100_000)
	b.Run("indexed", func(b *testing.B) {
		b.ReportAllocs()
		found, i := 0, 0
		for b.Loop() {
			if _, ok := x.Find(qs[i%len(qs)], now); ok {
				found++
			}
			i++
		}
		b.ReportMetric(perTicket, "bytes/ticket")
		b.ReportMetric(float64(found)/float64(i), "found/op")
	})
	b.Run("linear", func(b *testing.B) {
		b.ReportAllocs()
		found, i := 0, 0
		for b.Loop() {
			if _, ok := linearFind(x, qs[i%len(qs)], now); ok {
				found++
			}
			i++
		}
		b.ReportMetric(perTicket, "bytes/ticket")
		b.ReportMetric(float64(found)/float64(i), "found/op")
	})
}

// BenchmarkAdd measures indexing one ticket (n-gram signature and bucket inserts).
func BenchmarkAdd(b *testing.B) {
	corpus := newComplaintCorpus(3)
	texts := make([]string, 1024)
	for i := range texts {
		texts[i] = corpus.text()
	}
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	x, _ := NewIndex(StreetHotline())
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = x.Add(Record{ID: fmt.Sprint(i), Caller: CallerKey{byte(i), byte(i >> 8)}, Region: "310113",
			Matter: fmt.Sprint(i % 50), Received: now, Text: texts[i%len(texts)]})
		i++
	}
}
