// Command closedloop walks one 12345 ticket through its closed loop (闭环) the way a street hotline
// office such as 友谊路街道 wires the five domain packages together:
//
//  1. intake (受理): ticket screens the complaint and accepts it under deadline.StreetHotline (004);
//  2. routing (派单): routing picks the handling unit from a small directory; ticket dispatches to it;
//  3. lifecycle (办理): first contact, reply, a dissatisfied callback, reopening, a second reply, a
//     satisfied callback and close, with every stage deadline read from the ticket's clocks;
//  4. appeal (申诉): the citizen's bad review of the handling arrives through the 好差评 channel as its
//     own ticket of kind review, dispatched to the same unit under the 一网通办 limits (000 §5); the
//     unit appeals it under 000 §6, the appeal is upheld, and the unit closes the review ticket as
//     unfounded (按不属实评价办结) through the hotline within the 15 working days;
//  5. assess (考核): the month is scored with the street's scheme (004 §15), ranked and verified.
//
// Where the packages meet — ticket → routing request, decision → dispatch, ticket → appeal
// reference, appeal effects → ticket requests, ticket → assess record — the program uses
// server/loop, the adapter the reference server uses too, rather than glue of its own.
//
// Every instant is fixed (received Monday 2026-09-28, just before 国庆), so the output is the same on
// every run and shows the holiday and the make-up Saturday 2026-10-10 in the deadlines.
//
// Run it with:
//
//	go run ./examples/closedloop
package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/privacy"
	"github.com/hotline12345/hotline/ticket/screen"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "closedloop:", err)
		os.Exit(1)
	}
}

// at reads a fixed "2006-01-02 15:04" instant in Asia/Shanghai. The program never reads a clock.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, deadline.Location())
	if err != nil {
		panic(err) // only the literals below are parsed
	}
	return t
}

func run(w io.Writer) error {
	cal, limits := deadline.China(), deadline.StreetHotline()

	// ── 1. Intake (受理) ────────────────────────────────────────────────────────────────────────
	fmt.Fprintln(w, "== 1 受理 intake ==")
	received := at("2026-09-28 09:30")
	in := ticket.Intake{
		Number:  ticket.Number{Prefix: "BSYYL", Year: 2026, Month: time.September, Day: 28, Seq: 128},
		Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint, Received: received,
		Content: "宝钢一村旁工地连续多晚施工到凌晨，噪声扰民，请尽快处理。",
		Citizen: ticket.Person{Name: "张三", Phone: "13812345678"},
		Place:   ticket.Place{RegionCode: "310113003001", Address: "上海市宝山区友谊路街道宝钢一村"},
		Matter: ticket.Matter{Levels: []ticket.MatterLevel{
			{Code: "05", Label: "城市管理"}, {Code: "0502", Label: "施工管理"}, {Code: "050201", Label: "夜间施工噪声"}}},
	}
	screener, err := screen.New(screen.Shanghai())
	if err != nil {
		return err
	}
	res, err := screener.Screen(screen.InputOf(in))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "screening: %s (%s), rule %q, %s\n", res.Outcome.Label(), res.Outcome, res.Rule, res.Source)
	if res.Outcome != screen.Accept {
		return fmt.Errorf("screening did not accept the complaint: %s", res.Explanation)
	}
	m, err := ticket.NewMachine(cal, limits, ticket.StreetHotline())
	if err != nil {
		return err
	}
	t, err := m.Accept(in, "operator-07", ticket.RoleHotlineOffice, received)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "ticket %s: %s — %s @ %s (masked for staff: %s)\n", t.Number, t.State.Label(),
		t.Matter.Label(), t.Place.RegionCode, privacy.Shanghai().MaskPhone(t.Citizen.Phone, privacy.AudienceStaff))

	// ── 2. Routing (派单) ───────────────────────────────────────────────────────────────────────
	fmt.Fprintln(w, "\n== 2 派单 routing ==")
	dir, err := directory()
	if err != nil {
		return err
	}
	router, err := routing.NewRouter(dir, routing.StreetHotline())
	if err != nil {
		return err
	}
	// server/loop turns the ticket into the router's request: its own kind, place and matter, its
	// returns (none yet) and any designation.
	rreq, err := loop.RoutingRequest(t, loop.RouteOptions{})
	if err != nil {
		return err
	}
	dec, err := router.Route(rreq)
	if err != nil {
		return err
	}
	for _, s := range dec.Trail { // every rule that applied, with its article
		fmt.Fprintf(w, "  %s [%s]: %s\n", s.Rule, cmp.Or(s.Article, "district policy"), s.Detail)
	}
	lead, _ := dir.Unit(dec.Lead)
	fmt.Fprintf(w, "decision: %s (%s), lead %s (%s, %s)\n", dec.Mode.Label(), dec.Mode, lead.Name, lead.ID, lead.Kind.Label())
	// The decision becomes the ticket's dispatch (or a typed error naming who must designate).
	dispatch, err := loop.DispatchRequests(dec, loop.DispatchOptions{Actor: "operator-07", Complexity: ticket.ComplexityGeneral})
	if err != nil {
		return err
	}

	// ── 3. Lifecycle (办理) ─────────────────────────────────────────────────────────────────────
	fmt.Fprintln(w, "\n== 3 办理 lifecycle ==")
	office := func(a ticket.Action, p ticket.Payload) ticket.Request {
		return ticket.Request{Actor: "operator-07", Role: ticket.RoleHotlineOffice, Action: a, Payload: p}
	}
	unit := func(a ticket.Action, p ticket.Payload) ticket.Request {
		return ticket.Request{Actor: lead.ID, Role: ticket.RoleHandlingUnit, Action: a, Payload: p}
	}
	callback := func(s ticket.Satisfaction) ticket.Payload {
		return ticket.Payload{Callback: &ticket.Callback{Contacted: true, Resolved: s == ticket.Satisfied,
			Result: s, Efficiency: s, Attitude: ticket.Satisfied}}
	}
	type step struct {
		at  string
		req ticket.Request
	}
	var steps []step
	for _, r := range dispatch { // the dispatch, and a supervision if the router saw buck-passing
		steps = append(steps, step{"2026-09-28 10:00", r})
	}
	steps = append(steps, []step{
		{"2026-09-29 09:00", unit(ticket.ActionFirstContact, ticket.Payload{})},
		{"2026-09-30 16:00", unit(ticket.ActionReply, ticket.Payload{Reply: &ticket.Reply{
			Report: "已约谈施工单位，要求22时后停止高噪声作业。", Summary: "已责令夜间停工", Outcome: ticket.OutcomeResolved}})},
		{"2026-10-08 10:00", office(ticket.ActionCallback, callback(ticket.Dissatisfied))},
		{"2026-10-08 10:05", office(ticket.ActionReopen, ticket.Payload{})},
		{"2026-10-10 15:00", unit(ticket.ActionReply, ticket.Payload{Reply: &ticket.Reply{
			Report: "联合执法夜查两次，工地已停止夜间施工并立案处罚。", Summary: "夜间施工已停止，已立案处罚",
			Outcome: ticket.OutcomeResolved, ReviewedBy: "城运中心分管领导"}})}, // 004 §11: the leader signs a redo
		{"2026-10-12 10:00", office(ticket.ActionCallback, callback(ticket.Satisfied))},
		{"2026-10-12 10:10", office(ticket.ActionClose, ticket.Payload{})},
	}...)
	for _, s := range steps {
		if err := apply(w, cal, m, t, s.req, at(s.at)); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "closed: %d reopening(s), %d supervision(s), %d events in the history\n",
		t.Counters.Reopenings, t.Counters.Supervisions, len(t.History))

	// ── 4. Appeal (差评申诉) ────────────────────────────────────────────────────────────────────
	fmt.Fprintln(w, "\n== 4 差评申诉 appeal ==")
	// The citizen also left a 非常不满意 review on 10-08 saying nothing had been done, although the
	// unit had ordered the night work stopped. The review reaches the hotline through the 好差评
	// channel as a ticket of its own, of kind review, handled under the 一网通办 limits (000 §5) and
	// dispatched to the unit it rates.
	oneNet := deadline.ShanghaiOneNet()
	// Under 000 §5 the unit makes first contact within 1 working day of its own receipt: the
	// street office's first contact from intake (004 §8 (一)) does not apply to this item.
	rm, err := ticket.NewMachine(cal, oneNet, ticket.Shanghai())
	if err != nil {
		return err
	}
	reviewed := at("2026-10-08 11:00")
	rt, err := rm.Accept(ticket.Intake{
		Number:  ticket.Number{Prefix: "BSYYL", Year: 2026, Month: time.October, Day: 8, Seq: 131},
		Channel: ticket.ChannelBadReview, Kind: ticket.KindReview, Received: reviewed,
		Content: "非常不满意：投诉" + t.Number.String() + "的夜间施工噪声无人处理。",
		Citizen: t.Citizen, Place: t.Place, Matter: t.Matter,
	}, "operator-07", ticket.RoleHotlineOffice, reviewed)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "review ticket %s: %s, %s %s (%s)\n", rt.Number, rt.State.Label(), rt.Channel.Label(), rt.Kind.Label(), rt.Kind)
	// Routed like any ticket, with its own kind (review): the router sends it to the unit it rates.
	if rreq, err = loop.RoutingRequest(rt, loop.RouteOptions{}); err != nil {
		return err
	}
	if dec, err = router.Route(rreq); err != nil {
		return err
	}
	fmt.Fprintf(w, "routed as %s (%s): %s, lead %s\n", rreq.Kind.Label(), rreq.Kind, dec.Mode.Label(), dec.Lead)
	if dispatch, err = loop.DispatchRequests(dec, loop.DispatchOptions{Actor: "operator-07", Complexity: ticket.ComplexityGeneral}); err != nil {
		return err
	}
	steps = steps[:0]
	for _, r := range dispatch {
		steps = append(steps, step{"2026-10-08 11:30", r})
	}
	steps = append(steps, step{"2026-10-09 09:00", unit(ticket.ActionFirstContact, ticket.Payload{})})
	for _, s := range steps {
		if err := apply(w, cal, rm, rt, s.req, at(s.at)); err != nil {
			return err
		}
	}

	// The unit appeals to its competent department, counting from its receipt of the review ticket.
	rules, err := appeal.NewMachine(cal, oneNet, appeal.Shanghai())
	if err != nil {
		return err
	}
	// The appeal's reference is the ticket's own: its unit and that unit's receipt (000 §6 (二)).
	ref, err := loop.TicketRef(rt)
	if err != nil {
		return err
	}
	req := appeal.Request{
		Ticket:   ref,
		ReviewID: "R-1008-01", Ground: appeal.GroundUntrue,
		Defence:  "评价称“无人处理”，与9月30日约谈记录和执法记录不符。",
		Evidence: []string{"约谈笔录 YY-2026-0930-03", "执法记录仪 0930-2231"},
		Reviewer: appeal.Reviewer{Unit: "bs-zwfw", Level: appeal.ReviewerDistrict},
	}
	ap, err := rules.FileAppeal(req, appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: lead.ID}, at("2026-10-13 09:00"))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "filed 10-13: %s, still counts in scores: %v\n", ap.State().Label(), ap.CountsInScores())
	effects, err := ap.Apply(appeal.Action{Kind: appeal.ActionUphold, Reason: "约谈笔录与执法记录证实已处理"},
		appeal.Actor{Role: appeal.RoleCompetent, Unit: "bs-zwfw"}, at("2026-10-16 14:00"))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "decided 10-16: %s, still counts in scores: %v\n", ap.State().Label(), ap.CountsInScores())
	for _, e := range effects {
		fmt.Fprintln(w, "  effect:", e.Explain())
	}
	// The effects become a plan: the reviews to void and the ticket requests to apply, in order —
	// here the unit closes the review ticket as unfounded through the hotline (000 §6 (二)).
	plan, err := loop.PlanEffects(rt, effects, loop.PlanOptions{Reviewer: req.Reviewer})
	if err != nil {
		return err
	}
	for _, s := range plan.Steps {
		fmt.Fprintf(w, "  plan: %s %s %s, before %s\n", s.Request.Role.Label(), s.Request.Actor, s.Request.Action.Label(),
			dayText(cal, s.By.Add(-time.Nanosecond)))
		if err := apply(w, cal, rm, rt, s.Request, at("2026-10-19 10:00")); err != nil {
			return err
		}
		if due := rt.Deadlines.AppealClose.Due.At; s.Request.Action == ticket.ActionCloseUnfounded && !due.Equal(s.By) {
			return fmt.Errorf("the ticket's appeal-close deadline %s differs from the appeal's %s", due, s.By)
		}
	}

	// ── 5. Assessment (考核) ────────────────────────────────────────────────────────────────────
	fmt.Fprintln(w, "\n== 5 考核 assess ==")
	in5 := monthInput(cal, limits)
	// Each ticket becomes the record assess scores, under the street's scoring decisions
	// (loop.StreetHotline: the callback's 3 levels mapped to the 5 ratings, which tickets are
	// complaints against the unit, the report's quality check).
	for _, tk := range []*ticket.Ticket{t, rt} {
		c, err := loop.CaseRecord(tk, loop.StreetHotline())
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "case %s: unit %s, received %s, report accepted %s, complaint against the unit %v, unfounded %v\n",
			c.ID, c.Unit, c.ReceivedAt.Format("01-02 15:04"), c.ReportAccepted.Label(), c.Complaint, c.Unfounded)
		in5.Cases = append(in5.Cases, c)
	}
	in5.Reviews = append(in5.Reviews, assess.Review{ID: req.ReviewID, Rating: assess.VeryDissatisfied,
		Unit: lead.ID, At: at("2026-10-08 11:00"), Unfounded: slices.Contains(plan.VoidReviews, req.ReviewID)})
	scheme := assess.StreetHotline()
	october, err := assess.Month(2026, time.October)
	if err != nil {
		return err
	}
	r, err := assess.Score(in5, scheme, assess.Query{Period: october, AsOf: at("2026-11-02 09:00")})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s %s, as of %s\n", r.Scheme, r.Period.Label, r.AsOf.Format("2006-01-02 15:04"))
	for _, s := range r.Ranking.Ranked {
		u, _ := r.Unit(s.Unit)
		fmt.Fprintf(w, "  %d. %-8s %6s  on time %s, satisfied %s, bad reviews %d\n", s.Rank, s.Unit, s.Total,
			u.Indicators.OnTime, u.Indicators.Satisfaction, u.Indicators.BadReviews)
	}
	fmt.Fprintf(w, "digest %s %s…\n", r.Algorithm.Label(), r.Digest[:16])
	if err := assess.Verify(in5, scheme, r); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	fmt.Fprintln(w, "verify: ok")
	return nil
}

// apply applies one request to ticket t at instant now and prints the event: the new state, the
// clocks the step set or met, and the machine's own notes.
func apply(w io.Writer, cal *deadline.Calendar, m *ticket.Machine, t *ticket.Ticket, req ticket.Request, now time.Time) error {
	ev, err := m.Apply(t, req, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s %s %s: %s → %s (%s)\n", ev.At.Format("01-02 15:04"), ev.Role.Label(), ev.Actor,
		ev.Action.Label(), t.State.Label(), t.State)
	switch ev.Action {
	case ticket.ActionDispatch:
		fmt.Fprintf(w, "    先行联系 due %s\n    办结 due %s\n", clockText(cal, t.Deadlines.FirstContact), clockText(cal, t.Deadlines.Reply))
	case ticket.ActionReopen:
		fmt.Fprintf(w, "    重办 due %s; supervised: %v\n", clockText(cal, t.Deadlines.Redo), t.Supervised)
	case ticket.ActionFirstContact:
		fmt.Fprintf(w, "    late: %v\n", t.Deadlines.FirstContact.Late)
	case ticket.ActionReply:
		met := t.Deadlines.Reply // a redo after a reopening meets its own clock (004 §11)
		if ev.From == ticket.StateReopened {
			met = t.Deadlines.Redo
		}
		fmt.Fprintf(w, "    late: %v; 答复要点: %s\n", met.Late, t.Reply.Summary)
	case ticket.ActionCallback:
		fmt.Fprintf(w, "    办理结果 %s, dissatisfied: %v\n", t.Callback.Result.Label(), t.Callback.Dissatisfied())
	case ticket.ActionCloseUnfounded:
		fmt.Fprintf(w, "    不属实办结 due %s; late: %v\n", clockText(cal, t.Deadlines.AppealClose), t.Deadlines.AppealClose.Late)
	}
	// The machine's own notes explain each step; their "due 2026-10-11 00:00" is the same instant
	// as the clock's "2026-10-10 24:00" above (民法典 第二百零三条第二款: the last day ends at 24:00).
	for _, n := range ev.Notes {
		fmt.Fprintln(w, "    note:", n)
	}
	return nil
}

// clockText shows a stage clock: its last day, what kind of day that is, and the rule behind it.
func clockText(cal *deadline.Calendar, c ticket.Clock) string {
	return fmt.Sprintf("%s (%s %s, %s)", dayText(cal, c.Due.LastDay), c.Key, c.Label, c.Source)
}

// dayText shows a last day the way the documents state it, ending at 24:00, with its kind of day.
func dayText(cal *deadline.Calendar, d time.Time) string {
	return fmt.Sprintf("%s 24:00 [%s]", d.Format("2006-01-02 Mon"), cal.Day(d).Kind.Label())
}

// directory builds, in code, the slice of 宝山区 the example needs: the 统计用区划代码 of 友谊路街道 and
// one of its residents' committees, a three-level dispatch catalogue, and the units that answer for it.
func directory() (*routing.Directory, error) {
	tree, err := routing.NewRegionTree([]routing.Region{
		{Code: "310113", Name: "宝山区", Level: routing.LevelCounty},
		{Code: "310113003", Name: "友谊路街道", Parent: "310113", Level: routing.LevelTown},
		{Code: "310113003001", Name: "宝钢一村居委会", Parent: "310113003", Level: routing.LevelVillage},
	})
	if err != nil {
		return nil, err
	}
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
	return routing.NewDirectory(tree, matters, units)
}

// monthInput makes October's other cases and reviews for three street units: five cases each,
// dispatched on consecutive working days from 10-12, due times counted on the calendar. In each unit
// the first late cases are replied after 7 working days, the first unhappy ones leave the citizen
// dissatisfied, and the first bad ones get a 不满意 review.
func monthInput(cal *deadline.Calendar, p deadline.Policy) assess.Input {
	fc, _ := p.Limit(deadline.FirstContact) // both limits exist in StreetHotline
	rg, _ := p.Limit(deadline.ReplyGeneral)
	var in assess.Input
	for _, u := range []struct {
		id                 string
		late, unhappy, bad int
	}{{"yy-cyzx", 0, 1, 0}, {"yy-sqglb", 2, 1, 2}, {"yy-bg1", 0, 0, 0}} {
		for i := range 5 {
			recv := cal.AddWorkdays(at("2026-10-12 09:00"), i)
			c := assess.CaseRecord{ID: fmt.Sprintf("%s-%d", u.id, i), Unit: u.id, ReceivedAt: recv,
				FirstContactDue: cal.Due(recv, fc.Period, p.Counting).At, FirstContactAt: recv.Add(3 * time.Hour),
				ReplyDue: cal.Due(recv, rg.Period, p.Counting).At, RepliedAt: cal.AddWorkdays(recv, 2),
				Contacted: assess.Yes, Resolved: assess.Yes, Satisfaction: assess.Satisfied, Attitude: assess.Yes,
				ReportAccepted: assess.Yes}
			if i < u.late {
				c.RepliedAt = cal.AddWorkdays(recv, 7)
			}
			if i < u.unhappy {
				c.Resolved, c.Satisfaction = assess.No, assess.Dissatisfied
			}
			c.CallbackAt = c.RepliedAt.Add(24 * time.Hour)
			level := assess.VerySatisfied
			if i < u.bad {
				level = assess.Dissatisfied
			}
			in.Cases = append(in.Cases, c)
			in.Reviews = append(in.Reviews, assess.Review{ID: "R-" + c.ID, Rating: level, Unit: u.id, At: c.CallbackAt})
		}
	}
	return in
}
