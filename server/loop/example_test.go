package loop_test

import (
	"errors"
	"fmt"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/ticket"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// exampleTicket is a complaint about night-time construction noise, accepted on the street hotline.
func exampleTicket(m *ticket.Machine, kind ticket.Kind) *ticket.Ticket {
	recv := at("2026-10-08 11:00")
	ch := ticket.ChannelPhone
	if kind == ticket.KindReview {
		ch = ticket.ChannelBadReview
	}
	return must(m.Accept(ticket.Intake{Number: must(ticket.NewNumber("BSYYL", recv, 1)), Channel: ch, Kind: kind,
		Received: recv, Content: "工地夜间施工噪声扰民。", Citizen: ticket.Person{Name: "张三", Phone: "13812345678"},
		Place: ticket.Place{RegionCode: "310113003001"}, Matter: noise}, "operator-07", ticket.RoleHotlineOffice, recv))
}

// Route a ticket and dispatch it: the request carries the ticket's own kind and matter, and the
// decision becomes the ticket's dispatch.
func ExampleRoutingRequest() {
	m := must(ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline()))
	t := exampleTicket(m, ticket.KindHelpRequest)
	req := must(loop.RoutingRequest(t, loop.RouteOptions{}))
	fmt.Println("request:", req.Kind, req.Place, req.Matters)

	r := must(routing.NewRouter(directory(nopTB{}), routing.StreetHotline()))
	d := must(r.Route(req))
	reqs := must(loop.DispatchRequests(d, loop.DispatchOptions{Actor: "operator-07", Complexity: ticket.ComplexityGeneral}))
	for _, q := range reqs {
		must(m.Apply(t, q, at("2026-10-08 11:30")))
		fmt.Println(q.Action, "→", t.Assignment.Lead, t.Assignment.DispatchMode)
	}
	// Output:
	// request: help_request 310113003001 [050201]
	// dispatch → yy-cyzx statutory
}

// A decision the rules cannot take names who must designate (000 §4 (二), §7 (二)).
func ExampleDispatchRequests_needsDesignation() {
	d := routing.Decision{NeedsDesignation: true, Authority: "bs-gov", Candidates: []string{"yy-cyzx", "yy-sqglb"}}
	_, err := loop.DispatchRequests(d, loop.DispatchOptions{Actor: "operator-07"})
	var de *loop.DesignationError
	fmt.Println(errors.As(err, &de), de.Authority, de.Candidates)
	// Output:
	// true bs-gov [yy-cyzx yy-sqglb]
}

// An upheld bad-review appeal (000 §6 (二)): the plan voids the review and has the unit close the
// ticket as unfounded within 15 working days of its receipt.
func ExamplePlanEffects() {
	m := must(ticket.NewMachine(deadline.China(), deadline.ShanghaiOneNet(), ticket.Shanghai()))
	t := exampleTicket(m, ticket.KindReview)
	must(m.Apply(t, dispatchTo("yy-cyzx"), at("2026-10-08 11:30")))
	must(m.Apply(t, contact("yy-cyzx"), at("2026-10-09 09:00")))

	rules := must(appeal.NewMachine(deadline.China(), deadline.ShanghaiOneNet(), appeal.Shanghai()))
	ap := must(rules.FileAppeal(appeal.Request{Ticket: must(loop.TicketRef(t)), ReviewID: "R-1", Ground: appeal.GroundUntrue,
		Defence: "与执法记录不符", Evidence: []string{"笔录"}, Reviewer: appeal.Reviewer{Unit: "bs-zwfw", Level: appeal.ReviewerDistrict}},
		appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "yy-cyzx"}, at("2026-10-13 09:00")))
	effects := must(ap.Apply(appeal.Action{Kind: appeal.ActionUphold, Reason: "记录证实"},
		appeal.Actor{Role: appeal.RoleCompetent, Unit: "bs-zwfw"}, at("2026-10-16 14:00")))

	p := must(loop.PlanEffects(t, effects, loop.PlanOptions{Reviewer: ap.Request().Reviewer}))
	fmt.Println("void:", p.VoidReviews)
	for _, s := range p.Steps {
		fmt.Println(s.Request.Role, s.Request.Actor, s.Request.Action, "before", s.By.Format("2006-01-02 15:04"))
		must(m.Apply(t, s.Request, at("2026-10-19 10:00")))
	}
	fmt.Println(t.State)
	// Output:
	// void: [R-1]
	// handling_unit yy-cyzx close_unfounded before 2026-10-29 00:00
	// closed_unfounded
}

// The assessment record of a ticket, under the street hotline's scoring decisions.
func ExampleCaseRecord() {
	m := must(ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline()))
	t := exampleTicket(m, ticket.KindComplaint)
	for _, s := range []struct {
		at  string
		req ticket.Request
	}{
		{"2026-10-08 11:30", dispatchTo("yy-cyzx")}, {"2026-10-08 15:00", contact("yy-cyzx")},
		{"2026-10-09 16:00", replyBy("yy-cyzx", "")}, {"2026-10-12 10:00", callback(ticket.FairlySatisfied)},
	} {
		must(m.Apply(t, s.req, at(s.at)))
	}
	c := must(loop.CaseRecord(t, loop.StreetHotline()))
	fmt.Println(c.Unit, "received", c.ReceivedAt.Format("01-02 15:04"), "reply due", c.ReplyDue.Format("01-02 15:04"),
		"replied", c.RepliedAt.Format("01-02 15:04"))
	fmt.Println("satisfaction:", c.Satisfaction.Label(), "attitude:", c.Attitude.Label(), "report accepted:", c.ReportAccepted.Label(),
		"complaint against the unit:", c.Complaint)
	// Output:
	// yy-cyzx received 10-08 11:30 reply due 10-15 00:00 replied 10-09 16:00
	// satisfaction: 基本满意 attitude: 是 report accepted: 未设置 complaint against the unit: false
}
