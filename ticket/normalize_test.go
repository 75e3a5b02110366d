package ticket

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"full-width ASCII", "ＡＢＣ１２３", "abc123"},
		{"ideographic space and punctuation", "颠　覆，国家！", "颠覆国家"},
		{"ASCII spaces and symbols", "颠 覆-国/家 @#", "颠覆国家"},
		{"zero-width characters", "颠\u200b覆\u200d国\ufeff家\u2060", "颠覆国家"},
		{"traditional to simplified", "顛覆國家 民族團結", "颠覆国家民族团结"},
		{"lower case", "ABC Def", "abcdef"},
		{"quotes and brackets", "“信访”【事项】《办法》", "信访事项办法"},
		{"invalid UTF-8 dropped", "信\xff访", "信访"},
		{"emoji dropped", "好😀评", "好评"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, Normalize(tt.in)) })
	}
}

// The traditional→simplified table maps each character once, never to itself, and never to a
// character it also maps (which would make the result depend on the order of folding).
func TestTradToSimpTable(t *testing.T) {
	require.Equal(t, 0, utf8.RuneCountInString(tradToSimpPairs)%2)
	seen := map[rune]bool{}
	prev := rune(-1)
	for _, r := range tradToSimpPairs {
		if prev < 0 {
			require.False(t, seen[r], "%c listed twice", r)
			seen[r] = true
			prev = r
			continue
		}
		require.NotEqual(t, prev, r, "%c maps to itself", r)
		prev = -1
	}
	for tr, s := range tradToSimp {
		_, chained := tradToSimp[s]
		require.False(t, chained, "%c → %c is itself mapped", tr, s)
	}
	assert.Greater(t, len(tradToSimp), 500)
}

func TestNormalizeRunesOffsets(t *testing.T) {
	s := "Ａ，颠 覆"
	rs, offs := normalizeRunes(s, nil, nil)
	assert.Equal(t, []rune("a颠覆"), rs)
	assert.Equal(t, []int32{0, 6, 10}, offs)
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"颠　覆，國家", "ＡＢＣ", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		require.True(t, utf8.ValidString(n))
		require.Equal(t, n, Normalize(n), "normalising is idempotent")
		rs, offs := normalizeRunes(s, nil, nil)
		require.Equal(t, n, string(rs))
		require.Len(t, offs, len(rs))
	})
}
