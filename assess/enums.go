package assess

import (
	"errors"

	"github.com/hotline12345/hotline/internal/enum"
)

// Every enumeration of this package is a string type whose value is its wire form, declared with the
// module's one enum mechanism (internal/enum), so that all of them behave alike: String is the wire
// value; Label the Chinese label ("未知(x)" for a value outside the set, "未设置" for ""); Valid;
// a plural listing function (Ratings, Channels, …); ParseX accepting the wire value or the label; and
// UnmarshalText refusing unknown values with an [*EnumError] wrapping [ErrInvalidEnum].

// ErrInvalidEnum is wrapped by every [*EnumError]: a value outside its enumeration.
var ErrInvalidEnum = errors.New("assess: invalid enum value")

// EnumError reports a value that is not a member of its enumeration; it wraps [ErrInvalidEnum].
type EnumError = enum.Error

// Rating is a 好差评 rating on the five-level scale of 001 (二) (the national 好差评 standard): 非常满意
// to 非常不满意. The zero Rating "" means "no answer". The two lowest are bad reviews ([Rating.Bad]).
type Rating string

// The five ratings, best first.
const (
	VerySatisfied    Rating = "very_satisfied"    // 非常满意
	Satisfied        Rating = "satisfied"         // 满意
	FairlySatisfied  Rating = "fairly_satisfied"  // 基本满意
	Dissatisfied     Rating = "dissatisfied"      // 不满意
	VeryDissatisfied Rating = "very_dissatisfied" // 非常不满意
)

var ratingSet = enum.New("assess.Rating", ErrInvalidEnum,
	enum.Value[Rating]{V: VerySatisfied, Label: "非常满意"},
	enum.Value[Rating]{V: Satisfied, Label: "满意"},
	enum.Value[Rating]{V: FairlySatisfied, Label: "基本满意"},
	enum.Value[Rating]{V: Dissatisfied, Label: "不满意"},
	enum.Value[Rating]{V: VeryDissatisfied, Label: "非常不满意"},
)

// Ratings returns the five ratings, best first.
func Ratings() []Rating { return ratingSet.All() }

// ParseRating returns the rating whose wire value or Chinese label is s.
func ParseRating(s string) (Rating, error) { return ratingSet.Parse(s) }

// Rank returns the rating's place on the scale, 1 (非常满意) to 5 (非常不满意), and 0 for "" or a value
// outside the scale. It is the index into [Indicators.Ratings] plus one and the byte the canonical
// encoding writes.
func (r Rating) Rank() int {
	switch r {
	case VerySatisfied:
		return 1
	case Satisfied:
		return 2
	case FairlySatisfied:
		return 3
	case Dissatisfied:
		return 4
	case VeryDissatisfied:
		return 5
	}
	return 0
}

// Valid reports whether r is one of the five ratings.
func (r Rating) Valid() bool { return r.Rank() != 0 }

// Bad reports whether r is a bad review (差评): the two lowest ratings, 不满意 and 非常不满意, which open
// a ticket (000 §4 (一): "好差评"差评事项 enter the 12345 system).
func (r Rating) Bad() bool { return r == Dissatisfied || r == VeryDissatisfied }

// String returns the wire value.
func (r Rating) String() string { return string(r) }

// Label returns the Chinese label, e.g. 非常满意.
func (r Rating) Label() string { return ratingSet.Label(r) }

// UnmarshalText accepts the wire value or the Chinese label; "" is no answer.
func (r *Rating) UnmarshalText(b []byte) error {
	v, err := ratingSet.Unmarshal(b)
	if err == nil {
		*r = v
	}
	return err
}

// Answer is a yes/no answer that may be missing, such as a callback question the citizen did not
// answer. The zero Answer [NoAnswer] ("") is "not asked or not answered".
type Answer string

// The answers.
const (
	NoAnswer Answer = ""
	Yes      Answer = "yes" // 是
	No       Answer = "no"  // 否
)

var answerSet = enum.New("assess.Answer", ErrInvalidEnum,
	enum.Value[Answer]{V: Yes, Label: "是"},
	enum.Value[Answer]{V: No, Label: "否"},
)

// Answers returns yes and no.
func Answers() []Answer { return answerSet.All() }

// ParseAnswer returns the answer whose wire value or Chinese label is s.
func ParseAnswer(s string) (Answer, error) { return answerSet.Parse(s) }

// Known reports whether a is Yes or No.
func (a Answer) Known() bool { return a == Yes || a == No }

// Valid reports whether a is Yes or No (the same as [Answer.Known]).
func (a Answer) Valid() bool { return a.Known() }

// String returns the wire value.
func (a Answer) String() string { return string(a) }

// Label returns 是 or 否 (未设置 for no answer).
func (a Answer) Label() string { return answerSet.Label(a) }

// UnmarshalText accepts "yes", "no", 是, 否 or "" (no answer).
func (a *Answer) UnmarshalText(b []byte) error {
	v, err := answerSet.Unmarshal(b)
	if err == nil {
		*a = v
	}
	return err
}

// Dimension is one of the rating indicators of 001 (二): 事项管理, 办事流程, 服务效率, 服务水平, 服务态度,
// 便捷性. A review may rate each dimension besides its overall rating.
type Dimension string

// The six dimensions of 001 (二).
const (
	DimMatterManagement Dimension = "matter_management" // 事项管理
	DimProcess          Dimension = "process"           // 办事流程
	DimEfficiency       Dimension = "efficiency"        // 服务效率
	DimCompetence       Dimension = "competence"        // 服务水平
	DimAttitude         Dimension = "attitude"          // 服务态度
	DimConvenience      Dimension = "convenience"       // 便捷性
)

var dimensionSet = enum.New("assess.Dimension", ErrInvalidEnum,
	enum.Value[Dimension]{V: DimMatterManagement, Label: "事项管理"},
	enum.Value[Dimension]{V: DimProcess, Label: "办事流程"},
	enum.Value[Dimension]{V: DimEfficiency, Label: "服务效率"},
	enum.Value[Dimension]{V: DimCompetence, Label: "服务水平"},
	enum.Value[Dimension]{V: DimAttitude, Label: "服务态度"},
	enum.Value[Dimension]{V: DimConvenience, Label: "便捷性"},
)

// Dimensions returns the six dimensions in the order of 001 (二).
func Dimensions() []Dimension { return dimensionSet.All() }

// dimensionsByName are the six dimensions sorted by wire value, the order of the canonical encoding.
var dimensionsByName = [...]Dimension{DimAttitude, DimCompetence, DimConvenience, DimEfficiency, DimMatterManagement, DimProcess}

// ParseDimension returns the dimension whose wire value or Chinese label is s.
func ParseDimension(s string) (Dimension, error) { return dimensionSet.Parse(s) }

func (d Dimension) index() int {
	switch d {
	case DimMatterManagement:
		return 0
	case DimProcess:
		return 1
	case DimEfficiency:
		return 2
	case DimCompetence:
		return 3
	case DimAttitude:
		return 4
	case DimConvenience:
		return 5
	}
	return -1
}

// Valid reports whether d is one of the six dimensions.
func (d Dimension) Valid() bool { return d.index() >= 0 }

// String returns the wire value.
func (d Dimension) String() string { return string(d) }

// Label returns the Chinese name, e.g. 服务态度.
func (d Dimension) Label() string { return dimensionSet.Label(d) }

// UnmarshalText accepts the wire value or the Chinese label.
func (d *Dimension) UnmarshalText(b []byte) error {
	v, err := dimensionSet.Unmarshal(b)
	if err == nil {
		*d = v
	}
	return err
}

// Channel is where a review was given (001 (一): every channel is covered). The wire values are
// package ticket's channel values for the same channels, plus "other".
type Channel string

// The channels of 001 (一).
const (
	ChannelServiceHall  Channel = "service_hall"   // 线下实体窗口 (QR code at the window, 001 (四))
	ChannelOneNetPortal Channel = "one_net_portal" // 线上服务门户 (“一网通办”总门户)
	ChannelSuishenban   Channel = "suishenban"     // 移动端 (“随申办”)
	ChannelPhone        Channel = "phone"          // “12345”市民服务热线
	ChannelKiosk        Channel = "kiosk"          // 自助终端
	ChannelOther        Channel = "other"          // 部门网站 and the other channels being brought in
)

var channelSet = enum.New("assess.Channel", ErrInvalidEnum,
	enum.Value[Channel]{V: ChannelServiceHall, Label: "线下实体窗口"},
	enum.Value[Channel]{V: ChannelOneNetPortal, Label: "“一网通办”总门户"},
	enum.Value[Channel]{V: ChannelSuishenban, Label: "“随申办”移动端"},
	enum.Value[Channel]{V: ChannelPhone, Label: "12345热线电话"},
	enum.Value[Channel]{V: ChannelKiosk, Label: "自助终端"},
	enum.Value[Channel]{V: ChannelOther, Label: "其他渠道"},
)

// Channels returns the channels in the order of 001 (一).
func Channels() []Channel { return channelSet.All() }

// ParseChannel returns the channel whose wire value or Chinese label is s.
func ParseChannel(s string) (Channel, error) { return channelSet.Parse(s) }

// Valid reports whether c is one of the channels.
func (c Channel) Valid() bool { return channelSet.Valid(c) }

// String returns the wire value.
func (c Channel) String() string { return string(c) }

// Label returns the Chinese name of the channel.
func (c Channel) Label() string { return channelSet.Label(c) }

// UnmarshalText accepts the wire value or the Chinese label; "" is unset.
func (c *Channel) UnmarshalText(b []byte) error {
	v, err := channelSet.Unmarshal(b)
	if err == nil {
		*c = v
	}
	return err
}

// Algorithm names the digest algorithm of a [Scheme] and its [Result]s.
type Algorithm string

// The digest algorithms. SM3 (GB/T 32905) is the default, for 密评; SHA-256 is available for systems
// that verify with standard tools.
const (
	SM3    Algorithm = "sm3"
	SHA256 Algorithm = "sha256"
)

var algorithmSet = enum.New("assess.Algorithm", ErrInvalidEnum,
	enum.Value[Algorithm]{V: SM3, Label: "SM3"},
	enum.Value[Algorithm]{V: SHA256, Label: "SHA-256"},
)

// Algorithms returns SM3 and SHA-256.
func Algorithms() []Algorithm { return algorithmSet.All() }

// ParseAlgorithm returns the algorithm whose wire value or label ("SM3", "SHA-256") is s.
func ParseAlgorithm(s string) (Algorithm, error) { return algorithmSet.Parse(s) }

// Valid reports whether a is SM3 or SHA-256.
func (a Algorithm) Valid() bool { return algorithmSet.Valid(a) }

// String returns the wire value.
func (a Algorithm) String() string { return string(a) }

// Label returns "SM3" or "SHA-256".
func (a Algorithm) Label() string { return algorithmSet.Label(a) }

// UnmarshalText accepts the wire value or the label; "" is the default, SM3.
func (a *Algorithm) UnmarshalText(b []byte) error {
	v, err := algorithmSet.Unmarshal(b)
	if err == nil {
		*a = v
	}
	return err
}

// ScoringKind says how an item turns its indicator value into a fraction of its weight.
type ScoringKind string

// The scoring kinds.
const (
	// ScoreRate awards value × weight: a rate of 95% earns 95% of the weight (values are clamped to
	// [0, 1]). For rates where higher is better.
	ScoreRate ScoringKind = "rate"
	// ScoreInverse awards (1 − value) × weight, clamped to [0, 1]. For rates where lower is better,
	// such as the complaint rate (被投诉率, 002 §9).
	ScoreInverse ScoringKind = "inverse"
	// ScoreBands awards the fraction of the band with the greatest Min not above the value; a value
	// below every band earns 0. Works for rates and counts, in either direction.
	ScoreBands ScoringKind = "bands"
	// ScorePerCount awards max(0, 1 − count × PerCount) × weight: each occurrence of a count
	// indicator (overdue cases, returns, …) takes PerCount of the weight away.
	ScorePerCount ScoringKind = "per_count"
)

var scoringKindSet = enum.New("assess.ScoringKind", ErrInvalidEnum,
	enum.Value[ScoringKind]{V: ScoreRate, Label: "按比率"},
	enum.Value[ScoringKind]{V: ScoreInverse, Label: "按比率反向"},
	enum.Value[ScoringKind]{V: ScoreBands, Label: "分档"},
	enum.Value[ScoringKind]{V: ScorePerCount, Label: "按次扣分"},
)

// ScoringKinds returns the scoring kinds.
func ScoringKinds() []ScoringKind { return scoringKindSet.All() }

// ParseScoringKind returns the kind whose wire value or Chinese label is s.
func ParseScoringKind(s string) (ScoringKind, error) { return scoringKindSet.Parse(s) }

// Valid reports whether k is a scoring kind.
func (k ScoringKind) Valid() bool { return scoringKindSet.Valid(k) }

// String returns the wire value.
func (k ScoringKind) String() string { return string(k) }

// Label returns the Chinese label.
func (k ScoringKind) Label() string { return scoringKindSet.Label(k) }

// UnmarshalText accepts the wire value or the Chinese label.
func (k *ScoringKind) UnmarshalText(b []byte) error {
	v, err := scoringKindSet.Unmarshal(b)
	if err == nil {
		*k = v
	}
	return err
}

// AdjustmentKind is bonus (加分) or deduction (减分).
type AdjustmentKind string

// The adjustment kinds of 004 §15 (一) 2–3.
const (
	Bonus     AdjustmentKind = "bonus"     // 加分
	Deduction AdjustmentKind = "deduction" // 减分
)

var adjustmentKindSet = enum.New("assess.AdjustmentKind", ErrInvalidEnum,
	enum.Value[AdjustmentKind]{V: Bonus, Label: "加分"},
	enum.Value[AdjustmentKind]{V: Deduction, Label: "减分"},
)

// AdjustmentKinds returns bonus and deduction.
func AdjustmentKinds() []AdjustmentKind { return adjustmentKindSet.All() }

// ParseAdjustmentKind returns the kind whose wire value or Chinese label is s.
func ParseAdjustmentKind(s string) (AdjustmentKind, error) { return adjustmentKindSet.Parse(s) }

// Valid reports whether k is bonus or deduction.
func (k AdjustmentKind) Valid() bool { return adjustmentKindSet.Valid(k) }

// String returns the wire value.
func (k AdjustmentKind) String() string { return string(k) }

// Label returns 加分 or 减分.
func (k AdjustmentKind) Label() string { return adjustmentKindSet.Label(k) }

// UnmarshalText accepts the wire value or the Chinese label.
func (k *AdjustmentKind) UnmarshalText(b []byte) error {
	v, err := adjustmentKindSet.Unmarshal(b)
	if err == nil {
		*k = v
	}
	return err
}

// MissingRule says how an item with no data (every indicator undefined: no callbacks, no replies…)
// is scored.
type MissingRule string

// The missing-data rules.
const (
	// MissingReweight leaves the item out and scales the defined items up to the full 100 points.
	MissingReweight MissingRule = "reweight"
	// MissingFull awards the item its full weight: nothing went wrong.
	MissingFull MissingRule = "full"
	// MissingZero awards the item nothing.
	MissingZero MissingRule = "zero"
)

var missingRuleSet = enum.New("assess.MissingRule", ErrInvalidEnum,
	enum.Value[MissingRule]{V: MissingReweight, Label: "按比例折算"},
	enum.Value[MissingRule]{V: MissingFull, Label: "得满分"},
	enum.Value[MissingRule]{V: MissingZero, Label: "不得分"},
)

// MissingRules returns the missing-data rules.
func MissingRules() []MissingRule { return missingRuleSet.All() }

// ParseMissingRule returns the rule whose wire value or Chinese label is s.
func ParseMissingRule(s string) (MissingRule, error) { return missingRuleSet.Parse(s) }

// Valid reports whether m is a missing-data rule.
func (m MissingRule) Valid() bool { return missingRuleSet.Valid(m) }

// String returns the wire value.
func (m MissingRule) String() string { return string(m) }

// Label returns the Chinese label.
func (m MissingRule) Label() string { return missingRuleSet.Label(m) }

// UnmarshalText accepts the wire value or the Chinese label.
func (m *MissingRule) UnmarshalText(b []byte) error {
	v, err := missingRuleSet.Unmarshal(b)
	if err == nil {
		*m = v
	}
	return err
}

// TieRule says what happens when units are still equal after every tie-break indicator.
type TieRule string

// The tie rules.
const (
	// TieByUnit orders tied units by unit ID and gives each its own rank (1, 2, 3, …).
	TieByUnit TieRule = "unit_id"
	// TieShared gives tied units the same rank and skips the following ones (1, 2, 2, 4); they are
	// listed by unit ID.
	TieShared TieRule = "shared"
)

var tieRuleSet = enum.New("assess.TieRule", ErrInvalidEnum,
	enum.Value[TieRule]{V: TieByUnit, Label: "按单位编号排序"},
	enum.Value[TieRule]{V: TieShared, Label: "并列"},
)

// TieRules returns the tie rules.
func TieRules() []TieRule { return tieRuleSet.All() }

// ParseTieRule returns the rule whose wire value or Chinese label is s.
func ParseTieRule(s string) (TieRule, error) { return tieRuleSet.Parse(s) }

// Valid reports whether t is a tie rule.
func (t TieRule) Valid() bool { return tieRuleSet.Valid(t) }

// String returns the wire value.
func (t TieRule) String() string { return string(t) }

// Label returns the Chinese label.
func (t TieRule) Label() string { return tieRuleSet.Label(t) }

// UnmarshalText accepts the wire value or the Chinese label.
func (t *TieRule) UnmarshalText(b []byte) error {
	v, err := tieRuleSet.Unmarshal(b)
	if err == nil {
		*t = v
	}
	return err
}

// PeriodKind is the length of an assessment period.
type PeriodKind string

// The period kinds of 004 §14 "月通报、季约谈、年终评" and 000 §8 (三).
const (
	PeriodMonth   PeriodKind = "month"   // 月通报: calendar month
	PeriodQuarter PeriodKind = "quarter" // 季约谈: calendar quarter
	PeriodYear    PeriodKind = "year"    // 年终评: assessment year, Nov 1 – Oct 31 (000 §8 (三))
	PeriodCustom  PeriodKind = "custom"  // any other half-open interval
)

var periodKindSet = enum.New("assess.PeriodKind", ErrInvalidEnum,
	enum.Value[PeriodKind]{V: PeriodMonth, Label: "月度"},
	enum.Value[PeriodKind]{V: PeriodQuarter, Label: "季度"},
	enum.Value[PeriodKind]{V: PeriodYear, Label: "考核年度"},
	enum.Value[PeriodKind]{V: PeriodCustom, Label: "自定义"},
)

// PeriodKinds returns the period kinds.
func PeriodKinds() []PeriodKind { return periodKindSet.All() }

// ParsePeriodKind returns the kind whose wire value or Chinese label is s.
func ParsePeriodKind(s string) (PeriodKind, error) { return periodKindSet.Parse(s) }

// Valid reports whether k is a period kind.
func (k PeriodKind) Valid() bool { return periodKindSet.Valid(k) }

// String returns the wire value.
func (k PeriodKind) String() string { return string(k) }

// Label returns the Chinese name of the kind.
func (k PeriodKind) Label() string { return periodKindSet.Label(k) }

// UnmarshalText accepts the wire value or the Chinese label.
func (k *PeriodKind) UnmarshalText(b []byte) error {
	v, err := periodKindSet.Unmarshal(b)
	if err == nil {
		*k = v
	}
	return err
}

// SignalKind names what a [Signal] points at.
type SignalKind string

// The signal kinds of 001 (十) "及时查处弄虚作假刷'好评'和恶意'差评'的行为".
const (
	SignalFakePraise   SignalKind = "fake_praise"          // 刷好评
	SignalMaliciousBad SignalKind = "malicious_bad_review" // 恶意差评
)

var signalKindSet = enum.New("assess.SignalKind", ErrInvalidEnum,
	enum.Value[SignalKind]{V: SignalFakePraise, Label: "疑似刷好评"},
	enum.Value[SignalKind]{V: SignalMaliciousBad, Label: "疑似恶意差评"},
)

// SignalKinds returns the signal kinds.
func SignalKinds() []SignalKind { return signalKindSet.All() }

// ParseSignalKind returns the kind whose wire value or Chinese label is s.
func ParseSignalKind(s string) (SignalKind, error) { return signalKindSet.Parse(s) }

// Valid reports whether k is a signal kind.
func (k SignalKind) Valid() bool { return signalKindSet.Valid(k) }

// String returns the wire value.
func (k SignalKind) String() string { return string(k) }

// Label returns the Chinese name of the kind.
func (k SignalKind) Label() string { return signalKindSet.Label(k) }

// UnmarshalText accepts the wire value or the Chinese label.
func (k *SignalKind) UnmarshalText(b []byte) error {
	v, err := signalKindSet.Unmarshal(b)
	if err == nil {
		*k = v
	}
	return err
}

// GroupBy names the review attribute a [Breakdown] groups on.
type GroupBy string

// The attributes of 001 (一) (评价对象全覆盖: units and every window) and 001 (十三) (where bad reviews
// concentrate by department and staff).
const (
	ByUnit    GroupBy = "unit"
	ByChannel GroupBy = "channel"
	ByMatter  GroupBy = "matter"
	ByWindow  GroupBy = "window"
	ByStaff   GroupBy = "staff"
)

var groupBySet = enum.New("assess.GroupBy", ErrInvalidEnum,
	enum.Value[GroupBy]{V: ByUnit, Label: "按单位"},
	enum.Value[GroupBy]{V: ByChannel, Label: "按渠道"},
	enum.Value[GroupBy]{V: ByMatter, Label: "按事项"},
	enum.Value[GroupBy]{V: ByWindow, Label: "按窗口"},
	enum.Value[GroupBy]{V: ByStaff, Label: "按工作人员"},
)

// GroupBys returns the grouping attributes.
func GroupBys() []GroupBy { return groupBySet.All() }

// ParseGroupBy returns the attribute whose wire value or Chinese label is s.
func ParseGroupBy(s string) (GroupBy, error) { return groupBySet.Parse(s) }

// Valid reports whether g is a grouping attribute.
func (g GroupBy) Valid() bool { return groupBySet.Valid(g) }

// String returns the wire value.
func (g GroupBy) String() string { return string(g) }

// Label returns the Chinese label.
func (g GroupBy) Label() string { return groupBySet.Label(g) }

// UnmarshalText accepts the wire value or the Chinese label.
func (g *GroupBy) UnmarshalText(b []byte) error {
	v, err := groupBySet.Unmarshal(b)
	if err == nil {
		*g = v
	}
	return err
}
