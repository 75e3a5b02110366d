package routing

import (
	"cmp"
	"fmt"
	"slices"
)

// A Mode is how a ticket was dispatched (派单方式).
type Mode int

// Dispatch modes, in the order of the principles (DESIGN §4).
const (
	ModeDesignated       Mode = iota + 1 // 指定: designated by the hotline office or a leader
	ModeStatutory                        // 法定: the unit whose statutory duty covers the matter
	ModeNegotiated                       // 商定: a joint case with a lead unit and co-handling units
	ModeFallback                         // 托底: the territorial government of the place
	ModeNeedsDesignation                 // 待指定: the rules cannot decide; the authority designates
)

var modeText = enumText{
	what:   "mode",
	names:  []string{"", "designated", "statutory", "negotiated", "fallback", "needs_designation"},
	labels: []string{"", "指定", "法定", "商定", "托底", "待指定"},
}

// String returns the English name, e.g. "needs_designation".
func (m Mode) String() string { return modeText.name(int(m)) }

// Label returns the Chinese label, e.g. "待指定".
func (m Mode) Label() string { return modeText.label(int(m)) }

// MarshalText implements [encoding.TextMarshaler].
func (m Mode) MarshalText() ([]byte, error) {
	if !modeText.valid(int(m)) {
		return nil, fmt.Errorf("%w: mode %d", ErrInvalidField, int(m))
	}
	return []byte(modeText.names[m]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (m *Mode) UnmarshalText(b []byte) error {
	i, err := modeText.parse(string(b), false)
	*m = Mode(i)
	return err
}

// A Rule names a step of the routing rules in a decision's trail.
type Rule string

// Rules that appear in trails.
const (
	RuleExcluded         Rule = "excluded"          // a unit excluded by the caller
	RuleReturned         Rule = "returned"          // an upheld return excludes the unit
	RuleReturnNotUpheld  Rule = "return-not-upheld" // an objection not upheld: the unit stays
	RuleBuckPassing      Rule = "buck-passing"      // bounces reached the policy threshold
	RuleDesignated       Rule = "designated"        // 指定谁、谁办理
	RuleSuggestedObjects Rule = "suggested-unit-objects"
	RuleTooManyReturns   Rule = "too-many-returns"  // policy MaxReturns reached
	RuleSuggestedUnit    Rule = "suggested-unit"    // re-dispatch to the suggested unit
	RuleMatterFallback   Rule = "matter-fallback"   // level-3 → level-2 → level-1
	RuleStatutory        Rule = "statutory"         // 谁主管、谁负责
	RuleKind             Rule = "request-kind"      // a unit does not handle the request's kind
	RuleSectorLineFirst  Rule = "sector-line-first" // 条块结合、以条为主
	RuleTerritorialFirst Rule = "territorial-first" // territorial bodies for territorial matters
	RuleNarrowestArea    Rule = "narrowest-area"    // 属地管理优先
	RuleJoint            Rule = "joint"             // 商定: lead and co-handling units
	RuleFallback         Rule = "fallback"          // 托底
	RuleDispute          Rule = "dispute"           // 争议 → needs designation
)

// A Step is one entry of a decision's trail: which rule applied, which
// article it comes from and what it did.
type Step struct {
	Rule    Rule   `json:"rule"`
	Article string `json:"article,omitempty"`
	Detail  string `json:"detail"`
}

// A Bounce counts the returns between two units, in either direction: A
// returned the ticket naming B as suggested unit, or B naming A. A < B.
type Bounce struct {
	A     string `json:"a"`
	B     string `json:"b"`
	Count int    `json:"count"`
}

// CountBounces counts the returns that name a suggested unit, per unordered
// pair of units, most frequent first (then by IDs). Repeated bounces between
// the same units are the mark of buck-passing (推诿, 004 §12 (二) 1), which is
// supervised and deducted in the assessment (004 §15 (一) 3).
func CountBounces(returns []Return) []Bounce {
	var out []Bounce
	for _, r := range returns {
		if r.SuggestedUnit == "" || r.SuggestedUnit == r.Unit {
			continue
		}
		a, b := min(r.Unit, r.SuggestedUnit), max(r.Unit, r.SuggestedUnit)
		if i := slices.IndexFunc(out, func(x Bounce) bool { return x.A == a && x.B == b }); i >= 0 {
			out[i].Count++
			continue
		}
		out = append(out, Bounce{A: a, B: b, Count: 1})
	}
	slices.SortFunc(out, func(x, y Bounce) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	return out
}

// A Decision is the outcome of routing a request. It is plain data.
type Decision struct {
	Mode Mode `json:"mode"`
	// Lead is the lead unit (牵头单位) or sole handling unit; empty when the
	// decision needs designation.
	Lead string `json:"lead,omitempty"`
	// CoHandling are the co-handling units (协办单位) of a joint case.
	CoHandling []string `json:"co_handling,omitempty"`
	// Candidates are the units in dispute when the decision needs designation.
	Candidates []string `json:"candidates,omitempty"`
	// Authority is the unit that designates when the decision needs
	// designation (000 §7 (二), 004 §6); empty means the dispatching hotline
	// office (000 §4 (二)).
	Authority string `json:"authority,omitempty"`
	// Matters holds, for each requested matter in order, the catalogue code
	// whose responsibility applied (the matter or a parent), or "" when none
	// did (fallback or dispute). Empty for a designated decision.
	Matters []MatterCode `json:"matters,omitempty"`
	// Returns is the number of returns on the ticket so far.
	Returns int `json:"returns"`
	// Bounces counts returns between pairs of units (see [CountBounces]).
	Bounces []Bounce `json:"bounces,omitempty"`
	// Supervise is set when the bounces reached the policy's threshold: the
	// case is to be supervised as buck-passing (004 §12 (二) 1).
	Supervise bool `json:"supervise"`
	// Trail lists the rules that led to the decision, in order.
	Trail []Step `json:"trail"`
}

// Units returns the lead unit followed by the co-handling units.
func (d Decision) Units() []string {
	if d.Lead == "" {
		return nil
	}
	return append([]string{d.Lead}, d.CoHandling...)
}
