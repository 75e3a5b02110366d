package ticket

import (
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/require"
)

// Test fixtures of the lifecycle half of the package. Names start with lc so they cannot collide
// with the screening half's test helpers.

var lcCal = deadline.China()

// lcAt returns the instant "2006-01-02 15:04" in Asia/Shanghai.
func lcAt(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, deadline.Location())
	if err != nil {
		panic(err)
	}
	return t
}

// lcMonday is Monday 2026-11-23 09:00, a plain working week without holidays.
var lcMonday = lcAt("2026-11-23 09:00")

func lcMachine(t testing.TB, pol deadline.Policy) *Machine {
	t.Helper()
	return lcMachineP(t, pol, nil)
}

// lcMachineP returns a machine under pol and the street policy changed by edit.
func lcMachineP(t testing.TB, pol deadline.Policy, edit func(p *Policy)) *Machine {
	t.Helper()
	p := StreetHotline()
	if edit != nil {
		edit(&p)
	}
	m, err := NewMachine(lcCal, pol, p)
	require.NoError(t, err)
	return m
}

func lcNumber(seq int) Number {
	return Number{Prefix: "BSYYL", Year: 2026, Month: time.November, Day: 23, Seq: seq}
}

func lcIntake(ch Channel) Intake {
	return Intake{
		Number:  lcNumber(1),
		Channel: ch,
		Kind:    KindComplaint,
		Title:   "夜间施工噪声",
		Content: "小区旁工地夜间22点后仍在施工，噪声扰民。",
		Citizen: Person{Name: "张三", Phone: "13812345678", Address: "友谊路1号"},
		Place:   Place{RegionCode: "310113", Address: "友谊路1号"},
		Matter: Matter{Levels: []MatterLevel{
			{Code: "07", Label: "市容环境"}, {Code: "0703", Label: "噪声扰民"}, {Code: "070301", Label: "施工噪声"},
		}},
	}
}

// Request builders.

func lcReq(role Role, a Action) Request {
	return Request{Actor: "actor-" + role.String(), Role: role, Action: a}
}

func lcAccept(in Intake) Request {
	r := lcReq(RoleHotlineOffice, ActionAccept)
	r.Payload.Intake = &in
	return r
}

func lcDispatch(lead string, mode HandlingMode, c Complexity, co ...string) Request {
	r := lcReq(RoleHotlineOffice, ActionDispatch)
	r.Payload.Dispatch = &Dispatch{Lead: lead, CoHandling: co, DispatchMode: DispatchStatutory, Mode: mode, Complexity: c}
	return r
}

func lcDesignate(lead string) Request {
	r := lcReq(RoleLeader, ActionDesignate)
	r.Payload.Dispatch = &Dispatch{Lead: lead, DispatchMode: DispatchDesignated}
	return r
}

func lcFirstContact() Request { return lcReq(RoleHandlingUnit, ActionFirstContact) }

func lcReply(o ReplyOutcome) Request {
	r := lcReq(RoleHandlingUnit, ActionReply)
	r.Payload.Reply = &Reply{Report: "已约谈施工单位，夜间停工。", Summary: "已责令夜间停工", Outcome: o, ReviewedBy: "分管领导王"}
	return r
}

func lcAnswer() Request {
	r := lcReq(RoleHotlineOffice, ActionAnswer)
	r.Payload.Reply = &Reply{Report: "按政策当场答复。", Summary: "已答复", Outcome: OutcomeExplained}
	return r
}

func lcCallback(satisfied bool) Request {
	r := lcReq(RoleHotlineOffice, ActionCallback)
	lv := Satisfied
	if !satisfied {
		lv = Dissatisfied
	}
	r.Payload.Callback = &Callback{Contacted: true, Resolved: satisfied, Result: lv, Efficiency: lv, Attitude: Satisfied}
	return r
}

func lcRefusal(a Action) Request {
	r := lcReq(RoleHotlineOffice, a)
	r.Payload.Refusal = &Refusal{Code: "out_of_scope", Explanation: "不属于本级事权"}
	return r
}

func lcReturn(suggested string) Request {
	r := lcReq(RoleHandlingUnit, ActionReturn)
	r.Payload.Return = &Return{SuggestedUnit: suggested, Basis: "该路段由区绿化市容局管理"}
	return r
}

func lcExtension(days int, report string) Request {
	r := lcReq(RoleHandlingUnit, ActionRequestExtension)
	r.Payload.Extension = &Extension{Days: days, Explanation: "需协调施工单位调整工期", WrittenReport: report}
	return r
}

func lcApproval(a Action, role Role, approver string) Request {
	r := lcReq(role, a)
	r.Payload.Approval = &Approval{Approver: approver}
	if a == ActionRefuseExtension {
		r.Reason = "理由不充分"
	}
	return r
}

func lcSupervise(tr SupervisionTrigger) Request {
	r := lcReq(RoleSupervisor, ActionSupervise)
	r.Payload.Supervision = &Supervision{Trigger: tr}
	return r
}

func lcRepeat(seq int) Request {
	r := lcReq(RoleSystem, ActionMarkRepeat)
	r.Payload.Repeat = &Repeat{Of: lcNumber(seq)}
	return r
}

func lcCloseStored(approver string) Request {
	r := lcReq(RoleHotlineOffice, ActionCloseStored)
	r.Payload.Closure = &Closure{Approver: approver}
	r.Reason = "多次答复仍不满意"
	return r
}

// lcReviewIntake is a bad review (差评) received through the 好差评 channel: kind review, the only
// kind that may be closed as unfounded (000 §6 (二)).
func lcReviewIntake() Intake {
	in := lcIntake(ChannelBadReview)
	in.Kind = KindReview
	in.Title = "差评：夜间施工噪声无人处理"
	return in
}

// lcCloseUnfounded is the handling unit's close as unfounded after the district's appeal review
// upheld its appeal against review R-1.
func lcCloseUnfounded() Request {
	r := lcReq(RoleHandlingUnit, ActionCloseUnfounded)
	r.Payload.AppealReview = &AppealReview{Appeal: "A-1", Review: "R-1", Reviewer: "区政务服务办", Level: ReviewerDistrict}
	return r
}

func lcWithReason(r Request, reason string) Request { r.Reason = reason; return r }

// lcStep is a request at an instant.
type lcStep struct {
	req Request
	at  time.Time
}

// lcRun applies steps to a new ticket, failing the test on the first error.
func lcRun(t testing.TB, m *Machine, steps ...lcStep) *Ticket {
	t.Helper()
	tk := &Ticket{}
	for i, s := range steps {
		_, err := m.Apply(tk, s.req, s.at)
		require.NoError(t, err, "step %d: %s", i+1, s.req.Action)
	}
	return tk
}

// lcHours returns lcMonday plus h hours.
func lcHours(h int) time.Time { return lcMonday.Add(time.Duration(h) * time.Hour) }
