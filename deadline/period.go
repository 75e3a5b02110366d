package deadline

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Unit is the unit a period is counted in.
type Unit string

const (
	// WorkingDays counts working days (工作日): the receipt day is not counted, day 1 is the first
	// working day after it (民法典 第二百零一条).
	WorkingDays Unit = "working_days"
	// CalendarDays counts natural days (自然日) the same way; a last day that is not a working day
	// moves to the next working day (民法典 第二百零三条第一款).
	CalendarDays Unit = "calendar_days"
	// SameDay (当天, 即时) ends at the end of the receipt day itself; Days is ignored. See
	// [Calendar.Due] for receipts on non-working days and after the cut-off.
	SameDay Unit = "same_day"
)

// Period is a length of time counted in days: "within 5 working days" is Period{5, WorkingDays}.
type Period struct {
	Days int  `json:"days"`
	Unit Unit `json:"unit"`
}

// String returns the period in English, e.g. "5 working days" or "same day".
func (p Period) String() string {
	switch p.Unit {
	case SameDay:
		return "same day"
	case CalendarDays:
		return plural(p.Days, "calendar day")
	case WorkingDays:
		return plural(p.Days, "working day")
	}
	return fmt.Sprintf("%d %s", p.Days, p.Unit)
}

func plural(n int, s string) string {
	if n == 1 {
		return "1 " + s
	}
	return strconv.Itoa(n) + " " + s + "s"
}

// TimeOfDay is a time of day as minutes after midnight; its JSON form is "HH:MM". The zero value means
// "not set" (so midnight cannot be chosen as a business close or cut-off: it would mean nothing).
type TimeOfDay int

// ErrTimeOfDay is wrapped by every error [ParseTimeOfDay] and [TimeOfDay.UnmarshalJSON] return.
var ErrTimeOfDay = errors.New("deadline: invalid time of day")

// NewTimeOfDay returns the time of day h:m. It does not check its arguments; [Counting.Validate]
// and [Policy.Validate] do.
func NewTimeOfDay(h, m int) TimeOfDay { return TimeOfDay(h*60 + m) }

// ParseTimeOfDay parses "HH:MM" (24-hour clock, "H:MM" accepted) into a [TimeOfDay], from "00:00" to
// "23:59". The empty string is the zero value, "not set".
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	if s == "" {
		return 0, nil
	}
	hs, ms, ok := strings.Cut(s, ":")
	if !ok || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 || !digits(hs) || !digits(ms) {
		return 0, fmt.Errorf("%w: %q is not HH:MM", ErrTimeOfDay, clip(s))
	}
	h, _ := strconv.Atoi(hs)
	m, _ := strconv.Atoi(ms)
	if h > 23 {
		return 0, fmt.Errorf("%w: %q: hour %d is not 0–23", ErrTimeOfDay, clip(s), h)
	}
	if m > 59 {
		return 0, fmt.Errorf("%w: %q: minute %d is not 0–59", ErrTimeOfDay, clip(s), m)
	}
	return NewTimeOfDay(h, m), nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// String returns t as "HH:MM"; a value outside a day is printed as its minute count, e.g. "1500min".
func (t TimeOfDay) String() string {
	if t < 0 || t >= 24*60 {
		return strconv.Itoa(int(t)) + "min"
	}
	return fmt.Sprintf("%02d:%02d", t/60, t%60)
}

// MarshalJSON encodes t as "HH:MM".
func (t TimeOfDay) MarshalJSON() ([]byte, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	return json.Marshal(t.String())
}

// UnmarshalJSON decodes "HH:MM" (or "" for not set); null leaves t unchanged.
func (t *TimeOfDay) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%w: %s is not a JSON string \"HH:MM\"", ErrTimeOfDay, clip(string(b)))
	}
	v, err := ParseTimeOfDay(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

func (t TimeOfDay) validate() error {
	if t < 0 || t >= 24*60 {
		return fmt.Errorf("%w: %d minutes is not a time of day", ErrTimeOfDay, int(t))
	}
	return nil
}

// on returns the instant of time of day t on the date of midnight d.
func (t TimeOfDay) on(d time.Time) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, int(t)/60, int(t)%60, 0, 0, shanghai)
}

// Counting holds the options of 民法典 第二百零一条–第二百零三条 that a district may set.
// The zero value is the default: the last day ends at 24:00 and there is no daily cut-off.
type Counting struct {
	// BusinessClose, when set, ends the last day when business stops instead of at 24:00
	// (民法典 第二百零三条第二款).
	BusinessClose TimeOfDay `json:"business_close,omitempty"`
	// Cutoff, when set, makes a receipt at or after that time of day on a working day count as
	// received on the next working day.
	Cutoff TimeOfDay `json:"cutoff,omitempty"`
}

// Validate reports whether both times are times of day: a [*PolicyError] naming the field (its
// Policy is empty: the counting options alone are checked), wrapping [ErrInvalidPolicy] and
// [ErrTimeOfDay].
func (c Counting) Validate() error {
	if err := c.validate(); err != nil {
		return &PolicyError{Field: "counting", Reason: err.Error(), err: ErrTimeOfDay}
	}
	return nil
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

// InTime reports whether something done at instant t meets the deadline (t is before d.At).
func (d Deadline) InTime(t time.Time) bool { return t.Before(d.At) }

// Due returns the deadline of period p for something received at instant received, counted under rule
// (民法典 第二百零一条–第二百零三条). Dates are read in Asia/Shanghai.
//
//   - The receipt day is not counted: day 1 of a [WorkingDays] period is the first working day after
//     the receipt date, whether or not the receipt date is itself a working day (第二百零一条).
//   - With rule.Cutoff set, a receipt on a working day at or after the cut-off counts as received on
//     the next working day, so day 1 is the working day after that. The cut-off does not apply to a
//     receipt on a non-working day: such a receipt already starts counting at the next working day,
//     and applying the cut-off would add a day only to evening receipts at weekends.
//     The cut-off is a district's option, worded "counts as received the next working day", and Due follows it
//     to the letter; one consequence is that the deadline is not monotonic in the receipt instant
//     across a weekend or holiday: with a 17:00 cut-off and 1 working day, Fri 2026-03-06 17:30
//     counts as received Mon 03-09 and is due at the end of Tue 03-10, while Sat 03-07 09:00 is due at
//     the end of Mon 03-09. A district that wants monotonic deadlines sets no cut-off.
//   - A [SameDay] period — and a period of 0 days in any unit — ends at the end of the (effective)
//     receipt day, or at its business close, never before the receipt. A receipt on a non-working
//     day — or on a working day after the cut-off, or after business close — ends at the end of the
//     next working day: nobody can act "the same day" on a day without business.
//   - A [CalendarDays] period counts natural days; when its last day is not a working day (a weekend
//     or statutory holiday) the period ends on the next working day (第二百零三条第一款).
//   - The last day ends at 24:00 (At is the following midnight), or at rule.BusinessClose when set
//     (第二百零三条第二款).
//
// Deadline.Provisional reports whether any date from the receipt to the last day lies beyond the
// published schedule ([Calendar.ProvisionalBetween]): such a deadline must be recomputed once the
// year's notice is out. Due does not validate p or rule ([Policy.Validate] does): a Days of 0 or less
// is the same day whatever the unit, more than 2^30 days count as 2^30, an unknown unit as working
// days, and times of day outside a day are ignored. The deadline is always after the receipt.
func (c *Calendar) Due(received time.Time, p Period, rule Counting) Deadline {
	r := received.In(shanghai)
	var why strings.Builder
	fmt.Fprintf(&why, "received %s (%s)", r.Format("2006-01-02 15:04"), r.Format("Mon"))

	if rule.Cutoff.validate() != nil {
		rule.Cutoff = 0
	}
	if rule.BusinessClose.validate() != nil {
		rule.BusinessClose = 0
	}
	days := min(max(p.Days, 0), maxDueDays)

	// effective is midnight of the day the receipt counts as made on.
	effective := midnight(r)
	receiptWorkday := c.IsWorkday(r)
	if rule.Cutoff > 0 && receiptWorkday && !r.Before(rule.Cutoff.on(effective)) {
		effective = c.AddWorkdays(effective, 1)
		fmt.Fprintf(&why, ", at or after the %s cut-off: counts as received %s", rule.Cutoff, effective.Format(time.DateOnly))
	}

	// A period of no days is the same day (民法典 第二百零一条: the receipt day itself), whatever its
	// unit: it ends at the end, or business close, of the receipt day — never before the receipt.
	unit := p.Unit
	if days == 0 {
		unit = SameDay
	}
	var lastDay time.Time
	switch unit {
	case SameDay:
		lastDay = effective
		switch {
		case !c.IsWorkday(effective):
			lastDay = c.AddWorkdays(effective, 1)
			fmt.Fprintf(&why, ", not a working day; same day = next working day %s", lastDay.Format(time.DateOnly))
		case rule.BusinessClose > 0 && !r.Before(rule.BusinessClose.on(effective)):
			lastDay = c.AddWorkdays(effective, 1)
			fmt.Fprintf(&why, ", after business close %s; same day = next working day %s", rule.BusinessClose, lastDay.Format(time.DateOnly))
		default:
			why.WriteString("; same day")
		}
	case CalendarDays:
		y, m, d := effective.Date()
		lastDay = time.Date(y, m, d+days, 0, 0, 0, 0, shanghai)
		fmt.Fprintf(&why, "; %s", Period{days, CalendarDays})
		if days > 0 && !c.IsWorkday(lastDay) {
			moved := c.AddWorkdays(lastDay, 1)
			fmt.Fprintf(&why, "; day %d = %s is not a working day, moved to %s (民法典 第二百零三条)",
				days, lastDay.Format(time.DateOnly), moved.Format(time.DateOnly))
			lastDay = moved
		}
	default:
		lastDay = c.AddWorkdays(effective, days)
		if days > 0 {
			fmt.Fprintf(&why, "; day 1 = %s", c.AddWorkdays(effective, 1).Format(time.DateOnly))
		}
		fmt.Fprintf(&why, "; %s", Period{days, WorkingDays})
	}

	at := endOf(lastDay, rule)
	if !at.After(r) {
		// Unreachable by the rules above (a same-day period after business close already moved on);
		// kept so that no rule added later can return a deadline that has passed at the receipt.
		lastDay = c.AddWorkdays(lastDay, 1)
		at = endOf(lastDay, rule)
	}
	end := lastDay.Format(time.DateOnly) + " 24:00"
	if rule.BusinessClose > 0 {
		end = at.Format("2006-01-02 15:04") + " (business close)"
	}
	fmt.Fprintf(&why, "; ends %s", end)
	prov := c.ProvisionalBetween(r, lastDay)
	if prov {
		why.WriteString("; provisional: outside the published holiday schedule")
	}
	return Deadline{At: at, LastDay: lastDay, Provisional: prov, Explanation: why.String()}
}

// endOf returns the instant the last day ends: the next midnight, or business close when set
// (民法典 第二百零三条第二款).
func endOf(lastDay time.Time, rule Counting) time.Time {
	if rule.BusinessClose > 0 {
		return rule.BusinessClose.on(lastDay)
	}
	y, m, d := lastDay.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, shanghai)
}

// maxDueDays bounds the days [Calendar.Due] counts, so that adding them to a day of the month cannot
// overflow an int, even a 32-bit one.
const maxDueDays = 1 << 30

// midnight returns midnight (Asia/Shanghai) of t's date.
func midnight(t time.Time) time.Time {
	y, m, d := t.In(shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, shanghai)
}
