package ticket

import (
	"errors"

	"github.com/hotline12345/hotline/internal/enum"
)

// ErrInvalidEnum is wrapped by every error returned when text names no value of one of the
// package's enumerations (the Parse… functions and the UnmarshalText methods): an [*EnumError].
var ErrInvalidEnum = errors.New("ticket: invalid enum value")

// EnumError reports a value that is not a member of its enumeration; it wraps [ErrInvalidEnum] and
// quotes at most a few dozen bytes of the input.
type EnumError = enum.Error

// Every enumeration of the package is a string type whose value is its wire form (JSON, database,
// URL) and whose Label is the Chinese label for display; the empty value is unset and not Valid.

// Channel is the way a ticket reached the hotline (渠道, 000 第二条; 002 第二条; 003 二).
type Channel string

// The Channel values.
const (
	ChannelPhone         Channel = "phone"          // 12345热线电话
	ChannelWeb           Channel = "web"            // 12345网站
	ChannelOneNetPortal  Channel = "one_net_portal" // “一网通办”总门户
	ChannelSuishenban    Channel = "suishenban"     // “随申办”移动端
	ChannelStateCouncil  Channel = "state_council"  // 国办转办
	ChannelGovWebsite    Channel = "gov_website"    // 中国政府网留言
	ChannelProvincial    Channel = "provincial"     // 省一体化在线政务服务平台
	ChannelBadReview     Channel = "bad_review"     // “好差评”差评
	ChannelWindowOnline  Channel = "window_online"  // “办不成事”反映窗口(线上)
	ChannelWindowOffline Channel = "window_offline" // “办不成事”反映窗口(线下)
	ChannelServiceHall   Channel = "service_hall"   // 行政服务大厅咨询投诉台
	ChannelKiosk         Channel = "kiosk"          // 自助终端
)

var channels = enum.New("ticket.Channel", ErrInvalidEnum,
	enum.Value[Channel]{V: ChannelPhone, Label: "12345热线电话"},
	enum.Value[Channel]{V: ChannelWeb, Label: "12345网站"},
	enum.Value[Channel]{V: ChannelOneNetPortal, Label: "“一网通办”总门户"},
	enum.Value[Channel]{V: ChannelSuishenban, Label: "“随申办”移动端"},
	enum.Value[Channel]{V: ChannelStateCouncil, Label: "国办转办"},
	enum.Value[Channel]{V: ChannelGovWebsite, Label: "中国政府网留言"},
	enum.Value[Channel]{V: ChannelProvincial, Label: "省一体化在线政务服务平台"},
	enum.Value[Channel]{V: ChannelBadReview, Label: "“好差评”差评"},
	enum.Value[Channel]{V: ChannelWindowOnline, Label: "“办不成事”反映窗口(线上)"},
	enum.Value[Channel]{V: ChannelWindowOffline, Label: "“办不成事”反映窗口(线下)"},
	enum.Value[Channel]{V: ChannelServiceHall, Label: "行政服务大厅咨询投诉台"},
	enum.Value[Channel]{V: ChannelKiosk, Label: "自助终端"},
)

// Channels returns every Channel in display order.
func Channels() []Channel { return channels.All() }

// ParseChannel returns the Channel whose wire value or Chinese label is s, or an [*EnumError].
func ParseChannel(s string) (Channel, error) { return channels.Parse(s) }

// String returns the wire value.
func (c Channel) String() string { return string(c) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (c Channel) Label() string { return channels.Label(c) }

// Valid reports whether c is one of the declared values.
func (c Channel) Valid() bool { return channels.Valid(c) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (c *Channel) UnmarshalText(b []byte) error {
	v, err := channels.Unmarshal(b)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (c Channel) MarshalText() ([]byte, error) {
	if c != "" && !channels.Valid(c) {
		return nil, channels.Check(c)
	}
	return []byte(c), nil
}

// Kind is what the citizen or enterprise asks for (诉求类型, 004 第二条; 003 四 (三)).
type Kind string

// The Kind values.
const (
	KindConsultation Kind = "consultation" // 咨询
	KindHelpRequest  Kind = "help_request" // 求助
	KindComplaint    Kind = "complaint"    // 投诉
	KindSuggestion   Kind = "suggestion"   // 建议
	KindErrand       Kind = "errand"       // 办事
	KindReview       Kind = "review"       // 评价
)

var kinds = enum.New("ticket.Kind", ErrInvalidEnum,
	enum.Value[Kind]{V: KindConsultation, Label: "咨询"},
	enum.Value[Kind]{V: KindHelpRequest, Label: "求助"},
	enum.Value[Kind]{V: KindComplaint, Label: "投诉"},
	enum.Value[Kind]{V: KindSuggestion, Label: "建议"},
	enum.Value[Kind]{V: KindErrand, Label: "办事"},
	enum.Value[Kind]{V: KindReview, Label: "评价"},
)

// Kinds returns every Kind in display order.
func Kinds() []Kind { return kinds.All() }

// ParseKind returns the Kind whose wire value or Chinese label is s, or an [*EnumError].
func ParseKind(s string) (Kind, error) { return kinds.Parse(s) }

// String returns the wire value.
func (k Kind) String() string { return string(k) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (k Kind) Label() string { return kinds.Label(k) }

// Valid reports whether k is one of the declared values.
func (k Kind) Valid() bool { return kinds.Valid(k) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := kinds.Unmarshal(b)
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (k Kind) MarshalText() ([]byte, error) {
	if k != "" && !kinds.Valid(k) {
		return nil, kinds.Check(k)
	}
	return []byte(k), nil
}

// Urgency is the category a 国办 item carries (000 第五条): “一般” items are capped at the policy's ReplyCap, “特殊/紧急” items follow the deadline the upstream system gives; tickets that are not 国办 items leave it unset.
type Urgency string

// The Urgency values.
const (
	UrgencyGeneral Urgency = "general" // 一般
	UrgencySpecial Urgency = "special" // 特殊/紧急
)

var urgencies = enum.New("ticket.Urgency", ErrInvalidEnum,
	enum.Value[Urgency]{V: UrgencyGeneral, Label: "一般"},
	enum.Value[Urgency]{V: UrgencySpecial, Label: "特殊/紧急"},
)

// Urgencies returns every Urgency in display order.
func Urgencies() []Urgency { return urgencies.All() }

// ParseUrgency returns the Urgency whose wire value or Chinese label is s, or an [*EnumError].
func ParseUrgency(s string) (Urgency, error) { return urgencies.Parse(s) }

// String returns the wire value.
func (u Urgency) String() string { return string(u) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (u Urgency) Label() string { return urgencies.Label(u) }

// Valid reports whether u is one of the declared values.
func (u Urgency) Valid() bool { return urgencies.Valid(u) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (u *Urgency) UnmarshalText(b []byte) error {
	v, err := urgencies.Unmarshal(b)
	if err != nil {
		return err
	}
	*u = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (u Urgency) MarshalText() ([]byte, error) {
	if u != "" && !urgencies.Valid(u) {
		return nil, urgencies.Check(u)
	}
	return []byte(u), nil
}

// Complexity is how hard a matter is; with the [HandlingMode] it selects the reply limit of the policy (004 第八条 (二): 能及时办理 / 一般 / 复杂、疑难; 003 四 (四): 简易 / 一般 / 复杂 / 特殊). Unset counts as general.
type Complexity string

// The Complexity values.
const (
	ComplexitySimple  Complexity = "simple"  // 简易
	ComplexityGeneral Complexity = "general" // 一般
	ComplexityComplex Complexity = "complex" // 复杂
	ComplexitySpecial Complexity = "special" // 特殊
)

var complexities = enum.New("ticket.Complexity", ErrInvalidEnum,
	enum.Value[Complexity]{V: ComplexitySimple, Label: "简易"},
	enum.Value[Complexity]{V: ComplexityGeneral, Label: "一般"},
	enum.Value[Complexity]{V: ComplexityComplex, Label: "复杂"},
	enum.Value[Complexity]{V: ComplexitySpecial, Label: "特殊"},
)

// Complexities returns every Complexity in display order.
func Complexities() []Complexity { return complexities.All() }

// ParseComplexity returns the Complexity whose wire value or Chinese label is s, or an [*EnumError].
func ParseComplexity(s string) (Complexity, error) { return complexities.Parse(s) }

// String returns the wire value.
func (c Complexity) String() string { return string(c) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (c Complexity) Label() string { return complexities.Label(c) }

// Valid reports whether c is one of the declared values.
func (c Complexity) Valid() bool { return complexities.Valid(c) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (c *Complexity) UnmarshalText(b []byte) error {
	v, err := complexities.Unmarshal(b)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (c Complexity) MarshalText() ([]byte, error) {
	if c != "" && !complexities.Valid(c) {
		return nil, complexities.Check(c)
	}
	return []byte(c), nil
}

// HandlingMode is how a ticket is handled (办理方式, 002 第六条 (二) 1: 即办 / 直办 / 转办 / 协办 / 呈办). Unset, the reply limit follows the complexity. 催办 (urging) is not a mode but the [ActionUrge] action.
type HandlingMode string

// The HandlingMode values.
const (
	ModeImmediate HandlingMode = "immediate" // 即办
	ModeDirect    HandlingMode = "direct"    // 直办
	ModeTransfer  HandlingMode = "transfer"  // 转办
	ModeJoint     HandlingMode = "joint"     // 协办
	ModeReported  HandlingMode = "reported"  // 呈办
)

var handlingModes = enum.New("ticket.HandlingMode", ErrInvalidEnum,
	enum.Value[HandlingMode]{V: ModeImmediate, Label: "即办"},
	enum.Value[HandlingMode]{V: ModeDirect, Label: "直办"},
	enum.Value[HandlingMode]{V: ModeTransfer, Label: "转办"},
	enum.Value[HandlingMode]{V: ModeJoint, Label: "协办"},
	enum.Value[HandlingMode]{V: ModeReported, Label: "呈办"},
)

// HandlingModes returns every HandlingMode in display order.
func HandlingModes() []HandlingMode { return handlingModes.All() }

// ParseHandlingMode returns the HandlingMode whose wire value or Chinese label is s, or an [*EnumError].
func ParseHandlingMode(s string) (HandlingMode, error) { return handlingModes.Parse(s) }

// String returns the wire value.
func (h HandlingMode) String() string { return string(h) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (h HandlingMode) Label() string { return handlingModes.Label(h) }

// Valid reports whether h is one of the declared values.
func (h HandlingMode) Valid() bool { return handlingModes.Valid(h) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (h *HandlingMode) UnmarshalText(b []byte) error {
	v, err := handlingModes.Unmarshal(b)
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (h HandlingMode) MarshalText() ([]byte, error) {
	if h != "" && !handlingModes.Valid(h) {
		return nil, handlingModes.Check(h)
	}
	return []byte(h), nil
}

// DispatchMode is the principle a dispatch follows (004 第六条: 法定、商定、指定; 000 第四条 (二)), plus 托底: a dispatch to the territorial government because no unit is competent (000 第四条 (二) 各区托底), recorded as such because taking such cases earns a bonus in assessment (004 第十五条 (一) 2).
type DispatchMode string

// The DispatchMode values.
const (
	DispatchStatutory  DispatchMode = "statutory"  // 法定
	DispatchNegotiated DispatchMode = "negotiated" // 商定
	DispatchDesignated DispatchMode = "designated" // 指定
	DispatchFallback   DispatchMode = "fallback"   // 托底
)

var dispatchModes = enum.New("ticket.DispatchMode", ErrInvalidEnum,
	enum.Value[DispatchMode]{V: DispatchStatutory, Label: "法定"},
	enum.Value[DispatchMode]{V: DispatchNegotiated, Label: "商定"},
	enum.Value[DispatchMode]{V: DispatchDesignated, Label: "指定"},
	enum.Value[DispatchMode]{V: DispatchFallback, Label: "托底"},
)

// DispatchModes returns every DispatchMode in display order.
func DispatchModes() []DispatchMode { return dispatchModes.All() }

// ParseDispatchMode returns the DispatchMode whose wire value or Chinese label is s, or an [*EnumError].
func ParseDispatchMode(s string) (DispatchMode, error) { return dispatchModes.Parse(s) }

// String returns the wire value.
func (d DispatchMode) String() string { return string(d) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (d DispatchMode) Label() string { return dispatchModes.Label(d) }

// Valid reports whether d is one of the declared values.
func (d DispatchMode) Valid() bool { return dispatchModes.Valid(d) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (d *DispatchMode) UnmarshalText(b []byte) error {
	v, err := dispatchModes.Unmarshal(b)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (d DispatchMode) MarshalText() ([]byte, error) {
	if d != "" && !dispatchModes.Valid(d) {
		return nil, dispatchModes.Check(d)
	}
	return []byte(d), nil
}

// ReplyOutcome is what a unit's reply concludes (004 第八条 (三), 第十条). The last four are the stored outcomes of 004 第八条 (三) ([ReplyOutcome.Stored]) that let the hotline office close the ticket as stored without repeated answers.
type ReplyOutcome string

// The ReplyOutcome values.
const (
	OutcomeResolved       ReplyOutcome = "resolved"       // 已解决
	OutcomeExplained      ReplyOutcome = "explained"      // 解释说明
	OutcomePlanned        ReplyOutcome = "planned"        // 有办理计划
	OutcomeInProcedure    ReplyOutcome = "in_procedure"   // 进入法定程序处理
	OutcomeGuided         ReplyOutcome = "guided"         // 指明办事途径
	OutcomeUnable         ReplyOutcome = "unable"         // 因客观原因无法办理
	OutcomeAdministrative ReplyOutcome = "administrative" // 涉及政府依法行政执行
	OutcomeSettled        ReplyOutcome = "settled"        // 信访或历史已有定论
	OutcomeAdjudicated    ReplyOutcome = "adjudicated"    // 司法、劳动、仲裁有判定和执行
	OutcomeEnforcement    ReplyOutcome = "enforcement"    // 处于行政执法过程中
)

var replyOutcomes = enum.New("ticket.ReplyOutcome", ErrInvalidEnum,
	enum.Value[ReplyOutcome]{V: OutcomeResolved, Label: "已解决"},
	enum.Value[ReplyOutcome]{V: OutcomeExplained, Label: "解释说明"},
	enum.Value[ReplyOutcome]{V: OutcomePlanned, Label: "有办理计划"},
	enum.Value[ReplyOutcome]{V: OutcomeInProcedure, Label: "进入法定程序处理"},
	enum.Value[ReplyOutcome]{V: OutcomeGuided, Label: "指明办事途径"},
	enum.Value[ReplyOutcome]{V: OutcomeUnable, Label: "因客观原因无法办理"},
	enum.Value[ReplyOutcome]{V: OutcomeAdministrative, Label: "涉及政府依法行政执行"},
	enum.Value[ReplyOutcome]{V: OutcomeSettled, Label: "信访或历史已有定论"},
	enum.Value[ReplyOutcome]{V: OutcomeAdjudicated, Label: "司法、劳动、仲裁有判定和执行"},
	enum.Value[ReplyOutcome]{V: OutcomeEnforcement, Label: "处于行政执法过程中"},
)

// ReplyOutcomes returns every ReplyOutcome in display order.
func ReplyOutcomes() []ReplyOutcome { return replyOutcomes.All() }

// ParseReplyOutcome returns the ReplyOutcome whose wire value or Chinese label is s, or an [*EnumError].
func ParseReplyOutcome(s string) (ReplyOutcome, error) { return replyOutcomes.Parse(s) }

// String returns the wire value.
func (r ReplyOutcome) String() string { return string(r) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (r ReplyOutcome) Label() string { return replyOutcomes.Label(r) }

// Valid reports whether r is one of the declared values.
func (r ReplyOutcome) Valid() bool { return replyOutcomes.Valid(r) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (r *ReplyOutcome) UnmarshalText(b []byte) error {
	v, err := replyOutcomes.Unmarshal(b)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (r ReplyOutcome) MarshalText() ([]byte, error) {
	if r != "" && !replyOutcomes.Valid(r) {
		return nil, replyOutcomes.Check(r)
	}
	return []byte(r), nil
}

// Satisfaction is a level a citizen gives at the callback (000 第四条 (四): 办理结果、办理效率、办理态度).
type Satisfaction string

// The Satisfaction values.
const (
	Satisfied       Satisfaction = "satisfied"        // 满意
	FairlySatisfied Satisfaction = "fairly_satisfied" // 基本满意
	Dissatisfied    Satisfaction = "dissatisfied"     // 不满意
)

var satisfactions = enum.New("ticket.Satisfaction", ErrInvalidEnum,
	enum.Value[Satisfaction]{V: Satisfied, Label: "满意"},
	enum.Value[Satisfaction]{V: FairlySatisfied, Label: "基本满意"},
	enum.Value[Satisfaction]{V: Dissatisfied, Label: "不满意"},
)

// Satisfactions returns every Satisfaction in display order.
func Satisfactions() []Satisfaction { return satisfactions.All() }

// ParseSatisfaction returns the Satisfaction whose wire value or Chinese label is s, or an [*EnumError].
func ParseSatisfaction(s string) (Satisfaction, error) { return satisfactions.Parse(s) }

// String returns the wire value.
func (s Satisfaction) String() string { return string(s) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (s Satisfaction) Label() string { return satisfactions.Label(s) }

// Valid reports whether s is one of the declared values.
func (s Satisfaction) Valid() bool { return satisfactions.Valid(s) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (s *Satisfaction) UnmarshalText(b []byte) error {
	v, err := satisfactions.Unmarshal(b)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (s Satisfaction) MarshalText() ([]byte, error) {
	if s != "" && !satisfactions.Valid(s) {
		return nil, satisfactions.Check(s)
	}
	return []byte(s), nil
}

// SupervisionTrigger is why a ticket is supervised (督办情形, 004 第十二条; 000 第四条 (五)).
type SupervisionTrigger string

// The SupervisionTrigger values.
const (
	TriggerJointMeeting  SupervisionTrigger = "joint_meeting"  // 联席会议督办
	TriggerShirking      SupervisionTrigger = "shirking"       // 工单派发出现推诿
	TriggerRepeat        SupervisionTrigger = "repeat"         // 多次重复投诉
	TriggerUnresolved    SupervisionTrigger = "unresolved"     // 应办未办
	TriggerDissatisfied  SupervisionTrigger = "dissatisfied"   // 回访不满意
	TriggerInstruction   SupervisionTrigger = "instruction"    // 领导批示或媒体曝光
	TriggerCallbackIssue SupervisionTrigger = "callback_issue" // 回访发现应解决未解决或谎报瞒报
)

var supervisionTriggers = enum.New("ticket.SupervisionTrigger", ErrInvalidEnum,
	enum.Value[SupervisionTrigger]{V: TriggerJointMeeting, Label: "联席会议督办"},
	enum.Value[SupervisionTrigger]{V: TriggerShirking, Label: "工单派发出现推诿"},
	enum.Value[SupervisionTrigger]{V: TriggerRepeat, Label: "多次重复投诉"},
	enum.Value[SupervisionTrigger]{V: TriggerUnresolved, Label: "应办未办"},
	enum.Value[SupervisionTrigger]{V: TriggerDissatisfied, Label: "回访不满意"},
	enum.Value[SupervisionTrigger]{V: TriggerInstruction, Label: "领导批示或媒体曝光"},
	enum.Value[SupervisionTrigger]{V: TriggerCallbackIssue, Label: "回访发现应解决未解决或谎报瞒报"},
)

// SupervisionTriggers returns every SupervisionTrigger in display order.
func SupervisionTriggers() []SupervisionTrigger { return supervisionTriggers.All() }

// ParseSupervisionTrigger returns the SupervisionTrigger whose wire value or Chinese label is s, or an [*EnumError].
func ParseSupervisionTrigger(s string) (SupervisionTrigger, error) {
	return supervisionTriggers.Parse(s)
}

// String returns the wire value.
func (s SupervisionTrigger) String() string { return string(s) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (s SupervisionTrigger) Label() string { return supervisionTriggers.Label(s) }

// Valid reports whether s is one of the declared values.
func (s SupervisionTrigger) Valid() bool { return supervisionTriggers.Valid(s) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (s *SupervisionTrigger) UnmarshalText(b []byte) error {
	v, err := supervisionTriggers.Unmarshal(b)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (s SupervisionTrigger) MarshalText() ([]byte, error) {
	if s != "" && !supervisionTriggers.Valid(s) {
		return nil, supervisionTriggers.Check(s)
	}
	return []byte(s), nil
}

// ReviewerLevel is the level of the competent department (政务服务主管部门) that reviews a bad-review appeal: 000 第六条 (二) names the city's and the district's. The values are those of appeal's reviewer levels.
type ReviewerLevel string

// The ReviewerLevel values.
const (
	ReviewerCity     ReviewerLevel = "city"     // 市级政务服务主管部门
	ReviewerDistrict ReviewerLevel = "district" // 区级政务服务主管部门
)

var reviewerLevels = enum.New("ticket.ReviewerLevel", ErrInvalidEnum,
	enum.Value[ReviewerLevel]{V: ReviewerCity, Label: "市级政务服务主管部门"},
	enum.Value[ReviewerLevel]{V: ReviewerDistrict, Label: "区级政务服务主管部门"},
)

// ReviewerLevels returns every ReviewerLevel in display order.
func ReviewerLevels() []ReviewerLevel { return reviewerLevels.All() }

// ParseReviewerLevel returns the ReviewerLevel whose wire value or Chinese label is s, or an [*EnumError].
func ParseReviewerLevel(s string) (ReviewerLevel, error) { return reviewerLevels.Parse(s) }

// String returns the wire value.
func (r ReviewerLevel) String() string { return string(r) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (r ReviewerLevel) Label() string { return reviewerLevels.Label(r) }

// Valid reports whether r is one of the declared values.
func (r ReviewerLevel) Valid() bool { return reviewerLevels.Valid(r) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (r *ReviewerLevel) UnmarshalText(b []byte) error {
	v, err := reviewerLevels.Unmarshal(b)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (r ReviewerLevel) MarshalText() ([]byte, error) {
	if r != "" && !reviewerLevels.Valid(r) {
		return nil, reviewerLevels.Check(r)
	}
	return []byte(r), nil
}

// ExtensionDecision is how an extension request (延期申请, 004 第九条) was decided; unset while it is pending.
type ExtensionDecision string

// The ExtensionDecision values.
const (
	DecisionApproved ExtensionDecision = "approved" // 批准
	DecisionRefused  ExtensionDecision = "refused"  // 不予延期
)

var extensionDecisions = enum.New("ticket.ExtensionDecision", ErrInvalidEnum,
	enum.Value[ExtensionDecision]{V: DecisionApproved, Label: "批准"},
	enum.Value[ExtensionDecision]{V: DecisionRefused, Label: "不予延期"},
)

// ExtensionDecisions returns every ExtensionDecision in display order.
func ExtensionDecisions() []ExtensionDecision { return extensionDecisions.All() }

// ParseExtensionDecision returns the ExtensionDecision whose wire value or Chinese label is s, or an [*EnumError].
func ParseExtensionDecision(s string) (ExtensionDecision, error) { return extensionDecisions.Parse(s) }

// String returns the wire value.
func (e ExtensionDecision) String() string { return string(e) }

// Label returns the Chinese label; 未知(…) for a value outside the set, 未设置 for the unset value.
func (e ExtensionDecision) Label() string { return extensionDecisions.Label(e) }

// Valid reports whether e is one of the declared values.
func (e ExtensionDecision) Valid() bool { return extensionDecisions.Valid(e) }

// UnmarshalText implements [encoding.TextUnmarshaler]: the wire value or the Chinese label; empty is
// unset; anything else is an [*EnumError].
func (e *ExtensionDecision) UnmarshalText(b []byte) error {
	v, err := extensionDecisions.Unmarshal(b)
	if err != nil {
		return err
	}
	*e = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the wire value; a value outside the set is an
// [*EnumError], so that nothing is written that a reader would refuse.
func (e ExtensionDecision) MarshalText() ([]byte, error) {
	if e != "" && !extensionDecisions.Valid(e) {
		return nil, extensionDecisions.Check(e)
	}
	return []byte(e), nil
}

// StateCouncil reports whether tickets from c are 国办转办 items, with their return-upstream window
// and 25-working-day cap (000 第四条 (一), 第五条).
func (c Channel) StateCouncil() bool { return c == ChannelStateCouncil || c == ChannelGovWebsite }

// Stored reports whether o is one of the outcomes of 004 第八条 (三) that are reported upward and
// closed as stored (存电).
func (o ReplyOutcome) Stored() bool {
	switch o {
	case OutcomeAdministrative, OutcomeSettled, OutcomeAdjudicated, OutcomeEnforcement:
		return true
	}
	return false
}
