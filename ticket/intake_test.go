package ticket

import (
	"testing"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIntakeScreenInput(t *testing.T) {
	in := lcIntake(ChannelPhone)
	got := in.ScreenInput()
	assert.Equal(t, ScreenInput{
		Channel: ChannelPhone, Kind: KindComplaint, Text: "夜间施工噪声\n小区旁工地夜间22点后仍在施工，噪声扰民。",
		Name: "张三", Contact: "13812345678", Place: "友谊路1号", RegionCode: "310113", Matter: "070301",
	}, got)

	in.Title, in.Citizen = "", Person{Enterprise: "上海某某有限公司", CreditCode: mkCredit(t, "91310113MA1GKXXX0")}
	got = in.ScreenInput()
	assert.Equal(t, in.Content, got.Text, "no title: the content alone")
	assert.Equal(t, "上海某某有限公司", got.Name, "an enterprise is named by its name")
}

// 002 §5, 000 §4 (一): each screening outcome that does not accept the item maps to the lifecycle
// action that applies it to the received ticket, with its reason code and where to go instead.
func TestScreenResultRefusalDrivesTheLifecycle(t *testing.T) {
	hebi, err := NewScreener(HebiScreenPolicy())
	require.NoError(t, err)
	sh, err := NewScreener(ShanghaiScreenPolicy())
	require.NoError(t, err)

	petition := lcIntake(ChannelPhone)
	petition.Content = "我的信访事项一直没有结果，要求答复。"
	stateCouncil := lcIntake(ChannelStateCouncil)
	stateCouncil.Urgency = UrgencyGeneral
	stateCouncil.Place = Place{RegionCode: "110101", Address: "北京市东城区"}
	city := lcIntake(ChannelOneNetPortal)
	city.Citizen.Phone = ""
	noContact := lcIntake(ChannelPhone)
	noContact.Citizen.Phone = ""

	tests := []struct {
		name       string
		s          *Screener
		pol        deadline.Policy
		in         Intake
		outcome    ScreenOutcome
		action     Action // "": none
		code       string
		redirect   string
		finalState State
	}{
		{"accepted", hebi, deadline.StreetHotline(), lcIntake(ChannelPhone), ScreenAccept, "", "", "", StateReceived},
		{"petition refused with redirect", hebi, deadline.StreetHotline(), petition, ScreenRefuse, ActionRefuse,
			"out_of_scope.petition", "信访部门（信访办）", StateRefused},
		{"国办 item outside the remit returned upstream", sh, deadline.StateCouncilForwarded(), stateCouncil,
			ScreenReturnUpstream, ActionReturnUpstream, ReasonOutsideRemit, "", StateReturnedUpstream},
		{"city item without contact archived", sh, deadline.StateCouncilForwarded(), city, ScreenArchive, ActionArchive,
			ReasonMissingElements, "", StateArchived},
		{"missing contact asked for", hebi, deadline.StreetHotline(), noContact, ScreenMissingElements, "", "", "", StateReceived},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.s.Screen(tt.in.ScreenInput())
			require.Equal(t, tt.outcome, res.Outcome, res.Explanation)
			m := lcMachine(t, tt.pol)
			tk, err := m.Accept(tt.in, "op-1", RoleHotlineOffice, lcMonday)
			require.NoError(t, err)
			a, ref, ok := res.Refusal()
			assert.Equal(t, tt.action != "", ok)
			if ok {
				assert.Equal(t, tt.action, a)
				assert.Equal(t, tt.code, ref.Code)
				assert.Equal(t, tt.redirect, ref.Redirect)
				assert.Equal(t, res.Message, ref.Explanation)
				_, err := m.Apply(tk, Request{Actor: "op-1", Role: RoleHotlineOffice, Action: a, Payload: Payload{Refusal: &ref}}, lcMonday)
				require.NoError(t, err)
			}
			assert.Equal(t, tt.finalState, tk.State)
		})
	}
}

// 004 §12 (二) 2 (repeat complaints): a ticket is indexed under the keyed hash of its caller's phone, or
// of the ID number or credit code without one; never the number itself.
func TestTicketRepeatRecord(t *testing.T) {
	mac, err := NewSM3MAC([]byte("0123456789abcdef"))
	require.NoError(t, err)
	m := lcMachine(t, deadline.StreetHotline())
	tk, err := m.Accept(lcIntake(ChannelPhone), "op-1", RoleHotlineOffice, lcMonday)
	require.NoError(t, err)

	rec := tk.RepeatRecord(mac)
	want, err := CallerKeyOf(mac, "13812345678")
	require.NoError(t, err)
	assert.Equal(t, RepeatRecord{ID: "BSYYL-20261123-000001-9", Caller: want, Region: "310113", Matter: "070301",
		Received: lcMonday, Text: "夜间施工噪声\n小区旁工地夜间22点后仍在施工，噪声扰民。"}, rec)

	id := mkID(t, "31011319900307123")
	tk.Citizen = Person{IDNumber: id}
	byID, _ := CallerKeyOf(mac, id)
	assert.Equal(t, byID, tk.RepeatRecord(mac).Caller, "no phone: the ID number")
	tk.Citizen = Person{}
	assert.True(t, tk.RepeatRecord(mac).Caller.IsZero(), "no identifier: unknown caller")
	assert.True(t, tk.RepeatRecord(nil).Caller.IsZero())

	// The record found as a repeat by the index links the later ticket.
	x, err := NewRepeatIndex(StreetRepeatPolicy())
	require.NoError(t, err)
	require.NoError(t, x.Add(rec))
	in2 := lcIntake(ChannelPhone)
	in2.Number = lcNumber(2)
	tk2, err := m.Accept(in2, "op-1", RoleHotlineOffice, lcMonday.AddDate(0, 0, 1))
	require.NoError(t, err)
	match, ok := x.Find(tk2.RepeatRecord(mac), tk2.Received)
	require.True(t, ok)
	assert.Equal(t, rec.ID, match.Original)
}
