package deadline

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"time"
	_ "time/tzdata" // Asia/Shanghai must resolve on machines without a zoneinfo database.
)

// TEMPORARY CONTRACT IMPLEMENTATION: correct but day-by-day. The calendar work replaces the internals
// (prefix counts, provisional statutory holidays, loaders); the exported signatures stay.

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

// Shanghai returns the Asia/Shanghai location in which the package reads every date.
func Shanghai() *time.Location { return shanghai }

// Calendar is a working-day calendar: weekends, official holidays and make-up working days.
// A Calendar is immutable and safe for concurrent use.
type Calendar struct {
	days      map[civil]dayEntry
	published map[int]bool
	lastDay   civil // last date covered by published data
}

type dayEntry struct {
	off  bool
	name string
}

// civil is a calendar date as days since 1970-01-01.
type civil int32

func civilOf(t time.Time) civil {
	y, m, d := t.In(shanghai).Date()
	return civil(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (c civil) time() time.Time {
	u := time.Unix(int64(c)*86400, 0).UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, shanghai)
}

type holidayFile struct {
	Year int `json:"year"`
	Days []struct {
		Name     string `json:"name"`
		Date     string `json:"date"`
		IsOffDay bool   `json:"isOffDay"`
	} `json:"days"`
}

// China returns the official mainland working-day calendar, built from the State Council notices for
// every published year from 2007.
func China() *Calendar {
	c := &Calendar{days: map[civil]dayEntry{}, published: map[int]bool{}}
	entries, _ := holidayFS.ReadDir("data/holiday-cn")
	for _, e := range entries {
		b, _ := holidayFS.ReadFile("data/holiday-cn/" + e.Name())
		var f holidayFile
		if err := json.Unmarshal(b, &f); err != nil {
			panic(fmt.Sprintf("deadline: embedded %s: %v", e.Name(), err))
		}
		if len(f.Days) == 0 {
			continue
		}
		c.published[f.Year] = true
		for _, d := range f.Days {
			t, err := time.ParseInLocation(time.DateOnly, d.Date, shanghai)
			if err != nil {
				panic(fmt.Sprintf("deadline: embedded %s: %v", e.Name(), err))
			}
			c.days[civilOf(t)] = dayEntry{off: d.IsOffDay, name: d.Name}
		}
	}
	last := 0
	for y := range c.published {
		last = max(last, y)
	}
	c.lastDay = civilOf(time.Date(last, 12, 31, 12, 0, 0, 0, shanghai))
	return c
}

func (c *Calendar) workday(d civil) bool {
	if e, ok := c.days[d]; ok {
		return !e.off
	}
	wd := d.time().Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// IsWorkday reports whether t's date in Asia/Shanghai is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool { return c.workday(civilOf(t)) }

// IsProvisional reports whether t's date lies beyond the published schedule, so that whether it is a
// working day is computed from the statutory holidays and weekends rather than read from a notice.
func (c *Calendar) IsProvisional(t time.Time) bool { return civilOf(t) > c.lastDay }

// PublishedYears returns the years whose official schedule the calendar holds, in ascending order.
func (c *Calendar) PublishedYears() []int {
	ys := make([]int, 0, len(c.published))
	for y := range c.published {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// AddWorkdays returns midnight (Asia/Shanghai) of the n-th working day strictly after t's date.
// n = 0 returns midnight of t's date; a negative n counts backwards the same way.
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	d := civilOf(t)
	for n > 0 {
		d++
		if c.workday(d) {
			n--
		}
	}
	for n < 0 {
		d--
		if c.workday(d) {
			n++
		}
	}
	return d.time()
}

// WorkdaysBetween returns the number of working days in (a's date, b's date]. When b is before a it
// returns minus the number of working days in [b's date, a's date), so that
// WorkdaysBetween(t, AddWorkdays(t, n)) == n for every n.
func (c *Calendar) WorkdaysBetween(a, b time.Time) int {
	da, db := civilOf(a), civilOf(b)
	n := 0
	if db >= da {
		for d := da + 1; d <= db; d++ {
			if c.workday(d) {
				n++
			}
		}
		return n
	}
	for d := db; d < da; d++ {
		if c.workday(d) {
			n--
		}
	}
	return n
}
