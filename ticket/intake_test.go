package ticket

import (
	"encoding/json"
	"testing"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
		lcStep{lcDispatch("居委会A", 0, 0), lcHours(1)},
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
