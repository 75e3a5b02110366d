package screen

import (
	"math/rand/v2"
	"slices"
	"testing"
	"unicode/utf8"

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

// Wide states and long failure chains (every symbol under "a", "ba" failing to it with as many
// edges of its own, "cba" failing to "ba"): the automaton still finds exactly what a naive scan
// finds.
func TestACMatcherWideStates(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	alphabet := []rune("abcdefghijklmnopqrstuvwxyz0123456789甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星")
	var pats [][]rune
	seen := map[string]bool{}
	add := func(p []rune) {
		if !seen[string(p)] {
			seen[string(p)] = true
			pats = append(pats, p)
		}
	}
	for _, c := range alphabet {
		add([]rune{'a', c})           // "a" has a child per symbol …
		add([]rune{'b', 'a', c, 'z'}) // … and "ba" fails to it with as many children of its own
		add([]rune{'c', 'b', 'a', c}) // a deeper chain through the same wide states
	}
	m := newMatcher(pats)
	for round := range 200 {
		text := make([]rune, 50+rng.IntN(200))
		for i := range text {
			text[i] = alphabet[rng.IntN(4+round%(len(alphabet)-4))]
		}
		var got []occurrence
		m.scan(text, func(p, end int) { got = append(got, occurrence{p, end}) })
		require.Equal(t, sorted(naiveMatches(pats, text)), sorted(got), "round %d", round)
	}
}

// valid3 agrees with the standard library on every three-byte sequence led by E0–EF.
func TestValid3(t *testing.T) {
	for c0 := 0xE0; c0 <= 0xEF; c0++ {
		for c1 := range 256 {
			for _, c2 := range []int{0x00, 0x7F, 0x80, 0x9F, 0xA0, 0xBD, 0xBF, 0xC0, 0xFF} {
				b := string([]byte{byte(c0), byte(c1), byte(c2)})
				r, size := utf8.DecodeRuneInString(b)
				want := size == 3 && (r != utf8.RuneError || b == "\uFFFD")
				require.Equal(t, want, valid3(byte(c0), byte(c1), byte(c2)), "% x", b)
			}
		}
	}
}
