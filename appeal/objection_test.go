package appeal

import (
	"testing"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 000 §7 (二): upheld → the ticket is returned within 5 working days of receipt naming the suggested
// unit: a ticket received 2025-09-26 (Fri) must be returned by the end of 2025-10-10, counting the
// make-up Sunday 09-28 and skipping 国庆 10-01..10-08. The objecting unit is then excluded.
func TestObjectionUpheldReturnsTicket(t *testing.T) {
	r := shanghaiMachine(t)
	o, err := r.FileObjection(objectionReq(received), unitU1, at(2025, 9, 28, 9, 0))
	require.NoError(t, err)
	assert.Equal(t, StateUnderReview, o.State())
	assert.Empty(t, o.ExcludedUnits())

	effects, err := o.Apply(Action{Kind: ActionUphold, Reason: "依三定方案属区市场监管局"}, deptD1, at(2025, 9, 30, 16, 0))
	require.NoError(t, err)
	require.Len(t, effects, 1)
	ret, ok := effects[0].(ReturnTicket)
	require.True(t, ok)
	assert.Equal(t, ReturnTicket{TicketID: "T1", ExcludeUnit: "U1", SuggestedUnit: "U2", Basis: BasisDepartment,
		By: day(2025, 10, 11), LastDay: day(2025, 10, 10), Source: "000 §7 (二)"}, ret)
	assert.Contains(t, ret.Explain(), "2025-10-10")
	assert.Equal(t, []string{"U1"}, o.ExcludedUnits())
	d, ok := o.Due()
	require.True(t, ok)
	assert.Equal(t, day(2025, 10, 10), d.LastDay)
}

// 000 §7 (二): "建议承办单位"如提出异议，由市政府办公厅指定办理.
func TestObjectionSuggestedUnitObjects(t *testing.T) {
	r := shanghaiMachine(t)
	o, err := r.FileObjection(objectionReq(received), unitU1, at(2025, 9, 28, 9, 0))
	require.NoError(t, err)
	_, err = o.Apply(act(ActionUphold), deptD1, at(2025, 9, 29, 9, 0))
	require.NoError(t, err)

	// Only the suggested unit may object in turn, with a basis and reasons.
	_, err = o.Apply(Action{Kind: ActionObject, Basis: BasisLevel, Reason: "x"}, unitU3, at(2025, 10, 9, 9, 0))
	require.ErrorIs(t, err, ErrForbiddenRole)
	_, err = o.Apply(Action{Kind: ActionObject, Reason: "x"}, unitU2, at(2025, 10, 9, 9, 0))
	require.ErrorIs(t, err, ErrMissingField)
	_, err = o.Apply(Action{Kind: ActionObject, Basis: "nope", Reason: "x"}, unitU2, at(2025, 10, 9, 9, 0))
	require.ErrorIs(t, err, ErrInvalidValue)
	_, err = o.Apply(Action{Kind: ActionObject, Basis: BasisLevel}, unitU2, at(2025, 10, 9, 9, 0))
	require.ErrorIs(t, err, ErrMissingField)

	effects, err := o.Apply(Action{Kind: ActionObject, Basis: BasisLevel, Reason: "属市级事权"}, unitU2, at(2025, 10, 9, 9, 0))
	require.NoError(t, err)
	require.Len(t, effects, 1)
	assert.Equal(t, Designate{Authority: "市政府办公厅", TicketID: "T1", ExcludeUnits: []string{"U1"}, Disputing: "U2",
		Basis: BasisLevel, Reason: "属市级事权", Source: "000 §7 (二)"}, effects[0])
	assert.Equal(t, StateReferred, o.State())
	assert.True(t, o.Final())
	assert.Equal(t, []string{"U1"}, o.ExcludedUnits())

	// The effect returned shares no memory with the history.
	effects[0].(Designate).ExcludeUnits[0] = "changed"
	h := o.History()
	assert.Equal(t, []string{"U1"}, h[len(h)-1].Effects[0].(Designate).ExcludeUnits)
	h[len(h)-1].Effects[0].(Designate).ExcludeUnits[0] = "changed"
	assert.Equal(t, []string{"U1"}, o.History()[len(h)-1].Effects[0].(Designate).ExcludeUnits)
}

// A policy without a designating authority (Hebi: 002 has no objections) has no second level.
func TestObjectionNoDesignator(t *testing.T) {
	p := Shanghai()
	p.Designator = ""
	r, err := NewMachine(deadline.China(), deadline.Appeals(), p)
	require.NoError(t, err)
	o, err := r.FileObjection(objectionReq(received), unitU1, at(2025, 9, 28, 9, 0))
	require.NoError(t, err)
	_, err = o.Apply(act(ActionUphold), deptD1, at(2025, 9, 29, 9, 0))
	require.NoError(t, err)
	_, err = o.Apply(Action{Kind: ActionObject, Basis: BasisLevel, Reason: "x"}, unitU2, at(2025, 10, 9, 9, 0))
	require.ErrorIs(t, err, ErrIllegalTransition)
	assert.True(t, o.Final())
}

// 000 §7 (一): the objection states a basis (本部门/本系统/本层级), its text and a suggested unit.
func TestObjectionFilingFields(t *testing.T) {
	r := shanghaiMachine(t)
	now := at(2025, 9, 29, 9, 0)
	tests := []struct {
		name   string
		edit   func(*ObjectionRequest)
		by     Actor
		target error
		field  string
	}{
		{"basis missing", func(q *ObjectionRequest) { q.Basis = "" }, unitU1, ErrMissingField, "basis"},
		{"basis unknown", func(q *ObjectionRequest) { q.Basis = "not_mine" }, unitU1, ErrInvalidValue, "basis"},
		{"basis text missing", func(q *ObjectionRequest) { q.BasisText = "" }, unitU1, ErrMissingField, "basis_text"},
		{"suggested unit missing", func(q *ObjectionRequest) { q.SuggestedUnit = " " }, unitU1, ErrMissingField, "suggested_unit"},
		{"suggests itself", func(q *ObjectionRequest) { q.SuggestedUnit = "U1" }, unitU1, ErrInvalidValue, "suggested_unit"},
		{"reviewer missing", func(q *ObjectionRequest) { q.Reviewer = Reviewer{} }, unitU1, ErrMissingField, "reviewer.unit"},
		{"reviewer level unknown", func(q *ObjectionRequest) { q.Reviewer.Level = "street" }, unitU1, ErrInvalidValue, "reviewer.level"},
		{"another unit", func(q *ObjectionRequest) {}, unitU2, ErrForbiddenRole, "actor.unit"},
		{"staff cannot object", func(q *ObjectionRequest) {}, staffS1, ErrForbiddenRole, "actor.role"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := objectionReq(received)
			tc.edit(&q)
			_, err := r.FileObjection(q, tc.by, now)
			require.ErrorIs(t, err, tc.target)
			var te *TransitionError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tc.field, te.Field)
			assert.Equal(t, "objection", te.Procedure)
		})
	}
}

// 000 §7 (二): an upheld decision after the 5 working days cannot be carried out in time; a
// rejection can; once the window closed the hotline office records the objection as lapsed.
func TestObjectionLateDecision(t *testing.T) {
	r := shanghaiMachine(t)
	// 春节 2026: received Thu 02-12, 5 working days = 02-13, 02-14 (Sat, make-up), 02-24, 02-25, 02-26.
	rec := at(2026, 2, 12, 9, 0)
	o, err := r.FileObjection(objectionReq(rec), unitU1, at(2026, 2, 14, 10, 0))
	require.NoError(t, err)
	_, err = o.Apply(act(ActionLapse), hotline, at(2026, 2, 26, 23, 59))
	require.ErrorIs(t, err, ErrIllegalTransition)
	_, err = o.Apply(act(ActionUphold), deptD1, at(2026, 2, 27, 0, 0))
	var le *LateError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "upheld objection decision", le.Kind)
	assert.Equal(t, day(2026, 2, 26), le.LastDay)
	assert.Equal(t, ActionUphold, le.Action)
	_, err = o.Apply(act(ActionLapse), hotline, at(2026, 2, 27, 0, 0))
	require.NoError(t, err)
	assert.Equal(t, StateLapsed, o.State())
	assert.Empty(t, o.ExcludedUnits())

	p, err := r.FileObjection(objectionReq(rec), unitU1, at(2026, 2, 14, 10, 0))
	require.NoError(t, err)
	_, err = p.Apply(act(ActionReject), deptD1, at(2026, 3, 2, 9, 0))
	require.NoError(t, err)
	assert.Equal(t, StateRejected, p.State())
}

func TestObjectionWithdraw(t *testing.T) {
	r := shanghaiMachine(t)
	o, err := r.FileObjection(objectionReq(received), unitU1, at(2025, 9, 28, 9, 0))
	require.NoError(t, err)
	_, err = o.Apply(act(ActionWithdraw), unitU2, at(2025, 9, 29, 9, 0))
	require.ErrorIs(t, err, ErrForbiddenRole)
	_, err = o.Apply(act(ActionWithdraw), unitU1, at(2025, 9, 29, 9, 0))
	require.NoError(t, err)
	assert.Equal(t, StateWithdrawn, o.State())
	_, err = o.Apply(act(ActionUphold), deptD1, at(2025, 9, 29, 10, 0))
	require.ErrorIs(t, err, ErrIllegalTransition)

	b, err := r.ReplayObjection(roundTrip(t, o.Request()), roundTrip(t, o.History()))
	require.NoError(t, err)
	assert.Equal(t, StateWithdrawn, b.State())
	assert.Len(t, b.History(), 2)
}
