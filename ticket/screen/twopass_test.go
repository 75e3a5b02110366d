package screen

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hotline12345/hotline/ticket/internal/textnorm"
	"github.com/stretchr/testify/require"
)

// screenTwoPass is Screener.Screen as it was before normalisation was folded into the scan:
// normalise the whole text into runes with their byte offsets, then run the automaton over the
// runes. The differential tests check that the one-pass Screen gives exactly its results.
func screenTwoPass(s *Screener, in Input) (Result, error) {
	if s == nil || s.m == nil {
		return Result{}, ErrNotBuilt
	}
	p := &s.policy
	ri := slices.IndexFunc(p.Rules, func(r Rule) bool { return r.matches(in.Channel, in.Kind) })
	if ri < 0 { // New validated that the last rule matches everything
		return Result{}, fmt.Errorf("%w: no rule matches channel %v, kind %v", ErrNotBuilt, in.Channel, in.Kind)
	}
	rule := p.Rules[ri]

	runes, offs := textnorm.Runes(in.Text, make([]rune, 0, len(in.Text)/2+8), make([]int32, 0, len(in.Text)/2+8))
	cats := make([]catHits, len(p.Categories))
	hitIdx := map[[2]int]int{} // (category, pattern) → index in that category's hits
	s.m.scan(runes, func(pat, end int) {
		start := end - utf8.RuneCountInString(s.words[pat])
		for _, ref := range s.refs[pat] {
			c := &cats[ref.cat]
			if ref.require {
				c.require = true
				continue
			}
			k := [2]int{int(ref.cat), pat}
			if i, ok := hitIdx[k]; ok {
				c.hits[i].Count++
				continue
			}
			hitIdx[k] = len(c.hits)
			last := int(offs[end-1])
			_, size := utf8.DecodeRuneInString(in.Text[last:])
			c.hits = append(c.hits, Hit{Word: s.words[pat], Count: 1, Start: int(offs[start]), End: last + size})
		}
	})

	return s.decide(in, rule, cats, len(runes)), nil
}

// Differential test on the benchmark's fixture: the one-pass Screen and the two-pass reference give
// identical results, hits and byte offsets included.
func TestScreenOnePassMatchesTwoPass(t *testing.T) {
	s, _, text := screenFixture(t, 5000, 2000)
	in := okItem()
	in.Text = text
	want, err := screenTwoPass(s, in)
	require.NoError(t, err)
	got, err := s.Screen(in)
	require.NoError(t, err)
	require.Equal(t, want, got)
	require.NotEmpty(t, got.Reasons[0].Hits)
}

// FuzzScreenOnePassMatchesTwoPass: on arbitrary texts (seeded with what once broke the filter) and
// both presets plus a policy with long and overlapping words, the one-pass Screen equals the
// two-pass reference.
func FuzzScreenOnePassMatchesTwoPass(f *testing.F) {
	for _, seed := range []string{
		"有人要 顛覆 國家 政權！", "混蛋混蛋混蛋", "", "\xff\xfe", "ＡＢＣ信访事项", "有人在搞⺠族分裂活动",
		"颠\u200b覆国家政权", "𠀀𠀁混蛋", "aaaaaaaaaaaaaaaaaaaaaaaaab", "ab ab\tAB", "信访信访信访事项事项",
		strings.Repeat("甲乙丙", 30),
	} {
		f.Add(seed)
	}
	p := Hebi()
	p.Categories = append(p.Categories, Category{
		Code: "overlap", Label: "重叠", Message: "m", Source: "test", Action: ActionFlag,
		Words: []string{"a", "aa", "aaa", strings.Repeat("a", 25) + "b", "ab", "b", "甲乙", "乙丙甲", "甲乙丙甲乙丙甲乙丙甲乙丙甲乙丙甲乙丙", "𠀀𠀁", "⺠族"},
	})
	screeners := []*Screener{must2(New(Hebi())), must2(New(Shanghai())), must2(New(p))}
	f.Fuzz(func(t *testing.T, text string) {
		in := okItem()
		in.Text = text
		for _, s := range screeners {
			want, err := screenTwoPass(s, in)
			require.NoError(t, err)
			got, err := s.Screen(in)
			require.NoError(t, err)
			require.Equal(t, want, got)
		}
	})
}

func must2(s *Screener, err error) *Screener {
	if err != nil {
		panic(err)
	}
	return s
}
