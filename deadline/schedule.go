package deadline

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hotline12345/hotline/internal/strictjson"
)

// Errors wrapped by every [*ScheduleError]; test with [errors.Is]. A schedule that is not valid JSON
// of the expected shape, or lacks a required field, wraps [ErrMalformed] (and the
// [*strictjson.Error] that says where).
var (
	// ErrBadDate: a date is not a real YYYY-MM-DD date, or lies outside the supported years.
	ErrBadDate = errors.New("deadline: bad date")
	// ErrDayConflict: the same date is given as a day off and as a working day.
	ErrDayConflict = errors.New("deadline: date both off and on")
	// ErrYearMismatch: a notice lists a date more than two weeks outside its notice year.
	ErrYearMismatch = errors.New("deadline: date outside its notice year")
)

// Limits of the schedule loaders, checked before anything is allocated for the data.
const (
	// MaxNoticeBytes is the largest notice file [ParseNotice], [ParseHolidayCN], [LoadNotices] and
	// [LoadHolidayCN] accept (a real one is about 5 KB).
	MaxNoticeBytes = 1 << 20
	// MaxOverridesBytes is the largest overrides document [ParseOverrides] accepts.
	MaxOverridesBytes = 1 << 20
	// MaxNoticeFiles is the most *.json files [LoadNotices] and [LoadHolidayCN] read from one
	// directory: notices are one per year, and the loaders accept the years 1949–2199.
	MaxNoticeFiles = 512
)

// ScheduleError describes what is wrong with schedule data: which file, which date, what.
type ScheduleError struct {
	File   string // the file or source the problem is in, e.g. "2015.json" or "overrides"
	Date   string // the date concerned as written, if any
	Other  string // for a conflict between two sources, the other one
	Reason string // what is wrong, in words
	Err    error  // ErrMalformed (joined with the JSON error), ErrBadDate, ErrDayConflict or ErrYearMismatch
}

func (e *ScheduleError) Error() string {
	var b strings.Builder
	b.WriteString("deadline: ")
	b.WriteString(clip(e.File))
	if e.Date != "" {
		b.WriteString(": date ")
		b.WriteString(strconv.Quote(clip(e.Date)))
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns the sentinel error the problem is an instance of.
func (e *ScheduleError) Unwrap() error { return e.Err }

// Years the loaders accept: dates outside them are refused with [ErrBadDate].
const (
	MinScheduleYear = 1949
	MaxScheduleYear = 2199
)

// yearSlack is how far outside its notice year a listed date may lie: the real notices carry the last
// days of December of the previous year (2007.json lists 2006-12-30) when a holiday or a make-up
// working day spills over.
const yearSlack = 14

// Notice is the schedule one State Council notice (国务院办公厅关于部分节假日安排的通知) sets for its
// year: the dates it lists as days off (holidays and adjusted rest days) and as make-up working days.
// Dates a notice does not list follow the ordinary Monday to Friday week.
//
// Its JSON form is this package's own schedule format, one notice per file, read by [ParseNotice]:
//
//	{"year": 2027,
//	 "papers": ["https://www.gov.cn/..."],
//	 "days": [{"date": "2027-01-01", "off": true, "name": "元旦"},
//	          {"date": "2027-02-20", "off": false, "name": "春节"}]}
//
// "year" and "days", and each day's "date" and "off", are required; unknown fields are refused. A
// notice with no days means "not published yet", never "a year without holidays".
type Notice struct {
	Year   int           `json:"year"`
	Papers []string      `json:"papers,omitempty"` // addresses of the notice text
	Days   []ScheduleDay `json:"days"`
	// Source names where the notice was read from (the file name), for error messages; it is not part
	// of the JSON form.
	Source string `json:"-"`
}

// ScheduleDay is one date a schedule sets: a day off (Off true) or a working day (Off false, 调休上班),
// with the holiday's or the district's name for it. A [Notice] lists them for its year; a district's
// local overrides are a list of them too, applied over the national schedule by
// [Calendar.WithOverrides] (JSON: {"date": "2027-03-15", "off": true, "name": "区运动会"}).
type ScheduleDay struct {
	Date string `json:"date"` // YYYY-MM-DD
	Off  bool   `json:"off"`
	Name string `json:"name,omitempty"`
}

// ParseHolidayCN reads one file of the holiday-cn data set (github.com/NateScarlet/holiday-cn, one
// file per notice year: {"year": 2026, "papers": [...], "days": [{"name": "春节", "date": "2026-02-14",
// "isOffDay": false}, ...]}) and checks it as [Calendar.WithNotices] does. name is the file name used in
// errors. It decodes through the module's strict loader (at most [MaxNoticeBytes]; no duplicate,
// case-variant or unknown keys, nothing after the object): the data set's "$schema" and "$id" are the
// only keys accepted besides year, papers and days.
func ParseHolidayCN(name string, data []byte) (Notice, error) {
	var raw struct {
		Schema string   `json:"$schema"`
		ID     string   `json:"$id"`
		Year   *int     `json:"year"`
		Papers []string `json:"papers"`
		Days   *[]struct {
			Name     string  `json:"name"`
			Date     *string `json:"date"`
			IsOffDay *bool   `json:"isOffDay"`
		} `json:"days"`
	}
	if err := strictjson.Decode(data, &raw, MaxNoticeBytes); err != nil {
		return Notice{}, malformedJSON(name, err)
	}
	var days []rawDay
	if raw.Days != nil {
		days = make([]rawDay, len(*raw.Days))
		for i, d := range *raw.Days {
			days[i] = rawDay{name: d.Name, date: d.Date, off: d.IsOffDay}
		}
	}
	return buildNotice(name, raw.Year, raw.Papers, days, raw.Days != nil, "isOffDay")
}

// ParseNotice reads one notice in this package's own format (see [Notice]) and checks it as
// [Calendar.WithNotices] does. name is the file name used in errors. It decodes through the module's
// strict loader, at most [MaxNoticeBytes].
func ParseNotice(name string, data []byte) (Notice, error) {
	var raw struct {
		Year   *int     `json:"year"`
		Papers []string `json:"papers"`
		Days   *[]struct {
			Date *string `json:"date"`
			Off  *bool   `json:"off"`
			Name string  `json:"name"`
		} `json:"days"`
	}
	if err := strictjson.Decode(data, &raw, MaxNoticeBytes); err != nil {
		return Notice{}, malformedJSON(name, err)
	}
	var days []rawDay
	if raw.Days != nil {
		days = make([]rawDay, len(*raw.Days))
		for i, d := range *raw.Days {
			days[i] = rawDay{name: d.Name, date: d.Date, off: d.Off}
		}
	}
	return buildNotice(name, raw.Year, raw.Papers, days, raw.Days != nil, "off")
}

// rawDay is one listed day as decoded from either notice format, before its fields are checked.
type rawDay struct {
	name string
	date *string
	off  *bool
}

// buildNotice checks the decoded fields shared by both notice formats — offKey names the format's
// day-off field in errors — and returns the notice, checked as [Calendar.WithNotices] does.
func buildNotice(name string, year *int, papers []string, days []rawDay, hasDays bool, offKey string) (Notice, error) {
	if year == nil {
		return Notice{}, malformed(name, `missing "year"`)
	}
	if !hasDays {
		return Notice{}, malformed(name, `missing "days"`)
	}
	n := Notice{Year: *year, Papers: papers, Days: make([]ScheduleDay, 0, len(days)), Source: name}
	for i, d := range days {
		switch {
		case d.date == nil:
			return Notice{}, malformed(name, fmt.Sprintf(`days[%d]: missing "date"`, i))
		case d.off == nil:
			return Notice{}, &ScheduleError{File: name, Date: *d.date, Reason: fmt.Sprintf(`days[%d]: missing %q`, i, offKey), Err: ErrMalformed}
		}
		n.Days = append(n.Days, ScheduleDay{Date: *d.date, Off: *d.off, Name: d.name})
	}
	if _, err := n.entries(); err != nil {
		return Notice{}, err
	}
	return n, nil
}

// ParseOverrides reads a district's local overrides, a JSON array of [ScheduleDay] values such as
// [{"date": "2027-03-15", "off": true, "name": "区运动会"}], and checks them as
// [Calendar.WithOverrides] does. name is the file name used in errors. It decodes through the
// module's strict loader, at most [MaxOverridesBytes].
func ParseOverrides(name string, data []byte) ([]ScheduleDay, error) {
	var raw *[]struct {
		Date *string `json:"date"`
		Off  *bool   `json:"off"`
		Name string  `json:"name"`
	}
	if err := strictjson.Decode(data, &raw, MaxOverridesBytes); err != nil {
		return nil, malformedJSON(name, err)
	}
	if raw == nil {
		return nil, malformed(name, "want a JSON array of overrides, got null")
	}
	out := make([]ScheduleDay, 0, len(*raw))
	for i, o := range *raw {
		switch {
		case o.Date == nil:
			return nil, malformed(name, fmt.Sprintf(`[%d]: missing "date"`, i))
		case o.Off == nil:
			return nil, &ScheduleError{File: name, Date: *o.Date, Reason: fmt.Sprintf(`[%d]: missing "off"`, i), Err: ErrMalformed}
		}
		out = append(out, ScheduleDay{Date: *o.Date, Off: *o.Off, Name: o.Name})
	}
	if _, err := overrideEntries(name, out); err != nil {
		return nil, err
	}
	return out, nil
}

// LoadHolidayCN reads every *.json file at the root of fsys with [ParseHolidayCN], in name order (for
// example os.DirFS of a checkout of the holiday-cn repository). It fails on the first bad file, when
// there is no *.json file at all, when there are more than [MaxNoticeFiles], and on a file larger
// than [MaxNoticeBytes] (checked before the file is read, and while it is read).
func LoadHolidayCN(fsys fs.FS) ([]Notice, error) { return loadNotices(fsys, ".", ParseHolidayCN) }

// LoadNotices reads every *.json file at the root of fsys with [ParseNotice], in name order, with the
// limits of [LoadHolidayCN].
func LoadNotices(fsys fs.FS) ([]Notice, error) { return loadNotices(fsys, ".", ParseNotice) }

func loadNotices(fsys fs.FS, dir string, parse func(string, []byte) (Notice, error)) ([]Notice, error) {
	if fsys == nil {
		return nil, &ScheduleError{File: dir, Reason: "nil file system: nothing to read", Err: ErrMalformed}
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, &ScheduleError{File: dir, Reason: err.Error(), Err: ErrMalformed}
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		if len(names) == MaxNoticeFiles {
			return nil, &ScheduleError{File: dir, Reason: fmt.Sprintf("more than %d *.json files", MaxNoticeFiles),
				Err: errors.Join(ErrMalformed, strictjson.ErrTooLarge)}
		}
		names = append(names, e.Name())
	}
	if len(names) == 0 {
		return nil, &ScheduleError{File: dir, Reason: "no *.json files", Err: ErrMalformed}
	}
	out := make([]Notice, 0, len(names))
	for _, name := range names {
		p := name
		if dir != "." {
			p = dir + "/" + name
		}
		data, err := readBounded(fsys, p, MaxNoticeBytes)
		if err != nil {
			return nil, &ScheduleError{File: name, Reason: err.Error(), Err: errors.Join(ErrMalformed, err)}
		}
		n, err := parse(name, data)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// readBounded reads the file p of fsys, refusing it when its size, as stated or as read, exceeds max.
func readBounded(fsys fs.FS, p string, max int64) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > max {
		return nil, fmt.Errorf("%w: %d bytes, more than the maximum of %d", strictjson.ErrTooLarge, fi.Size(), max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: more than the maximum of %d bytes", strictjson.ErrTooLarge, max)
	}
	return data, nil
}

// WithNotices returns a calendar with the given notices added, for a year whose notice came out after
// this release or a notice that was corrected mid-year (2015, 2019, 2020). The merge rules:
//
//   - A notice that lists days replaces, as a whole, the notice the calendar holds for the same year
//     (so a corrected 2015 notice drops the days the old one listed and it does not); the notices
//     apply in order, so the last one for a year wins.
//   - A notice that lists no days changes nothing: an empty year is unpublished, and a published year
//     is never unpublished.
//   - The dates of all notices are then merged by date: a date may appear in two notices (late
//     December in the next year's notice) only with the same off/on value.
//
// The district's overrides of c are kept. On bad data it returns a [*ScheduleError] naming the
// notice's Source, the date and the problem, and c is unchanged (it always is).
func (c *Calendar) WithNotices(notices ...Notice) (*Calendar, error) {
	next := maps.Clone(c.notices)
	if next == nil { // the zero Calendar
		next = map[int]Notice{}
	}
	for _, n := range notices {
		if _, err := n.entries(); err != nil {
			return nil, err
		}
		if len(n.Days) > 0 {
			// Copy, so that the caller's later changes to its slices cannot reach this calendar.
			n.Days, n.Papers = slices.Clone(n.Days), slices.Clone(n.Papers)
			next[n.Year] = n
		}
	}
	return build(next, c.overrides)
}

// WithOverrides returns a calendar with a district's local overrides applied over the national
// schedule: extra days off, or extra working days. An override decides its date whatever the notices
// say; it does not make a provisional date final. A date overridden again replaces the earlier
// override; the same date given twice in one call with different Off values is an [ErrDayConflict].
func (c *Calendar) WithOverrides(overrides ...ScheduleDay) (*Calendar, error) {
	if _, err := overrideEntries("overrides", overrides); err != nil {
		return nil, err
	}
	next := make(map[string]ScheduleDay, len(c.overrides)+len(overrides))
	for _, o := range slices.Concat(c.overrides, overrides) {
		next[o.Date] = o
	}
	merged := slices.SortedFunc(maps.Values(next), func(a, b ScheduleDay) int { return cmp.Compare(a.Date, b.Date) })
	return build(c.notices, merged)
}

// listed is a date listed in a notice or an override.
type listed struct {
	date civil
	off  bool
	name string
}

// source returns the name errors use for n.
func (n Notice) source() string {
	if n.Source != "" {
		return n.Source
	}
	return "notice " + strconv.Itoa(n.Year)
}

// entries checks n and returns its dates.
func (n Notice) entries() ([]listed, error) {
	src := n.source()
	if n.Year < MinScheduleYear || n.Year > MaxScheduleYear {
		return nil, &ScheduleError{File: src, Reason: fmt.Sprintf("notice year %d outside %d–%d", n.Year, MinScheduleYear, MaxScheduleYear), Err: ErrBadDate}
	}
	from := civilFromDate(int64(n.Year), time.January, 1) - yearSlack
	to := civilFromDate(int64(n.Year), time.December, 31) + yearSlack
	out := make([]listed, 0, len(n.Days))
	seen := make(map[civil]bool, len(n.Days))
	for _, d := range n.Days {
		day, err := parseDate(src, d.Date)
		if err != nil {
			return nil, err
		}
		if day < from || day > to {
			return nil, &ScheduleError{File: src, Date: d.Date, Reason: fmt.Sprintf("more than %d days outside notice year %d", yearSlack, n.Year), Err: ErrYearMismatch}
		}
		if off, ok := seen[day]; ok {
			if off != d.Off {
				return nil, &ScheduleError{File: src, Date: d.Date, Other: src, Reason: "listed both as a day off and as a working day", Err: ErrDayConflict}
			}
			continue
		}
		seen[day] = d.Off
		out = append(out, listed{day, d.Off, d.Name})
	}
	return out, nil
}

// overrideEntries checks overrides and returns their dates.
func overrideEntries(src string, overrides []ScheduleDay) ([]listed, error) {
	out := make([]listed, 0, len(overrides))
	seen := make(map[civil]bool, len(overrides))
	for _, o := range overrides {
		day, err := parseDate(src, o.Date)
		if err != nil {
			return nil, err
		}
		if off, ok := seen[day]; ok {
			if off != o.Off {
				return nil, &ScheduleError{File: src, Date: o.Date, Other: src, Reason: "overridden both as a day off and as a working day", Err: ErrDayConflict}
			}
			continue
		}
		seen[day] = o.Off
		out = append(out, listed{day, o.Off, o.Name})
	}
	return out, nil
}

// parseDate parses a YYYY-MM-DD date within the supported years.
func parseDate(src, s string) (civil, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return 0, &ScheduleError{File: src, Date: s, Reason: "not a YYYY-MM-DD date", Err: ErrBadDate}
	}
	if y := t.Year(); y < MinScheduleYear || y > MaxScheduleYear {
		return 0, &ScheduleError{File: src, Date: s, Reason: fmt.Sprintf("year outside %d–%d", MinScheduleYear, MaxScheduleYear), Err: ErrBadDate}
	}
	y, m, d := t.Date()
	return civilFromDate(int64(y), m, d), nil
}

func malformed(file, reason string) error {
	return &ScheduleError{File: file, Reason: reason, Err: ErrMalformed}
}

// malformedJSON reports data the strict loader refused.
func malformedJSON(file string, err error) error {
	return &ScheduleError{File: file, Reason: "invalid JSON: " + err.Error(), Err: errors.Join(ErrMalformed, err)}
}

// build makes a calendar from the notices (by year; each lists days) and the overrides (valid).
func build(notices map[int]Notice, overrides []ScheduleDay) (*Calendar, error) {
	type entry struct {
		listed
		file string
		year int
	}
	merged := map[civil]entry{}
	years := slices.Sorted(maps.Keys(notices))
	for _, y := range years {
		n := notices[y]
		days, err := n.entries()
		if err != nil {
			return nil, err
		}
		for _, d := range days {
			e, ok := merged[d.date]
			if ok && e.off != d.off {
				return nil, &ScheduleError{
					File: n.source(), Date: d.date.String(), Other: e.file, Err: ErrDayConflict,
					Reason: fmt.Sprintf("%s in %s but %s in %s", offWord(d.off), n.source(), offWord(e.off), e.file),
				}
			}
			// Prefer the name from the notice of the date's own year.
			if !ok || (d.name != "" && int(d.date.year()) == y) {
				merged[d.date] = entry{d, n.source(), y}
			}
		}
	}
	local, err := overrideEntries("overrides", overrides)
	if err != nil {
		return nil, err
	}
	byDate := make(map[civil]listed, len(local))
	for _, o := range local {
		byDate[o.date] = o
	}

	// The covered range: the published years through the end of the lunar table, stretched to every
	// listed or overridden date.
	firstYear, lastYear := lunarFirstYear, lunarLastYear
	if len(years) > 0 {
		firstYear, lastYear = years[0], max(lastYear, years[len(years)-1])
	}
	lo := civilFromDate(int64(firstYear), time.January, 1)
	hi := civilFromDate(int64(lastYear), time.December, 31)
	for d := range merged {
		lo, hi = min(lo, d), max(hi, d)
	}
	for d := range byDate {
		lo, hi = min(lo, d), max(hi, d)
	}

	published := make(map[int]bool, len(years))
	for _, y := range years {
		published[y] = true
	}

	// What each date's sources say, densely, so that the day loop below reads arrays, not maps.
	const (
		srcListed = 1 << iota
		srcListedOff
		srcStatutory
		srcOverride
		srcOverrideOff
	)
	n := int(hi-lo) + 1
	src := make([]uint8, n)
	for d, e := range merged {
		src[d-lo] |= srcListed
		if e.off {
			src[d-lo] |= srcListedOff
		}
	}
	statutory := map[civil]string{}
	for y := lo.year(); y <= hi.year(); y++ {
		for _, s := range statutoryHolidays(int(y)) {
			if s.date >= lo && s.date <= hi && src[s.date-lo]&srcStatutory == 0 {
				src[s.date-lo] |= srcStatutory
				statutory[s.date] = s.name
			}
		}
	}
	for d, o := range byDate {
		src[d-lo] |= srcOverride
		if o.off {
			src[d-lo] |= srcOverrideOff
		}
	}

	c := &Calendar{
		lo: lo, end: hi + 1,
		days:      make([]dayInfo, n),
		prefix:    make([]int32, n+1),
		work:      make([]int32, 0, n*5/7+len(merged)+len(byDate)),
		names:     map[civil]string{},
		published: years,
		notices:   notices,
		overrides: overrides,
	}
	wd := lo.weekday()
	for y := lo.year(); y <= hi.year(); y++ {
		pub := published[int(y)]
		first := max(civilFromDate(y, time.January, 1), lo)
		last := min(civilFromDate(y, time.December, 31), hi)
		for d := first; d <= last; d++ {
			i := int(d - lo)
			weekday := wd != time.Saturday && wd != time.Sunday
			if wd++; wd > time.Saturday {
				wd = time.Sunday
			}
			s := src[i]
			isStat := s&srcStatutory != 0
			var off, prov, inNotice, local bool
			switch {
			case s&srcListed != 0:
				off, inNotice = s&srcListedOff != 0, true
			case pub:
				off = !weekday
			default:
				prov = true
				off = !weekday || isStat
			}
			if s&srcOverride != 0 {
				off, inNotice, local = s&srcOverrideOff != 0, false, true
			}
			var kind kindCode
			switch {
			case !off && weekday:
				kind = codeWorkday
			case !off:
				kind = codeMakeupWorkday
			case isStat:
				kind = codeStatutoryHoliday
			case weekday && inNotice:
				kind = codeAdjustedRestDay
			default:
				kind = codeRestDay
			}
			var flags uint8
			if !off {
				flags |= flagWork
				c.work = append(c.work, int32(i))
			}
			if prov {
				flags |= flagProvisional
				if k := len(c.prov); k > 0 && c.prov[k-1].to == d-1 {
					c.prov[k-1].to = d
				} else {
					c.prov = append(c.prov, span{d, d})
				}
			}
			if local {
				flags |= flagLocal
			}
			c.days[i] = dayInfo{kind, flags}
			c.prefix[i+1] = int32(len(c.work))
			if s == 0 {
				continue
			}
			// The name: the override's, else the notice's, else the statutory holiday's on a day off.
			var name string
			switch {
			case local:
				name = byDate[d].name
			case s&srcListed != 0:
				name = merged[d].name
			}
			if name == "" && !local && off && isStat {
				name = statutory[d]
			}
			if name != "" {
				c.names[d] = name
			}
		}
	}
	return c, nil
}

func offWord(off bool) string {
	if off {
		return "a day off"
	}
	return "a working day"
}
