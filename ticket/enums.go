package ticket

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownValue is wrapped by every error returned when text names no value of an enum (see
// [ParseChannel], [ParseKind] and the UnmarshalText methods).
var ErrUnknownValue = errors.New("ticket: unknown value")

// enumName is the English identifier (used in JSON and logs) and the Chinese label (for display) of
// one enum value. Index 0 of every table is the zero value, which is never valid.
type enumName struct{ name, label string }

// enumString returns the identifier of v, or "Type(n)" for a value outside the table.
func enumString(typ string, names []enumName, v int) string {
	if v > 0 && v < len(names) {
		return names[v].name
	}
	if v == 0 {
		return ""
	}
	return fmt.Sprintf("%s(%d)", typ, v)
}

func enumLabel(names []enumName, v int) string {
	if v > 0 && v < len(names) {
		return names[v].label
	}
	return ""
}

func enumValid(names []enumName, v int) bool { return v > 0 && v < len(names) }

// parseEnum returns the index of the value whose identifier or Chinese label is s (surrounding
// space ignored, identifiers case-insensitive).
func parseEnum(typ string, names []enumName, s string) (int, error) {
	t := strings.TrimSpace(s)
	if t != "" {
		for i := 1; i < len(names); i++ {
			if strings.EqualFold(t, names[i].name) || t == names[i].label {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("%w: %s %q", ErrUnknownValue, typ, s)
}

func marshalEnum(typ string, names []enumName, v int) ([]byte, error) {
	if v == 0 {
		return []byte{}, nil
	}
	if !enumValid(names, v) {
		return nil, fmt.Errorf("%w: %s(%d)", ErrUnknownValue, typ, v)
	}
	return []byte(names[v].name), nil
}

func unmarshalEnum(typ string, names []enumName, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	return parseEnum(typ, names, string(b))
}

// Channel is the way a ticket reached the hotline (渠道, DESIGN §3; 000 第二条; 002 第二条; 003 二).
type Channel uint8

// The channels. The zero Channel is unset and invalid.
const (
	ChannelPhone         Channel = iota + 1 // 12345热线电话
	ChannelWeb                              // 12345网站
	ChannelOneNetPortal                     // “一网通办”总门户
	ChannelSuishenban                       // “随申办”移动端
	ChannelStateCouncil                     // 国办转办 (国家政务服务平台)
	ChannelGovWebsite                       // 中国政府网网民留言
	ChannelProvincial                       // 省一体化在线政务服务平台
	ChannelBadReview                        // “好差评”差评
	ChannelWindowOnline                     // “办不成事”反映窗口 (线上)
	ChannelWindowOffline                    // “办不成事”反映窗口 (线下)
	ChannelServiceHall                      // 行政服务大厅咨询投诉台
	ChannelKiosk                            // 自助终端
)

var channelNames = []enumName{
	{},
	{"phone", "12345热线电话"},
	{"web", "12345网站"},
	{"one_net_portal", "“一网通办”总门户"},
	{"suishenban", "“随申办”移动端"},
	{"state_council", "国办转办"},
	{"gov_website", "中国政府网留言"},
	{"provincial", "省一体化在线政务服务平台"},
	{"bad_review", "“好差评”差评"},
	{"window_online", "“办不成事”反映窗口(线上)"},
	{"window_offline", "“办不成事”反映窗口(线下)"},
	{"service_hall", "行政服务大厅咨询投诉台"},
	{"kiosk", "自助终端"},
}

// Channels returns every valid channel in declaration order.
func Channels() []Channel { return all[Channel](len(channelNames)) }

// String returns the channel's identifier, e.g. "phone".
func (c Channel) String() string { return enumString("Channel", channelNames, int(c)) }

// Label returns the channel's Chinese label, e.g. "12345热线电话".
func (c Channel) Label() string { return enumLabel(channelNames, int(c)) }

// Valid reports whether c is one of the declared channels.
func (c Channel) Valid() bool { return enumValid(channelNames, int(c)) }

// StateCouncil reports whether tickets from c are 国办转办 items, with their return-upstream window
// and 25-working-day cap (000 第四条 (一), 第五条).
func (c Channel) StateCouncil() bool { return c == ChannelStateCouncil || c == ChannelGovWebsite }

// MarshalText implements [encoding.TextMarshaler].
func (c Channel) MarshalText() ([]byte, error) { return marshalEnum("Channel", channelNames, int(c)) }

// UnmarshalText implements [encoding.TextUnmarshaler]; it accepts the identifier or the Chinese label.
func (c *Channel) UnmarshalText(b []byte) error {
	v, err := unmarshalEnum("Channel", channelNames, b)
	*c = Channel(v)
	return err
}

// ParseChannel returns the channel whose identifier or Chinese label is s.
func ParseChannel(s string) (Channel, error) {
	v, err := parseEnum("Channel", channelNames, s)
	return Channel(v), err
}

// Kind is what the citizen or enterprise asks for (诉求类型, DESIGN §3; 004 第二条; 003 四 (三)).
type Kind uint8

// The kinds. The zero Kind is unset and invalid.
const (
	KindConsultation Kind = iota + 1 // 咨询
	KindHelpRequest                  // 求助
	KindComplaint                    // 投诉
	KindSuggestion                   // 建议
	KindErrand                       // 办事 (a 办不成事 case, 003 四 (三))
	KindReview                       // 评价 / 差评
)

var kindNames = []enumName{
	{},
	{"consultation", "咨询"},
	{"help_request", "求助"},
	{"complaint", "投诉"},
	{"suggestion", "建议"},
	{"errand", "办事"},
	{"review", "评价"},
}

// Kinds returns every valid kind in declaration order.
func Kinds() []Kind { return all[Kind](len(kindNames)) }

// String returns the kind's identifier, e.g. "complaint".
func (k Kind) String() string { return enumString("Kind", kindNames, int(k)) }

// Label returns the kind's Chinese label, e.g. "投诉".
func (k Kind) Label() string { return enumLabel(kindNames, int(k)) }

// Valid reports whether k is one of the declared kinds.
func (k Kind) Valid() bool { return enumValid(kindNames, int(k)) }

// MarshalText implements [encoding.TextMarshaler].
func (k Kind) MarshalText() ([]byte, error) { return marshalEnum("Kind", kindNames, int(k)) }

// UnmarshalText implements [encoding.TextUnmarshaler]; it accepts the identifier or the Chinese label.
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := unmarshalEnum("Kind", kindNames, b)
	*k = Kind(v)
	return err
}

// ParseKind returns the kind whose identifier or Chinese label is s.
func ParseKind(s string) (Kind, error) {
	v, err := parseEnum("Kind", kindNames, s)
	return Kind(v), err
}

// Urgency is the category a State Council item carries (000 第五条): “一般” items are capped at the
// policy's ReplyCap, “特殊/紧急” items follow the deadline the upstream system gives.
type Urgency uint8

// The urgencies. The zero Urgency is unset; tickets that are not 国办 items leave it so.
const (
	UrgencyGeneral Urgency = iota + 1 // 一般
	UrgencySpecial                    // 特殊/紧急
)

var urgencyNames = []enumName{{}, {"general", "一般"}, {"special", "特殊/紧急"}}

// String returns the urgency's identifier.
func (u Urgency) String() string { return enumString("Urgency", urgencyNames, int(u)) }

// Label returns the urgency's Chinese label.
func (u Urgency) Label() string { return enumLabel(urgencyNames, int(u)) }

// Valid reports whether u is one of the declared urgencies.
func (u Urgency) Valid() bool { return enumValid(urgencyNames, int(u)) }

// MarshalText implements [encoding.TextMarshaler].
func (u Urgency) MarshalText() ([]byte, error) { return marshalEnum("Urgency", urgencyNames, int(u)) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (u *Urgency) UnmarshalText(b []byte) error {
	v, err := unmarshalEnum("Urgency", urgencyNames, b)
	*u = Urgency(v)
	return err
}

// Complexity grades how hard a matter is; with the [Mode] it selects the reply limit of the policy
// (004 第八条 (二): 能及时办理 / 一般 / 复杂、疑难; 003 四 (四): 简易 / 一般 / 复杂 / 特殊).
type Complexity uint8

// The complexities. The zero Complexity is unset; a dispatch without one counts as general.
const (
	ComplexitySimple  Complexity = iota + 1 // 简易
	ComplexityGeneral                       // 一般
	ComplexityComplex                       // 复杂
	ComplexitySpecial                       // 特殊
)

var complexityNames = []enumName{{}, {"simple", "简易"}, {"general", "一般"}, {"complex", "复杂"}, {"special", "特殊"}}

// String returns the complexity's identifier.
func (c Complexity) String() string { return enumString("Complexity", complexityNames, int(c)) }

// Label returns the complexity's Chinese label.
func (c Complexity) Label() string { return enumLabel(complexityNames, int(c)) }

// Valid reports whether c is one of the declared complexities.
func (c Complexity) Valid() bool { return enumValid(complexityNames, int(c)) }

// MarshalText implements [encoding.TextMarshaler].
func (c Complexity) MarshalText() ([]byte, error) {
	return marshalEnum("Complexity", complexityNames, int(c))
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (c *Complexity) UnmarshalText(b []byte) error {
	v, err := unmarshalEnum("Complexity", complexityNames, b)
	*c = Complexity(v)
	return err
}

// Mode is how a ticket is handled (办理方式, 002 第六条 (二) 1). 催办 (urging) is not a mode but the
// [ActionUrge] action.
type Mode uint8

// The handling modes. The zero Mode is unset: the reply limit then follows the complexity.
const (
	ModeImmediate Mode = iota + 1 // 即办: answered at intake
	ModeDirect                    // 直办: handed over live in a three-way call
	ModeTransfer                  // 转办: dispatched for investigation
	ModeJoint                     // 协办: several units under a lead unit
	ModeReported                  // 呈办: reported to the city government for instruction
)

var modeNames = []enumName{
	{},
	{"immediate", "即办"},
	{"direct", "直办"},
	{"transfer", "转办"},
	{"joint", "协办"},
	{"reported", "呈办"},
}

// String returns the mode's identifier.
func (m Mode) String() string { return enumString("Mode", modeNames, int(m)) }

// Label returns the mode's Chinese label.
func (m Mode) Label() string { return enumLabel(modeNames, int(m)) }

// Valid reports whether m is one of the declared modes.
func (m Mode) Valid() bool { return enumValid(modeNames, int(m)) }

// MarshalText implements [encoding.TextMarshaler].
func (m Mode) MarshalText() ([]byte, error) { return marshalEnum("Mode", modeNames, int(m)) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (m *Mode) UnmarshalText(b []byte) error {
	v, err := unmarshalEnum("Mode", modeNames, b)
	*m = Mode(v)
	return err
}

// DispatchMode is the principle a dispatch follows (004 第六条: 法定、商定、指定; 000 第四条 (二)), plus
// 托底: a dispatch to the territorial government because no unit is competent (000 第四条 (二)
// 各区托底). Fallback cases are recorded as such because taking them on earns a bonus in assessment
// (004 第十五条 (一) 2 积极受理"托底"事项).
type DispatchMode uint8

// The dispatch modes.
const (
	DispatchStatutory  DispatchMode = iota + 1 // 法定: by the units' statutory duties
	DispatchNegotiated                         // 商定: agreed among several units, joint handling
	DispatchDesignated                         // 指定: designated by the leader in charge
	DispatchFallback                           // 托底: the territorial government takes it, nobody being competent
)

var dispatchModeNames = []enumName{{}, {"statutory", "法定"}, {"negotiated", "商定"}, {"designated", "指定"}, {"fallback", "托底"}}

// String returns the dispatch mode's identifier.
func (d DispatchMode) String() string { return enumString("DispatchMode", dispatchModeNames, int(d)) }

// Label returns the dispatch mode's Chinese label.
func (d DispatchMode) Label() string { return enumLabel(dispatchModeNames, int(d)) }

// Valid reports whether d is one of the declared dispatch modes.
func (d DispatchMode) Valid() bool { return enumValid(dispatchModeNames, int(d)) }

// MarshalText implements [encoding.TextMarshaler].
func (d DispatchMode) MarshalText() ([]byte, error) {
	return marshalEnum("DispatchMode", dispatchModeNames, int(d))
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (d *DispatchMode) UnmarshalText(b []byte) error {
	v, err := unmarshalEnum("DispatchMode", dispatchModeNames, b)
	*d = DispatchMode(v)
	return err
}

// ReplyOutcome is what a unit's reply concludes (004 第八条 (三), 第十条). It is not to be confused
// with [ScreenOutcome], what intake screening decides before a ticket is handled.
type ReplyOutcome uint8

// The reply outcomes. The four "stored" outcomes of 004 第八条 (三) let the hotline office close the ticket as
// stored ([ActionCloseStored]) without repeated answers.
const (
	OutcomeResolved       ReplyOutcome = iota + 1 // 已解决 (办理完毕)
	OutcomeExplained                              // 解释说明 (法律、法规、规章及政策原因暂时无法解决)
	OutcomePlanned                                // 有办理计划 (待条件成熟后解决)
	OutcomeInProcedure                            // 进入法律法规规定程序处理
	OutcomeGuided                                 // 指明办事途径
	OutcomeUnable                                 // 因客观原因无法办理
	OutcomeAdministrative                         // 存电: 涉及政府依法行政执行
	OutcomeSettled                                // 存电: 信访或历史已有定论
	OutcomeAdjudicated                            // 存电: 司法、劳动、仲裁有判定和执行
	OutcomeEnforcement                            // 存电: 处于行政执法过程中
)

var outcomeNames = []enumName{
	{},
	{"resolved", "已解决"},
	{"explained", "解释说明"},
	{"planned", "有办理计划"},
	{"in_procedure", "进入法定程序处理"},
	{"guided", "指明办事途径"},
	{"unable", "因客观原因无法办理"},
	{"administrative", "涉及政府依法行政执行"},
	{"settled", "信访或历史已有定论"},
	{"adjudicated", "司法、劳动、仲裁有判定和执行"},
	{"enforcement", "处于行政执法过程中"},
}

// String returns the outcome's identifier.
func (o ReplyOutcome) String() string { return enumString("ReplyOutcome", outcomeNames, int(o)) }

// Label returns the outcome's Chinese label.
func (o ReplyOutcome) Label() string { return enumLabel(outcomeNames, int(o)) }

// Valid reports whether o is one of the declared outcomes.
func (o ReplyOutcome) Valid() bool { return enumValid(outcomeNames, int(o)) }

// Stored reports whether o is one of the outcomes of 004 第八条 (三) that are reported upward and closed
// as stored (存电).
func (o ReplyOutcome) Stored() bool { return o >= OutcomeAdministrative && o.Valid() }

// MarshalText implements [encoding.TextMarshaler].
func (o ReplyOutcome) MarshalText() ([]byte, error) {
	return marshalEnum("ReplyOutcome", outcomeNames, int(o))
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (o *ReplyOutcome) UnmarshalText(b []byte) error {
	v, err := unmarshalEnum("ReplyOutcome", outcomeNames, b)
	*o = ReplyOutcome(v)
	return err
}

// Satisfaction is a level a citizen gives at the callback (000 第四条 (四): 办理结果、办理效率、办理态度).
type Satisfaction uint8

// The satisfaction levels.
const (
	Satisfied       Satisfaction = iota + 1 // 满意
	FairlySatisfied                         // 基本满意
	Dissatisfied                            // 不满意
)

var satisfactionNames = []enumName{{}, {"satisfied", "满意"}, {"fairly_satisfied", "基本满意"}, {"dissatisfied", "不满意"}}

// String returns the level's identifier.
func (s Satisfaction) String() string { return enumString("Satisfaction", satisfactionNames, int(s)) }

// Label returns the level's Chinese label.
func (s Satisfaction) Label() string { return enumLabel(satisfactionNames, int(s)) }

// Valid reports whether s is one of the declared levels.
func (s Satisfaction) Valid() bool { return enumValid(satisfactionNames, int(s)) }

// MarshalText implements [encoding.TextMarshaler].
func (s Satisfaction) MarshalText() ([]byte, error) {
	return marshalEnum("Satisfaction", satisfactionNames, int(s))
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *Satisfaction) UnmarshalText(b []byte) error {
	v, err := unmarshalEnum("Satisfaction", satisfactionNames, b)
	*s = Satisfaction(v)
	return err
}

// SupervisionTrigger is why a ticket is supervised (督办情形, 004 第十二条).
type SupervisionTrigger uint8

// The supervision triggers.
const (
	TriggerJointMeeting  SupervisionTrigger = iota + 1 // 联席会议督办 (004 §12 (一))
	TriggerShirking                                    // 工单派发出现推诿 (004 §12 (二) 1)
	TriggerRepeat                                      // 多次重复投诉 (004 §12 (二) 2)
	TriggerUnresolved                                  // 应办未办 (004 §12 (二) 3)
	TriggerDissatisfied                                // 回访不满意 (004 §12 (二) 4)
	TriggerInstruction                                 // 领导批示或媒体曝光 (004 §12 (二) 5)
	TriggerCallbackIssue                               // 回访发现应解决未解决、谎报瞒报 (000 §4 (五))
)

var triggerNames = []enumName{
	{},
	{"joint_meeting", "联席会议督办"},
	{"shirking", "工单派发出现推诿"},
	{"repeat", "多次重复投诉"},
	{"unresolved", "应办未办"},
	{"dissatisfied", "回访不满意"},
	{"instruction", "领导批示或媒体曝光"},
	{"callback_issue", "回访发现应解决未解决或谎报瞒报"},
}

// String returns the trigger's identifier.
func (s SupervisionTrigger) String() string {
	return enumString("SupervisionTrigger", triggerNames, int(s))
}

// Label returns the trigger's Chinese label.
func (s SupervisionTrigger) Label() string { return enumLabel(triggerNames, int(s)) }

// Valid reports whether s is one of the declared triggers.
func (s SupervisionTrigger) Valid() bool { return enumValid(triggerNames, int(s)) }

// MarshalText implements [encoding.TextMarshaler].
func (s SupervisionTrigger) MarshalText() ([]byte, error) {
	return marshalEnum("SupervisionTrigger", triggerNames, int(s))
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *SupervisionTrigger) UnmarshalText(b []byte) error {
	v, err := unmarshalEnum("SupervisionTrigger", triggerNames, b)
	*s = SupervisionTrigger(v)
	return err
}

// ReviewerLevel is the level of the competent department (政务服务主管部门) that reviews a bad-review
// appeal: 000 第六条 (二) names the city's and the district's.
type ReviewerLevel uint8

// The reviewer levels. The zero ReviewerLevel is unset and invalid.
const (
	ReviewerCity     ReviewerLevel = iota + 1 // 市级政务服务主管部门
	ReviewerDistrict                          // 区级政务服务主管部门
)

var reviewerLevelNames = []enumName{{}, {"city", "市级政务服务主管部门"}, {"district", "区级政务服务主管部门"}}

// ReviewerLevels returns every valid reviewer level in declaration order.
func ReviewerLevels() []ReviewerLevel { return all[ReviewerLevel](len(reviewerLevelNames)) }

// String returns the level's identifier, e.g. "district".
func (l ReviewerLevel) String() string {
	return enumString("ReviewerLevel", reviewerLevelNames, int(l))
}

// Label returns the level's Chinese label, e.g. "区级政务服务主管部门".
func (l ReviewerLevel) Label() string { return enumLabel(reviewerLevelNames, int(l)) }

// Valid reports whether l is one of the declared levels.
func (l ReviewerLevel) Valid() bool { return enumValid(reviewerLevelNames, int(l)) }

// MarshalText implements [encoding.TextMarshaler].
func (l ReviewerLevel) MarshalText() ([]byte, error) {
	return marshalEnum("ReviewerLevel", reviewerLevelNames, int(l))
}

// UnmarshalText implements [encoding.TextUnmarshaler]; it accepts the identifier or the Chinese label.
func (l *ReviewerLevel) UnmarshalText(b []byte) error {
	v, err := unmarshalEnum("ReviewerLevel", reviewerLevelNames, b)
	*l = ReviewerLevel(v)
	return err
}

// all returns the values 1..n-1 of an enum type.
func all[T ~uint8](n int) []T {
	out := make([]T, 0, n-1)
	for i := 1; i < n; i++ {
		out = append(out, T(i))
	}
	return out
}
