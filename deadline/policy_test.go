package deadline

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPolicyJSONRoundTrip(t *testing.T) {
	for _, p := range Presets() {
		t.Run(p.Name, func(t *testing.T) {
			p.Counting = Counting{BusinessClose: NewTimeOfDay(17, 30), Cutoff: NewTimeOfDay(16, 0)}
			b, err := json.Marshal(p)
			require.NoError(t, err)
			assert.Contains(t, string(b), `"business_close":"17:30"`)
			got, err := ParsePolicy(b)
			require.NoError(t, err)
			assert.Equal(t, p, got)
		})
	}
}

// A district's policy file: the street hotline of 004 with a daily cut-off and business close.
func TestParsePolicyFile(t *testing.T) {
	b, err := os.ReadFile("testdata/policy-street.json")
	require.NoError(t, err)
	p, err := ParsePolicy(b)
	require.NoError(t, err)
	assert.Equal(t, "youyi-road-street", p.Name)
	assert.Equal(t, Counting{BusinessClose: NewTimeOfDay(17, 30), Cutoff: NewTimeOfDay(17, 0)}, p.Counting)
	assert.Equal(t, Period{2, WorkingDays}, p.DueSoon)

	// The file's limits are the preset's, plus the same-day cause analysis of 003 六 (二).
	preset := StreetHotline()
	for _, l := range preset.Limits {
		got, ok := p.Limit(l.Key)
		require.True(t, ok, l.Key)
		assert.Equal(t, l, got)
	}
	_, ok := p.Limit(CauseAnalysis)
	assert.True(t, ok)

	// 004 §8 (二) under the file's counting: received 2025-09-30 17:20, after the cut-off, it counts
	// as received 2025-10-09; 5 working days are 10-10, 10-11, 10-13, 10-14, 10-15, ending at 17:30.
	st, err := China().Status(p, Stage{Key: ReplyGeneral, Start: sh(2025, 9, 30, 17, 20)}, sh(2025, 10, 14, 9, 0))
	require.NoError(t, err)
	assert.True(t, sh(2025, 10, 15, 17, 30).Equal(st.Due.At), st.Due.Explanation)
	assert.Equal(t, DueSoon, st.State, "a 2-working-day lead starts 2025-10-14")
}

func TestParsePolicyErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"not JSON", `{`, "policy JSON"},
		{"unknown field", `{"name":"x","limits":[],"colour":"red"}`, `unknown field "colour"`},
		{"trailing data", `{"name":"x"} {"name":"y"}`, "data after the JSON value"},
		{"trailing bracket", `{"name":"x","limits":[]} ]`, "data after the JSON value"},
		{"trailing brace", `{"name":"x","limits":[]} }`, "data after the JSON value"},
		{"bad time", `{"name":"x","counting":{"cutoff":"25:00"}}`, "hour 25"},
		{"invalid", `{"name":"x","limits":[{"key":"a","days":-1,"unit":"working_days"}]}`, "limits[0]"},
		{"wrong type", `{"name":"x","limits":[{"key":"a","days":"5","unit":"working_days"}]}`, "policy JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePolicy([]byte(tt.in))
			require.Error(t, err)
			assert.ErrorContains(t, err, tt.want)
			assert.ErrorIs(t, err, ErrInvalidPolicy)
		})
	}
}

// Every error of Validate names the field that is wrong and wraps ErrInvalidPolicy.
func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Policy)
		field  string
		reason string
	}{
		{"empty name", func(p *Policy) { p.Name = " " }, "name", "must not be empty"},
		{"cut-off outside a day", func(p *Policy) { p.Counting.Cutoff = 24 * 60 }, "counting", "cutoff"},
		{"business close negative", func(p *Policy) { p.Counting.BusinessClose = -1 }, "counting", "business_close"},
		{"due soon unit", func(p *Policy) { p.DueSoon = Period{1, "weeks"} }, "due_soon", `unknown "weeks"`},
		{"due soon negative", func(p *Policy) { p.DueSoon = wd(-1) }, "due_soon", "negative"},
		{"empty key", func(p *Policy) { p.Limits[1].Key = "" }, "limits[1].key", "must not be empty"},
		{"duplicate key", func(p *Policy) { p.Limits[2].Key = FirstContact }, "limits[2].key", "already set by limits[0]"},
		{"missing unit", func(p *Policy) { p.Limits[0].Unit = "" }, "limits[0]", "unit: missing"},
		{"zero days", func(p *Policy) { p.Limits[0].Days = 0 }, "limits[0]", "must be positive"},
		{"same day with days", func(p *Policy) { p.Limits[0].Unit = SameDay }, "limits[0]", "same-day"},
		{"implausible", func(p *Policy) { p.Limits[0].Days = 5000 }, "limits[0]", "implausibly long"},
		{"extend_to negative", func(p *Policy) { p.Limits[2].ExtendTo = -1 }, "limits[2].extend_to", "negative"},
		{"extend_to shorter", func(p *Policy) { p.Limits[2].ExtendTo = 3 }, "limits[2].extend_to", "shorter than the period"},
		{"extend_to not extendable", func(p *Policy) { p.Limits[0].ExtendTo = 3 }, "limits[0].extend_to", "not extendable"},
		{"approvals not extendable", func(p *Policy) { p.Limits[0].Approvals = []string{"x"} }, "limits[0].approvals", "not extendable"},
		{"window not extendable", func(p *Policy) { p.Limits[0].ExtensionWindow = ExtensionGeneral }, "limits[0].extension_window", "not extendable"},
		{"window is itself", func(p *Policy) { p.Limits[2].ExtensionWindow = ReplyGeneral }, "limits[2].extension_window", "itself"},
		{"window missing", func(p *Policy) { p.Limits = p.Limits[:4] }, "limits[2].extension_window", `no limit "extension_general"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := StreetHotline() // limits: first_contact, reply_quick, reply_general, reply_complex, extension_general, …
			tt.change(&p)
			err := p.Validate()
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidPolicy)
			var pe *PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.field, pe.Field)
			assert.Contains(t, pe.Reason, tt.reason)
			assert.Contains(t, err.Error(), tt.field)
		})
	}
}

// A district's own extension window (here for 002 §6 (二) 1 (4) 协办: a request window of 10 working
// days, approved by the city leaders) may carry approvals and a cap like the preset windows of 004 §9,
// without being extendable itself.
func TestPolicyCustomExtensionWindow(t *testing.T) {
	const window Key = "extension_joint"
	p := Hebi12345()
	l, err := p.limit(ReplyJoint)
	require.NoError(t, err)
	l.ExtendTo, l.ExtensionWindow = 25, window
	p = p.With(l, Limit{Key: window, Label: "协办延期申请", Period: wd(10), ExtendTo: 25,
		WrittenReport: true, Approvals: []string{"市政府领导"}, Source: "district"})
	require.NoError(t, p.Validate())

	start := sh(2025, 9, 30, 10, 0)
	e, err := China().Extend(p, Stage{Key: ReplyJoint, Start: start}, 20, sh(2025, 10, 20, 9, 0))
	require.NoError(t, err)
	assert.True(t, e.WrittenReport)
	assert.Equal(t, []string{"市政府领导"}, e.Approvals)
	// 20 working days from 2025-09-30: 10-09 … 10-14 (5, with make-up Sat 10-11), … 11-04.
	assert.Equal(t, "2025-11-04", e.Due.LastDay.Format(time.DateOnly))

	// Not named as a window, the same limit is an ordinary limit that is not extendable.
	q := p.With(Limit{Key: "other", Label: "x", Period: wd(10), Approvals: []string{"x"}})
	err = q.Validate()
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "limits[4].approvals", pe.Field)
}

func TestPolicyLimitAndWith(t *testing.T) {
	p := StreetHotline()
	_, ok := p.Limit(ReplyJoint)
	assert.False(t, ok)
	_, err := p.limit(ReplyJoint)
	assert.ErrorIs(t, err, ErrNoLimit)
	assert.ErrorContains(t, err, `"street-hotline"`)

	// A district shortens first contact to the same day and adds the cause analysis of 003 六 (二).
	q := p.With(
		Limit{Key: FirstContact, Label: "先行联系", Period: sameDay, Source: "district"},
		Limit{Key: CauseAnalysis, Label: "当天原因分析", Period: sameDay, Source: "003 六 (二)"},
	)
	require.NoError(t, q.Validate())
	l, _ := q.Limit(FirstContact)
	assert.Equal(t, sameDay, l.Period)
	assert.Len(t, q.Limits, len(p.Limits)+1)
	l, _ = p.Limit(FirstContact)
	assert.Equal(t, wd(1), l.Period, "With leaves the original alone")
}

func FuzzParsePolicy(f *testing.F) {
	b, err := os.ReadFile("testdata/policy-street.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	for _, p := range Presets() {
		b, _ := json.Marshal(p)
		f.Add(b)
	}
	for _, s := range []string{`{}`, `{"name":"x"}`, `null`, `[]`, `{"name":"x","counting":{"cutoff":"9:00"}}`,
		`{"name":"x","limits":[{"key":"a","days":1,"unit":"same_day"}]}`, `{"name":"x","due_soon":{"days":1}}`,
		// Issue 9: huge counts, trailing data, duplicate and case-variant keys, a same-day extension.
		`{"name":"x","limits":[{"key":"a","days":9223372036854775807,"unit":"working_days"}]}`,
		`{"name":"x","limits":[{"key":"a","days":1,"unit":"working_days","extendable":true,"extend_to":9223372036854775807}]}`,
		`{"name":"x","due_soon":{"days":9223372036854775807,"unit":"calendar_days"},"limits":[]}`,
		`{"name":"x","limits":[{"key":"a","unit":"same_day","extendable":true}]}`,
		`{"name":"x","limits":[]}}`, `{"name":"x","NAME":"y","limits":[]}`, `{"name":"x","name":"y","limits":[]}`,
		`{"name":"x","limits":[{"key":"a","days":0,"unit":"working_days"}],"counting":{"business_close":"17:00"}}`} {
		f.Add([]byte(s))
	}
	c := China()
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy(data)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParsePolicy accepted a policy Validate refuses: %v", err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("marshal a parsed policy: %v", err)
		}
		q, err := ParsePolicy(b)
		if err != nil {
			t.Fatalf("re-parse %s: %v", b, err)
		}
		b2, _ := json.Marshal(q)
		if string(b) != string(b2) {
			t.Fatalf("round trip differs:\n%s\n%s", b, b2)
		}
		// Every limit of a valid policy yields a deadline after its start.
		start := time.Date(2025, 9, 30, 10, 0, 0, 0, Location())
		for _, l := range p.Limits {
			st, err := c.Status(p, Stage{Key: l.Key, Start: start}, start)
			if err != nil {
				t.Fatalf("%s: %v", l.Key, err)
			}
			if !st.Due.At.After(start) {
				t.Fatalf("%s: deadline %s not after the start", l.Key, st.Due.At)
			}
		}
	})
}

func TestPolicyErrorText(t *testing.T) {
	err := error(&PolicyError{Policy: "p", Field: "limits[0].days", Reason: "bad"})
	assert.Equal(t, `deadline: policy "p": limits[0].days: bad`, err.Error())
	assert.True(t, errors.Is(err, ErrInvalidPolicy))
	assert.False(t, strings.Contains(err.Error(), "%"))
}
