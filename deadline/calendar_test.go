package deadline

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every date 2006-12-30 … 2026-12-31 agrees with the State Council notices as the data files give
// them: a listed date is off or on as listed, any other date follows the Monday–Friday week
// (国务院办公厅关于部分节假日安排的通知; merge by date, so late-December dates in the next year's file count).
func TestChinaAgreesWithEveryPublishedDate(t *testing.T) {
	official := officialDays(t)
	// The files are not trivially empty: every year 2007–2026 lists its holidays and make-up days.
	perYear := map[string][2]int{}
	for date, off := range official {
		k := perYear[date[:4]]
		if off {
			k[0]++
		} else {
			k[1]++
		}
		perYear[date[:4]] = k
	}
	for y := 2007; y <= 2026; y++ {
		k := perYear[strconv.Itoa(y)]
		require.GreaterOrEqual(t, k[0], 20, "%d: days off listed", y)
		require.GreaterOrEqual(t, k[1], 5, "%d: make-up working days listed", y)
	}
	c := China()
	n, listed := 0, 0
	for d := calDate(2006, 12, 30); d.Before(calDate(2027, 1, 1)); d = d.AddDate(0, 0, 1) {
		key := d.Format(time.DateOnly)
		want := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		if off, ok := official[key]; ok {
			want = !off
			listed++
		}
		if !assert.Equal(t, want, c.IsWorkday(d), key) {
			break
		}
		assert.Equal(t, want, c.Day(d).IsWorkday(), key)
		if d.Year() >= 2007 {
			assert.False(t, c.IsProvisional(d), key)
		}
		n++
	}
	assert.Equal(t, 7307, n) // 2 days of 2006 + 20 years
	assert.Equal(t, len(official), listed, "every listed date was compared")
	assert.Equal(t, []int{2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019,
		2020, 2021, 2022, 2023, 2024, 2025, 2026}, c.PublishedYears())
}

// Hand-worked cases, each checked against the notice (or, for 2027, the statutory days of the 2024
// revision of 《全国年节及纪念日放假办法》). The receipt day is never counted; day 1 is the first working
// day after it (民法典 第二百零一条).
func TestAddWorkdaysHandWorked(t *testing.T) {
	c := China()
	tests := []struct {
		name        string
		received    string
		n           int
		want        string
		provisional bool
	}{
		// Spring Festival 2026: off Sun 15 – Mon 23 Feb, make-up working days Sat 14 and Sat 28 Feb.
		{"2026 春节: Thu before, plain next day", "2026-02-12 10:00", 1, "2026-02-13", false},
		{"2026 春节: Fri → make-up Saturday", "2026-02-13 16:30", 1, "2026-02-14", false},
		{"2026 春节: make-up Saturday → after the holiday", "2026-02-14 09:00", 1, "2026-02-24", false},
		{"2026 春节: receipt on 初一 (holiday)", "2026-02-17 11:00", 1, "2026-02-24", false},
		{"2026 春节: 5 days across the holiday", "2026-02-13 08:00", 5, "2026-02-27", false},
		{"2026 春节: 6th day is the make-up Saturday 28 Feb", "2026-02-13 08:00", 6, "2026-02-28", false},
		{"2026 春节: 7th day skips Sunday 1 Mar", "2026-02-13 08:00", 7, "2026-03-02", false},
		{"2026 春节: 15 days (complex matter) from Tue 10 Feb", "2026-02-10 14:00", 15, "2026-03-09", false},
		{"2026 春节: one back from the first day after", "2026-02-24 09:00", -1, "2026-02-14", false},
		// National Day 2025: off Wed 1 – Wed 8 Oct, make-up Sun 28 Sep and Sat 11 Oct.
		{"2025 国庆: Fri → make-up Sunday 28 Sep", "2025-09-26 17:00", 1, "2025-09-28", false},
		{"2025 国庆: eve of the holiday", "2025-09-30 12:00", 1, "2025-10-09", false},
		{"2025 国庆: receipt on 1 Oct", "2025-10-01 09:00", 1, "2025-10-09", false},
		{"2025 国庆: 3rd day is make-up Sat 11 Oct", "2025-09-30 12:00", 3, "2025-10-11", false},
		{"2025 国庆: 5 days", "2025-09-30 12:00", 5, "2025-10-14", false},
		// National Day and 中秋 2026: 中秋 Fri 25 Sep, off Thu 1 – Wed 7 Oct, make-up Sun 20 Sep, Sat 10 Oct.
		{"2026 国庆: eve of the holiday", "2026-09-30 10:00", 1, "2026-10-08", false},
		{"2026 中秋: Thu before 中秋", "2026-09-24 10:00", 1, "2026-09-28", false},
		{"2026 国庆: 3rd day is make-up Sat 10 Oct", "2026-09-30 10:00", 3, "2026-10-10", false},
		{"2026 中秋: make-up Sunday 20 Sep is day 1", "2026-09-19 10:00", 1, "2026-09-20", false},
		// Labour Day 2025: off Thu 1 – Mon 5 May, make-up Sun 27 Apr.
		{"2025 劳动节: eve", "2025-04-30 18:00", 1, "2025-05-06", false},
		{"2025 劳动节: Fri → make-up Sunday 27 Apr", "2025-04-25 10:00", 1, "2025-04-27", false},
		// Spring Festival 2025: off Tue 28 Jan – Tue 4 Feb, make-up Sun 26 Jan, Sat 8 Feb.
		{"2025 春节: receipt on 初一 late at night", "2025-01-29 23:59", 1, "2025-02-05", false},
		{"2025 春节: 3rd day is make-up Sat 8 Feb", "2025-02-05 10:00", 3, "2025-02-08", false},
		// National Day 2024 (received on a holiday Saturday): off 1–7 Oct, make-up Sat 12 Oct.
		{"2024 国庆: receipt on holiday Saturday", "2024-10-05 15:00", 1, "2024-10-08", false},
		{"2024 国庆: 5th day is make-up Sat 12 Oct", "2024-10-05 15:00", 5, "2024-10-12", false},
		// Year ends: the next year's notice carries late-December and New Year dates.
		{"2025→2026: 元旦 1–3 Jan, make-up Sun 4 Jan", "2025-12-31 16:00", 1, "2026-01-04", false},
		{"2025→2026: second day", "2025-12-31 16:00", 2, "2026-01-05", false},
		{"2018→2019: make-up Sat 29 Dec from 2019.json", "2018-12-28 10:00", 1, "2018-12-29", false},
		{"2018→2019: 30 Dec – 1 Jan off", "2018-12-28 10:00", 2, "2019-01-02", false},
		{"2007→2008: make-up Sat 29 Dec from 2008.json", "2007-12-28 10:00", 1, "2007-12-29", false},
		{"2007→2008: 30 Dec – 1 Jan off", "2007-12-29 10:00", 1, "2008-01-02", false},
		{"2022→2023: Sat 31 Dec off (2023.json), 2 Jan off", "2022-12-30 10:00", 1, "2023-01-03", false},
		{"2006→2007: make-up Sat 30 Dec from 2007.json (29 Dec is before the data)", "2006-12-29 10:00", 1, "2006-12-30", true},
		{"2006→2007: 1–3 Jan 2007 off", "2006-12-31 10:00", 1, "2007-01-04", false},
		// 2020: the extended Spring Festival; 2020-02-03 is listed isOffDay=false (see SOURCE.md).
		{"2020 春节 extension: first working day 3 Feb", "2020-01-23 10:00", 1, "2020-02-03", false},
		// Zero: the receipt day itself, holiday or not.
		{"n = 0 on a holiday", "2026-10-03 12:00", 0, "2026-10-03", false},
		// Provisional 2027 (2027.json is empty): statutory days of the 2024 revision plus weekends,
		// no make-up working days and no compensatory days guessed.
		{"2027 元旦 (Fri 1 Jan) provisional", "2026-12-31 10:00", 1, "2027-01-04", true},
		{"2027 春节: 除夕 Fri 5 Feb – 初三 Mon 8 Feb", "2027-02-04 10:00", 1, "2027-02-09", true},
		{"2027 清明 Mon 5 Apr", "2027-04-02 10:00", 1, "2027-04-06", true},
		{"2027 劳动节 Sat 1 – Sun 2 May: no compensatory day", "2027-04-30 10:00", 1, "2027-05-03", true},
		{"2027 端午 Wed 9 Jun", "2027-06-08 10:00", 1, "2027-06-10", true},
		{"2027 中秋 Wed 15 Sep", "2027-09-14 10:00", 1, "2027-09-16", true},
		{"2027 国庆 Fri 1 – Sun 3 Oct", "2027-09-30 10:00", 1, "2027-10-04", true},
		{"2026 receipt, 15 days into 2027", "2026-12-18 10:00", 15, "2027-01-11", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			received := calAt(t, tt.received)
			got := c.AddWorkdays(received, tt.n)
			assert.Equal(t, tt.want, got.Format(time.DateOnly))
			assert.Equal(t, calDate(got.Year(), got.Month(), got.Day()), got, "midnight in Asia/Shanghai")
			assert.Equal(t, tt.provisional, c.ProvisionalBetween(received, got))
			assert.Equal(t, tt.n, c.WorkdaysBetween(received, got), "round trip")
			if tt.n != 0 {
				assert.True(t, c.IsWorkday(got), "lands on a working day")
			}
		})
	}
}

func TestWorkdaysBetweenHandWorked(t *testing.T) {
	c := China()
	tests := []struct {
		a, b string
		want int
	}{
		{"2026-02-13", "2026-02-24", 2},       // Sat 14 (make-up) and Tue 24
		{"2026-02-24", "2026-02-13", -2},      // [13, 24): Fri 13 and Sat 14
		{"2025-12-31", "2026-01-05", 2},       // Sun 4 (make-up) and Mon 5
		{"2025-09-30", "2025-10-08", 0},       // the whole National Day holiday
		{"2025-09-30", "2025-10-31", 18},      // October 2025: 23 weekdays − 6 off + Sat 11
		{"2026-01-01", "2026-01-01", 0},       // same day
		{"2026-12-31 23:59", "2027-01-04", 1}, // provisional 元旦
		{"2026-01-01", "2027-01-01", 248},     // 2026: 261 weekdays − 19 off + 6 make-up days
	}
	for _, tt := range tests {
		a, b := calAt(t, tt.a), calAt(t, tt.b)
		assert.Equal(t, tt.want, c.WorkdaysBetween(a, b), "%s → %s", tt.a, tt.b)
		assert.Equal(t, refWorkdaysBetween(c, a, b), c.WorkdaysBetween(a, b), "%s → %s (reference)", tt.a, tt.b)
	}
}

// The 2020 quirk (data/holiday-cn/SOURCE.md): 2020-02-03, a Monday, is listed with isOffDay=false as
// the "work resumes" marker of the extension notice. It is a working day either way; its kind stays
// an ordinary working day, not a make-up one.
func TestQuirk20200203(t *testing.T) {
	c := China()
	d := c.Day(calDate(2020, 2, 3))
	assert.True(t, d.IsWorkday())
	assert.Equal(t, Workday, d.Kind)
	assert.Equal(t, "春节", d.Name)
	assert.False(t, d.Provisional)
	assert.False(t, c.IsWorkday(calDate(2020, 1, 31)), "extension day (国办发明电〔2020〕1号)")
	assert.Equal(t, AdjustedRestDay, c.Day(calDate(2020, 1, 31)).Kind)
}

func TestDayKinds(t *testing.T) {
	c := China()
	tests := []struct {
		date        time.Time
		kind        DayKind
		label, name string
		workday     bool
		provisional bool
	}{
		{calDate(2026, 3, 3), Workday, "工作日", "", true, false},
		{calDate(2026, 3, 7), RestDay, "休息日", "", false, false},
		{calDate(2026, 2, 14), MakeupWorkday, "调休上班", "春节", true, false},
		{calDate(2026, 2, 16), StatutoryHoliday, "法定节假日", "春节", false, false}, // 除夕 (2024 revision)
		{calDate(2026, 2, 19), StatutoryHoliday, "法定节假日", "春节", false, false}, // 初三
		{calDate(2026, 2, 20), AdjustedRestDay, "调休", "春节", false, false},     // 初四, a Friday given off
		{calDate(2026, 2, 23), AdjustedRestDay, "调休", "春节", false, false},     // Monday given off
		{calDate(2026, 2, 21), RestDay, "休息日", "春节", false, false},            // Saturday inside the holiday
		{calDate(2026, 10, 1), StatutoryHoliday, "法定节假日", "国庆节", false, false},
		{calDate(2026, 10, 6), AdjustedRestDay, "调休", "国庆节", false, false},
		{calDate(2015, 9, 3), AdjustedRestDay, "调休", "抗日战争暨世界反法西斯战争胜利70周年纪念日", false, false},
		{calDate(2014, 1, 30), Workday, "工作日", "", true, false}, // 除夕 2014 was a working day (2013 revision)
		{calDate(2027, 2, 5), StatutoryHoliday, "法定节假日", "春节", false, true},
		{calDate(2027, 5, 1), StatutoryHoliday, "法定节假日", "劳动节", false, true},
		{calDate(2027, 5, 3), Workday, "工作日", "", true, true},
		{calDate(2061, 1, 3), Workday, "工作日", "", true, true}, // beyond the table: weekends only
		{calDate(2061, 1, 1), RestDay, "休息日", "", false, true},
		{calDate(2000, 1, 1), RestDay, "休息日", "", false, true},
	}
	for _, tt := range tests {
		d := c.Day(tt.date.Add(13 * time.Hour))
		key := tt.date.Format(time.DateOnly)
		assert.Equal(t, tt.date, d.Date, key)
		assert.Equal(t, tt.kind, d.Kind, key)
		assert.Equal(t, tt.label, d.Kind.Label(), key)
		assert.Equal(t, tt.name, d.Name, key)
		assert.Equal(t, tt.workday, d.IsWorkday(), key)
		assert.Equal(t, tt.workday, d.Kind.IsWorkday(), key)
		assert.Equal(t, tt.provisional, d.Provisional, key)
		assert.False(t, d.Local, key)
	}
}

func TestDayKindText(t *testing.T) {
	for _, k := range DayKinds() {
		b, err := json.Marshal(k)
		require.NoError(t, err)
		var back DayKind
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, k, back)
		byLabel, err := ParseDayKind(k.Label())
		require.NoError(t, err)
		assert.Equal(t, k, byLabel)
		assert.True(t, k.Valid())
	}
	assert.Equal(t, "holiday", DayKind("holiday").String())
	assert.Equal(t, "未知(holiday)", DayKind("holiday").Label())
	assert.Equal(t, "未设置", DayKind("").Label())
	var k DayKind
	err := k.UnmarshalText([]byte("holiday"))
	assert.ErrorIs(t, err, ErrInvalidEnum)
	var ee *EnumError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "deadline.DayKind", ee.Type)
	for _, u := range Units() {
		v, err := ParseUnit(u.Label())
		require.NoError(t, err)
		assert.Equal(t, u, v)
	}
	for _, s := range States() {
		v, err := ParseState(s.Label())
		require.NoError(t, err)
		assert.Equal(t, s, v)
	}
}

// Dates are read in Asia/Shanghai whatever the location of the time passed in.
func TestReadsDatesInShanghai(t *testing.T) {
	c := China()
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	// Fri 13 Feb 2026 12:00 in New York is Sat 14 Feb 01:00 in Shanghai: a make-up working day.
	fri := time.Date(2026, 2, 13, 12, 0, 0, 0, ny)
	assert.True(t, c.IsWorkday(fri))
	assert.Equal(t, "2026-02-24", c.AddWorkdays(fri, 1).Format(time.DateOnly))
	assert.Equal(t, shanghai, c.AddWorkdays(fri, 1).Location())
	// 2026-09-30 16:30 UTC is 1 Oct 00:30 in Shanghai.
	utc := time.Date(2026, 9, 30, 16, 30, 0, 0, time.UTC)
	assert.False(t, c.IsWorkday(utc))
	assert.Equal(t, calDate(2026, 10, 1), c.AddWorkdays(utc, 0))
	assert.Equal(t, 0, c.WorkdaysBetween(utc, calDate(2026, 10, 7)))
}

// The fast path of civilOf (fixed UTC+8 since the end of daylight saving time in 1991) agrees with
// the time package's Asia/Shanghai rules, hour by hour across the last transitions and at random
// instants far away; civil.time agrees with time.Date.
func TestCivilFastPath(t *testing.T) {
	check := func(u time.Time) {
		y, m, d := u.In(shanghai).Date()
		want := civilFromDate(int64(y), m, d)
		if got := civilOf(u); got != want {
			t.Fatalf("civilOf(%v) = %v, want %v", u, got, want)
		}
	}
	for u := time.Date(1985, 1, 1, 0, 0, 0, 0, time.UTC); u.Before(time.Date(1993, 1, 1, 0, 0, 0, 0, time.UTC)); u = u.Add(time.Hour) {
		check(u)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		check(time.Unix(r.Int64N(12e9)-6e9, 0)) // about 1780 to 2160
	}
	check(time.Date(-3000, 1, 1, 0, 0, 0, 0, time.UTC))
	check(time.Date(1e6, 1, 1, 0, 0, 0, 0, time.UTC))
	assert.Equal(t, int64(shanghaiFixedSince), time.Date(1991, 9, 15, 1, 0, 0, 0, shanghai).Unix(),
		"last transition: 1991-09-15 02:00 CDT → 01:00 CST")
	_, off := time.Unix(shanghaiFixedSince-1, 0).In(shanghai).Zone()
	assert.Equal(t, 9*3600, off)
	for d := civil(-40000); d < 60000; d += 7 {
		y, m, dd := d.date()
		require.Equal(t, d, civilFromDate(y, m, dd))
		require.Equal(t, time.Date(int(y), m, dd, 0, 0, 0, 0, shanghai), d.time(), d.String())
		require.Equal(t, time.Date(int(y), m, dd, 0, 0, 0, 0, time.UTC).Weekday(), d.weekday())
	}
}

// Every working day lands where a day-by-day walk says, over the whole covered range and beyond it:
// the next and previous working day of every date, and whether each date counts.
func TestAgreesWithDayByDayOverTheRange(t *testing.T) {
	for _, c := range testCalendars(t) {
		from, to := c.lo-400, c.end+400
		next := civil(0)
		for d := to + 30; d >= from; d-- { // walk down, remembering the next working day
			if d <= to {
				got := civilOf(c.AddWorkdays(d.time(), 1))
				require.Equal(t, next, got, "next working day after %v", d)
				one := 0
				if c.workday(d) {
					one = 1
				}
				require.Equal(t, one, c.WorkdaysBetween((d-1).time(), d.time()), d.String())
			}
			if c.workday(d) {
				next = d
			}
		}
		prev := civil(0)
		for d := from - 30; d <= to; d++ {
			if d >= from {
				require.Equal(t, prev, civilOf(c.AddWorkdays(d.time(), -1)), "working day before %v", d)
			}
			if c.workday(d) {
				prev = d
			}
		}
	}
}

// testCalendars returns China() and a calendar with loaded notices and local overrides, so that the
// properties hold however the calendar was built.
func testCalendars(t testing.TB) []*Calendar {
	t.Helper()
	loaded, err := China().WithNotices(Notice{Year: 2027, Source: "2027-test.json", Days: []ScheduleDay{
		{Date: "2027-01-01", Off: true, Name: "元旦"},
		{Date: "2027-02-05", Off: true, Name: "春节"},
		{Date: "2027-02-20", Off: false, Name: "春节"},
	}})
	require.NoError(t, err)
	local, err := loaded.WithOverrides(
		ScheduleDay{Date: "2026-03-16", Off: true, Name: "local"},
		ScheduleDay{Date: "2026-03-21", Off: false, Name: "local"},
		ScheduleDay{Date: "2070-06-02", Off: true, Name: "far"}, // stretches the range
	)
	require.NoError(t, err)
	return []*Calendar{China(), local}
}

// Properties (random dates and counts, fixed seed): the round trip WorkdaysBetween(t,
// AddWorkdays(t, n)) == n, agreement with the day-by-day reference, results on working days,
// monotonicity in n and in t, and additivity of WorkdaysBetween.
func TestCalendarProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 12345))
	locs := []*time.Location{shanghai, time.UTC, time.FixedZone("UTC-11", -11*3600), time.FixedZone("UTC+14", 14*3600)}
	randTime := func() time.Time {
		// 1995 … 2075: before, inside and after the covered range.
		return time.Unix(788918400+r.Int64N(80*365*86400), 0).In(locs[r.IntN(len(locs))])
	}
	for _, c := range testCalendars(t) {
		for i := range 400 {
			tm := randTime()
			n := r.IntN(601) - 300
			if i%40 == 0 {
				n = r.IntN(6001) - 3000
			}
			got := c.AddWorkdays(tm, n)
			require.Equal(t, refAddWorkdays(c, tm, n), got, "AddWorkdays(%v, %d)", tm, n)
			require.Equal(t, n, c.WorkdaysBetween(tm, got), "round trip %v %d", tm, n)
			if n != 0 {
				require.True(t, c.IsWorkday(got))
			}
			require.True(t, c.AddWorkdays(tm, n+1).After(got), "monotonic in n")

			other := randTime()
			if other.Before(tm) {
				require.False(t, c.AddWorkdays(other, n).After(got), "monotonic in t")
			}
			require.Equal(t, refWorkdaysBetween(c, tm, tm.AddDate(0, 0, n)), c.WorkdaysBetween(tm, tm.AddDate(0, 0, n)))
			a, b, m := sorted3(tm, other, randTime())
			require.Equal(t, c.WorkdaysBetween(a, m)+c.WorkdaysBetween(m, b), c.WorkdaysBetween(a, b), "additive")
		}
	}
}

func sorted3(a, b, c time.Time) (lo, hi, mid time.Time) {
	if b.Before(a) {
		a, b = b, a
	}
	if c.Before(a) {
		a, c = c, a
	}
	if c.Before(b) {
		b, c = c, b
	}
	return a, c, b
}

func TestProvisional(t *testing.T) {
	c := China()
	assert.False(t, c.IsProvisional(calDate(2026, 12, 31)))
	assert.True(t, c.IsProvisional(calDate(2027, 1, 1)))
	assert.True(t, c.IsProvisional(calDate(2070, 1, 1)))
	assert.True(t, c.IsProvisional(calDate(2006, 12, 29)), "before the data")
	assert.False(t, c.IsProvisional(calDate(2006, 12, 30)), "listed in 2007.json")
	assert.False(t, c.ProvisionalBetween(calDate(2026, 12, 31), calDate(2007, 1, 1)))
	assert.True(t, c.ProvisionalBetween(calDate(2026, 12, 31), calDate(2027, 1, 1)))
	assert.True(t, c.ProvisionalBetween(calDate(2027, 1, 4), calDate(2026, 12, 31)), "either order")
	assert.True(t, c.ProvisionalBetween(calDate(2000, 1, 1), calDate(2001, 1, 1)))

	// A later notice covering only 2028 (2027 still unpublished) leaves a provisional gap.
	later, err := c.WithNotices(Notice{Year: 2028, Days: []ScheduleDay{{Date: "2028-01-01", Off: true}}})
	require.NoError(t, err)
	assert.True(t, later.IsProvisional(calDate(2027, 6, 1)))
	assert.False(t, later.IsProvisional(calDate(2028, 6, 1)))
	assert.True(t, later.ProvisionalBetween(calDate(2026, 6, 1), calDate(2028, 6, 1)))
	assert.False(t, later.ProvisionalBetween(calDate(2028, 1, 1), calDate(2028, 12, 31)))
	assert.True(t, later.ProvisionalBetween(calDate(2028, 1, 1), calDate(2029, 1, 1)))
}

// Large counts and far dates neither panic nor break the round trip.
func TestExtremes(t *testing.T) {
	c := China()
	start := calDate(2026, 5, 6)
	for _, n := range []int{1e6, -1e6, 1e9, -1e9} {
		got := c.AddWorkdays(start, n)
		assert.Equal(t, n, c.WorkdaysBetween(start, got), "n=%d", n)
		assert.True(t, c.IsWorkday(got))
	}
	for _, n := range []int{math.MaxInt, math.MinInt} {
		got := c.AddWorkdays(start, n) // clamped, but still ordered and on a working day
		assert.True(t, c.IsWorkday(got))
		assert.Equal(t, n > 0, got.After(start))
	}
	far := time.Date(1e8, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, 5, c.WorkdaysBetween(far, c.AddWorkdays(far, 5)))
	assert.True(t, c.IsProvisional(far))
}

// China() is one immutable calendar, safe for concurrent use (run with -race).
func TestChinaConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	results := make([]time.Time, 8)
	for i := range results {
		wg.Go(func() {
			c := China()
			results[i] = c.AddWorkdays(calDate(2026, 9, 30), 15)
			_ = c.PublishedYears()
			_ = c.Day(calDate(2027, 2, 5))
		})
	}
	wg.Wait()
	for _, r := range results {
		assert.Equal(t, "2026-10-27", r.Format(time.DateOnly))
	}
	assert.Same(t, China(), China())
	ys := China().PublishedYears()
	ys[0] = 1900
	assert.Equal(t, 2007, China().PublishedYears()[0], "PublishedYears returns a copy")
}

// FuzzAddWorkdays checks AddWorkdays and WorkdaysBetween against the day-by-day reference over the
// whole covered range and beyond it (1990 … 2090), from any location.
func FuzzAddWorkdays(f *testing.F) {
	f.Add(int64(1791331200), int16(1), int8(0))   // 2026-10-08
	f.Add(int64(1771084800), int16(-15), int8(8)) // 2026-02-15
	f.Add(int64(1798761600), int16(250), int8(-5))
	f.Add(int64(2871000000), int16(-2500), int8(3)) // 2060s
	f.Add(int64(631152000), int16(40), int8(0))     // 1990, before the data
	c := China()
	f.Fuzz(func(t *testing.T, unix int64, n int16, zone int8) {
		const lo, hi = 631152000, 3786825600 // 1990-01-01 … 2090-01-01
		unix = lo + ((unix%(hi-lo))+(hi-lo))%(hi-lo)
		tm := time.Unix(unix, 0).In(time.FixedZone("z", int(zone%15)*3600))
		k := int(n) % 3000
		got := c.AddWorkdays(tm, k)
		if want := refAddWorkdays(c, tm, k); !got.Equal(want) || got.Location() != shanghai {
			t.Fatalf("AddWorkdays(%v, %d) = %v, want %v", tm, k, got, want)
		}
		if back := c.WorkdaysBetween(tm, got); back != k {
			t.Fatalf("WorkdaysBetween(%v, %v) = %d, want %d", tm, got, back, k)
		}
		other := tm.AddDate(0, 0, int(n)%400)
		if got, want := c.WorkdaysBetween(tm, other), refWorkdaysBetween(c, tm, other); got != want {
			t.Fatalf("WorkdaysBetween(%v, %v) = %d, want %d", tm, other, got, want)
		}
	})
}

// The zero Calendar does not panic: it knows weekends only, every date is provisional, and notices
// can be loaded into it.
func TestZeroCalendar(t *testing.T) {
	var c Calendar
	for _, d := range []time.Time{calDate(1970, 1, 1), calDate(1970, 1, 3), calDate(2025, 10, 1), calDate(1960, 5, 5)} {
		wd := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		assert.Equal(t, wd, c.IsWorkday(d), d)
		assert.True(t, c.IsProvisional(d), d)
		assert.Equal(t, wd, c.Day(d).IsWorkday(), d)
		for _, n := range []int{-7, -1, 0, 1, 7} {
			got := c.AddWorkdays(d, n)
			assert.Equal(t, refAddWorkdays(&c, d, n), got, "%v %d", d, n)
			assert.Equal(t, n, c.WorkdaysBetween(d, got), "%v %d", d, n)
		}
	}
	assert.Equal(t, "1970-01-05", c.AddWorkdays(calDate(1970, 1, 1), 2).Format(time.DateOnly)) // Thu → Fri, Mon
	assert.True(t, c.ProvisionalBetween(calDate(2025, 1, 1), calDate(2025, 1, 2)))
	assert.Empty(t, c.PublishedYears())
	st, err := c.Status(StreetHotline(), Stage{Key: FirstContact, Start: sh(2025, 9, 30, 10, 0)}, sh(2025, 9, 30, 11, 0))
	require.NoError(t, err)
	assert.Equal(t, "2025-10-01", st.Due.LastDay.Format(time.DateOnly), "weekends only: 国庆 unknown")
	assert.True(t, st.Provisional)

	loaded, err := c.WithNotices(Notice{Year: 2025, Days: []ScheduleDay{{Date: "2025-10-01", Off: true}}})
	require.NoError(t, err)
	assert.False(t, loaded.IsWorkday(calDate(2025, 10, 1)))
	assert.False(t, loaded.IsProvisional(calDate(2025, 10, 1)))
	assert.True(t, c.IsWorkday(calDate(2025, 10, 1)), "the zero Calendar is unchanged")
}
