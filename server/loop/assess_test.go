package loop_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/ticket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCaseRecordStreetLoop follows 004 §8–§12 on the street hotline: dispatched Thu 10-08, the
// office's first contact (004 §8 (一)), a reply, a dissatisfied callback that supervises (004 §12
// (二) 4) and reopens (004 §11), a redo signed by the leader, a satisfied callback, close.
func TestCaseRecordStreetLoop(t *testing.T) {
	m := streetMachine(t)
	tk := accept(t, m, ticket.KindComplaint, 400)
	apply(t, m, tk, []ticket.Request{
		dispatchTo("yy-cyzx"), contact("yy-cyzx"), replyBy("yy-cyzx", ""),
		callback(ticket.Dissatisfied), office(ticket.ActionReopen, ticket.Payload{}), replyBy("yy-cyzx", "分管领导"),
		callback(ticket.Satisfied), office(ticket.ActionClose, ticket.Payload{}),
	}, "2026-10-08 11:30", "2026-10-08 15:00", "2026-10-09 16:00", "2026-10-12 10:00", "2026-10-12 10:05",
		"2026-10-14 15:00", "2026-10-15 10:00", "2026-10-15 10:10")
	c, err := loop.CaseRecord(tk, loop.StreetHotline())
	require.NoError(t, err)

	assert.Equal(t, tk.Number.String(), c.ID)
	assert.Equal(t, "yy-cyzx", c.Unit)
	assert.True(t, c.ReceivedAt.Equal(tk.Assignment.Dispatched), "the unit's receipt, not re-derived")
	assert.Equal(t, "050201", c.Matter)
	assert.Equal(t, "310113003001", c.Place)
	// 004 §8 (一): first contact is the office's, its clock counting from intake: not the unit's stage.
	assert.True(t, c.FirstContactDue.IsZero())
	assert.True(t, c.FirstContactAt.IsZero())
	// 004 §8 (二), §11: the first reply's clock (5 working days from 10-08: due 10-15 00:00), met
	// 10-09; the redo ran on its own clock.
	assert.True(t, c.ReplyDue.Equal(at("2026-10-15 00:00")), c.ReplyDue.String())
	assert.True(t, c.RepliedAt.Equal(at("2026-10-09 16:00")), c.RepliedAt.String())
	// The latest callback, mapped by the policy.
	assert.True(t, c.CallbackAt.Equal(at("2026-10-15 10:00")))
	assert.Equal(t, assess.Yes, c.Contacted)
	assert.Equal(t, assess.Yes, c.Resolved)
	assert.Equal(t, assess.Satisfied, c.Satisfaction)
	assert.Equal(t, assess.Yes, c.Attitude)
	// 004 has no quality check: unknown, never a constant yes.
	assert.Equal(t, assess.NoAnswer, c.ReportAccepted)
	assert.Equal(t, 1, c.Reopens)
	assert.Equal(t, 1, c.Supervisions)
	assert.False(t, c.Complaint, "a street complaint is about somebody else (004 §2)")
	assert.False(t, c.Unfounded)

	c, err = loop.CaseRecord(tk, loop.Shanghai())
	require.NoError(t, err)
	assert.True(t, c.Complaint, "a 政务服务 complaint is against the unit (000 §2)")
}

// TestCaseRecordUnfounded (000 §6 (二)): a bad review closed as unfounded is marked so, keeps its
// first contact, and has no reply clock.
func TestCaseRecordUnfounded(t *testing.T) {
	m := oneNetMachine(t)
	tk := reviewTicket(t, m, 410)
	apply(t, m, tk, []ticket.Request{unit("yy-cyzx", ticket.ActionCloseUnfounded, ticket.Payload{AppealReview: &ticket.AppealReview{
		Review: "R-1", Reviewer: "bs-zwfw", Level: ticket.ReviewerDistrict}})}, "2026-10-19 10:00")
	c, err := loop.CaseRecord(tk, loop.StreetHotline())
	require.NoError(t, err)
	assert.True(t, c.Unfounded)
	assert.True(t, c.Complaint, "a bad review is a complaint against the unit; assess leaves it out once unfounded")
	assert.True(t, c.FirstContactDue.Equal(at("2026-10-10 00:00")), "000 §5: the unit's first contact, 1 working day from 10-08")
	assert.True(t, c.FirstContactAt.Equal(at("2026-10-09 09:00")))
	assert.True(t, c.ReplyDue.IsZero())
	assert.True(t, c.CallbackAt.IsZero())
}

// TestCaseRecordQualityCheck (002 §6 (一) 2): the report is accepted when the quality check passed
// it; a report the check sent back is not, even if the redo passed.
func TestCaseRecordQualityCheck(t *testing.T) {
	m, err := ticket.NewMachine(deadline.China(), deadline.HebiProvincial(), ticket.Shanghai())
	require.NoError(t, err)
	pass := office(ticket.ActionPassQualityCheck, ticket.Payload{})
	fail := office(ticket.ActionFailQualityCheck, ticket.Payload{})
	fail.Reason = "定性不准"
	for _, c := range []struct {
		name string
		reqs []ticket.Request
		want assess.Answer
	}{
		{"awaiting the check", nil, assess.NoAnswer},
		{"passed", []ticket.Request{pass}, assess.Yes},
		{"failed, redone, passed", []ticket.Request{fail, replyBy("yy-cyzx", ""), pass}, assess.No},
	} {
		t.Run(c.name, func(t *testing.T) {
			tk := accept(t, m, ticket.KindComplaint, 420)
			apply(t, m, tk, []ticket.Request{dispatchTo("yy-cyzx"), contact("yy-cyzx"), replyBy("yy-cyzx", "")},
				"2026-10-08 11:30", "2026-10-08 15:00", "2026-10-09 16:00")
			if len(c.reqs) > 0 {
				apply(t, m, tk, c.reqs, "2026-10-12 09:00")
			}
			rec, err := loop.CaseRecord(tk, loop.Hebi())
			require.NoError(t, err)
			assert.Equal(t, c.want, rec.ReportAccepted)
		})
	}
}

// TestCaseRecordCounters: repeats (004 §12 (二) 2: the third supervises) and the unit's own
// returns (000 §7; 004 §7) reach the record.
func TestCaseRecordCounters(t *testing.T) {
	m := streetMachine(t)
	tk := accept(t, m, ticket.KindComplaint, 430)
	var reqs []ticket.Request
	for i := range 3 {
		n, err := ticket.NewNumber("BSYYL", at("2026-10-08 11:00"), 500+i)
		require.NoError(t, err)
		reqs = append(reqs, office(ticket.ActionMarkRepeat, ticket.Payload{Repeat: &ticket.Repeat{Of: n}}))
	}
	reqs = append(reqs, dispatchTo("yy-cyzx"),
		unit("yy-cyzx", ticket.ActionReturn, ticket.Payload{Return: &ticket.Return{SuggestedUnit: "yy-sqglb", Basis: "属社区治理"}}),
		dispatchTo("yy-sqglb"),
		unit("yy-sqglb", ticket.ActionReturn, ticket.Payload{Return: &ticket.Return{SuggestedUnit: "yy-cyzx", Basis: "属城管执法"}}),
		dispatchTo("yy-cyzx"))
	apply(t, m, tk, reqs, "2026-10-08 11:10", "2026-10-08 11:11", "2026-10-08 11:12", "2026-10-08 11:30",
		"2026-10-08 14:00", "2026-10-08 15:00", "2026-10-09 09:00", "2026-10-09 10:00")
	c, err := loop.CaseRecord(tk, loop.StreetHotline())
	require.NoError(t, err)
	assert.Equal(t, 3, c.Repeats)
	assert.Equal(t, 1, c.Supervisions)
	assert.Equal(t, 1, c.Returns, "yy-cyzx's own return; yy-sqglb's is not charged to it")
	assert.True(t, c.ReceivedAt.Equal(at("2026-10-09 10:00")), "the current unit's receipt")
	assert.Equal(t, 2, tk.Counters.Returns)
}

// TestCaseRecordRatings: the 3 → 5 mapping is the policy's, and overridable.
func TestCaseRecordRatings(t *testing.T) {
	m := streetMachine(t)
	strict := loop.StreetHotline()
	strict.Name = "strict"
	strict.Ratings = loop.Ratings{Satisfied: assess.VerySatisfied, FairlySatisfied: assess.Satisfied, Dissatisfied: assess.VeryDissatisfied}
	strict.AttitudeSatisfied = []ticket.Satisfaction{ticket.Satisfied}
	for i, c := range []struct {
		s        ticket.Satisfaction
		p        loop.Policy
		rating   assess.Rating
		attitude assess.Answer
	}{
		{ticket.Satisfied, loop.StreetHotline(), assess.Satisfied, assess.Yes},
		{ticket.FairlySatisfied, loop.StreetHotline(), assess.FairlySatisfied, assess.Yes},
		{ticket.Dissatisfied, loop.StreetHotline(), assess.Dissatisfied, assess.No},
		{ticket.Satisfied, strict, assess.VerySatisfied, assess.Yes},
		{ticket.FairlySatisfied, strict, assess.Satisfied, assess.No},
		{ticket.Dissatisfied, strict, assess.VeryDissatisfied, assess.No},
	} {
		t.Run(fmt.Sprint(c.p.Name, " ", c.s), func(t *testing.T) {
			tk := accept(t, m, ticket.KindComplaint, 440+i)
			apply(t, m, tk, []ticket.Request{dispatchTo("yy-cyzx"), contact("yy-cyzx"), replyBy("yy-cyzx", ""), callback(c.s)},
				"2026-10-08 11:30", "2026-10-08 15:00", "2026-10-09 16:00", "2026-10-12 10:00")
			rec, err := loop.CaseRecord(tk, c.p)
			require.NoError(t, err)
			assert.Equal(t, c.rating, rec.Satisfaction)
			assert.Equal(t, c.attitude, rec.Attitude)
		})
	}
}

// TestCaseRecordsScore: the records of a whole loop are accepted and scored by assess.
func TestCaseRecordsScore(t *testing.T) {
	m := streetMachine(t)
	var in assess.Input
	for i, s := range ticket.Satisfactions() {
		tk := accept(t, m, ticket.KindComplaint, 450+i)
		apply(t, m, tk, []ticket.Request{dispatchTo("yy-cyzx"), contact("yy-cyzx"), replyBy("yy-cyzx", ""), callback(s)},
			"2026-10-08 11:30", "2026-10-08 15:00", "2026-10-09 16:00", "2026-10-12 10:00")
		c, err := loop.CaseRecord(tk, loop.StreetHotline())
		require.NoError(t, err)
		in.Cases = append(in.Cases, c)
	}
	october, err := assess.Month(2026, time.October)
	require.NoError(t, err)
	r, err := assess.Score(in, assess.StreetHotline(), assess.Query{Period: october, AsOf: at("2026-11-02 09:00")})
	require.NoError(t, err)
	u, ok := r.Unit("yy-cyzx")
	require.True(t, ok)
	assert.Equal(t, int64(3), u.Indicators.Received)
}

// TestCaseRecordRefusals: no unit, no record; an invalid policy is refused first.
func TestCaseRecordRefusals(t *testing.T) {
	m := streetMachine(t)
	_, err := loop.CaseRecord(accept(t, m, ticket.KindComplaint, 460), loop.StreetHotline())
	assert.ErrorIs(t, err, loop.ErrNotDispatched)
	_, err = loop.CaseRecord(nil, loop.StreetHotline())
	assert.ErrorIs(t, err, loop.ErrInvalidTicket)
	_, err = loop.CaseRecord(nil, loop.Policy{})
	assert.ErrorIs(t, err, loop.ErrInvalidPolicy)
}

// TestPolicyValidate: the presets are valid; each broken field is named.
func TestPolicyValidate(t *testing.T) {
	for _, p := range loop.Presets() {
		require.NoError(t, p.Validate(), p.Name)
		got, err := loop.Preset(p.Name)
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	_, err := loop.Preset("nowhere")
	assert.ErrorIs(t, err, loop.ErrInvalidPolicy)
	assert.Contains(t, err.Error(), "street-hotline, shanghai, hebi")

	for _, c := range []struct {
		field string
		edit  func(*loop.Policy)
	}{
		{"name", func(p *loop.Policy) { p.Name = " " }},
		{"ratings.satisfied", func(p *loop.Policy) { p.Ratings.Satisfied = "" }},
		{"ratings.dissatisfied", func(p *loop.Policy) { p.Ratings.Dissatisfied = "awful" }},
		{"ratings.satisfied", func(p *loop.Policy) { p.Ratings.Satisfied = assess.Dissatisfied }},
		{"ratings.fairly_satisfied", func(p *loop.Policy) { p.Ratings.FairlySatisfied = assess.VeryDissatisfied }},
		{"ratings.dissatisfied", func(p *loop.Policy) {
			p.Ratings = loop.Ratings{Satisfied: assess.VerySatisfied, FairlySatisfied: assess.VerySatisfied, Dissatisfied: assess.FairlySatisfied}
		}},
		{"attitude_satisfied", func(p *loop.Policy) { p.AttitudeSatisfied = nil }},
		{"attitude_satisfied[1]", func(p *loop.Policy) {
			p.AttitudeSatisfied = []ticket.Satisfaction{ticket.Satisfied, ticket.Dissatisfied}
		}},
		{"attitude_satisfied[1]", func(p *loop.Policy) { p.AttitudeSatisfied = []ticket.Satisfaction{ticket.Satisfied, ticket.Satisfied} }},
		{"attitude_satisfied[0]", func(p *loop.Policy) { p.AttitudeSatisfied = []ticket.Satisfaction{"happy"} }},
		{"complaint_kinds[0]", func(p *loop.Policy) { p.ComplaintKinds = []ticket.Kind{"petition"} }},
		{"complaint_kinds[1]", func(p *loop.Policy) { p.ComplaintKinds = []ticket.Kind{ticket.KindReview, ticket.KindReview} }},
	} {
		p := loop.StreetHotline()
		c.edit(&p)
		err := p.Validate()
		var pe *loop.PolicyError
		require.ErrorAs(t, err, &pe, c.field)
		assert.Equal(t, c.field, pe.Field)
		assert.ErrorIs(t, err, loop.ErrInvalidPolicy)
	}
}
