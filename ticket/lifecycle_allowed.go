package ticket

import (
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// Allowed returns the actions role may take on t at instant now, in the order of [Table.Allowed]:
// those of the rows of t's state whose roles include role and whose guards hold now — the quality
// check of the deadline policy, the approval chain's current step, a reopenable callback, an overdue
// clock for urging where the policy says so, and the others of [Guard]. It is what [Machine.Apply]
// would let role try; the payload the action must carry (and its own rules, such as an extension's
// window) are checked only when the action is applied.
//
// A ticket whose State is unset and whose History is empty is new (only accept). A stored ticket is
// checked as [Machine.Apply] checks it: an inconsistent one is an [ErrInvalidTicket] error, one
// recorded under another deadline policy a [*PolicyMismatchError]. A role outside [Roles] may take
// nothing.
func (m *Machine) Allowed(t *Ticket, role Role, now time.Time) ([]Action, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if t == nil {
		return nil, fmt.Errorf("%w: nil ticket", ErrInvalidTicket)
	}
	from, pol, err := m.stored(t)
	if err != nil {
		return nil, err
	}
	var out []Action
	for _, a := range lifecycle.allowed[from] {
		tr, _ := lifecycle.lookup(from, a)
		if !tr.Roles.Has(role) {
			continue
		}
		g := guardCtx{m: m, pol: pol, t: t, r: Request{Role: role, Action: a}, tr: tr, now: now}
		ok := true
		for _, gd := range tr.Guards {
			if g.check(gd) != nil {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, a)
		}
	}
	return out, nil
}

// stored returns t's state and the ticket policy it is handled under, after the checks
// [Machine.Apply] makes of a stored ticket.
func (m *Machine) stored(t *Ticket) (State, Policy, error) {
	from := t.State
	if from == "" && len(t.History) == 0 {
		return StateNew, m.policy, nil
	}
	if err := t.check(from); err != nil {
		return "", Policy{}, err
	}
	if t.Under.Deadlines != m.under.Deadlines {
		return "", Policy{}, &PolicyMismatchError{Recorded: t.Under.Deadlines, Machine: m.under.Deadlines}
	}
	return from, t.Under.Policy, nil
}

// ClockStatus is one stage clock of a ticket with its status at an instant: the clock as the
// ticket records it (its limit's label and article, when it started, when it was met and whether
// late) and what the calendar says of it then — its deadline after any approved extension, the
// instant it is due soon from (预警), its state (pending, due soon, overdue, done in time, done late)
// and the working days remaining (negative once overdue).
type ClockStatus struct {
	// Stage names the clock: the JSON name of its field of [Deadlines] — "analysis", "upstream",
	// "refusal_reply", "first_contact", "reply", "redo", "cap" or "appeal_close".
	Stage   string    `json:"stage"`
	Label   string    `json:"label,omitempty"`
	Source  string    `json:"source,omitempty"`
	Start   time.Time `json:"start"`
	Met     time.Time `json:"met,omitzero"`
	Late    bool      `json:"late,omitempty"`
	Running bool      `json:"running"`
	deadline.StageStatus
}

// clockStages names the clocks of [Deadlines.all], in its order.
var clockStages = [...]string{"analysis", "upstream", "refusal_reply", "first_contact", "reply", "redo", "cap", "appeal_close"}

// Clocks returns every set clock of t with its status at instant now, in the order of
// [Machine.Status] (analysis, upstream, refusal reply, first contact, reply, redo, cap, appeal
// close). A stored ticket is checked as [Machine.Allowed] checks it.
func (m *Machine) Clocks(t *Ticket, now time.Time) ([]ClockStatus, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	if t == nil {
		return nil, fmt.Errorf("%w: nil ticket", ErrInvalidTicket)
	}
	if _, _, err := m.stored(t); err != nil {
		return nil, err
	}
	var out []ClockStatus
	for i, c := range t.Deadlines.all() {
		if c.Key == "" {
			continue
		}
		st, err := m.cal.Status(m.deadlines, c.Stage(), now)
		if err != nil {
			return nil, fmt.Errorf("ticket %s: clock %s: %w", t.Number, c.Key, err)
		}
		out = append(out, ClockStatus{Stage: clockStages[i], Label: c.Label, Source: c.Source, Start: c.Start,
			Met: c.Met, Late: c.Late, Running: c.Running(), StageStatus: st})
	}
	return out, nil
}
