package routing

import "github.com/hotline12345/hotline/internal/enum"

// The package's enumerations. Each is a string type whose value is its wire
// form (JSON, CSV), declared with internal/enum so that all behave alike:
// String is the wire value, Label the Chinese label ("未知(x)" for a value
// outside the set, "未设置" for ""), Valid, a plural listing function, ParseX
// accepting the wire value or the label, and UnmarshalText refusing unknown
// values with an [*EnumError] wrapping [ErrInvalidEnum] ("" is the unset
// value).

// A Kind is what the citizen asks for (诉求类型): the four kinds of the hotline
// (004 §2 咨询、求助、投诉和建议), a 办不成事 case (003 四 (三) 办事) and a
// 好差评 review (000 §2; 001 (七)). The wire values are those of
// ticket.Kind. The empty Kind matches every unit.
type Kind string

// The request kinds.
const (
	KindConsultation Kind = "consultation" // 咨询
	KindHelpRequest  Kind = "help_request" // 求助
	KindComplaint    Kind = "complaint"    // 投诉
	KindSuggestion   Kind = "suggestion"   // 建议
	KindErrand       Kind = "errand"       // 办事 (a 办不成事 case)
	KindReview       Kind = "review"       // 评价 (好差评 bad review)
)

var kinds = enum.New("routing.Kind", ErrInvalidEnum,
	enum.Value[Kind]{V: KindConsultation, Label: "咨询"},
	enum.Value[Kind]{V: KindHelpRequest, Label: "求助"},
	enum.Value[Kind]{V: KindComplaint, Label: "投诉"},
	enum.Value[Kind]{V: KindSuggestion, Label: "建议"},
	enum.Value[Kind]{V: KindErrand, Label: "办事"},
	enum.Value[Kind]{V: KindReview, Label: "评价"},
)

// Kinds returns the request kinds in display order.
func Kinds() []Kind { return kinds.All() }

// ParseKind returns the kind whose wire value or Chinese label is s.
func ParseKind(s string) (Kind, error) { return kinds.Parse(s) }

// String returns the wire value, e.g. "help_request".
func (k Kind) String() string { return string(k) }

// Label returns the Chinese label, e.g. "求助".
func (k Kind) Label() string { return kinds.Label(k) }

// Valid reports whether k is one of the kinds (the empty Kind is not).
func (k Kind) Valid() bool { return kinds.Valid(k) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value, the
// Chinese label or "" (unset).
func (k *Kind) UnmarshalText(b []byte) error { return unmarshal(kinds, k, b) }

// bit returns k's bit in a unit's set of kinds, 0 for a value outside the set.
func (k Kind) bit() uint8 {
	for i, v := range kindOrder {
		if v == k {
			return 1 << i
		}
	}
	return 0
}

var kindOrder = [...]Kind{KindConsultation, KindHelpRequest, KindComplaint, KindSuggestion, KindErrand, KindReview}

// A DispatchMode is the principle a dispatch followed (派单方式): 法定, 商定,
// 指定 (004 §6; 000 §4 (二)) or 托底 (000 §4 (二) 各区托底). The
// wire values are those of ticket.DispatchMode. A decision that needs
// designation has no mode (see [Decision.NeedsDesignation]).
type DispatchMode string

// The dispatch modes.
const (
	DispatchStatutory  DispatchMode = "statutory"  // 法定: the unit whose statutory duty covers the matter
	DispatchNegotiated DispatchMode = "negotiated" // 商定: a joint case with a lead unit and co-handling units
	DispatchDesignated DispatchMode = "designated" // 指定: designated by the hotline office or a leader
	DispatchFallback   DispatchMode = "fallback"   // 托底: the territorial government of the place
)

var dispatchModes = enum.New("routing.DispatchMode", ErrInvalidEnum,
	enum.Value[DispatchMode]{V: DispatchStatutory, Label: "法定"},
	enum.Value[DispatchMode]{V: DispatchNegotiated, Label: "商定"},
	enum.Value[DispatchMode]{V: DispatchDesignated, Label: "指定"},
	enum.Value[DispatchMode]{V: DispatchFallback, Label: "托底"},
)

// DispatchModes returns the dispatch modes in display order.
func DispatchModes() []DispatchMode { return dispatchModes.All() }

// ParseDispatchMode returns the mode whose wire value or Chinese label is s.
func ParseDispatchMode(s string) (DispatchMode, error) { return dispatchModes.Parse(s) }

// String returns the wire value, e.g. "statutory".
func (m DispatchMode) String() string { return string(m) }

// Label returns the Chinese label, e.g. "法定".
func (m DispatchMode) Label() string { return dispatchModes.Label(m) }

// Valid reports whether m is one of the modes.
func (m DispatchMode) Valid() bool { return dispatchModes.Valid(m) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (m *DispatchMode) UnmarshalText(b []byte) error { return unmarshal(dispatchModes, m, b) }

// A UnitKind is the kind of a unit in the directory.
type UnitKind string

// Unit kinds.
const (
	UnitCityDepartment       UnitKind = "city_department"       // 市级部门, e.g. 市市场监管局, 市政府办公厅
	UnitDistrictGovernment   UnitKind = "district_government"   // 区政府
	UnitStreet               UnitKind = "street"                // 街镇: a street office (街道办事处) or town government
	UnitResidentsCommittee   UnitKind = "residents_committee"   // 居民区: a residents' or villagers' committee
	UnitFunctionalDepartment UnitKind = "functional_department" // 职能部门 of a district or street, e.g. 区房管局, 社区管理办
	UnitPublicUtility        UnitKind = "public_utility"        // 公用事业单位, e.g. 自来水, 电力 (000 §11)
)

var unitKinds = enum.New("routing.UnitKind", ErrInvalidEnum,
	enum.Value[UnitKind]{V: UnitCityDepartment, Label: "市级部门"},
	enum.Value[UnitKind]{V: UnitDistrictGovernment, Label: "区政府"},
	enum.Value[UnitKind]{V: UnitStreet, Label: "街镇"},
	enum.Value[UnitKind]{V: UnitResidentsCommittee, Label: "居民区"},
	enum.Value[UnitKind]{V: UnitFunctionalDepartment, Label: "职能部门"},
	enum.Value[UnitKind]{V: UnitPublicUtility, Label: "公用事业单位"},
)

// UnitKinds returns the unit kinds in display order.
func UnitKinds() []UnitKind { return unitKinds.All() }

// ParseUnitKind returns the unit kind whose wire value or Chinese label is s.
func ParseUnitKind(s string) (UnitKind, error) { return unitKinds.Parse(s) }

// String returns the wire value, e.g. "street".
func (k UnitKind) String() string { return string(k) }

// Label returns the Chinese label, e.g. "街镇".
func (k UnitKind) Label() string { return unitKinds.Label(k) }

// Valid reports whether k is one of the unit kinds.
func (k UnitKind) Valid() bool { return unitKinds.Valid(k) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *UnitKind) UnmarshalText(b []byte) error { return unmarshal(unitKinds, k, b) }

// IsGovernment reports whether units of kind k can be the territorial
// government of their areas (区政府, 街镇).
func (k UnitKind) IsGovernment() bool { return k == UnitDistrictGovernment || k == UnitStreet }

// A MatterKind says who answers for a matter first.
type MatterKind string

// Matter kinds. The empty value, on a level-2 or level-3 matter, means "as
// its parent".
const (
	// MatterSectorLine is a matter of a sector line (条线事项): its line's
	// departments answer for it first (000 §4 (二) 条块结合、以条为主).
	MatterSectorLine MatterKind = "sector_line"
	// MatterTerritorial is a territorial matter (属地事项): the governments
	// and bodies of the place answer for it first (002 §6 属地管理优先).
	MatterTerritorial MatterKind = "territorial"
)

var matterKinds = enum.New("routing.MatterKind", ErrInvalidEnum,
	enum.Value[MatterKind]{V: MatterSectorLine, Label: "条线"},
	enum.Value[MatterKind]{V: MatterTerritorial, Label: "属地"},
)

// MatterKinds returns the matter kinds in display order.
func MatterKinds() []MatterKind { return matterKinds.All() }

// ParseMatterKind returns the matter kind whose wire value or Chinese label is s.
func ParseMatterKind(s string) (MatterKind, error) { return matterKinds.Parse(s) }

// String returns the wire value, "sector_line" or "territorial".
func (k MatterKind) String() string { return string(k) }

// Label returns "条线" or "属地".
func (k MatterKind) Label() string { return matterKinds.Label(k) }

// Valid reports whether k is one of the matter kinds.
func (k MatterKind) Valid() bool { return matterKinds.Valid(k) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *MatterKind) UnmarshalText(b []byte) error { return unmarshal(matterKinds, k, b) }

// A RegionLevel is the level of a division in the 统计用区划代码 tree.
type RegionLevel string

// The five levels of the statistical division code, broadest first.
const (
	LevelProvince RegionLevel = "province" // 省级, 2 digits
	LevelCity     RegionLevel = "city"     // 地级, 4 digits
	LevelCounty   RegionLevel = "county"   // 县级 (区, 县), 6 digits
	LevelTown     RegionLevel = "town"     // 乡级 (街道, 镇), 9 digits
	LevelVillage  RegionLevel = "village"  // 村级 (居委会, 村委会), 12 digits
)

var regionLevels = enum.New("routing.RegionLevel", ErrInvalidEnum,
	enum.Value[RegionLevel]{V: LevelProvince, Label: "省级"},
	enum.Value[RegionLevel]{V: LevelCity, Label: "地级"},
	enum.Value[RegionLevel]{V: LevelCounty, Label: "县级"},
	enum.Value[RegionLevel]{V: LevelTown, Label: "乡级"},
	enum.Value[RegionLevel]{V: LevelVillage, Label: "村级"},
)

// RegionLevels returns the five levels, broadest first.
func RegionLevels() []RegionLevel { return regionLevels.All() }

// ParseRegionLevel returns the level whose wire value or Chinese label is s.
func ParseRegionLevel(s string) (RegionLevel, error) { return regionLevels.Parse(s) }

// String returns the wire value: "province", "city", "county", "town" or
// "village".
func (l RegionLevel) String() string { return string(l) }

// Label returns the Chinese label, e.g. "县级".
func (l RegionLevel) Label() string { return regionLevels.Label(l) }

// Valid reports whether l is one of the five levels.
func (l RegionLevel) Valid() bool { return regionLevels.Valid(l) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (l *RegionLevel) UnmarshalText(b []byte) error { return unmarshal(regionLevels, l, b) }

// Digits returns the length of a code at level l (2, 4, 6, 9 or 12), or 0 if
// l is not valid. Levels compare by their digits: a broader level has fewer.
func (l RegionLevel) Digits() int {
	switch l {
	case LevelProvince:
		return 2
	case LevelCity:
		return 4
	case LevelCounty:
		return 6
	case LevelTown:
		return 9
	case LevelVillage:
		return 12
	}
	return 0
}

// Broader reports whether l is a broader level than m (province is the
// broadest); an invalid level is broader than none and narrower than none.
func (l RegionLevel) Broader(m RegionLevel) bool {
	return l.Valid() && m.Valid() && l.Digits() < m.Digits()
}

// A Rule names a step of the routing rules in a decision's trail.
type Rule string

// Rules that appear in trails.
const (
	RuleExcluded         Rule = "excluded"               // a unit excluded by the caller
	RuleReturned         Rule = "returned"               // an upheld return excludes the unit
	RuleReturnNotUpheld  Rule = "return_not_upheld"      // an objection not upheld: the unit stays
	RuleBuckPassing      Rule = "buck_passing"           // bounces reached the policy threshold
	RuleDesignated       Rule = "designated"             // 指定谁、谁办理
	RuleSuggestedObjects Rule = "suggested_unit_objects" // the suggested unit objects in turn
	RuleTooManyReturns   Rule = "too_many_returns"       // policy MaxReturns reached
	RuleSuggestedUnit    Rule = "suggested_unit"         // re-dispatch to the suggested unit
	RuleMatterFallback   Rule = "matter_fallback"        // level-3 → level-2 → level-1
	RuleStatutory        Rule = "statutory"              // 谁主管、谁负责
	RuleKind             Rule = "request_kind"           // a unit does not handle the request's kind
	RuleSectorLineFirst  Rule = "sector_line_first"      // 条块结合、以条为主
	RuleTerritorialFirst Rule = "territorial_first"      // territorial bodies for territorial matters
	RuleNarrowestArea    Rule = "narrowest_area"         // 属地管理优先
	RuleJoint            Rule = "joint"                  // 商定: lead and co-handling units
	RuleFallback         Rule = "fallback"               // 托底
	RuleDispute          Rule = "dispute"                // 争议 → needs designation
)

var rules = enum.New("routing.Rule", ErrInvalidEnum,
	enum.Value[Rule]{V: RuleExcluded, Label: "排除"},
	enum.Value[Rule]{V: RuleReturned, Label: "退单"},
	enum.Value[Rule]{V: RuleReturnNotUpheld, Label: "退单异议不成立"},
	enum.Value[Rule]{V: RuleBuckPassing, Label: "推诿"},
	enum.Value[Rule]{V: RuleDesignated, Label: "指定"},
	enum.Value[Rule]{V: RuleSuggestedObjects, Label: "建议承办单位异议"},
	enum.Value[Rule]{V: RuleTooManyReturns, Label: "多次退单"},
	enum.Value[Rule]{V: RuleSuggestedUnit, Label: "转送建议承办单位"},
	enum.Value[Rule]{V: RuleMatterFallback, Label: "上级事项"},
	enum.Value[Rule]{V: RuleStatutory, Label: "法定"},
	enum.Value[Rule]{V: RuleKind, Label: "诉求类型"},
	enum.Value[Rule]{V: RuleSectorLineFirst, Label: "以条为主"},
	enum.Value[Rule]{V: RuleTerritorialFirst, Label: "属地事项"},
	enum.Value[Rule]{V: RuleNarrowestArea, Label: "属地管理优先"},
	enum.Value[Rule]{V: RuleJoint, Label: "商定"},
	enum.Value[Rule]{V: RuleFallback, Label: "托底"},
	enum.Value[Rule]{V: RuleDispute, Label: "争议"},
)

// Rules returns the rules in the order the router applies them.
func Rules() []Rule { return rules.All() }

// ParseRule returns the rule whose wire value or Chinese label is s.
func ParseRule(s string) (Rule, error) { return rules.Parse(s) }

// String returns the wire value, e.g. "narrowest_area".
func (r Rule) String() string { return string(r) }

// Label returns the Chinese label, e.g. "属地管理优先".
func (r Rule) Label() string { return rules.Label(r) }

// Valid reports whether r is one of the rules.
func (r Rule) Valid() bool { return rules.Valid(r) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (r *Rule) UnmarshalText(b []byte) error { return unmarshal(rules, r, b) }

// unmarshal is every enum's UnmarshalText: *v is set only on success.
func unmarshal[T ~string](s enum.Set[T], v *T, b []byte) error {
	x, err := s.Unmarshal(b)
	if err != nil {
		return err
	}
	*v = x
	return nil
}
