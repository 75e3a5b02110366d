package deadline

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The table covers 2007 … 2060, one row a year, in order.
func TestLunarTableShape(t *testing.T) {
	require.Len(t, lunarTable, lunarLastYear-lunarFirstYear+1)
	for i, row := range lunarTable {
		y := int64(lunarFirstYear + i)
		require.Equal(t, y, int64(row.year))
		spring := civilFromDate(y, time.Month(row.springMonth), int(row.springDay))
		// 正月初一 falls between 21 January and 20 February.
		assert.True(t, spring >= civilFromDate(y, 1, 21) && spring <= civilFromDate(y, 2, 20), "%d 初一 %v", y, spring)
		// 清明 is 4 or 5 April in this century.
		assert.Contains(t, []uint8{4, 5}, row.qingmingDay, "%d 清明", y)
	}
}

// Cross-check against the notices: under the revision of 《全国年节及纪念日放假办法》 in force each year
// (1999: 2007; 2007: 2008–2013; 2013: 2014–2024; 2024: from 2025), every statutory day the table gives
// is a day off in the official data. For 2025 and 2026 this checks the 2024 revision's 除夕–初三 and
// 1–2 May exactly as the provisional years use them.
func TestLunarTableAgreesWithNotices(t *testing.T) {
	official := officialDays(t)
	for y := 2007; y <= 2026; y++ {
		days := statutoryHolidays(y)
		require.NotEmpty(t, days, y)
		for _, s := range days {
			key := s.date.String()
			wd := s.date.weekday()
			off, listed := official[key]
			if !listed {
				off = wd == time.Saturday || wd == time.Sunday
			}
			assert.True(t, off, "%d: statutory %s on %s is not a day off in the notice", y, s.name, key)
			assert.Equal(t, StatutoryHoliday, China().Day(s.date.time()).Kind, key)
		}
	}
	// The count of statutory days per revision: 10 (1999), 11 (2007), 11 (2013), 13 (2024).
	assert.Len(t, statutoryHolidays(2007), 10)
	assert.Len(t, statutoryHolidays(2013), 11)
	assert.Len(t, statutoryHolidays(2024), 11)
	assert.Len(t, statutoryHolidays(2025), 13)
	assert.Len(t, statutoryHolidays(2060), 13)
	assert.Nil(t, statutoryHolidays(2006))
	assert.Nil(t, statutoryHolidays(2061))
}

// Known dates, checked against published calendars.
func TestLunarTableKnownDates(t *testing.T) {
	row := func(y int) lunarYear { return lunarTable[y-lunarFirstYear] }
	tests := []struct {
		what string
		got  civil
		want string
	}{
		{"2027 春节", spring(row(2027)), "2027-02-06"},
		{"2028 春节", spring(row(2028)), "2028-01-26"},
		{"2030 春节", spring(row(2030)), "2030-02-03"},
		{"2050 春节", spring(row(2050)), "2050-01-23"},
		{"2026 春节", spring(row(2026)), "2026-02-17"},
		{"2020 中秋 (1 Oct)", civilFromDate(2020, time.Month(row(2020).midAutumnMonth), int(row(2020).midAutumnDay)), "2020-10-01"},
		{"2027 清明", civilFromDate(2027, 4, int(row(2027).qingmingDay)), "2027-04-05"},
		{"2027 端午", civilFromDate(2027, time.Month(row(2027).duanwuMonth), int(row(2027).duanwuDay)), "2027-06-09"},
		{"2027 中秋", civilFromDate(2027, time.Month(row(2027).midAutumnMonth), int(row(2027).midAutumnDay)), "2027-09-15"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got.String(), tt.what)
	}
	var got []string
	for _, s := range statutoryHolidays(2027) {
		got = append(got, s.date.String()+" "+s.name)
	}
	assert.Equal(t, []string{
		"2027-01-01 元旦",
		"2027-02-05 春节", "2027-02-06 春节", "2027-02-07 春节", "2027-02-08 春节", // 除夕 … 初三
		"2027-04-05 清明节",
		"2027-05-01 劳动节", "2027-05-02 劳动节",
		"2027-06-09 端午节",
		"2027-09-15 中秋节",
		"2027-10-01 国庆节", "2027-10-02 国庆节", "2027-10-03 国庆节",
	}, got)
}

func spring(r lunarYear) civil {
	return civilFromDate(int64(r.year), time.Month(r.springMonth), int(r.springDay))
}

// An independent astronomical check: 正月初一, 五月初一 (端午 − 4) and 八月初一 (中秋 − 14) are the days of
// new moons in China Standard Time, so each lies within a day of a mean new moon (Meeus, Astronomical
// Algorithms, ch. 49; the true new moon is within about 14 hours of the mean one).
func TestLunarTableNewMoons(t *testing.T) {
	near := func(d civil) bool {
		const jd1970 = 2440587.5
		jd := float64(d) + jd1970 + 0.5 - 8.0/24 // noon, China Standard Time
		k := math.Round((jd - 2451550.09766) / 29.530588861)
		moon := 2451550.09766 + 29.530588861*k
		moonDay := civil(math.Floor(moon - jd1970 + 8.0/24))
		return moonDay >= d-1 && moonDay <= d+1
	}
	for _, r := range lunarTable {
		y := int64(r.year)
		duanwu := civilFromDate(y, time.Month(r.duanwuMonth), int(r.duanwuDay))
		midAutumn := civilFromDate(y, time.Month(r.midAutumnMonth), int(r.midAutumnDay))
		assert.True(t, near(spring(r)), "%d 正月初一 %v", y, spring(r))
		assert.True(t, near(duanwu-4), "%d 五月初一 %v", y, duanwu-4)
		assert.True(t, near(midAutumn-14), "%d 八月初一 %v", y, midAutumn-14)
		// 五月 is four or five lunar months after 正月 (a leap month between), 八月 three more.
		months := float64(duanwu-4-spring(r)) / 29.530588861
		assert.True(t, math.Abs(months-4) < 0.1 || math.Abs(months-5) < 0.1, "%d 端午: %.2f months", y, months)
		months = float64(midAutumn-14-(duanwu-4)) / 29.530588861
		assert.True(t, math.Abs(months-3) < 0.1 || math.Abs(months-4) < 0.1, "%d 中秋: %.2f months", y, months)
	}
}

// 《全国年节及纪念日放假办法》: which revision governs which year.
func TestLawFor(t *testing.T) {
	assert.Equal(t, 2000, lawFor(1990).from)
	assert.Equal(t, 2000, lawFor(2007).from)
	assert.Equal(t, 2008, lawFor(2013).from)
	assert.Equal(t, 2014, lawFor(2024).from)
	assert.Equal(t, 2025, lawFor(2025).from)
	assert.Equal(t, 2025, lawFor(2060).from)
	assert.Equal(t, 4, lawFor(2027).springDays)
	assert.Equal(t, 2, lawFor(2027).labourDays)
}
