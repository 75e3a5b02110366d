package appeal

import (
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// Rules joins a working-day calendar, the deadline policy whose limits the windows name, and a
// [Policy]. It files appeals, objections and reconsideration requests and replays their histories.
// Rules is immutable and safe for concurrent use; the machines it returns are not.
type Rules struct {
	cal    *deadline.Calendar
	limits deadline.Policy
	policy Policy
}

// NewRules returns the rules of p over calendar cal, with the limits of the deadline policy limits.
// It validates both policies and checks that every window key p names is a limit of limits.
func NewRules(cal *deadline.Calendar, limits deadline.Policy, p Policy) (*Rules, error) {
	if cal == nil {
		return nil, &PolicyError{Policy: p.Name, Field: "calendar", Reason: "is nil"}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := limits.Validate(); err != nil {
		return nil, &PolicyError{Policy: p.Name, Field: "deadline policy", Reason: err.Error()}
	}
	for _, w := range p.windows() {
		for _, k := range []struct {
			field string
			key   deadline.Key
		}{{w.field + ".filing", w.w.Filing}, {w.field + ".effect", w.w.Effect}} {
			if k.key == "" {
				continue
			}
			if _, err := limits.LimitFor(k.key); err != nil {
				return nil, &PolicyError{Policy: p.Name, Field: k.field,
					Reason: fmt.Sprintf("deadline policy %q has no limit %q", limits.Name, k.key)}
			}
		}
	}
	return &Rules{cal: cal, limits: limits, policy: clonePolicy(p)}, nil
}

func clonePolicy(p Policy) Policy {
	p.ReviewerLevels = append([]Level(nil), p.ReviewerLevels...)
	return p
}

// Policy returns a copy of the rules' policy.
func (r *Rules) Policy() Policy { return clonePolicy(r.policy) }

// Limits returns the deadline policy whose limits the windows name.
func (r *Rules) Limits() deadline.Policy {
	p := r.limits.With() // copies the slice of limits
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
func (r *Rules) Window(k deadline.Key, start, at time.Time) (Window, error) {
	l, err := r.limits.LimitFor(k)
	if err != nil {
		return Window{}, err
	}
	w, err := r.cal.Window(r.limits, k, start, at)
	if err != nil {
		return Window{}, err
	}
	return Window{Key: k, Label: l.Label, Source: l.Source, Start: start, Due: w.Window,
		InTime: w.InTime, Explanation: w.Explanation}, nil
}

// late returns a [*LateError] when key is set and at falls outside its window from start, or nil.
// It also returns the window, for the caller's effect (ok is false when key is empty).
func (r *Rules) late(machine string, action ActionKind, kind string, key deadline.Key, start, at time.Time) (w Window, ok bool, err error) {
	if key == "" {
		return Window{}, false, nil
	}
	w, err = r.Window(key, start, at)
	if err != nil {
		// NewRules checked every key and callers check start, so this is unreachable; report it
		// rather than panic.
		return Window{}, false, &TransitionError{Machine: machine, Action: action, Field: string(key),
			Reason: err.Error(), err: ErrInvalidValue}
	}
	if w.InTime {
		return w, true, nil
	}
	return w, true, &LateError{Machine: machine, Action: action, Kind: kind, Key: key, At: at,
		Closed: w.Due.At, LastDay: w.Due.LastDay, Provisional: w.Due.Provisional, Source: w.Source,
		Explanation: w.Explanation}
}

// due returns the deadline of limit key from start, and whether key is set.
func (r *Rules) due(key deadline.Key, start time.Time) (deadline.Deadline, bool) {
	if key == "" {
		return deadline.Deadline{}, false
	}
	l, ok := r.limits.Limit(key)
	if !ok {
		return deadline.Deadline{}, false
	}
	return r.cal.Due(start, l.Period, r.limits.Counting), true
}
