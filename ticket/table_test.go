package ticket

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lcVariants returns requests for action a by role that carry a valid payload for tk, in the variants
// that matter to the rules (e.g. a satisfied and a dissatisfied callback).
func lcVariants(tk *Ticket, a Action, role Role) []Request {
	var out []Request
	add := func(r Request) { r.Role, r.Actor = role, "actor-"+role.String(); out = append(out, r) }
	switch a {
	case ActionAccept:
		add(lcAccept(lcIntake(ChannelPhone)))
		in := lcIntake(ChannelStateCouncil)
		in.Urgency = UrgencyGeneral
		add(lcAccept(in))
		add(lcAccept(lcReviewIntake()))
	case ActionRefuse, ActionArchive, ActionReturnUpstream:
		add(lcRefusal(a))
	case ActionAnswer:
		add(lcAnswer())
	case ActionDispatch:
		add(lcDispatch("居委会B", noMode, ComplexityGeneral))
		add(lcDispatch("城管中队", noMode, ComplexityComplex))
	case ActionDesignate:
		add(lcDesignate("区绿化市容局"))
	case ActionReturn:
		add(lcReturn("区绿化市容局"))
	case ActionRequestExtension:
		add(lcExtension(10, ""))
		add(lcExtension(20, "书面报告"))
	case ActionEscalateExtension, ActionApproveExtension, ActionRefuseExtension:
		who := "街道热线办"
		if x := tk.Extension; x != nil && len(x.Approved) < len(x.Approvals) {
			who = x.Approvals[len(x.Approved)]
		}
		add(lcApproval(a, role, who))
	case ActionReply:
		add(lcReply(OutcomeResolved))
		add(lcReply(OutcomeSettled))
	case ActionFailQualityCheck:
		add(lcWithReason(lcReq(role, a), "定性不准确"))
	case ActionCallback:
		add(lcCallback(true))
		add(lcCallback(false))
	case ActionSupervise:
		add(lcSupervise(TriggerUnresolved))
	case ActionMarkRepeat:
		add(lcRepeat(len(tk.History) + 100))
	case ActionCloseStored:
		add(lcCloseStored("市政府办公厅"))
	case ActionCloseUnfounded:
		add(lcCloseUnfounded())
	default:
		add(lcReq(role, a))
	}
	return out
}

// lcMachines returns the machines the exhaustive tests run: the street hotline, the same with a
// quality check (002 §6 (一) 2), and that one with urging allowed before anything is overdue and
// first contact by the unit, so that every guarded row can succeed under one of them.
func lcMachines(t testing.TB) []*Machine {
	qc := deadline.StreetHotline()
	qc.Name, qc.QualityCheck = "street-hotline-qc", true
	// The third also makes first contact the unit's (000 §5), so that the office's first contact
	// before dispatch is refused under it and the unit's clock starts at dispatch.
	anytime := lcMachineP(t, qc, func(p *Policy) {
		p.Name, p.UrgeOnlyOverdue, p.FirstContactByOffice = "street-urge-anytime-unit-contact", false, false
	})
	return []*Machine{lcMachine(t, deadline.StreetHotline()), lcMachine(t, qc), anytime}
}

// lcSample is a ticket reached under a machine.
type lcSample struct {
	m  *Machine
	tk *Ticket
}

// lcExplore applies every variant of every action by every role, breadth first from a new ticket,
// and keeps up to per tickets for each state reached by each action and payload variant.
func lcExplore(t testing.TB, ms []*Machine, per int) map[State][]lcSample {
	out := map[State][]lcSample{}
	type key struct {
		state         State
		action        Action
		variant       int
		policy, rules string
		complexity    Complexity
		kind          Kind
		replies       int
		stored        bool
	}
	kept := map[key]int{}
	var queue []lcSample
	for _, m := range ms {
		s := lcSample{m, &Ticket{}}
		out[StateNew] = append(out[StateNew], s)
		queue = append(queue, s)
	}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if len(cur.tk.History) >= 10 {
			continue
		}
		now := lcMonday
		if n := len(cur.tk.History); n > 0 {
			now = cur.tk.History[n-1].At.Add(time.Hour)
		}
		for _, a := range Actions() {
			for _, role := range Roles() {
				for i, r := range lcVariants(cur.tk, a, role) {
					cp := *cur.tk
					cp.History = slices.Clip(cp.History) // appending then copies: no shared array
					if _, err := cur.m.Apply(&cp, r, now); err != nil {
						continue
					}
					stored := cp.Reply != nil && cp.Reply.Outcome.Stored()
					if k := (key{cp.State, a, i, cur.m.DeadlinePolicy().Name, cur.m.Policy().Name, cp.Complexity, cp.Kind, min(cp.Counters.Replies, 3), stored}); kept[k] < per {
						kept[k]++
						s := lcSample{cur.m, &cp}
						out[cp.State] = append(out[cp.State], s)
						queue = append(queue, s)
					}
				}
			}
		}
	}
	return out
}

// Every state × action × role against the table: an action without a row is an illegal transition,
// a role outside the row is forbidden, and every row succeeds, landing in its To state, for some
// reachable ticket and valid payload.
func TestExhaustiveStateActionRole(t *testing.T) {
	ms := lcMachines(t)
	samples := lcExplore(t, ms, 1)
	n := 0
	for _, s := range States() {
		require.NotEmpty(t, samples[s], "state %s is reachable", s)
		n += len(samples[s])
	}
	t.Logf("%d sample tickets", n)
	tab := Lifecycle()
	covered := map[rowKey]bool{}
	for _, s := range States() {
		for _, a := range Actions() {
			row, ok := tab.Lookup(s, a)
			for _, role := range Roles() {
				for _, smp := range samples[s] {
					last := lcMonday
					if n := len(smp.tk.History); n > 0 {
						last = smp.tk.History[n-1].At
					}
					times := []time.Time{last.Add(time.Minute)}
					if a == ActionUrge || a == ActionRequestExtension || a == ActionReturnUpstream {
						times = append(times, last.AddDate(0, 0, 60)) // overdue, or outside the window
					}
					for _, at := range times {
						for _, r := range lcVariants(smp.tk, a, role) {
							cp := *smp.tk
							ev, err := smp.m.Apply(&cp, r, at)
							name := fmt.Sprintf("%s × %s by %s", s, a, role)
							switch {
							case !ok:
								require.ErrorIs(t, err, ErrIllegalTransition, name)
							case !row.Roles.Has(role):
								require.ErrorIs(t, err, ErrForbiddenRole, name)
							case err != nil:
								// A role in the row may still be the wrong one for the approval step
								// (GuardApproverStep, 004 §4 (三), §9).
								forbidden := errors.Is(err, ErrForbiddenRole) && !slices.Contains(row.Guards, GuardApproverStep)
								require.False(t, errors.Is(err, ErrIllegalTransition) || forbidden, "%s: %v", name, err)
								var te *TransitionError
								require.ErrorAs(t, err, &te)
								assert.Equal(t, s, te.State)
								assert.Equal(t, a, te.Action)
							default:
								require.Equal(t, row.To, cp.State, name)
								require.Equal(t, row.To, ev.To, name)
								require.Equal(t, s, ev.From, name)
								covered[rowKey{s, a}] = true
							}
						}
					}
				}
			}
		}
	}
	for _, r := range tab.Rows() {
		assert.True(t, covered[rowKey{r.From, r.Action}], "row %s × %s never succeeded", r.From, r.Action)
	}
}

func TestTableShape(t *testing.T) {
	tab := Lifecycle()
	assert.Same(t, tab, Lifecycle(), "one immutable table")
	rows := tab.Rows()
	rows[0].To = StateClosed
	r0, _ := tab.Lookup(rows[0].From, rows[0].Action)
	assert.Equal(t, StateReceived, r0.To, "Rows returns a copy")

	for _, r := range tab.Rows() {
		assert.NotZero(t, r.Roles, "%s × %s has roles", r.From, r.Action)
		assert.NotEmpty(t, r.Source, "%s × %s cites its article", r.From, r.Action)
		assert.NotEmpty(t, r.Clocks, "%s × %s says what it does to the clocks", r.From, r.Action)
		assert.False(t, r.From.Terminal(), "no row leaves a terminal state")
		s, ok := tab.lookupScan(r.From, r.Action)
		assert.True(t, ok)
		assert.Equal(t, r, s)
		if r.Counted {
			assert.Equal(t, r.From, r.To)
		}
	}
	for _, s := range States() {
		if s.Terminal() {
			assert.Empty(t, tab.Allowed(s), s.String())
		} else {
			assert.NotEmpty(t, tab.Allowed(s), s.String())
		}
	}
	_, ok := tab.Lookup(State("limbo"), ActionAccept)
	assert.False(t, ok)
	_, ok = tab.Lookup(StateNew, Action("bogus"))
	assert.False(t, ok)

	// 004 §12; 000 §4 (五): supervision at any open state, counted; 004 §12.
	for _, s := range States() {
		r, ok := tab.Lookup(s, ActionSupervise)
		assert.Equal(t, s.Open(), ok, s.String())
		if ok {
			assert.True(t, r.Counted)
		}
	}
}

func TestRoleSet(t *testing.T) {
	s := NewRoleSet(RoleLeader, RoleHotlineOffice, Role(""), Role("janitor"))
	assert.True(t, s.Has(RoleLeader))
	assert.False(t, s.Has(RoleSystem))
	assert.False(t, s.Has(Role("janitor")))
	assert.Equal(t, []Role{RoleHotlineOffice, RoleLeader}, s.Roles())
	assert.Equal(t, "热线办、分管领导", s.Label())
	assert.Equal(t, "dispatch", CarriesDispatch.String())
	assert.Equal(t, "未知(x)", PayloadKind("x").Label())
	assert.False(t, PayloadKind("x").Valid())
}
