package ticket_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/ticket"
)

func at(s string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", s, deadline.Location())
	return t
}

func newIntake() ticket.Intake {
	return ticket.Intake{
		Number:  ticket.Number{Prefix: "BSYYL", Year: 2026, Month: time.November, Day: 23, Seq: 42},
		Channel: ticket.ChannelPhone,
		Kind:    ticket.KindComplaint,
		Content: "小区旁工地夜间施工，噪声扰民。",
		Citizen: ticket.Person{Name: "张三", Phone: "13812345678"},
	}
}

// A street hotline ticket from intake to close under 004's limits.
func ExampleMachine_Apply() {
	m, err := ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline())
	if err != nil {
		panic(err)
	}
	t, err := m.Accept(newIntake(), "operator-7", ticket.RoleHotlineOffice, at("2026-11-23 09:00"))
	if err != nil {
		panic(err)
	}
	steps := []struct {
		req ticket.Request
		at  string
	}{
		{ticket.Request{Actor: "operator-7", Role: ticket.RoleHotlineOffice, Action: ticket.ActionDispatch,
			Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "居委会A", DispatchMode: ticket.DispatchStatutory,
				Complexity: ticket.ComplexityGeneral}}}, "2026-11-23 10:00"},
		{ticket.Request{Actor: "unit-3", Role: ticket.RoleHandlingUnit, Action: ticket.ActionFirstContact}, "2026-11-25 08:30"},
		{ticket.Request{Actor: "unit-3", Role: ticket.RoleHandlingUnit, Action: ticket.ActionReply,
			Payload: ticket.Payload{Reply: &ticket.Reply{Report: "已约谈施工单位。", Summary: "夜间已停工",
				Outcome: ticket.OutcomeResolved}}}, "2026-11-27 16:00"},
		{ticket.Request{Actor: "operator-9", Role: ticket.RoleHotlineOffice, Action: ticket.ActionCallback,
			Payload: ticket.Payload{Callback: &ticket.Callback{Contacted: true, Resolved: true,
				Result: ticket.Satisfied, Efficiency: ticket.Satisfied, Attitude: ticket.Satisfied}}}, "2026-11-30 10:00"},
		{ticket.Request{Actor: "operator-9", Role: ticket.RoleHotlineOffice, Action: ticket.ActionClose}, "2026-11-30 10:05"},
	}
	for _, s := range steps {
		if _, err := m.Apply(t, s.req, at(s.at)); err != nil {
			panic(err)
		}
	}
	for _, e := range t.History {
		fmt.Println(e)
	}
	fmt.Println("first contact late:", t.Deadlines.FirstContact.Late)
	// Output:
	// #1 2026-11-23 09:00 热线办 operator-7: 受理 待受理→已受理; first contact by the hotline office due 2026-11-25 00:00 (first_contact 先行联系, 004 §8 (一))
	// #2 2026-11-23 10:00 热线办 operator-7: 派单 已受理→已派单; reply due 2026-12-01 00:00 (reply_general 一般事项, 004 §8 (二); 004 §9 第一款)
	// #3 2026-11-25 08:30 承办单位 unit-3: 先行联系 已派单→办理中; first contact late: due 2026-11-25 00:00, done 2026-11-25 08:30 (004 §8 (一))
	// #4 2026-11-27 16:00 承办单位 unit-3: 办结答复 办理中→已办结
	// #5 2026-11-30 10:00 热线办 operator-9: 回访 已办结→已回访
	// #6 2026-11-30 10:05 热线办 operator-9: 结案 已回访→已结案
	// first contact late: true
}

// An extension requested after its window is refused with the instant the window closed (004 §9).
func ExampleMachine_Apply_extensionOutsideWindow() {
	m, _ := ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline())
	t, _ := m.Accept(newIntake(), "operator-7", ticket.RoleHotlineOffice, at("2026-11-23 09:00"))
	_, _ = m.Apply(t, ticket.Request{Actor: "operator-7", Role: ticket.RoleHotlineOffice, Action: ticket.ActionDispatch,
		Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "居委会A", DispatchMode: ticket.DispatchStatutory}}},
		at("2026-11-23 10:00"))
	_, _ = m.Apply(t, ticket.Request{Actor: "unit-3", Role: ticket.RoleHandlingUnit, Action: ticket.ActionFirstContact},
		at("2026-11-23 11:00"))

	_, err := m.Apply(t, ticket.Request{Actor: "unit-3", Role: ticket.RoleHandlingUnit, Action: ticket.ActionRequestExtension,
		Payload: ticket.Payload{Extension: &ticket.Extension{Days: 10, Explanation: "需协调施工单位"}}},
		at("2026-11-27 09:00"))
	fmt.Println(errors.Is(err, ticket.ErrOutsideWindow))
	var te *ticket.TransitionError
	if errors.As(err, &te) {
		fmt.Println(te.State, te.Action, te.Reason)
	}
	// Output:
	// true
	// handling request_extension extension of reply_general refused: the window extension_general closed 2026-11-27 00:00
}

// Illegal transitions are typed errors naming the state and the action.
func ExampleTransitionError() {
	m, _ := ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline())
	t, _ := m.Accept(newIntake(), "operator-7", ticket.RoleHotlineOffice, at("2026-11-23 09:00"))
	_, err := m.Apply(t, ticket.Request{Actor: "operator-7", Role: ticket.RoleHotlineOffice, Action: ticket.ActionClose},
		at("2026-11-23 09:30"))
	fmt.Println(errors.Is(err, ticket.ErrIllegalTransition))
	fmt.Println(err)
	// Output:
	// true
	// ticket BSYYL-20261123-000042-S: 已受理 (received) × 结案 (close) by 热线办: no such transition; allowed in this state: [refuse archive return_upstream answer dispatch designate first_contact supervise urge mark_repeat]
}

// The history replays to the same ticket.
func ExampleMachine_Replay() {
	m, _ := ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline())
	t, _ := m.Accept(newIntake(), "operator-7", ticket.RoleHotlineOffice, at("2026-11-23 09:00"))
	_, _ = m.Apply(t, ticket.Request{Actor: "system", Role: ticket.RoleSystem, Action: ticket.ActionMarkRepeat,
		Payload: ticket.Payload{Repeat: &ticket.Repeat{Of: ticket.Number{Prefix: "BSYYL", Year: 2026, Month: 11, Day: 24, Seq: 7}}}},
		at("2026-11-24 09:00"))
	again, err := m.Replay(t.History)
	fmt.Println(err, again.State.Label(), again.Counters.Repeats, len(again.History))
	// Output:
	// <nil> 已受理 1 2
}

// Lookup gives a row of the transition table: next state, roles, payload, clocks and sources.
func ExampleTable_Lookup() {
	row, ok := ticket.Lifecycle().Lookup(ticket.StateHandling, ticket.ActionRequestExtension)
	fmt.Println(ok, row.To.Label(), row.Roles.Label(), row.Carries)
	fmt.Println(row.Source)
	// Output:
	// true 延期申请中 承办单位 extension
	// 004 §9; 000 §5; 002 §6 (二) 1 (4)
}

func ExampleParseNumber() {
	n, err := ticket.ParseNumber("sh12345-20261123-000123-4")
	fmt.Println(n, err)
	_, err = ticket.ParseNumber("SH12345-20261123-000132-4")
	fmt.Println(err)
	// Output:
	// SH12345-20261123-000123-4 <nil>
	// ticket: invalid ticket number "SH12345-20261123-000132-4": check: check character is "4", want "2": a character is wrong or two are swapped
}

// The reply limit follows the handling mode, else the complexity (002 §6 (二) 1; 004 §8 (二)).
func ExampleReplyKey() {
	for _, c := range []struct {
		p deadline.Policy
		m ticket.HandlingMode
		c ticket.Complexity
	}{
		{deadline.Hebi12345(), ticket.ModeTransfer, ""},
		{deadline.Hebi12345(), ticket.ModeJoint, ticket.ComplexityComplex},
		{deadline.StreetHotline(), ticket.ModeTransfer, ticket.ComplexityComplex},
		{deadline.CouldNotGetItDone(), "", ticket.ComplexitySpecial},
	} {
		k, _ := ticket.ReplyKey(c.p, c.m, c.c)
		fmt.Println(c.p.Name, k)
	}
	// Output:
	// hebi-12345 reply_transfer
	// hebi-12345 reply_joint
	// street-hotline reply_complex
	// could-not-get-it-done reply_special
}

// A bad review found unfounded on appeal review is closed as unfounded through the hotline within the
// AppealClose limit, counted from the unit's receipt (000 §6 (二): 15 working days); only a review may
// be.
func ExampleMachine_Apply_closeUnfounded() {
	m, _ := ticket.NewMachine(deadline.China(), deadline.ShanghaiOneNet(), ticket.StreetHotline())
	in := newIntake()
	in.Channel, in.Kind, in.Content = ticket.ChannelBadReview, ticket.KindReview, "差评：投诉无人处理。"
	t, _ := m.Accept(in, "operator-7", ticket.RoleHotlineOffice, at("2026-11-23 09:00"))
	_, _ = m.Apply(t, ticket.Request{Actor: "operator-7", Role: ticket.RoleHotlineOffice, Action: ticket.ActionDispatch,
		Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "区市场监管局", DispatchMode: ticket.DispatchStatutory}}},
		at("2026-11-23 10:00"))
	_, _ = m.Apply(t, ticket.Request{Actor: "unit-5", Role: ticket.RoleHandlingUnit, Action: ticket.ActionFirstContact},
		at("2026-11-23 14:00"))

	// The district's competent department upheld the unit's appeal: the unit closes the review.
	ev, err := m.Apply(t, ticket.Request{Actor: "unit-5", Role: ticket.RoleHandlingUnit, Action: ticket.ActionCloseUnfounded,
		Payload: ticket.Payload{AppealReview: &ticket.AppealReview{Review: "R-1123-01", Reviewer: "区政务服务办",
			Level: ticket.ReviewerDistrict}}}, at("2026-12-03 10:00"))
	if err != nil {
		panic(err)
	}
	fmt.Println(ev)
	fmt.Println("late:", t.Deadlines.AppealClose.Late, "review:", t.Closure.Unfounded.Review)

	// A complaint cannot be closed as unfounded.
	c, _ := m.Accept(newIntake(), "operator-7", ticket.RoleHotlineOffice, at("2026-11-23 09:00"))
	_, _ = m.Apply(c, ticket.Request{Actor: "operator-7", Role: ticket.RoleHotlineOffice, Action: ticket.ActionDispatch,
		Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "区市场监管局", DispatchMode: ticket.DispatchStatutory}}},
		at("2026-11-23 10:00"))
	_, _ = m.Apply(c, ticket.Request{Actor: "unit-5", Role: ticket.RoleHandlingUnit, Action: ticket.ActionFirstContact},
		at("2026-11-23 14:00"))
	_, err = m.Apply(c, ev.Request(), at("2026-12-03 10:00"))
	var ke *ticket.KindError
	fmt.Println(errors.Is(err, ticket.ErrWrongKind), errors.As(err, &ke), ke.Kind)
	fmt.Println(ke)
	// Output:
	// #4 2026-12-03 10:00 承办单位 unit-5: 按不属实评价办结 办理中→不属实办结; review R-1123-01 found unfounded (不属实评价) on appeal review by 区政务服务办 (区级政务服务主管部门): closed as unfounded, 评价结果不予采纳 (000 §6 (二)); close as unfounded due 2026-12-15 00:00, counted from the unit's receipt 2026-11-23 10:00 (appeal_close 差评申诉：按不属实评价办结, 000 §6 (二)); reply clock (reply_general due 2026-12-01 00:00) no longer applies: the review is unfounded (000 §6 (二))
	// late: false review: R-1123-01
	// true true complaint
	// ticket: 按不属实评价办结 (close_unfounded) applies to 评价 (review) tickets only, not 投诉 (complaint) (000 §6 (二))
}

// A ticket records what it runs under; Replay rebuilds it from its history under those policies and
// detects an edited event through the chained digests.
func ExampleMachine_Replay_under() {
	m, _ := ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline())
	t, _ := m.Accept(newIntake(), "operator-7", ticket.RoleHotlineOffice, at("2026-11-23 09:00"))
	_, _ = m.Apply(t, ticket.Request{Actor: "operator-7", Role: ticket.RoleHotlineOffice, Action: ticket.ActionDispatch,
		Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "居委会A", DispatchMode: ticket.DispatchStatutory}}},
		at("2026-11-23 10:00"))
	fmt.Println("under:", t.Under.Deadlines.Name, t.Under.Policy.Name, t.Under.Policy.Version)

	back, err := m.Replay(t.History)
	fmt.Println("replayed:", back.State, err)

	edited := t.Clone().History
	edited[1].Actor = "someone-else"
	_, err = m.Replay(edited)
	fmt.Println("edited actor:", errors.Is(err, ticket.ErrHistoryMismatch))

	hebi, _ := ticket.NewMachine(deadline.China(), deadline.Hebi12345(), ticket.StreetHotline())
	_, err = hebi.Replay(t.History)
	fmt.Println("other deadline policy:", errors.Is(err, ticket.ErrPolicyMismatch))
	// Output:
	// under: street-hotline street-hotline 2026-11
	// replayed: dispatched <nil>
	// edited actor: true
	// other deadline policy: true
}

// The ticket policy presets, by name.
func ExamplePreset() {
	for _, p := range ticket.Presets() {
		fmt.Println(p.Name, p.FirstContactByOffice)
	}
	_, err := ticket.Preset("nowhere")
	fmt.Println(errors.Is(err, ticket.ErrInvalidPolicy))
	// Output:
	// street-hotline true
	// shanghai false
	// true
}
