package deadline

import "time"

// Names of the statutory holidays, spelled as the State Council notices (and the holiday-cn data)
// spell them.
const (
	nameNewYear       = "元旦"
	nameSpring        = "春节"
	nameQingming      = "清明节"
	nameLabour        = "劳动节"
	nameDuanwu        = "端午节"
	nameMidAutumn     = "中秋节"
	nameNationalDay   = "国庆节"
	lunarFirstYear    = 2007
	lunarLastYear     = 2060
	provisionalLawMin = 2025 // first year of the 2024 revision
)

// lunarYear is one row of [lunarTable]: the solar dates of 正月初一, 清明 (always in April), 五月初五 and
// 八月十五 of year.
type lunarYear struct {
	year                         int16
	springMonth, springDay       uint8
	qingmingDay                  uint8
	duanwuMonth, duanwuDay       uint8
	midAutumnMonth, midAutumnDay uint8
}

// lawRevision is one revision of 《全国年节及纪念日放假办法》, as far as the holidays of all citizens
// (全体公民放假的节日) go.
type lawRevision struct {
	from       int    // first calendar year the revision governs
	title      string // the decree
	springEve  bool   // 除夕 is a day off
	springDays int    // days off counted from 除夕 (springEve) or from 正月初一
	labourDays int    // days off from 1 May
	lunarDays  bool   // 清明, 端午 and 中秋 are days off
}

// lawRevisions lists the revisions in force since 2000, oldest first. Each governs the years from its
// from until the next one's.
var lawRevisions = [...]lawRevision{
	// 1999 revision (国务院令第270号): 元旦 1, 春节 3 (初一–初三), 劳动节 3, 国庆节 3.
	{from: 2000, title: "国务院令第270号 (1999)", springDays: 3, labourDays: 3},
	// 2007 revision (国务院令第513号, in force 2008-01-01): 春节 除夕–初二, 劳动节 1, adds 清明, 端午, 中秋.
	{from: 2008, title: "国务院令第513号 (2007)", springEve: true, springDays: 3, labourDays: 1, lunarDays: true},
	// 2013 revision (国务院令第644号, in force 2014-01-01): 春节 初一–初三.
	{from: 2014, title: "国务院令第644号 (2013)", springDays: 3, labourDays: 1, lunarDays: true},
	// 2024 revision (国务院令第795号, in force 2025-01-01): 春节 除夕–初三, 劳动节 1–2 May.
	{from: 2025, title: "国务院令第795号 (2024)", springEve: true, springDays: 4, labourDays: 2, lunarDays: true},
}

// lawFor returns the revision governing year (the oldest one for years before 2000).
func lawFor(year int) lawRevision {
	law := lawRevisions[0]
	for _, r := range lawRevisions {
		if year >= r.from {
			law = r
		}
	}
	return law
}

// statutoryDay is one statutory day off.
type statutoryDay struct {
	date civil
	name string
}

// statutoryHolidays returns the statutory days off of year under the revision of
// 《全国年节及纪念日放假办法》 that governs it, in date order except where two holidays meet (2020, when 中秋
// was 1 October). It returns nil for years outside the lunar table (2007–2060): without the lunar dates
// the set would be incomplete, and the calendar then knows weekends only.
func statutoryHolidays(year int) []statutoryDay {
	if year < lunarFirstYear || year > lunarLastYear {
		return nil
	}
	row := lunarTable[year-lunarFirstYear]
	law := lawFor(year)
	day := func(m time.Month, d int) civil { return civilFromDate(int64(year), m, d) }
	var out []statutoryDay
	add := func(first civil, n int, name string) {
		for i := range n {
			out = append(out, statutoryDay{first + civil(i), name})
		}
	}
	add(day(time.January, 1), 1, nameNewYear)
	spring := day(time.Month(row.springMonth), int(row.springDay))
	if law.springEve {
		spring--
	}
	add(spring, law.springDays, nameSpring)
	if law.lunarDays {
		add(day(time.April, int(row.qingmingDay)), 1, nameQingming)
	}
	add(day(time.May, 1), law.labourDays, nameLabour)
	if law.lunarDays {
		add(day(time.Month(row.duanwuMonth), int(row.duanwuDay)), 1, nameDuanwu)
		add(day(time.Month(row.midAutumnMonth), int(row.midAutumnDay)), 1, nameMidAutumn)
	}
	add(day(time.October, 1), 3, nameNationalDay)
	return out
}
