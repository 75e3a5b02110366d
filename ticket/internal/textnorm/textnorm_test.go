package textnorm

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	rs, offs := Runes(s, nil, nil)
	assert.Equal(t, []rune("a颠覆"), rs)
	assert.Equal(t, []int32{0, 6, 10}, offs)
}

