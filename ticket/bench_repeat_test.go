package ticket

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
)

// linearFind is the baseline of BenchmarkRepeatFind: the same decision as [RepeatIndex.Find], but
// comparing the candidate with every ticket in the index instead of the caller's and the place's
// buckets. The model test in repeat_test.go checks that both agree.
func linearFind(x *RepeatIndex, c RepeatRecord, now time.Time) (RepeatMatch, bool) {
	grams := ngrams(c.Text, x.policy.N)
	if len(grams) == 0 {
		return RepeatMatch{}, false
	}
	since, until := now.AddDate(0, 0, -x.policy.WindowDays).Unix(), now.Unix()
	scope := x.policy.Scope
	best, bestSim := -1, 0.0
	for i := range x.entries {
		e := &x.entries[i]
		if e.received < since || e.received > until || e.id == c.ID {
			continue
		}
		sameCaller := !c.Caller.IsZero() && e.caller == c.Caller
		samePlace := c.Region != "" && c.Matter != "" && e.region == c.Region && e.matter == c.Matter
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
		return RepeatMatch{}, false
	}
	e := &x.entries[best]
	return RepeatMatch{Original: e.root, Matched: e.id, Count: int(x.chains[e.root].total), Similarity: bestSim}, true
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

// repeatFixture builds an index of n tickets received over the 90 days before now: 20,000 callers,
// 200 regions × 50 matters.
func repeatFixture(tb testing.TB, n int) (*RepeatIndex, []RepeatRecord, time.Time) {
	tb.Helper()
	x, err := NewRepeatIndex(StreetRepeatPolicy())
	if err != nil {
		tb.Fatal(err)
	}
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
	recs := make([]RepeatRecord, n)
	for i := range recs {
		recs[i] = RepeatRecord{
			ID:       fmt.Sprintf("T%07d", i),
			Caller:   callers[corpus.rng.IntN(len(callers))],
			Region:   fmt.Sprintf("310%03d", corpus.rng.IntN(200)),
			Matter:   fmt.Sprintf("m%02d", corpus.rng.IntN(50)),
			Received: now.Add(-time.Duration(corpus.rng.Int64N(int64(90 * 24 * time.Hour)))),
			Text:     corpus.text(),
		}
		if err := x.Add(recs[i]); err != nil {
			tb.Fatal(err)
		}
	}
	return x, recs, now
}

// queries returns candidates for lookups: half re-worded repeats of indexed tickets (same caller,
// place and matter, a phrase changed), half new tickets.
func repeatQueries(recs []RepeatRecord, n int) []RepeatRecord {
	corpus := newComplaintCorpus(2)
	qs := make([]RepeatRecord, n)
	for i := range qs {
		r := recs[corpus.rng.IntN(len(recs))]
		q := RepeatRecord{ID: fmt.Sprintf("Q%07d", i), Caller: r.Caller, Region: r.Region, Matter: r.Matter}
		if i%2 == 0 {
			q.Text = "再次反映：" + r.Text
		} else {
			q.Text = corpus.text()
		}
		qs[i] = q
	}
	return qs
}

// BenchmarkRepeatFind looks up a candidate among 100,000 recent tickets (target: under 1 ms per
// lookup). "indexed" is RepeatIndex.Find (buckets by caller and by place+matter); "linear" is the
// baseline comparing with every ticket. bytes/ticket is the index's heap per ticket.
func BenchmarkRepeatFind(b *testing.B) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x, recs, now := repeatFixture(b, 100_000)
	runtime.GC()
	runtime.ReadMemStats(&after)
	perTicket := float64(after.HeapAlloc-before.HeapAlloc) / float64(x.Len())
	qs := repeatQueries(recs, 1024)
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

// BenchmarkRepeatAdd measures indexing one ticket (n-gram signature and bucket inserts).
func BenchmarkRepeatAdd(b *testing.B) {
	corpus := newComplaintCorpus(3)
	texts := make([]string, 1024)
	for i := range texts {
		texts[i] = corpus.text()
	}
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	x, _ := NewRepeatIndex(StreetRepeatPolicy())
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = x.Add(RepeatRecord{ID: fmt.Sprint(i), Caller: CallerKey{byte(i), byte(i >> 8)}, Region: "310113",
			Matter: fmt.Sprint(i % 50), Received: now, Text: texts[i%len(texts)]})
		i++
	}
}
