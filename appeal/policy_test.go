package appeal

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 000 §6 §7: the Shanghai preset bounds appeals by 15 and objections by 5 working days from receipt,
// lets 市级 and 区级 competent departments review, routes staff through their unit and names the
// city office as designator. 002 §6 (二) 3: the Hebi preset sets no reconsideration window.
func TestPresets(t *testing.T) {
	sh := Shanghai()
	require.NoError(t, sh.Validate())
	assert.Equal(t, Windows{Filing: deadline.AppealClose, Effect: deadline.AppealClose}, sh.Appeal)
	assert.Equal(t, Windows{Filing: deadline.ObjectionReturn, Effect: deadline.ObjectionReturn}, sh.Objection)
	assert.Equal(t, Windows{}, sh.Reconsideration)
	assert.Equal(t, []ReviewerLevel{ReviewerCity, ReviewerDistrict}, sh.ReviewerLevels)
	assert.False(t, sh.StaffFilesDirectly, "000 §6 (一): staff go through their unit")
	assert.Equal(t, "市政府办公厅", sh.Designator)

	hb := Hebi()
	require.NoError(t, hb.Validate())
	assert.Equal(t, Windows{}, hb.Reconsideration, "002 sets no window for 复查复核")
	assert.Equal(t, []ReviewerLevel{ReviewerCity}, hb.ReviewerLevels)

	// The deadline presets hold the keys the Shanghai policy names.
	for _, limits := range []deadline.Policy{deadline.ShanghaiOneNet(), deadline.Appeals()} {
		_, err := NewMachine(deadline.China(), limits, sh)
		require.NoError(t, err, limits.Name)
		l, ok := limits.Limit(deadline.AppealClose)
		require.True(t, ok)
		assert.Equal(t, deadline.Period{Days: 15, Unit: deadline.WorkingDays}, l.Period, "000 §6 (二)")
		l, ok = limits.Limit(deadline.ObjectionReturn)
		require.True(t, ok)
		assert.Equal(t, deadline.Period{Days: 5, Unit: deadline.WorkingDays}, l.Period, "000 §7 (二)")
	}
	_, err := NewMachine(deadline.China(), deadline.Hebi12345(), hb)
	require.NoError(t, err)

	// Presets are fresh values.
	sh.ReviewerLevels[0] = "x"
	assert.Equal(t, ReviewerCity, Shanghai().ReviewerLevels[0])
}

func TestNewMachineErrors(t *testing.T) {
	_, err := NewMachine(deadline.China(), deadline.Hebi12345(), Shanghai())
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "appeal.filing", pe.Field)
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	assert.Contains(t, err.Error(), "appeal_close")

	_, err = NewMachine(nil, deadline.Appeals(), Shanghai())
	require.ErrorIs(t, err, ErrInvalidPolicy)

	_, err = NewMachine(deadline.China(), deadline.Policy{}, Hebi())
	require.ErrorIs(t, err, ErrInvalidPolicy)

	r, err := NewMachine(deadline.China(), deadline.Appeals(), Shanghai())
	require.NoError(t, err)
	p := r.Policy()
	p.ReviewerLevels[0] = "x"
	assert.Equal(t, ReviewerCity, r.Policy().ReviewerLevels[0], "the rules keep their own copy")
	_, err = r.Window("nope", received, received)
	assert.ErrorIs(t, err, deadline.ErrNoLimit)
}

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Policy)
		field string
	}{
		{"name", func(p *Policy) { p.Name = " " }, "name"},
		{"no levels", func(p *Policy) { p.ReviewerLevels = nil }, "reviewer_levels"},
		{"unknown level", func(p *Policy) { p.ReviewerLevels = []ReviewerLevel{ReviewerCity, "street"} }, "reviewer_levels[1]"},
		{"duplicate level", func(p *Policy) { p.ReviewerLevels = []ReviewerLevel{ReviewerCity, ReviewerCity} }, "reviewer_levels[1]"},
		{"blank key", func(p *Policy) { p.Objection.Effect = "  " }, "objection.effect"},
		{"spaced key", func(p *Policy) { p.Appeal.Filing = " appeal_close" }, "appeal.filing"},
		{"blank designator", func(p *Policy) { p.Designator = " " }, "designator"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Shanghai()
			tc.edit(&p)
			err := p.Validate()
			var pe *PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.field, pe.Field)
			assert.ErrorIs(t, err, ErrInvalidPolicy)
			assert.Contains(t, err.Error(), tc.field)
		})
	}
}

func TestParsePolicy(t *testing.T) {
	for _, p := range []Policy{Shanghai(), Hebi()} {
		b, err := json.Marshal(p)
		require.NoError(t, err)
		got, err := ParsePolicy(b)
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	got, err := ParsePolicy([]byte(`{"name":"d","appeal":{"filing":"appeal_close"},"reviewer_levels":["district"],"staff_files_directly":true}`))
	require.NoError(t, err)
	assert.True(t, got.StaffFilesDirectly)
	assert.Equal(t, deadline.AppealClose, got.Appeal.Filing)

	for _, bad := range []string{
		``, `null`, `[]`, `{"name":"x"}`,
		`{"name":"x","reviewer_levels":["city"],"unknown":1}`,
		`{"name":"x","reviewer_levels":["city"]} {}`,
		`{"name":"x","reviewer_levels":["city"]} x`,
		`{"name":"x","reviewer_levels":["county"]}`,
	} {
		_, err := ParsePolicy([]byte(bad))
		assert.ErrorIs(t, err, ErrInvalidPolicy, bad)
	}
}

// FuzzParsePolicy: loading never panics, and whatever loads validates and round-trips.
func FuzzParsePolicy(f *testing.F) {
	for _, p := range []Policy{Shanghai(), Hebi()} {
		b, _ := json.Marshal(p)
		f.Add(b)
	}
	f.Add([]byte(`{"name":"d","appeal":{"filing":"appeal_close"},"reviewer_levels":["district"]}`))
	f.Add([]byte(`{"name":"x","reviewer_levels":["city","city"]}`))
	f.Add([]byte(`{}`))
	// Issue 9: trailing data, duplicate and case-variant keys, a huge level.
	f.Add([]byte(`{"name":"x","reviewer_levels":["city"]}}`))
	f.Add([]byte(`{"name":"x","NAME":"y","reviewer_levels":["city"]}`))
	f.Add([]byte(`{"name":"x","reviewer_levels":["city"],"reviewer_levels":["district"]}`))
	f.Add([]byte(`{"name":"x","reviewer_levels":["` + strings.Repeat("z", 4096) + `"]}`))
	cal := deadline.China()
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy(data)
		if err != nil {
			return
		}
		require.NoError(t, p.Validate())
		b, err := json.Marshal(p)
		require.NoError(t, err)
		q, err := ParsePolicy(b)
		require.NoError(t, err)
		assert.Equal(t, p, q)
		// Machine over the fuzzed policy either build or say which key is missing.
		if _, err := NewMachine(cal, deadline.ShanghaiOneNet(), p); err != nil {
			require.ErrorIs(t, err, ErrInvalidPolicy)
		}
	})
}
