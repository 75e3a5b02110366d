package loop_test

import (
	"testing"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/ticket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var district = appeal.Reviewer{Unit: "bs-zwfw", Level: appeal.ReviewerDistrict}

// reviewTicket is a bad review (000 §2 (二)) dispatched to yy-cyzx on Thu 2026-10-08 and contacted.
func reviewTicket(t testing.TB, m *ticket.Machine, seq int) *ticket.Ticket {
	tk := accept(t, m, ticket.KindReview, seq)
	apply(t, m, tk, []ticket.Request{dispatchTo("yy-cyzx"), unit("yy-cyzx", ticket.ActionFirstContact, ticket.Payload{})},
		"2026-10-08 11:30", "2026-10-09 09:00")
	return tk
}

// TestTicketRef: the unit's receipt is the ticket's own Assignment.Dispatched (000 §6 (二), §7 (二)
// 自收到工单之日起), never re-derived; a ticket no unit holds has none.
func TestTicketRef(t *testing.T) {
	m := oneNetMachine(t)
	tk := reviewTicket(t, m, 300)
	ref, err := loop.TicketRef(tk)
	require.NoError(t, err)
	assert.Equal(t, appeal.TicketRef{ID: tk.Number.String(), UnitID: "yy-cyzx", ReceivedAt: tk.Assignment.Dispatched}, ref)
	assert.True(t, ref.ReceivedAt.Equal(at("2026-10-08 11:30")))

	_, err = loop.TicketRef(accept(t, m, ticket.KindReview, 301))
	assert.ErrorIs(t, err, loop.ErrNotDispatched)
	apply(t, m, tk, []ticket.Request{unit("yy-cyzx", ticket.ActionReturn, ticket.Payload{Return: &ticket.Return{SuggestedUnit: "yy-sqglb", Basis: "x"}})}, "2026-10-09 10:00")
	_, err = loop.TicketRef(tk)
	assert.ErrorIs(t, err, loop.ErrNotDispatched, "a returned ticket waits for re-dispatch")
	_, err = loop.TicketRef(nil)
	assert.ErrorIs(t, err, loop.ErrInvalidTicket)
}

// TestPlanUpheldAppeal (000 §6 (二)): an upheld appeal voids the review and has the unit close the
// ticket as unfounded within 15 working days of its receipt; the ticket's clock agrees.
func TestPlanUpheldAppeal(t *testing.T) {
	m := oneNetMachine(t)
	tk := reviewTicket(t, m, 310)
	ref, err := loop.TicketRef(tk)
	require.NoError(t, err)
	ap, err := appeals(t).FileAppeal(appeal.Request{Ticket: ref, ReviewID: "R-1", Ground: appeal.GroundUntrue,
		Defence: "与执法记录不符", Evidence: []string{"笔录"}, Reviewer: district},
		appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "yy-cyzx"}, at("2026-10-13 09:00"))
	require.NoError(t, err)
	effects, err := ap.Apply(appeal.Action{Kind: appeal.ActionUphold, Reason: "记录证实"}, appeal.Actor{Role: appeal.RoleCompetent, Unit: "bs-zwfw"}, at("2026-10-16 14:00"))
	require.NoError(t, err)

	p, err := loop.PlanEffects(tk, effects, loop.PlanOptions{Reviewer: ap.Request().Reviewer, Appeal: "AP-1"})
	require.NoError(t, err)
	assert.Equal(t, []string{"R-1"}, p.VoidReviews)
	assert.Empty(t, p.Exclude)
	assert.Nil(t, p.Designation)
	require.Len(t, p.Steps, 1)
	s := p.Steps[0]
	assert.Equal(t, ticket.ActionCloseUnfounded, s.Request.Action)
	assert.Equal(t, "yy-cyzx", s.Request.Actor)
	assert.Equal(t, ticket.RoleHandlingUnit, s.Request.Role)
	assert.Equal(t, &ticket.AppealReview{Appeal: "AP-1", Review: "R-1", Reviewer: "bs-zwfw", Level: ticket.ReviewerDistrict}, s.Request.Payload.AppealReview)
	assert.True(t, s.By.Equal(at("2026-10-29 00:00")), "15 working days from Thu 10-08: last day Wed 10-28, got %s", s.By)

	apply(t, m, tk, p.Requests(), "2026-10-19 10:00")
	assert.Equal(t, ticket.StateClosedUnfounded, tk.State)
	assert.True(t, tk.Deadlines.AppealClose.Due.At.Equal(s.By), "the ticket and the appeal count from the same receipt")
	assert.False(t, tk.Deadlines.AppealClose.Late)
}

// TestPlanUpheldObjection (000 §7 (二)): an upheld objection has the objecting unit return the
// ticket naming the suggested unit within 5 working days; the unit is excluded from re-dispatch,
// and the router sends the ticket to the suggested unit.
func TestPlanUpheldObjection(t *testing.T) {
	m := oneNetMachine(t)
	tk := reviewTicket(t, m, 320)
	ref, err := loop.TicketRef(tk)
	require.NoError(t, err)
	ob, err := appeals(t).FileObjection(appeal.ObjectionRequest{Ticket: ref, ReviewID: "R-2", Basis: appeal.BasisDepartment,
		BasisText: "工地噪声属社区治理", SuggestedUnit: "yy-sqglb", Reviewer: district},
		appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "yy-cyzx"}, at("2026-10-09 10:00"))
	require.NoError(t, err)
	effects, err := ob.Apply(appeal.Action{Kind: appeal.ActionUphold, Reason: "异议成立"}, appeal.Actor{Role: appeal.RoleCompetent, Unit: "bs-zwfw"}, at("2026-10-12 10:00"))
	require.NoError(t, err)

	p, err := loop.PlanEffects(tk, effects, loop.PlanOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{"yy-cyzx"}, p.Exclude)
	assert.Equal(t, ob.ExcludedUnits(), p.Exclude)
	withText, err := loop.PlanEffects(tk, effects, loop.PlanOptions{BasisText: ob.Request().BasisText})
	require.NoError(t, err)
	assert.Equal(t, "工地噪声属社区治理", withText.Steps[0].Request.Payload.Return.Basis, "000 §7 (一) 载明相关依据")
	require.Len(t, p.Steps, 1)
	r := p.Steps[0].Request
	assert.Equal(t, ticket.ActionReturn, r.Action)
	assert.Equal(t, "yy-cyzx", r.Actor)
	assert.Equal(t, &ticket.Return{SuggestedUnit: "yy-sqglb", Basis: appeal.BasisDepartment.Label()}, r.Payload.Return)
	assert.True(t, p.Steps[0].By.Equal(at("2026-10-15 00:00")), "5 working days from Thu 10-08: 10-09, 10-10 (make-up Saturday), 10-12, 10-13, 10-14; got %s", p.Steps[0].By)

	apply(t, m, tk, p.Requests(), "2026-10-12 11:00")
	assert.Equal(t, ticket.StateReturned, tk.State)
	req, err := loop.RoutingRequest(tk, loop.RouteOptions{Upheld: p.Exclude})
	require.NoError(t, err)
	d, err := router(t).Route(req)
	require.NoError(t, err)
	assert.Equal(t, "yy-sqglb", d.Lead)
}

// TestPlanDesignate (000 §7 (二): 建议承办单位如提出异议，由市政府办公厅指定办理): the suggested unit's
// objection in turn waits for the authority; once it has designated, the disputing unit hands the
// ticket back naming the designated unit and the authority designates it.
func TestPlanDesignate(t *testing.T) {
	m := oneNetMachine(t)
	tk := reviewTicket(t, m, 330)
	ref, err := loop.TicketRef(tk)
	require.NoError(t, err)
	ob, err := appeals(t).FileObjection(appeal.ObjectionRequest{Ticket: ref, Basis: appeal.BasisDepartment,
		BasisText: "属社区治理", SuggestedUnit: "yy-sqglb", Reviewer: district},
		appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "yy-cyzx"}, at("2026-10-09 10:00"))
	require.NoError(t, err)
	effects, err := ob.Apply(appeal.Action{Kind: appeal.ActionUphold, Reason: "异议成立"}, appeal.Actor{Role: appeal.RoleCompetent, Unit: "bs-zwfw"}, at("2026-10-12 10:00"))
	require.NoError(t, err)
	p, err := loop.PlanEffects(tk, effects, loop.PlanOptions{})
	require.NoError(t, err)
	apply(t, m, tk, p.Requests(), "2026-10-12 11:00")
	apply(t, m, tk, []ticket.Request{dispatchTo("yy-sqglb")}, "2026-10-12 14:00")

	effects, err = ob.Apply(appeal.Action{Kind: appeal.ActionObject, Basis: appeal.BasisSystem, Reason: "施工噪声属城管执法条线"},
		appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: "yy-sqglb"}, at("2026-10-13 09:00"))
	require.NoError(t, err)

	p, err = loop.PlanEffects(tk, effects, loop.PlanOptions{})
	require.NoError(t, err)
	assert.Empty(t, p.Steps)
	assert.Equal(t, []string{"yy-cyzx"}, p.Exclude)
	require.NotNil(t, p.Designation)
	assert.Equal(t, loop.Pending{Authority: appeal.CityOffice, Disputing: "yy-sqglb", Exclude: []string{"yy-cyzx"}}, *p.Designation)

	_, err = loop.PlanEffects(tk, effects, loop.PlanOptions{Designation: &routing.Designation{Lead: "yy-cyzx"}})
	assert.ErrorIs(t, err, loop.ErrInvalidEffect, "the authority may not designate a unit whose objection was upheld")

	p, err = loop.PlanEffects(tk, effects, loop.PlanOptions{Designation: &routing.Designation{Lead: "yy-gov"}})
	require.NoError(t, err)
	require.Len(t, p.Steps, 2)
	assert.Equal(t, ticket.ActionReturn, p.Steps[0].Request.Action)
	assert.Equal(t, "yy-sqglb", p.Steps[0].Request.Actor)
	assert.Equal(t, ticket.ActionDesignate, p.Steps[1].Request.Action)
	assert.Equal(t, appeal.CityOffice, p.Steps[1].Request.Actor)
	apply(t, m, tk, p.Requests(), "2026-10-13 10:00")
	assert.Equal(t, "yy-gov", tk.Assignment.Lead)
	assert.Equal(t, ticket.DispatchDesignated, tk.Assignment.DispatchMode)
	assert.Equal(t, appeal.CityOffice, tk.Assignment.DesignatedBy)

	// The authority leaving the ticket with the disputing unit needs no ticket action.
	tk2 := reviewTicket(t, m, 331)
	p, err = loop.PlanEffects(tk2, []appeal.Effect{appeal.Designate{Authority: appeal.CityOffice, TicketID: tk2.Number.String(),
		ExcludeUnits: []string{"yy-sqglb"}, Disputing: "yy-cyzx"}}, loop.PlanOptions{Designation: &routing.Designation{Lead: "yy-cyzx"}})
	require.NoError(t, err)
	assert.Empty(t, p.Steps)
}

// TestPlanReconsideration (002 §6 (二) 3): handling found improper sends the ticket back to the unit:
// the hotline office reopens it.
func TestPlanReconsideration(t *testing.T) {
	m := streetMachine(t)
	tk := accept(t, m, ticket.KindComplaint, 340)
	apply(t, m, tk, []ticket.Request{dispatchTo("yy-cyzx"), contact("yy-cyzx"), replyBy("yy-cyzx", ""), callback(ticket.Dissatisfied)},
		"2026-10-08 11:30", "2026-10-08 15:00", "2026-10-09 16:00", "2026-10-12 10:00")
	ref, err := loop.TicketRef(tk)
	require.NoError(t, err)
	rc, err := appeals(t).FileReconsideration(appeal.ReconsiderationRequest{Ticket: ref, Reason: "噪声仍在"},
		appeal.Actor{Role: appeal.RoleHotlineOffice, Unit: "yy-rxb"}, at("2026-10-12 10:05"))
	require.NoError(t, err)
	effects, err := rc.Apply(appeal.Action{Kind: appeal.ActionFindImproper, Reason: "未核实夜间施工"}, appeal.Actor{Role: appeal.RoleCompetent, Unit: "bs-zwfw"}, at("2026-10-12 15:00"))
	require.NoError(t, err)

	_, err = loop.PlanEffects(tk, effects, loop.PlanOptions{})
	assert.ErrorIs(t, err, loop.ErrInvalidEffect, "the office's actor is needed")
	p, err := loop.PlanEffects(tk, effects, loop.PlanOptions{Office: "operator-07"})
	require.NoError(t, err)
	require.Len(t, p.Steps, 1)
	assert.Equal(t, office(ticket.ActionReopen, ticket.Payload{}).Action, p.Steps[0].Request.Action)
	assert.Equal(t, ticket.RoleHotlineOffice, p.Steps[0].Request.Role)
	apply(t, m, tk, p.Requests(), "2026-10-12 15:30")
	assert.Equal(t, ticket.StateReopened, tk.State)

	// Once closed, the lifecycle has no reopening: the plan says so before anything is applied.
	tk2 := accept(t, m, ticket.KindComplaint, 341)
	apply(t, m, tk2, []ticket.Request{dispatchTo("yy-cyzx"), contact("yy-cyzx"), replyBy("yy-cyzx", ""), callback(ticket.Satisfied), office(ticket.ActionClose, ticket.Payload{})},
		"2026-10-08 11:30", "2026-10-08 15:00", "2026-10-09 16:00", "2026-10-12 10:00", "2026-10-12 10:10")
	_, err = loop.PlanEffects(tk2, []appeal.Effect{appeal.ReopenTicket{TicketID: tk2.Number.String(), Unit: "yy-cyzx"}}, loop.PlanOptions{Office: "operator-07"})
	var ee *loop.EffectError
	require.ErrorAs(t, err, &ee)
	assert.Contains(t, ee.Reason, "已结案")
}

// TestPlanRefusals: effects that do not fit the ticket are refused with the effect's index.
func TestPlanRefusals(t *testing.T) {
	m := oneNetMachine(t)
	tk := reviewTicket(t, m, 350)
	num := tk.Number.String()
	for _, c := range []struct {
		name    string
		effects []appeal.Effect
		o       loop.PlanOptions
	}{
		{"another ticket", []appeal.Effect{appeal.VoidReview{ReviewID: "R", TicketID: "BSYYL-other"}}, loop.PlanOptions{}},
		{"void without review", []appeal.Effect{appeal.VoidReview{TicketID: num}}, loop.PlanOptions{}},
		{"close by another unit", []appeal.Effect{appeal.CloseTicketAsUnfounded{TicketID: num, Unit: "yy-sqglb"}}, loop.PlanOptions{Review: "R", Reviewer: district}},
		{"close without reviewer", []appeal.Effect{appeal.CloseTicketAsUnfounded{TicketID: num, Unit: "yy-cyzx"}}, loop.PlanOptions{Review: "R"}},
		{"close without review", []appeal.Effect{appeal.CloseTicketAsUnfounded{TicketID: num, Unit: "yy-cyzx"}}, loop.PlanOptions{Reviewer: district}},
		{"return by another unit", []appeal.Effect{appeal.ReturnTicket{TicketID: num, ExcludeUnit: "yy-sqglb", SuggestedUnit: "yy-gov"}}, loop.PlanOptions{}},
		{"reopen in handling", []appeal.Effect{appeal.ReopenTicket{TicketID: num, Unit: "yy-cyzx"}}, loop.PlanOptions{Office: "o"}},
		{"nil effect", []appeal.Effect{nil}, loop.PlanOptions{}},
		{"return twice", []appeal.Effect{appeal.ReturnTicket{TicketID: num, ExcludeUnit: "yy-cyzx", SuggestedUnit: "yy-gov", Basis: appeal.BasisLevel},
			appeal.ReturnTicket{TicketID: num, ExcludeUnit: "yy-cyzx", SuggestedUnit: "yy-gov", Basis: appeal.BasisLevel}}, loop.PlanOptions{}},
	} {
		_, err := loop.PlanEffects(tk, c.effects, c.o)
		var ee *loop.EffectError
		require.ErrorAs(t, err, &ee, c.name)
		assert.ErrorIs(t, err, loop.ErrInvalidEffect, c.name)
	}
	_, err := loop.PlanEffects(nil, nil, loop.PlanOptions{})
	assert.ErrorIs(t, err, loop.ErrInvalidTicket)
}
