package deadline_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// The official calendar counts across National Day 2026 (off 1–7 October, make-up working day
// Saturday 10 October).
func ExampleChina() {
	cal := deadline.China()
	received := time.Date(2026, 9, 30, 16, 20, 0, 0, deadline.Location())
	for _, n := range []int{1, 3, 5} {
		fmt.Println(n, cal.AddWorkdays(received, n).Format("2006-01-02 Mon"))
	}
	fmt.Println(cal.PublishedYears()[0], "…", cal.PublishedYears()[len(cal.PublishedYears())-1])
	// Output:
	// 1 2026-10-08 Thu
	// 3 2026-10-10 Sat
	// 5 2026-10-13 Tue
	// 2007 … 2026
}

// A receipt on a holiday: day 1 is the first working day after it (民法典 第二百零一条). The time's own
// location does not matter: dates are read in Asia/Shanghai.
func ExampleCalendar_AddWorkdays() {
	cal := deadline.China()
	// 2026-02-16 22:00 in UTC is 2026-02-17 06:00 in Shanghai: 正月初一.
	received := time.Date(2026, 2, 16, 22, 0, 0, 0, time.UTC)
	fmt.Println(cal.AddWorkdays(received, 1).Format(time.DateOnly))
	fmt.Println(cal.AddWorkdays(received, 0).Format(time.DateOnly))
	fmt.Println(cal.AddWorkdays(received, -1).Format(time.DateOnly), "(make-up Saturday)")
	// Output:
	// 2026-02-24
	// 2026-02-17
	// 2026-02-14 (make-up Saturday)
}

func ExampleCalendar_WorkdaysBetween() {
	cal := deadline.China()
	sh := deadline.Location()
	a := time.Date(2025, 9, 30, 9, 0, 0, 0, sh)
	b := time.Date(2025, 10, 14, 18, 0, 0, 0, sh)
	fmt.Println(cal.WorkdaysBetween(a, b)) // 9, 10, 11 (make-up), 13, 14 October
	fmt.Println(cal.WorkdaysBetween(b, a)) // 30 September, 9, 10, 11, 13 October
	fmt.Println(cal.WorkdaysBetween(a, cal.AddWorkdays(a, 15)))
	// Output:
	// 5
	// -5
	// 15
}

func ExampleCalendar_Day() {
	cal := deadline.China()
	for _, d := range []string{"2026-02-14", "2026-02-16", "2026-02-20", "2026-02-21", "2026-02-24", "2027-02-05"} {
		t, _ := time.ParseInLocation(time.DateOnly, d, deadline.Location())
		day := cal.Day(t)
		fmt.Println(d, day.Kind.Label(), day.Name, day.IsWorkday(), day.Provisional)
	}
	// Output:
	// 2026-02-14 调休上班 春节 true false
	// 2026-02-16 法定节假日 春节 false false
	// 2026-02-20 调休 春节 false false
	// 2026-02-21 休息日 春节 false false
	// 2026-02-24 工作日  true false
	// 2027-02-05 法定节假日 春节 false true
}

// Beyond the published notices, the statutory holidays of the 2024 revision of
// 《全国年节及纪念日放假办法》 and weekends are used, and the result says it is provisional.
func ExampleCalendar_ProvisionalBetween() {
	cal := deadline.China()
	received := time.Date(2026, 12, 30, 10, 0, 0, 0, deadline.Location())
	due := cal.AddWorkdays(received, 2)
	fmt.Println(due.Format("2006-01-02 Mon"), cal.ProvisionalBetween(received, due))
	fmt.Println(cal.IsProvisional(received), cal.IsProvisional(due))
	// Output:
	// 2027-01-04 Mon true
	// false true
}

// When the 2027 notice is published, load it (here in the package's own format; ParseHolidayCN and
// LoadHolidayCN read the holiday-cn files).
func ExampleCalendar_WithNotices() {
	notice, err := deadline.ParseNotice("2027.json", []byte(`{"year": 2027, "days": [
		{"date": "2027-01-01", "off": true, "name": "元旦"},
		{"date": "2027-02-05", "off": true, "name": "春节"},
		{"date": "2027-02-08", "off": true, "name": "春节"},
		{"date": "2027-02-09", "off": true, "name": "春节"},
		{"date": "2027-02-20", "off": false, "name": "春节"}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	cal, err := deadline.China().WithNotices(notice)
	if err != nil {
		fmt.Println(err)
		return
	}
	sat := time.Date(2027, 2, 20, 0, 0, 0, 0, deadline.Location())
	fmt.Println(cal.IsWorkday(sat), cal.IsProvisional(sat), cal.PublishedYears()[len(cal.PublishedYears())-1])
	// Output:
	// true false 2027
}

// A district gives a local day off and makes a Saturday a working day.
func ExampleCalendar_WithOverrides() {
	cal, err := deadline.China().WithOverrides(
		deadline.ScheduleDay{Date: "2026-03-16", Off: true, Name: "区庆"},
		deadline.ScheduleDay{Date: "2026-03-21", Off: false, Name: "补班"},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fri := time.Date(2026, 3, 13, 9, 0, 0, 0, deadline.Location())
	fmt.Println(cal.AddWorkdays(fri, 1).Format(time.DateOnly), cal.AddWorkdays(fri, 5).Format(time.DateOnly))
	fmt.Println(deadline.China().AddWorkdays(fri, 1).Format(time.DateOnly))
	// Output:
	// 2026-03-17 2026-03-21
	// 2026-03-16
}

// Bad data is refused with an error naming the file, the date and the problem.
func ExampleParseHolidayCN() {
	_, err := deadline.ParseHolidayCN("2026.json", []byte(`{"year": 2026, "days": [
		{"name": "劳动节", "date": "2024-05-01", "isOffDay": true}]}`))
	fmt.Println(err)
	fmt.Println(errors.Is(err, deadline.ErrYearMismatch))
	var se *deadline.ScheduleError
	if errors.As(err, &se) {
		fmt.Println(se.File, se.Date)
	}
	// Output:
	// deadline: 2026.json: date "2024-05-01": more than 14 days outside notice year 2026
	// true
	// 2026.json 2024-05-01
}
