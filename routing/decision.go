package routing

import (
	"cmp"
	"slices"
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
//
// It takes time linear in len(returns) (plus sorting the pairs), whatever
// the number of distinct pairs.
func CountBounces(returns []Return) []Bounce {
	var out []Bounce
	var at map[[2]string]int // pair → position in out, once there are several pairs
	for _, r := range returns {
		if r.SuggestedUnit == "" || r.SuggestedUnit == r.Unit {
			continue
		}
		a, b := min(r.Unit, r.SuggestedUnit), max(r.Unit, r.SuggestedUnit)
		i := -1
		switch {
		case at != nil:
			if j, ok := at[[2]string{a, b}]; ok {
				i = j
			}
		case len(out) == 1 && out[0].A == a && out[0].B == b:
			i = 0
		}
		if i >= 0 {
			out[i].Count++
			continue
		}
		out = append(out, Bounce{A: a, B: b, Count: 1})
		if len(out) == 2 {
			at = map[[2]string]int{{out[0].A, out[0].B}: 0}
		}
		if at != nil {
			at[[2]string{a, b}] = len(out) - 1
		}
	}
	slices.SortFunc(out, func(x, y Bounce) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	return out
}

// A Decision is the outcome of routing a request. It is plain data.
type Decision struct {
	// Mode is how the ticket is dispatched; empty when the decision needs
	// designation.
	Mode DispatchMode `json:"mode,omitempty"`
	// NeedsDesignation is set when the rules cannot pick one unit (争议, 000
	// §4 (二) 对争议事项，由热线管理办公室指定转送; 004 §6 由分管领导指定):
	// Candidates are the units in dispute and Authority the unit that
	// designates. The decision names no lead, never a guess.
	NeedsDesignation bool `json:"needs_designation,omitempty"`
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
