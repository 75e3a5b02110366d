package ticket

import (
	"fmt"
	"strings"
	"time"

	"github.com/hotline12345/hotline/internal/enum"
)

// Guard is a condition, besides the state, the role and the payload, that a row of the lifecycle
// table requires before its action is allowed. Guards are a column of the table
// ([Transition].Guards): [Machine.Apply] checks them once, in order, before any effect, and
// [Table.Mermaid] draws them on the edges. Each cites its article ([Guard.Source]).
type Guard string

// The guards.
const (
	// GuardQualityCheck: the deadline policy checks replies before the callback (002 §6 (一) 2).
	GuardQualityCheck Guard = "quality_check"
	// GuardNoQualityCheck: the deadline policy has no quality check, so the callback may follow the
	// reply directly (002 §6 (一) 2).
	GuardNoQualityCheck Guard = "no_quality_check"
	// GuardNotStateCouncil: the item is not a 国办 item; those are returned upstream, never archived
	// (000 §4 (一)).
	GuardNotStateCouncil Guard = "not_state_council"
	// GuardReview: the ticket is a review (评价 / 差评, [KindReview]); closing as unfounded is for
	// reviews only (000 §6 (二)).
	GuardReview Guard = "review"
	// GuardOfficeFirstContact: the ticket policy makes first contact the hotline office's, from its
	// receipt ([Policy].FirstContactByOffice, 004 §8 (一)), and it is not yet recorded.
	GuardOfficeFirstContact Guard = "office_first_contact"
	// GuardApproverStep: the acting role is the one of the approval chain's current step: its first
	// step is the hotline office of the ticket's level (e.g. 街道热线办), later steps the upper
	// offices (区热线办, 市热线办), and an approver named as a leader (e.g. 市政府领导) a leader
	// (004 §4 (三), §9; 002 §6 (二) 1 (4)).
	GuardApproverStep Guard = "approver_step"
	// GuardReopenable: the callback found the citizen dissatisfied or the matter unresolved (004 §11).
	GuardReopenable Guard = "reopenable"
	// GuardNotDissatisfied: the citizen is not dissatisfied at the callback; a dissatisfied one is
	// reopened (004 §11) or closed as stored (000 §4 (三)).
	GuardNotDissatisfied Guard = "not_dissatisfied"
	// GuardStorable: the reply has a stored outcome (004 §8 (三)), or the ticket was answered
	// [Policy].StoreAfterReplies times and the citizen is still dissatisfied (000 §4 (三)).
	GuardStorable Guard = "storable"
	// GuardOverdue: where [Policy].UrgeOnlyOverdue, a running clock is past its deadline (002 §6 (二)
	// 1 (6)).
	GuardOverdue Guard = "overdue"
)

var guards = enum.New("ticket.Guard", ErrInvalidEnum,
	enum.Value[Guard]{V: GuardQualityCheck, Label: "质检"},
	enum.Value[Guard]{V: GuardNoQualityCheck, Label: "无质检"},
	enum.Value[Guard]{V: GuardNotStateCouncil, Label: "非国办件"},
	enum.Value[Guard]{V: GuardReview, Label: "评价件"},
	enum.Value[Guard]{V: GuardOfficeFirstContact, Label: "热线办先行联系"},
	enum.Value[Guard]{V: GuardApproverStep, Label: "当前审批层级"},
	enum.Value[Guard]{V: GuardReopenable, Label: "不满意或未解决"},
	enum.Value[Guard]{V: GuardNotDissatisfied, Label: "非不满意"},
	enum.Value[Guard]{V: GuardStorable, Label: "可存电"},
	enum.Value[Guard]{V: GuardOverdue, Label: "已超期"},
)

var guardSources = map[Guard]string{
	GuardQualityCheck:       "002 §6 (一) 2",
	GuardNoQualityCheck:     "002 §6 (一) 2",
	GuardNotStateCouncil:    "000 §4 (一)",
	GuardReview:             "000 §6 (二)",
	GuardOfficeFirstContact: "004 §8 (一)",
	GuardApproverStep:       "004 §4 (三); 004 §9",
	GuardReopenable:         "004 §11",
	GuardNotDissatisfied:    "004 §11; 000 §4 (三)",
	GuardStorable:           "000 §4 (三); 004 §8 (三)",
	GuardOverdue:            "002 §6 (二) 1 (6)",
}

// Guards returns every guard in declaration order.
func Guards() []Guard { return guards.All() }

// ParseGuard returns the guard whose wire value or Chinese label is s, or an [*EnumError].
func ParseGuard(s string) (Guard, error) { return guards.Parse(s) }

// String returns the wire value.
func (g Guard) String() string { return string(g) }

// Label returns the Chinese label.
func (g Guard) Label() string { return guards.Label(g) }

// Valid reports whether g is one of the declared guards.
func (g Guard) Valid() bool { return guards.Valid(g) }

// Source cites the article the guard comes from.
func (g Guard) Source() string { return guardSources[g] }

// MarshalText implements [encoding.TextMarshaler].
func (g Guard) MarshalText() ([]byte, error) {
	if g != "" && !guards.Valid(g) {
		return nil, guards.Check(g)
	}
	return []byte(g), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (g *Guard) UnmarshalText(b []byte) error {
	v, err := guards.Unmarshal(b)
	if err != nil {
		return err
	}
	*g = v
	return nil
}

// guardCtx is what a guard looks at.
type guardCtx struct {
	m   *Machine
	pol Policy
	t   *Ticket
	r   Request
	tr  Transition
	now time.Time
}

// check returns nil when guard g holds, else an *effectError with the sentinel and the article.
func (c guardCtx) check(g Guard) error {
	t, src := c.t, g.Source()
	switch g {
	case GuardQualityCheck:
		if !c.m.deadlines.QualityCheck {
			return refuse(ErrNotApplicable, "deadline policy %q has no quality check (%s)", c.m.deadlines.Name, src)
		}
	case GuardNoQualityCheck:
		if c.m.deadlines.QualityCheck {
			return refuse(ErrNotApplicable, "deadline policy %q checks replies first: pass the quality check before the callback (%s)", c.m.deadlines.Name, src)
		}
	case GuardNotStateCouncil:
		if t.Channel.StateCouncil() {
			return refuse(ErrNotApplicable, "a 国办 item is returned upstream, not archived (%s)", src)
		}
	case GuardReview:
		if !t.isReview() {
			ke := &KindError{Action: c.tr.Action, Kind: t.Kind, Want: KindReview, Source: src}
			return &effectError{sentinel: ErrWrongKind, cause: ke, reason: ke.reason()}
		}
	case GuardOfficeFirstContact:
		if !c.pol.FirstContactByOffice {
			return refuse(ErrNotApplicable, "policy %q: first contact is the handling unit's, after dispatch (000 §5); the office's before dispatch needs first_contact_by_office (%s)",
				c.pol.Name, src)
		}
		if fc := t.Deadlines.FirstContact; fc.Key != "" && !fc.Running() {
			return refuse(ErrNotApplicable, "first contact was already recorded at %s (%s)", fmtTime(fc.Met), fc.Source)
		}
	case GuardApproverStep:
		x := t.Extension // present and consistent: Ticket.check
		step, want := len(x.Approved), ""
		if step < len(x.Approvals) {
			want = x.Approvals[step]
		}
		if role := approverRole(want, step); c.r.Role != role {
			name := want
			if name == "" {
				name = "the hotline office"
			}
			return refuse(ErrForbiddenRole, "step %d of the approval chain %v is %s, approved by the role %s (%s), not %s (%s)",
				step+1, x.Approvals, name, role, role.Label(), c.r.Role, src)
		}
	case GuardReopenable:
		if cb := t.Callback; cb == nil || (!cb.Dissatisfied() && cb.Resolved) {
			return refuse(ErrNotApplicable, "only a dissatisfied or unresolved callback is reopened (%s)", src)
		}
	case GuardNotDissatisfied:
		if t.Callback != nil && t.Callback.Dissatisfied() {
			return refuse(ErrNotApplicable, "the citizen is dissatisfied: reopen (004 §11) or close as stored (000 §4 (三))")
		}
	case GuardStorable:
		storedOutcome := t.Reply != nil && t.Reply.Outcome.Stored()
		n := c.pol.StoreAfterReplies
		repeated := n > 0 && t.Counters.Replies >= n && t.Callback != nil && t.Callback.Dissatisfied()
		if !storedOutcome && !repeated {
			return refuse(ErrNotApplicable, "closing as stored needs a stored outcome (004 §8 (三)) or %d answers and a dissatisfied callback (000 §4 (三)); have %d answers",
				n, t.Counters.Replies)
		}
	case GuardOverdue:
		if !c.pol.UrgeOnlyOverdue {
			return nil
		}
		var due []string
		for _, k := range t.Deadlines.all() {
			if !k.Running() {
				continue
			}
			if !c.now.Before(k.Due.At) {
				return nil
			}
			due = append(due, fmt.Sprintf("%s due %s", k.Key, fmtTime(k.Due.At)))
		}
		running := "no clock is running"
		if len(due) > 0 {
			running = strings.Join(due, ", ")
		}
		return refuse(ErrNotApplicable, "nothing is overdue: urging is for tickets past their deadline (%s); %s", src, running)
	default:
		return refuse(ErrIllegalTransition, "unknown guard %q", g)
	}
	return nil
}

// approverRole is the role that approves at step (from 0) of an approval chain whose approver there
// is name ("" when the limit names no chain): a leader (领导) for an approver named as one (e.g. 市政
// 府领导, 002 §6 (二) 1 (4)); else the hotline office of the ticket's own level at the first step (e.g.
// 街道热线办, 004 §4 (三), §9 第一款) and the upper offices after it (区热线办, 市热线办, 004 §9 第二款).
func approverRole(name string, step int) Role {
	switch {
	case strings.Contains(name, "领导"):
		return RoleLeader
	case step == 0:
		return RoleHotlineOffice
	}
	return RoleUpperOffice
}

// isReview reports whether t is a review (评价 / 差评): the kind decides, and intake refuses a
// 好差评 channel item of any other kind, so channel and kind cannot disagree.
func (t *Ticket) isReview() bool { return t.Kind == KindReview }
