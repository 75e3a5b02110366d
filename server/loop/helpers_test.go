package loop_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/ticket"
	"github.com/stretchr/testify/require"
)

// at reads a fixed "2006-01-02 15:04" instant in Asia/Shanghai.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, deadline.Location())
	if err != nil {
		panic(err)
	}
	return t
}

// directory is the slice of 宝山区 the tests route in: 友谊路街道, one residents' committee, a
// three-level catalogue and the units that answer for it (the example's directory).
func directory(tb testing.TB) *routing.Directory {
	tb.Helper()
	tree, err := routing.NewRegionTree([]routing.Region{
		{Code: "310113", Name: "宝山区", Level: routing.LevelCounty},
		{Code: "310113003", Name: "友谊路街道", Parent: "310113", Level: routing.LevelTown},
		{Code: "310113003001", Name: "宝钢一村居委会", Parent: "310113003", Level: routing.LevelVillage},
	})
	require.NoError(tb, err)
	matters := []routing.Matter{
		{Code: "03", Name: "市容环境", Kind: routing.MatterSectorLine, Line: "绿化市容"},
		{Code: "05", Name: "城市管理", Kind: routing.MatterSectorLine, Line: "城管执法"},
		{Code: "0502", Name: "施工管理"},
		{Code: "050201", Name: "夜间施工噪声"},
		{Code: "07", Name: "社区治理", Kind: routing.MatterTerritorial},
	}
	units := []routing.Unit{
		{ID: "bs-gov", Name: "宝山区人民政府", Kind: routing.UnitDistrictGovernment, Areas: []routing.RegionCode{"310113"}, Territorial: true},
		{ID: "bs-lhsr", Name: "宝山区绿化市容局", Kind: routing.UnitFunctionalDepartment, Parent: "bs-gov", Line: "绿化市容",
			Areas: []routing.RegionCode{"310113"}, Matters: []routing.MatterCode{"03"}, Authority: "bs-gov"},
		{ID: "bs-cgzf", Name: "宝山区城管执法局", Kind: routing.UnitFunctionalDepartment, Parent: "bs-gov", Line: "城管执法",
			Areas: []routing.RegionCode{"310113"}, Matters: []routing.MatterCode{"0502"}, Authority: "bs-gov"},
		{ID: "yy-gov", Name: "友谊路街道办事处", Kind: routing.UnitStreet, Parent: "bs-gov",
			Areas: []routing.RegionCode{"310113003"}, Matters: []routing.MatterCode{"07"}, Territorial: true, Authority: "bs-gov"},
		{ID: "yy-cyzx", Name: "友谊路街道城运中心", Kind: routing.UnitFunctionalDepartment, Parent: "yy-gov", Line: "城管执法",
			Areas: []routing.RegionCode{"310113003"}, Matters: []routing.MatterCode{"0502"}, Authority: "yy-gov"},
		{ID: "yy-sqglb", Name: "友谊路街道社区管理办", Kind: routing.UnitFunctionalDepartment, Parent: "yy-gov",
			Areas: []routing.RegionCode{"310113003"}, Matters: []routing.MatterCode{"07"}, Authority: "yy-gov"},
		{ID: "yy-bg1", Name: "宝钢一村居委会", Kind: routing.UnitResidentsCommittee, Parent: "yy-gov",
			Areas: []routing.RegionCode{"310113003001"}, Matters: []routing.MatterCode{"07"}, Authority: "yy-gov"},
	}
	dir, err := routing.NewDirectory(tree, matters, units)
	require.NoError(tb, err)
	return dir
}

// router routes under 000's policy, with 宝山区人民政府 standing in for the designating authority.
func router(tb testing.TB) *routing.Router {
	tb.Helper()
	p := routing.Shanghai()
	p.ObjectionAuthority = "bs-gov"
	r, err := routing.NewRouter(directory(tb), p)
	require.NoError(tb, err)
	return r
}

var noise = ticket.Matter{Levels: []ticket.MatterLevel{
	{Code: "05", Label: "城市管理"}, {Code: "0502", Label: "施工管理"}, {Code: "050201", Label: "夜间施工噪声"}}}

// streetMachine handles tickets under the street hotline (004): first contact by the office.
func streetMachine(tb testing.TB) *ticket.Machine {
	tb.Helper()
	m, err := ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline())
	require.NoError(tb, err)
	return m
}

// oneNetMachine handles tickets under 000 (一网通办 "1、5、15"): first contact by the unit.
func oneNetMachine(tb testing.TB) *ticket.Machine {
	tb.Helper()
	m, err := ticket.NewMachine(deadline.China(), deadline.ShanghaiOneNet(), ticket.Shanghai())
	require.NoError(tb, err)
	return m
}

// accept accepts a ticket of kind k (a review comes by the 好差评 channel) at 2026-10-08 11:00.
func accept(tb testing.TB, m *ticket.Machine, k ticket.Kind, seq int) *ticket.Ticket {
	tb.Helper()
	ch := ticket.ChannelPhone
	if k == ticket.KindReview {
		ch = ticket.ChannelBadReview
	}
	recv := at("2026-10-08 11:00")
	num, err := ticket.NewNumber("BSYYL", recv, seq)
	require.NoError(tb, err)
	t, err := m.Accept(ticket.Intake{Number: num, Channel: ch, Kind: k, Received: recv,
		Content: "宝钢一村旁工地连续多晚施工到凌晨，噪声扰民。", Citizen: ticket.Person{Name: "张三", Phone: "13812345678"},
		Place: ticket.Place{RegionCode: "310113003001", Address: "宝钢一村"}, Matter: noise}, "operator-07", ticket.RoleHotlineOffice, recv)
	require.NoError(tb, err)
	return t
}

// apply applies the requests in order at the given instants (one per request, or the last repeated).
func apply(tb testing.TB, m *ticket.Machine, t *ticket.Ticket, reqs []ticket.Request, when ...string) {
	tb.Helper()
	for i, r := range reqs {
		w := when[min(i, len(when)-1)]
		_, err := m.Apply(t, r, at(w))
		require.NoError(tb, err, "request %d (%s) at %s", i, r.Action, w)
	}
}

func office(a ticket.Action, p ticket.Payload) ticket.Request {
	return ticket.Request{Actor: "operator-07", Role: ticket.RoleHotlineOffice, Action: a, Payload: p}
}

func unit(id string, a ticket.Action, p ticket.Payload) ticket.Request {
	return ticket.Request{Actor: id, Role: ticket.RoleHandlingUnit, Action: a, Payload: p}
}

func dispatchTo(lead string) ticket.Request {
	return office(ticket.ActionDispatch, ticket.Payload{Dispatch: &ticket.Dispatch{Lead: lead, DispatchMode: ticket.DispatchStatutory,
		Complexity: ticket.ComplexityGeneral}})
}

func contact(id string) ticket.Request { return unit(id, ticket.ActionFirstContact, ticket.Payload{}) }

func replyBy(id, reviewedBy string) ticket.Request {
	return unit(id, ticket.ActionReply, ticket.Payload{Reply: &ticket.Reply{Report: "已约谈施工单位。", Summary: "已责令夜间停工",
		Outcome: ticket.OutcomeResolved, ReviewedBy: reviewedBy}})
}

func callback(s ticket.Satisfaction) ticket.Request {
	return office(ticket.ActionCallback, ticket.Payload{Callback: &ticket.Callback{Contacted: true, Resolved: s != ticket.Dissatisfied,
		Result: s, Efficiency: s, Attitude: s}})
}

// appeals is the appeal engine of 000 §6–§7 on the 一网通办 limits.
func appeals(tb testing.TB) *appeal.Machine {
	tb.Helper()
	m, err := appeal.NewMachine(deadline.China(), deadline.ShanghaiOneNet(), appeal.Shanghai())
	require.NoError(tb, err)
	return m
}

// nopTB lets the examples use the fixtures: a failure panics.
type nopTB struct{ testing.TB }

func (nopTB) Helper()                           {}
func (nopTB) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (nopTB) FailNow()                          { panic("fixture failed") }
