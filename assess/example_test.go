package assess_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
)

func day(m time.Month, d, h int) time.Time {
	return time.Date(2025, m, d, h, 0, 0, 0, deadline.Location())
}

// twoUnits returns a small month of data: unit 居委A handles everything on time, unit 城管B is late
// and has an unresolved, dissatisfied callback.
func twoUnits() assess.Input {
	var in assess.Input
	for i := range 6 {
		recv := day(time.March, 3+i, 9)
		in.Cases = append(in.Cases, assess.CaseRecord{
			ID: fmt.Sprintf("A-%d", i), Unit: "居委A", ReceivedAt: recv,
			FirstContactDue: recv.Add(24 * time.Hour), FirstContactAt: recv.Add(2 * time.Hour),
			ReplyDue: recv.Add(5 * 24 * time.Hour), RepliedAt: recv.Add(48 * time.Hour),
			CallbackAt: recv.Add(72 * time.Hour), Resolved: assess.Yes, Satisfaction: assess.Satisfied,
			Attitude: assess.Yes, ReportAccepted: assess.Yes,
		})
		c := in.Cases[len(in.Cases)-1]
		c.ID, c.Unit = fmt.Sprintf("B-%d", i), "城管B"
		if i%2 == 0 {
			c.RepliedAt = recv.Add(7 * 24 * time.Hour) // late
			c.CallbackAt = c.RepliedAt.Add(time.Hour)
			c.Resolved, c.Satisfaction = assess.No, assess.Dissatisfied
		}
		in.Cases = append(in.Cases, c)
	}
	return in
}

// Score a month with the street hotline scheme of 004 §15 and print the monthly ranking (004 §14 月通报).
func ExampleScore() {
	march, err := assess.Month(2025, time.March)
	if err != nil {
		fmt.Println(err)
		return
	}
	q := assess.Query{Period: march, AsOf: day(time.April, 5, 0)}
	r, err := assess.Score(twoUnits(), assess.StreetHotline(), q)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Ranking.Ranked {
		u, _ := r.Unit(s.Unit)
		fmt.Printf("%d %s %s (on time %s, resolved %s)\n", s.Rank, s.Unit, s.Total,
			u.Indicators.OnTime, u.Indicators.Resolution)
	}
	fmt.Println(r.Algorithm.Label(), len(r.Digest))
	// Output:
	// 1 居委A 100 (on time 100.00% (6/6), resolved 100.00% (6/6))
	// 2 城管B 68.75 (on time 50.00% (3/6), resolved 50.00% (3/6))
	// SM3 64
}

// Verify a published result against the data: a figure edited after publication is named.
func ExampleVerify() {
	in, s := twoUnits(), assess.StreetHotline()
	march, _ := assess.Month(2025, time.March)
	r, _ := assess.Score(in, s, assess.Query{Period: march, AsOf: day(time.April, 5, 0)})
	fmt.Println(assess.Verify(in, s, r))

	r.Units[0].Total = assess.Int(90) // 城管B's 68.75 "corrected"
	err := assess.Verify(in, s, r)
	var me *assess.MismatchError
	if errors.As(err, &me) {
		fmt.Println(me.Path, me.Want, "→", me.Got)
	}
	// Output:
	// <nil>
	// units[城管B].total 68.75 → 90
}

// The input digest is the root of a Merkle tree over the records (RFC 6962): when the data changes
// after publication, Verify names the record (001 (十): 统计分析结果……不可更改).
func ExampleVerify_record() {
	in, s := twoUnits(), assess.StreetHotline()
	march, _ := assess.Month(2025, time.March)
	r, _ := assess.Score(in, s, assess.Query{Period: march, AsOf: day(time.April, 5, 0)})

	in.Cases[1].Resolved = assess.Yes // B-0's callback "corrected" afterwards
	in.Cases = in.Cases[:len(in.Cases)-1]
	for _, c := range assess.DiffRecords(r.Records, mustScore(in, s, r.Period, r.AsOf).Records) {
		fmt.Println(c.Key, c.Change)
	}
	var me *assess.MismatchError
	if errors.As(assess.Verify(in, s, r), &me) {
		fmt.Println(me.Path, me.Change)
	}
	// The public form carries no records: the change is still detected, not located.
	if errors.As(assess.Verify(in, s, r.Public()), &me) {
		fmt.Println(me.Path)
	}
	// Output:
	// case:B-0 changed
	// case:B-5 missing
	// input[case:B-0] changed
	// input_digest
}

func mustScore(in assess.Input, s assess.Scheme, p assess.Period, asOf time.Time) assess.Result {
	r, err := assess.Score(in, s, assess.Query{Period: p, AsOf: asOf})
	if err != nil {
		panic(err)
	}
	return r
}

// A unit proves that its cases are in a published result without revealing the other units' records.
func ExampleProveUnit() {
	in, s := twoUnits(), assess.StreetHotline()
	march, _ := assess.Month(2025, time.March)
	published := mustScore(in, s, march, day(time.April, 5, 0)).Public()

	p, err := assess.ProveUnit(in, s, "居委A")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(p.Cases), "cases of", p.Unit, "in a tree of", p.TreeSize, "records:", assess.VerifyInclusion(p, published))
	p.Cases[0].Case.Resolved = assess.No
	fmt.Println(assess.VerifyInclusion(p, published) != nil)
	// Output:
	// 6 cases of 居委A in a tree of 12 records: <nil>
	// true
}

// Figures in a bulletin are rounded half away from zero (四舍五入) to the decimals it prints.
func ExampleFixed_Round() {
	r := assess.Rate{Num: 2, Den: 3}
	fmt.Println(r.Value(), r.Value().Round(2), r.Value().Text(1), assess.Int(95).Text(2))
	// Output:
	// 0.666667 0.67 0.7 95.00
}

// The 好差评 ranking of 001 (八) is one of the presets.
func ExamplePreset() {
	s, err := assess.Preset("shanghai-reviews")
	fmt.Println(s.Label, s.Sample, s.MinSample, err)
	// Output:
	// 政务服务“好差评”综合排名 reviews 30 <nil>
}

// The assessment year of 000 §8 (三) runs from November 1 to October 31.
func ExampleYear() {
	y, err := assess.Year(deadline.AssessmentYear(), 2026)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(y.Label, y.Start.Format(time.DateOnly), y.End.AddDate(0, 0, -1).Format(time.DateOnly))
	months, _ := assess.AssessmentMonths(deadline.AssessmentYear(), 2026)
	fmt.Println(len(months), months[0].Label, months[11].Label)
	_, err = assess.Month(2025, 0)
	fmt.Println(err)
	// Output:
	// AY2026 2025-11-01 2026-10-31
	// 12 2025-11 2026-10
	// assess: invalid period: period: month = "0": is not a month 1–12
}

// The quarterly talk (004 §14 季约谈) summons the units in the last three places.
func ExampleSummons() {
	var scores []assess.UnitScore
	for i, total := range []int64{91, 85, 77, 88, 64} {
		scores = append(scores, assess.UnitScore{Unit: fmt.Sprintf("U%d", i+1), Total: assess.Int(total), Sample: 50})
	}
	r := assess.Rank(scores, assess.StreetHotline())
	for _, s := range assess.Summons(r) {
		fmt.Println(s.Rank, s.Unit, s.Total)
	}
	// Output:
	// 3 U2 85
	// 4 U3 77
	// 5 U5 64
}

// A scheme is plain data: load one from JSON.
func ExampleParseScheme() {
	s, err := assess.ParseScheme([]byte(`{
		"name": "district-2025",
		"items": [
			{"id": "on_time", "label": "按期办结率", "weight": 60, "indicators": ["on_time_rate"], "scoring": {"kind": "rate"}},
			{"id": "overdue", "label": "逾期办件量", "weight": 40, "indicators": ["overdue_count"],
			 "scoring": {"kind": "per_count", "per_count": 0.1}}
		],
		"satisfied_ratings": ["very_satisfied", "satisfied", "fairly_satisfied"],
		"missing": "full", "min_sample": 10, "ties": "shared"
	}`))
	fmt.Println(s.Name, len(s.Items), err)

	_, err = assess.ParseScheme([]byte(`{"name": "x", "items": [{"id": "a", "weight": 90, "indicators": ["on_time_rate"], "scoring": {"kind": "rate"}}],
		"satisfied_ratings": ["satisfied"], "missing": "full", "ties": "shared"}`))
	fmt.Println(err)

	_, err = assess.ParseScheme([]byte(`{"name": "x"}}`))
	fmt.Println(errors.Is(err, assess.ErrMalformed))
	// Output:
	// district-2025 2 <nil>
	// assess: policy "x": items[].weight: weights add up to 90, not 100
	// true
}

// Hot spots: a matter × place whose weekly count jumps against its own history.
func ExampleHotSpots() {
	var cases []assess.CaseRecord
	for w, n := range []int{2, 3, 2, 3, 2, 3, 2, 3, 15} {
		for i := range n {
			cases = append(cases, assess.CaseRecord{
				ID: fmt.Sprintf("W%d-%d", w, i), Unit: "U1", Matter: "噪声扰民", Place: "310113-友谊路",
				ReceivedAt: day(time.January, 6, 10).AddDate(0, 0, 7*w),
			})
		}
	}
	hs, _ := assess.HotSpots(cases, day(time.January, 6, 0), day(time.March, 10, 0), assess.DefaultHotSpot())
	for _, h := range hs {
		fmt.Println(h.Week.Format(time.DateOnly), h.Matter, h.Place, h.Count)
		fmt.Println(h.Statistic)
	}
	// Output:
	// 2025-03-03 噪声扰民 310113-友谊路 15
	// z = (count − mean) / max(sd, 1) over the trailing 8 weeks = (15 − 2.5) / 1 = 12.5 > k = 3
}

// Fake praise: one device giving many top ratings within a day (001 (十) 刷好评).
func ExampleFakePraise() {
	var reviews []assess.Review
	for i := range 6 {
		reviews = append(reviews, assess.Review{
			ID: fmt.Sprintf("R%d", i), Unit: "窗口3", Rating: assess.VerySatisfied, Device: "dev-7f3a",
			Rater: fmt.Sprintf("rater-%d", i), At: day(time.March, 3, 9).Add(time.Duration(i) * 10 * time.Minute),
		})
	}
	sig, _ := assess.FakePraise(reviews, assess.DefaultFakePraise())
	for _, s := range sig {
		fmt.Println(s.Kind.Label(), s.By, s.Count, s.Units)
	}
	// Output:
	// 疑似刷好评 device:dev-7f3a 6 [窗口3]
}

// Where bad reviews concentrate (001 (十三)): the distribution by staff member, most concentrated first.
// The review ruled unfounded on appeal (000 §6 (二)) is left out; the one still under appeal counts.
func ExampleBreakdown() {
	reviews := []assess.Review{
		{ID: "R1", Unit: "窗口1", Staff: "张", Rating: assess.VerySatisfied, At: day(time.March, 3, 9)},
		{ID: "R2", Unit: "窗口1", Staff: "张", Rating: assess.Satisfied, At: day(time.March, 4, 9)},
		{ID: "R3", Unit: "窗口2", Staff: "李", Rating: assess.Dissatisfied, At: day(time.March, 5, 9), AppealPending: true},
		{ID: "R4", Unit: "窗口2", Staff: "李", Rating: assess.VeryDissatisfied, At: day(time.March, 6, 9), Unfounded: true},
		{ID: "R5", Unit: "窗口2", Staff: "李", Rating: assess.FairlySatisfied, At: day(time.March, 7, 9)},
	}
	march, _ := assess.Month(2025, time.March)
	groups, err := assess.Breakdown(reviews, march, day(time.April, 1, 0), assess.ByStaff)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range groups {
		fmt.Println(g.Key, g.Ratings, "bad", g.BadShare)
	}
	// Output:
	// 李 [0 0 1 1 0] bad 50.00% (1/2)
	// 张 [1 1 0 0 0] bad 0.00% (0/2)
}

// Malicious bad reviews: one rater repeatedly against one staff member (001 (十) 恶意差评). A signal
// for a person to check, with the evidence.
func ExampleMaliciousBad() {
	var reviews []assess.Review
	for i, d := range []int{2, 9, 16} {
		reviews = append(reviews, assess.Review{
			ID: fmt.Sprintf("R%d", i+1), Unit: fmt.Sprintf("窗口%d", i+1), Staff: "王", Rater: "h-91c2",
			Rating: assess.VeryDissatisfied, At: day(time.March, d, 10),
		})
	}
	sig, _ := assess.MaliciousBad(reviews, assess.DefaultMaliciousBad())
	for _, s := range sig {
		fmt.Println(s.Kind.Label(), s.By, s.Against, s.ReviewIDs)
		fmt.Println(s.Statistic)
	}
	// Output:
	// 疑似恶意差评 rater:h-91c2 staff:王 [R1 R2 R3]
	// 3 bad reviews from one rater against staff:王 within 336h0m0s (policy: ≥ 3 within 720h0m0s)
}
