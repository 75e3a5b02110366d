package assess

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Level is a 好差评 rating on the five-level scale of 001 (二) and the national standard: 1 is
// 非常满意 (very satisfied) and 5 is 非常不满意 (very dissatisfied). The zero Level means "no answer".
type Level int

// The five levels.
const (
	VerySatisfied    Level = 1 // 非常满意
	Satisfied        Level = 2 // 满意
	FairlySatisfied  Level = 3 // 基本满意
	Dissatisfied     Level = 4 // 不满意
	VeryDissatisfied Level = 5 // 非常不满意
)

var levelLabels = [...]string{"", "非常满意", "满意", "基本满意", "不满意", "非常不满意"}

// Valid reports whether l is one of the five levels.
func (l Level) Valid() bool { return l >= VerySatisfied && l <= VeryDissatisfied }

// Bad reports whether l is a bad review (差评): the two lowest levels, 不满意 and 非常不满意, which open a
// ticket (000 §4 (一), DESIGN §6).
func (l Level) Bad() bool { return l == Dissatisfied || l == VeryDissatisfied }

// Label returns the Chinese name of the level, or "" for an invalid level.
func (l Level) Label() string {
	if !l.Valid() {
		return ""
	}
	return levelLabels[l]
}

// String returns the Chinese name of the level, or "Level(n)" for an invalid level.
func (l Level) String() string {
	if !l.Valid() {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelLabels[l]
}

// Dimension is one of the rating indicators of 001 (二): 事项管理, 办事流程, 服务效率, 服务水平, 服务态度,
// 便捷性. A review may rate each dimension on the five levels besides its overall level.
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

// Dimensions returns the six dimensions in the order of 001 (二).
func Dimensions() []Dimension {
	return []Dimension{DimMatterManagement, DimProcess, DimEfficiency, DimCompetence, DimAttitude, DimConvenience}
}

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

// Label returns the Chinese name of the dimension, or "" if d is not one of the six.
func (d Dimension) Label() string {
	if i := d.index(); i >= 0 {
		return [...]string{"事项管理", "办事流程", "服务效率", "服务水平", "服务态度", "便捷性"}[i]
	}
	return ""
}

// Channel is where a review was given (001 (一): every channel is covered).
type Channel string

// The channels of 001 (一).
const (
	ChannelWindow  Channel = "window"  // 线下实体窗口 (QR code at the window, 001 (四))
	ChannelPortal  Channel = "portal"  // 线上服务门户 (一网通办 总门户)
	ChannelMobile  Channel = "mobile"  // 移动端 (随申办)
	ChannelHotline Channel = "hotline" // 12345 市民服务热线
	ChannelKiosk   Channel = "kiosk"   // 自助终端
	ChannelOther   Channel = "other"   // 部门网站 and other channels being brought in
)

// Label returns the Chinese name of the channel, or "" for an unknown channel.
func (c Channel) Label() string {
	switch c {
	case ChannelWindow:
		return "线下实体窗口"
	case ChannelPortal:
		return "线上服务门户"
	case ChannelMobile:
		return "移动端"
	case ChannelHotline:
		return "12345市民服务热线"
	case ChannelKiosk:
		return "自助终端"
	case ChannelOther:
		return "其他渠道"
	}
	return ""
}

// Review is one 好差评 rating of a government service (001 (一)–(四)). It names what was rated (matter,
// unit, window, staff), by whom (a hashed rater ID and device, never personal data: 001 (十)) and when.
type Review struct {
	ID         string              `json:"id"`
	Level      Level               `json:"level"`                // overall level, 1–5
	Dimensions map[Dimension]Level `json:"dimensions,omitempty"` // optional per-dimension levels
	Channel    Channel             `json:"channel,omitempty"`
	Matter     string              `json:"matter,omitempty"` // service matter (事项) code
	Unit       string              `json:"unit"`             // rated unit
	Window     string              `json:"window,omitempty"`
	Staff      string              `json:"staff,omitempty"`
	Rater      string              `json:"rater,omitempty"`  // hashed rater ID
	Device     string              `json:"device,omitempty"` // hashed device ID
	At         time.Time           `json:"at"`
	// Unfounded marks a review ruled 不属实评价 on appeal review (000 §6 (二)): it is excluded from
	// every indicator. A review whose appeal is still pending is not unfounded and counts (DESIGN §6).
	Unfounded     bool `json:"unfounded,omitempty"`
	AppealPending bool `json:"appeal_pending,omitempty"`
	// Rectified marks a bad review whose problem was rectified and fed back (001 (六) "1、5、15").
	Rectified bool `json:"rectified,omitempty"`
}

// Counts reports whether r enters the indicators: every review except an unfounded one.
func (r Review) Counts() bool { return !r.Unfounded }

func (r Review) validate(i int) error {
	if r.ID == "" {
		return fieldErr(ErrInvalidInput, fmt.Sprintf("reviews[%d]", i), "id", "", "is empty")
	}
	bad := func(field, value, reason string) error {
		return fieldErr(ErrInvalidInput, fmt.Sprintf("reviews[%d] (id %s)", i, r.ID), field, value, reason)
	}
	switch {
	case r.Unit == "":
		return bad("unit", "", "is empty")
	case !r.Level.Valid():
		return bad("level", fmt.Sprint(int(r.Level)), "is not one of the five levels 1–5")
	case r.At.IsZero():
		return bad("at", "", "is zero")
	}
	if len(r.Dimensions) == 0 {
		return nil
	}
	for _, d := range slices.Sorted(maps.Keys(r.Dimensions)) {
		if d.index() < 0 {
			return bad("dimensions", string(d), "is not one of the six dimensions of 001 (二)")
		}
		if l := r.Dimensions[d]; !l.Valid() {
			return bad("dimensions."+string(d), fmt.Sprint(int(l)), "is not one of the five levels 1–5")
		}
	}
	return nil
}
