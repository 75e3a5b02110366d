package appeal

import (
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// Machine is the engine of the three review procedures: it joins a working-day calendar, the
// deadline policy whose limits the windows name, and a [Policy]. It files appeals, objections and
// reconsideration requests and replays their histories. Build one with [NewMachine]; its fields are
// unexported, so a Machine is always validated. The zero Machine (and a nil *Machine) refuses every
// call with a [*PolicyError] wrapping [ErrInvalidPolicy]. A Machine is immutable and safe for
// concurrent use; the procedures it returns are not.
type Machine struct {
	cal    *deadline.Calendar
	limits deadline.Policy
	policy Policy
}

// NewMachine returns the engine of policy p over calendar cal, with the limits of the deadline
// policy limits. It validates both policies and checks that every window key p names is a limit of
// limits.
func NewMachine(cal *deadline.Calendar, limits deadline.Policy, p Policy) (*Machine, error) {
	if cal == nil {
		return nil, &PolicyError{Policy: p.Name, Field: "calendar", Reason: "is nil"}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := limits.Validate(); err != nil {
		return nil, &PolicyError{Policy: p.Name, Field: "deadline policy", Reason: err.Error(), err: err}
	}
	for _, w := range p.windows() {
		for _, k := range []struct {
			field string
			key   deadline.Key
		}{{w.field + ".filing", w.w.Filing}, {w.field + ".effect", w.w.Effect}} {
			if k.key == "" {
				continue
			}
			if _, ok := limits.Limit(k.key); !ok {
				return nil, &PolicyError{Policy: p.Name, Field: k.field,
					Reason: fmt.Sprintf("deadline policy %q has no limit %q", clip(limits.Name), clip(string(k.key))),
					err:    deadline.ErrNoLimit}
			}
		}
	}
	return &Machine{cal: cal, limits: limits.With(), policy: clonePolicy(p)}, nil
}

// ready refuses a zero or nil Machine.
func (m *Machine) ready() error {
	if m == nil || m.cal == nil {
		return fmt.Errorf("%w: the zero Machine has no calendar or policy", ErrNotBuilt)
	}
	return nil
}

func clonePolicy(p Policy) Policy {
	p.ReviewerLevels = append([]ReviewerLevel(nil), p.ReviewerLevels...)
	return p
}

// Policy returns a copy of the machine's policy (the zero Policy for a zero Machine).
func (m *Machine) Policy() Policy {
	if m.ready() != nil {
		return Policy{}
	}
	return clonePolicy(m.policy)
}

// Limits returns a copy of the deadline policy whose limits the windows name (the zero Policy for a
// zero Machine).
func (m *Machine) Limits() deadline.Policy {
	if m.ready() != nil {
		return deadline.Policy{}
	}
	p := m.limits.With() // copies the slice of limits
	for i := range p.Limits {
		p.Limits[i].Approvals = append([]string(nil), p.Limits[i].Approvals...)
	}
	return p
}

// Window is the state of one window at an instant: whether an action at that instant is in time and
// when the window closes.
type Window struct {
	Key deadline.Key `json:"key"`
	// Label and Source are the limit's, e.g. "差评申诉：按不属实评价办结" and "000 §6 (二)".
	Label  string    `json:"label"`
	Source string    `json:"source"`
	Start  time.Time `json:"start"`
	// Due is the end of the window: an action strictly before Due.At is in time.
	Due         deadline.Deadline `json:"due"`
	InTime      bool              `json:"in_time"`
	Explanation string            `json:"explanation"`
}

// Window reports whether an action at instant at falls inside the window that limit k of the deadline
// policy opens at start, and when it closes. It uses [deadline.Calendar.Window].
func (m *Machine) Window(k deadline.Key, start, at time.Time) (Window, error) {
	if err := m.ready(); err != nil {
		return Window{}, err
	}
	l, ok := m.limits.Limit(k)
	if !ok {
		return Window{}, fmt.Errorf("%w: policy %q has no %q limit", deadline.ErrNoLimit, clip(m.limits.Name), clip(string(k)))
	}
	w, err := m.cal.Window(m.limits, k, start, at)
	if err != nil {
		return Window{}, err
	}
	return Window{Key: k, Label: l.Label, Source: l.Source, Start: start, Due: w.Window,
		InTime: w.InTime, Explanation: w.Explanation}, nil
}

// late returns a [*LateError] when key is set and at falls outside its window from start, or nil.
// It also returns the window, for the caller's effect (ok is false when key is empty).
func (m *Machine) late(proc string, action ActionKind, kind string, key deadline.Key, start, at time.Time) (w Window, ok bool, err error) {
	if key == "" {
		return Window{}, false, nil
	}
	w, err = m.Window(key, start, at)
	if err != nil {
		// NewMachine checked every key and callers check start, so this is unreachable; report it
		// rather than panic.
		return Window{}, false, &TransitionError{Procedure: proc, Action: action, Field: clip(string(key)),
			Reason: err.Error(), err: ErrInvalidValue}
	}
	if w.InTime {
		return w, true, nil
	}
	return w, true, &LateError{Procedure: proc, Action: action, Kind: kind, Key: key, At: at,
		Closed: w.Due.At, LastDay: w.Due.LastDay, Provisional: w.Due.Provisional, Source: w.Source,
		Explanation: w.Explanation}
}

// due returns the deadline of limit key from start, and whether key is set.
func (m *Machine) due(key deadline.Key, start time.Time) (deadline.Deadline, bool) {
	if key == "" || m.ready() != nil || start.IsZero() {
		return deadline.Deadline{}, false
	}
	l, ok := m.limits.Limit(key)
	if !ok {
		return deadline.Deadline{}, false
	}
	return m.cal.Due(start, l.Period, m.limits.Counting), true
}
