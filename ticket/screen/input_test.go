package screen_test

import (
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/screen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, deadline.Location())

func machine(t testing.TB, pol deadline.Policy) *ticket.Machine {
	t.Helper()
	m, err := ticket.NewMachine(deadline.China(), pol, ticket.StreetHotline())
	require.NoError(t, err)
	return m
}

func number(seq int) ticket.Number {
	return ticket.Number{Prefix: "BSYYL", Year: 2026, Month: time.November, Day: 23, Seq: seq}
}

func intake(ch ticket.Channel) ticket.Intake {
	return ticket.Intake{
		Number:  number(1),
		Channel: ch,
		Kind:    ticket.KindComplaint,
		Title:   "夜间施工噪声",
		Content: "小区旁工地夜间22点后仍在施工，噪声扰民。",
		Citizen: ticket.Person{Name: "张三", Phone: "13812345678", Address: "友谊路1号"},
		Place:   ticket.Place{RegionCode: "310113", Address: "友谊路1号"},
		Matter: ticket.Matter{Levels: []ticket.MatterLevel{
			{Code: "07", Label: "市容环境"}, {Code: "0703", Label: "噪声扰民"}, {Code: "070301", Label: "施工噪声"},
		}},
	}
}

func TestIntakeScreenInput(t *testing.T) {
	in := intake(ticket.ChannelPhone)
	got := screen.InputOf(in)
	assert.Equal(t, screen.Input{
		Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint, Text: "夜间施工噪声\n小区旁工地夜间22点后仍在施工，噪声扰民。",
		Name: "张三", Contact: "13812345678", Place: "友谊路1号", RegionCode: "310113", Matter: "070301",
	}, got)

	in.Title, in.Citizen = "", ticket.Person{Enterprise: "上海某某有限公司", CreditCode: "91310113MA1GKXXX0X"}
	got = screen.InputOf(in)
	assert.Equal(t, in.Content, got.Text, "no title: the content alone")
	assert.Equal(t, "上海某某有限公司", got.Name, "an enterprise is named by its name")
}

// 002 §5, 000 §4 (一): each screening outcome that does not accept the item maps to the lifecycle
// action that applies it to the received ticket, with its reason code and where to go instead.
func TestScreenResultRefusalDrivesTheLifecycle(t *testing.T) {
	hebi, err := screen.New(screen.Hebi())
	require.NoError(t, err)
	sh, err := screen.New(screen.Shanghai())
	require.NoError(t, err)

	petition := intake(ticket.ChannelPhone)
	petition.Content = "我的信访事项一直没有结果，要求答复。"
	stateCouncil := intake(ticket.ChannelStateCouncil)
	stateCouncil.Urgency = ticket.UrgencyGeneral
	stateCouncil.Place = ticket.Place{RegionCode: "110101", Address: "北京市东城区"}
	city := intake(ticket.ChannelOneNetPortal)
	city.Citizen.Phone = ""
	noContact := intake(ticket.ChannelPhone)
	noContact.Citizen.Phone = ""

	tests := []struct {
		name       string
		s          *screen.Screener
		pol        deadline.Policy
		in         ticket.Intake
		outcome    screen.Outcome
		action     ticket.Action // zero: none
		code       string
		redirect   string
		finalState ticket.State
	}{
		{"accepted", hebi, deadline.StreetHotline(), intake(ticket.ChannelPhone), screen.Accept, *new(ticket.Action), "", "", ticket.StateReceived},
		{"petition refused with redirect", hebi, deadline.StreetHotline(), petition, screen.Refuse, ticket.ActionRefuse,
			"out_of_scope.petition", "信访部门（信访办）", ticket.StateRefused},
		{"国办 item outside the remit returned upstream", sh, deadline.StateCouncilForwarded(), stateCouncil,
			screen.ReturnUpstream, ticket.ActionReturnUpstream, screen.ReasonOutsideRemit, "", ticket.StateReturnedUpstream},
		{"city item without contact archived", sh, deadline.StateCouncilForwarded(), city, screen.Archive, ticket.ActionArchive,
			screen.ReasonMissingElements, "", ticket.StateArchived},
		{"missing contact asked for", hebi, deadline.StreetHotline(), noContact, screen.MissingElements, *new(ticket.Action), "", "", ticket.StateReceived},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustScreen(tt.s.Screen(screen.InputOf(tt.in)))
			require.Equal(t, tt.outcome, res.Outcome, res.Explanation)
			m := machine(t, tt.pol)
			tk, err := m.Accept(tt.in, "op-1", ticket.RoleHotlineOffice, monday)
			require.NoError(t, err)
			a, ref, ok := res.Refusal()
			assert.Equal(t, tt.action != *new(ticket.Action), ok)
			if ok {
				assert.Equal(t, tt.action, a)
				assert.Equal(t, tt.code, ref.Code)
				assert.Equal(t, tt.redirect, ref.Redirect)
				assert.Equal(t, res.Message, ref.Explanation)
				_, err := m.Apply(tk, ticket.Request{Actor: "op-1", Role: ticket.RoleHotlineOffice, Action: a, Payload: ticket.Payload{Refusal: &ref}}, monday)
				require.NoError(t, err)
			}
			assert.Equal(t, tt.finalState, tk.State)
		})
	}
}

func mustScreen(r screen.Result, err error) screen.Result {
	if err != nil {
		panic(err)
	}
	return r
}
