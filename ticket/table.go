package ticket

import (
	"fmt"
	"slices"
	"strings"
)

// State is where a ticket is in its lifecycle (DESIGN §3). The zero State, [StateNew], is a ticket not
// yet accepted: only [ActionAccept] leaves it.
type State uint8

// The states.
const (
	StateNew                State = iota // 待受理: not yet accepted
	StateReceived                        // 已受理
	StateRefused                         // 不予受理: screened out, reasons to be told
	StateArchived                        // 已归档 (作为一般意见建议)
	StateReturnedUpstream                // 已退回上级 (国办 / 区热线办)
	StateDispatched                      // 已派单: awaiting first contact
	StateReturned                        // 已退单: awaiting re-dispatch or designation
	StateHandling                        // 办理中
	StateExtensionRequested              // 延期申请中
	StateReplied                         // 已办结: awaiting quality check or callback
	StateChecked                         // 质检通过: awaiting callback
	StateCalledBack                      // 已回访: awaiting close or reopen
	StateReopened                        // 不满退回: redo on the reopen clock
	StateClosed                          // 已结案
	StateClosedStored                    // 存电办结
	StateClosedUnfounded                 // 不属实办结: a bad review found unfounded on appeal (000 §6 (二))
	numStates
)

var stateNames = [numStates]enumName{
	{"new", "待受理"},
	{"received", "已受理"},
	{"refused", "不予受理"},
	{"archived", "已归档"},
	{"returned_upstream", "已退回上级"},
	{"dispatched", "已派单"},
	{"returned", "已退单"},
	{"handling", "办理中"},
	{"extension_requested", "延期申请中"},
	{"replied", "已办结"},
	{"checked", "质检通过"},
	{"called_back", "已回访"},
	{"reopened", "不满退回"},
	{"closed", "已结案"},
	{"closed_stored", "存电办结"},
	{"closed_unfounded", "不属实办结"},
}

// States returns every state in declaration order, [StateNew] first.
func States() []State {
	out := make([]State, numStates)
	for i := range out {
		out[i] = State(i)
	}
	return out
}

// String returns the state's identifier, e.g. "handling".
func (s State) String() string {
	if s < numStates {
		return stateNames[s].name
	}
	return fmt.Sprintf("State(%d)", s)
}

// Label returns the state's Chinese label, e.g. "办理中".
func (s State) Label() string {
	if s < numStates {
		return stateNames[s].label
	}
	return s.String()
}

// Valid reports whether s is a declared state.
func (s State) Valid() bool { return s < numStates }

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

// MarshalText implements [encoding.TextMarshaler].
func (s State) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("%w: %s", ErrUnknownValue, s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]; it accepts the identifier or the Chinese label.
func (s *State) UnmarshalText(b []byte) error {
	t := strings.TrimSpace(string(b))
	for i, n := range stateNames {
		if strings.EqualFold(t, n.name) || t == n.label {
			*s = State(i)
			return nil
		}
	}
	return fmt.Errorf("%w: State %q", ErrUnknownValue, b)
}

// Action is something done to a ticket.
type Action uint8

// The actions. The zero Action is invalid.
const (
	ActionAccept            Action = iota + 1 // 受理
	ActionRefuse                              // 不予受理
	ActionArchive                             // 归档 (作为一般意见建议)
	ActionReturnUpstream                      // 退回上级: 退回国办 (000 §4 (一)) or to the district hotline office (004 §7)
	ActionAnswer                              // 即办答复
	ActionDispatch                            // 派单
	ActionDesignate                           // 指定 (分管领导)
	ActionReturn                              // 退单
	ActionFirstContact                        // 先行联系
	ActionRequestExtension                    // 申请延期
	ActionEscalateExtension                   // 审核延期并上报
	ActionApproveExtension                    // 批准延期
	ActionRefuseExtension                     // 不予延期
	ActionReply                               // 办结答复
	ActionPassQualityCheck                    // 质检通过
	ActionFailQualityCheck                    // 质检未通过
	ActionCallback                            // 回访
	ActionReopen                              // 不满退回
	ActionSupervise                           // 督办
	ActionUrge                                // 催办
	ActionMarkRepeat                          // 关联重复投诉
	ActionCloseStored                         // 存电办结
	ActionClose                               // 结案
	ActionCloseUnfounded                      // 按不属实评价办结 (000 §6 (二))
	numActions
)

var actionNames = []enumName{
	{},
	{"accept", "受理"},
	{"refuse", "不予受理"},
	{"archive", "归档"},
	{"return_upstream", "退回上级"},
	{"answer", "即办答复"},
	{"dispatch", "派单"},
	{"designate", "指定"},
	{"return", "退单"},
	{"first_contact", "先行联系"},
	{"request_extension", "申请延期"},
	{"escalate_extension", "审核延期并上报"},
	{"approve_extension", "批准延期"},
	{"refuse_extension", "不予延期"},
	{"reply", "办结答复"},
	{"pass_quality_check", "质检通过"},
	{"fail_quality_check", "质检未通过"},
	{"callback", "回访"},
	{"reopen", "不满退回"},
	{"supervise", "督办"},
	{"urge", "催办"},
	{"mark_repeat", "关联重复投诉"},
	{"close_stored", "存电办结"},
	{"close", "结案"},
	{"close_unfounded", "按不属实评价办结"},
}

// Actions returns every valid action in declaration order.
func Actions() []Action { return all[Action](len(actionNames)) }

// String returns the action's identifier, e.g. "first_contact".
func (a Action) String() string { return enumString("Action", actionNames, int(a)) }

// Label returns the action's Chinese label, e.g. "先行联系".
func (a Action) Label() string { return enumLabel(actionNames, int(a)) }

// Valid reports whether a is a declared action.
func (a Action) Valid() bool { return enumValid(actionNames, int(a)) }

// MarshalText implements [encoding.TextMarshaler].
func (a Action) MarshalText() ([]byte, error) { return marshalEnum("Action", actionNames, int(a)) }

// UnmarshalText implements [encoding.TextUnmarshaler]; it accepts the identifier or the Chinese label.
func (a *Action) UnmarshalText(b []byte) error {
	v, err := unmarshalEnum("Action", actionNames, b)
	*a = Action(v)
	return err
}

// ParseAction returns the action whose identifier or Chinese label is s.
func ParseAction(s string) (Action, error) {
	v, err := parseEnum("Action", actionNames, s)
	return Action(v), err
}

// Role is the capacity in which someone acts on a ticket.
type Role uint8

// The roles. The zero Role is invalid.
const (
	RoleHotlineOffice Role = iota + 1 // 热线办: accepts, dispatches, calls back, approves extensions
	RoleHandlingUnit                  // 承办单位 (工单处置单位)
	RoleSupervisor                    // 督办部门: e.g. 街道党政办 (004 §13), 督查局 (002 §6 (二) 1 (5))
	RoleLeader                        // 分管领导: designates units (004 §6), approves
	RoleUpperOffice                   // 上级热线办 (区/市热线办): escalated extension approval (004 §9 第二款)
	RoleSystem                        // 系统: automatic intake, dispatch, screening, repeat detection
	numRoles
)

var roleNames = []enumName{
	{},
	{"hotline_office", "热线办"},
	{"handling_unit", "承办单位"},
	{"supervisor", "督办部门"},
	{"leader", "分管领导"},
	{"upper_office", "上级热线办"},
	{"system", "系统"},
}

// Roles returns every valid role in declaration order.
func Roles() []Role { return all[Role](len(roleNames)) }

// String returns the role's identifier, e.g. "handling_unit".
func (r Role) String() string { return enumString("Role", roleNames, int(r)) }

// Label returns the role's Chinese label, e.g. "承办单位".
func (r Role) Label() string { return enumLabel(roleNames, int(r)) }

// Valid reports whether r is a declared role.
func (r Role) Valid() bool { return enumValid(roleNames, int(r)) }

// MarshalText implements [encoding.TextMarshaler].
func (r Role) MarshalText() ([]byte, error) { return marshalEnum("Role", roleNames, int(r)) }

// UnmarshalText implements [encoding.TextUnmarshaler]; it accepts the identifier or the Chinese label.
func (r *Role) UnmarshalText(b []byte) error {
	v, err := unmarshalEnum("Role", roleNames, b)
	*r = Role(v)
	return err
}

// ParseRole returns the role whose identifier or Chinese label is s.
func ParseRole(s string) (Role, error) {
	v, err := parseEnum("Role", roleNames, s)
	return Role(v), err
}

// RoleSet is a set of roles.
type RoleSet uint16

// NewRoleSet returns the set of the given roles.
func NewRoleSet(roles ...Role) RoleSet {
	var s RoleSet
	for _, r := range roles {
		if r.Valid() {
			s |= 1 << r
		}
	}
	return s
}

// Has reports whether r is in s.
func (s RoleSet) Has(r Role) bool { return r.Valid() && s&(1<<r) != 0 }

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

// PayloadKind names which field of a [Payload] an action must carry.
type PayloadKind uint8

// The payload kinds.
const (
	CarriesNothing PayloadKind = iota
	CarriesIntake
	CarriesRefusal
	CarriesDispatch
	CarriesReturn
	CarriesExtension
	CarriesApproval
	CarriesReply
	CarriesCallback
	CarriesSupervision
	CarriesRepeat
	CarriesClosure
	CarriesAppealReview
)

var payloadKindNames = []string{"nothing", "intake", "refusal", "dispatch", "return", "extension",
	"approval", "reply", "callback", "supervision", "repeat", "closure", "appeal_review"}

// String returns the name of the [Payload] field, e.g. "dispatch", or "nothing".
func (k PayloadKind) String() string {
	if int(k) < len(payloadKindNames) {
		return payloadKindNames[k]
	}
	return fmt.Sprintf("PayloadKind(%d)", k)
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
	// Clocks says in words what the transition does to the stage clocks.
	Clocks string
	// Source cites the documents and articles the row comes from.
	Source string
}

// Table is the lifecycle transition table. It is immutable and safe for concurrent use; get it
// with [Lifecycle].
type Table struct {
	rows  []Transition
	index [numStates][numActions]int16 // row index + 1; 0 = no row
}

// Lifecycle returns the lifecycle transition table of DESIGN §3. The table is immutable: the same
// value is returned every time and no method changes it.
func Lifecycle() *Table { return lifecycle }

// lifecycle is built once and never mutated.
var lifecycle = buildTable()

// Lookup returns the row for action a in state s, and whether there is one. It is a constant-time
// array lookup.
func (t *Table) Lookup(s State, a Action) (Transition, bool) {
	if s >= numStates || a >= numActions {
		return Transition{}, false
	}
	i := t.index[s][a]
	if i == 0 {
		return Transition{}, false
	}
	return t.rows[i-1], true
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
func (t *Table) Rows() []Transition { return slices.Clone(t.rows) }

// Allowed returns the actions that have a row in state s, in declaration order.
func (t *Table) Allowed(s State) []Action {
	var out []Action
	for _, a := range Actions() {
		if _, ok := t.Lookup(s, a); ok {
			out = append(out, a)
		}
	}
	return out
}

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
	add := func(from []State, a Action, to State, roles RoleSet, carries PayloadKind, reason bool, clocks, source string) {
		for _, f := range from {
			next := to
			if to == numStates { // "stays"
				next = f
			}
			rows = append(rows, Transition{From: f, Action: a, To: next, Roles: roles, Carries: carries,
				NeedsReason: reason, Counted: to == numStates && a != ActionEscalateExtension, Clocks: clocks, Source: source})
		}
	}
	one := func(s State) []State { return []State{s} }
	stays := numStates

	add(one(StateNew), ActionAccept, StateReceived, officeSys, CarriesIntake, false,
		"starts the return-upstream window and the reply cap of 国办 items, the same-day cause analysis of the 办不成事 window, and with FirstContactByOffice the first-contact clock",
		"000 §4 (一); 000 §5; 003 六 (一), (二); 004 §6")
	add(one(StateReceived), ActionRefuse, StateRefused, officeSys, CarriesRefusal, false,
		"starts the refusal-reply clock (ReplyRefusal)", "002 §5; 003 四 (二), 四 (四) 5")
	add(one(StateReceived), ActionArchive, StateArchived, office, CarriesRefusal, false,
		"none", "000 §4 (一)")
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
		"004 §8 (一)")
	add(one(StateDispatched), ActionFirstContact, StateHandling, contacters, CarriesNothing, false,
		"meets the first-contact clock (from dispatch, or from intake with FirstContactByOffice) if still running; late is recorded, not refused",
		"000 §5; 002 §6 (一) 1; 004 §8 (一)")
	add(one(StateHandling), ActionRequestExtension, StateExtensionRequested, unit, CarriesExtension, false,
		"must fall within the extension window (ExtensionGeneral / ExtensionComplex) counted from dispatch, and end by the running reply cap (ReplyCap)",
		"004 §9; 000 §5; 002 §6 (二) 1 (4)")
	add(one(StateExtensionRequested), ActionEscalateExtension, stays, escalators, CarriesApproval, false,
		"none: the request goes to the next approver of the limit's approval chain", "004 §9 第二款")
	add(one(StateExtensionRequested), ActionApproveExtension, StateHandling, approvers, CarriesApproval, false,
		"moves the reply deadline to the requested period, at most the limit's ExtendTo and the reply cap",
		"004 §4 (三); 004 §9")
	add(one(StateExtensionRequested), ActionRefuseExtension, StateHandling, approvers, CarriesApproval, true,
		"none: the reply deadline stays", "004 §4 (三); 004 §9")
	add([]State{StateHandling, StateReopened}, ActionReply, StateReplied, unit, CarriesReply, false,
		"meets the reply clock (after a reopening, the redo clock) and the cap; late is recorded", "000 §4 (三); 004 §8 (二)–(四); 004 §10")
	add(one(StateReplied), ActionPassQualityCheck, StateChecked, office, CarriesNothing, false,
		"none; only where the policy has a quality check", "002 §6 (一) 2")
	add(one(StateReplied), ActionFailQualityCheck, StateHandling, office, CarriesNothing, true,
		"restarts the reply (or redo) clock against its original deadline", "002 §6 (一) 2")
	add([]State{StateReplied, StateChecked}, ActionCallback, StateCalledBack, office, CarriesCallback, false,
		"none; a dissatisfied callback puts the ticket under supervision", "000 §4 (四); 004 §11; 004 §12 (二) 4")
	add(one(StateCalledBack), ActionReopen, StateReopened, office, CarriesNothing, false,
		"starts the redo clock (Reopen) from now; the reply clock keeps the first reply's record", "004 §11; 002 §6 (二) 3")
	add([]State{StateRefused, StateCalledBack}, ActionClose, StateClosed, closers, CarriesNothing, false,
		"meets the refusal-reply clock of a refused ticket", "004 §10; 000 §4 (四)")
	add([]State{StateReplied, StateChecked, StateCalledBack}, ActionCloseStored, StateClosedStored, office, CarriesClosure, true,
		"none", "000 §4 (三); 004 §8 (三)")
	add([]State{StateHandling, StateExtensionRequested, StateReopened, StateReplied, StateChecked, StateCalledBack},
		ActionCloseUnfounded, StateClosedUnfounded, unfoundedClosers, CarriesAppealReview, false,
		"meets the appeal-close clock (AppealClose) counted from the unit's receipt, late recorded; a running reply clock no longer applies; review tickets only",
		"000 §6 (二)")

	var open []State
	for _, s := range States() {
		if s.Open() {
			open = append(open, s)
		}
	}
	add(open, ActionSupervise, stays, overseers, CarriesSupervision, false,
		"none; counted (督办次数)", "000 §4 (五); 003 附件2; 004 §12; 004 §13")
	add(open, ActionUrge, stays, urgers, CarriesNothing, false,
		"none; counted; where the rules say so, only when a running clock is overdue", "002 §6 (二) 1 (6)")
	add(open, ActionMarkRepeat, stays, officeSys, CarriesRepeat, false,
		"none; counted; the repeat that reaches the rules' threshold puts the ticket under supervision",
		"004 §12 (二) 2; 002 §5 (二)")

	t := &Table{rows: rows}
	for i, r := range rows {
		if t.index[r.From][r.Action] != 0 {
			panic(fmt.Sprintf("ticket: duplicate lifecycle row %s × %s", r.From, r.Action)) // build-time bug only
		}
		t.index[r.From][r.Action] = int16(i + 1)
	}
	return t
}
