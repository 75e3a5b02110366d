package appeal

import (
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 002 §6 (二) 3: 咨询投诉建议人对办理结果不满意的，可以申请复查、复核。经复查、复核，确认承办单位处理不当
// 的，退回承办单位重新办理.
func TestReconsiderationOutcomes(t *testing.T) {
	r := hebiMachine(t)
	rec := at(2026, 3, 2, 9, 0)
	tests := []struct {
		name    string
		filer   Actor
		decide  Action
		want    State
		effects []Effect
	}{
		{"002 §6 (二) 3 improper handling goes back to the unit", citizenC1,
			Action{Kind: ActionFindImproper, Reason: "未实地核查"}, StateImproper,
			[]Effect{ReopenTicket{TicketID: "T1", Unit: "U1", Reason: "未实地核查", Source: "002 §6 (二) 3"}}},
		{"002 §6 (二) 3 proper handling: nothing to do", citizenC1,
			Action{Kind: ActionFindProper, Reason: "答复符合规定"}, StateProper, nil},
		{"the hotline office files for the citizen at the callback", hotline,
			Action{Kind: ActionFindProper, Reason: "答复符合规定"}, StateProper, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := r.FileReconsideration(reconReq(rec), tc.filer, at(2026, 3, 20, 9, 0))
			require.NoError(t, err)
			assert.Equal(t, StateUnderReview, c.State())
			effects, err := c.Apply(tc.decide, deptD1, at(2026, 3, 25, 9, 0))
			require.NoError(t, err)
			assert.Equal(t, tc.effects, effects)
			assert.Equal(t, tc.want, c.State())
			assert.True(t, c.Final())
		})
	}
}

// 002 sets no window for reconsideration, so Hebi() sets none: a request a year later is accepted.
func TestReconsiderationNoWindowInHebi(t *testing.T) {
	r := hebiMachine(t)
	q := reconReq(at(2025, 9, 26, 10, 0))
	q.RepliedAt = time.Time{} // not needed without a window
	c, err := r.FileReconsideration(q, citizenC1, at(2026, 9, 30, 9, 0))
	require.NoError(t, err)
	_, err = c.Apply(act(ActionLapse), hotline, at(2026, 10, 30, 9, 0))
	require.ErrorIs(t, err, ErrIllegalTransition)
	assert.Contains(t, err.Error(), "sets no window")
}

// A district may set a window (here 5 working days from the reply, across 国庆 2026).
func TestReconsiderationDistrictWindow(t *testing.T) {
	limits := deadline.Hebi12345().With(deadline.Limit{Key: "reconsideration_request", Label: "复查复核申请",
		Period: deadline.Period{Days: 5, Unit: deadline.WorkingDays}, Source: "district rule"})
	p := Hebi()
	p.Reconsideration = Windows{Filing: "reconsideration_request"}
	r, err := NewMachine(deadline.China(), limits, p)
	require.NoError(t, err)

	q := reconReq(at(2026, 9, 10, 9, 0))
	q.RepliedAt = at(2026, 9, 18, 14, 0) // Fri; 5 wd: 09-20 (Sun, make-up) … 09-24
	c, err := r.FileReconsideration(q, citizenC1, at(2026, 9, 24, 22, 0))
	require.NoError(t, err)
	// Only the filing is bounded: once filed, nothing lapses.
	_, err = c.Apply(act(ActionLapse), hotline, at(2026, 12, 1, 9, 0))
	require.ErrorIs(t, err, ErrIllegalTransition)
	assert.Contains(t, err.Error(), "sets no window that bounds the reconsideration in state under_review")
	_, err = r.FileReconsideration(q, citizenC1, at(2026, 9, 28, 9, 0))
	var le *LateError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, day(2026, 9, 24), le.LastDay)
	assert.Equal(t, "district rule", le.Source)

	q.RepliedAt = time.Time{}
	_, err = r.FileReconsideration(q, citizenC1, at(2026, 9, 24, 22, 0))
	require.ErrorIs(t, err, ErrMissingField)
}

func TestReconsiderationRefusals(t *testing.T) {
	r := hebiMachine(t)
	rec := at(2026, 3, 2, 9, 0)
	now := at(2026, 3, 20, 9, 0)

	q := reconReq(rec)
	q.Reason = ""
	_, err := r.FileReconsideration(q, citizenC1, now)
	require.ErrorIs(t, err, ErrMissingField)
	_, err = r.FileReconsideration(reconReq(rec), citizenC2, now)
	require.ErrorIs(t, err, ErrForbiddenRole)
	_, err = r.FileReconsideration(reconReq(rec), unitU1, now)
	require.ErrorIs(t, err, ErrForbiddenRole)
	q = reconReq(rec)
	q.RepliedAt = rec.Add(-time.Hour)
	_, err = r.FileReconsideration(q, citizenC1, now)
	require.ErrorIs(t, err, ErrInvalidValue)
	q = reconReq(rec)
	q.Reviewer = Reviewer{Unit: "D1", Level: ReviewerDistrict} // Hebi: the city's competent department
	_, err = r.FileReconsideration(q, citizenC1, now)
	require.ErrorIs(t, err, ErrInvalidValue)

	q = reconReq(rec)
	q.Reviewer = Reviewer{Unit: "D1", Level: ReviewerCity}
	c, err := r.FileReconsideration(q, citizenC1, now)
	require.NoError(t, err)
	_, err = c.Apply(act(ActionFindImproper), deptD2, now)
	require.ErrorIs(t, err, ErrForbiddenRole)
	_, err = c.Apply(Action{Kind: ActionFindImproper}, deptD1, now)
	require.ErrorIs(t, err, ErrMissingField)
	_, err = c.Apply(act(ActionWithdraw), citizenC2, now)
	require.ErrorIs(t, err, ErrForbiddenRole)
	_, err = c.Apply(act(ActionUphold), deptD1, now)
	require.ErrorIs(t, err, ErrIllegalTransition)
	_, err = c.Apply(act(ActionWithdraw), citizenC1, now)
	require.NoError(t, err)
	assert.Equal(t, StateWithdrawn, c.State())
}
