package loop_test

import (
	"fmt"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/repeat"
	"github.com/hotline12345/hotline/ticket/screen"
)

// An item's way in: repeat detection over the caller's earlier tickets, screening with what it
// found, the accept, and what follows — here a dispatch by statutory duty, then for a second call
// about the same noise, the original counting the repeat.
func ExamplePlanIntake() {
	m := must(ticket.NewMachine(deadline.China(), deadline.StreetHotline(), ticket.StreetHotline()))
	s := must(screen.New(screen.Shanghai()))
	r := must(routing.NewRouter(directory(nopTB{}), routing.StreetHotline()))
	mac := must(repeat.NewSM3MAC([]byte("a district secret of 16+ bytes")))
	var earlier []*ticket.Ticket
	for i, when := range []string{"2026-10-08 11:00", "2026-10-09 09:00"} {
		in := ticket.Intake{Number: must(ticket.NewNumber("BSYYL", at(when), i+1)), Channel: ticket.ChannelPhone,
			Kind: ticket.KindComplaint, Received: at(when), Content: "宝钢一村旁工地连续多晚施工到凌晨，噪声扰民，请处理。",
			Citizen: ticket.Person{Name: "张三", Phone: "13812345678"}, Place: ticket.Place{RegionCode: "310113003001", Address: "宝钢一村"},
			Matter: noise}
		rep, found, _ := loop.FindRepeat(repeat.StreetHotline(), mac, earlier, in, at(when))
		var link *loop.Repeat
		if found {
			link = &rep
		}
		res := must(s.Screen(loop.ScreenInput(in, link, 0)))
		t := must(m.Accept(in, "operator-07", ticket.RoleHotlineOffice, at(when)))
		plan := must(loop.PlanIntake(t, res, link, r, loop.DispatchOptions{Actor: "operator-07"}))
		fmt.Println(t.Number, res.Outcome, plan.Dispatch.Status)
		for _, q := range plan.Requests {
			must(m.Apply(t, q, at(when)))
			fmt.Println("  ", q.Action, "→", t.Assignment.Lead, t.Assignment.DispatchMode)
		}
		if plan.MarkRepeat != nil {
			must(m.Apply(earlier[0], *plan.MarkRepeat, at(when)))
			fmt.Println("  ", earlier[0].Number, "counts", earlier[0].Counters.Repeats, "repeat")
		}
		earlier = append([]*ticket.Ticket{t}, earlier...)
	}
	// Output:
	// BSYYL-20261008-000001-N accept dispatched
	//    dispatch → yy-cyzx statutory
	// BSYYL-20261009-000002-4 accept repeat
	//    BSYYL-20261008-000001-N counts 1 repeat
}
