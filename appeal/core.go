package appeal

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/enum"
)

// Actor is who takes an action.
type Actor struct {
	Role Role `json:"role"`
	// Unit is the actor's unit: the handling unit of a staff member or unit, the competent
	// department's own ID, the hotline office's ID.
	Unit string `json:"unit,omitempty"`
	// Person identifies a staff member or a citizen.
	Person string `json:"person,omitempty"`
}

func (a Actor) String() string {
	s := string(a.Role)
	if a.Unit != "" {
		s += " " + a.Unit
	}
	if a.Person != "" {
		s += " (" + a.Person + ")"
	}
	return s
}

// Action is one step a procedure is asked to take. Filing is not an Action value of its own: it is
// done by [Machine.FileAppeal], [Machine.FileObjection] or [Machine.FileReconsideration], and recorded
// in the history as an event of kind [ActionFile].
type Action struct {
	Kind ActionKind `json:"kind"`
	// Reason explains the action. It is required for decisions (uphold, reject, find_improper,
	// find_proper), for a unit declining a staff member's appeal and for the suggested unit's
	// objection; optional otherwise.
	Reason string `json:"reason,omitempty"`
	// Basis is the suggested unit's basis when it objects in turn (ActionObject, 000 第七条 (二)).
	Basis Basis `json:"basis,omitempty"`
}

// Event is one entry of a procedure's history: what was done, by whom, when, and what it changed.
type Event struct {
	// Seq numbers the events of one history from 1, without gaps; a replay checks it.
	Seq     int       `json:"seq"`
	Action  Action    `json:"action"`
	By      Actor     `json:"by"`
	At      time.Time `json:"at"`
	From    State     `json:"from"`
	To      State     `json:"to"`
	Source  string    `json:"source"` // the article behind the transition
	Effects []Effect  `json:"-"`      // what the caller had to apply; recomputed by a replay
}

// Transition is one row of a procedure's transition table: in state From, action Action by one of the
// roles By leads to state To. Guard says what else the procedure checks (which unit, which fields,
// which window); Source cites the article.
type Transition struct {
	From   State      `json:"from"`
	Action ActionKind `json:"action"`
	To     State      `json:"to"`
	By     []Role     `json:"by"`
	Guard  string     `json:"guard,omitempty"`
	Source string     `json:"source"`
}

// core is the table-driven part shared by the three procedures ([*Appeal], [*Objection],
// [*Reconsideration]).
type core struct {
	name    string
	table   []Transition
	state   State
	history []Event
}

func (c *core) Name() string        { return c.name }
func (c *core) State() State        { return c.state }
func (c *core) Table() []Transition { return cloneTable(c.table) }

func (c *core) History() []Event {
	h := slices.Clone(c.history)
	for i := range h {
		h[i].Effects = cloneEffects(h[i].Effects)
	}
	return h
}

func (c *core) Allowed(by Actor) []ActionKind {
	var out []ActionKind
	for _, t := range c.table {
		if t.From == c.state && t.Action != ActionFile && slices.Contains(t.By, by.Role) && !slices.Contains(out, t.Action) {
			out = append(out, t.Action)
		}
	}
	return out
}

func cloneTable(t []Transition) []Transition {
	t = slices.Clone(t)
	for i := range t {
		t[i].By = slices.Clone(t[i].By)
	}
	return t
}

func (c *core) fail(a ActionKind, target error, field, format string, args ...any) error {
	// Every string argument may come from the caller or from stored data: quote at most a clipped
	// piece of it, so that a huge input is never echoed whole.
	for i, arg := range args {
		if v := reflect.ValueOf(arg); v.IsValid() && v.Kind() == reflect.String {
			args[i] = clip(v.String())
		}
	}
	return &TransitionError{Procedure: c.name, State: c.state, Action: a, Field: field,
		Reason: fmt.Sprintf(format, args...), err: target}
}

// step finds the row for action a by actor by in the current state, and checks the instant: it is
// the table part of every Apply.
func (c *core) step(a ActionKind, by Actor, now time.Time) (Transition, error) {
	if !a.Valid() {
		return Transition{}, c.fail(a, ErrIllegalTransition, "action.kind", "unknown action %q", clip(string(a)))
	}
	var rows []Transition
	for _, t := range c.table {
		if t.From == c.state && t.Action == a {
			rows = append(rows, t)
		}
	}
	if len(rows) == 0 {
		return Transition{}, c.fail(a, ErrIllegalTransition, "", "%s", c.offered())
	}
	i := slices.IndexFunc(rows, func(t Transition) bool { return slices.Contains(t.By, by.Role) })
	if i < 0 {
		var roles []string
		for _, t := range rows {
			for _, r := range t.By {
				roles = append(roles, fmt.Sprintf("%s (%s)", r, r.Label()))
			}
		}
		return Transition{}, c.fail(a, ErrForbiddenRole, "actor.role", "role %q may not; only %s (%s)",
			clip(string(by.Role)), strings.Join(roles, ", "), rows[0].Source)
	}
	if now.IsZero() {
		return Transition{}, c.fail(a, ErrMissingField, "now", "the instant of the action is zero")
	}
	if n := len(c.history); n > 0 && now.Before(c.history[n-1].At) {
		return Transition{}, c.fail(a, ErrInvalidValue, "now", "%s is before the previous event at %s",
			fmtTime(now), fmtTime(c.history[n-1].At))
	}
	return rows[i], nil
}

// offered names the actions the table offers in the current state.
func (c *core) offered() string {
	var acts []string
	for _, t := range c.table {
		if t.From == c.state && !slices.Contains(acts, string(t.Action)) {
			acts = append(acts, string(t.Action))
		}
	}
	if len(acts) == 0 {
		return "the state is final: the " + c.name + " table allows no further action"
	}
	return "the " + c.name + " table allows only " + strings.Join(acts, ", ")
}

// checkBasis refuses an action carrying a basis outside [Bases], whatever the action: the history
// keeps the action whole, and a stored history must decode again.
func (c *core) checkBasis(act Action) error {
	if act.Basis != "" && !act.Basis.Valid() {
		return c.fail(act.Kind, ErrInvalidValue, "basis", "unknown basis %q: not_department, not_system or not_level (%s)", act.Basis, srcObjection)
	}
	return nil
}

func (c *core) record(t Transition, a Action, by Actor, now time.Time, effects []Effect) {
	c.history = append(c.history, Event{Seq: len(c.history) + 1, Action: a, By: by, At: now,
		From: t.From, To: t.To, Source: t.Source, Effects: effects})
	c.state = t.To
}

// clip bounds a string quoted from input in an error message.
func clip(s string) string { return enum.Clip(s) }

func fmtTime(t time.Time) string {
	return t.In(deadline.Location()).Format("2006-01-02 15:04")
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// Final reports whether the procedure is in a final state: one that no row of its table leaves.
func (c *core) Final() bool {
	return !slices.ContainsFunc(c.table, func(t Transition) bool { return t.From == c.state })
}
