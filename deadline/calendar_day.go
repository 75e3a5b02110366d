package deadline

import "time"

// Day describes one date of a [Calendar].
type Day struct {
	// Date is midnight (Asia/Shanghai) of the date.
	Date time.Time `json:"date"`
	Kind DayKind   `json:"kind"`
	// Name is the holiday the date belongs to, as the notice names it (e.g. 春节), or the name a
	// district gave its override; empty for ordinary days.
	Name string `json:"name,omitempty"`
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
			day.Kind = Workday
		}
		return day
	}
	info := c.days[d-c.lo]
	day.Kind = info.kind.kind()
	day.Name = c.names[d]
	day.Provisional = info.flags&flagProvisional != 0
	day.Local = info.flags&flagLocal != 0
	return day
}

// IsWorkday reports whether the date is a working day: its kind is [Workday] or [MakeupWorkday].
func (d Day) IsWorkday() bool { return d.Kind.IsWorkday() }
