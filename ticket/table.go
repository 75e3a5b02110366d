package ticket

import (
	"fmt"
	"github.com/hotline12345/hotline/internal/enum"
	"slices"
	"strings"
)

// State is where a ticket is in its lifecycle (the states of the lifecycle table, [Lifecycle]). [StateNew] is a ticket not yet accepted: only [ActionAccept] leaves it; a ticket whose State is unset and that has no history is new.
type State string

// The State values.
const (
	StateNew                State = "new"                 // 待受理
	StateReceived           State = "received"            // 已受理
	StateRefused            State = "refused"             // 不予受理
	StateArchived           State = "archived"            // 已归档
	StateReturnedUpstream   State = "returned_upstream"   // 已退回上级
	StateDispatched         State = "dispatched"          // 已派单
	StateReturned           State = "returned"            // 已退单
	StateHandling           State = "handling"            // 办理中
	StateExtensionRequested State = "extension_requested" // 延期申请中
	StateReplied            State = "replied"             // 已办结
	StateChecked            State = "checked"             // 质检通过
	StateCalledBack         State = "called_back"         // 已回访
	StateReopened           State = "reopened"            // 不满退回
	StateClosed             State = "closed"              // 已结案
	StateClosedStored       State = "closed_stored"       // 存电办结
	StateClosedUnfounded    State = "closed_unfounded"    // 不属实办结
)

var states = enum.New("ticket.State", ErrInvalidEnum,
	enum.Value[State]{V: StateNew, Label: "待受理"},
	enum.Value[State]{V: StateReceived, Label: "已受理"},
	enum.Value[State]{V: StateRefused, Label: "不予受理"},
	enum.Value[State]{V: StateArchived, Label: "已归档"},
	enum.Value[State]{V: StateReturnedUpstream, Label: "已退回上级"},
	enum.Value[State]{V: StateDispatched, Label: "已派单"},
	enum.Value[State]{V: StateReturned, Label: "已退单"},
	enum.Value[State]{V: StateHandling, Label: "办理中"},
	enum.Value[State]{V: StateExtensionRequested, Label: "延期申请中"},
	enum.Value[State]{V: StateReplied, Label: "已办结"},
	enum.Value[State]{V: StateChecked, Label: "质检通过"},
	enum.Value[State]{V: StateCalledBack, Label: "已回访"},
	enum.Value[State]{V: StateReopened, Label: "不满退回"},
	enum.Value[State]{V: StateClosed, Label: "已结案"},
	enum.Value[State]{V: StateClosedStored, Label: "存电办结"},
	enum.Value[State]{V: StateClosedUnfounded, Label: "不属实办结"},
)

// States returns every State in display order.
func States() []State { return states.All() }

// ParseState returns the State whose wire value or Chinese label is s, or an [*EnumError].
func ParseState(s string) (State, error) { return states.Parse(s) }

// String returns the wire value.
func (s State) String() string { return string(s) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (s State) Label() string { return states.Label(s) }

// Valid reports whether s is one of the declared values.
func (s State) Valid() bool { return states.Valid(s) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (s *State) UnmarshalText(b []byte) error {
	v, err := states.Unmarshal(b)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (s State) MarshalText() ([]byte, error) {
	if s != "" && !states.Valid(s) {
		return nil, states.Check(s)
	}
	return []byte(s), nil
}

// Action is something done to a ticket: a column of the lifecycle table.
type Action string

// The Action values.
const (
	ActionAccept            Action = "accept"             // 受理
	ActionRefuse            Action = "refuse"             // 不予受理
	ActionArchive           Action = "archive"            // 归档
	ActionReturnUpstream    Action = "return_upstream"    // 退回上级
	ActionAnswer            Action = "answer"             // 即办答复
	ActionDispatch          Action = "dispatch"           // 派单
	ActionDesignate         Action = "designate"          // 指定
	ActionReturn            Action = "return"             // 退单
	ActionFirstContact      Action = "first_contact"      // 先行联系
	ActionRequestExtension  Action = "request_extension"  // 申请延期
	ActionEscalateExtension Action = "escalate_extension" // 审核延期并上报
	ActionApproveExtension  Action = "approve_extension"  // 批准延期
	ActionRefuseExtension   Action = "refuse_extension"   // 不予延期
	ActionReply             Action = "reply"              // 办结答复
	ActionPassQualityCheck  Action = "pass_quality_check" // 质检通过
	ActionFailQualityCheck  Action = "fail_quality_check" // 质检未通过
	ActionCallback          Action = "callback"           // 回访
	ActionReopen            Action = "reopen"             // 不满退回
	ActionSupervise         Action = "supervise"          // 督办
	ActionUrge              Action = "urge"               // 催办
	ActionMarkRepeat        Action = "mark_repeat"        // 关联重复投诉
	ActionCloseStored       Action = "close_stored"       // 存电办结
	ActionClose             Action = "close"              // 结案
	ActionCloseUnfounded    Action = "close_unfounded"    // 按不属实评价办结
)

var actions = enum.New("ticket.Action", ErrInvalidEnum,
	enum.Value[Action]{V: ActionAccept, Label: "受理"},
	enum.Value[Action]{V: ActionRefuse, Label: "不予受理"},
	enum.Value[Action]{V: ActionArchive, Label: "归档"},
	enum.Value[Action]{V: ActionReturnUpstream, Label: "退回上级"},
	enum.Value[Action]{V: ActionAnswer, Label: "即办答复"},
	enum.Value[Action]{V: ActionDispatch, Label: "派单"},
	enum.Value[Action]{V: ActionDesignate, Label: "指定"},
	enum.Value[Action]{V: ActionReturn, Label: "退单"},
	enum.Value[Action]{V: ActionFirstContact, Label: "先行联系"},
	enum.Value[Action]{V: ActionRequestExtension, Label: "申请延期"},
	enum.Value[Action]{V: ActionEscalateExtension, Label: "审核延期并上报"},
	enum.Value[Action]{V: ActionApproveExtension, Label: "批准延期"},
	enum.Value[Action]{V: ActionRefuseExtension, Label: "不予延期"},
	enum.Value[Action]{V: ActionReply, Label: "办结答复"},
	enum.Value[Action]{V: ActionPassQualityCheck, Label: "质检通过"},
	enum.Value[Action]{V: ActionFailQualityCheck, Label: "质检未通过"},
	enum.Value[Action]{V: ActionCallback, Label: "回访"},
	enum.Value[Action]{V: ActionReopen, Label: "不满退回"},
	enum.Value[Action]{V: ActionSupervise, Label: "督办"},
	enum.Value[Action]{V: ActionUrge, Label: "催办"},
	enum.Value[Action]{V: ActionMarkRepeat, Label: "关联重复投诉"},
	enum.Value[Action]{V: ActionCloseStored, Label: "存电办结"},
	enum.Value[Action]{V: ActionClose, Label: "结案"},
	enum.Value[Action]{V: ActionCloseUnfounded, Label: "按不属实评价办结"},
)

// Actions returns every Action in display order.
func Actions() []Action { return actions.All() }

// ParseAction returns the Action whose wire value or Chinese label is s, or an [*EnumError].
func ParseAction(s string) (Action, error) { return actions.Parse(s) }

// String returns the wire value.
func (a Action) String() string { return string(a) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (a Action) Label() string { return actions.Label(a) }

// Valid reports whether a is one of the declared values.
func (a Action) Valid() bool { return actions.Valid(a) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (a *Action) UnmarshalText(b []byte) error {
	v, err := actions.Unmarshal(b)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (a Action) MarshalText() ([]byte, error) {
	if a != "" && !actions.Valid(a) {
		return nil, actions.Check(a)
	}
	return []byte(a), nil
}

// Role is the capacity in which someone acts on a ticket: 热线办 (the hotline office of the ticket's own level: accepts, dispatches, calls back, approves extensions at its level), 承办单位, 督办部门 (e.g. 街道党政办, 004 §13; 督查局, 002 §6 (二) 1 (5)), 分管领导 (designates units, 004 §6), 上级热线办 (区/市热线办: escalated extension approval, 004 §9 第二款) and 系统 (automatic intake, dispatch, screening, repeat detection).
type Role string

// The Role values.
const (
	RoleHotlineOffice Role = "hotline_office" // 热线办
	RoleHandlingUnit  Role = "handling_unit"  // 承办单位
	RoleSupervisor    Role = "supervisor"     // 督办部门
	RoleLeader        Role = "leader"         // 分管领导
	RoleUpperOffice   Role = "upper_office"   // 上级热线办
	RoleSystem        Role = "system"         // 系统
)

var roles = enum.New("ticket.Role", ErrInvalidEnum,
	enum.Value[Role]{V: RoleHotlineOffice, Label: "热线办"},
	enum.Value[Role]{V: RoleHandlingUnit, Label: "承办单位"},
	enum.Value[Role]{V: RoleSupervisor, Label: "督办部门"},
	enum.Value[Role]{V: RoleLeader, Label: "分管领导"},
	enum.Value[Role]{V: RoleUpperOffice, Label: "上级热线办"},
	enum.Value[Role]{V: RoleSystem, Label: "系统"},
)

// Roles returns every Role in display order.
func Roles() []Role { return roles.All() }

// ParseRole returns the Role whose wire value or Chinese label is s, or an [*EnumError].
func ParseRole(s string) (Role, error) { return roles.Parse(s) }

// String returns the wire value.
func (r Role) String() string { return string(r) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (r Role) Label() string { return roles.Label(r) }

// Valid reports whether r is one of the declared values.
func (r Role) Valid() bool { return roles.Valid(r) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (r *Role) UnmarshalText(b []byte) error {
	v, err := roles.Unmarshal(b)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (r Role) MarshalText() ([]byte, error) {
	if r != "" && !roles.Valid(r) {
		return nil, roles.Check(r)
	}
	return []byte(r), nil
}

// Terminal reports whether no action leaves s.
func (s State) Terminal() bool {
	switch s {
	case StateArchived, StateReturnedUpstream, StateClosed, StateClosedStored, StateClosedUnfounded:
		return true
	}
	return false
}

// Open reports whether s is a state in which supervision applies: accepted and not yet refused or
// finished.
func (s State) Open() bool { return s.Valid() && s != StateNew && s != StateRefused && !s.Terminal() }

// RoleSet is a set of roles.
type RoleSet uint16

// roleBit is each role's bit in a RoleSet, in declaration order.
var roleBit = func() map[Role]RoleSet {
	m := map[Role]RoleSet{}
	for i, r := range Roles() {
		m[r] = 1 << i
	}
	return m
}()

// NewRoleSet returns the set of the given roles; invalid roles are left out.
func NewRoleSet(roles ...Role) RoleSet {
	var s RoleSet
	for _, r := range roles {
		s |= roleBit[r]
	}
	return s
}

// Has reports whether r is in s.
func (s RoleSet) Has(r Role) bool { b := roleBit[r]; return b != 0 && s&b != 0 }

// Roles returns the roles in s in declaration order.
func (s RoleSet) Roles() []Role {
	var out []Role
	for _, r := range Roles() {
		if s.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// Label returns the Chinese labels of the roles in s joined by "、".
func (s RoleSet) Label() string {
	var ls []string
	for _, r := range s.Roles() {
		ls = append(ls, r.Label())
	}
	return strings.Join(ls, "、")
}

// PayloadKind names which field of a [Payload] an action must carry: its wire value is the field's
// JSON name, or "nothing".
type PayloadKind string

// The payload kinds.
const (
	CarriesNothing      PayloadKind = "nothing"
	CarriesIntake       PayloadKind = "intake"
	CarriesRefusal      PayloadKind = "refusal"
	CarriesDispatch     PayloadKind = "dispatch"
	CarriesReturn       PayloadKind = "return"
	CarriesExtension    PayloadKind = "extension"
	CarriesApproval     PayloadKind = "approval"
	CarriesReply        PayloadKind = "reply"
	CarriesCallback     PayloadKind = "callback"
	CarriesSupervision  PayloadKind = "supervision"
	CarriesRepeat       PayloadKind = "repeat"
	CarriesClosure      PayloadKind = "closure"
	CarriesAppealReview PayloadKind = "appeal_review"
)

var payloadKinds = enum.New("ticket.PayloadKind", ErrInvalidEnum,
	enum.Value[PayloadKind]{V: CarriesNothing, Label: "无"},
	enum.Value[PayloadKind]{V: CarriesIntake, Label: "受理登记"},
	enum.Value[PayloadKind]{V: CarriesRefusal, Label: "不予受理理由"},
	enum.Value[PayloadKind]{V: CarriesDispatch, Label: "派单"},
	enum.Value[PayloadKind]{V: CarriesReturn, Label: "退单"},
	enum.Value[PayloadKind]{V: CarriesExtension, Label: "延期申请"},
	enum.Value[PayloadKind]{V: CarriesApproval, Label: "延期审批"},
	enum.Value[PayloadKind]{V: CarriesReply, Label: "办结答复"},
	enum.Value[PayloadKind]{V: CarriesCallback, Label: "回访"},
	enum.Value[PayloadKind]{V: CarriesSupervision, Label: "督办"},
	enum.Value[PayloadKind]{V: CarriesRepeat, Label: "重复投诉"},
	enum.Value[PayloadKind]{V: CarriesClosure, Label: "结案"},
	enum.Value[PayloadKind]{V: CarriesAppealReview, Label: "申诉复核"},
)

// PayloadKinds returns every payload kind, [CarriesNothing] first.
func PayloadKinds() []PayloadKind { return payloadKinds.All() }

// String returns the wire value: the name of the [Payload] field, e.g. "dispatch", or "nothing".
func (k PayloadKind) String() string { return string(k) }

// Label returns the Chinese label.
func (k PayloadKind) Label() string { return payloadKinds.Label(k) }

// Valid reports whether k is one of the declared payload kinds.
func (k PayloadKind) Valid() bool { return payloadKinds.Valid(k) }

// ParsePayloadKind returns the payload kind whose identifier or Chinese label is s.
func ParsePayloadKind(s string) (PayloadKind, error) { return payloadKinds.Parse(s) }

// UnmarshalText implements [encoding.TextUnmarshaler]; it refuses an unknown payload kind.
func (k *PayloadKind) UnmarshalText(b []byte) error {
	v, err := payloadKinds.Unmarshal(b)
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// Transition is one row of the lifecycle table: in state From, action Action leads to state To; it
// may be taken by the roles in Roles, must carry the payload Carries (and a reason when NeedsReason),
// does to the clocks what Clocks says, and comes from the article Source.
type Transition struct {
	From        State
	Action      Action
	To          State
	Roles       RoleSet
	Carries     PayloadKind
	NeedsReason bool
	// Counted reports whether the action only counts (supervision, urging, repeats): To equals From.
	Counted bool
	// Guards are the conditions besides state, role and payload that the row requires, checked in
	// order by [Machine.Apply] before any effect.
	Guards []Guard
	// Clocks says in words what the transition does to the stage clocks.
	Clocks string
	// Source cites the documents and articles the row comes from.
	Source string
}

// Table is the lifecycle transition table. It is immutable and safe for concurrent use; get it
// with [Lifecycle].
type Table struct {
	rows    []Transition
	index   map[rowKey]int     // row index
	allowed map[State][]Action // actions with a row, by state, in declaration order
}

// Lifecycle returns the lifecycle transition table (the states and actions of 000 §4–§7, 002 §5–§6,
// 003 四–六 and 004 §6–§13). The table is immutable: the same
// value is returned every time and no method changes it.
func Lifecycle() *Table { return lifecycle }

// lifecycle is built once and never mutated.
var lifecycle = buildTable()

// rowKey indexes the table by state and action.
type rowKey struct {
	From   State
	Action Action
}

// Lookup returns the row for action a in state s, and whether there is one. It is a constant-time
// array lookup.
func (t *Table) Lookup(s State, a Action) (Transition, bool) {
	i, ok := t.index[rowKey{s, a}]
	if !ok {
		return Transition{}, false
	}
	r := t.rows[i]
	r.Guards = slices.Clone(r.Guards)
	return r, true
}

// lookup is Lookup without the copy of the guards, for Apply, which only reads them.
func (t *Table) lookup(s State, a Action) (Transition, bool) {
	i, ok := t.index[rowKey{s, a}]
	if !ok {
		return Transition{}, false
	}
	return t.rows[i], true
}

// lookupScan is Lookup by a linear scan of the rows: the baseline of BenchmarkApply.
func (t *Table) lookupScan(s State, a Action) (Transition, bool) {
	for _, r := range t.rows {
		if r.From == s && r.Action == a {
			return r, true
		}
	}
	return Transition{}, false
}

// Rows returns a copy of every row, grouped by the state they leave in declaration order.
func (t *Table) Rows() []Transition {
	out := slices.Clone(t.rows)
	for i := range out {
		out[i].Guards = slices.Clone(out[i].Guards)
	}
	return out
}

// Allowed returns the actions that have a row in state s, in declaration order.
func (t *Table) Allowed(s State) []Action { return slices.Clone(t.allowed[s]) }

func buildTable() *Table {
	var (
		office     = NewRoleSet(RoleHotlineOffice)
		officeSys  = NewRoleSet(RoleHotlineOffice, RoleSystem)
		unit       = NewRoleSet(RoleHandlingUnit)
		leader     = NewRoleSet(RoleLeader)
		approvers  = NewRoleSet(RoleHotlineOffice, RoleUpperOffice, RoleLeader)
		escalators = NewRoleSet(RoleHotlineOffice, RoleUpperOffice)
		closers    = NewRoleSet(RoleHotlineOffice, RoleUpperOffice)
		contacters = NewRoleSet(RoleHandlingUnit, RoleHotlineOffice)
		overseers  = NewRoleSet(RoleHotlineOffice, RoleSupervisor, RoleLeader, RoleUpperOffice)
		urgers     = NewRoleSet(RoleHotlineOffice, RoleSupervisor, RoleUpperOffice, RoleSystem)

		// 000 §6 (二): the unit closes the bad review "通过12345市民服务热线": on the hotline system
		// itself, or the hotline office records it on the unit's behalf.
		unfoundedClosers = NewRoleSet(RoleHandlingUnit, RoleHotlineOffice)
	)
	var rows []Transition
	const stays State = "" // the row keeps the state it leaves
	add := func(from []State, a Action, to State, roles RoleSet, carries PayloadKind, reason bool, clocks, source string, guards ...Guard) {
		for _, f := range from {
			next := to
			if to == stays {
				next = f
			}
			rows = append(rows, Transition{From: f, Action: a, To: next, Roles: roles, Carries: carries,
				NeedsReason: reason, Counted: to == stays && a != ActionEscalateExtension, Guards: guards, Clocks: clocks, Source: source})
		}
	}
	one := func(s State) []State { return []State{s} }

	add(one(StateNew), ActionAccept, StateReceived, officeSys, CarriesIntake, false,
		"starts the return-upstream window and the reply cap of 国办 items, the same-day cause analysis of the 办不成事 window, and with FirstContactByOffice the first-contact clock",
		"000 §4 (一); 000 §5; 003 六 (一), (二); 004 §6")
	add(one(StateReceived), ActionRefuse, StateRefused, officeSys, CarriesRefusal, false,
		"starts the refusal-reply clock (ReplyRefusal)", "002 §5; 003 四 (二), 四 (四) 5")
	add(one(StateReceived), ActionArchive, StateArchived, office, CarriesRefusal, false,
		"none", "000 §4 (一)", GuardNotStateCouncil)
	add(one(StateReceived), ActionReturnUpstream, StateReturnedUpstream, office, CarriesRefusal, false,
		"must fall within the return-upstream window (ReturnUpstream)", "000 §4 (一); 004 §7")
	add(one(StateReceived), ActionAnswer, StateReplied, office, CarriesReply, false,
		"meets the quick-reply clock (ReplyQuick) at once", "002 §6 (二) 1 (1)")
	add([]State{StateReceived, StateReturned}, ActionDispatch, StateDispatched, officeSys, CarriesDispatch, false,
		"starts the first-contact clock (FirstContact; not with FirstContactByOffice, which counts from intake) and the reply clock chosen by mode and complexity, from this dispatch",
		"000 §4 (二); 002 §6 (二) 1; 004 §6; 004 §8 (一), (二)")
	add([]State{StateReceived, StateReturned}, ActionDesignate, StateDispatched, leader, CarriesDispatch, false,
		"as dispatch", "000 §4 (二); 000 §7 (二); 004 §6")
	add([]State{StateDispatched, StateHandling}, ActionReturn, StateReturned, unit, CarriesReturn, false,
		"clears the unit's first-contact and reply clocks; a bad-review objection must fall within ObjectionReturn",
		"000 §7 (二); 004 §7")
	add(one(StateReceived), ActionFirstContact, StateReceived, office, CarriesNothing, false,
		"meets the first-contact clock counted from intake; late is recorded, not refused; only with the rule FirstContactByOffice",
		"004 §8 (一)", GuardOfficeFirstContact)
	add(one(StateDispatched), ActionFirstContact, StateHandling, contacters, CarriesNothing, false,
		"meets the first-contact clock (from dispatch, or from intake with FirstContactByOffice) if still running; late is recorded, not refused",
		"000 §5; 002 §6 (一) 1; 004 §8 (一)")
	add(one(StateHandling), ActionRequestExtension, StateExtensionRequested, unit, CarriesExtension, false,
		"must fall within the extension window (ExtensionGeneral / ExtensionComplex) counted from dispatch, and end by the running reply cap (ReplyCap)",
		"004 §9; 000 §5; 002 §6 (二) 1 (4)")
	add(one(StateExtensionRequested), ActionEscalateExtension, stays, escalators, CarriesApproval, false,
		"none: the request goes to the next approver of the limit's approval chain", "004 §9 第二款", GuardApproverStep)
	add(one(StateExtensionRequested), ActionApproveExtension, StateHandling, approvers, CarriesApproval, false,
		"moves the reply deadline to the requested period, at most the limit's ExtendTo and the reply cap",
		"004 §4 (三); 004 §9", GuardApproverStep)
	add(one(StateExtensionRequested), ActionRefuseExtension, StateHandling, approvers, CarriesApproval, true,
		"none: the reply deadline stays", "004 §4 (三); 004 §9", GuardApproverStep)
	add([]State{StateHandling, StateReopened}, ActionReply, StateReplied, unit, CarriesReply, false,
		"meets the reply clock (after a reopening, the redo clock) and the cap; late is recorded", "000 §4 (三); 004 §8 (二)–(四); 004 §10")
	add(one(StateReplied), ActionPassQualityCheck, StateChecked, office, CarriesNothing, false,
		"none; only where the policy has a quality check", "002 §6 (一) 2", GuardQualityCheck)
	add(one(StateReplied), ActionFailQualityCheck, StateHandling, office, CarriesNothing, true,
		"restarts the reply (or redo) clock against its original deadline", "002 §6 (一) 2", GuardQualityCheck)
	add(one(StateReplied), ActionCallback, StateCalledBack, office, CarriesCallback, false,
		"none; a dissatisfied callback puts the ticket under supervision", "000 §4 (四); 004 §11; 004 §12 (二) 4", GuardNoQualityCheck)
	add(one(StateChecked), ActionCallback, StateCalledBack, office, CarriesCallback, false,
		"none; a dissatisfied callback puts the ticket under supervision", "000 §4 (四); 004 §11; 004 §12 (二) 4")
	add(one(StateCalledBack), ActionReopen, StateReopened, office, CarriesNothing, false,
		"starts the redo clock (Reopen) from now; the reply clock keeps the first reply's record", "004 §11; 002 §6 (二) 3", GuardReopenable)
	add(one(StateRefused), ActionClose, StateClosed, closers, CarriesNothing, false,
		"meets the refusal-reply clock of a refused ticket", "004 §10; 000 §4 (四)")
	add(one(StateCalledBack), ActionClose, StateClosed, closers, CarriesNothing, false,
		"meets the refusal-reply clock of a refused ticket", "004 §10; 000 §4 (四)", GuardNotDissatisfied)
	add([]State{StateReplied, StateChecked, StateCalledBack}, ActionCloseStored, StateClosedStored, office, CarriesClosure, true,
		"none", "000 §4 (三); 004 §8 (三)", GuardStorable)
	add([]State{StateHandling, StateExtensionRequested, StateReopened, StateReplied, StateChecked, StateCalledBack},
		ActionCloseUnfounded, StateClosedUnfounded, unfoundedClosers, CarriesAppealReview, false,
		"meets the appeal-close clock (AppealClose) counted from the unit's receipt, late recorded; a running reply clock no longer applies; review tickets only",
		"000 §6 (二)", GuardReview)

	var open []State
	for _, s := range States() {
		if s.Open() {
			open = append(open, s)
		}
	}
	add(open, ActionSupervise, stays, overseers, CarriesSupervision, false,
		"none; counted (督办次数)", "000 §4 (五); 003 附件2; 004 §12; 004 §13")
	add(open, ActionUrge, stays, urgers, CarriesNothing, false,
		"none; counted; where the policy says so (UrgeOnlyOverdue), only when a running clock is overdue", "002 §6 (二) 1 (6)", GuardOverdue)
	add(open, ActionMarkRepeat, stays, officeSys, CarriesRepeat, false,
		"none; counted; the repeat that reaches the policy's SuperviseAtRepeats puts the ticket under supervision",
		"004 §12 (二) 2; 002 §5 (二)")

	t := &Table{rows: rows, index: make(map[rowKey]int, len(rows)), allowed: map[State][]Action{}}
	for i, r := range rows {
		if _, dup := t.index[rowKey{r.From, r.Action}]; dup {
			panic(fmt.Sprintf("ticket: duplicate lifecycle row %s × %s", r.From, r.Action)) // build-time bug only
		}
		t.index[rowKey{r.From, r.Action}] = i
	}
	for _, s := range States() {
		for _, a := range Actions() {
			if _, ok := t.index[rowKey{s, a}]; ok {
				t.allowed[s] = append(t.allowed[s], a)
			}
		}
	}
	return t
}
