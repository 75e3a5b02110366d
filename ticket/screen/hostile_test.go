package screen

import (
	"time"

	"strings"
	"testing"

	"github.com/hotline12345/hotline/deadline"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 9: the zero Screener (and a nil one) is refused with a clear error, never a panic.
func TestZeroScreenerRefused(t *testing.T) {
	for name, s := range map[string]*Screener{"zero": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			var r Result
			var err error
			require.NotPanics(t, func() { r, err = s.Screen(okItem()) })
			require.ErrorIs(t, err, ErrNotBuilt)
			assert.Equal(t, Result{}, r)
			require.NotPanics(t, func() { _, _ = s.Policy(), s.Words() })
		})
	}
}

// Issue 9; 002 §5 (一): a listed word spelt with a CJK radical twin (⺠ U+2EA0 for 民, ⼈ U+2F08 for
// 人) is still the word.
func TestScreenRadicalTwins(t *testing.T) {
	s := hebi(t)
	for _, text := range []string{"有人在搞⺠族分裂活动", "有人在搞民族分裂活动", "有⼈要颠覆国家政权"} {
		in := okItem()
		in.Text = text
		r, err := s.Screen(in)
		require.NoError(t, err)
		require.Equal(t, Refuse, r.Outcome, text)
		assert.Equal(t, "security", strings.Split(r.Reasons[0].Code, ".")[0], text)
	}
}

// Issue 9: the zero Result's Due error says what is wrong instead of ending in an empty colon.
func TestZeroResultDueMessage(t *testing.T) {
	_, err := Result{}.Due(nil, deadline.StreetHotline(), time.Date(2026, 3, 2, 9, 0, 0, 0, deadline.Location()))
	require.ErrorIs(t, err, ErrNoDeadline)
	msg := err.Error()
	assert.False(t, strings.HasSuffix(strings.TrimSpace(msg), ":"), msg)
	assert.Contains(t, msg, "unset")
	_, err = Result{Outcome: Accept}.Due(nil, deadline.StreetHotline(), time.Date(2026, 3, 2, 9, 0, 0, 0, deadline.Location()))
	assert.Contains(t, err.Error(), `"accept"`)
	_, err = Result{Outcome: Refuse}.Due(nil, deadline.StreetHotline(), time.Date(2026, 3, 2, 9, 0, 0, 0, deadline.Location()))
	assert.ErrorIs(t, err, ErrNoCalendar, "a nil calendar is refused, not dereferenced")
}

// Issue 9: every int field of the policy is bounded, so that a huge value is refused instead of
// refusing every text (min_runes) or silently never firing (max_contacts).
func TestPolicyIntBounds(t *testing.T) {
	const maxInt = int(^uint(0) >> 1)
	for _, tt := range []struct {
		name  string
		set   func(*Policy)
		field string
	}{
		{"min_runes", func(p *Policy) { p.Categories[5].MinRunes = maxInt }, "categories[5].min_runes"},
		{"max_contacts", func(p *Policy) { p.Categories[7].MaxContacts = maxInt }, "categories[7].max_contacts"},
	} {
		p := Hebi()
		tt.set(&p)
		err := p.Validate()
		require.ErrorIs(t, err, ErrInvalidPolicy, tt.name)
		var pe *PolicyError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, tt.field, pe.Field)
	}
}

// Issue 9 (errors echo a 64 KB input whole): a policy error quotes at most a few bytes of what it
// refuses.
func TestPolicyErrorsDoNotEchoHugeInput(t *testing.T) {
	huge := strings.Repeat("X", 64<<10)
	for _, mutate := range []func(*Policy){
		func(p *Policy) { p.Categories[0].Code = huge },
		func(p *Policy) {
			p.Categories[0].Words = append(p.Categories[0].Words, "，"+huge+"，")
			p.Categories[0].Words[len(p.Categories[0].Words)-1] = strings.Repeat("，", 20000)
		},
		func(p *Policy) { p.Rules[0].Required = []Element{Element(huge)} },
		func(p *Policy) { p.Remit = []string{huge} },
		func(p *Policy) { p.Name = huge; p.Version = "" },
	} {
		p := Shanghai()
		mutate(&p)
		err := p.Validate()
		require.ErrorIs(t, err, ErrInvalidPolicy)
		assert.Less(t, len(err.Error()), 400, err.Error()[:min(len(err.Error()), 200)])
	}
}
