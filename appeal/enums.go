package appeal

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

// Grounds returns every ground, in the order 000 第六条 (一) lists them.
func Grounds() []Ground { return []Ground{GroundUntrue, GroundMistaken, GroundMalicious} }

// Label returns the ground's Chinese label.
func (g Ground) Label() string {
	switch g {
	case GroundUntrue:
		return "主要事实和情节不存在或不真实"
	case GroundMistaken:
		return "误评"
	case GroundMalicious:
		return "恶意差评"
	}
	return string(g)
}

// Valid reports whether g is one of the grounds of 000 第六条 (一).
func (g Ground) Valid() bool {
	return g == GroundUntrue || g == GroundMistaken || g == GroundMalicious
}

// Basis is why a unit objects that a bad review's matter is not its own, 000 第七条 (一):
// not within the remit of this department, this system or this level.
type Basis string

const (
	BasisDepartment Basis = "not_department" // 不属于本部门受理范围
	BasisSystem     Basis = "not_system"     // 不属于本系统受理范围
	BasisLevel      Basis = "not_level"      // 不属于本层级受理范围
)

// Bases returns every basis, in the order 000 第七条 (一) lists them.
func Bases() []Basis { return []Basis{BasisDepartment, BasisSystem, BasisLevel} }

// Label returns the basis's Chinese label.
func (b Basis) Label() string {
	switch b {
	case BasisDepartment:
		return "不属于本部门受理范围"
	case BasisSystem:
		return "不属于本系统受理范围"
	case BasisLevel:
		return "不属于本层级受理范围"
	}
	return string(b)
}

// Valid reports whether b is one of the bases of 000 第七条 (一).
func (b Basis) Valid() bool { return b == BasisDepartment || b == BasisSystem || b == BasisLevel }

// Level is the level of a competent department (政务服务主管部门) that reviews: 000 第六条 (二)
// names the city-level and the district-level competent departments.
type Level string

const (
	LevelCity     Level = "city"     // 市级政务服务主管部门
	LevelDistrict Level = "district" // 区级政务服务主管部门
)

// Label returns the level's Chinese label.
func (l Level) Label() string {
	switch l {
	case LevelCity:
		return "市级政务服务主管部门"
	case LevelDistrict:
		return "区级政务服务主管部门"
	}
	return string(l)
}

// Valid reports whether l is a known level.
func (l Level) Valid() bool { return l == LevelCity || l == LevelDistrict }

// Role is what an [Actor] acts as.
type Role string

const (
	// RoleStaff is a staff member (工作人员) of a handling unit, appealing a review of their own work.
	RoleStaff Role = "staff"
	// RoleUnit is a handling unit (承办单位).
	RoleUnit Role = "unit"
	// RoleCompetent is a competent department (政务服务主管部门) that reviews appeals, objections and
	// reconsideration requests.
	RoleCompetent Role = "competent"
	// RoleHotline is the hotline office (热线管理办公室), which supervises the procedure (000 第三条 (四))
	// and records a citizen's request taken by phone.
	RoleHotline Role = "hotline"
	// RoleCitizen is the citizen or business who complained (投诉建议人).
	RoleCitizen Role = "citizen"
)

// Roles returns every role.
func Roles() []Role { return []Role{RoleStaff, RoleUnit, RoleCompetent, RoleHotline, RoleCitizen} }

// Label returns the role's Chinese label.
func (r Role) Label() string {
	switch r {
	case RoleStaff:
		return "工作人员"
	case RoleUnit:
		return "承办单位"
	case RoleCompetent:
		return "政务服务主管部门"
	case RoleHotline:
		return "热线管理办公室"
	case RoleCitizen:
		return "投诉建议人"
	}
	return string(r)
}

// State is where an appeal, objection or reconsideration stands. Each machine uses the states its
// table lists (see [AppealTable], [ObjectionTable], [ReconsiderationTable]).
type State string

const (
	// StateNone is the state before filing; only a filing action leaves it.
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

// Label returns the state's Chinese label.
func (s State) Label() string {
	switch s {
	case StateNone:
		return "未提出"
	case StatePendingUnit:
		return "待本单位审核"
	case StateUnderReview:
		return "复核中"
	case StateUpheld:
		return "成立"
	case StateRejected:
		return "不成立"
	case StateDeclined:
		return "本单位不予提出"
	case StateWithdrawn:
		return "已撤回"
	case StateLapsed:
		return "期满未决"
	case StateReferred:
		return "报市政府办公厅指定"
	case StateImproper:
		return "处理不当，退回重办"
	case StateProper:
		return "处理得当"
	}
	return string(s)
}

// ActionKind names an action of a machine.
type ActionKind string

const (
	// ActionFile files the appeal, objection or reconsideration request. Filing is the first event
	// of every history; the request itself is the machine's [AppealRequest], [ObjectionRequest] or
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

// ActionKinds returns every action kind.
func ActionKinds() []ActionKind {
	return []ActionKind{ActionFile, ActionEndorse, ActionDecline, ActionUphold, ActionReject,
		ActionWithdraw, ActionLapse, ActionObject, ActionFindImproper, ActionFindProper}
}

// Label returns the action's Chinese label.
func (a ActionKind) Label() string {
	switch a {
	case ActionFile:
		return "提出"
	case ActionEndorse:
		return "本单位提出申诉"
	case ActionDecline:
		return "本单位不予提出"
	case ActionUphold:
		return "复核成立"
	case ActionReject:
		return "复核不成立"
	case ActionWithdraw:
		return "撤回"
	case ActionLapse:
		return "期满未决"
	case ActionObject:
		return "建议承办单位提出异议"
	case ActionFindImproper:
		return "认定处理不当"
	case ActionFindProper:
		return "认定处理得当"
	}
	return string(a)
}
