package repeat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func testMAC(t testing.TB) MAC {
	t.Helper()
	m, err := NewSM3MAC([]byte("a test key of 32 bytes, not real"))
	require.NoError(t, err)
	return m
}

func callerKey(t testing.TB, id string) CallerKey {
	t.Helper()
	k, err := CallerKeyOf(testMAC(t), id)
	require.NoError(t, err)
	return k
}

func newIndex(t testing.TB, mutate func(*Policy)) *Index {
	t.Helper()
	p := StreetHotline()
	if mutate != nil {
		mutate(&p)
	}
	x, err := NewIndex(p)
	require.NoError(t, err)
	return x
}

const (
	lampText   = "友谊路123弄门口的路灯坏了两个星期，晚上很黑，希望尽快修复。"
	lampAgain  = "友谊路123弄门口的路灯还是坏的，已经两个多星期，晚上很黑，请尽快修复！"
	noiseText  = "隔壁工地每天夜间施工到凌晨，噪音扰民严重，要求查处。"
	regionBS   = "310113"
	matterLamp = "city.lighting"
)

func TestCallerKeyOf(t *testing.T) {
	m := testMAC(t)
	a := callerKey(t, "13812345678")
	for _, same := range []string{"+86 138-1234-5678", "0086 13812345678", "１３８１２３４５６７８", "(138) 1234 5678"} {
		k, err := CallerKeyOf(m, same)
		require.NoError(t, err)
		assert.Equal(t, a, k, same)
	}
	assert.NotEqual(t, a, callerKey(t, "13812345679"))
	idUpper, idLower := callerKey(t, "11010519491231002X"), callerKey(t, "11010519491231002x")
	assert.Equal(t, idUpper, idLower)
	other, err := NewSM3MAC([]byte("another key of sixteen+ bytes"))
	require.NoError(t, err)
	k2, err := CallerKeyOf(other, "13812345678")
	require.NoError(t, err)
	assert.NotEqual(t, a, k2, "a different key gives a different caller key")
	assert.False(t, a.IsZero())
	assert.Len(t, a.String(), 64)
	assert.NotContains(t, a.String(), "12345678")

	_, err = CallerKeyOf(m, " - ")
	assert.ErrorIs(t, err, ErrNoCaller)
	_, err = NewSM3MAC([]byte("short"))
	assert.ErrorIs(t, err, ErrWeakKey)
}

// shortMAC stands for a provider (HSM, KMS) whose digest is shorter than 32 bytes.
type shortMAC struct{}

func (shortMAC) MAC(msg []byte) []byte { return []byte(fmt.Sprintf("%020x", len(msg)))[:20] }

func TestCallerKeyOfShortDigest(t *testing.T) {
	k, err := CallerKeyOf(shortMAC{}, "13812345678")
	require.NoError(t, err)
	assert.False(t, k.IsZero())
	assert.NotEqual(t, byte(0), k[31], "a digest shorter than a key is stretched, not zero-padded")
}

// 004 §12 (二) 2: a ticket repeated 3 times or more is supervised. The chain is the original and its
// repeats; the new ticket is repeat number Count.
func TestRepeatChainSupervision(t *testing.T) {
	x := newIndex(t, nil)
	caller := callerKey(t, "13812345678")
	rec := func(id string, day int, repeatOf string) Record {
		return Record{ID: id, Caller: caller, Region: regionBS, Matter: matterLamp,
			Received: t0.AddDate(0, 0, day), Text: lampAgain, RepeatOf: repeatOf}
	}
	orig := rec("T1", 0, "")
	orig.Text = lampText
	require.NoError(t, x.Add(orig))

	for i, want := range []struct {
		count      int
		supervised bool
	}{{1, false}, {2, false}, {3, true}, {4, true}} {
		c := rec(fmt.Sprintf("T%d", i+2), 3*(i+1), "")
		m, ok := x.Find(c, c.Received)
		require.True(t, ok, "repeat %d", i+1)
		assert.Equal(t, "T1", m.Original)
		assert.Equal(t, want.count, m.Count, "this is repeat number %d", i+1)
		assert.Equal(t, want.supervised, m.UnderSupervision, "repeat %d", i+1)
		assert.Equal(t, "004 §12 (二) 2", m.Source)
		assert.Contains(t, m.Why, "the same caller")
		c.RepeatOf = m.Matched
		require.NoError(t, x.Add(c))
	}
}

func TestRepeatSimilarity(t *testing.T) {
	x := newIndex(t, nil)
	caller := callerKey(t, "13812345678")
	require.NoError(t, x.Add(Record{ID: "T1", Caller: caller, Region: regionBS, Matter: matterLamp, Received: t0, Text: lampText}))
	same := Record{ID: "N", Caller: caller, Region: regionBS, Matter: matterLamp, Text: lampText}
	m, ok := x.Find(same, t0.Add(time.Hour))
	require.True(t, ok)
	assert.InDelta(t, 1.0, m.Similarity, 1e-9)

	// Width, punctuation and traditional characters do not change the similarity.
	same.Text = "友誼路１２３弄門口的路燈壞了兩個星期 晚上很黑 希望盡快修復"
	m, ok = x.Find(same, t0.Add(time.Hour))
	require.True(t, ok)
	assert.Greater(t, m.Similarity, 0.8)

	// Another demand by the same caller at the same place is a new ticket.
	same.Text = noiseText
	_, ok = x.Find(same, t0.Add(time.Hour))
	assert.False(t, ok)

	// A text with nothing left after normalising matches nothing.
	same.Text = "，。！"
	_, ok = x.Find(same, t0.Add(time.Hour))
	assert.False(t, ok)
}

// 004 §12 (二) 2 counts repeats of "the same ticket"; which tickets are the same is policy: the same
// caller, the same matter at the same place, both, or either.
func TestRepeatScopes(t *testing.T) {
	alice, bob := callerKey(t, "13812345678"), callerKey(t, "13987654321")
	earlier := Record{ID: "T1", Caller: alice, Region: regionBS, Matter: matterLamp, Received: t0, Text: lampText}
	tests := []struct {
		name  string
		scope Scope
		cand  Record
		found bool
	}{
		{"caller: same caller elsewhere", ScopeCaller, Record{Caller: alice, Region: "310101", Matter: "x", Text: lampAgain}, true},
		{"caller: other caller same place", ScopeCaller, Record{Caller: bob, Region: regionBS, Matter: matterLamp, Text: lampAgain}, false},
		{"caller_place: same caller elsewhere", ScopeCallerPlace, Record{Caller: alice, Region: "310101", Matter: matterLamp, Text: lampAgain}, false},
		{"caller_place: same caller other matter", ScopeCallerPlace, Record{Caller: alice, Region: regionBS, Matter: "x", Text: lampAgain}, false},
		{"caller_place: same caller same place", ScopeCallerPlace, Record{Caller: alice, Region: regionBS, Matter: matterLamp, Text: lampAgain}, true},
		{"place: other caller same place", ScopePlace, Record{Caller: bob, Region: regionBS, Matter: matterLamp, Text: lampAgain}, true},
		{"place: anonymous same place", ScopePlace, Record{Region: regionBS, Matter: matterLamp, Text: lampAgain}, true},
		{"place: same caller elsewhere", ScopePlace, Record{Caller: alice, Region: "310101", Matter: matterLamp, Text: lampAgain}, false},
		{"place: no matter code", ScopePlace, Record{Caller: bob, Region: regionBS, Text: lampAgain}, false},
		{"caller_or_place: same caller elsewhere", ScopeCallerOrPlace, Record{Caller: alice, Region: "310101", Matter: "x", Text: lampAgain}, true},
		{"caller_or_place: other caller same place", ScopeCallerOrPlace, Record{Caller: bob, Region: regionBS, Matter: matterLamp, Text: lampAgain}, true},
		{"caller_or_place: other caller elsewhere", ScopeCallerOrPlace, Record{Caller: bob, Region: "310101", Matter: matterLamp, Text: lampAgain}, false},
		{"caller: anonymous matches no caller", ScopeCaller, Record{Region: regionBS, Matter: matterLamp, Text: lampAgain}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newIndex(t, func(p *Policy) { p.Scope = tt.scope })
			require.NoError(t, x.Add(earlier))
			tt.cand.ID = "N"
			m, ok := x.Find(tt.cand, t0.AddDate(0, 0, 1))
			assert.Equal(t, tt.found, ok)
			if ok {
				assert.Equal(t, "T1", m.Original)
			}
		})
	}
}

func TestRepeatWindow(t *testing.T) {
	x := newIndex(t, func(p *Policy) { p.WindowDays = 30 })
	caller := callerKey(t, "13812345678")
	require.NoError(t, x.Add(Record{ID: "T1", Caller: caller, Received: t0, Text: lampText}))
	c := Record{ID: "N", Caller: caller, Text: lampAgain}
	_, ok := x.Find(c, t0.AddDate(0, 0, 30))
	assert.True(t, ok, "on the window's last day")
	_, ok = x.Find(c, t0.AddDate(0, 0, 30).Add(time.Second))
	assert.False(t, ok, "after the window")
	_, ok = x.Find(c, t0.Add(-time.Second))
	assert.False(t, ok, "a ticket received after now is not earlier")
	c.ID = "T1"
	_, ok = x.Find(c, t0.AddDate(0, 0, 1))
	assert.False(t, ok, "a ticket does not repeat itself")
}

func TestRepeatAddErrors(t *testing.T) {
	x := newIndex(t, nil)
	require.NoError(t, x.Add(Record{ID: "T1", Received: t0, Text: lampText}))
	for _, r := range []Record{
		{ID: ""},
		{ID: "T1"},
		{ID: "T2", RepeatOf: "T0"},
	} {
		err := x.Add(r)
		assert.ErrorIs(t, err, ErrInvalidRecord, "%+v", r)
	}
	assert.Equal(t, 1, x.Len())
}

func TestRepeatPruneAndContacts(t *testing.T) {
	x := newIndex(t, nil)
	caller := callerKey(t, "13812345678")
	for i := range 5 {
		r := Record{ID: fmt.Sprint("T", i), Caller: caller, Region: regionBS, Matter: matterLamp,
			Received: t0.AddDate(0, 0, 10*i), Text: lampText}
		if i > 0 {
			r.RepeatOf = "T0"
		}
		require.NoError(t, x.Add(r))
	}
	assert.Equal(t, 5, x.Contacts(caller, t0, t0.AddDate(0, 0, 40)))
	assert.Equal(t, 2, x.Contacts(caller, t0.AddDate(0, 0, 25), t0.AddDate(0, 0, 40)))
	assert.Equal(t, 0, x.Contacts(CallerKey{}, t0, t0.AddDate(0, 0, 40)))

	assert.Equal(t, 2, x.Prune(t0.AddDate(0, 0, 15)))
	assert.Equal(t, 3, x.Len())
	m, ok := x.Find(Record{ID: "N", Caller: caller, Text: lampText}, t0.AddDate(0, 0, 41))
	require.True(t, ok)
	assert.Equal(t, "T0", m.Original, "the chain keeps its original after the original is pruned")
	assert.Equal(t, 5, m.Count, "and its count")
	require.NoError(t, x.Add(Record{ID: "T5", Caller: caller, Received: t0.AddDate(0, 0, 41), Text: lampText, RepeatOf: "T4"}))

	assert.Equal(t, 4, x.Prune(t0.AddDate(0, 0, 100)))
	assert.Empty(t, x.chains, "a chain with no ticket left is forgotten")
}

// 000 第十条, 004 第十六条: the index holds keyed hashes and n-gram signatures, never a phone number or a text.
func TestIndexHoldsNoPlaintext(t *testing.T) {
	x := newIndex(t, nil)
	require.NoError(t, x.Add(Record{ID: "T1", Caller: callerKey(t, "13812345678"), Received: t0, Text: lampText}))
	dump := fmt.Sprintf("%+v", *x)
	assert.NotContains(t, dump, "13812345678")
	assert.NotContains(t, dump, "路灯")
}

func TestRepeatPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Policy)
		field  string
	}{
		{"name", func(p *Policy) { p.Name = "" }, "name"},
		{"window", func(p *Policy) { p.WindowDays = 0 }, "window_days"},
		{"scope", func(p *Policy) { p.Scope = "anyone" }, "scope"},
		{"n low", func(p *Policy) { p.N = 0 }, "n:"},
		{"n high", func(p *Policy) { p.N = 5 }, "n:"},
		{"threshold zero", func(p *Policy) { p.Threshold = 0 }, "threshold"},
		{"threshold above one", func(p *Policy) { p.Threshold = 1.5 }, "threshold"},
		{"supervision", func(p *Policy) { p.SupervisionAt = -1 }, "supervision_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := StreetHotline()
			tt.mutate(&p)
			err := p.Validate()
			require.ErrorIs(t, err, ErrInvalidPolicy)
			assert.Contains(t, err.Error(), tt.field)
			var pe *PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, strings.TrimSuffix(tt.field, ":"), pe.Field)
			_, err = NewIndex(p)
			assert.ErrorIs(t, err, ErrInvalidPolicy)
		})
	}
	require.NoError(t, StreetHotline().Validate())
}

func TestRepeatScopeLabel(t *testing.T) {
	for _, sc := range []Scope{ScopeCaller, ScopeCallerPlace, ScopePlace, ScopeCallerOrPlace} {
		assert.NotEmpty(t, sc.Label(), sc)
	}
	assert.Equal(t, "同一来电人或同一地点同一事项", StreetHotline().Scope.Label())
	assert.Equal(t, "未知(anyone)", Scope("anyone").Label())
	_, err := ParseScope("anyone")
	assert.ErrorIs(t, err, ErrInvalidEnum)
	assert.Equal(t, []Scope{ScopeCaller, ScopeCallerPlace, ScopePlace, ScopeCallerOrPlace}, Scopes())
}

// Every loader runs the module's shared table of malformed inputs.
func TestParsePolicyRefusesMalformed(t *testing.T) {
	good, err := json.Marshal(StreetHotline())
	require.NoError(t, err)
	for _, c := range strictjsontest.Cases(good, MaxPolicyBytes) {
		t.Run(c.Name, func(t *testing.T) {
			_, err := ParsePolicy(c.Input)
			require.ErrorIs(t, err, ErrInvalidPolicy)
			assert.ErrorIs(t, err, ErrMalformed)
			_, err = ReadPolicy(bytes.NewReader(c.Input))
			require.ErrorIs(t, err, ErrInvalidPolicy)
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
}

func TestParseRepeatPolicy(t *testing.T) {
	data, err := json.Marshal(StreetHotline())
	require.NoError(t, err)
	p, err := ParsePolicy(data)
	require.NoError(t, err)
	assert.Equal(t, StreetHotline(), p)
	_, err = ParsePolicy([]byte(`{"name":"x","window":3}`))
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	_, err = ParsePolicy(append(data, data...))
	assert.ErrorIs(t, err, ErrInvalidPolicy)
}

// Model test: over random sequences of adds and lookups, the bucketed Find agrees with the linear
// baseline that compares with every ticket, for every scope.
func TestRepeatFindMatchesLinear(t *testing.T) {
	for _, scope := range []Scope{ScopeCaller, ScopeCallerPlace, ScopePlace, ScopeCallerOrPlace} {
		t.Run(string(scope), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(42, uint64(len(scope))))
			x := newIndex(t, func(p *Policy) { p.Scope = scope; p.WindowDays = 10; p.Threshold = 0.4 })
			phrases := []string{lampText, lampAgain, noiseText, "小区垃圾无人清运，气味很大", "公交班次太少，等车一小时"}
			callers := []CallerKey{{}, {1}, {2}, {3}}
			regions, matters := []string{"", "310113", "310101"}, []string{"", "a", "b"}
			now := t0
			for i := range 400 {
				now = now.Add(time.Duration(rng.IntN(12)) * time.Hour)
				r := Record{
					ID: fmt.Sprint("T", i), Caller: callers[rng.IntN(len(callers))],
					Region: regions[rng.IntN(len(regions))], Matter: matters[rng.IntN(len(matters))],
					Received: now, Text: phrases[rng.IntN(len(phrases))] + strings.Repeat("再", rng.IntN(3)),
				}
				got, gotOK := x.Find(r, now)
				want, wantOK := linearFind(x, r, now)
				require.Equal(t, wantOK, gotOK, "step %d", i)
				if gotOK {
					assert.Equal(t, want.Original, got.Original)
					assert.Equal(t, want.Matched, got.Matched)
					assert.Equal(t, want.Count, got.Count)
					assert.InDelta(t, want.Similarity, got.Similarity, 1e-12)
					r.RepeatOf = got.Matched
				}
				require.NoError(t, x.Add(r))
				if i%100 == 99 {
					x.Prune(now.AddDate(0, 0, -5))
				}
			}
		})
	}
}

func FuzzParseRepeatPolicy(f *testing.F) {
	data, _ := json.Marshal(StreetHotline())
	f.Add(string(data))
	f.Add(`{"name":"x","version":"1","window_days":1,"scope":"place","n":1,"threshold":1}`)
	f.Add(`{"threshold":NaN}`)
	// Huge counts that once validated and never matched (issue 9), and the shared malformed inputs.
	f.Add(`{"name":"x","version":"1","window_days":9223372036854775807,"scope":"place","n":2,"threshold":0.5}`)
	f.Add(`{"name":"x","version":"1","window_days":90,"scope":"place","n":2,"threshold":0.5,"supervision_at":9223372036854775807}`)
	for _, c := range strictjsontest.Cases(data, 0) {
		f.Add(string(c.Input))
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePolicy([]byte(s))
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidPolicy)
			return
		}
		x, err := NewIndex(p)
		require.NoError(t, err)
		require.NoError(t, x.Add(Record{ID: "a", Caller: CallerKey{1}, Region: "r", Matter: "m", Received: t0, Text: s}))
		x.Find(Record{ID: "b", Caller: CallerKey{1}, Region: "r", Matter: "m", Text: s}, t0)
	})
}

// FuzzRepeatFind compares the bucketed lookup with the linear baseline on arbitrary texts.
func FuzzRepeatFind(f *testing.F) {
	f.Add(lampText, lampAgain, uint8(2))
	f.Add("", "", uint8(1))
	f.Add("甲", "甲乙", uint8(4))
	f.Fuzz(func(t *testing.T, a, b string, n uint8) {
		x := newIndex(t, func(p *Policy) { p.N = 1 + int(n%4) })
		require.NoError(t, x.Add(Record{ID: "a", Caller: CallerKey{1}, Region: "r", Matter: "m", Received: t0, Text: a}))
		c := Record{ID: "b", Caller: CallerKey{1}, Region: "r", Matter: "m", Text: b}
		got, ok := x.Find(c, t0)
		want, wok := linearFind(x, c, t0)
		require.Equal(t, wok, ok)
		if ok {
			require.Equal(t, want.Similarity, got.Similarity)
			require.True(t, got.Similarity >= x.policy.Threshold && got.Similarity <= 1)
		}
	})
}

// FuzzCallerKey: a caller key never panics, is the key of the normalised form, and ignores every
// separator and digit script (issue 9: "138.1234.5678", Arabic-Indic, mathematical digits).
func FuzzCallerKey(f *testing.F) {
	for _, s := range []string{"13812345678", "138.1234.5678", "١٣٨١٢٣٤٥٦٧٨", "𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "+86 (138) 1234-5678",
		"11010519491231002x", "138\u200b1234\u00ad5678", "", "\xff", "．．"} {
		f.Add(s)
	}
	m := testMAC(f)
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeCaller(s)
		require.Equal(t, n, NormalizeCaller(n), "normalising is idempotent")
		k, err := CallerKeyOf(m, s)
		if n == "" {
			require.ErrorIs(t, err, ErrNoCaller)
			return
		}
		require.NoError(t, err)
		k2, err := CallerKeyOf(m, n)
		require.NoError(t, err)
		require.Equal(t, k, k2)
		for _, r := range n {
			require.True(t, r >= '0' && r <= '9' || unicode.IsLetter(r), "%q in %q", r, n)
		}
	})
}

func TestPresets(t *testing.T) {
	for _, p := range Presets() {
		require.NoError(t, p.Validate(), p.Name)
		got, err := Preset(p.Name)
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	assert.Equal(t, []Policy{StreetHotline()}, Presets())
	_, err := Preset("atlantis")
	assert.ErrorIs(t, err, ErrUnknownPreset)
}
