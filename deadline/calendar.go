package deadline

import (
	"embed"
	"slices"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Shanghai must resolve on machines without a zoneinfo database.
)

//go:embed data/holiday-cn/*.json
var holidayFS embed.FS

// shanghai is Asia/Shanghai, the zone every date in this package is read in.
var shanghai = mustLoadShanghai()

func mustLoadShanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		// time/tzdata is embedded above, so this cannot happen.
		panic("deadline: Asia/Shanghai: " + err.Error())
	}
	return loc
}

// Location returns Asia/Shanghai, the location in which the package reads every date.
func Location() *time.Location { return shanghai }

// Calendar is a working-day calendar: weekends, official holidays and make-up working days, read from
// the State Council notices of every published year and computed provisionally for the years beyond
// them. A Calendar is immutable and safe for concurrent use; [Calendar.WithNotices] and
// [Calendar.WithOverrides] return new calendars. The zero Calendar holds no notices: it knows weekends
// only and every date in it is provisional; start from [China] instead.
//
// Every method reads dates in Asia/Shanghai, whatever the location of the [time.Time] passed in.
//
// # Working days
//
// A date listed in a notice is a working day when the notice says so (isOffDay false: a make-up
// working day, 调休上班) and a day off otherwise. A date of a published year that no notice lists is a
// working day when it is a Monday to Friday. A date of a year without a published notice is
// provisional: it is a day off when it is a Saturday or Sunday or a statutory holiday that
// 《全国年节及纪念日放假办法》 fixes by law (for 2025 onwards the 2024 revision: 元旦 1 January, 春节
// 除夕 to 初三, 清明, 劳动节 1–2 May, 端午, 中秋, 国庆节 1–3 October), with lunar and solar-term dates from
// a table covering 2007–2060. Make-up working days and compensatory days off are never guessed. Beyond
// 2060, and before the first published year, the calendar knows weekends only; those dates are
// provisional too. [Calendar.IsProvisional] and [Calendar.ProvisionalBetween] say when a result rests
// on provisional dates, so that callers recompute once the schedule is published.
//
// # Cost
//
// Over the covered range (the published years through 2060) the calendar keeps one byte or two per
// day, a prefix count of working days and the list of working days, so [Calendar.AddWorkdays] and
// [Calendar.WorkdaysBetween] take constant time whatever n, and outside it they use closed-form
// weekend arithmetic. Neither allocates.
type Calendar struct {
	lo, end   civil     // covered range [lo, end); empty in the zero Calendar
	days      []dayInfo // days[d-lo]
	prefix    []int32   // prefix[i]: working days among days[:i]
	work      []int32   // d-lo of every working day, ascending
	prov      []span    // provisional dates inside [lo, end), ascending, disjoint
	names     map[civil]string
	published []int // ascending

	// Sources, kept so that WithNotices and WithOverrides can rebuild.
	notices   map[int]Notice // by notice year; only notices that list days
	overrides []ScheduleDay
}

// dayInfo is what the calendar knows about one date.
type dayInfo struct {
	kind  kindCode
	flags uint8
}

const (
	flagWork uint8 = 1 << iota
	flagProvisional
	flagLocal
)

// span is an inclusive range of dates.
type span struct{ from, to civil }

// china is built once, on first use, and never changed afterwards.
var china = sync.OnceValue(func() *Calendar {
	c, err := buildChina()
	if err != nil {
		// The embedded data is checked by the tests; this cannot happen in a released build.
		panic("deadline: embedded holiday data: " + err.Error())
	}
	return c
})

// buildChina parses the embedded holiday-cn notices and builds the calendar.
func buildChina() (*Calendar, error) {
	notices, err := loadNotices(holidayFS, "data/holiday-cn", ParseHolidayCN)
	if err != nil {
		return nil, err
	}
	byYear := map[int]Notice{}
	for _, n := range notices {
		if len(n.Days) > 0 {
			byYear[n.Year] = n
		}
	}
	return build(byYear, nil)
}

// China returns the official mainland working-day calendar, built from the State Council notices
// (国务院办公厅关于部分节假日安排的通知) for every published year from 2007, embedded in the package
// (from the holiday-cn data, see data/holiday-cn/SOURCE.md). Every call returns the same immutable
// calendar. The years after the last published one are provisional, see [Calendar].
func China() *Calendar { return china() }

// PublishedYears returns the years whose official schedule the calendar holds, in ascending order.
// A notice that lists no days (such as the empty placeholder of a year whose notice is not out yet)
// does not make its year published.
func (c *Calendar) PublishedYears() []int { return slices.Clone(c.published) }

// IsWorkday reports whether t's date in Asia/Shanghai is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool { return c.workday(civilOf(t)) }

// IsProvisional reports whether t's date is provisional: beyond the published schedule, so that
// whether it is a working day is computed from the statutory holidays and weekends rather than read
// from a notice.
func (c *Calendar) IsProvisional(t time.Time) bool { return c.provisional(civilOf(t)) }

// ProvisionalBetween reports whether any date from a's date to b's date, both included and in either
// order, is provisional. A deadline counted from a to b, or a count of working days between them, is
// final only when it reports false.
func (c *Calendar) ProvisionalBetween(a, b time.Time) bool {
	da, db := civilOf(a), civilOf(b)
	if da > db {
		da, db = db, da
	}
	if da < c.lo || db >= c.end {
		return true
	}
	for _, s := range c.prov {
		if s.from <= db && da <= s.to {
			return true
		}
	}
	return false
}

// AddWorkdays returns midnight (Asia/Shanghai) of the n-th working day strictly after t's date: the
// day on which a period of n working days started on t ends (民法典 第二百零一条: the start day is not
// counted). n = 0 returns midnight of t's date, whether or not it is a working day; a negative n
// returns the |n|-th working day strictly before t's date. It takes constant time and does not
// allocate. Counts beyond ±2^40 are clamped to it.
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	d := civilOf(t)
	if n == 0 {
		return d.time()
	}
	k := max(min(int64(n), maxCount), -maxCount)
	if k > 0 {
		return c.nth(c.cum(d) + k).time()
	}
	return c.nth(c.cum(d-1) + k + 1).time()
}

// WorkdaysBetween returns the number of working days in (a's date, b's date]. When b's date is before
// a's it returns minus the number of working days in [b's date, a's date), so that
// WorkdaysBetween(t, AddWorkdays(t, n)) == n for every n. It takes constant time and does not allocate.
func (c *Calendar) WorkdaysBetween(a, b time.Time) int {
	da, db := civilOf(a), civilOf(b)
	if db >= da {
		return int(c.cum(db) - c.cum(da))
	}
	return -int(c.cum(da-1) - c.cum(db-1))
}

// maxCount bounds the n of AddWorkdays so that every result is a date time.Time can represent.
const maxCount = 1 << 40

// workday reports whether d is a working day.
func (c *Calendar) workday(d civil) bool {
	if d < c.lo || d >= c.end {
		return d.weekday() != time.Saturday && d.weekday() != time.Sunday
	}
	return c.days[d-c.lo].flags&flagWork != 0
}

func (c *Calendar) provisional(d civil) bool {
	return d < c.lo || d >= c.end || c.days[d-c.lo].flags&flagProvisional != 0
}

// cum returns the number of working days up to and including d, counted from c.lo (so cum(c.lo-1) is
// 0 and earlier dates give negative counts).
func (c *Calendar) cum(d civil) int64 {
	switch {
	case d < c.lo:
		return -(weekdaysBefore(c.lo) - weekdaysBefore(d+1))
	case d >= c.end:
		return int64(len(c.work)) + weekdaysBefore(d+1) - weekdaysBefore(c.end)
	}
	return int64(c.prefix[d-c.lo+1])
}

// nth returns the working day w with cum(w) == j.
func (c *Calendar) nth(j int64) civil {
	total := int64(len(c.work))
	switch {
	case j <= 0:
		return kthWeekday(weekdaysBefore(c.lo) + j)
	case j > total:
		return kthWeekday(weekdaysBefore(c.end) + j - total)
	}
	return c.lo + civil(c.work[j-1])
}

// weekdaysBefore returns the number of Mondays to Fridays before d, counted from the Monday
// 1969-12-29 (day -3); it is negative for earlier dates.
func weekdaysBefore(d civil) int64 {
	m := int64(d) + 3 // days since Monday 1969-12-29
	return 5*floorDiv(m, 7) + min(floorMod(m, 7), 5)
}

// kthWeekday returns the Monday to Friday w with weekdaysBefore(w+1) == k.
func kthWeekday(k int64) civil {
	q, r := floorDiv(k-1, 5), floorMod(k-1, 5)
	return civil(7*q + r - 3)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// civil is a calendar date as days since 1970-01-01.
type civil int64

// shanghaiFixedSince is the Unix time from which Asia/Shanghai is UTC+8 for good: the end of the last
// daylight saving time, 1991-09-15 02:00 CDT (checked by TestCivilFastPath).
const shanghaiFixedSince = 684867600

// maxFastUnix keeps the fast path of civilOf clear of overflow.
const maxFastUnix = 1 << 62

// civilDayLimit bounds the dates the calendar returns, so that every one is a time.Time (about ±190
// billion years).
const civilDayLimit = 1 << 46

// civilOf returns t's date in Asia/Shanghai.
func civilOf(t time.Time) civil {
	if u := t.Unix(); u >= shanghaiFixedSince && u < maxFastUnix {
		return civil((u + 8*3600) / 86400)
	}
	y, m, d := t.In(shanghai).Date()
	return civilFromDate(int64(y), m, d)
}

// time returns midnight of d in Asia/Shanghai.
func (d civil) time() time.Time {
	d = max(min(d, civilDayLimit), -civilDayLimit)
	if d*86400-8*3600 >= shanghaiFixedSince {
		return time.Unix(int64(d)*86400-8*3600, 0).In(shanghai)
	}
	y, m, dd := d.date()
	return time.Date(int(y), m, dd, 0, 0, 0, 0, shanghai)
}

// weekday returns d's day of the week.
func (d civil) weekday() time.Weekday {
	return time.Weekday(floorMod(int64(d)+4, 7)) // 1970-01-01 was a Thursday
}

// year returns d's year.
func (d civil) year() int64 {
	y, _, _ := d.date()
	return y
}

// civilFromDate returns the date y-m-d as days since 1970-01-01 (proleptic Gregorian calendar; m and
// d must be in range).
func civilFromDate(y int64, m time.Month, d int) civil {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (int64(m) + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return civil(era*146097 + doe - 719468)
}

// date returns d's year, month and day.
func (d civil) date() (y int64, m time.Month, day int) {
	z := int64(d) + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = int(doy - (153*mp+2)/5 + 1)
	mm := mp + 3
	if mm > 12 {
		mm -= 12
	}
	y = yoe + era*400
	if mm <= 2 {
		y++
	}
	return y, time.Month(mm), day
}

// String formats d as YYYY-MM-DD.
func (d civil) String() string {
	y, m, dd := d.date()
	return time.Date(int(y), m, dd, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}
