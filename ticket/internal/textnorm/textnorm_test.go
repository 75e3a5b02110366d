package textnorm

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
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

// Issue 9: a CJK radical (CJK Radicals Supplement, Kangxi Radicals) folds to the unified ideograph it
// stands for, so that ⺠族分裂 is 民族分裂. Every mapped radical lands on a unified ideograph outside
// the radical blocks, and for the Kangxi block the table agrees with Unicode's compatibility
// decomposition (NFKC).
func TestRadicals(t *testing.T) {
	assert.Equal(t, "民族分裂", String("⺠族分裂"))
	assert.Equal(t, "人民", String("⼈⺠"))
	assert.Equal(t, "车", String("⾞"), "a radical whose ideograph is traditional folds on to the simplified form")
	mapped := 0
	for r := rune(0x2E80); r <= 0x2FDF; r++ {
		u, ok := Radical(r)
		if !ok {
			continue
		}
		mapped++
		require.True(t, unicode.Is(unicode.Han, u), "U+%04X → U+%04X is not a Han ideograph", r, u)
		require.False(t, u >= 0x2E80 && u <= 0x2FDF, "U+%04X → U+%04X is itself a radical", r, u)
		require.GreaterOrEqual(t, Fold(r), rune(0), "U+%04X is kept", r)
		if r >= 0x2F00 && r <= 0x2FD5 {
			assert.Equal(t, string(u), norm.NFKC.String(string(r)), "U+%04X", r)
		}
	}
	assert.Greater(t, mapped, 300, "both blocks are covered")
	for _, r := range []rune{0x2E7F, 0x2FE0, 'a', '民'} {
		_, ok := Radical(r)
		assert.False(t, ok, "U+%04X is not a radical", r)
	}
}

func TestRunesOffsets(t *testing.T) {
	rs, offs := Runes("Ａ，颠 ⺠", nil, nil)
	assert.Equal(t, []rune("a颠民"), rs)
	assert.Equal(t, []int32{0, 6, 10}, offs)
}

// The table Fold reads for the Basic Multilingual Plane is the computed fold, rune for rune.
func TestFoldTable(t *testing.T) {
	for r := rune(-1); r <= 0x10FFFF+1; r++ {
		if r >= 0x10000 && r%97 != 0 { // every BMP rune, a sample above
			continue
		}
		require.Equal(t, fold(r), Fold(r), "U+%04X", r)
	}
}
