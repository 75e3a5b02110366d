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

// A second, exact astronomical check of every row: the true new moons (Meeus, Astronomical
// Algorithms, 2nd ed., ch. 49, with the periodic and planetary terms; accurate to a few minutes) fall
// on the days the table gives for 正月初一, 五月初一 (端午 − 4) and 八月初一 (中秋 − 14), and the Sun
// reaches longitude 15° (清明; ch. 25, accurate to about a quarter of an hour) on the table's day, in
// China Standard Time. An event within 30 minutes of midnight is too close to call with these
// formulas and may fall on either neighbouring day (2027's 正月初一 is one: new moon 23:56 on 6 Feb).
func TestLunarTableTrueNewMoons(t *testing.T) {
	// cst returns the China Standard Time date of Julian Ephemeris Day jde and whether the instant is
	// within 30 minutes of midnight.
	cst := func(jde float64, year int) (civil, bool) {
		u := float64(year - 2000)
		deltaT := 62.92 + 0.32217*u + 0.005589*u*u // seconds, TT − UT (Espenak–Meeus, 2005–2050)
		days := jde - deltaT/86400 - 2440587.5 + 8.0/24
		d := math.Floor(days)
		frac := days - d
		return civil(d), frac < 30.0/1440 || frac > 1-30.0/1440
	}
	type moon struct {
		day   civil
		close bool
	}
	var moons []moon
	for k := 80; k < 800; k++ { // 2006 … 2064
		d, close := cst(trueNewMoon(float64(k)), 2000+k*100/1237)
		moons = append(moons, moon{d, close})
	}
	isNewMoonDay := func(d civil) bool {
		for _, m := range moons {
			if m.day == d || (m.close && (m.day == d-1 || m.day == d+1)) {
				return true
			}
		}
		return false
	}
	for _, r := range lunarTable {
		y := int64(r.year)
		duanwu := civilFromDate(y, time.Month(r.duanwuMonth), int(r.duanwuDay))
		midAutumn := civilFromDate(y, time.Month(r.midAutumnMonth), int(r.midAutumnDay))
		assert.True(t, isNewMoonDay(spring(r)), "%d 正月初一 %v", y, spring(r))
		assert.True(t, isNewMoonDay(duanwu-4), "%d 五月初一 %v", y, duanwu-4)
		assert.True(t, isNewMoonDay(midAutumn-14), "%d 八月初一 %v", y, midAutumn-14)

		qm, close := cst(qingmingJDE(int(y)), int(y))
		want := civilFromDate(y, time.April, int(r.qingmingDay))
		assert.True(t, qm == want || (close && (qm == want-1 || qm == want+1)), "%d 清明 %v, table %v", y, qm, want)
	}
}

// trueNewMoon returns the Julian Ephemeris Day of the new moon of lunation k (k = 0: 2000-01-06),
// Meeus ch. 49.
func trueNewMoon(k float64) float64 {
	rad := math.Pi / 180
	T := k / 1236.85
	jde := 2451550.09766 + 29.530588861*k + 0.00015437*T*T - 0.000000150*T*T*T + 0.00000000073*T*T*T*T
	E := 1 - 0.002516*T - 0.0000074*T*T
	M := rad * (2.5534 + 29.10535670*k - 0.0000014*T*T - 0.00000011*T*T*T)
	Mp := rad * (201.5643 + 385.81693528*k + 0.0107582*T*T + 0.00001238*T*T*T - 0.000000058*T*T*T*T)
	F := rad * (160.7108 + 390.67050284*k - 0.0016118*T*T - 0.00000227*T*T*T + 0.000000011*T*T*T*T)
	Om := rad * (124.7746 - 1.56375588*k + 0.0020672*T*T + 0.00000215*T*T*T)
	s := math.Sin
	jde += -0.40720*s(Mp) + 0.17241*E*s(M) + 0.01608*s(2*Mp) + 0.01039*s(2*F) +
		0.00739*E*s(Mp-M) - 0.00514*E*s(Mp+M) + 0.00208*E*E*s(2*M) - 0.00111*s(Mp-2*F) -
		0.00057*s(Mp+2*F) + 0.00056*E*s(2*Mp+M) - 0.00042*s(3*Mp) + 0.00042*E*s(M+2*F) +
		0.00038*E*s(M-2*F) - 0.00024*E*s(2*Mp-M) - 0.00017*s(Om) - 0.00007*s(Mp+2*M) +
		0.00004*s(2*Mp-2*F) + 0.00004*s(3*M) + 0.00003*s(Mp+M-2*F) + 0.00003*s(2*Mp+2*F) -
		0.00003*s(Mp+M+2*F) + 0.00003*s(Mp-M+2*F) - 0.00002*s(Mp-M-2*F) - 0.00002*s(3*Mp+M) +
		0.00002*s(4*Mp)
	planetary := [...]struct{ c, a, b float64 }{
		{0.000325, 299.77, 0.107408}, {0.000165, 251.88, 0.016321}, {0.000164, 251.83, 26.651886},
		{0.000126, 349.42, 36.412478}, {0.000110, 84.66, 18.206239}, {0.000062, 141.74, 53.303771},
		{0.000060, 207.14, 2.453732}, {0.000056, 154.84, 7.306860}, {0.000047, 34.52, 27.261239},
		{0.000042, 207.19, 0.121824}, {0.000040, 291.34, 1.844379}, {0.000037, 161.72, 24.198154},
		{0.000035, 239.56, 25.513099}, {0.000023, 331.55, 3.592518},
	}
	for i, p := range planetary {
		a := p.a + p.b*k
		if i == 0 {
			a -= 0.009173 * T * T
		}
		jde += p.c * s(rad*a)
	}
	return jde
}

// qingmingJDE returns the Julian Ephemeris Day at which the Sun's apparent longitude is 15° in
// April of year (清明), Meeus ch. 25 (low accuracy), by Newton's method.
func qingmingJDE(year int) float64 {
	rad := math.Pi / 180
	lon := func(jde float64) float64 {
		T := (jde - 2451545.0) / 36525
		L0 := 280.46646 + 36000.76983*T + 0.0003032*T*T
		M := rad * (357.52911 + 35999.05029*T - 0.0001537*T*T)
		C := (1.914602-0.004817*T-0.000014*T*T)*math.Sin(M) + (0.019993-0.000101*T)*math.Sin(2*M) +
			0.000289*math.Sin(3*M)
		om := rad * (125.04 - 1934.136*T)
		return math.Mod(L0+C-0.00569-0.00478*math.Sin(om), 360)
	}
	jde := 2451545.0 + float64(year-2000)*365.2422 + 95
	for range 50 {
		d := math.Mod(15-lon(jde)+540, 360) - 180
		jde += d * 365.2422 / 360
	}
	return jde
}
