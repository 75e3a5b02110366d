package ticket

import (
	"fmt"
	"slices"
	"strings"
)

// Mermaid renders the table as a Mermaid stateDiagram-v2: one node per state with its Chinese label,
// one edge per pair of states listing the actions that lead from one to the other with the roles that
// may take them and, in brackets, the row's guards ([Guard]: "[quality_check]"). The counted actions (supervise, urge, mark repeat), which keep the state, are listed
// in a note instead of as loops on every open state. The output is deterministic; the package keeps it
// in testdata/lifecycle.mmd and in the package documentation.
func (t *Table) Mermaid() string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	for _, s := range States() {
		fmt.Fprintf(&b, "    state \"%s %s\" as %s\n", s.Label(), s, s)
	}
	type edge struct{ from, to State }
	var order []edge
	labels := map[edge][]string{}
	counted := map[Action][]Guard{}
	for _, r := range t.rows {
		if r.Counted {
			counted[r.Action] = r.Guards
			continue
		}
		e := edge{r.From, r.To}
		if _, ok := labels[e]; !ok {
			order = append(order, e)
		}
		l := fmt.Sprintf("%s %s (%s)%s", r.Action.Label(), r.Action, r.Roles.Label(), guardText(r.Guards))
		if !slices.Contains(labels[e], l) {
			labels[e] = append(labels[e], l)
		}
	}
	fmt.Fprintf(&b, "    [*] --> %s\n", StateNew)
	for _, e := range order {
		fmt.Fprintf(&b, "    %s --> %s: %s\n", e.from, e.to, strings.Join(labels[e], " / "))
	}
	for _, s := range States() {
		if s.Terminal() {
			fmt.Fprintf(&b, "    %s --> [*]\n", s)
		}
	}
	var notes []string
	for _, a := range Actions() {
		if gs, ok := counted[a]; ok {
			notes = append(notes, fmt.Sprintf("%s %s%s", a.Label(), a, guardText(gs)))
		}
	}
	if len(notes) > 0 {
		fmt.Fprintf(&b, "    note right of %s\n        counted, state unchanged, at open states\n        %s\n    end note\n",
			StateHandling, strings.Join(notes, " / "))
	}
	return b.String()
}

// guardText is " [g1, g2]" for the guards gs, or "".
func guardText(gs []Guard) string {
	if len(gs) == 0 {
		return ""
	}
	names := make([]string, len(gs))
	for i, g := range gs {
		names[i] = g.String()
	}
	return " [" + strings.Join(names, ", ") + "]"
}
