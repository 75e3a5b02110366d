package repeat

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 9; 004 §12 (二) 2: after Prune drops the original A of a chain A←B, a third ticket C still
// joins the chain by the Original that Find reports, and the fourth reaches supervision.
func TestPrunedOriginalKeepsChain(t *testing.T) {
	x, err := NewIndex(StreetHotline())
	require.NoError(t, err)
	caller := callerKey(t, "13800000000")
	text := "友谊路门口的路灯坏了，晚上很黑，希望尽快修复。"
	rec := func(id string, day int) Record {
		return Record{ID: id, Caller: caller, Region: "310113", Matter: "city.lighting", Received: t0.AddDate(0, 0, day), Text: text}
	}
	require.NoError(t, x.Add(rec("A", 0)))
	b := rec("B", 30)
	m, ok := x.Find(b, b.Received)
	require.True(t, ok)
	b.RepeatOf = m.Original
	require.NoError(t, x.Add(b))

	assert.Equal(t, 1, x.Prune(t0.AddDate(0, 0, 10)), "A is dropped")
	c := rec("C", 60)
	m, ok = x.Find(c, c.Received)
	require.True(t, ok)
	assert.Equal(t, "A", m.Original, "the chain is still A's")
	assert.Equal(t, "B", m.Matched)
	assert.Equal(t, 2, m.Count)
	c.RepeatOf = m.Original
	require.NoError(t, x.Add(c), "the documented link by Original works after A is pruned")

	d := rec("D", 70)
	m, ok = x.Find(d, d.Received)
	require.True(t, ok)
	assert.Equal(t, "A", m.Original)
	assert.Equal(t, 3, m.Count)
	assert.True(t, m.UnderSupervision, "the third repeat is supervised (004 §12 (二) 2)")
	d.RepeatOf = m.Matched
	require.NoError(t, x.Add(d))

	// A ticket may not reuse the ID of a pruned original whose chain is still indexed.
	err = x.Add(rec("A", 71))
	require.ErrorIs(t, err, ErrInvalidRecord)

	// Once the whole chain is pruned, its original is forgotten.
	x.Prune(t0.AddDate(0, 0, 100))
	err = x.Add(Record{ID: "E", RepeatOf: "A", Received: t0.AddDate(0, 0, 101), Text: text})
	require.ErrorIs(t, err, ErrInvalidRecord)
}

// Issue 9: every int field of the policy is bounded; WindowDays = MaxInt used to validate and never
// match.
func TestPolicyIntBounds(t *testing.T) {
	for _, tt := range []struct {
		name  string
		set   func(*Policy)
		field string
	}{
		{"version", func(p *Policy) { p.Version = " " }, "version"},
		{"window max", func(p *Policy) { p.WindowDays = math.MaxInt }, "window_days"},
		{"window min", func(p *Policy) { p.WindowDays = 0 }, "window_days"},
		{"n", func(p *Policy) { p.N = math.MaxInt }, "n"},
		{"supervision max", func(p *Policy) { p.SupervisionAt = math.MaxInt }, "supervision_at"},
		{"supervision min", func(p *Policy) { p.SupervisionAt = -1 }, "supervision_at"},
		{"threshold NaN", func(p *Policy) { p.Threshold = math.NaN() }, "threshold"},
	} {
		p := StreetHotline()
		tt.set(&p)
		err := p.Validate()
		require.ErrorIs(t, err, ErrInvalidPolicy, tt.name)
		var pe *PolicyError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, tt.field, pe.Field, tt.name)
	}
	// The largest window allowed works.
	p := StreetHotline()
	p.WindowDays = MaxWindowDays
	x, err := NewIndex(p)
	require.NoError(t, err)
	caller := callerKey(t, "13800000000")
	a := Record{ID: "A", Caller: caller, Received: t0, Text: "路灯坏了很久希望尽快修复"}
	require.NoError(t, x.Add(a))
	_, ok := x.Find(Record{ID: "B", Caller: caller, Text: a.Text}, t0.AddDate(0, 0, MaxWindowDays-1))
	assert.True(t, ok)
}

// Issue 9: the caller key folds any decimal digit script and drops separators, so the same number
// written differently is the same caller.
func TestCallerKeyFoldsDigitsAndSeparators(t *testing.T) {
	m := testMAC(t)
	want, err := CallerKeyOf(m, "13812345678")
	require.NoError(t, err)
	for _, s := range []string{
		"138.1234.5678", "138–1234—5678", "138\u20101234\u22125678", "138,1234/5678_", "138．1234．5678",
		"138\t1234\n5678", "138\u200b1234\u00ad5678", "+86 138 1234 5678", "0086-138-1234-5678",
		"１３８１２３４５６７８", "\U0001D7CF\U0001D7D1\U0001D7D6\U0001D7CF\U0001D7D0\U0001D7D1\U0001D7D2\U0001D7D3\U0001D7D4\U0001D7D5\U0001D7D6",
		"١٣٨١٢٣٤٥٦٧٨", "(138) 1234-5678",
	} {
		got, err := CallerKeyOf(m, s)
		require.NoError(t, err, s)
		assert.Equal(t, want, got, "%q", s)
	}
	other, err := CallerKeyOf(m, "13812345679")
	require.NoError(t, err)
	assert.NotEqual(t, want, other)
	_, err = CallerKeyOf(m, " .-– ")
	assert.ErrorIs(t, err, ErrNoCaller)
}

type constMAC []byte

func (c constMAC) MAC([]byte) []byte { return c }

// Issue 9: a MAC that returns an empty or short digest would give every caller one key: refused.
func TestShortDigestRefused(t *testing.T) {
	for _, m := range []MAC{constMAC(nil), constMAC{}, constMAC("short")} {
		_, err := CallerKeyOf(m, "13812345678")
		require.ErrorIs(t, err, ErrShortDigest)
	}
	_, err := CallerKeyOf(nil, "13812345678")
	require.ErrorIs(t, err, ErrShortDigest)
	k, err := CallerKeyOf(constMAC("sixteen bytes ok"), "13812345678")
	require.NoError(t, err)
	assert.False(t, k.IsZero())
}

// The zero Index is refused with an error, never a panic.
func TestZeroIndexRefused(t *testing.T) {
	var x Index
	require.NotPanics(t, func() {
		err := x.Add(Record{ID: "A", Text: "路灯坏了", Received: t0})
		require.ErrorIs(t, err, ErrNotBuilt)
		_, ok := x.Find(Record{ID: "B", Text: "路灯坏了"}, t0)
		assert.False(t, ok)
		assert.Zero(t, x.Contacts(callerKey(t, "13800000000"), t0, t0))
		assert.Zero(t, x.Prune(t0))
		assert.Zero(t, x.Len())
	})
	var nilIndex *Index
	require.NotPanics(t, func() {
		require.ErrorIs(t, nilIndex.Add(Record{ID: "A"}), ErrNotBuilt)
		_, ok := nilIndex.Find(Record{ID: "B", Text: "路灯坏了"}, t0)
		assert.False(t, ok)
		assert.Zero(t, nilIndex.Len())
		assert.Zero(t, nilIndex.Prune(t0))
		assert.Zero(t, nilIndex.Contacts(CallerKey{1}, t0, t0))
		assert.Equal(t, Policy{}, nilIndex.Policy())
	})
}

// digitValue relies on Unicode encoding every decimal digit set as ten consecutive code points from
// its zero: each Nd range of the table has stride 1 and a multiple of ten members.
func TestDigitRanges(t *testing.T) {
	for _, rg := range unicode.Nd.R16 {
		require.EqualValues(t, 1, rg.Stride)
		require.Zero(t, (int(rg.Hi)-int(rg.Lo)+1)%10, "U+%04X–U+%04X", rg.Lo, rg.Hi)
	}
	for _, rg := range unicode.Nd.R32 {
		require.EqualValues(t, 1, rg.Stride)
		require.Zero(t, (int(rg.Hi)-int(rg.Lo)+1)%10, "U+%04X–U+%04X", rg.Lo, rg.Hi)
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsDigit(r) {
			d, ok := digitValue(r)
			require.True(t, ok)
			require.Less(t, d, 10)
		}
	}
	d, _ := digitValue('٧')
	assert.Equal(t, 7, d)
}

// Model test of the chain bookkeeping (004 §12 (二) 2) under random adds, links and prunes: a plain
// model keeps every ticket's original and every chain's count; the index must report the same
// Original and Count for whatever it matches, accept a RepeatOf exactly when the model knows the
// ticket or the chain, and refuse an ID that is live or the original of a live chain.
func TestChainModel(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 99))
		p := StreetHotline()
		p.WindowDays, p.Threshold = 30, 0.4
		x, err := NewIndex(p)
		require.NoError(t, err)
		root := map[string]string{}        // ticket → original of its chain
		total := map[string]int{}          // original → tickets ever added to the chain
		received := map[string]time.Time{} // live tickets
		liveRoot := func(r string) bool {  // the chain still has a ticket indexed
			for id := range received {
				if root[id] == r {
					return true
				}
			}
			return false
		}
		phrases := []string{"友谊路门口的路灯坏了，晚上很黑，希望尽快修复", "小区垃圾无人清运，气味很大，请处理", "公交班次太少，等车一小时，请增加班次"}
		callers := []CallerKey{{1}, {2}}
		now := t0
		for i := range 300 {
			now = now.Add(time.Duration(rng.IntN(48)) * time.Hour)
			if rng.IntN(15) == 0 {
				cutoff := now.AddDate(0, 0, -rng.IntN(20))
				x.Prune(cutoff)
				for id, at := range received {
					if at.Before(cutoff) {
						delete(received, id)
					}
				}
				continue
			}
			r := Record{ID: fmt.Sprint("T", i), Caller: callers[rng.IntN(len(callers))], Received: now,
				Text: phrases[rng.IntN(len(phrases))]}
			m, found := x.Find(r, now)
			if found {
				require.Contains(t, received, m.Matched, "step %d: only live tickets match", i)
				require.Equal(t, root[m.Matched], m.Original, "step %d", i)
				require.Equal(t, total[m.Original], m.Count, "step %d", i)
			}
			switch k := rng.IntN(4); {
			case found && k == 0:
				r.RepeatOf = m.Matched
			case found && k == 1:
				r.RepeatOf = m.Original
			case k == 2 && len(root) > 0: // any ticket ever seen, live or not
				ids := make([]string, 0, len(root))
				for id := range root {
					ids = append(ids, id)
				}
				slices.Sort(ids)
				r.RepeatOf = ids[rng.IntN(len(ids))]
			}
			err := x.Add(r)
			_, live := received[r.RepeatOf]
			if r.RepeatOf != "" && !live && !(root[r.RepeatOf] == r.RepeatOf && liveRoot(r.RepeatOf)) {
				require.ErrorIs(t, err, ErrInvalidRecord, "step %d: %s is gone", i, r.RepeatOf)
				continue
			}
			require.NoError(t, err, "step %d", i)
			orig := r.ID
			if r.RepeatOf != "" {
				orig = root[r.RepeatOf]
			}
			root[r.ID], received[r.ID] = orig, now
			total[orig]++
			// Reusing a live ID, or the original of a live chain, is refused.
			if rng.IntN(10) == 0 {
				for id := range received {
					require.ErrorIs(t, x.Add(Record{ID: id, Received: now, Text: "重复"}), ErrInvalidRecord)
					break
				}
			}
		}
	}
}
