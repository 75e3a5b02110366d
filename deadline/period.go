package deadline

import (
	"fmt"
	"time"
)

// Unit is the unit a period is counted in.
type Unit string

const (
	// WorkingDays counts working days (工作日): the receipt day is not counted, day 1 is the first
	// working day after it (民法典 第二百零一条).
	WorkingDays Unit = "working_days"
	// CalendarDays counts natural days (自然日) the same way.
	CalendarDays Unit = "calendar_days"
	// SameDay (当天, 即时) ends at the end of the receipt day itself; Days is ignored.
	SameDay Unit = "same_day"
)

// Label returns the unit's Chinese label.
func (u Unit) Label() string {
	switch u {
	case WorkingDays:
		return "工作日"
	case CalendarDays:
		return "自然日"
	case SameDay:
		return "当天"
	}
	return string(u)
}

// Period is a length of time counted in days: "within 5 working days" is Period{5, WorkingDays}.
type Period struct {
	Days int  `json:"days"`
	Unit Unit `json:"unit"`
}

// TimeOfDay is a time of day as minutes after midnight; its JSON form is "HH:MM". The zero value means
// "not set".
type TimeOfDay int

// Counting holds the options of 民法典 第二百零一条–第二百零三条 that a district may set.
// The zero value is the default: the last day ends at 24:00 and there is no daily cut-off.
type Counting struct {
	// BusinessClose, when set, ends the last day when business stops instead of at 24:00
	// (民法典 第二百零三条第二款).
	BusinessClose TimeOfDay `json:"business_close,omitempty"`
	// Cutoff, when set, makes a receipt at or after that time of day count as received on the next
	// working day.
	Cutoff TimeOfDay `json:"cutoff,omitempty"`
}

// Deadline is the end of a period, with whether it rests on provisional calendar data and why it falls
// where it does.
type Deadline struct {
	// At is the instant the period ends: a completion strictly before At is in time.
	At time.Time `json:"at"`
	// LastDay is midnight (Asia/Shanghai) of the period's last day.
	LastDay time.Time `json:"last_day"`
	// Provisional reports whether any day counted lies beyond the published schedule.
	Provisional bool `json:"provisional"`
	// Explanation says in one line how the deadline was counted.
	Explanation string `json:"explanation"`
}

// Due returns the deadline of period p for something received at instant received, counted under rule.
func (c *Calendar) Due(received time.Time, p Period, rule Counting) Deadline {
	r := received.In(shanghai)
	start := r
	var lastDay time.Time
	switch p.Unit {
	case SameDay:
		lastDay = c.AddWorkdays(start, 0)
	case CalendarDays:
		y, m, d := start.Date()
		lastDay = time.Date(y, m, d+p.Days, 0, 0, 0, 0, shanghai)
	default:
		lastDay = c.AddWorkdays(start, p.Days)
	}
	at := lastDay.AddDate(0, 0, 1)
	if rule.BusinessClose > 0 {
		at = lastDay.Add(time.Duration(rule.BusinessClose) * time.Minute)
	}
	return Deadline{
		At:          at,
		LastDay:     lastDay,
		Provisional: c.IsProvisional(lastDay),
		Explanation: fmt.Sprintf("received %s; %d %s; ends %s", r.Format("2006-01-02 15:04"), p.Days, p.Unit.Label(), at.Format("2006-01-02 15:04")),
	}
}
