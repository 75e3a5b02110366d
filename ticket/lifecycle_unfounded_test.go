package ticket

import (
	"encoding/json"
	"testing"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lcReviewSteps receives a bad review on Monday 2026-11-23 09:00, dispatches it to 区市场监管局 at
// 10:00 and records the first contact at 11:00: the ticket is being handled.
func lcReviewSteps(in Intake) []lcStep {
	return []lcStep{
		{lcAccept(in), lcAt("2026-11-23 09:00")},
		{lcDispatch("区市场监管局", noMode, ComplexityGeneral), lcAt("2026-11-23 10:00")},
		{lcFirstContact(), lcAt("2026-11-23 11:00")},
	}
}

// 000 §6 (二): 市级政务服务主管部门或者区级政务服务主管部门复核认定为不属实评价的，承办单位自收到工单之日起
// 15个工作日内，通过“12345”市民服务热线按照不属实评价办结，评价结果不予采纳. The unit received the
// review on Monday 11-23: the receipt day is not counted, so the 15 working days are 11-24 … 12-14 and
// the close is due before 2026-12-15 00:00 (no holiday in between, deadline/data/holiday-cn/2026.json).
func TestCloseUnfoundedWithinAppealClose(t *testing.T) {
	m := lcMachine(t, deadline.ShanghaiOneNet())
	tk := lcRun(t, m, lcReviewSteps(lcReviewIntake())...)
	require.Equal(t, deadline.ReplyGeneral, tk.Deadlines.Reply.Key)
	assert.Equal(t, lcAt("2026-12-01 00:00"), tk.Deadlines.Reply.Due.At, "000 §5: 5 working days to rectify")

	ev, err := m.Apply(tk, lcCloseUnfounded(), lcAt("2026-12-10 10:00"))
	require.NoError(t, err)
	assert.Equal(t, StateClosedUnfounded, tk.State)
	assert.True(t, tk.State.Terminal())
	assert.Empty(t, Lifecycle().Allowed(tk.State))
	assert.Equal(t, "不属实办结", tk.State.Label())
	assert.Equal(t, "按不属实评价办结", ev.Action.Label())
	assert.Equal(t, StateHandling, ev.From)

	ar := AppealReview{Appeal: "A-1", Review: "R-1", Reviewer: "区政务服务办", Level: ReviewerDistrict}
	assert.Equal(t, &Closure{Unfounded: &ar, At: lcAt("2026-12-10 10:00")}, tk.Closure)

	c := tk.Deadlines.AppealClose
	assert.Equal(t, deadline.AppealClose, c.Key)
	assert.Equal(t, "000 §6 (二)", c.Source)
	assert.Equal(t, lcAt("2026-11-23 10:00"), c.Start, "counted from the unit's receipt (the dispatch)")
	assert.Equal(t, lcAt("2026-12-15 00:00"), c.Due.At, "15 working days")
	assert.Equal(t, lcAt("2026-12-10 10:00"), c.Met)
	assert.False(t, c.Late)
	assert.False(t, c.Running())

	assert.Empty(t, tk.Deadlines.Reply.Key, "the 5-day rectification limit no longer applies to an unfounded review")
	require.Len(t, ev.Notes, 3)
	assert.Contains(t, ev.Notes[0], "review R-1 found unfounded (不属实评价) on appeal review by 区政务服务办 (区级政务服务主管部门)")
	assert.Contains(t, ev.Notes[0], "000 §6 (二)")
	assert.Contains(t, ev.Notes[1], "close as unfounded due 2026-12-15 00:00, counted from the unit's receipt 2026-11-23 10:00")
	assert.Contains(t, ev.Notes[2], "reply clock (reply_general due 2026-12-01 00:00) no longer applies")

	st, err := m.Status(tk, lcAt("2026-12-20 09:00"))
	require.NoError(t, err)
	for _, s := range st {
		assert.False(t, s.State.Open(), "%s: no clock runs on the closed ticket", s.Key)
	}

	got, err := m.Replay(tk.History)
	require.NoError(t, err)
	assert.Equal(t, tk, got)
	raw, err := json.Marshal(tk)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"unfounded":{"appeal":"A-1","review":"R-1","reviewer":"区政务服务办","level":"district"}`)
	assert.Contains(t, string(raw), `"action":"close_unfounded"`)
	assert.Contains(t, string(raw), `"state":"closed_unfounded"`)
}

// 000 §6 (二): a close after the 15 working days is recorded as late, with the article, not refused;
// the days count from the unit's receipt, here the dispatch on Tuesday 11-24 (due 2026-12-16 00:00).
func TestCloseUnfoundedLateIsRecorded(t *testing.T) {
	m := lcMachine(t, deadline.ShanghaiOneNet())
	tk := lcRun(t, m,
		lcStep{lcAccept(lcReviewIntake()), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("区市场监管局", noMode, ComplexityGeneral), lcAt("2026-11-24 10:00")},
		lcStep{lcFirstContact(), lcAt("2026-11-24 11:00")},
	)
	ev, err := m.Apply(tk, lcCloseUnfounded(), lcAt("2026-12-16 09:00"))
	require.NoError(t, err)
	assert.Equal(t, StateClosedUnfounded, tk.State)
	c := tk.Deadlines.AppealClose
	assert.Equal(t, lcAt("2026-12-16 00:00"), c.Due.At)
	assert.True(t, c.Late)
	assert.True(t, c.Overdue(lcAt("2026-12-20 00:00")))
	assert.Contains(t, ev.Notes, "close as unfounded late: due 2026-12-16 00:00, done 2026-12-16 09:00 (000 §6 (二))")

	// The day before is in time.
	tk2 := lcRun(t, m,
		lcStep{lcAccept(lcReviewIntake()), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("区市场监管局", noMode, ComplexityGeneral), lcAt("2026-11-24 10:00")},
		lcStep{lcFirstContact(), lcAt("2026-11-24 11:00")},
	)
	_, err = m.Apply(tk2, lcCloseUnfounded(), lcAt("2026-12-15 23:59"))
	require.NoError(t, err)
	assert.False(t, tk2.Deadlines.AppealClose.Late)
}

// 000 §6 (二) provides the close as unfounded for bad reviews only: a complaint (or any other kind) is
// refused with a typed error naming its kind and the article, and left unchanged.
func TestCloseUnfoundedOnlyForReviews(t *testing.T) {
	m := lcMachine(t, deadline.ShanghaiOneNet())
	for _, k := range Kinds() {
		if k == KindReview {
			continue
		}
		t.Run(k.String(), func(t *testing.T) {
			in := lcIntake(ChannelPhone)
			in.Kind = k
			tk := lcRun(t, m, lcReviewSteps(in)...)
			before, _ := json.Marshal(tk)
			_, err := m.Apply(tk, lcCloseUnfounded(), lcAt("2026-11-24 09:00"))
			require.ErrorIs(t, err, ErrWrongKind)
			var ke *KindError
			require.ErrorAs(t, err, &ke)
			assert.Equal(t, &KindError{Action: ActionCloseUnfounded, Kind: k, Want: KindReview, Source: "000 §6 (二)"}, ke)
			var te *TransitionError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, StateHandling, te.State)
			assert.Contains(t, err.Error(), k.Label())
			assert.Contains(t, err.Error(), "评价 (review) tickets only")
			assert.Contains(t, err.Error(), "000 §6 (二)")
			after, _ := json.Marshal(tk)
			assert.JSONEq(t, string(before), string(after))
		})
	}
}

// 000 §6 (二): the appeal review that found the review unfounded is required: which review, which
// competent department, at which level (city or district). The unit closes it through the hotline
// system or the hotline office records it for the unit; nobody else may.
func TestCloseUnfoundedPayloadAndRoles(t *testing.T) {
	m := lcMachine(t, deadline.ShanghaiOneNet())
	mod := func(f func(*AppealReview)) Request { r := lcCloseUnfounded(); f(r.Payload.AppealReview); return r }
	for name, c := range map[string]struct {
		req  Request
		want error
	}{
		"no payload":     {lcReq(RoleHandlingUnit, ActionCloseUnfounded), ErrMissingField},
		"closure":        {func() Request { r := lcCloseUnfounded(); r.Payload.Closure = &Closure{}; return r }(), ErrMissingField},
		"no review":      {mod(func(a *AppealReview) { a.Review = " " }), ErrInvalidPayload},
		"no reviewer":    {mod(func(a *AppealReview) { a.Reviewer = "" }), ErrInvalidPayload},
		"no level":       {mod(func(a *AppealReview) { a.Level = "" }), ErrInvalidPayload},
		"unknown level":  {mod(func(a *AppealReview) { a.Level = "street" }), ErrInvalidPayload},
		"supervisor":     {func() Request { r := lcCloseUnfounded(); r.Role = RoleSupervisor; return r }(), ErrForbiddenRole},
		"leader":         {func() Request { r := lcCloseUnfounded(); r.Role = RoleLeader; return r }(), ErrForbiddenRole},
		"upper office":   {func() Request { r := lcCloseUnfounded(); r.Role = RoleUpperOffice; return r }(), ErrForbiddenRole},
		"system":         {func() Request { r := lcCloseUnfounded(); r.Role = RoleSystem; return r }(), ErrForbiddenRole},
		"hotline office": {func() Request { r := lcCloseUnfounded(); r.Role = RoleHotlineOffice; return r }(), nil},
		"no appeal id":   {mod(func(a *AppealReview) { a.Appeal = "" }), nil},
		"city":           {mod(func(a *AppealReview) { a.Level = ReviewerCity }), nil},
	} {
		t.Run(name, func(t *testing.T) {
			tk := lcRun(t, m, lcReviewSteps(lcReviewIntake())...)
			_, err := m.Apply(tk, c.req, lcAt("2026-11-24 09:00"))
			if c.want == nil {
				require.NoError(t, err)
				assert.Equal(t, StateClosedUnfounded, tk.State)
				return
			}
			require.ErrorIs(t, err, c.want)
			assert.Equal(t, StateHandling, tk.State)
			if c.want == ErrInvalidPayload {
				assert.Contains(t, err.Error(), "000 §6 (二)")
			}
		})
	}
}

// 000 §6 (二) and §5: the close is the handling unit's, so it comes after the unit has the ticket and
// has made its first contact (required within 1 working day): from handling (with or without a
// pending extension), after a reply, a quality check, a callback — even a dissatisfied one, which is
// the bad review itself — or a reopening. Not before the first contact, not once returned.
func TestCloseUnfoundedFromStates(t *testing.T) {
	qc := deadline.ShanghaiOneNet()
	qc.Name, qc.QualityCheck = "shanghai-one-net-qc", true
	m, mqc := lcMachine(t, deadline.ShanghaiOneNet()), lcMachine(t, qc)
	recv := lcAccept(lcReviewIntake())
	disp := lcDispatch("区市场监管局", noMode, ComplexityComplex)
	steps := map[State][]lcStep{
		StateDispatched: {{recv, lcHours(0)}, {disp, lcHours(1)}},
		StateReturned:   {{recv, lcHours(0)}, {disp, lcHours(1)}, {lcReturn("区税务局"), lcHours(2)}},
		StateExtensionRequested: {{recv, lcHours(0)}, {disp, lcHours(1)}, {lcFirstContact(), lcHours(2)},
			{lcExtension(20, ""), lcHours(3)}},
		StateReplied: {{recv, lcHours(0)}, {disp, lcHours(1)}, {lcFirstContact(), lcHours(2)},
			{lcReply(OutcomeExplained), lcHours(3)}},
		StateCalledBack: {{recv, lcHours(0)}, {disp, lcHours(1)}, {lcFirstContact(), lcHours(2)},
			{lcReply(OutcomeExplained), lcHours(3)}, {lcCallback(false), lcHours(4)}},
		StateReopened: {{recv, lcHours(0)}, {disp, lcHours(1)}, {lcFirstContact(), lcHours(2)},
			{lcReply(OutcomeExplained), lcHours(3)}, {lcCallback(false), lcHours(4)},
			{lcReq(RoleHotlineOffice, ActionReopen), lcHours(5)}},
	}
	for s, st := range steps {
		t.Run(s.String(), func(t *testing.T) {
			tk := lcRun(t, m, st...)
			require.Equal(t, s, tk.State)
			ev, err := m.Apply(tk, lcCloseUnfounded(), lcHours(30))
			switch s {
			case StateDispatched, StateReturned:
				require.ErrorIs(t, err, ErrIllegalTransition)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, StateClosedUnfounded, tk.State)
			assert.False(t, tk.Deadlines.Reply.Running())
			switch s {
			case StateExtensionRequested:
				assert.Contains(t, ev.Notes[len(ev.Notes)-1], "pending extension request (to 20) lapses")
			case StateReplied, StateCalledBack:
				assert.Equal(t, lcHours(3), tk.Deadlines.Reply.Met, "a reply already given stays on record")
			case StateReopened:
				// The redo clock: ShanghaiOneNet has no Reopen limit, so the reply limit from the reopening.
				assert.Contains(t, ev.Notes[2], "reply clock (reply_complex due")
			}
		})
	}
	t.Run("checked", func(t *testing.T) {
		tk := lcRun(t, mqc, lcStep{recv, lcHours(0)}, lcStep{disp, lcHours(1)}, lcStep{lcFirstContact(), lcHours(2)},
			lcStep{lcReply(OutcomeExplained), lcHours(3)}, lcStep{lcReq(RoleHotlineOffice, ActionPassQualityCheck), lcHours(4)})
		require.Equal(t, StateChecked, tk.State)
		_, err := mqc.Apply(tk, lcCloseUnfounded(), lcHours(5))
		require.NoError(t, err)
	})
	t.Run("a dissatisfied callback is not simply closed", func(t *testing.T) {
		tk := lcRun(t, m, steps[StateCalledBack]...)
		_, err := m.Apply(tk, lcReq(RoleHotlineOffice, ActionClose), lcHours(30))
		require.ErrorIs(t, err, ErrNotApplicable, "004 §11: reopen or close as stored — or, found unfounded, close as unfounded")
	})
}

// A policy without the appeal-close limit (no limit is written in this package) closes the review
// as unfounded without a deadline, and says so in the event note.
func TestCloseUnfoundedWithoutLimit(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	_, ok := m.DeadlinePolicy().Limit(deadline.AppealClose)
	require.False(t, ok)
	tk := lcRun(t, m, lcReviewSteps(lcReviewIntake())...)
	ev, err := m.Apply(tk, lcCloseUnfounded(), lcAt("2026-11-24 09:00"))
	require.NoError(t, err)
	assert.Equal(t, StateClosedUnfounded, tk.State)
	assert.Empty(t, tk.Deadlines.AppealClose.Key)
	assert.Contains(t, ev.Notes, `close as unfounded: policy "street-hotline" sets no appeal_close limit, so no deadline is recorded (000 §6 (二))`)
}

// 004 §11; 000 §4 (四): the ticket's callback records when it was made, from the action's time; a time
// the request carries is ignored and the history keeps the request as made.
func TestCallbackRecordsItsInstant(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	r := lcCallback(true)
	r.Payload.Callback.At = lcAt("2020-01-01 00:00")
	tk := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("居委会A", noMode, ""), lcAt("2026-11-23 10:00")},
		lcStep{lcFirstContact(), lcAt("2026-11-23 11:00")},
		lcStep{lcReply(OutcomeResolved), lcAt("2026-11-25 11:00")},
		lcStep{r, lcAt("2026-11-26 10:00")},
	)
	assert.Equal(t, lcAt("2026-11-26 10:00"), tk.Callback.At)
	assert.Equal(t, lcAt("2020-01-01 00:00"), tk.History[4].Payload.Callback.At, "the request as made")
	got, err := m.Replay(tk.History)
	require.NoError(t, err)
	assert.Equal(t, tk, got)
}
