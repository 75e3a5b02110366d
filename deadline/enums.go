package deadline

import (
	"errors"

	"github.com/hotline12345/hotline/internal/enum"
)

// ErrInvalidEnum is wrapped by every [*EnumError]: a value outside its enumeration.
var ErrInvalidEnum = errors.New("deadline: invalid enum value")

// EnumError reports a value that is not a member of its enumeration ([DayKind], [Unit], [State]):
// the type, the refused input (clipped) and the values the type accepts. It wraps [ErrInvalidEnum].
type EnumError = enum.Error

// DayKind says what kind of day a date is. Its value is its wire form.
type DayKind string

const (
	// Workday is an ordinary Monday to Friday working day (工作日).
	Workday DayKind = "workday"
	// RestDay is an ordinary day off (休息日): a Saturday or Sunday, including those inside a holiday
	// that a notice lists, and a district's local extra day off.
	RestDay DayKind = "rest_day"
	// StatutoryHoliday is a day off that 《全国年节及纪念日放假办法》 fixes by law (法定节假日), such as
	// 1 October or 除夕 to 初三 from 2025.
	StatutoryHoliday DayKind = "statutory_holiday"
	// AdjustedRestDay is a Monday to Friday that a notice gives as a day off in exchange for a make-up
	// working day (调休), or adds to a holiday.
	AdjustedRestDay DayKind = "adjusted_rest_day"
	// MakeupWorkday is a Saturday or Sunday that a notice (or a district's override) makes a working
	// day (调休上班).
	MakeupWorkday DayKind = "makeup_workday"
)

var dayKinds = enum.New("deadline.DayKind", ErrInvalidEnum,
	enum.Value[DayKind]{V: Workday, Label: "工作日"},
	enum.Value[DayKind]{V: RestDay, Label: "休息日"},
	enum.Value[DayKind]{V: StatutoryHoliday, Label: "法定节假日"},
	enum.Value[DayKind]{V: AdjustedRestDay, Label: "调休"},
	enum.Value[DayKind]{V: MakeupWorkday, Label: "调休上班"},
)

// DayKinds returns every day kind.
func DayKinds() []DayKind { return dayKinds.All() }

// ParseDayKind returns the day kind whose wire value ("makeup_workday") or Chinese label ("调休上班")
// is s, or an [*EnumError].
func ParseDayKind(s string) (DayKind, error) { return dayKinds.Parse(s) }

// String returns the kind's wire value, such as "makeup_workday".
func (k DayKind) String() string { return string(k) }

// Label returns the kind's Chinese label, such as "调休上班"; "未知(x)" for an unknown value.
func (k DayKind) Label() string { return dayKinds.Label(k) }

// Valid reports whether k is a known kind.
func (k DayKind) Valid() bool { return dayKinds.Valid(k) }

// IsWorkday reports whether days of kind k are working days: [Workday] and [MakeupWorkday].
func (k DayKind) IsWorkday() bool { return k == Workday || k == MakeupWorkday }

// UnmarshalText accepts a wire value or a label and refuses anything else with an [*EnumError].
func (k *DayKind) UnmarshalText(b []byte) error {
	v, err := dayKinds.Unmarshal(b)
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// kindCode is a [DayKind] as the calendar stores it, one byte per day.
type kindCode uint8

const (
	codeWorkday kindCode = iota
	codeRestDay
	codeStatutoryHoliday
	codeAdjustedRestDay
	codeMakeupWorkday
)

var kindOfCode = [...]DayKind{Workday, RestDay, StatutoryHoliday, AdjustedRestDay, MakeupWorkday}

func (c kindCode) kind() DayKind {
	if int(c) < len(kindOfCode) {
		return kindOfCode[c]
	}
	return RestDay
}

var units = enum.New("deadline.Unit", ErrInvalidEnum,
	enum.Value[Unit]{V: WorkingDays, Label: "工作日"},
	enum.Value[Unit]{V: CalendarDays, Label: "自然日"},
	enum.Value[Unit]{V: SameDay, Label: "当天"},
)

// Units returns every unit.
func Units() []Unit { return units.All() }

// ParseUnit returns the unit whose wire value ("working_days") or Chinese label ("工作日") is s, or
// an [*EnumError].
func ParseUnit(s string) (Unit, error) { return units.Parse(s) }

// String returns the unit's wire value.
func (u Unit) String() string { return string(u) }

// Label returns the unit's Chinese label; "未知(x)" for an unknown value.
func (u Unit) Label() string { return units.Label(u) }

// Valid reports whether u is a known unit.
func (u Unit) Valid() bool { return units.Valid(u) }

// UnmarshalText accepts a wire value or a label and refuses anything else with an [*EnumError].
func (u *Unit) UnmarshalText(b []byte) error {
	v, err := units.Unmarshal(b)
	if err != nil {
		return err
	}
	*u = v
	return nil
}

var states = enum.New("deadline.State", ErrInvalidEnum,
	enum.Value[State]{V: Pending, Label: "办理中"},
	enum.Value[State]{V: DueSoon, Label: "预警"},
	enum.Value[State]{V: Overdue, Label: "超期"},
	enum.Value[State]{V: DoneInTime, Label: "按期完成"},
	enum.Value[State]{V: DoneLate, Label: "超期完成"},
)

// States returns every state of a stage.
func States() []State { return states.All() }

// ParseState returns the state whose wire value ("due_soon") or Chinese label ("预警") is s, or an
// [*EnumError].
func ParseState(s string) (State, error) { return states.Parse(s) }

// String returns the state's wire value.
func (s State) String() string { return string(s) }

// Label returns the state's Chinese label; "未知(x)" for an unknown value.
func (s State) Label() string { return states.Label(s) }

// Valid reports whether s is a known state.
func (s State) Valid() bool { return states.Valid(s) }

// UnmarshalText accepts a wire value or a label and refuses anything else with an [*EnumError].
func (s *State) UnmarshalText(b []byte) error {
	v, err := states.Unmarshal(b)
	if err != nil {
		return err
	}
	*s = v
	return nil
}
