package screen

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type occurrence struct{ pat, end int }

func naiveMatches(pats [][]rune, text []rune) []occurrence {
	var out []occurrence
	for end := 1; end <= len(text); end++ {
		for p, pat := range pats {
			if len(pat) <= end && slices.Equal(text[end-len(pat):end], pat) {
				out = append(out, occurrence{p, end})
			}
		}
	}
	return out
}

func sorted(o []occurrence) []occurrence {
	slices.SortFunc(o, func(a, b occurrence) int {
		if a.end != b.end {
			return a.end - b.end
		}
		return a.pat - b.pat
	})
	return o
}

func TestACMatcherClassic(t *testing.T) {
	pats := [][]rune{[]rune("he"), []rune("she"), []rune("his"), []rune("hers")}
	m := newMatcher(pats)
	var got []occurrence
	m.scan([]rune("ushers"), func(p, end int) { got = append(got, occurrence{p, end}) })
	assert.Equal(t, []occurrence{{0, 4}, {1, 4}, {3, 6}}, sorted(got))
}

// The automaton finds exactly what a naive scan finds, on random small alphabets (where overlaps and
// failure links are everywhere), including runes outside the Basic Multilingual Plane.
func TestACMatcherAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(12345, 1))
	alphabet := []rune("信访纪委复议诉讼ab𠀀")
	for round := range 300 {
		seen := map[string]bool{}
		var pats [][]rune
		for range 1 + rng.IntN(20) {
			p := make([]rune, 1+rng.IntN(4))
			for i := range p {
				p[i] = alphabet[rng.IntN(3+round%(len(alphabet)-2))]
			}
			if !seen[string(p)] {
				seen[string(p)] = true
				pats = append(pats, p)
			}
		}
		text := make([]rune, rng.IntN(60))
		for i := range text {
			text[i] = alphabet[rng.IntN(len(alphabet))]
		}
		m := newMatcher(pats)
		var got []occurrence
		m.scan(text, func(p, end int) { got = append(got, occurrence{p, end}) })
		require.Equal(t, sorted(naiveMatches(pats, text)), sorted(got), "round %d", round)
	}
}

func TestACMatcherNoPatterns(t *testing.T) {
	m := newMatcher(nil)
	m.scan([]rune("任何文本"), func(int, int) { t.Fatal("no pattern can match") })
}
