package appeal

import (
	"errors"

	"github.com/hotline12345/hotline/internal/enum"
)

// ErrInvalidEnum is wrapped by every [*EnumError]: a value outside its enumeration.
var ErrInvalidEnum = errors.New("appeal: invalid enum value")

// EnumError reports a value that is not a member of its enumeration: the type, the refused input
// (clipped) and the values the type accepts. It wraps [ErrInvalidEnum].
type EnumError = enum.Error

// Every enumeration of the package is a string type whose value is its wire form, declared with
// internal/enum: String() is the wire value, Label() the Chinese label ("未知(x)" for an unknown
// value, "未设置" for ""), Valid(), a plural listing function, ParseX accepting the wire value or the
// label, and UnmarshalText refusing unknown values with an [*EnumError].

// Ground is why a bad review is claimed to be an unfounded review (不属实评价), 000 第六条 (一).
type Ground string

const (
	// GroundUntrue: the main facts and circumstances of the review do not exist or are untrue.
	GroundUntrue Ground = "untrue"
	// GroundMistaken: the citizen rated the wrong matter, unit or person (误评).
	GroundMistaken Ground = "mistaken"
	// GroundMalicious: a malicious bad review (恶意差评).
	GroundMalicious Ground = "malicious"
)

var grounds = enum.New("appeal.Ground", ErrInvalidEnum,
	enum.Value[Ground]{V: GroundUntrue, Label: "主要事实和情节不存在或不真实"},
	enum.Value[Ground]{V: GroundMistaken, Label: "误评"},
	enum.Value[Ground]{V: GroundMalicious, Label: "恶意差评"},
)

// Grounds returns every ground, in the order 000 第六条 (一) lists them.
func Grounds() []Ground { return grounds.All() }

// ParseGround returns the ground whose wire value or Chinese label is s, or an [*EnumError].
func ParseGround(s string) (Ground, error) { return grounds.Parse(s) }

// String returns the wire value.
func (g Ground) String() string { return string(g) }

// Label returns the ground's Chinese label.
func (g Ground) Label() string { return grounds.Label(g) }

// Valid reports whether g is one of the grounds of 000 第六条 (一).
func (g Ground) Valid() bool { return grounds.Valid(g) }

// UnmarshalText accepts a wire value or a label and refuses anything else with an [*EnumError].
func (g *Ground) UnmarshalText(b []byte) error { return unmarshal(grounds, g, b) }

// Basis is why a unit objects that a bad review's matter is not its own, 000 第七条 (一):
// not within the remit of this department, this system or this level.
type Basis string

const (
	BasisDepartment Basis = "not_department" // 不属于本部门受理范围
	BasisSystem     Basis = "not_system"     // 不属于本系统受理范围
	BasisLevel      Basis = "not_level"      // 不属于本层级受理范围
)

var bases = enum.New("appeal.Basis", ErrInvalidEnum,
	enum.Value[Basis]{V: BasisDepartment, Label: "不属于本部门受理范围"},
	enum.Value[Basis]{V: BasisSystem, Label: "不属于本系统受理范围"},
	enum.Value[Basis]{V: BasisLevel, Label: "不属于本层级受理范围"},
)

// Bases returns every basis, in the order 000 第七条 (一) lists them.
func Bases() []Basis { return bases.All() }

// ParseBasis returns the basis whose wire value or Chinese label is s, or an [*EnumError].
func ParseBasis(s string) (Basis, error) { return bases.Parse(s) }

// String returns the wire value.
func (b Basis) String() string { return string(b) }

// Label returns the basis's Chinese label.
func (b Basis) Label() string { return bases.Label(b) }

// Valid reports whether b is one of the bases of 000 第七条 (一).
func (b Basis) Valid() bool { return bases.Valid(b) }

// UnmarshalText accepts a wire value or a label and refuses anything else with an [*EnumError].
func (b *Basis) UnmarshalText(text []byte) error { return unmarshal(bases, b, text) }

// ReviewerLevel is the level of the competent department (政务服务主管部门) that reviews: 000 第六条 (二)
// names the city-level and the district-level competent departments. The wire values are ticket's
// (ticket.ReviewerLevel), of which this is the subset the appeal procedures use.
type ReviewerLevel string

const (
	ReviewerCity     ReviewerLevel = "city"     // 市级政务服务主管部门
	ReviewerDistrict ReviewerLevel = "district" // 区级政务服务主管部门
)

var reviewerLevels = enum.New("appeal.ReviewerLevel", ErrInvalidEnum,
	enum.Value[ReviewerLevel]{V: ReviewerCity, Label: "市级政务服务主管部门"},
	enum.Value[ReviewerLevel]{V: ReviewerDistrict, Label: "区级政务服务主管部门"},
)

// ReviewerLevels returns every reviewer level.
func ReviewerLevels() []ReviewerLevel { return reviewerLevels.All() }

// ParseReviewerLevel returns the level whose wire value or Chinese label is s, or an [*EnumError].
func ParseReviewerLevel(s string) (ReviewerLevel, error) { return reviewerLevels.Parse(s) }

// String returns the wire value.
func (l ReviewerLevel) String() string { return string(l) }

// Label returns the level's Chinese label.
func (l ReviewerLevel) Label() string { return reviewerLevels.Label(l) }

// Valid reports whether l is a known level.
func (l ReviewerLevel) Valid() bool { return reviewerLevels.Valid(l) }

// UnmarshalText accepts a wire value or a label and refuses anything else with an [*EnumError].
func (l *ReviewerLevel) UnmarshalText(b []byte) error { return unmarshal(reviewerLevels, l, b) }

// Role is what an [Actor] acts as. The same office has the same wire value as in ticket.Role.
type Role string

const (
	// RoleStaff is a staff member (工作人员) of a handling unit, appealing a review of their own work.
	RoleStaff Role = "staff"
	// RoleHandlingUnit is a handling unit (承办单位).
	RoleHandlingUnit Role = "handling_unit"
	// RoleCompetent is a competent department (政务服务主管部门) that reviews appeals, objections and
	// reconsideration requests.
	RoleCompetent Role = "competent"
	// RoleHotlineOffice is the hotline office (热线办, 热线管理办公室), which supervises the procedure
	// (000 第三条 (四)) and records a citizen's request taken by phone.
	RoleHotlineOffice Role = "hotline_office"
	// RoleCitizen is the citizen or business who complained (投诉建议人).
	RoleCitizen Role = "citizen"
)

var roles = enum.New("appeal.Role", ErrInvalidEnum,
	enum.Value[Role]{V: RoleStaff, Label: "工作人员"},
	enum.Value[Role]{V: RoleHandlingUnit, Label: "承办单位"},
	enum.Value[Role]{V: RoleCompetent, Label: "政务服务主管部门"},
	enum.Value[Role]{V: RoleHotlineOffice, Label: "热线办"},
	enum.Value[Role]{V: RoleCitizen, Label: "投诉建议人"},
)

// Roles returns every role.
func Roles() []Role { return roles.All() }

// ParseRole returns the role whose wire value or Chinese label is s, or an [*EnumError].
func ParseRole(s string) (Role, error) { return roles.Parse(s) }

// String returns the wire value.
func (r Role) String() string { return string(r) }

// Label returns the role's Chinese label.
func (r Role) Label() string { return roles.Label(r) }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return roles.Valid(r) }

// UnmarshalText accepts a wire value or a label and refuses anything else with an [*EnumError].
func (r *Role) UnmarshalText(b []byte) error { return unmarshal(roles, r, b) }

// State is where an appeal, objection or reconsideration stands. Each procedure uses the states its
// table lists (see [AppealTable], [ObjectionTable], [ReconsiderationTable]).
type State string

const (
	// StateNone is the state before filing (the unset value); only a filing action leaves it.
	StateNone State = ""
	// StatePendingUnit: a staff member's appeal awaits their unit (000 第六条 (一)).
	StatePendingUnit State = "pending_unit"
	// StateUnderReview: the competent department is reviewing.
	StateUnderReview State = "under_review"
	// StateUpheld: the appeal or objection was upheld.
	StateUpheld State = "upheld"
	// StateRejected: the appeal or objection was rejected; for an appeal the review stands.
	StateRejected State = "rejected"
	// StateDeclined: the staff member's unit declined to appeal on their behalf.
	StateDeclined State = "declined"
	// StateWithdrawn: the filer withdrew.
	StateWithdrawn State = "withdrawn"
	// StateLapsed: the window within which the effect had to happen closed before a decision.
	StateLapsed State = "lapsed"
	// StateReferred: the suggested unit objected too; the designating authority decides (000 第七条 (二)).
	StateReferred State = "referred"
	// StateImproper: reconsideration found the handling improper; the ticket goes back to the unit
	// (002 第六条 (二) 3).
	StateImproper State = "improper"
	// StateProper: reconsideration found the handling proper.
	StateProper State = "proper"
)

var states = enum.New("appeal.State", ErrInvalidEnum,
	enum.Value[State]{V: StatePendingUnit, Label: "待本单位审核"},
	enum.Value[State]{V: StateUnderReview, Label: "复核中"},
	enum.Value[State]{V: StateUpheld, Label: "成立"},
	enum.Value[State]{V: StateRejected, Label: "不成立"},
	enum.Value[State]{V: StateDeclined, Label: "本单位不予提出"},
	enum.Value[State]{V: StateWithdrawn, Label: "已撤回"},
	enum.Value[State]{V: StateLapsed, Label: "期满未决"},
	enum.Value[State]{V: StateReferred, Label: "报市政府办公厅指定"},
	enum.Value[State]{V: StateImproper, Label: "处理不当，退回重办"},
	enum.Value[State]{V: StateProper, Label: "处理得当"},
)

// States returns every state after filing ([StateNone], the unset value, is not listed).
func States() []State { return states.All() }

// ParseState returns the state whose wire value or Chinese label is s, or an [*EnumError].
func ParseState(s string) (State, error) { return states.Parse(s) }

// String returns the wire value ("" for [StateNone]).
func (s State) String() string { return string(s) }

// Label returns the state's Chinese label ("未设置" for [StateNone]).
func (s State) Label() string { return states.Label(s) }

// Valid reports whether s is a known state; [StateNone] is not.
func (s State) Valid() bool { return states.Valid(s) }

// UnmarshalText accepts a wire value or a label (an empty text is [StateNone]) and refuses anything
// else with an [*EnumError].
func (s *State) UnmarshalText(b []byte) error { return unmarshal(states, s, b) }

// ActionKind names an action of a procedure.
type ActionKind string

const (
	// ActionFile files the appeal, objection or reconsideration request. Filing is the first event
	// of every history; the request itself is the procedure's [Request], [ObjectionRequest] or
	// [ReconsiderationRequest].
	ActionFile ActionKind = "file"
	// ActionEndorse: the staff member's unit takes the appeal up with its competent department.
	ActionEndorse ActionKind = "endorse"
	// ActionDecline: the staff member's unit declines to appeal.
	ActionDecline ActionKind = "decline"
	// ActionUphold: the competent department upholds the appeal or objection.
	ActionUphold ActionKind = "uphold"
	// ActionReject: the competent department rejects the appeal or objection.
	ActionReject ActionKind = "reject"
	// ActionWithdraw: the filer withdraws.
	ActionWithdraw ActionKind = "withdraw"
	// ActionLapse: the hotline office records that the window closed before a decision.
	ActionLapse ActionKind = "lapse"
	// ActionObject: the suggested unit objects in turn (000 第七条 (二)).
	ActionObject ActionKind = "object"
	// ActionFindImproper: reconsideration finds the handling improper (002 第六条 (二) 3).
	ActionFindImproper ActionKind = "find_improper"
	// ActionFindProper: reconsideration finds the handling proper.
	ActionFindProper ActionKind = "find_proper"
)

var actionKinds = enum.New("appeal.ActionKind", ErrInvalidEnum,
	enum.Value[ActionKind]{V: ActionFile, Label: "提出"},
	enum.Value[ActionKind]{V: ActionEndorse, Label: "本单位提出申诉"},
	enum.Value[ActionKind]{V: ActionDecline, Label: "本单位不予提出"},
	enum.Value[ActionKind]{V: ActionUphold, Label: "复核成立"},
	enum.Value[ActionKind]{V: ActionReject, Label: "复核不成立"},
	enum.Value[ActionKind]{V: ActionWithdraw, Label: "撤回"},
	enum.Value[ActionKind]{V: ActionLapse, Label: "期满未决"},
	enum.Value[ActionKind]{V: ActionObject, Label: "建议承办单位提出异议"},
	enum.Value[ActionKind]{V: ActionFindImproper, Label: "认定处理不当"},
	enum.Value[ActionKind]{V: ActionFindProper, Label: "认定处理得当"},
)

// ActionKinds returns every action kind.
func ActionKinds() []ActionKind { return actionKinds.All() }

// ParseActionKind returns the action kind whose wire value or Chinese label is s, or an [*EnumError].
func ParseActionKind(s string) (ActionKind, error) { return actionKinds.Parse(s) }

// String returns the wire value.
func (a ActionKind) String() string { return string(a) }

// Label returns the action's Chinese label.
func (a ActionKind) Label() string { return actionKinds.Label(a) }

// Valid reports whether a is a known action kind.
func (a ActionKind) Valid() bool { return actionKinds.Valid(a) }

// UnmarshalText accepts a wire value or a label and refuses anything else with an [*EnumError].
func (a *ActionKind) UnmarshalText(b []byte) error { return unmarshal(actionKinds, a, b) }

func unmarshal[T ~string](set enum.Set[T], v *T, b []byte) error {
	x, err := set.Unmarshal(b)
	if err != nil {
		return err
	}
	*v = x
	return nil
}
