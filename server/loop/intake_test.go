package loop_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/repeat"
	"github.com/hotline12345/hotline/ticket/screen"
)

func testMAC(tb testing.TB) repeat.MAC {
	tb.Helper()
	m, err := repeat.NewSM3MAC([]byte("a test key of sixteen or more bytes"))
	require.NoError(tb, err)
	return m
}

// noiseIntake is the caller of accept (the same phone) complaining again about the same noise.
func noiseIntake(received string) ticket.Intake {
	return ticket.Intake{Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint, Received: at(received),
		Content: "宝钢一村旁工地又连续多晚施工到凌晨，噪声扰民。", Citizen: ticket.Person{Name: "张三", Phone: "138 1234 5678"},
		Place: ticket.Place{RegionCode: "310113003001", Address: "宝钢一村"}, Matter: noise}
}

func TestRecentContacts(t *testing.T) {
	now := at("2026-10-09 12:00")
	received := []time.Time{
		now,                           // counted: not after now
		now.Add(-23 * time.Hour),      // counted
		now.Add(-24 * time.Hour),      // not: the window's start is excluded
		now.Add(time.Minute),          // not: after now
		now.Add(-30 * 24 * time.Hour), // not
	}
	assert.Equal(t, 2, loop.RecentContacts(received, now, loop.DefaultContactWindow))
	assert.Equal(t, 3, loop.RecentContacts(received, now, 25*time.Hour))
	assert.Zero(t, loop.RecentContacts(nil, now, loop.DefaultContactWindow))
}

// TestAnswered: a ticket is answered once it carries a reply and is replied, checked, called back or
// closed — the 重复投诉 of 002 §5 (二) is a repeat of a complaint "此前已经受理并答复".
func TestAnswered(t *testing.T) {
	m := streetMachine(t)
	tk := accept(t, m, ticket.KindComplaint, 300)
	assert.False(t, loop.Answered(tk), "received")
	apply(t, m, tk, []ticket.Request{dispatchTo("yy-cyzx"), contact("yy-cyzx")}, "2026-10-08 11:30")
	assert.False(t, loop.Answered(tk), "handling")
	apply(t, m, tk, []ticket.Request{replyBy("yy-cyzx", "分管领导")}, "2026-10-09 10:00")
	assert.True(t, loop.Answered(tk), "replied")
	apply(t, m, tk, []ticket.Request{callback(ticket.Dissatisfied), office(ticket.ActionReopen, ticket.Payload{})}, "2026-10-09 11:00")
	assert.False(t, loop.Answered(tk), "reopened: the answer is being redone (004 §11)")

	refused := accept(t, m, ticket.KindComplaint, 301)
	apply(t, m, refused, []ticket.Request{office(ticket.ActionRefuse, ticket.Payload{Refusal: &ticket.Refusal{Code: "insult"}}),
		office(ticket.ActionClose, ticket.Payload{})}, "2026-10-08 12:00")
	assert.False(t, loop.Answered(refused), "a refused ticket was never accepted")
	assert.False(t, loop.Answered(nil))
}

// TestFindRepeat follows 004 §12 (二) 2 (同一工单重复投诉 3 次及以上的即进行督办): the caller's
// earlier tickets are indexed with the chains their originals recorded, so the third repeat is
// counted as the third and reaches supervision.
func TestFindRepeat(t *testing.T) {
	m, mac := streetMachine(t), testMAC(t)
	p := repeat.StreetHotline()
	orig := accept(t, m, ticket.KindComplaint, 310)
	apply(t, m, orig, []ticket.Request{dispatchTo("yy-cyzx")}, "2026-10-08 11:30")
	earlier := []*ticket.Ticket{orig}
	for i := range 3 {
		in := noiseIntake("2026-10-09 09:00")
		rep, ok, err := loop.FindRepeat(p, mac, earlier, in, at("2026-10-09 09:00").Add(time.Duration(i)*time.Hour))
		require.NoError(t, err)
		require.True(t, ok, "repeat %d", i+1)
		assert.Equal(t, orig.Number.String(), rep.Original)
		assert.Equal(t, i+1, rep.Count, "the new ticket is repeat number %d", i+1)
		assert.Equal(t, i+1 >= 3, rep.UnderSupervision, "supervised from the third repeat")
		assert.Equal(t, ticket.StateDispatched, rep.OriginalState)
		assert.False(t, rep.Answered)
		assert.Contains(t, rep.Why, "the same caller")

		// The caller's new ticket is accepted and the original counts it.
		n := accept(t, m, ticket.KindComplaint, 320+i)
		apply(t, m, orig, []ticket.Request{office(ticket.ActionMarkRepeat, ticket.Payload{Repeat: &ticket.Repeat{Of: n.Number}})}, "2026-10-09 12:00")
		earlier = append([]*ticket.Ticket{n}, earlier...) // newest first, as the store lists them
	}
	assert.Equal(t, 3, orig.Counters.Repeats)
	assert.True(t, orig.Supervised, "the lifecycle agrees: supervised at the third repeat (ticket.Policy SuperviseAtRepeats)")

	t.Run("without the original's records each ticket is its own chain", func(t *testing.T) {
		var alone []*ticket.Ticket
		for _, e := range earlier {
			if e != orig {
				alone = append(alone, e)
			}
		}
		rep, ok, err := loop.FindRepeat(p, mac, alone, noiseIntake("2026-10-10 09:00"), at("2026-10-10 09:00"))
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, 1, rep.Count)
	})
	t.Run("another demand is no repeat", func(t *testing.T) {
		in := noiseIntake("2026-10-10 09:00")
		in.Content = "社区卫生服务中心的预约挂号电话一直打不通，希望增加人手。"
		in.Matter = ticket.Matter{}
		_, ok, err := loop.FindRepeat(p, mac, earlier, in, at("2026-10-10 09:00"))
		require.NoError(t, err)
		assert.False(t, ok)
	})
	t.Run("outside the window is no repeat", func(t *testing.T) {
		_, ok, err := loop.FindRepeat(p, mac, earlier, noiseIntake("2027-03-01 09:00"), at("2027-03-01 09:00"))
		require.NoError(t, err)
		assert.False(t, ok)
	})
	t.Run("an answered original is reported answered", func(t *testing.T) {
		done := accept(t, m, ticket.KindComplaint, 330)
		apply(t, m, done, []ticket.Request{dispatchTo("yy-cyzx"), contact("yy-cyzx"), replyBy("yy-cyzx", "")}, "2026-10-08 12:00")
		rep, ok, err := loop.FindRepeat(p, mac, []*ticket.Ticket{done}, noiseIntake("2026-10-09 09:00"), at("2026-10-09 09:00"))
		require.NoError(t, err)
		require.True(t, ok)
		assert.True(t, rep.Answered)
		assert.Equal(t, ticket.StateReplied, rep.OriginalState)
	})
	t.Run("bad input", func(t *testing.T) {
		_, _, err := loop.FindRepeat(p, mac, []*ticket.Ticket{nil}, noiseIntake("2026-10-09 09:00"), at("2026-10-09 09:00"))
		assert.ErrorIs(t, err, loop.ErrInvalidTicket)
		_, _, err = loop.FindRepeat(repeat.Policy{}, mac, nil, noiseIntake("2026-10-09 09:00"), at("2026-10-09 09:00"))
		assert.ErrorIs(t, err, repeat.ErrInvalidPolicy)
		_, _, err = loop.FindRepeat(p, shortMAC{}, []*ticket.Ticket{orig}, noiseIntake("2026-10-09 09:00"), at("2026-10-09 09:00"))
		assert.ErrorIs(t, err, repeat.ErrShortDigest)
	})
}

type shortMAC struct{}

func (shortMAC) MAC([]byte) []byte { return []byte{1, 2, 3} }

// TestScreenInput: a repeat of an answered ticket is refused as 重复投诉 (002 §5 (二)), and a caller
// with ten contacts in a day as 无理纠缠 (002 §5 (二)); without them the same item is accepted.
func TestScreenInput(t *testing.T) {
	s, err := screen.New(screen.Hebi())
	require.NoError(t, err)
	in := noiseIntake("2026-10-09 09:00")
	res, err := s.Screen(loop.ScreenInput(in, nil, 0))
	require.NoError(t, err)
	assert.Equal(t, screen.Accept, res.Outcome)

	res, err = s.Screen(loop.ScreenInput(in, &loop.Repeat{Match: repeat.Match{Original: "BSYYL-1"}, Answered: true}, 0))
	require.NoError(t, err)
	assert.Equal(t, screen.Refuse, res.Outcome)
	require.NotEmpty(t, res.Reasons)
	assert.Equal(t, "repeat_answered", res.Reasons[0].Code)

	res, err = s.Screen(loop.ScreenInput(in, &loop.Repeat{Match: repeat.Match{Original: "BSYYL-1"}}, 0))
	require.NoError(t, err)
	assert.Equal(t, screen.Accept, res.Outcome, "a repeat of an open ticket is accepted (and counted by it)")

	res, err = s.Screen(loop.ScreenInput(in, nil, 10))
	require.NoError(t, err)
	assert.Equal(t, screen.Refuse, res.Outcome)
	assert.Equal(t, "harassment", res.Reasons[0].Code)
}

func TestStored(t *testing.T) {
	for o, want := range map[screen.Outcome]bool{
		screen.Accept: true, screen.Refuse: true, screen.Archive: true, screen.ReturnUpstream: true,
		screen.MissingElements: false, "": false, "maybe": false,
	} {
		assert.Equal(t, want, loop.Stored(o), o)
	}
}

// TestPlanIntake: what follows each screening outcome, from its article.
func TestPlanIntake(t *testing.T) {
	r := router(t)
	shanghai, err := screen.New(screen.Shanghai())
	require.NoError(t, err)
	o := loop.DispatchOptions{Actor: "operator-07"}
	screened := func(t *testing.T, in ticket.Intake) screen.Result {
		res, err := shanghai.Screen(screen.InputOf(in))
		require.NoError(t, err)
		return res
	}

	t.Run("a refusal names its reason and where to go instead (002 §5 (三))", func(t *testing.T) {
		m := streetMachine(t)
		tk := accept(t, m, ticket.KindComplaint, 400)
		in := noiseIntake("2026-10-08 11:00")
		in.Content = "我的信访事项一直没有结果，要求答复。"
		res := screened(t, in)
		require.Equal(t, screen.Refuse, res.Outcome)
		plan, err := loop.PlanIntake(tk, res, nil, r, o)
		require.NoError(t, err)
		require.Len(t, plan.Requests, 1)
		q := plan.Requests[0]
		assert.Equal(t, ticket.ActionRefuse, q.Action)
		assert.Equal(t, "out_of_scope.petition", q.Payload.Refusal.Code)
		assert.Contains(t, q.Payload.Refusal.Redirect, "信访")
		assert.Equal(t, res.Message, q.Payload.Refusal.Explanation)
		assert.Equal(t, loop.StatusScreenedOut, plan.Dispatch.Status)
		assert.Nil(t, plan.MarkRepeat)
		apply(t, m, tk, plan.Requests, "2026-10-08 11:00")
		assert.Equal(t, ticket.StateRefused, tk.State)
	})
	t.Run("a city item without content is archived (000 §4 (一))", func(t *testing.T) {
		m := streetMachine(t)
		tk := accept(t, m, ticket.KindSuggestion, 401)
		in := noiseIntake("2026-10-08 11:00")
		in.Content = "噪声"
		res := screened(t, in)
		require.Equal(t, screen.Archive, res.Outcome)
		plan, err := loop.PlanIntake(tk, res, nil, r, o)
		require.NoError(t, err)
		assert.Equal(t, ticket.ActionArchive, plan.Requests[0].Action)
		apply(t, m, tk, plan.Requests, "2026-10-08 11:00")
		assert.Equal(t, ticket.StateArchived, tk.State)
	})
	t.Run("a 国办 item outside the remit goes back upstream (000 §4 (一))", func(t *testing.T) {
		in := noiseIntake("2026-10-08 11:00")
		in.Channel, in.Place = ticket.ChannelStateCouncil, ticket.Place{RegionCode: "110105", Address: "北京市朝阳区"}
		res := screened(t, in)
		require.Equal(t, screen.ReturnUpstream, res.Outcome)
		plan, err := loop.PlanIntake(accept(t, streetMachine(t), ticket.KindComplaint, 402), res, nil, r, o)
		require.NoError(t, err)
		assert.Equal(t, ticket.ActionReturnUpstream, plan.Requests[0].Action)
		assert.Equal(t, "outside_remit", plan.Requests[0].Payload.Refusal.Code)
	})
	t.Run("an accepted item is routed and dispatched by statutory duty (000 §4 (二))", func(t *testing.T) {
		m := streetMachine(t)
		tk := accept(t, m, ticket.KindComplaint, 403)
		res := screened(t, noiseIntake("2026-10-08 11:00"))
		require.Equal(t, screen.Accept, res.Outcome)
		plan, err := loop.PlanIntake(tk, res, nil, r, o)
		require.NoError(t, err)
		assert.Equal(t, loop.StatusDispatched, plan.Dispatch.Status)
		require.NotNil(t, plan.Dispatch.Decision)
		assert.Equal(t, "yy-cyzx", plan.Dispatch.Decision.Lead)
		assert.NotEmpty(t, plan.Dispatch.Decision.Trail)
		assert.Equal(t, plan.Dispatch.Requests, plan.Requests)
		apply(t, m, tk, plan.Requests, "2026-10-08 11:00")
		assert.Equal(t, ticket.StateDispatched, tk.State)
		assert.Equal(t, "yy-cyzx", tk.Assignment.Lead)
	})
	t.Run("a repeat of an open ticket is counted by it, not dispatched (004 §12 (二) 2)", func(t *testing.T) {
		m := streetMachine(t)
		tk := accept(t, m, ticket.KindComplaint, 404)
		rep := &loop.Repeat{Match: repeat.Match{Original: "BSYYL-20261008-000001-X", Count: 1, Why: "the same caller"},
			OriginalState: ticket.StateHandling}
		plan, err := loop.PlanIntake(tk, screened(t, noiseIntake("2026-10-08 11:00")), rep, r, o)
		require.NoError(t, err)
		assert.Empty(t, plan.Requests)
		require.NotNil(t, plan.MarkRepeat)
		assert.Equal(t, ticket.ActionMarkRepeat, plan.MarkRepeat.Action)
		assert.Equal(t, tk.Number, plan.MarkRepeat.Payload.Repeat.Of)
		assert.Equal(t, loop.StatusRepeat, plan.Dispatch.Status)
		assert.Contains(t, plan.Dispatch.Reason, rep.Original)
	})
	t.Run("a repeat of a closed ticket is dispatched as new", func(t *testing.T) {
		tk := accept(t, streetMachine(t), ticket.KindComplaint, 405)
		rep := &loop.Repeat{Match: repeat.Match{Original: "BSYYL-20261008-000001-X", Count: 1}, OriginalState: ticket.StateClosed}
		plan, err := loop.PlanIntake(tk, screened(t, noiseIntake("2026-10-08 11:00")), rep, r, o)
		require.NoError(t, err)
		assert.Nil(t, plan.MarkRepeat)
		assert.Equal(t, loop.StatusDispatched, plan.Dispatch.Status)
	})
	t.Run("without a directory or a matter the office dispatches by hand", func(t *testing.T) {
		tk := accept(t, streetMachine(t), ticket.KindComplaint, 406)
		plan, err := loop.PlanIntake(tk, screened(t, noiseIntake("2026-10-08 11:00")), nil, nil, o)
		require.NoError(t, err)
		assert.Equal(t, loop.StatusManual, plan.Dispatch.Status)
		assert.Contains(t, plan.Dispatch.Reason, "no directory")
		assert.Empty(t, plan.Requests)

		tk.Matter = ticket.Matter{}
		plan, err = loop.PlanIntake(tk, screened(t, noiseIntake("2026-10-08 11:00")), nil, r, o)
		require.NoError(t, err)
		assert.Equal(t, loop.StatusManual, plan.Dispatch.Status)
		assert.Contains(t, plan.Dispatch.Reason, "matter")
		assert.Nil(t, plan.Dispatch.Decision)

		tk.Matter, tk.Place.RegionCode = noise, "310113999"
		plan, err = loop.PlanIntake(tk, screened(t, noiseIntake("2026-10-08 11:00")), nil, r, o)
		require.NoError(t, err)
		assert.Equal(t, loop.StatusManual, plan.Dispatch.Status)
		assert.Contains(t, plan.Dispatch.Reason, "router")
	})
	t.Run("missing elements store nothing, so nothing follows", func(t *testing.T) {
		_, err := loop.PlanIntake(accept(t, streetMachine(t), ticket.KindComplaint, 407),
			screen.Result{Outcome: screen.MissingElements}, nil, r, o)
		assert.ErrorIs(t, err, loop.ErrInvalidDecision)
		_, err = loop.PlanIntake(nil, screen.Result{Outcome: screen.Accept}, nil, r, o)
		assert.ErrorIs(t, err, loop.ErrInvalidTicket)
	})
}

// TestPlanDispatch follows the re-dispatch of 000 §7 (二): with the returning unit's objection upheld
// the ticket goes to the suggested unit; when that unit returns it too, the authority designates, and
// with the designation given the plan carries it out as the leader's designation (004 §6), supervised
// for the bounces (004 §12 (二) 1).
func TestPlanDispatch(t *testing.T) {
	r, m := router(t), streetMachine(t)
	tk := accept(t, m, ticket.KindComplaint, 500)
	o := loop.DispatchOptions{Actor: "operator-07"}
	plan := loop.PlanDispatch(tk, r, loop.RouteOptions{}, o)
	require.Equal(t, loop.StatusDispatched, plan.Status)
	apply(t, m, tk, plan.Requests, "2026-10-08 11:30")
	apply(t, m, tk, []ticket.Request{unit("yy-cyzx", ticket.ActionReturn, ticket.Payload{Return: &ticket.Return{
		SuggestedUnit: "yy-sqglb", Basis: "工地噪声属社区治理"}})}, "2026-10-09 09:00")

	plan = loop.PlanDispatch(tk, r, loop.RouteOptions{Upheld: []string{"yy-cyzx"}}, o)
	require.Equal(t, loop.StatusDispatched, plan.Status, plan.Reason)
	assert.Equal(t, "yy-sqglb", plan.Decision.Lead, "the suggested unit, the returning one excluded")
	apply(t, m, tk, plan.Requests, "2026-10-09 10:00")

	apply(t, m, tk, []ticket.Request{unit("yy-sqglb", ticket.ActionReturn, ticket.Payload{Return: &ticket.Return{
		SuggestedUnit: "yy-cyzx", Basis: "施工管理属城运中心"}})}, "2026-10-09 15:00")
	plan = loop.PlanDispatch(tk, r, loop.RouteOptions{Upheld: []string{"yy-cyzx"}}, o)
	assert.Equal(t, loop.StatusNeedsDesignation, plan.Status)
	assert.Equal(t, "bs-gov", plan.Decision.Authority)
	assert.Contains(t, plan.Reason, "bs-gov")
	assert.Empty(t, plan.Requests)

	plan = loop.PlanDispatch(tk, r, loop.RouteOptions{Upheld: []string{"yy-cyzx"},
		Designation: &routing.Designation{Lead: "yy-gov", By: "bs-gov"}}, loop.DispatchOptions{Actor: "bs-gov"})
	require.Equal(t, loop.StatusDispatched, plan.Status)
	require.Len(t, plan.Requests, 2)
	assert.Equal(t, ticket.ActionDesignate, plan.Requests[0].Action)
	assert.Equal(t, ticket.RoleLeader, plan.Requests[0].Role)
	assert.Equal(t, ticket.ActionSupervise, plan.Requests[1].Action, "the bounces are buck-passing (004 §12 (二) 1)")
	assert.Equal(t, ticket.TriggerShirking, plan.Requests[1].Payload.Supervision.Trigger)
	apply(t, m, tk, plan.Requests, "2026-10-09 16:00")
	assert.Equal(t, "yy-gov", tk.Assignment.Lead)
	assert.Equal(t, "bs-gov", tk.Assignment.DesignatedBy)
}

func TestDispatchStatusEnum(t *testing.T) {
	for _, s := range loop.DispatchStatuses() {
		assert.True(t, s.Valid())
		got, err := loop.ParseDispatchStatus(s.Label())
		require.NoError(t, err)
		assert.Equal(t, s, got)
		var u loop.DispatchStatus
		require.NoError(t, u.UnmarshalText([]byte(s.String())))
		assert.Equal(t, s, u)
	}
	var u loop.DispatchStatus
	assert.ErrorIs(t, u.UnmarshalText([]byte("lost")), loop.ErrInvalidEnum)
	assert.Equal(t, "未知(lost)", loop.DispatchStatus("lost").Label())
}
