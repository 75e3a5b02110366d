package screen

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hotline12345/hotline/internal/enum"
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
	type acc struct {
		hits    []Hit
		require bool // a RequireAny word occurs
	}
	cats := make([]acc, len(p.Categories))
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

	req := rule.Required
	var res Result
	res.Rule = rule.Name
	for ci, c := range p.Categories {
		var whys []string
		if len(cats[ci].hits) > 0 {
			ws := make([]string, len(cats[ci].hits))
			for i, h := range cats[ci].hits {
				ws[i] = fmt.Sprintf("%q×%d", h.Word, h.Count)
			}
			whys = append(whys, "matched "+strings.Join(ws, ", "))
		}
		if c.MinRunes > 0 && len(runes) < c.MinRunes && !(len(runes) == 0 && slices.Contains(req, ElementContent)) {
			whys = append(whys, fmt.Sprintf("normalised text has %d characters, fewer than %d", len(runes), c.MinRunes))
		}
		if len(c.RequireAny) > 0 && len(runes) > 0 && !cats[ci].require {
			whys = append(whys, fmt.Sprintf("none of the %d demand words occurs", len(c.RequireAny)))
		}
		if c.MaxContacts > 0 && in.RecentContacts >= c.MaxContacts {
			whys = append(whys, fmt.Sprintf("%d recent contacts from this caller, limit %d", in.RecentContacts, c.MaxContacts))
		}
		if c.RepeatAnswered && in.RepeatOf != "" && in.Answered {
			whys = append(whys, fmt.Sprintf("repeats ticket %s, which has been answered", enum.Clip(in.RepeatOf)))
		}
		if len(whys) == 0 {
			continue
		}
		r := Reason{
			Code: c.ReasonCode(), Label: c.Label, Message: c.Message, Redirect: c.Redirect,
			Source: c.Source, Hits: cats[ci].hits, Why: strings.Join(whys, "; "),
		}
		if c.Action == ActionFlag {
			res.Flags = append(res.Flags, r)
		} else {
			res.Reasons = append(res.Reasons, r)
		}
	}
	if in.OutsideRemit || (in.RegionCode != "" && len(p.Remit) > 0 &&
		!slices.ContainsFunc(p.Remit, func(pre string) bool { return strings.HasPrefix(in.RegionCode, pre) })) {
		why := "the caller marked the item outside the remit"
		if !in.OutsideRemit {
			why = fmt.Sprintf("region code %s starts with none of %v", enum.Clip(in.RegionCode), p.Remit)
		}
		res.Reasons = append(res.Reasons, Reason{
			Code: ReasonOutsideRemit, Label: "超出事权范围", Message: p.OutsideRemitMessage,
			Source: "000 §4 (一)", Why: why,
		})
	}
	for _, e := range req {
		if missing(in, e, len(runes)) {
			res.Missing = append(res.Missing, e)
		}
	}
	if len(res.Missing) > 0 {
		labels := make([]string, len(res.Missing))
		for i, e := range res.Missing {
			labels[i] = e.Label()
		}
		res.Reasons = append(res.Reasons, Reason{
			Code: ReasonMissingElements, Label: "要素不全",
			Message: p.MissingMessage + "：" + strings.Join(labels, "、"),
			Source:  cmp.Or(rule.Source, "000 §4 (一)"),
			Why:     fmt.Sprintf("rule %q requires %s", rule.Name, strings.Join(labels, "、")),
		})
	}

	codes := make([]string, len(res.Reasons))
	for i, r := range res.Reasons {
		codes[i] = r.Code
	}
	archived := len(res.Reasons) > 0 && len(rule.Archive) > 0 && !slices.ContainsFunc(res.Reasons, func(r Reason) bool {
		code, _, _ := strings.Cut(r.Code, ".")
		return !slices.Contains(rule.Archive, r.Code) && !slices.Contains(rule.Archive, code)
	})
	onlyMissing := len(res.Reasons) == 1 && res.Reasons[0].Code == ReasonMissingElements
	switch {
	case len(res.Reasons) == 0:
		res.Outcome = Accept
		res.Source = cmp.Or(rule.Source, p.Source)
		res.Explanation = fmt.Sprintf("accepted under rule %q", rule.Name)
	case rule.ReturnUpstream:
		res.Outcome = ReturnUpstream
		res.Source = "000 §4 (一)"
		res.Explanation = fmt.Sprintf("returned upstream under rule %q: %s", rule.Name, strings.Join(codes, ", "))
	case archived:
		res.Outcome = Archive
		res.Source = "000 §4 (一)"
		res.Explanation = fmt.Sprintf("archived as a general suggestion under rule %q: %s", rule.Name, strings.Join(codes, ", "))
	case onlyMissing:
		res.Outcome = MissingElements
		res.Source = res.Reasons[0].Source
		res.Explanation = fmt.Sprintf("missing elements under rule %q: %s", rule.Name, res.Reasons[0].Why)
	default:
		res.Outcome = Refuse
		res.Source = res.Reasons[0].Source
		res.Explanation = fmt.Sprintf("refused under rule %q: %s", rule.Name, strings.Join(codes, ", "))
	}
	if len(res.Reasons) > 0 {
		res.Message = res.Reasons[0].Message
	}
	return res, nil
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
