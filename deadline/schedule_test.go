package deadline

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Loading the holiday-cn files at run time gives the same calendar as the embedded one.
func TestLoadHolidayCNMatchesEmbedded(t *testing.T) {
	notices, err := LoadHolidayCN(os.DirFS("data/holiday-cn"))
	require.NoError(t, err)
	require.Len(t, notices, 21)
	assert.Equal(t, "2007.json", notices[0].Source)
	assert.Equal(t, 2027, notices[20].Year)
	assert.Empty(t, notices[20].Days, "2027.json is the empty placeholder")

	c, err := China().WithNotices(notices...)
	require.NoError(t, err)
	assert.Equal(t, China().PublishedYears(), c.PublishedYears())
	assert.Equal(t, China().days, c.days)
	assert.Equal(t, China().work, c.work)
	assert.Equal(t, China().names, c.names)
}

// Schedules have changed mid-year (the 国务院办公厅 notices were revised mid-year; 2015: the 抗战胜利70周年 days of 3–5 Sep
// were added by a second notice). A notice replaces, as a whole, the notice of its year: here the
// corrected 2015 notice is applied over a calendar that holds only the first one.
func TestWithNoticesReplacesTheYear(t *testing.T) {
	b, err := os.ReadFile("data/holiday-cn/2015.json")
	require.NoError(t, err)
	corrected, err := ParseHolidayCN("2015.json", b)
	require.NoError(t, err)
	first := corrected
	first.Source = "2015-first.json"
	first.Days = slices.DeleteFunc(slices.Clone(corrected.Days), func(d ScheduleDay) bool {
		return d.Date >= "2015-09-03" && d.Date <= "2015-09-06"
	})

	old, err := China().WithNotices(first)
	require.NoError(t, err)
	assert.True(t, old.IsWorkday(calDate(2015, 9, 3)), "first notice: an ordinary Thursday")
	assert.False(t, old.IsWorkday(calDate(2015, 9, 6)), "first notice: an ordinary Sunday")

	fixed, err := old.WithNotices(corrected)
	require.NoError(t, err)
	assert.False(t, fixed.IsWorkday(calDate(2015, 9, 3)))
	assert.True(t, fixed.IsWorkday(calDate(2015, 9, 6)), "make-up Sunday")
	assert.Equal(t, "2015-09-07", fixed.AddWorkdays(calDate(2015, 9, 2), 2).Format(time.DateOnly))
	assert.Equal(t, China().days, fixed.days)

	// The last notice for a year wins.
	again, err := China().WithNotices(corrected, first)
	require.NoError(t, err)
	assert.True(t, again.IsWorkday(calDate(2015, 9, 3)))
}

// An empty notice is "not published yet", never "a year without holidays" (SOURCE.md).
func TestWithNoticesEmptyYear(t *testing.T) {
	c, err := China().WithNotices(Notice{Year: 2027, Source: "2027.json", Days: []ScheduleDay{}})
	require.NoError(t, err)
	assert.True(t, c.IsProvisional(calDate(2027, 3, 1)))
	assert.False(t, c.IsWorkday(calDate(2027, 10, 1)), "statutory day still off")

	c, err = China().WithNotices(Notice{Year: 2026, Source: "2026-empty.json"})
	require.NoError(t, err)
	assert.False(t, c.IsProvisional(calDate(2026, 3, 1)), "a published year is never unpublished")
	assert.True(t, c.IsWorkday(calDate(2026, 2, 14)))
}

// A newly published year: its make-up days count and its dates stop being provisional; the next
// year's late-December entry merges by date.
func TestWithNoticesNewYear(t *testing.T) {
	n2027, err := ParseNotice("2027.json", []byte(`{"year": 2027, "papers": ["https://www.gov.cn/example"],
	  "days": [
	    {"date": "2027-01-01", "off": true, "name": "元旦"},
	    {"date": "2027-02-05", "off": true, "name": "春节"},
	    {"date": "2027-02-08", "off": true, "name": "春节"},
	    {"date": "2027-02-09", "off": true, "name": "春节"},
	    {"date": "2027-02-10", "off": true, "name": "春节"},
	    {"date": "2027-02-20", "off": false, "name": "春节"}
	  ]}`))
	require.NoError(t, err)
	n2028, err := ParseHolidayCN("2028.json", []byte(`{"year": 2028, "papers": [], "days": [
	    {"name": "元旦", "date": "2027-12-31", "isOffDay": true},
	    {"name": "元旦", "date": "2028-01-01", "isOffDay": true}]}`))
	require.NoError(t, err)
	c, err := China().WithNotices(n2027, n2028)
	require.NoError(t, err)
	assert.Equal(t, 2028, c.PublishedYears()[len(c.PublishedYears())-1])
	assert.False(t, c.IsProvisional(calDate(2027, 2, 20)))
	assert.True(t, c.IsWorkday(calDate(2027, 2, 20)), "make-up Saturday")
	assert.Equal(t, MakeupWorkday, c.Day(calDate(2027, 2, 20)).Kind)
	assert.False(t, c.IsWorkday(calDate(2027, 2, 10)))
	assert.True(t, c.IsWorkday(calDate(2027, 4, 5)), "2027 published: only listed days are off")
	assert.False(t, c.IsWorkday(calDate(2027, 12, 31)), "carried by 2028.json")
	assert.Equal(t, "2027-02-11", c.AddWorkdays(calDate(2027, 2, 4), 1).Format(time.DateOnly))
	assert.False(t, c.ProvisionalBetween(calDate(2026, 12, 1), calDate(2028, 12, 31)))
	assert.True(t, c.IsProvisional(calDate(2029, 1, 1)))
	assert.Equal(t, []int{2025, 2026}, China().PublishedYears()[18:], "China() is unchanged")
}

// Bad input gets a *ScheduleError naming the file, the date and the problem, wrapping a sentinel.
func TestParseHolidayCNErrors(t *testing.T) {
	tests := []struct {
		name, data string
		err        error
		date       string
		msg        string
	}{
		{"truncated", `{"year": 2026, "days": [`, ErrMalformed, "", "unexpected end"},
		{"not JSON", `year: 2026`, ErrMalformed, "", "invalid JSON: syntax error"},
		{"wrong type", `{"year": "2026", "days": []}`, ErrMalformed, "", "invalid JSON"},
		{"missing year", `{"days": []}`, ErrMalformed, "", `missing "year"`},
		{"missing days", `{"year": 2026}`, ErrMalformed, "", `missing "days"`},
		{"missing isOffDay", `{"year": 2026, "days": [{"name": "春节", "date": "2026-02-16"}]}`, ErrMalformed, "2026-02-16", `days[0]: missing "isOffDay"`},
		{"missing date", `{"year": 2026, "days": [{"name": "春节", "isOffDay": true}]}`, ErrMalformed, "", `days[0]: missing "date"`},
		{"unparseable date", `{"year": 2026, "days": [{"date": "2026/02/16", "isOffDay": true}]}`, ErrBadDate, "2026/02/16", "not a YYYY-MM-DD date"},
		{"no such day", `{"year": 2026, "days": [{"date": "2026-02-30", "isOffDay": true}]}`, ErrBadDate, "2026-02-30", "not a YYYY-MM-DD date"},
		{"short date", `{"year": 2026, "days": [{"date": "2026-2-16", "isOffDay": true}]}`, ErrBadDate, "2026-2-16", "not a YYYY-MM-DD date"},
		{"year out of range", `{"year": 3026, "days": []}`, ErrBadDate, "", "notice year 3026 outside 1949–2199"},
		{"year mismatch", `{"year": 2026, "days": [{"date": "2024-05-01", "isOffDay": true}]}`, ErrYearMismatch, "2024-05-01", "outside notice year 2026"},
		{"year mismatch, 3 weeks early", `{"year": 2026, "days": [{"date": "2025-12-10", "isOffDay": true}]}`, ErrYearMismatch, "2025-12-10", "outside notice year 2026"},
		{"both off and on", `{"year": 2026, "days": [{"date": "2026-02-14", "isOffDay": false}, {"date": "2026-02-14", "isOffDay": true}]}`, ErrDayConflict, "2026-02-14", "both as a day off and as a working day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHolidayCN("2026.json", []byte(tt.data))
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.err)
			var se *ScheduleError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, "2026.json", se.File)
			assert.Equal(t, tt.date, se.Date)
			assert.Contains(t, err.Error(), "2026.json")
			assert.Contains(t, err.Error(), tt.msg)
			if tt.date != "" {
				assert.Contains(t, err.Error(), tt.date)
			}
		})
	}
	// Late-December dates of the previous year are legal (2007.json carries 2006-12-30).
	n, err := ParseHolidayCN("2026.json", []byte(`{"year": 2026, "days": [{"date": "2025-12-20", "isOffDay": false}]}`))
	require.NoError(t, err)
	assert.Equal(t, []ScheduleDay{{Date: "2025-12-20", Off: false}}, n.Days)
	// The same date listed twice alike is harmless.
	_, err = ParseHolidayCN("2026.json", []byte(`{"year": 2026, "days": [{"date": "2026-01-01", "isOffDay": true}, {"date": "2026-01-01", "isOffDay": true}]}`))
	require.NoError(t, err)
}

// The same date with different values in two files is a conflict naming both files.
func TestWithNoticesConflictNamesBothFiles(t *testing.T) {
	a := Notice{Year: 2027, Source: "2027.json", Days: []ScheduleDay{{Date: "2027-12-31", Off: true}}}
	b := Notice{Year: 2028, Source: "2028.json", Days: []ScheduleDay{{Date: "2027-12-31", Off: false}}}
	_, err := China().WithNotices(a, b)
	require.ErrorIs(t, err, ErrDayConflict)
	var se *ScheduleError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "2027-12-31", se.Date)
	assert.ElementsMatch(t, []string{"2027.json", "2028.json"}, []string{se.File, se.Other})
	assert.Contains(t, err.Error(), "2027.json")
	assert.Contains(t, err.Error(), "2028.json")

	// Against an embedded file: 2008.json has Sat 2007-12-29 as a make-up working day.
	fix := Notice{Year: 2007, Source: "2007-fix.json", Days: []ScheduleDay{{Date: "2007-12-29", Off: true}}}
	_, err = China().WithNotices(fix)
	require.ErrorIs(t, err, ErrDayConflict)
	assert.Contains(t, err.Error(), "2007-fix.json")
	assert.Contains(t, err.Error(), "2008.json")

	// A programmatic notice without a Source is named by its year.
	_, err = China().WithNotices(Notice{Year: 2027, Days: []ScheduleDay{{Date: "20270101", Off: true}}})
	require.ErrorIs(t, err, ErrBadDate)
	assert.Contains(t, err.Error(), "notice 2027")
}

// Our own format (see Notice) is strict: required fields and no unknown ones.
func TestParseNotice(t *testing.T) {
	want := Notice{Year: 2027, Papers: []string{"https://www.gov.cn/x"}, Source: "2027.json", Days: []ScheduleDay{
		{Date: "2027-01-01", Off: true, Name: "元旦"}, {Date: "2027-02-20", Off: false, Name: "春节"},
	}}
	b, err := json.Marshal(want)
	require.NoError(t, err)
	got, err := ParseNotice("2027.json", b)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	bad := []struct {
		data string
		err  error
		msg  string
	}{
		{`{"year": 2027, "days": [{"date": "2027-01-01", "isOffDay": true}]}`, ErrMalformed, `unknown field "isOffDay"`},
		{`{"year": 2027, "days": [{"date": "2027-01-01"}]}`, ErrMalformed, `missing "off"`},
		{`{"year": 2027, "days": [{"off": true}]}`, ErrMalformed, `missing "date"`},
		{`{"year": 2027}`, ErrMalformed, `missing "days"`},
		{`{"days": []}`, ErrMalformed, `missing "year"`},
		{`{"year": 2027, "days": []} {}`, ErrMalformed, "data after the JSON value"},
		{`[]`, ErrMalformed, "invalid JSON"},
		{`{"year": 2027, "days": [{"date": "2027-13-01", "off": true}]}`, ErrBadDate, "2027-13-01"},
		{`{"year": 2027, "days": [{"date": "2029-01-01", "off": true}]}`, ErrYearMismatch, "2029-01-01"},
		{`{"year": 2027, "days": [{"date": "2027-05-01", "off": true}, {"date": "2027-05-01", "off": false}]}`, ErrDayConflict, "2027-05-01"},
	}
	for _, tt := range bad {
		_, err := ParseNotice("mine.json", []byte(tt.data))
		assert.ErrorIs(t, err, tt.err, tt.data)
		if assert.Error(t, err) {
			assert.Contains(t, err.Error(), "mine.json", tt.data)
			assert.Contains(t, err.Error(), tt.msg, tt.data)
		}
	}
}

func TestLoadNotices(t *testing.T) {
	fsys := fstest.MapFS{
		"2027.json":  {Data: []byte(`{"year": 2027, "days": [{"date": "2027-02-20", "off": false}]}`)},
		"README.md":  {Data: []byte("not a schedule")},
		"old/x.json": {Data: []byte("ignored: not at the root")},
	}
	notices, err := LoadNotices(fsys)
	require.NoError(t, err)
	require.Len(t, notices, 1)
	assert.Equal(t, "2027.json", notices[0].Source)

	fsys["2028.json"] = &fstest.MapFile{Data: []byte(`{"year": 2028, "days": [{"date": "2028-01-01", "isOffDay": true}]}`)}
	_, err = LoadNotices(fsys)
	require.ErrorIs(t, err, ErrMalformed)
	assert.Contains(t, err.Error(), "2028.json")

	_, err = LoadHolidayCN(fstest.MapFS{"README.md": {Data: []byte("x")}})
	require.ErrorIs(t, err, ErrMalformed)
	assert.Contains(t, err.Error(), "no *.json files")

	_, err = LoadHolidayCN(fstest.MapFS{"2026.json": {Data: []byte(`{"year": 2026, "days": [{"date": "2024-05-01", "isOffDay": true}]}`)}})
	require.ErrorIs(t, err, ErrYearMismatch)
}

// A district's local overrides: extra days off or on, over the national schedule.
func TestWithOverrides(t *testing.T) {
	c, err := China().WithOverrides(
		ScheduleDay{Date: "2026-03-16", Off: true, Name: "区庆"},   // a Monday off
		ScheduleDay{Date: "2026-03-21", Off: false, Name: "补班"},  // a Saturday on
		ScheduleDay{Date: "2026-10-02", Off: false, Name: "值守"},  // a holiday worked locally
		ScheduleDay{Date: "2027-03-15", Off: true, Name: "区运动会"}, // in a provisional year
		ScheduleDay{Date: "2026-03-16", Off: true, Name: "区庆"},   // repeated alike: fine
	)
	require.NoError(t, err)
	d := c.Day(calDate(2026, 3, 16))
	assert.Equal(t, Day{Date: calDate(2026, 3, 16), Kind: RestDay, Name: "区庆", Local: true}, d)
	d = c.Day(calDate(2026, 3, 21))
	assert.Equal(t, Day{Date: calDate(2026, 3, 21), Kind: MakeupWorkday, Name: "补班", Local: true}, d)
	assert.True(t, c.IsWorkday(calDate(2026, 10, 2)))
	assert.Equal(t, "2026-03-17", c.AddWorkdays(calDate(2026, 3, 13), 1).Format(time.DateOnly))
	assert.True(t, c.Day(calDate(2027, 3, 15)).Provisional, "an override does not make a provisional date final")
	assert.False(t, c.IsWorkday(calDate(2027, 3, 15)))
	assert.True(t, China().IsWorkday(calDate(2026, 3, 16)), "China() is unchanged")

	// A later call replaces an earlier override of the same date; notices loaded later keep them.
	c2, err := c.WithOverrides(ScheduleDay{Date: "2026-03-16", Off: false})
	require.NoError(t, err)
	assert.True(t, c2.IsWorkday(calDate(2026, 3, 16)))
	c3, err := c.WithNotices(Notice{Year: 2027, Days: []ScheduleDay{{Date: "2027-01-01", Off: true}}})
	require.NoError(t, err)
	assert.False(t, c3.IsWorkday(calDate(2026, 3, 16)), "overrides survive WithNotices")
	assert.False(t, c3.IsWorkday(calDate(2027, 3, 15)))
	assert.False(t, c3.IsProvisional(calDate(2027, 3, 15)))

	_, err = China().WithOverrides(ScheduleDay{Date: "2026-03-16", Off: true}, ScheduleDay{Date: "2026-03-16", Off: false})
	require.ErrorIs(t, err, ErrDayConflict)
	assert.Contains(t, err.Error(), `overrides: date "2026-03-16"`)
	_, err = China().WithOverrides(ScheduleDay{Date: "16/03/2026", Off: true})
	require.ErrorIs(t, err, ErrBadDate)
	_, err = China().WithOverrides(ScheduleDay{Date: "2300-01-01", Off: true})
	require.ErrorIs(t, err, ErrBadDate)
}

func TestParseOverrides(t *testing.T) {
	got, err := ParseOverrides("putuo.json", []byte(`[{"date": "2026-03-16", "off": true, "name": "区庆"}, {"date": "2026-03-21", "off": false}]`))
	require.NoError(t, err)
	assert.Equal(t, []ScheduleDay{{Date: "2026-03-16", Off: true, Name: "区庆"}, {Date: "2026-03-21"}}, got)
	for _, bad := range []struct {
		data string
		err  error
		msg  string
	}{
		{`null`, ErrMalformed, "document is null"},
		{`{"date": "2026-03-16", "off": true}`, ErrMalformed, "invalid JSON"},
		{`[{"date": "2026-03-16"}]`, ErrMalformed, `[0]: missing "off"`},
		{`[{"off": true}]`, ErrMalformed, `[0]: missing "date"`},
		{`[{"date": "2026-03-16", "off": true, "reason": "x"}]`, ErrMalformed, `unknown field "reason"`},
		{`[{"date": "2026-02-29", "off": true}]`, ErrBadDate, "2026-02-29"},
		{`[{"date": "2026-03-16", "off": true}, {"date": "2026-03-16", "off": false}]`, ErrDayConflict, "2026-03-16"},
	} {
		_, err := ParseOverrides("putuo.json", []byte(bad.data))
		assert.ErrorIs(t, err, bad.err, bad.data)
		if assert.Error(t, err) {
			assert.Contains(t, err.Error(), "putuo.json", bad.data)
			assert.Contains(t, err.Error(), bad.msg, bad.data)
		}
	}
}

func TestScheduleErrorUnwrap(t *testing.T) {
	err := error(&ScheduleError{File: "f.json", Date: "2026-01-01", Reason: "r", Err: ErrBadDate})
	assert.Equal(t, `deadline: f.json: date "2026-01-01": r`, err.Error())
	assert.True(t, errors.Is(err, ErrBadDate))
	assert.False(t, errors.Is(err, ErrDayConflict))
}

// checkCalendar asserts a few invariants of any calendar a loader produced.
func checkCalendar(t *testing.T, c *Calendar) {
	for _, start := range []time.Time{calDate(1950, 1, 1), calDate(2026, 9, 30), calDate(2100, 6, 1)} {
		for _, n := range []int{-20, -1, 0, 1, 20} {
			got := c.AddWorkdays(start, n)
			if c.WorkdaysBetween(start, got) != n {
				t.Fatalf("round trip broken at %v, %d", start, n)
			}
			if n != 0 && !c.IsWorkday(got) {
				t.Fatalf("AddWorkdays(%v, %d) = %v is not a working day", start, n, got)
			}
		}
	}
}

func FuzzParseHolidayCN(f *testing.F) {
	// Small seeds keep the fuzzer's minimisation quick (every accepted input builds a calendar); the
	// full files are covered by TestLoadHolidayCNMatchesEmbedded.
	b, err := os.ReadFile("data/holiday-cn/2027.json")
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte(`{"year": 2020, "papers": ["http://www.gov.cn/zhengce/zhengceku/2020-01/27/content_5472352.htm"],
	 "days": [{"name": "春节", "date": "2020-01-19", "isOffDay": false}, {"name": "春节", "date": "2020-01-24", "isOffDay": true},
	 {"name": "春节", "date": "2020-02-03", "isOffDay": false}]}`))
	f.Add([]byte(`{"year": 2008, "days": [{"name": "元旦", "date": "2007-12-29", "isOffDay": false}]}`))
	f.Add([]byte(`{"year": 2026, "days": [{"date": "2024-05-01", "isOffDay": true}]}`))
	f.Add([]byte(`{"year": 2028, "days": [{"date": "2027-12-31", "isOffDay": false}]}`))
	f.Add([]byte(`{"year": 1949, "days": [{"date": "1949-10-01", "isOffDay": true}]}`))
	// Issue 9: inputs that once got through the lenient decoder, and huge numbers.
	f.Add([]byte(`{"year": 2027, "days": []}}`))
	f.Add([]byte(`{"year": 2027, "YEAR": 2028, "days": []}`))
	f.Add([]byte(`{"year": 2027, "year": 2028, "days": []}`))
	f.Add([]byte(`{"year": 9223372036854775807, "days": []}`))
	f.Add([]byte(`{"year": -9223372036854775808, "days": [{"date": "2027-01-01", "isOffDay": true}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseHolidayCN("fuzz.json", data)
		if err != nil {
			var se *ScheduleError
			if !errors.As(err, &se) || se.File != "fuzz.json" || se.Err == nil {
				t.Fatalf("error %v is not a *ScheduleError naming the file", err)
			}
			return
		}
		c, err := China().WithNotices(n)
		if err != nil {
			if !errors.Is(err, ErrDayConflict) {
				t.Fatalf("parsed notice refused: %v", err)
			}
			return
		}
		checkCalendar(t, c)
	})
}

func FuzzParseNotice(f *testing.F) {
	f.Add([]byte(`{"year": 2027, "days": [{"date": "2027-01-01", "off": true, "name": "元旦"}, {"date": "2027-02-20", "off": false}]}`))
	f.Add([]byte(`{"year": 2027, "days": []}`))
	f.Add([]byte(`{"year": 2027, "days": [{"date": "2026-12-20", "off": false}]} x`))
	f.Add([]byte(`{"year": 2027, "Days": [], "days": []}`))
	f.Add([]byte(`{"year": 9223372036854775807, "days": [{"date": "99999-01-01", "off": true}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseNotice("fuzz.json", data)
		if err != nil {
			var se *ScheduleError
			if !errors.As(err, &se) || se.File != "fuzz.json" || se.Err == nil {
				t.Fatalf("error %v is not a *ScheduleError naming the file", err)
			}
			return
		}
		b, err := json.Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseNotice("fuzz.json", b)
		if err != nil || back.Year != n.Year || len(back.Days) != len(n.Days) {
			t.Fatalf("round trip: %v", err)
		}
		c, err := China().WithNotices(n)
		if err != nil {
			if !errors.Is(err, ErrDayConflict) {
				t.Fatalf("parsed notice refused: %v", err)
			}
			return
		}
		checkCalendar(t, c)
	})
}

func FuzzParseOverrides(f *testing.F) {
	f.Add([]byte(`[{"date": "2026-03-16", "off": true, "name": "区庆"}, {"date": "2026-03-21", "off": false}]`))
	f.Add([]byte(`[{"date": "2199-12-31", "off": true}]`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := ParseOverrides("fuzz.json", data)
		if err != nil {
			var se *ScheduleError
			if !errors.As(err, &se) || se.File != "fuzz.json" || se.Err == nil {
				t.Fatalf("error %v is not a *ScheduleError naming the file", err)
			}
			return
		}
		c, err := China().WithOverrides(o...)
		if err != nil {
			t.Fatalf("parsed overrides refused: %v", err)
		}
		checkCalendar(t, c)
		for _, x := range o {
			d, _ := time.ParseInLocation(time.DateOnly, x.Date, shanghai)
			if c.IsWorkday(d) == x.Off {
				t.Fatalf("override %+v not applied", x)
			}
		}
	})
}
