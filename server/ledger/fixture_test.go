package ledger_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/ledger"
	"github.com/hotline12345/hotline/ticket"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, deadline.Location())
	if err != nil {
		panic(err)
	}
	return t
}

func machine(tb testing.TB) *ticket.Machine {
	tb.Helper()
	m, err := ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline())
	require.NoError(tb, err)
	return m
}

func office(a ticket.Action, p ticket.Payload) ticket.Request {
	return ticket.Request{Actor: "op-07", Role: ticket.RoleHotlineOffice, Action: a, Payload: p}
}

func unit(a ticket.Action, p ticket.Payload) ticket.Request {
	return ticket.Request{Actor: "unit-a", Role: ticket.RoleHandlingUnit, Action: a, Payload: p}
}

var noise = ticket.Matter{Levels: []ticket.MatterLevel{{Code: "05", Label: "城市管理"}, {Code: "0502", Label: "施工管理"}}}

// tickets are a small ledger's worth: a closed ticket with a callback, one still open and overdue,
// one just received, an enterprise's 办不成事 case at the offline window, and one whose title starts
// like a spreadsheet formula.
func tickets(tb testing.TB) []*ticket.Ticket {
	tb.Helper()
	m := machine(tb)
	mk := func(seq int, recv time.Time, in ticket.Intake, steps ...ticket.Request) *ticket.Ticket {
		num, err := ticket.NewNumber("HL", recv, seq)
		require.NoError(tb, err)
		in.Number, in.Received = num, recv
		t, err := m.Accept(in, "op-07", ticket.RoleHotlineOffice, recv)
		require.NoError(tb, err)
		for i, s := range steps {
			_, err := m.Apply(t, s, recv.Add(time.Duration(i+1)*time.Hour))
			require.NoError(tb, err, "step %d %s", i, s.Action)
		}
		return t
	}
	dispatch := office(ticket.ActionDispatch, ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "unit-a", CoHandling: []string{"unit-b"},
		DispatchMode: ticket.DispatchStatutory, Complexity: ticket.ComplexityGeneral}})
	reply := unit(ticket.ActionReply, ticket.Payload{Reply: &ticket.Reply{Report: "已约谈施工单位。", Summary: "已责令夜间停工",
		Outcome: ticket.OutcomeResolved}})
	cb := office(ticket.ActionCallback, ticket.Payload{Callback: &ticket.Callback{Contacted: true, Resolved: true,
		Result: ticket.Satisfied, Efficiency: ticket.Satisfied, Attitude: ticket.Satisfied}})
	citizen := ticket.Person{Name: "张三", Phone: "13812345678", Address: "宝山区友谊路1号"}
	return []*ticket.Ticket{
		mk(1, at("2026-11-02 09:00"), ticket.Intake{Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint, Title: "工地夜间施工噪声",
			Content: "小区旁工地夜间施工，噪声扰民。", Citizen: citizen, Place: ticket.Place{RegionCode: "310113003"}, Matter: noise},
			office(ticket.ActionFirstContact, ticket.Payload{}), dispatch, unit(ticket.ActionFirstContact, ticket.Payload{}), reply, cb,
			office(ticket.ActionClose, ticket.Payload{})),
		mk(2, at("2026-10-09 14:30"), ticket.Intake{Channel: ticket.ChannelWeb, Kind: ticket.KindHelpRequest, Urgency: ticket.UrgencySpecial,
			Title: "路灯不亮", Content: "友谊路路灯连续三晚不亮。", Citizen: ticket.Person{Name: "李四", Phone: "13900001111"}},
			dispatch, office(ticket.ActionSupervise, ticket.Payload{Supervision: &ticket.Supervision{Trigger: ticket.TriggerInstruction}})),
		mk(3, at("2026-11-30 08:15"), ticket.Intake{Channel: ticket.ChannelSuishenban, Kind: ticket.KindSuggestion,
			Content: "建议增设公交站。"}),
		mk(4, at("2026-11-05 10:00"), ticket.Intake{Channel: ticket.ChannelWindowOffline, Kind: ticket.KindErrand, Title: "营业执照变更办不成",
			Content: "多次来大厅未能办理。", Citizen: ticket.Person{Enterprise: "上海某某贸易有限公司", Name: "王五", Phone: "021-66001234"}},
			dispatch),
		mk(5, at("2026-11-06 16:45"), ticket.Intake{Channel: ticket.ChannelWindowOnline, Kind: ticket.KindConsultation,
			Title: "=HYPERLINK(\"http://x\")", Content: "-2+3 @home", Citizen: ticket.Person{Name: "赵六"}}),
	}
}

// names shows the fixture's units by name.
func names(id string) string {
	return map[string]string{"unit-a": "友谊路街道", "unit-b": "宝山区房管局"}[id]
}

// rowsOf streams the rows of ts.
func rowsOf(ts []*ticket.Ticket, row func(*ticket.Ticket, ledger.Names, time.Time) ledger.Row, now time.Time) ledger.Rows {
	return func(yield func(ledger.Row, error) bool) {
		for _, t := range ts {
			if !yield(row(t, names, now), nil) {
				return
			}
		}
	}
}
