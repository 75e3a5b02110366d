package appeal

import (
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// received is a ticket received just before 国庆 2025; 15 working days end 2025-10-23.
var received = at(2025, 9, 26, 10, 0)

// step is one action of a scripted scenario.
type step struct {
	act Action
	by  Actor
	at  time.Time
}

func TestAppealTransitions(t *testing.T) {
	r := shanghaiMachine(t)
	t0 := at(2025, 9, 29, 9, 0)
	tests := []struct {
		name   string
		filer  Actor
		steps  []step
		want   State
		counts bool
	}{
		// 000 §6 (一): a staff member files with their own unit first.
		{"000 §6 (一) staff files with the unit", staffS1, nil, StatePendingUnit, true},
		// 000 §6 (一): the unit appeals to its competent department.
		{"000 §6 (一) unit files with the competent department", unitU1, nil, StateUnderReview, true},
		{"000 §6 (一) unit takes up the staff appeal", staffS1,
			[]step{{act(ActionEndorse), unitU1, t0.Add(time.Hour)}}, StateUnderReview, true},
		{"000 §6 (一) unit declines the staff appeal", staffS1,
			[]step{{act(ActionDecline), unitU1, t0.Add(time.Hour)}}, StateDeclined, true},
		{"staff withdraws before the unit acts", staffS1,
			[]step{{act(ActionWithdraw), staffS1, t0.Add(time.Hour)}}, StateWithdrawn, true},
		// 000 §6 (二): upheld — the review is unfounded and no longer counts.
		{"000 §6 (二) upheld", unitU1,
			[]step{{act(ActionUphold), deptD1, t0.Add(48 * time.Hour)}}, StateUpheld, false},
		{"000 §6 (二) upheld after two levels", staffS1,
			[]step{{act(ActionEndorse), unitU1, t0.Add(time.Hour)}, {act(ActionUphold), deptD1, t0.Add(48 * time.Hour)}}, StateUpheld, false},
		// 000 §6 (二): rejected — the review stands.
		{"000 §6 (二) rejected", unitU1,
			[]step{{act(ActionReject), deptD1, t0.Add(48 * time.Hour)}}, StateRejected, true},
		{"unit withdraws under review", unitU1,
			[]step{{act(ActionWithdraw), unitU1, t0.Add(time.Hour)}}, StateWithdrawn, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := r.FileAppeal(appealReq(received), tc.filer, t0)
			require.NoError(t, err)
			for _, s := range tc.steps {
				_, err := a.Apply(s.act, s.by, s.at)
				require.NoError(t, err)
			}
			assert.Equal(t, tc.want, a.State())
			assert.Equal(t, tc.counts, a.CountsInScores())
			assert.Len(t, a.History(), 1+len(tc.steps))
		})
	}
}

// 000 §6 (二): upheld → the review is void as unfounded (不属实评价) and the ticket is closed as
// unfounded within 15 working days of its receipt: by the end of 2025-10-23 for a ticket received
// 2025-09-26, across 国庆 and the make-up days 09-28 and 10-11.
func TestAppealUpheldEffects(t *testing.T) {
	r := shanghaiMachine(t)
	a, err := r.FileAppeal(appealReq(received), unitU1, at(2025, 9, 28, 10, 0))
	require.NoError(t, err)
	assert.True(t, a.CountsInScores(), "000 第六条 (二): only a review found unfounded is 不予采纳; while the appeal is pending it still counts")
	effects, err := a.Apply(Action{Kind: ActionUphold, Reason: "评价人误评"}, deptD1, at(2025, 10, 20, 15, 0))
	require.NoError(t, err)
	require.Len(t, effects, 2)
	void, ok := effects[0].(VoidReview)
	require.True(t, ok)
	assert.Equal(t, VoidReview{ReviewID: "R1", TicketID: "T1", Ground: GroundMistaken, Reason: "不属实评价", Source: "000 §6 (二)"}, void)
	closeEff, ok := effects[1].(CloseTicketAsUnfounded)
	require.True(t, ok)
	assert.Equal(t, "T1", closeEff.TicketID)
	assert.Equal(t, "U1", closeEff.Unit)
	assert.Equal(t, day(2025, 10, 24), closeEff.By)
	assert.Equal(t, day(2025, 10, 23), closeEff.LastDay)
	assert.Contains(t, closeEff.Explain(), "2025-10-23")
	assert.Contains(t, void.Explain(), "误评")
	assert.False(t, a.CountsInScores())
	d, ok := a.Due()
	require.True(t, ok)
	assert.Equal(t, day(2025, 10, 24), d.At)
	assert.Equal(t, effects, a.History()[1].Effects)
}

// 000 §6 (二): a rejected appeal has no effect; the review stands.
func TestAppealRejectedNoEffect(t *testing.T) {
	r := shanghaiMachine(t)
	a, err := r.FileAppeal(appealReq(received), unitU1, at(2025, 9, 28, 10, 0))
	require.NoError(t, err)
	effects, err := a.Apply(Action{Kind: ActionReject, Reason: "申辩理由不成立"}, deptD1, at(2025, 10, 9, 10, 0))
	require.NoError(t, err)
	assert.Empty(t, effects)
	assert.True(t, a.CountsInScores())
}

// 000 §6 (一): filing needs a ground, a written defence and evidence, a reviewer of an allowed level.
func TestAppealFilingFields(t *testing.T) {
	r := shanghaiMachine(t)
	cityOnly := Shanghai()
	cityOnly.ReviewerLevels = []ReviewerLevel{ReviewerCity}
	rc, err := NewMachine(deadline.China(), deadline.Appeals(), cityOnly)
	require.NoError(t, err)
	now := at(2025, 9, 29, 9, 0)
	tests := []struct {
		name   string
		rules  *Machine
		edit   func(*Request)
		by     Actor
		now    time.Time
		target error
		field  string
	}{
		{"defence missing", r, func(q *Request) { q.Defence = "  " }, unitU1, now, ErrMissingField, "defence"},
		{"evidence missing", r, func(q *Request) { q.Evidence = nil }, unitU1, now, ErrMissingField, "evidence"},
		{"evidence blank", r, func(q *Request) { q.Evidence = []string{"a", ""} }, unitU1, now, ErrMissingField, "evidence[1]"},
		{"ground missing", r, func(q *Request) { q.Ground = "" }, unitU1, now, ErrMissingField, "ground"},
		{"ground unknown", r, func(q *Request) { q.Ground = "unfair" }, unitU1, now, ErrInvalidValue, "ground"},
		{"review missing", r, func(q *Request) { q.ReviewID = "" }, unitU1, now, ErrMissingField, "review_id"},
		{"ticket missing", r, func(q *Request) { q.Ticket.ID = "" }, unitU1, now, ErrMissingField, "ticket.id"},
		{"receipt missing", r, func(q *Request) { q.Ticket.ReceivedAt = time.Time{} }, unitU1, now, ErrMissingField, "ticket.received_at"},
		{"reviewer missing", r, func(q *Request) { q.Reviewer = Reviewer{} }, unitU1, now, ErrMissingField, "reviewer.unit"},
		{"reviewer level missing", r, func(q *Request) { q.Reviewer.Level = "" }, unitU1, now, ErrMissingField, "reviewer.level"},
		// 000 §6 (二): 市级 or 区级 — here the policy allows only the city level.
		{"000 §6 (二) district reviewer not allowed", rc, func(q *Request) {}, unitU1, now, ErrInvalidValue, "reviewer.level"},
		{"reviewer is the unit", r, func(q *Request) { q.Reviewer.Unit = "U1" }, unitU1, now, ErrInvalidValue, "reviewer.unit"},
		{"filed before receipt", r, func(q *Request) {}, unitU1, received.Add(-time.Hour), ErrInvalidValue, "now"},
		{"zero instant", r, func(q *Request) {}, unitU1, time.Time{}, ErrMissingField, "now"},
		{"another unit", r, func(q *Request) {}, unitU2, now, ErrForbiddenRole, "actor.unit"},
		{"staff of another unit", r, func(q *Request) {}, staffX, now, ErrForbiddenRole, "actor.unit"},
		{"staff without person", r, func(q *Request) {}, Actor{Role: RoleStaff, Unit: "U1"}, now, ErrMissingField, "actor.person"},
		{"staff for another staff member", r, func(q *Request) { q.StaffID = "S2" }, staffS1, now, ErrForbiddenRole, "actor.person"},
		{"competent department cannot file", r, func(q *Request) {}, deptD1, now, ErrForbiddenRole, "actor.role"},
		{"citizen cannot file", r, func(q *Request) {}, citizenC1, now, ErrForbiddenRole, "actor.role"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := appealReq(received)
			tc.edit(&q)
			a, err := tc.rules.FileAppeal(q, tc.by, tc.now)
			assert.Nil(t, a)
			require.ErrorIs(t, err, tc.target)
			var te *TransitionError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tc.field, te.Field)
			assert.Equal(t, "appeal", te.Procedure)
			assert.Equal(t, ActionFile, te.Action)
			assert.Contains(t, err.Error(), tc.field)
		})
	}
}

func TestAppealRefusals(t *testing.T) {
	r := shanghaiMachine(t)
	t0 := at(2025, 9, 29, 9, 0)
	tests := []struct {
		name   string
		filer  Actor
		before []step
		try    step
		target error
	}{
		{"uphold while with the unit", staffS1, nil, step{act(ActionUphold), deptD1, t0}, ErrIllegalTransition},
		{"endorse when already under review", unitU1, nil, step{act(ActionEndorse), unitU1, t0}, ErrIllegalTransition},
		{"uphold twice", unitU1, []step{{act(ActionUphold), deptD1, t0}}, step{act(ActionUphold), deptD1, t0}, ErrIllegalTransition},
		{"reject after upheld", unitU1, []step{{act(ActionUphold), deptD1, t0}}, step{act(ActionReject), deptD1, t0}, ErrIllegalTransition},
		{"file again", unitU1, nil, step{Action{Kind: ActionFile}, unitU1, t0}, ErrIllegalTransition},
		{"unknown action", unitU1, nil, step{Action{Kind: "escalate"}, unitU1, t0}, ErrIllegalTransition},
		{"object is not an appeal action", unitU1, nil, step{act(ActionObject), unitU2, t0}, ErrIllegalTransition},
		{"000 §6 (二) another department decides", unitU1, nil, step{act(ActionUphold), deptD2, t0}, ErrForbiddenRole},
		{"000 §6 (二) the unit cannot decide", unitU1, nil, step{act(ActionUphold), unitU1, t0}, ErrForbiddenRole},
		{"decision without reasons", unitU1, nil, step{Action{Kind: ActionReject}, deptD1, t0}, ErrMissingField},
		{"000 §6 (一) another unit endorses", staffS1, nil, step{act(ActionEndorse), unitU2, t0}, ErrForbiddenRole},
		{"decline without reasons", staffS1, nil, step{Action{Kind: ActionDecline}, unitU1, t0}, ErrMissingField},
		{"another staff member withdraws", staffS1, nil, step{act(ActionWithdraw), staffS2, t0}, ErrForbiddenRole},
		{"staff withdraws once under review", staffS1, []step{{act(ActionEndorse), unitU1, t0}}, step{act(ActionWithdraw), staffS1, t0}, ErrForbiddenRole},
		{"time goes backwards", unitU1, nil, step{act(ActionReject), deptD1, t0.Add(-2 * time.Hour)}, ErrInvalidValue},
		{"lapse while the window is open", unitU1, nil, step{act(ActionLapse), hotline, t0}, ErrIllegalTransition},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := r.FileAppeal(appealReq(received), tc.filer, t0.Add(-time.Hour))
			require.NoError(t, err)
			for _, s := range tc.before {
				_, err := a.Apply(s.act, s.by, s.at)
				require.NoError(t, err)
			}
			state, hist := a.State(), a.History()
			effects, err := a.Apply(tc.try.act, tc.try.by, tc.try.at)
			assert.Nil(t, effects)
			require.ErrorIs(t, err, tc.target)
			var te *TransitionError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, state, te.State)
			assert.Equal(t, tc.try.act.Kind, te.Action)
			assert.Contains(t, err.Error(), string(tc.try.act.Kind))
			assert.Equal(t, state, a.State(), "a refused action changes nothing")
			assert.Equal(t, hist, a.History())
		})
	}
}

// 000 §6 (二): the unit must close the ticket within 15 working days of receipt, so the unit taking
// up its staff member's appeal after that, or an upheld decision after that, is refused; a rejection
// is not (it has no effect to carry out). Once the window closed the hotline office records the
// appeal as lapsed and the review keeps counting.
func TestAppealLateSteps(t *testing.T) {
	r := shanghaiMachine(t)
	inTime := at(2025, 10, 23, 17, 0)
	late := at(2025, 10, 24, 9, 0)

	a, err := r.FileAppeal(appealReq(received), staffS1, inTime)
	require.NoError(t, err)
	_, err = a.Apply(act(ActionEndorse), unitU1, late)
	var le *LateError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "appeal endorsement by the unit", le.Kind)
	assert.Equal(t, day(2025, 10, 23), le.LastDay)
	_, err = a.Apply(act(ActionLapse), hotline, late)
	require.NoError(t, err)
	assert.Equal(t, StateLapsed, a.State())
	assert.True(t, a.CountsInScores())

	b, err := r.FileAppeal(appealReq(received), unitU1, inTime)
	require.NoError(t, err)
	_, err = b.Apply(act(ActionUphold), deptD1, late)
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "upheld appeal decision", le.Kind)
	assert.Equal(t, StateUnderReview, b.State())
	_, err = b.Apply(act(ActionReject), deptD1, late)
	require.NoError(t, err)
	assert.Equal(t, StateRejected, b.State())
}

// Without windows (a policy that sets none) nothing is late, nothing lapses, and the effect carries
// no due date.
func TestAppealNoWindow(t *testing.T) {
	p := Shanghai()
	p.Appeal = Windows{}
	r, err := NewMachine(deadline.China(), deadline.Appeals(), p)
	require.NoError(t, err)
	a, err := r.FileAppeal(appealReq(received), unitU1, at(2026, 6, 1, 9, 0))
	require.NoError(t, err)
	_, err = a.Apply(act(ActionLapse), hotline, at(2026, 6, 2, 9, 0))
	require.ErrorIs(t, err, ErrIllegalTransition)
	assert.Contains(t, err.Error(), "sets no window")
	effects, err := a.Apply(act(ActionUphold), deptD1, at(2026, 6, 2, 9, 0))
	require.NoError(t, err)
	require.Len(t, effects, 2)
	assert.True(t, effects[1].(CloseTicketAsUnfounded).By.IsZero())
	_, ok := a.Due()
	assert.False(t, ok)
}

// A policy may let staff file directly with the competent department (000 §6 (一) says they go
// through their unit; that is the default).
func TestAppealStaffFilesDirectly(t *testing.T) {
	p := Shanghai()
	p.StaffFilesDirectly = true
	r, err := NewMachine(deadline.China(), deadline.Appeals(), p)
	require.NoError(t, err)
	a, err := r.FileAppeal(appealReq(received), staffS1, at(2025, 9, 29, 9, 0))
	require.NoError(t, err)
	assert.Equal(t, StateUnderReview, a.State())
	assert.Equal(t, "S1", a.Request().StaffID)
}

func TestAppealAllowed(t *testing.T) {
	r := shanghaiMachine(t)
	a, err := r.FileAppeal(appealReq(received), staffS1, at(2025, 9, 29, 9, 0))
	require.NoError(t, err)
	assert.Equal(t, []ActionKind{ActionEndorse, ActionDecline}, a.Allowed(unitU1))
	assert.Equal(t, []ActionKind{ActionWithdraw}, a.Allowed(staffS1))
	assert.Empty(t, a.Allowed(deptD1))
}

func TestAppealReplayJSONRoundTrip(t *testing.T) {
	r := shanghaiMachine(t)
	a, err := r.FileAppeal(appealReq(received), staffS1, at(2025, 9, 29, 9, 0))
	require.NoError(t, err)
	_, err = a.Apply(act(ActionEndorse), unitU1, at(2025, 9, 30, 9, 0))
	require.NoError(t, err)
	_, err = a.Apply(act(ActionUphold), deptD1, at(2025, 10, 13, 9, 0))
	require.NoError(t, err)

	req, hist := roundTrip(t, a.Request()), roundTrip(t, a.History())
	b, err := r.ReplayAppeal(req, hist)
	require.NoError(t, err)
	assert.Equal(t, a.State(), b.State())
	assert.Equal(t, req, b.Request())
	assert.True(t, a.Request().Ticket.ReceivedAt.Equal(b.Request().Ticket.ReceivedAt))
	for i, ev := range a.History() {
		got := b.History()[i]
		assert.True(t, ev.At.Equal(got.At))
		ev.At, got.At = time.Time{}, time.Time{}
		assert.Equal(t, ev, got)
	}

	// A tampered history does not replay.
	hist[2].To = StateRejected
	_, err = r.ReplayAppeal(req, hist)
	assert.ErrorIs(t, err, ErrHistoryMismatch)
	_, err = r.ReplayAppeal(req, nil)
	assert.ErrorIs(t, err, ErrHistoryMismatch)
	_, err = r.ReplayAppeal(req, hist[1:])
	assert.ErrorIs(t, err, ErrHistoryMismatch)
}
