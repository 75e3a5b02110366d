package loop_test

import (
	"errors"
	"testing"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/ticket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRoutingRequestKind: the request kind is the ticket's (004 §2 咨询、求助、投诉和建议; 003 四 (三)
// 办事; 000 §2 (二) 好差评), for every kind — not a hard-coded complaint.
func TestRoutingRequestKind(t *testing.T) {
	m := streetMachine(t)
	for i, k := range ticket.Kinds() {
		tk := accept(t, m, k, 200+i)
		req, err := loop.RoutingRequest(tk, loop.RouteOptions{})
		require.NoError(t, err, k)
		assert.Equal(t, string(k), string(req.Kind), k)
		assert.True(t, req.Kind.Valid(), k)
		assert.Equal(t, routing.RegionCode("310113003001"), req.Place)
		assert.Equal(t, []routing.MatterCode{"050201"}, req.Matters, "the most specific level; the router walks its parents")
	}
	tk := accept(t, m, ticket.KindComplaint, 210)
	tk.Kind = "petition"
	_, err := loop.RoutingRequest(tk, loop.RouteOptions{})
	var te *loop.TicketError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "kind", te.Field)
	assert.ErrorIs(t, err, loop.ErrInvalidTicket)
}

// TestRoutingRequestMatter: the ticket's levels must be the chain the router's matter fallback
// walks; a level that is not the parent of the next is refused, naming it.
func TestRoutingRequestMatter(t *testing.T) {
	m := streetMachine(t)
	tk := accept(t, m, ticket.KindComplaint, 220)
	tk.Matter = ticket.Matter{Levels: []ticket.MatterLevel{{Code: "05"}, {Code: "0301"}}}
	_, err := loop.RoutingRequest(tk, loop.RouteOptions{})
	var te *loop.TicketError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "matter.levels[1]", te.Field)

	tk.Matter = ticket.Matter{}
	_, err = loop.RoutingRequest(tk, loop.RouteOptions{})
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "matter", te.Field)

	_, err = loop.RoutingRequest(nil, loop.RouteOptions{})
	assert.ErrorIs(t, err, loop.ErrInvalidTicket)
}

// TestMatterLevelsAreOneDemand shows why the request carries one matter code: to the router each
// entry of Matters is a separate demand, so listing the three levels would make a joint case of
// one demand (000 §4 (二)); the one specific code is routed by statutory duty to the street's 城运中心.
func TestMatterLevelsAreOneDemand(t *testing.T) {
	r := router(t)
	tk := accept(t, streetMachine(t), ticket.KindComplaint, 230)
	req, err := loop.RoutingRequest(tk, loop.RouteOptions{})
	require.NoError(t, err)
	d, err := r.Route(req)
	require.NoError(t, err)
	assert.Equal(t, routing.DispatchStatutory, d.Mode)
	assert.Equal(t, "yy-cyzx", d.Lead)
	assert.Empty(t, d.CoHandling)

	req.Matters = []routing.MatterCode{"050201", "0502", "05"}
	d, err = r.Route(req)
	require.NoError(t, err)
	assert.NotEqual(t, routing.DispatchStatutory, d.Mode, "three levels as three demands are no longer one statutory dispatch")
}

// TestReturnLoop follows 000 §7 (二) through the router: the unit returns the ticket naming a
// suggested unit; with its objection upheld it is excluded and the ticket goes to the suggested
// unit; when that unit objects in turn (returns it too), the decision needs designation by the
// authority, and the bounces are counted for buck-passing (004 §12 (二) 1).
func TestReturnLoop(t *testing.T) {
	r, m := router(t), streetMachine(t)
	tk := accept(t, m, ticket.KindComplaint, 240)
	req, err := loop.RoutingRequest(tk, loop.RouteOptions{})
	require.NoError(t, err)
	d, err := r.Route(req)
	require.NoError(t, err)
	reqs, err := loop.DispatchRequests(d, loop.DispatchOptions{Actor: "operator-07", Complexity: ticket.ComplexityGeneral})
	require.NoError(t, err)
	apply(t, m, tk, reqs, "2026-10-08 11:30")
	apply(t, m, tk, []ticket.Request{unit("yy-cyzx", ticket.ActionReturn, ticket.Payload{Return: &ticket.Return{
		SuggestedUnit: "yy-sqglb", Basis: "工地噪声属社区治理"}})}, "2026-10-09 09:00")

	// Not upheld: the unit is not excluded (000 §7 (二) excludes only on an upheld objection).
	req, err = loop.RoutingRequest(tk, loop.RouteOptions{})
	require.NoError(t, err)
	require.Len(t, req.Returns, 1)
	assert.Equal(t, routing.Return{Unit: "yy-cyzx", SuggestedUnit: "yy-sqglb", Reason: "工地噪声属社区治理"}, req.Returns[0])
	d, err = r.Route(req)
	require.NoError(t, err)
	assert.Equal(t, "yy-cyzx", d.Lead)

	// Upheld: excluded, and re-dispatched to the suggested unit.
	req, err = loop.RoutingRequest(tk, loop.RouteOptions{Upheld: []string{"yy-cyzx"}})
	require.NoError(t, err)
	assert.True(t, req.Returns[0].Upheld)
	assert.Empty(t, req.Exclude, "an upheld unit that returned is excluded through its return")
	d, err = r.Route(req)
	require.NoError(t, err)
	assert.Equal(t, "yy-sqglb", d.Lead)
	reqs, err = loop.DispatchRequests(d, loop.DispatchOptions{Actor: "operator-07"})
	require.NoError(t, err)
	apply(t, m, tk, reqs, "2026-10-09 10:00")

	// The suggested unit objects in turn: designation by the authority.
	apply(t, m, tk, []ticket.Request{unit("yy-sqglb", ticket.ActionReturn, ticket.Payload{Return: &ticket.Return{
		SuggestedUnit: "yy-cyzx", Basis: "施工管理属城运中心"}})}, "2026-10-09 15:00")
	req, err = loop.RoutingRequest(tk, loop.RouteOptions{Upheld: []string{"yy-cyzx"}})
	require.NoError(t, err)
	d, err = r.Route(req)
	require.NoError(t, err)
	assert.True(t, d.NeedsDesignation)
	assert.Equal(t, []routing.Bounce{{A: "yy-cyzx", B: "yy-sqglb", Count: 2}}, d.Bounces)
	_, err = loop.DispatchRequests(d, loop.DispatchOptions{Actor: "operator-07"})
	var de *loop.DesignationError
	require.ErrorAs(t, err, &de)
	assert.ErrorIs(t, err, loop.ErrNeedsDesignation)
	assert.Equal(t, "bs-gov", de.Authority)
	assert.ElementsMatch(t, []string{"yy-cyzx", "yy-sqglb"}, de.Candidates)

	// The authority designates; the ticket records it, and a later request carries the designation.
	reqs, err = loop.DispatchRequests(routing.Decision{Mode: routing.DispatchDesignated, Lead: "yy-gov"}, loop.DispatchOptions{Actor: "bs-gov"})
	require.NoError(t, err)
	require.Len(t, reqs, 1)
	assert.Equal(t, ticket.ActionDesignate, reqs[0].Action)
	assert.Equal(t, ticket.RoleLeader, reqs[0].Role)
	apply(t, m, tk, reqs, "2026-10-09 16:00")
	assert.Equal(t, ticket.DispatchDesignated, tk.Assignment.DispatchMode)
	req, err = loop.RoutingRequest(tk, loop.RouteOptions{Upheld: []string{"yy-cyzx"}})
	require.NoError(t, err)
	require.NotNil(t, req.Designation)
	assert.Equal(t, routing.Designation{Lead: "yy-gov", By: "bs-gov"}, *req.Designation)
	d, err = r.Route(req)
	require.NoError(t, err)
	assert.Equal(t, "yy-gov", d.Lead)
	assert.Equal(t, routing.DispatchDesignated, d.Mode)
}

// TestRoutingRequestUpheldNotReturned: a unit whose objection was upheld but that has not returned
// the ticket yet is excluded outright (000 §7 (二): 另行转送).
func TestRoutingRequestUpheldNotReturned(t *testing.T) {
	tk := accept(t, streetMachine(t), ticket.KindComplaint, 250)
	req, err := loop.RoutingRequest(tk, loop.RouteOptions{Upheld: []string{"yy-cyzx", "", "yy-cyzx"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"yy-cyzx"}, req.Exclude)
	d, err := router(t).Route(req)
	require.NoError(t, err)
	assert.NotEqual(t, "yy-cyzx", d.Lead)
}

// TestDispatchRequests: each mode of the router becomes the ticket's (004 §6 法定、商定、指定;
// 000 §4 (二) 各区托底), with the caller's complexity; buck-passing adds a supervision (004 §12 (二) 1).
func TestDispatchRequests(t *testing.T) {
	opts := loop.DispatchOptions{Actor: "operator-07", Complexity: ticket.ComplexityComplex}
	for _, c := range []struct {
		name   string
		d      routing.Decision
		action ticket.Action
		role   ticket.Role
		mode   ticket.DispatchMode
		n      int
	}{
		{"statutory 法定", routing.Decision{Mode: routing.DispatchStatutory, Lead: "yy-cyzx"}, ticket.ActionDispatch, ticket.RoleHotlineOffice, ticket.DispatchStatutory, 1},
		{"negotiated 商定", routing.Decision{Mode: routing.DispatchNegotiated, Lead: "yy-cyzx", CoHandling: []string{"yy-sqglb"}}, ticket.ActionDispatch, ticket.RoleHotlineOffice, ticket.DispatchNegotiated, 1},
		{"fallback 托底", routing.Decision{Mode: routing.DispatchFallback, Lead: "yy-gov"}, ticket.ActionDispatch, ticket.RoleHotlineOffice, ticket.DispatchFallback, 1},
		{"designated 指定", routing.Decision{Mode: routing.DispatchDesignated, Lead: "yy-gov"}, ticket.ActionDesignate, ticket.RoleLeader, ticket.DispatchDesignated, 1},
		{"buck-passing 推诿", routing.Decision{Mode: routing.DispatchStatutory, Lead: "yy-cyzx", Supervise: true}, ticket.ActionDispatch, ticket.RoleHotlineOffice, ticket.DispatchStatutory, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			reqs, err := loop.DispatchRequests(c.d, opts)
			require.NoError(t, err)
			require.Len(t, reqs, c.n)
			r := reqs[0]
			assert.Equal(t, c.action, r.Action)
			assert.Equal(t, c.role, r.Role)
			assert.Equal(t, "operator-07", r.Actor)
			require.NotNil(t, r.Payload.Dispatch)
			assert.Equal(t, c.d.Lead, r.Payload.Dispatch.Lead)
			assert.Equal(t, c.d.CoHandling, r.Payload.Dispatch.CoHandling)
			assert.Equal(t, c.mode, r.Payload.Dispatch.DispatchMode)
			assert.Equal(t, ticket.ComplexityComplex, r.Payload.Dispatch.Complexity)
			if c.n == 2 {
				assert.Equal(t, ticket.ActionSupervise, reqs[1].Action)
				assert.Equal(t, ticket.TriggerShirking, reqs[1].Payload.Supervision.Trigger)
			}
			// The ticket accepts them.
			m := streetMachine(t)
			tk := accept(t, m, ticket.KindComplaint, 260)
			apply(t, m, tk, reqs, "2026-10-08 11:30")
			assert.Equal(t, c.mode, tk.Assignment.DispatchMode)
			assert.Equal(t, ticket.ComplexityComplex, tk.Complexity)
		})
	}
	for _, d := range []routing.Decision{{}, {Mode: "guess", Lead: "x"}, {Mode: routing.DispatchStatutory}} {
		_, err := loop.DispatchRequests(d, opts)
		assert.ErrorIs(t, err, loop.ErrInvalidDecision, "%+v", d)
	}
	_, err := loop.DispatchRequests(routing.Decision{NeedsDesignation: true, Candidates: []string{"a", "b"}}, opts)
	var de *loop.DesignationError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), "the dispatching hotline office must designate")
	assert.False(t, errors.Is(err, loop.ErrInvalidDecision))
}

// TestDispatchMode: the two packages share the wire values, one for one.
func TestDispatchMode(t *testing.T) {
	for _, m := range routing.DispatchModes() {
		got, err := loop.DispatchMode(m)
		require.NoError(t, err)
		assert.Equal(t, string(m), string(got))
	}
	assert.Equal(t, len(ticket.DispatchModes()), len(routing.DispatchModes()))
	_, err := loop.DispatchMode("")
	assert.ErrorIs(t, err, loop.ErrInvalidDecision)
}
