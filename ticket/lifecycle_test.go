package ticket

import (
	"encoding/json"
	"errors"
	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"slices"
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 004 §6, §8 (一), (二), §10, §11: accept, dispatch by statutory duty, first contact within 1 working
// day, reply within 5 for a general matter, callback on three indicators, close.
func TestLifecycleStreetHappyPath(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcAt("2026-11-23 10:00")},
	)
	assert.Equal(t, StateDispatched, tk.State)
	assert.Equal(t, deadline.FirstContact, tk.Deadlines.FirstContact.Key)
	assert.Equal(t, lcAt("2026-11-25 00:00"), tk.Deadlines.FirstContact.Due.At, "004 §8 (一): 1 working day")
	assert.Equal(t, deadline.ReplyGeneral, tk.Deadlines.Reply.Key)
	assert.Equal(t, lcAt("2026-12-01 00:00"), tk.Deadlines.Reply.Due.At, "004 §8 (二): 5 working days")

	for _, s := range []lcStep{
		{lcFirstContact(), lcAt("2026-11-24 09:00")},
		{lcReply(OutcomeResolved), lcAt("2026-11-27 16:00")},
		{lcCallback(true), lcAt("2026-11-30 10:00")},
		{lcReq(RoleHotlineOffice, ActionClose), lcAt("2026-11-30 11:00")},
	} {
		_, err := m.Apply(tk, s.req, s.at)
		require.NoError(t, err, s.req.Action.String())
	}
	assert.Equal(t, StateClosed, tk.State)
	assert.False(t, tk.Deadlines.FirstContact.Late)
	assert.False(t, tk.Deadlines.Reply.Late)
	assert.Equal(t, lcAt("2026-11-27 16:00"), tk.Deadlines.Reply.Met)
	assert.Equal(t, 1, tk.Counters.Replies)
	assert.Len(t, tk.History, 6)
	assert.Equal(t, "actor-hotline_office", tk.ReceivedBy)
	assert.Equal(t, &Closure{At: lcAt("2026-11-30 11:00")}, tk.Closure)
	for i, e := range tk.History {
		assert.Equal(t, i+1, e.Seq)
	}
}

// 004 §8 (一): first contact must be 100%; a late first contact is recorded as late, not refused.
func TestFirstContactLateIsRecorded(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcAt("2026-11-23 10:00")},
	)
	ev, err := m.Apply(tk, lcFirstContact(), lcAt("2026-11-25 08:00"))
	require.NoError(t, err)
	assert.Equal(t, StateHandling, tk.State)
	assert.True(t, tk.Deadlines.FirstContact.Late)
	require.Len(t, ev.Notes, 1)
	assert.Contains(t, ev.Notes[0], "first contact late")
	assert.Contains(t, ev.Notes[0], "004 §8 (一)")
	assert.True(t, tk.Deadlines.FirstContact.Overdue(lcAt("2026-11-25 09:00")))
}

// 004 §8 (一): 友谊路街道热线办在收到区热线办工单后1个工作日内先行联系来电市民 — the street office's
// first contact counts from its own receipt (intake) and may be recorded before dispatch, the ticket
// staying received; 000 §5: 承办单位在收到工单后的1个工作日内，先行联系 — without the rule the
// unit's first contact counts from dispatch and none is recorded before it.
func TestFirstContactByOffice(t *testing.T) {
	accept := lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")}
	dispatch := lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcAt("2026-11-24 10:00")}
	office := lcReq(RoleHotlineOffice, ActionFirstContact)
	t.Run("004 §8 (一): clock from intake, met while received", func(t *testing.T) {
		m := lcMachine(t, deadline.StreetHotline())
		tk := lcRun(t, m, accept)
		fc := tk.Deadlines.FirstContact
		assert.Equal(t, deadline.FirstContact, fc.Key)
		assert.Equal(t, lcAt("2026-11-23 09:00"), fc.Start)
		assert.Equal(t, lcAt("2026-11-25 00:00"), fc.Due.At)
		assert.Equal(t, "004 §8 (一)", fc.Source)

		_, err := m.Apply(tk, lcFirstContact(), lcAt("2026-11-23 10:00"))
		require.ErrorIs(t, err, ErrForbiddenRole, "before dispatch only the office contacts")
		ev, err := m.Apply(tk, office, lcAt("2026-11-23 10:00"))
		require.NoError(t, err)
		assert.Equal(t, StateReceived, tk.State, "the ticket stays received")
		assert.Equal(t, StateReceived, ev.To)
		assert.Equal(t, lcAt("2026-11-23 10:00"), tk.Deadlines.FirstContact.Met)
		assert.False(t, tk.Deadlines.FirstContact.Late)
		_, err = m.Apply(tk, office, lcAt("2026-11-23 11:00"))
		require.ErrorIs(t, err, ErrNotApplicable, "recorded once")

		_, err = m.Apply(tk, dispatch.req, dispatch.at)
		require.NoError(t, err)
		assert.Equal(t, lcAt("2026-11-23 10:00"), tk.Deadlines.FirstContact.Met, "dispatch leaves the office's contact alone")
		_, err = m.Apply(tk, lcFirstContact(), lcAt("2026-11-24 11:00"))
		require.NoError(t, err)
		assert.Equal(t, StateHandling, tk.State, "the unit's contact moves the ticket on as before")
		assert.Equal(t, lcAt("2026-11-23 10:00"), tk.Deadlines.FirstContact.Met)
		got, err := m.Replay(tk.History)
		require.NoError(t, err)
		assert.Equal(t, tk, got)
	})
	t.Run("004 §8 (一): late against intake, cited from the clock", func(t *testing.T) {
		m := lcMachine(t, deadline.StreetHotline())
		tk := lcRun(t, m, accept, dispatch)
		ev, err := m.Apply(tk, office, lcAt("2026-11-25 09:00"))
		require.NoError(t, err)
		assert.Equal(t, StateHandling, tk.State)
		assert.True(t, tk.Deadlines.FirstContact.Late, "due 11-25 00:00 from intake, though 1 day from dispatch would be 11-26")
		require.Len(t, ev.Notes, 1)
		assert.Contains(t, ev.Notes[0], "004 §8 (一)")
	})
	t.Run("000 §5: without the rule, the unit's clock from dispatch", func(t *testing.T) {
		m := lcMachineP(t, deadline.StateCouncilForwarded(), func(p *Policy) { p.FirstContactByOffice = false }) // 000 §5: the unit\'s first contact, from dispatch
		in := lcIntake(ChannelStateCouncil)
		in.Urgency = UrgencyGeneral
		tk := lcRun(t, m, lcStep{lcAccept(in), accept.at})
		assert.Empty(t, tk.Deadlines.FirstContact.Key)
		_, err := m.Apply(tk, office, lcAt("2026-11-23 10:00"))
		require.ErrorIs(t, err, ErrNotApplicable)
		assert.Contains(t, err.Error(), "000 §5")
		_, err = m.Apply(tk, dispatch.req, dispatch.at)
		require.NoError(t, err)
		assert.Equal(t, lcAt("2026-11-24 10:00"), tk.Deadlines.FirstContact.Start)
		assert.Equal(t, lcAt("2026-11-26 00:00"), tk.Deadlines.FirstContact.Due.At)
		ev, err := m.Apply(tk, lcFirstContact(), lcAt("2026-11-26 09:00"))
		require.NoError(t, err)
		require.Len(t, ev.Notes, 1)
		assert.Contains(t, ev.Notes[0], "000 §5", "the late note cites the clock's own article, not 004")
		assert.NotContains(t, ev.Notes[0], "004")
	})
	t.Run("004 §8 (一): an immediate answer is the contact; a refusal ends the clock", func(t *testing.T) {
		m := lcMachine(t, deadline.StreetHotline())
		tk := lcRun(t, m, accept, lcStep{lcAnswer(), lcAt("2026-11-23 09:30")})
		assert.Equal(t, lcAt("2026-11-23 09:30"), tk.Deadlines.FirstContact.Met)
		ref := lcRun(t, m, accept, lcStep{lcRefusal(ActionRefuse), lcAt("2026-11-23 09:30")})
		assert.Empty(t, ref.Deadlines.FirstContact.Key)
		assert.Contains(t, ref.History[1].Notes[len(ref.History[1].Notes)-1], "no longer applies")
	})
}

// 004 §9 第一款: a general matter's extension is requested within 3 working days of receipt and extends
// the reply to at most 10 working days; after the window it is refused with the date it closed.
func TestExtensionGeneralWindow(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	base := []lcStep{
		{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		{lcDispatch("居委会A", noMode, ComplexityGeneral), lcAt("2026-11-23 10:00")},
		{lcFirstContact(), lcAt("2026-11-23 11:00")},
	}
	t.Run("within the window, approved", func(t *testing.T) {
		tk := lcRun(t, m, base...)
		_, err := m.Apply(tk, lcExtension(10, ""), lcAt("2026-11-26 17:00"))
		require.NoError(t, err)
		assert.Equal(t, StateExtensionRequested, tk.State)
		assert.Equal(t, []string{"街道热线办"}, tk.Extension.Approvals)
		assert.Equal(t, string(deadline.ExtensionGeneral), tk.Extension.Window)
		_, err = m.Apply(tk, lcApproval(ActionApproveExtension, RoleHotlineOffice, "街道热线办"), lcAt("2026-11-27 09:00"))
		require.NoError(t, err)
		assert.Equal(t, StateHandling, tk.State)
		assert.Equal(t, 10, tk.Deadlines.Reply.ExtendedTo)
		assert.Equal(t, lcAt("2026-12-08 00:00"), tk.Deadlines.Reply.Due.At, "extended to 10 working days from dispatch")
		assert.Equal(t, 1, tk.Counters.Extensions)
		assert.Equal(t, DecisionApproved, tk.Extension.Decision)
	})
	t.Run("after the window, refused with the closing date", func(t *testing.T) {
		tk := lcRun(t, m, base...)
		before, _ := json.Marshal(tk)
		_, err := m.Apply(tk, lcExtension(10, ""), lcAt("2026-11-27 09:00"))
		require.ErrorIs(t, err, ErrOutsideWindow)
		var te *TransitionError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, StateHandling, te.State)
		assert.Equal(t, ActionRequestExtension, te.Action)
		assert.Contains(t, te.Reason, "2026-11-27 00:00")
		var we *deadline.WindowError
		require.ErrorAs(t, err, &we)
		assert.Equal(t, lcAt("2026-11-27 00:00"), we.Closed)
		after, _ := json.Marshal(tk)
		assert.JSONEq(t, string(before), string(after), "a refused action leaves the ticket unchanged")
	})
	t.Run("beyond ExtendTo", func(t *testing.T) {
		tk := lcRun(t, m, base...)
		_, err := m.Apply(tk, lcExtension(11, ""), lcAt("2026-11-24 09:00"))
		require.ErrorIs(t, err, ErrInvalidPayload)
		assert.ErrorIs(t, err, deadline.ErrExtensionTooLong)
	})
	t.Run("refused by the office", func(t *testing.T) {
		tk := lcRun(t, m, base...)
		_, err := m.Apply(tk, lcExtension(8, ""), lcAt("2026-11-24 09:00"))
		require.NoError(t, err)
		_, err = m.Apply(tk, lcReq(RoleHotlineOffice, ActionRefuseExtension), lcAt("2026-11-24 10:00"))
		require.ErrorIs(t, err, ErrMissingField, "a refusal carries the approver and a reason")
		_, err = m.Apply(tk, lcApproval(ActionRefuseExtension, RoleHotlineOffice, "街道热线办"), lcAt("2026-11-24 10:00"))
		require.NoError(t, err)
		assert.Equal(t, StateHandling, tk.State)
		assert.Equal(t, lcAt("2026-12-01 00:00"), tk.Deadlines.Reply.Due.At)
		assert.Equal(t, DecisionRefused, tk.Extension.Decision)
	})
	t.Run("quick matters are not extendable", func(t *testing.T) {
		tk := lcRun(t, m, base[0], lcStep{lcDispatch("居委会A", noMode, ComplexitySimple), lcAt("2026-11-23 10:00")}, base[2])
		_, err := m.Apply(tk, lcExtension(3, ""), lcAt("2026-11-23 12:00"))
		require.ErrorIs(t, err, ErrNotApplicable)
		assert.ErrorIs(t, err, deadline.ErrNotExtendable)
	})
}

// 004 §9 第二款: a complex matter's extension is requested within 5 working days with a written report,
// approved by the street office, reported to the district office and on to the city office, in order.
func TestExtensionComplexEscalation(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("城管中队", noMode, ComplexityComplex), lcAt("2026-11-23 10:00")},
		lcStep{lcFirstContact(), lcAt("2026-11-23 11:00")},
	)
	assert.Equal(t, deadline.ReplyComplex, tk.Deadlines.Reply.Key)
	assert.Equal(t, lcAt("2026-12-08 00:00"), tk.Deadlines.Reply.Due.At, "004 §8 (二): 10 working days")

	_, err := m.Apply(tk, lcExtension(20, ""), lcAt("2026-11-27 09:00"))
	require.ErrorIs(t, err, ErrMissingField, "written report required")
	_, err = m.Apply(tk, lcExtension(20, "书面报告：需协调市属单位"), lcAt("2026-12-01 09:00"))
	require.ErrorIs(t, err, ErrOutsideWindow, "5-working-day window closed 2026-12-01 00:00")
	_, err = m.Apply(tk, lcExtension(20, "书面报告：需协调市属单位"), lcAt("2026-11-30 09:00"))
	require.NoError(t, err)
	assert.Equal(t, []string{"街道热线办", "区热线办", "市热线办"}, tk.Extension.Approvals)

	_, err = m.Apply(tk, lcApproval(ActionApproveExtension, RoleHotlineOffice, "街道热线办"), lcAt("2026-11-30 10:00"))
	require.ErrorIs(t, err, ErrNotApplicable, "the street office may only escalate")
	_, err = m.Apply(tk, lcApproval(ActionEscalateExtension, RoleUpperOffice, "区热线办"), lcAt("2026-11-30 10:00"))
	require.ErrorIs(t, err, ErrForbiddenRole, "out of order: the first step is the street office's (004 §4 (三))")
	_, err = m.Apply(tk, lcApproval(ActionEscalateExtension, RoleHotlineOffice, "区热线办"), lcAt("2026-11-30 10:00"))
	require.ErrorIs(t, err, ErrNotApplicable, "out of order: the first step is 街道热线办")
	_, err = m.Apply(tk, lcApproval(ActionEscalateExtension, RoleHandlingUnit, "街道热线办"), lcAt("2026-11-30 10:00"))
	require.ErrorIs(t, err, ErrForbiddenRole)

	_, err = m.Apply(tk, lcApproval(ActionEscalateExtension, RoleHotlineOffice, "街道热线办"), lcAt("2026-11-30 10:00"))
	require.NoError(t, err)
	_, err = m.Apply(tk, lcApproval(ActionEscalateExtension, RoleUpperOffice, "区热线办"), lcAt("2026-11-30 14:00"))
	require.NoError(t, err)
	assert.Equal(t, StateExtensionRequested, tk.State)
	_, err = m.Apply(tk, lcApproval(ActionEscalateExtension, RoleUpperOffice, "市热线办"), lcAt("2026-12-01 09:00"))
	require.ErrorIs(t, err, ErrNotApplicable, "the last approver approves or refuses")
	_, err = m.Apply(tk, lcApproval(ActionApproveExtension, RoleUpperOffice, "市热线办"), lcAt("2026-12-01 09:00"))
	require.NoError(t, err)
	assert.Equal(t, StateHandling, tk.State)
	assert.Equal(t, []string{"街道热线办", "区热线办", "市热线办"}, tk.Extension.Approved)
	assert.Equal(t, 20, tk.Deadlines.Reply.ExtendedTo)
	assert.Equal(t, lcAt("2026-12-22 00:00"), tk.Deadlines.Reply.Due.At)
}

// 004 §11 and §12 (二) 4: a dissatisfied callback puts the ticket under supervision; the office reopens
// it (不满退回) and the unit redoes it within 3 working days.
func TestReopenAfterDissatisfiedCallback(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("居委会A", noMode, ""), lcAt("2026-11-23 10:00")},
		lcStep{lcFirstContact(), lcAt("2026-11-23 11:00")},
		lcStep{lcReply(OutcomeResolved), lcAt("2026-11-25 11:00")},
	)
	ev, err := m.Apply(tk, lcCallback(false), lcAt("2026-11-26 10:00"))
	require.NoError(t, err)
	assert.True(t, tk.Supervised)
	assert.Equal(t, 1, tk.Counters.Supervisions)
	assert.Contains(t, ev.Notes[0], "004 §12 (二) 4")

	_, err = m.Apply(tk, lcReq(RoleHotlineOffice, ActionClose), lcAt("2026-11-26 11:00"))
	require.ErrorIs(t, err, ErrNotApplicable, "a dissatisfied ticket is not simply closed")

	_, err = m.Apply(tk, lcReq(RoleHotlineOffice, ActionReopen), lcAt("2026-11-26 11:00"))
	require.NoError(t, err)
	assert.Equal(t, StateReopened, tk.State)
	assert.Equal(t, 1, tk.Counters.Reopenings)
	assert.Equal(t, deadline.Reopen, tk.Deadlines.Redo.Key)
	assert.Equal(t, lcAt("2026-11-26 11:00"), tk.Deadlines.Redo.Start)
	assert.Equal(t, lcAt("2026-12-02 00:00"), tk.Deadlines.Redo.Due.At, "3 working days from the reopening")
	// The first reply's clock keeps its record: met in time, due 5 working days from dispatch.
	firstReply := tk.Deadlines.Reply
	assert.Equal(t, deadline.ReplyGeneral, firstReply.Key)
	assert.Equal(t, lcAt("2026-12-01 00:00"), firstReply.Due.At)
	assert.Equal(t, lcAt("2026-11-25 11:00"), firstReply.Met)
	assert.False(t, firstReply.Late)

	// 004 §11: 由其分管领导审核后在处理结果书上签字反馈.
	unsigned := lcReply(OutcomeResolved)
	unsigned.Payload.Reply.ReviewedBy = ""
	_, err = m.Apply(tk, unsigned, lcAt("2026-12-02 09:00"))
	require.ErrorIs(t, err, ErrInvalidPayload)
	assert.Contains(t, err.Error(), "004 §11")

	ev, err = m.Apply(tk, lcReply(OutcomeResolved), lcAt("2026-12-02 09:00"))
	require.NoError(t, err)
	assert.Equal(t, lcAt("2026-12-02 09:00"), tk.Deadlines.Redo.Met)
	assert.True(t, tk.Deadlines.Redo.Late, "004 §11: the redo is late against its own 3 days")
	assert.Equal(t, firstReply, tk.Deadlines.Reply, "the redo leaves the first reply's clock alone")
	require.Len(t, ev.Notes, 1)
	assert.Contains(t, ev.Notes[0], "redo after reopening late")
	assert.Contains(t, ev.Notes[0], "004 §11")
	assert.Equal(t, 2, tk.Counters.Replies)

	st, err := m.Status(tk, lcAt("2026-12-02 10:00"))
	require.NoError(t, err)
	var keys []deadline.Key
	for _, s := range st {
		keys = append(keys, s.Key)
	}
	assert.Equal(t, []deadline.Key{deadline.FirstContact, deadline.ReplyGeneral, deadline.Reopen}, keys,
		"Status lists the first reply's clock and the redo's")
}

// 004 §11: a first reply that was late stays late on the ticket after a reopening and a redo in time,
// so that the on-time rate counts it; 002 §6 (一) 2: a failed quality check after the redo returns
// the redo clock, not the first reply's, and a policy without a Reopen limit times the redo by the
// reply limit from the reopening.
func TestRedoKeepsFirstReplyRecord(t *testing.T) {
	steps := []lcStep{
		{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		{lcDispatch("居委会A", noMode, ComplexityGeneral), lcAt("2026-11-23 10:00")},
		{lcFirstContact(), lcAt("2026-11-23 11:00")},
		{lcReply(OutcomeResolved), lcAt("2026-12-01 10:00")}, // due 12-01 00:00: late
		{lcCallback(false), lcAt("2026-12-01 15:00")},
		{lcReq(RoleHotlineOffice, ActionReopen), lcAt("2026-12-01 16:00")},
		{lcReply(OutcomeResolved), lcAt("2026-12-02 16:00")},
	}
	t.Run("004 §11: late first reply, redo in time", func(t *testing.T) {
		m := lcMachine(t, deadline.StreetHotline())
		tk := lcRun(t, m, steps...)
		assert.True(t, tk.Deadlines.Reply.Late)
		assert.Equal(t, lcAt("2026-12-01 10:00"), tk.Deadlines.Reply.Met)
		assert.False(t, tk.Deadlines.Redo.Late)
		assert.Equal(t, lcAt("2026-12-05 00:00"), tk.Deadlines.Redo.Due.At, "3 working days from Tuesday 16:00")
		got, err := m.Replay(tk.History)
		require.NoError(t, err)
		assert.Equal(t, tk, got)
	})
	t.Run("002 §6 (一) 2: a failed check after the redo reopens the redo clock", func(t *testing.T) {
		qc := deadline.StreetHotline()
		qc.Name, qc.QualityCheck = "street-hotline-qc", true
		m := lcMachine(t, qc)
		s := slices.Clone(steps)
		s = slices.Insert(s, 4, lcStep{lcReq(RoleHotlineOffice, ActionPassQualityCheck), lcAt("2026-12-01 11:00")})
		tk := lcRun(t, m, s...)
		first := tk.Deadlines.Reply
		_, err := m.Apply(tk, lcWithReason(lcReq(RoleHotlineOffice, ActionFailQualityCheck), "定性不准确"), lcAt("2026-12-02 17:00"))
		require.NoError(t, err)
		assert.True(t, tk.Deadlines.Redo.Running())
		assert.Equal(t, first, tk.Deadlines.Reply)
		_, err = m.Apply(tk, lcReply(OutcomeResolved), lcAt("2026-12-07 09:00"))
		require.NoError(t, err)
		assert.True(t, tk.Deadlines.Redo.Late)
		assert.Equal(t, first, tk.Deadlines.Reply)
	})
	t.Run("no Reopen limit: the redo follows the reply limit from the reopening", func(t *testing.T) {
		pol := deadline.StreetHotline()
		pol.Name = "street-no-reopen"
		pol.Limits = slices.DeleteFunc(slices.Clone(pol.Limits), func(l deadline.Limit) bool { return l.Key == deadline.Reopen })
		m := lcMachine(t, pol)
		tk := lcRun(t, m, steps[:6]...)
		assert.Equal(t, deadline.ReplyGeneral, tk.Deadlines.Redo.Key)
		assert.Equal(t, lcAt("2026-12-01 16:00"), tk.Deadlines.Redo.Start)
		assert.True(t, tk.Deadlines.Reply.Late)
	})
}

// A satisfied and resolved callback is not reopened (004 §11).
func TestReopenNeedsDissatisfaction(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcHours(0)},
		lcStep{lcDispatch("居委会A", noMode, ""), lcHours(1)},
		lcStep{lcFirstContact(), lcHours(2)},
		lcStep{lcReply(OutcomeResolved), lcHours(3)},
		lcStep{lcCallback(true), lcHours(4)},
	)
	_, err := m.Apply(tk, lcReq(RoleHotlineOffice, ActionReopen), lcHours(5))
	require.ErrorIs(t, err, ErrNotApplicable)
}

// 004 §12 (二) 2: a ticket repeated three times or more is supervised.
func TestThirdRepeatSupervises(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), lcHours(0)}, lcStep{lcDispatch("居委会A", noMode, ""), lcHours(1)})
	for i := range 2 {
		_, err := m.Apply(tk, lcRepeat(10+i), lcHours(2+i))
		require.NoError(t, err)
		assert.False(t, tk.Supervised)
	}
	ev, err := m.Apply(tk, lcRepeat(20), lcHours(5))
	require.NoError(t, err)
	assert.Equal(t, StateDispatched, tk.State, "counting does not change the state")
	assert.Equal(t, 3, tk.Counters.Repeats)
	assert.True(t, tk.Supervised)
	assert.Equal(t, 1, tk.Counters.Supervisions)
	assert.Contains(t, ev.Notes[0], "004 §12 (二) 2")

	_, err = m.Apply(tk, lcRepeat(1), lcHours(6))
	require.ErrorIs(t, err, ErrInvalidPayload, "a ticket does not repeat itself")
}

// 004 §12 and 003 附件2 (督办次数): supervision is counted at any open state and never in a terminal one.
func TestSuperviseCountsAtOpenStates(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), lcHours(0)})
	_, err := m.Apply(tk, lcSupervise(TriggerInstruction), lcHours(1))
	require.NoError(t, err)
	_, err = m.Apply(tk, lcDispatch("居委会A", noMode, ""), lcHours(2))
	require.NoError(t, err)
	_, err = m.Apply(tk, lcSupervise(TriggerShirking), lcHours(3))
	require.NoError(t, err)
	assert.Equal(t, 2, tk.Counters.Supervisions)
	_, err = m.Apply(tk, lcSupervise(""), lcHours(4))
	require.ErrorIs(t, err, ErrInvalidPayload)

	done := lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), lcHours(0)}, lcStep{lcRefusal(ActionArchive), lcHours(1)})
	_, err = m.Apply(done, lcSupervise(TriggerInstruction), lcHours(2))
	require.ErrorIs(t, err, ErrIllegalTransition)
}

// 002 §6 (二) 1 (6): urging is for tickets past their deadline.
func TestUrgeOnlyWhenOverdue(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("居委会A", noMode, ""), lcAt("2026-11-23 10:00")},
		lcStep{lcFirstContact(), lcAt("2026-11-23 11:00")},
	)
	urge := lcReq(RoleSystem, ActionUrge)
	_, err := m.Apply(tk, urge, lcAt("2026-11-30 23:59"))
	require.ErrorIs(t, err, ErrNotApplicable)
	ev, err := m.Apply(tk, urge, lcAt("2026-12-01 00:00"))
	require.NoError(t, err)
	assert.Equal(t, 1, tk.Counters.Urgings)
	assert.Contains(t, ev.Notes[0], "reply_general due 2026-12-01 00:00")

	m = lcMachineP(t, m.DeadlinePolicy(), func(p *Policy) { p.UrgeOnlyOverdue = false })
	tk2 := lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), lcHours(0)}, lcStep{lcDispatch("居委会A", noMode, ""), lcHours(1)})
	_, err = m.Apply(tk2, urge, lcHours(2))
	require.NoError(t, err, "a district may urge earlier")
}

// 004 §12, 002 §6 (二) 1 (6), 000 §4 (一): urging is possible at every open state, the hotline
// office's own stages included: a 国办 item left undecided past its return-upstream window is urged
// while still received. Once dispatched, the window no longer applies and urges nothing.
func TestUrgeAtAnyOpenState(t *testing.T) {
	for _, s := range States() {
		_, ok := Lifecycle().Lookup(s, ActionUrge)
		assert.Equal(t, s.Open(), ok, "urge at %s", s)
	}
	m := lcMachineP(t, deadline.StateCouncilForwarded(), func(p *Policy) { p.FirstContactByOffice = false }) // 000 §5: the unit\'s first contact, from dispatch
	in := lcIntake(ChannelStateCouncil)
	in.Urgency = UrgencyGeneral
	tk := lcRun(t, m, lcStep{lcAccept(in), lcAt("2026-11-23 09:00")})
	urge := lcReq(RoleUpperOffice, ActionUrge)
	_, err := m.Apply(tk, urge, lcAt("2026-11-30 17:00"))
	require.ErrorIs(t, err, ErrNotApplicable)
	assert.Contains(t, err.Error(), "return_upstream due 2026-12-01 00:00")
	ev, err := m.Apply(tk, urge, lcAt("2026-12-01 09:00"))
	require.NoError(t, err)
	assert.Equal(t, StateReceived, ev.To)
	assert.Equal(t, 1, tk.Counters.Urgings)
	assert.Contains(t, ev.Notes[0], "return_upstream due 2026-12-01 00:00")

	ev, err = m.Apply(tk, lcDispatch("市场监管局", noMode, ComplexityGeneral), lcAt("2026-12-01 10:00"))
	require.NoError(t, err)
	assert.Empty(t, tk.Deadlines.Upstream.Key, "the return-upstream window ends with the dispatch")
	assert.Contains(t, ev.Notes[0], "no longer applies")
}

// 000 §4 (一): a 国办 item out of scope goes back upstream within 5 working days; a city complaint that
// cannot be dispatched is archived as a general suggestion, a 国办 item is not.
func TestStateCouncilReturnUpstreamWindow(t *testing.T) {
	m := lcMachine(t, deadline.StateCouncilForwarded())
	in := lcIntake(ChannelStateCouncil)
	in.Urgency = UrgencyGeneral
	in.Received = lcAt("2026-11-23 08:00")
	tk := lcRun(t, m, lcStep{lcAccept(in), lcAt("2026-11-23 09:00")})
	assert.Equal(t, lcAt("2026-11-23 08:00"), tk.Received)
	assert.Equal(t, lcAt("2026-12-01 00:00"), tk.Deadlines.Upstream.Due.At)
	assert.Equal(t, deadline.ReplyCap, tk.Deadlines.Cap.Key)
	assert.Equal(t, lcAt("2026-12-29 00:00"), tk.Deadlines.Cap.Due.At, "000 §5: at most 25 working days")

	_, err := m.Apply(tk, lcRefusal(ActionArchive), lcAt("2026-11-24 09:00"))
	require.ErrorIs(t, err, ErrNotApplicable)

	late := lcRun(t, m, lcStep{lcAccept(in), lcAt("2026-11-23 09:00")})
	_, err = m.Apply(late, lcRefusal(ActionReturnUpstream), lcAt("2026-12-01 09:00"))
	require.ErrorIs(t, err, ErrOutsideWindow)
	assert.ErrorIs(t, err, deadline.ErrWindowClosed)

	_, err = m.Apply(tk, lcRefusal(ActionReturnUpstream), lcAt("2026-11-30 17:00"))
	require.NoError(t, err)
	assert.Equal(t, StateReturnedUpstream, tk.State)
	assert.True(t, tk.State.Terminal())
	assert.Equal(t, "out_of_scope", tk.Refusal.Code)

	city := lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelOneNetPortal)), lcHours(0)})
	_, err = m.Apply(city, lcRefusal(ActionArchive), lcHours(1))
	require.NoError(t, err)
	assert.Equal(t, StateArchived, city.State)
}

// 000 §5: “特殊/紧急” 国办 items follow the upstream system's deadline, so no cap is set; 000 §4 (三):
// the conclusion report of a 国办 item is reviewed by the unit's leader in charge.
func TestStateCouncilSpecialAndReview(t *testing.T) {
	m := lcMachine(t, deadline.StateCouncilForwarded())
	in := lcIntake(ChannelGovWebsite)
	in.Urgency = UrgencySpecial
	tk := lcRun(t, m,
		lcStep{lcAccept(in), lcHours(0)},
		lcStep{lcDispatch("市场监管局", noMode, ComplexityComplex), lcHours(1)},
		lcStep{lcFirstContact(), lcHours(2)},
	)
	assert.Empty(t, tk.Deadlines.Cap.Key)
	assert.Contains(t, tk.History[0].Notes[len(tk.History[0].Notes)-1], "000 §5")
	r := lcReply(OutcomeResolved)
	r.Payload.Reply.ReviewedBy = ""
	_, err := m.Apply(tk, r, lcHours(3))
	require.ErrorIs(t, err, ErrInvalidPayload)
	assert.Contains(t, err.Error(), "000 §4 (三)")
	_, err = m.Apply(tk, lcReply(OutcomeResolved), lcHours(3))
	require.NoError(t, err)
}

// 002 §6 (一) 2: on the provincial platform a reply passes a quality check before the callback; a
// failed check returns it to the unit. Where the policy has no quality check, there is none.
func TestQualityCheck(t *testing.T) {
	m := lcMachine(t, deadline.HebiProvincial())
	steps := []lcStep{
		{lcAccept(lcIntake(ChannelProvincial)), lcHours(0)},
		{lcDispatch("市人社局", noMode, ""), lcHours(1)},
		{lcFirstContact(), lcHours(2)},
		{lcReply(OutcomeResolved), lcHours(3)},
	}
	tk := lcRun(t, m, steps...)
	_, err := m.Apply(tk, lcCallback(true), lcHours(4))
	require.ErrorIs(t, err, ErrNotApplicable, "callback before the quality check")
	_, err = m.Apply(tk, lcReq(RoleHotlineOffice, ActionFailQualityCheck), lcHours(4))
	require.ErrorIs(t, err, ErrMissingField, "a failed check says why")
	_, err = m.Apply(tk, lcWithReason(lcReq(RoleHotlineOffice, ActionFailQualityCheck), "定性不准确"), lcHours(4))
	require.NoError(t, err)
	assert.Equal(t, StateHandling, tk.State)
	assert.True(t, tk.Deadlines.Reply.Running())
	_, err = m.Apply(tk, lcReply(OutcomeResolved), lcHours(5))
	require.NoError(t, err)
	_, err = m.Apply(tk, lcReq(RoleHotlineOffice, ActionPassQualityCheck), lcHours(6))
	require.NoError(t, err)
	assert.Equal(t, StateChecked, tk.State)
	_, err = m.Apply(tk, lcCallback(true), lcHours(7))
	require.NoError(t, err)
	assert.Equal(t, StateCalledBack, tk.State)

	street := lcMachine(t, deadline.StreetHotline())
	tk2 := lcRun(t, street, steps...)
	_, err = street.Apply(tk2, lcReq(RoleHotlineOffice, ActionPassQualityCheck), lcHours(4))
	require.ErrorIs(t, err, ErrNotApplicable)
}

// 000 §7 (二), 004 §6, §7: a unit returns a ticket with a suggested unit; the office re-dispatches it or
// the leader in charge designates a unit. Clocks restart at the new dispatch.
func TestReturnAndDesignate(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("居委会A", noMode, ""), lcAt("2026-11-23 10:00")},
	)
	r := lcReturn("")
	_, err := m.Apply(tk, r, lcAt("2026-11-23 11:00"))
	require.ErrorIs(t, err, ErrInvalidPayload, "a return names the suggested unit")
	_, err = m.Apply(tk, lcReturn("居委会A"), lcAt("2026-11-23 11:00"))
	require.ErrorIs(t, err, ErrInvalidPayload)
	_, err = m.Apply(tk, lcReturn("区绿化市容局"), lcAt("2026-11-23 11:00"))
	require.NoError(t, err)
	assert.Equal(t, StateReturned, tk.State)
	assert.Equal(t, []string{"居委会A"}, tk.Assignment.Returned)
	assert.Equal(t, "区绿化市容局", tk.Assignment.SuggestedUnit)
	assert.Empty(t, tk.Deadlines.Reply.Key)
	assert.Equal(t, 1, tk.Counters.Returns)

	_, err = m.Apply(tk, lcDesignate("区绿化市容局"), lcAt("2026-11-24 09:00"))
	require.NoError(t, err)
	assert.Equal(t, DispatchDesignated, tk.Assignment.DispatchMode)
	assert.Equal(t, "actor-leader", tk.Assignment.DesignatedBy)
	assert.Equal(t, lcAt("2026-11-24 09:00"), tk.Assignment.Dispatched)
	assert.Equal(t, lcAt("2026-11-25 00:00"), tk.Deadlines.FirstContact.Due.At,
		"004 §8 (一): the street office's first contact counts from its own receipt, whatever the dispatches")

	// 000 §5: where first contact is the unit's, a return clears it and the next dispatch restarts it.
	unitRules := lcMachineP(t, m.DeadlinePolicy(), func(p *Policy) { p.FirstContactByOffice = false })
	tk3 := lcRun(t, unitRules,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("居委会A", noMode, ""), lcAt("2026-11-23 10:00")},
		lcStep{lcReturn("区绿化市容局"), lcAt("2026-11-23 11:00")},
	)
	assert.Empty(t, tk3.Deadlines.FirstContact.Key)
	_, err = unitRules.Apply(tk3, lcDesignate("区绿化市容局"), lcAt("2026-11-24 09:00"))
	require.NoError(t, err)
	assert.Equal(t, lcAt("2026-11-26 00:00"), tk3.Deadlines.FirstContact.Due.At, "counted from the new dispatch")

	office := lcDesignate("x")
	office.Role = RoleHotlineOffice
	tk2 := lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), lcHours(0)})
	_, err = m.Apply(tk2, office, lcHours(1))
	require.ErrorIs(t, err, ErrForbiddenRole, "004 §6: the leader in charge designates")
	d := lcDispatch("x", noMode, "")
	d.Payload.Dispatch.DispatchMode = DispatchDesignated
	_, err = m.Apply(tk2, d, lcHours(1))
	require.ErrorIs(t, err, ErrInvalidPayload)
}

// 000 §7 (二): a bad review's responsibility objection is returned within 5 working days of the unit's
// receipt (承办单位自收到工单之日起), that is of the dispatch to it — the same start as the close as
// unfounded of 000 §6 (二). 2026-11-23 is a Monday; no holidays until 元旦.
func TestBadReviewReturnWindow(t *testing.T) {
	m := lcMachine(t, deadline.ShanghaiOneNet())
	tests := []struct {
		name     string
		dispatch string // the unit's receipt
		ret      string // when the unit returns it
		late     bool
	}{
		// dispatched the day it arrived: day 5 is Mon 11-30 (11-24, 25, 26, 27, 30)
		{"same-day dispatch, day 5", "2026-11-23 10:00", "2026-11-30 09:00", false},
		{"same-day dispatch, day 6", "2026-11-23 10:00", "2026-12-01 09:00", true},
		// dispatched on Wed 11-25: day 5 is Wed 12-02 (11-26, 27, 30, 12-01, 12-02), although that is
		// day 7 after the hotline's acceptance
		{"later dispatch, day 5 of the unit", "2026-11-25 10:00", "2026-12-02 09:00", false},
		{"later dispatch, day 6 of the unit", "2026-11-25 10:00", "2026-12-03 09:00", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := lcRun(t, m,
				lcStep{lcAccept(lcReviewIntake()), lcAt("2026-11-23 09:00")},
				lcStep{lcDispatch("区市场监管局", noMode, ""), lcAt(tt.dispatch)},
			)
			_, err := m.Apply(tk, lcReturn("区税务局"), lcAt(tt.ret))
			if tt.late {
				require.ErrorIs(t, err, ErrOutsideWindow)
				assert.Contains(t, err.Error(), "000 §7 (二)")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, StateReturned, tk.State)
		})
	}
}

// 000 §4 (三) and 004 §8 (三): closing as stored (存电办结) needs approval and either a stored outcome or
// repeated answers with the citizen still dissatisfied.
func TestCloseStored(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	prefix := func(o ReplyOutcome) []lcStep {
		return []lcStep{
			{lcAccept(lcIntake(ChannelPhone)), lcHours(0)},
			{lcDispatch("居委会A", noMode, ""), lcHours(1)},
			{lcFirstContact(), lcHours(2)},
			{lcReply(o), lcHours(3)},
		}
	}
	t.Run("stored outcome", func(t *testing.T) {
		tk := lcRun(t, m, prefix(OutcomeSettled)...)
		_, err := m.Apply(tk, lcCloseStored(""), lcHours(4))
		require.ErrorIs(t, err, ErrInvalidPayload)
		ev, err := m.Apply(tk, lcCloseStored("区热线办"), lcHours(4))
		require.NoError(t, err)
		assert.Equal(t, StateClosedStored, tk.State)
		assert.Equal(t, &Closure{Approver: "区热线办", Stored: true, At: lcHours(4)}, tk.Closure)
		assert.Contains(t, ev.Notes[0], "004 §8 (三)")
	})
	t.Run("resolved outcome, one answer", func(t *testing.T) {
		tk := lcRun(t, m, append(prefix(OutcomeResolved), lcStep{lcCallback(false), lcHours(4)})...)
		_, err := m.Apply(tk, lcCloseStored("市政府办公厅"), lcHours(5))
		require.ErrorIs(t, err, ErrNotApplicable)
	})
	t.Run("two answers, still dissatisfied", func(t *testing.T) {
		tk := lcRun(t, m, append(prefix(OutcomeExplained),
			lcStep{lcCallback(false), lcHours(4)},
			lcStep{lcReq(RoleHotlineOffice, ActionReopen), lcHours(5)},
			lcStep{lcReply(OutcomeExplained), lcHours(6)},
			lcStep{lcCallback(false), lcHours(7)},
		)...)
		ev, err := m.Apply(tk, lcCloseStored("市政府办公厅"), lcHours(8))
		require.NoError(t, err)
		assert.Contains(t, ev.Notes[0], "000 §4 (三)")
		assert.Equal(t, 2, tk.Counters.Supervisions, "each dissatisfied callback is supervised")
	})
}

// 002 §6 (二) 1: the handling mode drives the reply limit: 转办 10 working days, 协办 15 with a lead
// unit and co-handling units; 即办 is answered at intake.
func TestModesDriveReplyLimit(t *testing.T) {
	m := lcMachine(t, deadline.Hebi12345())
	tk := lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("市住建局", ModeTransfer, ""), lcAt("2026-11-23 10:00")})
	assert.Equal(t, deadline.ReplyTransfer, tk.Deadlines.Reply.Key)
	assert.Equal(t, lcAt("2026-12-08 00:00"), tk.Deadlines.Reply.Due.At)
	assert.Empty(t, tk.Deadlines.FirstContact.Key, "Hebi 12345 sets no first-contact limit")

	tk = lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")})
	_, err := m.Apply(tk, lcDispatch("市住建局", ModeJoint, ""), lcAt("2026-11-23 10:00"))
	require.ErrorIs(t, err, ErrInvalidPayload, "协办 needs co-handling units")
	_, err = m.Apply(tk, lcDispatch("市住建局", ModeJoint, "", "市自然资源局", "市住建局"), lcAt("2026-11-23 10:00"))
	require.ErrorIs(t, err, ErrInvalidPayload, "the lead is not its own co-handling unit")
	_, err = m.Apply(tk, lcDispatch("市住建局", ModeJoint, "", "市自然资源局"), lcAt("2026-11-23 10:00"))
	require.NoError(t, err)
	assert.Equal(t, deadline.ReplyJoint, tk.Deadlines.Reply.Key)
	assert.Equal(t, lcAt("2026-12-15 00:00"), tk.Deadlines.Reply.Due.At)
	assert.Equal(t, []string{"市自然资源局"}, tk.Assignment.CoHandling)

	_, err = m.Apply(tk, lcDispatch("x", ModeImmediate, ""), lcAt("2026-11-23 10:00"))
	require.ErrorIs(t, err, ErrIllegalTransition)

	imm := lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcAnswer(), lcAt("2026-11-23 09:05")})
	assert.Equal(t, StateReplied, imm.State)
	assert.Equal(t, ModeImmediate, imm.Mode)
	assert.Equal(t, deadline.ReplyQuick, imm.Deadlines.Reply.Key)
	assert.False(t, imm.Deadlines.Reply.Late)
}

// 003 四 (四), 六 (二): the 办不成事 window analyses the cause the same day, replies by complexity
// (special cases up to 10 working days) and explains a refusal within 3 working days.
func TestWindowPolicy(t *testing.T) {
	m := lcMachine(t, deadline.CouldNotGetItDone())
	in := lcIntake(ChannelWindowOffline)
	in.Kind = KindErrand
	tk := lcRun(t, m, lcStep{lcAccept(in), lcAt("2026-11-23 09:00")})
	assert.Equal(t, deadline.CauseAnalysis, tk.Deadlines.Analysis.Key)
	assert.Equal(t, lcAt("2026-11-24 00:00"), tk.Deadlines.Analysis.Due.At)
	_, err := m.Apply(tk, lcDispatch("区医保中心", noMode, ComplexitySpecial), lcAt("2026-11-23 16:00"))
	require.NoError(t, err)
	assert.False(t, tk.Deadlines.Analysis.Late)
	assert.Equal(t, deadline.ReplySpecial, tk.Deadlines.Reply.Key)

	ref := lcRun(t, m, lcStep{lcAccept(in), lcAt("2026-11-23 09:00")}, lcStep{lcRefusal(ActionRefuse), lcAt("2026-11-23 10:00")})
	assert.Equal(t, StateRefused, ref.State)
	assert.Equal(t, lcAt("2026-11-27 00:00"), ref.Deadlines.RefusalReply.Due.At, "003 四 (四) 5: 3 working days")
	_, err = m.Apply(ref, lcReq(RoleHotlineOffice, ActionClose), lcAt("2026-11-24 10:00"))
	require.NoError(t, err)
	assert.Equal(t, lcAt("2026-11-24 10:00"), ref.Deadlines.RefusalReply.Met)
}

// Requests carry exactly what their row requires.
func TestRequestChecks(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), lcHours(1)})
	cases := []struct {
		name string
		req  Request
		at   time.Time
		want error
	}{
		{"missing payload", lcReq(RoleHotlineOffice, ActionDispatch), lcHours(2), ErrMissingField},
		{"extra payload", func() Request { r := lcDispatch("a", noMode, ""); r.Payload.Reply = &Reply{}; return r }(), lcHours(2), ErrMissingField},
		{"no actor", func() Request { r := lcDispatch("a", noMode, ""); r.Actor = " "; return r }(), lcHours(2), ErrMissingField},
		{"empty lead", lcDispatch(" ", noMode, ""), lcHours(2), ErrInvalidPayload},
		{"bad mode", lcDispatch("a", HandlingMode("bogus"), ""), lcHours(2), ErrInvalidPayload},
		{"unknown action", lcReq(RoleHotlineOffice, Action("bogus")), lcHours(2), ErrIllegalTransition},
		{"unknown role", lcDispatch("a", noMode, ""), lcHours(2), nil},
		{"before last event", lcDispatch("a", noMode, ""), lcHours(0), ErrTimeOrder},
		{"zero time", lcDispatch("a", noMode, ""), time.Time{}, ErrTimeOrder},
		{"illegal", lcReq(RoleHotlineOffice, ActionClose), lcHours(2), ErrIllegalTransition},
		{"forbidden", func() Request { r := lcDispatch("a", noMode, ""); r.Role = RoleHandlingUnit; return r }(), lcHours(2), ErrForbiddenRole},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cp := *tk
			cp.History = append([]Event(nil), tk.History...)
			if c.name == "unknown role" {
				c.req.Role = ""
				c.want = ErrForbiddenRole
			}
			_, err := m.Apply(&cp, c.req, c.at)
			require.ErrorIs(t, err, c.want)
			var te *TransitionError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, StateReceived, te.State)
			assert.Equal(t, c.req.Action, te.Action)
			assert.Contains(t, err.Error(), te.State.Label())
			assert.Equal(t, StateReceived, cp.State)
			assert.Len(t, cp.History, 1)
		})
	}
	_, err := (&Machine{}).Apply(&Ticket{}, lcAccept(lcIntake(ChannelPhone)), lcHours(0))
	require.ErrorIs(t, err, ErrNotBuilt)
	_, err = m.Apply(nil, lcAccept(lcIntake(ChannelPhone)), lcHours(0))
	require.ErrorIs(t, err, ErrInvalidTicket)
}

func TestIntakeValidation(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	mod := func(f func(*Intake)) Intake { in := lcIntake(ChannelPhone); f(&in); return in }
	for name, in := range map[string]Intake{
		"no number":     mod(func(in *Intake) { in.Number = Number{} }),
		"bad number":    mod(func(in *Intake) { in.Number.Month = 13 }),
		"no channel":    mod(func(in *Intake) { in.Channel = "" }),
		"no kind":       mod(func(in *Intake) { in.Kind = "" }),
		"bad urgency":   mod(func(in *Intake) { in.Urgency = "x" }),
		"bad complex":   mod(func(in *Intake) { in.Complexity = "x" }),
		"no content":    mod(func(in *Intake) { in.Content = "  " }),
		"four levels":   mod(func(in *Intake) { in.Matter.Levels = append(in.Matter.Levels, MatterLevel{Code: "x"}) }),
		"empty code":    mod(func(in *Intake) { in.Matter.Levels[1].Code = "" }),
		"future intake": mod(func(in *Intake) { in.Received = lcHours(5) }),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := m.Accept(in, "op", RoleHotlineOffice, lcHours(0))
			require.ErrorIs(t, err, ErrInvalidPayload)
		})
	}
	tk, err := m.Accept(lcIntake(ChannelPhone), "op", RoleSystem, lcHours(0))
	require.NoError(t, err)
	assert.Equal(t, "夜间施工噪声", tk.Title)
	assert.Equal(t, "070301", tk.Matter.Code())
	assert.Equal(t, "市容环境 / 噪声扰民 / 施工噪声", tk.Matter.Label())
}

// Every transition appends an event and the history replays to an equal ticket; an edited history
// is refused.
func TestReplayEqualsLiveAndDetectsTampering(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcAt("2026-11-23 10:00")},
		lcStep{lcFirstContact(), lcAt("2026-11-25 10:00")},
		lcStep{lcExtension(10, ""), lcAt("2026-11-25 11:00")},
		lcStep{lcApproval(ActionApproveExtension, RoleHotlineOffice, "街道热线办"), lcAt("2026-11-25 12:00")},
		lcStep{lcRepeat(7), lcAt("2026-11-26 12:00")},
		lcStep{lcReply(OutcomeResolved), lcAt("2026-12-02 12:00")},
		lcStep{lcCallback(false), lcAt("2026-12-03 12:00")},
		lcStep{lcReq(RoleHotlineOffice, ActionReopen), lcAt("2026-12-03 13:00")},
	)
	got, err := m.Replay(tk.History)
	require.NoError(t, err)
	assert.Equal(t, tk, got)

	// The ticket recorded its policies; replay uses the recorded ticket policy, whatever the
	// machine's, and refuses a machine with another deadline policy.
	require.NotNil(t, tk.History[0].Under)
	assert.Equal(t, m.Under(), tk.Under)
	assert.Equal(t, "street-hotline", tk.Under.Deadlines.Name)
	other, err := NewMachine(lcCal, deadline.StreetHotline(), Shanghai())
	require.NoError(t, err)
	got2, err := other.Replay(tk.History)
	require.NoError(t, err)
	assert.Equal(t, tk, got2)
	hebi, err := NewMachine(lcCal, deadline.Hebi12345(), StreetHotline())
	require.NoError(t, err)
	_, err = hebi.Replay(tk.History)
	require.ErrorIs(t, err, ErrPolicyMismatch)
	var pm *PolicyMismatchError
	require.ErrorAs(t, err, &pm)
	assert.Equal(t, "street-hotline", pm.Recorded.Name)
	assert.Equal(t, "hebi-12345", pm.Machine.Name)
	_, err = hebi.Apply(tk, lcSupervise(TriggerInstruction), lcAt("2026-12-04 09:00"))
	require.ErrorIs(t, err, ErrPolicyMismatch, "a ticket is handled only under its recorded deadline policy")

	// Through JSON and back: the replayed ticket encodes identically.
	raw, err := json.Marshal(tk.History)
	require.NoError(t, err)
	var events []Event
	require.NoError(t, json.Unmarshal(raw, &events))
	fromJSON, err := m.Replay(events)
	require.NoError(t, err)
	a, _ := json.Marshal(tk)
	b, _ := json.Marshal(fromJSON)
	assert.JSONEq(t, string(a), string(b))

	tampered := append([]Event(nil), tk.History...)
	tampered[2].Notes = nil // hide the late first contact
	_, err = m.Replay(tampered)
	require.ErrorIs(t, err, ErrHistoryMismatch)
	var re *ReplayError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 3, re.Seq)

	reordered := append([]Event(nil), tk.History...)
	reordered[1], reordered[2] = reordered[2], reordered[1]
	_, err = m.Replay(reordered)
	require.ErrorIs(t, err, ErrHistoryMismatch)

	other = lcMachine(t, deadline.ShanghaiOneNet())
	_, err = other.Replay(tk.History)
	require.Error(t, err, "a history does not replay under another policy")
}

// The payload stored in the history is a copy: changing the caller's value afterwards does not change it.
func TestHistoryPayloadIsCopied(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m, lcStep{lcAccept(lcIntake(ChannelPhone)), lcHours(0)})
	d := lcDispatch("居委会A", noMode, "")
	_, err := m.Apply(tk, d, lcHours(1))
	require.NoError(t, err)
	d.Payload.Dispatch.Lead = "changed"
	assert.Equal(t, "居委会A", tk.History[1].Payload.Dispatch.Lead)
	assert.Equal(t, "居委会A", tk.Assignment.Lead)
}

func TestMachineStatus(t *testing.T) {
	m := lcMachine(t, deadline.StreetHotline())
	tk := lcRun(t, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcAt("2026-11-23 10:00")},
	)
	st, err := m.Status(tk, lcAt("2026-11-30 09:00"))
	require.NoError(t, err)
	require.Len(t, st, 2)
	assert.Equal(t, deadline.Overdue, st[0].State, "first contact")
	assert.Equal(t, deadline.DueSoon, st[1].State, "reply due the next day")
	_, err = (&Machine{}).Status(tk, lcHours(0))
	require.ErrorIs(t, err, ErrNotBuilt)

	// Never panic on bad input (as Apply with a nil ticket).
	var st2 []deadline.StageStatus
	require.NotPanics(t, func() { st2, err = m.Status(nil, lcHours(0)) })
	require.ErrorIs(t, err, ErrInvalidTicket)
	assert.Contains(t, err.Error(), "nil ticket")
	assert.Nil(t, st2)
	_, err = m.Apply(nil, lcFirstContact(), lcHours(0))
	require.ErrorIs(t, err, ErrInvalidTicket)
}

func TestNewMachineAndRules(t *testing.T) {
	_, err := NewMachine(nil, deadline.StreetHotline(), StreetHotline())
	require.ErrorIs(t, err, ErrNotBuilt)
	_, err = NewMachine(lcCal, deadline.Policy{}, StreetHotline())
	require.ErrorIs(t, err, deadline.ErrInvalidPolicy)
	_, err = NewMachine(lcCal, deadline.StreetHotline(), Policy{})
	require.ErrorIs(t, err, ErrInvalidPolicy)

	r, err := ParsePolicy([]byte(`{"name":"x","supervise_at_repeats":3}`))
	require.NoError(t, err)
	assert.Equal(t, Policy{Name: "x", SuperviseAtRepeats: 3}, r)
	// 004 §8 (一): the street preset makes first contact the office's; the JSON field says so.
	assert.True(t, StreetHotline().FirstContactByOffice)
	r, err = ParsePolicy([]byte(`{"name":"x","first_contact_by_office":true}`))
	require.NoError(t, err)
	assert.Equal(t, Policy{Name: "x", FirstContactByOffice: true}, r)
	_, err = ParsePolicy([]byte(`{"name":"x","first_contact_by_office":"yes"}`))
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	for _, bad := range []string{`{"name":"x","nope":1}`, `{"name":"x"} {}`, `{"name":"x","supervise_at_repeats":-1}`,
		`{"name":"x","store_after_replies":5000}`, `[]`} {
		_, err := ParsePolicy([]byte(bad))
		assert.ErrorIs(t, err, ErrInvalidPolicy, bad)
	}
	raw, err := json.Marshal(StreetHotline())
	require.NoError(t, err)
	back, err := ParsePolicy(raw)
	require.NoError(t, err)
	assert.Equal(t, StreetHotline(), back)
	assert.True(t, errors.Is(StreetHotline().Validate(), nil))
}

// FuzzParsePolicy: the rules loader never panics, and what it accepts validates and round-trips.
func FuzzParsePolicy(f *testing.F) {
	raw, _ := json.Marshal(StreetHotline())
	for _, s := range []string{string(raw), `{"name":"x"}`, `{}`, `{"name":"x","supervise_at_repeats":1e9}`, `null`, `{"name":1}`,
		`{"name":"x"}}`, `{"name":"x","NAME":"y"}`, `{"name":"x","name":"y"}`, `{"Name":"x"}`, `{"name":"x"} {}`} {
		f.Add([]byte(s))
	}
	for _, c := range strictjsontest.Cases(raw, MaxPolicyBytes) {
		f.Add(c.Input)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParsePolicy(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidPolicy) {
				t.Fatalf("error %v does not wrap ErrInvalidPolicy", err)
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(r)
		back, err := ParsePolicy(b)
		if err != nil || back != r {
			t.Fatalf("round trip: %+v, %v", back, err)
		}
	})
}

// 000 §5: “一般”类留言的办理期限，最长不超过25个工作日 — counted from receipt — bounds every extension
// of the reply, which counts from dispatch: an extension past the running cap is refused, naming both
// deadlines; one that ends by the cap is accepted and approved.
func TestExtensionWithinReplyCap(t *testing.T) {
	m := lcMachine(t, deadline.StateCouncilForwarded())
	in := lcIntake(ChannelStateCouncil)
	in.Urgency = UrgencyGeneral
	base := []lcStep{
		{lcAccept(in), lcAt("2026-03-02 09:00")},                                   // Monday
		{lcDispatch("市场监管局", noMode, ComplexityComplex), lcAt("2026-03-06 10:00")}, // Friday
		{lcFirstContact(), lcAt("2026-03-06 11:00")},
	}
	capDue := lcAt("2026-04-08 00:00") // 25 working days from 03-02, over 清明 (04-04 – 04-06)
	for _, tc := range []struct {
		name string
		days int
		due  time.Time // the extended reply deadline; zero when refused
	}{
		{"000 §5: ExtendTo 25 from dispatch passes the cap: refused", 25, time.Time{}},
		{"000 §5: one day past the cap: refused", 22, time.Time{}},
		{"000 §5: ending on the cap's instant: accepted", 21, capDue},
		{"000 §5: a shorter extension within the cap: accepted", 20, lcAt("2026-04-04 00:00")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := lcRun(t, m, base...)
			require.Equal(t, deadline.ReplyCap, tk.Deadlines.Cap.Key)
			require.Equal(t, capDue, tk.Deadlines.Cap.Due.At)
			require.Equal(t, deadline.ReplyComplex, tk.Deadlines.Reply.Key)
			before, _ := json.Marshal(tk)
			_, err := m.Apply(tk, lcExtension(tc.days, ""), lcAt("2026-03-10 09:00"))
			if tc.due.IsZero() {
				require.ErrorIs(t, err, ErrInvalidPayload)
				var ce *CapError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, capDue, ce.Cap)
				assert.True(t, ce.Extended.After(capDue))
				assert.Equal(t, tc.days, ce.Days)
				assert.Equal(t, "000 §5", ce.Source)
				assert.Contains(t, err.Error(), "2026-04-08 00:00")
				assert.Contains(t, err.Error(), fmtTime(ce.Extended))
				assert.Contains(t, err.Error(), "000 §5")
				after, _ := json.Marshal(tk)
				assert.JSONEq(t, string(before), string(after), "a refused action leaves the ticket unchanged")
				return
			}
			require.NoError(t, err)
			_, err = m.Apply(tk, lcApproval(ActionApproveExtension, RoleHotlineOffice, "热线办"), lcAt("2026-03-10 10:00"))
			require.NoError(t, err)
			assert.Equal(t, tc.days, tk.Deadlines.Reply.ExtendedTo)
			assert.Equal(t, tc.due, tk.Deadlines.Reply.Due.At)
			assert.False(t, tk.Deadlines.Reply.Due.At.After(tk.Deadlines.Cap.Due.At))
		})
	}
	t.Run("000 §5: 特殊/紧急 items have no cap here, so ExtendTo alone bounds them", func(t *testing.T) {
		sp := in
		sp.Urgency = UrgencySpecial
		tk := lcRun(t, m, lcStep{lcAccept(sp), base[0].at}, base[1], base[2])
		_, err := m.Apply(tk, lcExtension(25, ""), lcAt("2026-03-10 09:00"))
		require.NoError(t, err)
	})
}
