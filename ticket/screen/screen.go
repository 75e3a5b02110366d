package screen

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/enum"
	"github.com/hotline12345/hotline/internal/strictjson"
	"github.com/hotline12345/hotline/ticket"
)

// Bounds of a category's counts: a larger MinRunes would refuse every real complaint as having no
// content, a larger MaxContacts would never fire.
const (
	MaxMinRunes    = 1000
	MaxMaxContacts = 10000
)

// The reason codes screening itself produces, besides the policy's categories.
const (
	ReasonMissingElements = "missing_elements" // 要素不全
	ReasonOutsideRemit    = "outside_remit"    // 超出本级事权范围
)

// Category is one reason an item may be refused (002 第五条): a stable code the citizen and
// the statistics can rely on, the message the citizen is told, where to go instead, the article it
// comes from and the tests that make it fire. A category fires when any of its tests fires.
type Category struct {
	// Code is the stable reason code, lower case with underscores, e.g. "security", "out_of_scope".
	Code string `json:"code"`
	// Sub refines Code, e.g. "petition" under "out_of_scope"; (Code, Sub) is unique in a policy.
	Sub   string `json:"sub,omitempty"`
	Label string `json:"label"` // Chinese label, e.g. "涉及信访事项"
	// Message is what the citizen is told, in Chinese.
	Message string `json:"message"`
	// Redirect says where the citizen should go instead (required for "out_of_scope"), e.g. "信访部门".
	Redirect string `json:"redirect,omitempty"`
	Source   string `json:"source"` // the article, e.g. "002 §5 (三)"
	Action   Action `json:"action"`

	// Words fire the category when any of them occurs in the normalised text (see [Normalize]).
	Words []string `json:"words,omitempty"`
	// MinRunes, when positive, fires the category when the normalised text has fewer runes
	// (缺乏具体内容). An empty text is left to the "content" element when the rule requires it.
	MinRunes int `json:"min_runes,omitempty"`
	// RequireAny, when set, fires the category when none of these words occurs in a non-empty text
	// (诉求不明: no demand is expressed).
	RequireAny []string `json:"require_any,omitempty"`
	// MaxContacts, when positive, fires the category when [Input.RecentContacts] is at least
	// this many (无理纠缠).
	MaxContacts int `json:"max_contacts,omitempty"`
	// RepeatAnswered fires the category when the item repeats an earlier ticket that has been
	// answered ([Input.RepeatOf] set and [Input.Answered] true; 重复投诉).
	RepeatAnswered bool `json:"repeat_answered,omitempty"`
}

// ReasonCode returns the category's full reason code: Code, or Code.Sub when Sub is set, e.g.
// "out_of_scope.petition".
func (c Category) ReasonCode() string {
	if c.Sub == "" {
		return c.Code
	}
	return c.Code + "." + c.Sub
}

// Rule says, for the items of some channels and kinds, which elements are required and what
// happens to an item that cannot be dispatched. The first rule of a policy that matches an item
// applies.
type Rule struct {
	Name     string           `json:"name"`
	Channels []ticket.Channel `json:"channels,omitempty"` // empty: every channel
	Kinds    []ticket.Kind    `json:"kinds,omitempty"`    // empty: every kind
	// Required lists the elements an item must carry.
	Required []Element `json:"required,omitempty"`
	// ReturnUpstream sends every item that is not accepted back upstream instead of refusing it
	// (国办转办: 000 第四条 (一)).
	ReturnUpstream bool `json:"return_upstream,omitempty"`
	// Archive lists reason codes (a category's Code or ReasonCode, or [ReasonMissingElements],
	// [ReasonOutsideRemit]) that archive the item as a general suggestion instead of refusing it
	// when every reason the item has is among them (000 第四条 (一)).
	Archive []string `json:"archive,omitempty"`
	Source  string   `json:"source,omitempty"`
}

func (r Rule) matches(ch ticket.Channel, k ticket.Kind) bool {
	return (len(r.Channels) == 0 || slices.Contains(r.Channels, ch)) &&
		(len(r.Kinds) == 0 || slices.Contains(r.Kinds, k))
}

// Policy is the plain-data description of intake screening: refusal categories with their word
// lists, intake rules per channel and kind, and the remit. Build one, start from a preset such as
// [Hebi] or [Shanghai], or load one with [ParsePolicy]; compile it with
// [New].
type Policy struct {
	Name string `json:"name"`
	// Version names this edition of the policy (e.g. "1", "2026-03"); a ticket records the name and
	// version it was screened under.
	Version string `json:"version"`
	Label   string `json:"label,omitempty"`
	Source  string `json:"source,omitempty"`
	// Categories are tested in order; reasons are reported in this order.
	Categories []Category `json:"categories"`
	// Rules are tried in order; the last must apply to every channel and kind.
	Rules []Rule `json:"rules"`
	// Remit lists the region-code prefixes inside the remit (e.g. "31" for Shanghai). An item whose
	// region code is set and starts with none of them is outside the remit. Empty: not checked.
	Remit []string `json:"remit,omitempty"`
	// MissingMessage and OutsideRemitMessage are what the citizen is told for those reasons.
	MissingMessage      string `json:"missing_message"`
	OutsideRemitMessage string `json:"outside_remit_message"`
}

func isCode(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// Validate reports the first thing wrong with p as a [*PolicyError].
func (p Policy) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &PolicyError{Policy: enum.Clip(p.Name), Field: field, Reason: fmt.Sprintf(format, clipArgs(args)...)}
	}
	if strings.TrimSpace(p.Name) == "" {
		return bad("name", "is empty")
	}
	if strings.TrimSpace(p.Version) == "" {
		return bad("version", "is empty")
	}
	if strings.TrimSpace(p.MissingMessage) == "" {
		return bad("missing_message", "is empty")
	}
	if strings.TrimSpace(p.OutsideRemitMessage) == "" {
		return bad("outside_remit_message", "is empty")
	}
	codes := map[string]bool{ReasonMissingElements: true, ReasonOutsideRemit: true}
	seen := map[string]int{}
	for i, c := range p.Categories {
		f := fmt.Sprintf("categories[%d]", i)
		switch {
		case !isCode(c.Code):
			return bad(f+".code", "%q is not a reason code (lower-case letters, digits, underscores)", c.Code)
		case c.Sub != "" && !isCode(c.Sub):
			return bad(f+".sub", "%q is not a reason code (lower-case letters, digits, underscores)", c.Sub)
		case c.Code == ReasonMissingElements || c.Code == ReasonOutsideRemit:
			return bad(f+".code", "%q is reserved for screening's own reasons", c.Code)
		case strings.TrimSpace(c.Label) == "":
			return bad(f+".label", "is empty")
		case strings.TrimSpace(c.Message) == "":
			return bad(f+".message", "is empty")
		case strings.TrimSpace(c.Source) == "":
			return bad(f+".source", "is empty: cite the article")
		case c.Action != ActionRefuse && c.Action != ActionFlag:
			return bad(f+".action", "%q is neither %q nor %q", c.Action, ActionRefuse, ActionFlag)
		case c.Code == "out_of_scope" && strings.TrimSpace(c.Redirect) == "":
			return bad(f+".redirect", "is empty: an out-of-scope reason must say where to go instead")
		case c.MinRunes < 0 || c.MinRunes > MaxMinRunes:
			return bad(f+".min_runes", "%d is outside 0–%d", c.MinRunes, MaxMinRunes)
		case c.MaxContacts < 0 || c.MaxContacts > MaxMaxContacts:
			return bad(f+".max_contacts", "%d is outside 0–%d", c.MaxContacts, MaxMaxContacts)
		case len(c.Words) == 0 && c.MinRunes == 0 && len(c.RequireAny) == 0 && c.MaxContacts == 0 && !c.RepeatAnswered:
			return bad(f, "has no test: set words, min_runes, require_any, max_contacts or repeat_answered")
		}
		if j, dup := seen[c.ReasonCode()]; dup {
			return bad(f+".code", "%q repeats categories[%d]", c.ReasonCode(), j)
		}
		seen[c.ReasonCode()] = i
		codes[c.Code], codes[c.ReasonCode()] = true, true
		for j, w := range c.Words {
			if Normalize(w) == "" {
				return bad(fmt.Sprintf("%s.words[%d]", f, j), "%q is empty once normalised", w)
			}
		}
		for j, w := range c.RequireAny {
			if Normalize(w) == "" {
				return bad(fmt.Sprintf("%s.require_any[%d]", f, j), "%q is empty once normalised", w)
			}
		}
	}
	if len(p.Rules) == 0 {
		return bad("rules", "is empty")
	}
	names := map[string]int{}
	for i, r := range p.Rules {
		f := fmt.Sprintf("rules[%d]", i)
		if strings.TrimSpace(r.Name) == "" {
			return bad(f+".name", "is empty")
		}
		if j, dup := names[r.Name]; dup {
			return bad(f+".name", "%q repeats rules[%d]", r.Name, j)
		}
		names[r.Name] = i
		for j, c := range r.Channels {
			if !c.Valid() {
				return bad(fmt.Sprintf("%s.channels[%d]", f, j), "%v is not a channel", c)
			}
		}
		for j, k := range r.Kinds {
			if !k.Valid() {
				return bad(fmt.Sprintf("%s.kinds[%d]", f, j), "%v is not a kind", k)
			}
		}
		for j, e := range r.Required {
			if !e.Valid() {
				return bad(fmt.Sprintf("%s.required[%d]", f, j), "%q is not an element", e)
			}
		}
		for j, a := range r.Archive {
			if !codes[a] {
				return bad(fmt.Sprintf("%s.archive[%d]", f, j), "%q is not a reason code of this policy", a)
			}
		}
	}
	if last := p.Rules[len(p.Rules)-1]; len(last.Channels) != 0 || len(last.Kinds) != 0 {
		return bad(fmt.Sprintf("rules[%d]", len(p.Rules)-1), "the last rule must apply to every channel and kind")
	}
	for i, r := range p.Remit {
		if r == "" || strings.Trim(r, "0123456789") != "" {
			return bad(fmt.Sprintf("remit[%d]", i), "%q is not a region-code prefix (digits)", r)
		}
	}
	return nil
}

// MaxPolicyBytes is the largest policy document [ParsePolicy] and [ReadPolicy] accept: room for word
// lists of some 100,000 words.
const MaxPolicyBytes = 4 << 20

// ParsePolicy decodes a screening policy from JSON through the module's strict loader (no unknown,
// duplicate or case-variant keys, no trailing data, at most [MaxPolicyBytes]) and validates it. A
// malformed document gives an error wrapping both [ErrInvalidPolicy] and strictjson's ErrMalformed;
// an invalid policy a *[PolicyError].
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	return strictjson.Valid(&p, strictjson.Decode(data, &p, MaxPolicyBytes), invalidPolicy)
}

// ReadPolicy reads at most [MaxPolicyBytes] from r and parses them as [ParsePolicy] does.
func ReadPolicy(r io.Reader) (Policy, error) {
	var p Policy
	return strictjson.Valid(&p, strictjson.Read(r, &p, MaxPolicyBytes), invalidPolicy)
}

// Input is what screening looks at: the item as received, plus what the caller already knows
// about it (contacts from the same caller, a repeat found by a repeat.Index).
type Input struct {
	Channel ticket.Channel
	Kind    ticket.Kind
	Text    string // the citizen's account and demand
	Name    string // the citizen's name
	Contact string // phone number or other contact
	Place   string // where it happened
	// RegionCode is the 行政区划代码 of the place, checked against [Policy.Remit].
	RegionCode string
	Matter     string // matter code from the dispatch catalogue
	Unit       string // the unit the item is about
	// RecentContacts is how many times the same caller has contacted the hotline within the window
	// the caller uses for harassment (无理纠缠); see [Category.MaxContacts].
	RecentContacts int
	// RepeatOf is the earlier ticket this item repeats, as found by repeat.Index.Find.
	RepeatOf string
	// Answered reports whether the ticket RepeatOf names has been answered.
	Answered bool
	// OutsideRemit is set when the caller already knows the item is outside the remit (for
	// instance from routing), whatever its region code.
	OutsideRemit bool
}

// Hit is one word found in the text: the word as normalised, how often it occurs, and the
// byte range of its first occurrence in [Input.Text].
type Hit struct {
	Word  string `json:"word"`
	Count int    `json:"count"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Reason is one reason behind a screening outcome or flag.
type Reason struct {
	Code     string `json:"code"` // reason code: a category's ReasonCode, or ReasonMissingElements, ReasonOutsideRemit
	Label    string `json:"label"`
	Message  string `json:"message"`            // what the citizen is told
	Redirect string `json:"redirect,omitempty"` // where to go instead
	Source   string `json:"source"`             // the article
	Hits     []Hit  `json:"hits,omitempty"`     // the words that matched
	Why      string `json:"why"`                // how the test fired, in English
}

// Result is the explained outcome of screening one item.
type Result struct {
	Outcome Outcome `json:"outcome"`
	// Reasons are the reasons for an outcome other than Accept, in policy order, with
	// ReasonOutsideRemit and ReasonMissingElements last.
	Reasons []Reason `json:"reasons,omitempty"`
	// Flags are the categories with [ActionFlag] that fired; they never change the outcome.
	Flags []Reason `json:"flags,omitempty"`
	// Missing lists the required elements the item lacks.
	Missing []Element `json:"missing,omitempty"`
	Rule    string    `json:"rule"`   // the intake rule that applied
	Source  string    `json:"source"` // the article behind the outcome
	// Message is what the citizen is told: the first reason's message.
	Message     string `json:"message,omitempty"`
	Explanation string `json:"explanation"`
}

// Due returns the deadline that the outcome starts (see [Outcome.DeadlineKey]), counted with
// the limit of that key in p from received. It returns an error wrapping [ErrNoDeadline] when the
// outcome starts none, one wrapping [deadline.ErrNoLimit] when p lacks the limit and
// [ErrNoCalendar] for a nil cal.
func (r Result) Due(cal *deadline.Calendar, p deadline.Policy, received time.Time) (deadline.Deadline, error) {
	k, ok := r.Outcome.DeadlineKey()
	if !ok {
		if r.Outcome == "" {
			return deadline.Deadline{}, fmt.Errorf("%w: the result's outcome is unset", ErrNoDeadline)
		}
		return deadline.Deadline{}, fmt.Errorf("%w: outcome %q (%s) starts none; only %q and %q do",
			ErrNoDeadline, enum.Clip(string(r.Outcome)), r.Outcome.Label(), Refuse, ReturnUpstream)
	}
	if cal == nil {
		return deadline.Deadline{}, ErrNoCalendar
	}
	l, ok := p.Limit(k)
	if !ok {
		return deadline.Deadline{}, fmt.Errorf("%w: policy %q has no %q limit", deadline.ErrNoLimit, enum.Clip(p.Name), k)
	}
	return cal.Due(received, l.Period, p.Counting), nil
}

// patRef ties a pattern of the matcher to a category and says whether it is one of the category's
// Words or one of its RequireAny words.
type patRef struct {
	cat     int32
	require bool
}

// Screener screens items against a compiled [Policy]. It is immutable and safe for concurrent
// use. Every word list of the policy is compiled into one multi-pattern automaton, so screening a
// text costs one pass over it however many words the policy has.
type Screener struct {
	policy Policy
	m      *matcher
	words  []string   // pattern → normalised word
	refs   [][]patRef // pattern → uses
}

// New validates p and compiles it.
func New(p Policy) (*Screener, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	s := &Screener{policy: clonePolicy(p)}
	index := map[string]int{}
	add := func(w string, ref patRef) {
		n := Normalize(w)
		i, ok := index[n]
		if !ok {
			i = len(s.words)
			index[n] = i
			s.words = append(s.words, n)
			s.refs = append(s.refs, nil)
		}
		if !slices.Contains(s.refs[i], ref) {
			s.refs[i] = append(s.refs[i], ref)
		}
	}
	for ci, c := range s.policy.Categories {
		for _, w := range c.Words {
			add(w, patRef{cat: int32(ci)})
		}
		for _, w := range c.RequireAny {
			add(w, patRef{cat: int32(ci), require: true})
		}
	}
	pats := make([][]rune, len(s.words))
	for i, w := range s.words {
		pats[i] = []rune(w)
	}
	s.m = newMatcher(pats)
	return s, nil
}

func clonePolicy(p Policy) Policy {
	q := p
	q.Categories = slices.Clone(p.Categories)
	for i := range q.Categories {
		q.Categories[i].Words = slices.Clone(q.Categories[i].Words)
		q.Categories[i].RequireAny = slices.Clone(q.Categories[i].RequireAny)
	}
	q.Rules = slices.Clone(p.Rules)
	for i := range q.Rules {
		q.Rules[i].Channels = slices.Clone(q.Rules[i].Channels)
		q.Rules[i].Kinds = slices.Clone(q.Rules[i].Kinds)
		q.Rules[i].Required = slices.Clone(q.Rules[i].Required)
		q.Rules[i].Archive = slices.Clone(q.Rules[i].Archive)
	}
	q.Remit = slices.Clone(p.Remit)
	return q
}

// Policy returns a copy of the policy s was built from.
// A nil Screener has the zero Policy.
func (s *Screener) Policy() Policy {
	if s == nil {
		return Policy{}
	}
	return clonePolicy(s.policy)
}

// Words returns the distinct normalised words s matches, in policy order.
// A nil Screener has none.
func (s *Screener) Words() []string {
	if s == nil {
		return nil
	}
	return slices.Clone(s.words)
}

// Screen decides what happens to the item in. The decision, in order:
//
//  1. The first [Rule] matching the item's channel and kind applies.
//  2. Each category's tests run; those with [ActionRefuse] that fire are reasons, those with
//     [ActionFlag] are flags. Missing required elements and a region outside the remit are
//     reasons too ([ReasonMissingElements], [ReasonOutsideRemit]).
//  3. No reasons: [Accept].
//  4. The rule returns upstream: [ReturnUpstream] (000 第四条 (一)).
//  5. Every reason is in the rule's Archive list: [Archive] (000 第四条 (一)).
//  6. Any reason besides missing elements: [Refuse] (002 第五条); otherwise
//     [MissingElements].
//
// It returns an error wrapping [ErrNotBuilt] for a Screener that [New] did not build.
func (s *Screener) Screen(in Input) (Result, error) {
	if s == nil || s.m == nil {
		return Result{}, ErrNotBuilt
	}
	p := &s.policy
	ri := slices.IndexFunc(p.Rules, func(r Rule) bool { return r.matches(in.Channel, in.Kind) })
	if ri < 0 { // New validated that the last rule matches everything
		return Result{}, fmt.Errorf("%w: no rule matches channel %q, kind %q", ErrNotBuilt,
			enum.Clip(fmt.Sprint(in.Channel)), enum.Clip(fmt.Sprint(in.Kind)))
	}
	rule := p.Rules[ri]

	// One pass: fold each rune and step the automaton. Each distinct word found is recorded once,
	// in order of its first occurrence, with its count and the byte range of that occurrence.
	type found struct {
		pat        int32
		count      int
		start, end int
	}
	var hits []found
	var seen map[int32]int // pattern → index in hits, once there are more than a few
	nRunes := s.m.scanText(in.Text, func(pat, start, end int) {
		pi := int32(pat)
		if seen == nil {
			for i := range hits {
				if hits[i].pat == pi {
					hits[i].count++
					return
				}
			}
			hits = append(hits, found{pi, 1, start, end})
			if len(hits) == 8 {
				seen = make(map[int32]int, 16)
				for i, h := range hits {
					seen[h.pat] = i
				}
			}
			return
		}
		if i, ok := seen[pi]; ok {
			hits[i].count++
			return
		}
		seen[pi] = len(hits)
		hits = append(hits, found{pi, 1, start, end})
	})
	cats := make([]catHits, len(p.Categories))
	if len(hits) > 0 { // one backing array, cut to size, for every category's hits
		per := make([]int, len(cats))
		total := 0
		for _, h := range hits {
			for _, ref := range s.refs[h.pat] {
				if !ref.require {
					per[ref.cat]++
					total++
				}
			}
		}
		all := make([]Hit, total)
		for ci, n := range per {
			if n > 0 {
				cats[ci].hits, all = all[:0:n], all[n:]
			}
		}
	}
	for _, h := range hits {
		for _, ref := range s.refs[h.pat] {
			c := &cats[ref.cat]
			if ref.require {
				c.require = true
				continue
			}
			c.hits = append(c.hits, Hit{Word: s.words[h.pat], Count: h.count, Start: h.start, End: h.end})
		}
	}

	return s.decide(in, rule, cats, nRunes), nil
}

// catHits is what the scan found for one category: the words that matched, and whether one of its
// RequireAny demand words occurs.
type catHits struct {
	hits    []Hit
	require bool
}

// decide turns what the scan found — per category, and the length of the normalised text in runes
// — into the result under rule: the reasons and flags, the missing elements, the outcome and its
// explanation. Every scan of the text (the one-pass automaton, and the two-pass reference in the
// tests) ends here, so they differ only in how they find the words.
func (s *Screener) decide(in Input, rule Rule, cats []catHits, nRunes int) Result {
	p := &s.policy
	req := rule.Required
	var res Result
	res.Rule = rule.Name
	for ci, c := range p.Categories {
		var whys []string
		if len(cats[ci].hits) > 0 {
			var b strings.Builder
			b.WriteString("matched ")
			for i, h := range cats[ci].hits {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(strconv.Quote(h.Word))
				b.WriteString("×")
				b.WriteString(strconv.Itoa(h.Count))
			}
			whys = append(whys, b.String())
		}
		if c.MinRunes > 0 && nRunes < c.MinRunes && !(nRunes == 0 && slices.Contains(req, ElementContent)) {
			whys = append(whys, fmt.Sprintf("normalised text has %d characters, fewer than %d", nRunes, c.MinRunes))
		}
		if len(c.RequireAny) > 0 && nRunes > 0 && !cats[ci].require {
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
		if missing(in, e, nRunes) {
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
	return res
}

// missing reports whether in lacks element e; n is the length of the normalised text.
func missing(in Input, e Element, n int) bool {
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	switch e {
	case ElementName:
		return blank(in.Name)
	case ElementContact:
		return blank(in.Contact)
	case ElementContent:
		return n == 0
	case ElementPlace:
		return blank(in.Place)
	case ElementRegion:
		return blank(in.RegionCode)
	case ElementMatter:
		return blank(in.Matter)
	case ElementUnit:
		return blank(in.Unit)
	}
	return false
}

// clipArgs shortens every non-integer argument of an error message to at most enum.MaxQuoted bytes,
// so that an error never echoes a huge input whole.
func clipArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch a.(type) {
		case int, int32, int64:
			out[i] = a
		default:
			out[i] = enum.Clip(fmt.Sprint(a))
		}
	}
	return out
}

// invalidPolicy wraps a strict loader's refusal of a policy document in [ErrInvalidPolicy] and
// [ErrMalformed].
func invalidPolicy(err error) error {
	return fmt.Errorf("%w: %w: %w", ErrInvalidPolicy, ErrMalformed, err)
}
