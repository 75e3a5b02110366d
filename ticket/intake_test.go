package ticket

import (
	"encoding/json"
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

// 000 第十条, 002 第十一条, 004 第十六条: a ticket shown to anyone but its handlers carries no phone or
// ID number anywhere, its history included; the handler's copy is the ticket itself; the original
// is never changed.
func TestMaskTicket(t *testing.T) {
	id := mkID(t, "31011319900307123")
	m := lcMachine(t, deadline.StreetHotline())
	in := lcIntake(ChannelPhone)
	in.Citizen.IDNumber = id
	in.Citizen.Address = "上海市宝山区友谊路街道友谊路123弄4号501室"
	in.Place.Address = "上海市宝山区友谊路街道友谊路123弄"
	in.Content = "我叫张三，电话13812345678，身份证" + id + "，工地夜间施工。"
	tk := lcRun(t, m,
		lcStep{lcAccept(in), lcHours(0)},
		lcStep{lcDispatch("居委会A", noMode, ""), lcHours(1)},
		lcStep{lcWithReason(lcFirstContact(), "已致电13812345678"), lcHours(2)},
	)
	r := lcReply(OutcomeResolved)
	r.Payload.Reply.Report = "已电话联系13812345678，施工单位夜间停工。"
	_, err := m.Apply(tk, r, lcHours(3))
	require.NoError(t, err)
	before, err := json.Marshal(tk)
	require.NoError(t, err)

	p := DefaultMaskPolicy()
	for _, a := range []Audience{AudienceStaff, AudiencePublic, Audience("press")} {
		masked := p.MaskTicket(tk, a)
		out, err := json.Marshal(masked)
		require.NoError(t, err)
		assert.NotContains(t, string(out), "13812345678", "%s sees no phone number", a)
		assert.NotContains(t, string(out), id, "%s sees no ID number", a)
		assert.NotContains(t, string(out), "123弄", "%s sees no house number", a)
		assert.NotContains(t, string(out), "张三", "%s sees no full name", a)
		assert.Equal(t, tk.State, masked.State)
		assert.Len(t, masked.History, len(tk.History))
	}
	staff := p.MaskTicket(tk, AudienceStaff)
	assert.Equal(t, "张*", staff.Citizen.Name)
	assert.Equal(t, "138****5678", staff.Citizen.Phone)
	assert.Equal(t, id[:6]+"********"+id[14:], staff.Citizen.IDNumber)
	assert.Equal(t, "上海市宝山区友谊路街道***", staff.Citizen.Address)
	assert.Equal(t, "上海市宝山区友谊路街道***", staff.Place.Address)
	assert.Equal(t, "张*", staff.History[0].Payload.Intake.Citizen.Name)
	assert.Equal(t, "已电话联系138****5678，施工单位夜间停工。", staff.Reply.Report)
	assert.Equal(t, "上海市宝山区***", p.MaskTicket(tk, AudiencePublic).Place.Address)

	handler := p.MaskTicket(tk, AudienceHandler)
	assert.Equal(t, tk, handler, "the handler sees everything")
	assert.NotSame(t, tk, handler)
	handler.History[0].Payload.Intake.Citizen.Name = "changed"
	handler.Reply.Report = "changed"

	after, err := json.Marshal(tk)
	require.NoError(t, err)
	assert.JSONEq(t, string(before), string(after), "masking never changes the ticket")
	assert.Nil(t, p.MaskTicket(nil, AudienceStaff))
}

// FuzzMaskTicket checks the masking property on whole tickets: no text of a masked ticket, its
// history included, shows a mobile or ID number, or the longest run of 7 or more digits of what the
// citizen gave (000 第十条; 004 第十六条).
func FuzzMaskTicket(f *testing.F) {
	for _, s := range []string{"13812345678", "我是张三，电话138-1234-5678", "身份证11010519491231002X", "021-12345678", "张三"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		longest := ""
		for _, r := range digitRuns(s) {
			if len(r) > len(longest) {
				longest = r
			}
		}
		who := Person{Name: s, Phone: s, IDNumber: s, Address: s}
		in := Intake{Title: s, Content: s, Citizen: who, Place: Place{Address: s}}
		tk := &Ticket{Title: s, Content: s, Citizen: who, Place: Place{Address: s},
			Refusal: &Refusal{Code: "x", Explanation: s}, Reply: &Reply{Report: s, Summary: s},
			Extension: &Extension{Explanation: s, WrittenReport: s},
			History: []Event{
				{Seq: 1, Action: ActionAccept, Reason: s, Payload: Payload{Intake: &in}},
				{Seq: 2, Action: ActionReturn, Reason: s, Payload: Payload{Return: &Return{SuggestedUnit: "u", Basis: s}}},
			}}
		p := DefaultMaskPolicy()
		for _, a := range []Audience{AudienceStaff, AudiencePublic, "other"} {
			m := p.MaskTicket(tk, a)
			mi := m.History[0].Payload.Intake
			for _, v := range []string{m.Title, m.Content, m.Citizen.Name, m.Citizen.Phone, m.Citizen.IDNumber,
				m.Citizen.Address, m.Place.Address, m.Refusal.Explanation, m.Reply.Report, m.Reply.Summary,
				m.Extension.Explanation, m.Extension.WrittenReport, m.History[0].Reason, m.History[1].Reason,
				m.History[1].Payload.Return.Basis, mi.Title, mi.Content, mi.Citizen.Name, mi.Citizen.Phone,
				mi.Citizen.IDNumber, mi.Citizen.Address, mi.Place.Address} {
				if len(longest) >= 7 {
					for _, run := range digitRuns(v) {
						require.NotContains(t, run, longest, "audience %s masked %q as %q", a, s, v)
					}
				}
				require.False(t, leaks(v), "audience %s: %q leaks a number", a, v)
			}
		}
		require.Equal(t, s, tk.History[0].Payload.Intake.Content, "the ticket itself is unchanged")
	})
}
