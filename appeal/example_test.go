package appeal_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/deadline"
)

func shanghaiTime(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, deadline.Location())
}

// A staff member appeals a bad review through their unit; the district's competent department finds
// it unfounded (000 第六条).
func Example() {
	m, err := appeal.NewMachine(deadline.China(), deadline.ShanghaiOneNet(), appeal.Shanghai())
	if err != nil {
		panic(err)
	}
	req := appeal.Request{
		// Received on Friday 2025-09-26, just before 国庆.
		Ticket:   appeal.TicketRef{ID: "T-0926-001", UnitID: "bs-market", ReceivedAt: shanghaiTime(2025, 9, 26, 10)},
		ReviewID: "R-88",
		Ground:   appeal.GroundMistaken,
		Defence:  "评价所涉事项由其他窗口办理",
		Evidence: []string{"叫号记录 A023"},
		Reviewer: appeal.Reviewer{Unit: "bs-gov-service", Level: appeal.ReviewerDistrict},
	}
	staff := appeal.Actor{Role: appeal.RoleStaff, Unit: "bs-market", Person: "W07"}
	a, err := m.FileAppeal(req, staff, shanghaiTime(2025, 9, 28, 9))
	if err != nil {
		panic(err)
	}
	fmt.Println(a.State().Label(), a.CountsInScores())

	unit := appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "bs-market"}
	if _, err := a.Apply(appeal.Action{Kind: appeal.ActionEndorse}, unit, shanghaiTime(2025, 9, 29, 9)); err != nil {
		panic(err)
	}
	dept := appeal.Actor{Role: appeal.RoleCompetent, Unit: "bs-gov-service"}
	effects, err := a.Apply(appeal.Action{Kind: appeal.ActionUphold, Reason: "叫号记录证实为误评"}, dept, shanghaiTime(2025, 10, 9, 15))
	if err != nil {
		panic(err)
	}
	for _, e := range effects {
		fmt.Println(e.Explain())
	}
	fmt.Println(a.State().Label(), a.CountsInScores())
	// Output:
	// 待本单位审核 true
	// void review R-88 of ticket T-0926-001 as 不属实评价 (误评): exclude it from scores (000 §6 (二))
	// unit bs-market closes ticket T-0926-001 as 不属实评价 by the end of 2025-10-23 (000 §6 (二))
	// 成立 false
}

// A filing after the 15 working days of 000 第六条 (二) is refused, naming the day the window closed.
func ExampleLateError() {
	m, _ := appeal.NewMachine(deadline.China(), deadline.Appeals(), appeal.Shanghai())
	req := appeal.Request{
		Ticket:   appeal.TicketRef{ID: "T1", UnitID: "U1", ReceivedAt: shanghaiTime(2026, 2, 12, 9)}, // before 春节
		ReviewID: "R1", Ground: appeal.GroundMalicious, Defence: "…", Evidence: []string{"E1"},
		Reviewer: appeal.Reviewer{Unit: "D1", Level: appeal.ReviewerCity},
	}
	_, err := m.FileAppeal(req, appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "U1"}, shanghaiTime(2026, 3, 12, 9))
	var late *appeal.LateError
	if errors.As(err, &late) {
		fmt.Println(late.Kind, "closed", late.Closed.Format("2006-01-02 15:04"), "last day", late.LastDay.Format(time.DateOnly), late.Source)
	}
	fmt.Println(errors.Is(err, appeal.ErrLate))
	// Output:
	// appeal filing closed 2026-03-12 00:00 last day 2026-03-11 000 §6 (二)
	// true
}

// A responsibility objection is upheld, the ticket is returned naming the suggested unit, and when
// that unit objects too the city office designates (000 第七条).
func ExampleObjection_Apply() {
	m, _ := appeal.NewMachine(deadline.China(), deadline.ShanghaiOneNet(), appeal.Shanghai())
	req := appeal.ObjectionRequest{
		Ticket:        appeal.TicketRef{ID: "T2", UnitID: "street-a", ReceivedAt: shanghaiTime(2026, 9, 18, 14)},
		Basis:         appeal.BasisLevel,
		BasisText:     "事项属区级部门事权",
		SuggestedUnit: "district-housing",
		Reviewer:      appeal.Reviewer{Unit: "district-gov-service", Level: appeal.ReviewerDistrict},
	}
	o, err := m.FileObjection(req, appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "street-a"}, shanghaiTime(2026, 9, 20, 10))
	if err != nil {
		panic(err)
	}
	dept := appeal.Actor{Role: appeal.RoleCompetent, Unit: "district-gov-service"}
	effects, _ := o.Apply(appeal.Action{Kind: appeal.ActionUphold, Reason: "异议理由成立"}, dept, shanghaiTime(2026, 9, 22, 10))
	fmt.Println(effects[0].Explain())
	suggested := appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "district-housing"}
	effects, _ = o.Apply(appeal.Action{Kind: appeal.ActionObject, Basis: appeal.BasisDepartment, Reason: "属区规划资源局职责"}, suggested, shanghaiTime(2026, 9, 29, 10))
	fmt.Println(effects[0].Explain())
	fmt.Println(o.State().Label())
	// Output:
	// unit street-a returns ticket T2 (不属于本层级受理范围) naming suggested unit district-housing by the end of 2026-09-24; re-dispatch without street-a (000 §7 (二))
	// 市政府办公厅 designates the handling unit of ticket T2: suggested unit district-housing objects (不属于本部门受理范围); excluded: street-a (000 §7 (二))
	// 报市政府办公厅指定
}

// A citizen dissatisfied with the result asks for reconsideration; the handling is found improper and
// the ticket goes back to the unit (002 第六条 (二) 3).
func ExampleReconsideration_Apply() {
	m, _ := appeal.NewMachine(deadline.China(), deadline.Hebi12345(), appeal.Hebi())
	req := appeal.ReconsiderationRequest{
		Ticket:    appeal.TicketRef{ID: "HB-12345-77", UnitID: "qibin-housing", ReceivedAt: shanghaiTime(2026, 3, 2, 9)},
		CitizenID: "C-5",
		Reason:    "问题未解决",
	}
	c, _ := m.FileReconsideration(req, appeal.Actor{Role: appeal.RoleCitizen, Person: "C-5"}, shanghaiTime(2026, 3, 20, 9))
	bureau := appeal.Actor{Role: appeal.RoleCompetent, Unit: "hebi-data-bureau"}
	effects, _ := c.Apply(appeal.Action{Kind: appeal.ActionFindImproper, Reason: "未实地核查"}, bureau, shanghaiTime(2026, 3, 25, 9))
	fmt.Println(effects[0].Explain())
	fmt.Println(c.State().Label())
	// Output:
	// reopen ticket HB-12345-77: back to unit qibin-housing to handle again: 未实地核查 (002 §6 (二) 3)
	// 处理不当，退回重办
}

// The transition table of an appeal under the Shanghai policy.
func ExampleAppealTable() {
	for _, t := range appeal.AppealTable(appeal.Shanghai()) {
		from := string(t.From)
		if from == "" {
			from = "(none)"
		}
		fmt.Printf("%-12s %-8s %-14s → %-12s %s\n", from, t.Action, t.By[0], t.To, t.Source)
	}
	// Output:
	// (none)       file     staff          → pending_unit 000 §6 (一)
	// (none)       file     handling_unit  → under_review 000 §6 (一)
	// pending_unit endorse  handling_unit  → under_review 000 §6 (一)
	// pending_unit decline  handling_unit  → declined     000 §6 (一)
	// pending_unit withdraw staff          → withdrawn    000 §6 (一)
	// pending_unit lapse    hotline_office → lapsed       000 §6 (二)
	// under_review uphold   competent      → upheld       000 §6 (二)
	// under_review reject   competent      → rejected     000 §6 (二)
	// under_review withdraw handling_unit  → withdrawn    000 §6 (一)
	// under_review lapse    hotline_office → lapsed       000 §6 (二)
}

// A district loads its own policy from JSON: staff may appeal directly, only the city level reviews.
func ExampleParsePolicy() {
	p, err := appeal.ParsePolicy([]byte(`{
		"name": "district-x",
		"appeal": {"filing": "appeal_close", "effect": "appeal_close"},
		"objection": {"filing": "objection_return", "effect": "objection_return"},
		"reviewer_levels": ["city"],
		"staff_files_directly": true,
		"designator": "市政府办公厅"
	}`))
	fmt.Println(p.Name, p.ReviewerLevels, p.StaffFilesDirectly, err)
	_, err = appeal.ParsePolicy([]byte(`{"name": "bad", "reviewer_levels": ["street"]}`))
	fmt.Println(err)
	// Output:
	// district-x [city] true <nil>
	// appeal: policy "bad": reviewer_levels[0]: policy JSON: unknown appeal.ReviewerLevel "street" (want one of: city, district) at reviewer_levels[0] (byte 36)
}

// A system stores the request and the history as JSON and rebuilds the appeal later to take the
// next step; the state is what the history says.
func ExampleMachine_ReplayAppeal() {
	m, _ := appeal.NewMachine(deadline.China(), deadline.Appeals(), appeal.Shanghai())
	req := appeal.Request{
		Ticket:   appeal.TicketRef{ID: "T3", UnitID: "U1", ReceivedAt: shanghaiTime(2025, 12, 31, 11)}, // before 元旦 2026
		ReviewID: "R3", Ground: appeal.GroundUntrue, Defence: "通话录音显示已按时答复", Evidence: []string{"录音 0412"},
		Reviewer: appeal.Reviewer{Unit: "D1", Level: appeal.ReviewerCity},
	}
	a, _ := m.FileAppeal(req, appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "U1"}, shanghaiTime(2026, 1, 5, 9))
	storedReq, _ := json.Marshal(a.Request())
	storedHist, _ := json.Marshal(a.History())

	// Later, in another process.
	var q appeal.Request
	var h []appeal.Event
	if err := errors.Join(json.Unmarshal(storedReq, &q), json.Unmarshal(storedHist, &h)); err != nil {
		panic(err)
	}
	b, err := m.ReplayAppeal(q, h)
	if err != nil {
		panic(err)
	}
	fmt.Println(b.State(), b.CountsInScores())
	dept := appeal.Actor{Role: appeal.RoleCompetent, Unit: "D1"}
	effects, err := b.Apply(appeal.Action{Kind: appeal.ActionUphold, Reason: "录音证实已答复"}, dept, shanghaiTime(2026, 1, 12, 9))
	if err != nil {
		panic(err)
	}
	fmt.Println(effects[1].Explain())
	fmt.Println(b.State(), b.CountsInScores(), len(b.History()))
	// Output:
	// under_review true
	// unit U1 closes ticket T3 as 不属实评价 by the end of 2026-01-22 (000 §6 (二))
	// upheld false 2
}

// A stored history whose events are out of sequence — here an event deleted from the middle — is
// refused, naming the event; so is the zero Machine.
func ExampleHistoryError() {
	m, _ := appeal.NewMachine(deadline.China(), deadline.Appeals(), appeal.Shanghai())
	req := appeal.Request{
		Ticket:   appeal.TicketRef{ID: "T4", UnitID: "U1", ReceivedAt: shanghaiTime(2026, 3, 2, 10)},
		ReviewID: "R4", Ground: appeal.GroundMalicious, Defence: "评价内容与办理无关", Evidence: []string{"工单记录"},
		Reviewer: appeal.Reviewer{Unit: "D1", Level: appeal.ReviewerDistrict},
	}
	staff := appeal.Actor{Role: appeal.RoleStaff, Unit: "U1", Person: "S1"}
	a, _ := m.FileAppeal(req, staff, shanghaiTime(2026, 3, 3, 9))
	_, _ = a.Apply(appeal.Action{Kind: appeal.ActionEndorse}, appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "U1"}, shanghaiTime(2026, 3, 3, 15))
	_, _ = a.Apply(appeal.Action{Kind: appeal.ActionReject, Reason: "证据不足"}, appeal.Actor{Role: appeal.RoleCompetent, Unit: "D1"}, shanghaiTime(2026, 3, 6, 9))
	h := a.History()
	_, err := m.ReplayAppeal(a.Request(), []appeal.Event{h[0], h[2]})
	var he *appeal.HistoryError
	fmt.Println(errors.As(err, &he), he.Event, errors.Is(err, appeal.ErrHistoryMismatch))
	fmt.Println(err)

	var zero appeal.Machine
	_, err = zero.FileAppeal(req, staff, shanghaiTime(2026, 3, 3, 9))
	fmt.Println(err)
	// Output:
	// true 2 true
	// appeal: appeal event 2 (reject), seq 3: seq 3 out of sequence: want 2 (a gap, a reordering or a duplicate in the stored history)
	// appeal: Machine not built by NewMachine: the zero Machine has no calendar or policy
}
