package appeal

import (
	"encoding/json"
	"testing"
	"unicode"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hasHan reports whether s contains a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// Every value of every enum has a Chinese label of its own; an unknown value labels as 未知(x), the
// unset value as 未设置 (CONTRIBUTING.md "Naming": enums).
func TestLabels(t *testing.T) {
	labels := map[string][]string{}
	for _, g := range Grounds() {
		assert.True(t, g.Valid())
		labels["ground"] = append(labels["ground"], g.Label())
	}
	for _, b := range Bases() {
		assert.True(t, b.Valid())
		labels["basis"] = append(labels["basis"], b.Label())
	}
	for _, l := range []ReviewerLevel{ReviewerCity, ReviewerDistrict} {
		assert.True(t, l.Valid())
		labels["level"] = append(labels["level"], l.Label())
	}
	for _, r := range Roles() {
		labels["role"] = append(labels["role"], r.Label())
	}
	for _, s := range []State{StateNone, StatePendingUnit, StateUnderReview, StateUpheld, StateRejected, StateDeclined,
		StateWithdrawn, StateLapsed, StateReferred, StateImproper, StateProper} {
		labels["state"] = append(labels["state"], s.Label())
	}
	for _, a := range ActionKinds() {
		labels["action"] = append(labels["action"], a.Label())
	}
	for kind, ls := range labels {
		seen := map[string]bool{}
		for _, l := range ls {
			assert.True(t, hasHan(l), "%s label %q", kind, l)
			assert.False(t, seen[l], "%s label %q twice", kind, l)
			seen[l] = true
		}
	}
	// 000 §6 (一): the three grounds in the article's order; 000 §7 (一): the three bases.
	assert.Equal(t, []string{"主要事实和情节不存在或不真实", "误评", "恶意差评"}, labels["ground"])
	assert.Equal(t, []string{"不属于本部门受理范围", "不属于本系统受理范围", "不属于本层级受理范围"}, labels["basis"])
	// 000 §6 (二): 市级 or 区级政务服务主管部门.
	assert.Equal(t, []string{"市级政务服务主管部门", "区级政务服务主管部门"}, labels["level"])

	assert.Equal(t, "未知(x)", Ground("x").Label())
	assert.False(t, Ground("x").Valid())
	assert.Equal(t, "未知(x)", Basis("x").Label())
	assert.Equal(t, "未知(street)", ReviewerLevel("street").Label())
	assert.False(t, ReviewerLevel("street").Valid())
	assert.Equal(t, "未知(mayor)", Role("mayor").Label())
	assert.Equal(t, "未知(x)", State("x").Label())
	assert.Equal(t, "未设置", StateNone.Label())
	assert.Equal(t, "未知(x)", ActionKind("x").Label())
	assert.Equal(t, "staff U1 (S1)", staffS1.String())
	assert.Equal(t, "competent D1", deptD1.String())
}

func TestMachineLimitsIsACopy(t *testing.T) {
	r := shanghaiMachine(t)
	l := r.Limits()
	require.NotEmpty(t, l.Limits)
	want := l.Limits[0]
	l.Limits[0].Label = "changed"
	assert.Equal(t, want, r.Limits().Limits[0])
	assert.Equal(t, deadline.ShanghaiOneNet().Name, l.Name)
}

// Replays of objections and reconsiderations refuse what does not reproduce, like appeals.
func TestReplayRefusals(t *testing.T) {
	sh, hb := shanghaiMachine(t), hebiMachine(t)
	o, err := sh.FileObjection(objectionReq(received), unitU1, at(2025, 9, 28, 9, 0))
	require.NoError(t, err)
	_, err = o.Apply(act(ActionUphold), deptD1, at(2025, 9, 29, 9, 0))
	require.NoError(t, err)
	h := o.History()
	_, err = sh.ReplayObjection(o.Request(), nil)
	assert.ErrorIs(t, err, ErrHistoryMismatch)
	_, err = sh.ReplayObjection(o.Request(), h[1:])
	assert.ErrorIs(t, err, ErrHistoryMismatch)
	h[1].By = deptD2 // not the reviewer named
	_, err = sh.ReplayObjection(o.Request(), h)
	assert.ErrorIs(t, err, ErrHistoryMismatch)
	assert.ErrorIs(t, err, ErrForbiddenRole)
	assert.Contains(t, err.Error(), "event 2 (uphold)")

	c, err := hb.FileReconsideration(reconReq(received), citizenC1, at(2025, 10, 20, 9, 0))
	require.NoError(t, err)
	_, err = c.Apply(act(ActionFindImproper), deptD1, at(2025, 10, 21, 9, 0))
	require.NoError(t, err)
	h = c.History()
	r, err := hb.ReplayReconsideration(c.Request(), h)
	require.NoError(t, err)
	assert.Equal(t, StateImproper, r.State())
	h[1].To = StateProper
	_, err = hb.ReplayReconsideration(c.Request(), h)
	assert.ErrorIs(t, err, ErrHistoryMismatch)
	assert.Contains(t, err.Error(), "recorded under_review → proper, replays as under_review → improper")
	_, err = hb.ReplayReconsideration(c.Request(), nil)
	assert.ErrorIs(t, err, ErrHistoryMismatch)
}

// Enums decode their wire value or label and refuse anything else with an *EnumError; the roles
// share ticket's wire values for the same office (CONTRIBUTING.md shared vocabulary).
func TestEnumText(t *testing.T) {
	assert.Equal(t, "hotline_office", string(RoleHotlineOffice))
	assert.Equal(t, "handling_unit", string(RoleHandlingUnit))
	assert.Equal(t, []ReviewerLevel{"city", "district"}, ReviewerLevels())
	for _, r := range Roles() {
		got, err := ParseRole(r.Label())
		require.NoError(t, err)
		assert.Equal(t, r, got)
	}
	var r Role
	err := json.Unmarshal([]byte(`"hotline"`), &r)
	assert.ErrorIs(t, err, ErrInvalidEnum)
	var ee *EnumError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "appeal.Role", ee.Type)
	var s State
	require.NoError(t, json.Unmarshal([]byte(`""`), &s))
	assert.Equal(t, StateNone, s)
	for _, k := range ActionKinds() {
		got, err := ParseActionKind(string(k))
		require.NoError(t, err)
		assert.Equal(t, k, got)
	}
	_, err = ParseGround("误评")
	require.NoError(t, err)
	_, err = ParseBasis("nope")
	assert.ErrorIs(t, err, ErrInvalidEnum)
	_, err = ParseReviewerLevel("street")
	assert.ErrorIs(t, err, ErrInvalidEnum)
	_, err = ParseState("nope")
	assert.ErrorIs(t, err, ErrInvalidEnum)
}
