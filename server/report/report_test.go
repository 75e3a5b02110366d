package report_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/report"
	"github.com/hotline12345/hotline/ticket"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, deadline.Location())
	if err != nil {
		panic(err)
	}
	return t
}

var units = []routing.Unit{
	{ID: "unit-a", Name: "友谊路街道", Kind: routing.UnitStreet},
	{ID: "unit-b", Name: "宝山区房管局", Kind: routing.UnitFunctionalDepartment},
	{ID: "unit-c", Name: "宝山区绿化市容局", Kind: routing.UnitFunctionalDepartment},
	{ID: "unit-d", Name: "<b>无工单单位</b>", Kind: routing.UnitFunctionalDepartment},
}

func office(a ticket.Action, p ticket.Payload) ticket.Request {
	return ticket.Request{Actor: "op", Role: ticket.RoleHotlineOffice, Action: a, Payload: p}
}

func handler(a ticket.Action, p ticket.Payload) ticket.Request {
	return ticket.Request{Actor: "clerk", Role: ticket.RoleHandlingUnit, Action: a, Payload: p}
}

// fixture is a month of tickets in November 2026 (and one left open from October): for each of the
// first three units, tickets replied and called back satisfied or not, replied late, left open past
// due, returned, supervised, plus tickets nobody holds.
func fixture(tb testing.TB) []*ticket.Ticket {
	tb.Helper()
	m, err := ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline())
	require.NoError(tb, err)
	seq := 0
	var out []*ticket.Ticket
	mk := func(recv time.Time, kind ticket.Kind, ch ticket.Channel, matter string, steps ...ticket.Request) {
		seq++
		num, err := ticket.NewNumber("HL", recv, seq)
		require.NoError(tb, err)
		in := ticket.Intake{Number: num, Channel: ch, Kind: kind, Content: "诉求", Received: recv,
			Citizen: ticket.Person{Name: "张三", Phone: "13812345678"}}
		if matter != "" {
			in.Matter = ticket.Matter{Levels: []ticket.MatterLevel{{Code: matter, Label: map[string]string{"05": "城市管理", "07": "社区治理"}[matter]}}}
		}
		t, err := m.Accept(in, "op", ticket.RoleHotlineOffice, recv)
		require.NoError(tb, err)
		for i, s := range steps {
			_, err := m.Apply(t, s, recv.Add(time.Duration(i+1)*time.Hour))
			require.NoError(tb, err, "ticket %d step %d %s", seq, i, s.Action)
		}
		out = append(out, t)
	}
	dispatch := func(u string) ticket.Request {
		return office(ticket.ActionDispatch, ticket.Payload{Dispatch: &ticket.Dispatch{Lead: u, DispatchMode: ticket.DispatchStatutory,
			Complexity: ticket.ComplexityGeneral}})
	}
	contact := handler(ticket.ActionFirstContact, ticket.Payload{})
	reply := handler(ticket.ActionReply, ticket.Payload{Reply: &ticket.Reply{Report: "r", Summary: "s", Outcome: ticket.OutcomeResolved}})
	cb := func(s ticket.Satisfaction) ticket.Request {
		return office(ticket.ActionCallback, ticket.Payload{Callback: &ticket.Callback{Contacted: true, Resolved: s != ticket.Dissatisfied,
			Result: s, Efficiency: s, Attitude: s}})
	}
	supervise := office(ticket.ActionSupervise, ticket.Payload{Supervision: &ticket.Supervision{Trigger: ticket.TriggerInstruction}})
	ret := handler(ticket.ActionReturn, ticket.Payload{Return: &ticket.Return{Basis: "非本单位职责", SuggestedUnit: "unit-c"}})
	for i, u := range []string{"unit-a", "unit-b", "unit-c"} {
		for j := range 3 + 2*i {
			recv := at(fmt.Sprintf("2026-11-%02d 09:00", 2+j+i))
			s := ticket.Satisfied
			if (i+j)%3 == 2 {
				s = ticket.Dissatisfied
			}
			mk(recv, ticket.KindComplaint, ticket.ChannelPhone, "05", dispatch(u), contact, reply, cb(s))
		}
		mk(at(fmt.Sprintf("2026-11-%02d 10:00", 10+i)), ticket.KindHelpRequest, ticket.ChannelWeb, "07", dispatch(u), supervise)
	}
	mk(at("2026-10-20 09:00"), ticket.KindComplaint, ticket.ChannelPhone, "05", dispatch("unit-a"))
	mk(at("2026-11-12 09:00"), ticket.KindComplaint, ticket.ChannelWindowOffline, "", dispatch("unit-b"), ret, dispatch("unit-c"))
	mk(at("2026-11-13 09:00"), ticket.KindSuggestion, ticket.ChannelSuishenban, "")
	mk(at("2026-11-16 09:00"), ticket.KindConsultation, ticket.ChannelPhone, "")
	return out
}

func reviews() []assess.Review {
	var out []assess.Review
	for i, r := range []assess.Rating{assess.VerySatisfied, assess.Satisfied, assess.Dissatisfied, assess.VeryDissatisfied, assess.FairlySatisfied} {
		out = append(out, assess.Review{ID: fmt.Sprintf("rv-%d", i), Rating: r, Unit: []string{"unit-a", "unit-b"}[i%2],
			Channel: assess.ChannelServiceHall, At: at("2026-11-20 10:00").Add(time.Duration(i) * time.Minute), Rectified: i == 2})
	}
	return out
}

func stream(ts []*ticket.Ticket) func(func(*ticket.Ticket, error) bool) {
	return func(yield func(*ticket.Ticket, error) bool) {
		for _, t := range ts {
			if !yield(t, nil) {
				return
			}
		}
	}
}

func input(tb testing.TB, unit string) report.Input {
	period, err := assess.Month(2026, time.November)
	require.NoError(tb, err)
	return report.Input{Title: "宝山区热线办", Period: period, AsOf: at("2026-12-01 09:00"), Scheme: assess.StreetHotline(),
		Policy: loop.StreetHotline(), Units: units, Tickets: stream(fixture(tb)), Reviews: reviews(), Unit: unit,
		Chain: report.Chain{Size: 42, Head: strings.Repeat("ab", 32)}}
}

// The report's figures are assess.Score's on the same records, and its digest verifies (001 (十)); the
// records are server/loop's CaseRecord of each ticket a unit holds (004 §14 月通报).
func TestFiguresAreScore(t *testing.T) {
	in := input(t, "")
	r, err := report.Build(in)
	require.NoError(t, err)

	want, err := assess.Score(r.Input, in.Scheme, assess.Query{Period: in.Period, AsOf: in.AsOf})
	require.NoError(t, err)
	assert.Equal(t, want.Digest, r.Result.Digest)
	assert.Equal(t, want.Units, r.Result.Units)
	assert.Equal(t, want.Ranking, r.Result.Ranking)
	require.NoError(t, assess.Verify(r.Input, in.Scheme, r.Result), "the report's digest verifies")

	// The records are the loop's, one per dispatched ticket.
	var cases []assess.CaseRecord
	undispatched := 0
	for _, tk := range fixture(t) {
		c, err := loop.CaseRecord(tk, loop.StreetHotline())
		if errors.Is(err, loop.ErrNotDispatched) {
			if !tk.Received.Before(in.Period.Start) {
				undispatched++
			}
			continue
		}
		require.NoError(t, err)
		cases = append(cases, c)
	}
	assert.Equal(t, cases, r.Input.Cases)
	assert.Equal(t, int64(undispatched), r.Undispatched)
	assert.Equal(t, []string{"unit-a", "unit-b", "unit-c", "unit-d"}, r.Input.Units, "every unit in scope is listed")

	// Each section is the result's own.
	require.Len(t, r.Units, 4)
	for _, s := range r.Units {
		us, ok := r.Result.Unit(s.Unit)
		require.True(t, ok)
		assert.Equal(t, us.Indicators, s.Indicators, s.Unit)
		assert.Equal(t, us.Total, *s.Total, s.Unit)
		assert.Equal(t, s.Unit, s.Standing.Unit)
	}
	a := r.Units[0].Indicators
	assert.Equal(t, int64(4), a.Received, "unit-a: three replied and one supervised in November")
	assert.Equal(t, assess.Rate{Num: 2, Den: 3}, a.Satisfaction, "one dissatisfied callback of three (004 §11 (三))")
	assert.Equal(t, int64(2), a.Supervisions, "one supervised by the office, one on a dissatisfied callback (004 §12 (二) 4)")
	assert.GreaterOrEqual(t, a.Overdue, int64(1), "October's ticket left open counts against November (002 §9)")
	assert.Equal(t, int64(0), r.Units[1].Indicators.Returns, "unit-b's return is counted on the ticket it left, now unit-c's")
	assert.Equal(t, int64(9), r.Units[2].Indicators.Received, "unit-c: seven replied, one supervised, one returned to it")
	assert.Equal(t, int64(1), r.Units[1].Indicators.BadReviews)
	assert.Equal(t, assess.Rate{Num: 1, Den: 1}, r.Units[0].Indicators.Rectification, "unit-a's bad review was rectified")
	assert.Equal(t, assess.Rate{Num: 0, Den: 1}, r.Units[1].Indicators.Rectification)

	// The district's figures are those of the union of the units' records.
	union := r.Input
	union.Units = nil
	union.Cases = append([]assess.CaseRecord(nil), r.Input.Cases...)
	union.Reviews = append([]assess.Review(nil), r.Input.Reviews...)
	for i := range union.Cases {
		union.Cases[i].Unit = "all"
	}
	for i := range union.Reviews {
		union.Reviews[i].Unit = "all"
	}
	whole, err := assess.Score(union, in.Scheme, assess.Query{Period: in.Period, AsOf: in.AsOf})
	require.NoError(t, err)
	all, _ := whole.Unit("all")
	wantDistrict := all.Indicators
	wantDistrict.Unit = ""
	assert.Equal(t, wantDistrict, r.District.Indicators)
}

// Counts by kind, channel and matter are over the tickets received in the month (004 §14, 003 六 (六)).
func TestCounts(t *testing.T) {
	r, err := report.Build(input(t, ""))
	require.NoError(t, err)
	c := r.District.Counts
	assert.Equal(t, int64(3+5+7+3+3), c.Received, "the month's tickets, held or not; October's is not counted")
	kinds := map[string]int64{}
	for _, k := range c.ByKind {
		kinds[k.Label] = k.N
	}
	assert.Equal(t, map[string]int64{"投诉": 16, "求助": 3, "建议": 1, "咨询": 1}, kinds)
	assert.Equal(t, "05", c.ByMatter[0].Key, "largest first")
	assert.Equal(t, "城市管理", c.ByMatter[0].Label)
	var none bool
	for _, m := range c.ByMatter {
		none = none || (m.Key == "" && m.Label == "未分类")
	}
	assert.True(t, none)
	assert.Equal(t, int64(2), r.Undispatched)
	assert.Equal(t, int64(4), r.Units[0].Counts.Received)
	assert.Equal(t, int64(0), r.Units[3].Counts.Received)
	assert.NotNil(t, r.Units[3].Counts.ByKind)
}

// A unit's report shows its own section and its place among the units in scope.
func TestUnitReport(t *testing.T) {
	r, err := report.Build(input(t, "unit-b"))
	require.NoError(t, err)
	require.Len(t, r.Units, 1)
	assert.Equal(t, "unit-b", r.Units[0].Unit)
	assert.Equal(t, "宝山区房管局", r.Units[0].Name)
	require.NotNil(t, r.Units[0].Standing)
	assert.Len(t, r.Result.Units, 4, "scored among every unit in scope")
	require.NoError(t, assess.Verify(r.Input, r.Scheme, r.Result))
}

// The workbook opens back with excelize and holds the result's figures.
func TestXLSX(t *testing.T) {
	r, err := report.Build(input(t, ""))
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, r.WriteXLSX(&buf))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{"概况", "单位指标", "综合排名", "分类统计"}, f.GetSheetList())

	summary, err := f.GetRows("概况")
	require.NoError(t, err)
	kv := map[string]string{}
	for _, row := range summary[1:] {
		kv[row[0]] = row[1]
	}
	assert.Equal(t, r.Result.Digest, kv["结果摘要"])
	assert.Equal(t, r.Result.InputDigest, kv["输入摘要"])
	assert.Contains(t, kv["考核方案"], "street-hotline")
	assert.Contains(t, kv["考核方案"], "004")
	assert.Contains(t, kv["审计链"], strings.Repeat("ab", 32))

	rows, err := f.GetRows("单位指标")
	require.NoError(t, err)
	require.Len(t, rows, 1+4+1)
	for i, s := range r.Units {
		row := rows[i+1]
		x := s.Indicators
		assert.Equal(t, s.Unit, row[0])
		assert.Equal(t, fmt.Sprint(x.Received), row[2])
		assert.Equal(t, report.RateText(x.FirstContact), row[3])
		assert.Equal(t, report.RateText(x.OnTime), row[4])
		assert.Equal(t, report.RateText(x.Resolution), row[5])
		assert.Equal(t, report.RateText(x.Satisfaction), row[6])
		assert.Equal(t, fmt.Sprint(x.Overdue), row[8])
		assert.Equal(t, fmt.Sprint(x.Returns), row[9])
		assert.Equal(t, fmt.Sprint(x.Repeats), row[10])
		assert.Equal(t, fmt.Sprint(x.Supervisions), row[12])
		assert.Equal(t, fmt.Sprint(x.BadReviews), row[14])
		assert.Equal(t, report.RateText(x.Rectification), row[15])
		assert.Equal(t, s.Total.Text(2), row[17])
	}
	assert.Equal(t, "合计", rows[5][0])
	assert.Equal(t, fmt.Sprint(r.District.Indicators.Received), rows[5][2])

	rank, err := f.GetRows("综合排名")
	require.NoError(t, err)
	all := append(append([]assess.Standing{}, r.Result.Ranking.Ranked...), r.Result.Ranking.NotRanked...)
	require.Len(t, rank, 1+len(all))
	for i, s := range all {
		if s.Rank > 0 {
			assert.Equal(t, fmt.Sprint(s.Rank), rank[i+1][0])
		} else {
			assert.Equal(t, "", rank[i+1][0])
		}
		assert.Equal(t, s.Unit, rank[i+1][1])
		assert.Equal(t, s.Total.Text(2), rank[i+1][3])
	}
}

func TestHTML(t *testing.T) {
	r, err := report.Build(input(t, ""))
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, r.WriteHTML(&buf))
	html := buf.String()
	assert.Contains(t, html, `<html lang="zh-CN">`)
	assert.Contains(t, html, "月度通报")
	assert.Contains(t, html, "综合排名")
	assert.Contains(t, html, r.Result.Digest)
	assert.Contains(t, html, report.RateText(r.Units[0].Indicators.Satisfaction))
	assert.Contains(t, html, "@page")
	assert.NotContains(t, html, "<b>无工单单位</b>", "names are escaped")
	assert.Contains(t, html, "&lt;b&gt;无工单单位&lt;/b&gt;")
	assert.NotContains(t, html, "13812345678", "no citizen in a report")
	assert.NotContains(t, html, "张三")
}

func TestRefusals(t *testing.T) {
	in := input(t, "")
	boom := errors.New("page failed")
	in.Tickets = func(yield func(*ticket.Ticket, error) bool) { yield(nil, boom) }
	_, err := report.Build(in)
	assert.ErrorIs(t, err, boom)

	in = input(t, "")
	in.Tickets = nil
	_, err = report.Build(in)
	assert.ErrorIs(t, err, report.ErrInvalidInput)

	in = input(t, "")
	in.AsOf = time.Time{}
	_, err = report.Build(in)
	assert.ErrorIs(t, err, report.ErrInvalidInput)

	in = input(t, "")
	in.Scheme.Items = nil
	_, err = report.Build(in)
	assert.ErrorIs(t, err, assess.ErrInvalidPolicy)

	in = input(t, "")
	in.Policy = loop.Policy{}
	_, err = report.Build(in)
	assert.Error(t, err)
}

func TestRateText(t *testing.T) {
	assert.Equal(t, "—（0/0）", report.RateText(assess.Rate{}))
	assert.Equal(t, "66.67%（2/3）", report.RateText(assess.Rate{Num: 2, Den: 3}))
	assert.Equal(t, "100.00%（5/5）", report.RateText(assess.Rate{Num: 5, Den: 5}))
}

// nopTB lets the example use the fixture: a failure panics.
type nopTB struct{ testing.TB }

func (nopTB) Helper()                           {}
func (nopTB) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (nopTB) FailNow()                          { panic("fixture failed") }
