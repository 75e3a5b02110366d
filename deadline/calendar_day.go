package deadline

import (
	"fmt"
	"time"
)

// DayKind says what kind of day a date is.
type DayKind uint8

const (
	// Workday is an ordinary Monday to Friday working day (工作日).
	Workday DayKind = iota
	// RestDay is an ordinary day off (休息日): a Saturday or Sunday, including those inside a holiday
	// that a notice lists, and a district's local extra day off.
	RestDay
	// StatutoryHoliday is a day off that 《全国年节及纪念日放假办法》 fixes by law (法定节假日), such as
	// 1 October or 除夕 to 初三 from 2025.
	StatutoryHoliday
	// AdjustedRestDay is a Monday to Friday that a notice gives as a day off in exchange for a make-up
	// working day (调休), or adds to a holiday.
	AdjustedRestDay
	// MakeupWorkday is a Saturday or Sunday that a notice (or a district's override) makes a working
	// day (调休上班).
	MakeupWorkday
)

var dayKindNames = [...]struct{ en, zh string }{
	Workday:          {"workday", "工作日"},
	RestDay:          {"rest_day", "休息日"},
	StatutoryHoliday: {"statutory_holiday", "法定节假日"},
	AdjustedRestDay:  {"adjusted_rest_day", "调休"},
	MakeupWorkday:    {"makeup_workday", "调休上班"},
}

// String returns the kind's English name, such as "makeup_workday".
func (k DayKind) String() string {
	if int(k) < len(dayKindNames) {
		return dayKindNames[k].en
	}
	return fmt.Sprintf("DayKind(%d)", uint8(k))
}

// Label returns the kind's Chinese label, such as "调休上班".
func (k DayKind) Label() string {
	if int(k) < len(dayKindNames) {
		return dayKindNames[k].zh
	}
	return k.String()
}

// IsWorking reports whether days of kind k are working days.
func (k DayKind) IsWorking() bool { return k == Workday || k == MakeupWorkday }

// MarshalText encodes k as its English name.
func (k DayKind) MarshalText() ([]byte, error) {
	if int(k) >= len(dayKindNames) {
		return nil, fmt.Errorf("deadline: unknown day kind %d", uint8(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText decodes an English name written by [DayKind.MarshalText].
func (k *DayKind) UnmarshalText(b []byte) error {
	for i, n := range dayKindNames {
		if n.en == string(b) {
			*k = DayKind(i)
			return nil
		}
	}
	return fmt.Errorf("deadline: unknown day kind %q", b)
}

// Day describes one date of a [Calendar].
type Day struct {
	// Date is midnight (Asia/Shanghai) of the date.
	Date time.Time `json:"date"`
	Kind DayKind   `json:"kind"`
	// Name is the holiday the date belongs to, as the notice names it (e.g. 春节), or the name a
	// district gave its override; empty for ordinary days.
	Name string `json:"name,omitempty"`
	// Workday reports whether the date is a working day.
	Workday bool `json:"workday"`
	// Provisional reports whether the date lies beyond the published schedule (see [Calendar]).
	Provisional bool `json:"provisional"`
	// Local reports whether a district's override ([Calendar.WithOverrides]) decided the date.
	Local bool `json:"local,omitempty"`
}

// Day returns what the calendar knows about t's date in Asia/Shanghai.
func (c *Calendar) Day(t time.Time) Day {
	d := civilOf(t)
	day := Day{Date: d.time(), Provisional: true}
	if d < c.lo || d >= c.end {
		day.Kind = RestDay
		if wd := d.weekday(); wd != time.Saturday && wd != time.Sunday {
			day.Kind, day.Workday = Workday, true
		}
		return day
	}
	info := c.days[d-c.lo]
	day.Kind = info.kind
	day.Name = c.names[d]
	day.Workday = info.flags&flagWork != 0
	day.Provisional = info.flags&flagProvisional != 0
	day.Local = info.flags&flagLocal != 0
	return day
}
