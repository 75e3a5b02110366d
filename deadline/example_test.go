package deadline_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// Counting "within 1 working day" of a receipt just before the 2025 National Day holiday
// (民法典 第二百零一条: the receipt day is not counted).
func ExampleCalendar_Due() {
	cal := deadline.China()
	received := time.Date(2025, 9, 30, 10, 0, 0, 0, deadline.Location())

	d := cal.Due(received, deadline.Period{Days: 1, Unit: deadline.WorkingDays}, deadline.Counting{})
	fmt.Println(d.At.Format(time.DateTime))
	fmt.Println(d.Explanation)
	// Output:
	// 2025-10-10 00:00:00
	// received 2025-09-30 10:00 (Tue); day 1 = 2025-10-09; 1 working day; ends 2025-10-09 24:00
}

// A district with a 17:00 daily cut-off whose periods end when business stops at 17:30
// (民法典 第二百零三条第二款).
func ExampleCalendar_Due_cutoff() {
	cal := deadline.China()
	rule := deadline.Counting{Cutoff: deadline.NewTimeOfDay(17, 0), BusinessClose: deadline.NewTimeOfDay(17, 30)}
	received := time.Date(2025, 9, 30, 18, 5, 0, 0, deadline.Location())

	d := cal.Due(received, deadline.Period{Days: 0, Unit: deadline.SameDay}, rule)
	fmt.Println(d.Explanation)
	// Output:
	// received 2025-09-30 18:05 (Tue), at or after the 17:00 cut-off: counts as received 2025-10-09; same day; ends 2025-10-09 17:30 (business close)
}

// The street hotline preset of 004 第八条, 第九条, 第十一条.
func ExampleStreetHotline() {
	p := deadline.StreetHotline()
	for _, l := range p.Limits {
		fmt.Printf("%-17s %-16s %s\n", l.Key, l.Period, l.Source)
	}
	// Output:
	// first_contact     1 working day    004 §8 (一)
	// reply_quick       1 working day    004 §8 (二)
	// reply_general     5 working days   004 §8 (二); 004 §9 第一款
	// reply_complex     10 working days  004 §8 (二); 004 §9 第二款
	// extension_general 3 working days   004 §9 第一款
	// extension_complex 5 working days   004 §9 第二款
	// reopen            3 working days   004 §11
}

// A ticket's reply stage under the street hotline: due soon on its last day, overdue after it.
func ExampleCalendar_Status() {
	cal := deadline.China()
	p := deadline.StreetHotline()
	stage := deadline.Stage{Key: deadline.ReplyGeneral, Start: time.Date(2025, 9, 30, 10, 0, 0, 0, deadline.Location())}

	for _, day := range []int{9, 14, 16} {
		now := time.Date(2025, 10, day, 12, 0, 0, 0, deadline.Location())
		st, err := cal.Status(p, stage, now)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %s (%s), remaining %d, due %s\n", now.Format(time.DateOnly), st.State, st.State.Label(),
			st.Remaining, st.Due.At.Format(time.DateTime))
	}
	// Output:
	// 2025-10-09: pending (办理中), remaining 4, due 2025-10-15 00:00:00
	// 2025-10-14: due_soon (预警), remaining 0, due 2025-10-15 00:00:00
	// 2025-10-16: overdue (超期), remaining -2, due 2025-10-15 00:00:00
}

// 004 §9: an extension of a general matter must be requested within 3 working days of receipt and
// extends the reply to at most 10 working days.
func ExampleCalendar_Extend() {
	cal := deadline.China()
	p := deadline.StreetHotline()
	stage := deadline.Stage{Key: deadline.ReplyGeneral, Start: time.Date(2025, 9, 30, 10, 0, 0, 0, deadline.Location())}

	e, err := cal.Extend(p, stage, 10, time.Date(2025, 10, 10, 9, 0, 0, 0, deadline.Location()))
	fmt.Println(e.Due.LastDay.Format(time.DateOnly), e.Approvals, err)

	_, err = cal.Extend(p, stage, 10, time.Date(2025, 10, 13, 9, 0, 0, 0, deadline.Location()))
	var late *deadline.WindowError
	if errors.As(err, &late) {
		fmt.Println("refused: window closed", late.Closed.Format(time.DateTime))
	}
	_, err = cal.Extend(p, stage, 12, time.Date(2025, 10, 10, 9, 0, 0, 0, deadline.Location()))
	fmt.Println(errors.Is(err, deadline.ErrExtensionTooLong))
	// Output:
	// 2025-10-21 [街道热线办] <nil>
	// refused: window closed 2025-10-12 00:00:00
	// true
}

// Checking an "apply within N days" window on its own.
func ExampleCalendar_Window() {
	cal := deadline.China()
	received := time.Date(2025, 9, 30, 10, 0, 0, 0, deadline.Location())
	w, err := cal.Window(deadline.StreetHotline(), deadline.ExtensionComplex, received,
		time.Date(2025, 10, 16, 9, 0, 0, 0, deadline.Location()))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w.InTime, w.Closes.Format(time.DateTime))
	// Output:
	// false 2025-10-15 00:00:00
}

// 000 第八条 (三): the assessment year runs from 1 November to 31 October.
func ExampleAssessmentYear() {
	y := deadline.AssessmentYear()
	start, end := y.Bounds(2026)
	fmt.Println(start.Format(time.DateOnly), "to", end.AddDate(0, 0, -1).Format(time.DateOnly))
	fmt.Println(y.YearOf(time.Date(2025, 10, 31, 23, 59, 59, 0, deadline.Location())))
	fmt.Println(y.YearOf(time.Date(2025, 11, 1, 0, 0, 0, 0, deadline.Location())))
	// Output:
	// 2025-11-01 to 2026-10-31
	// 2025
	// 2026
}

// A district loads its own policy from JSON; errors name the field.
func ExampleParsePolicy() {
	_, err := deadline.ParsePolicy([]byte(`{"name": "district", "limits": [
		{"key": "first_contact", "days": 1, "unit": "working_days"},
		{"key": "reply_general", "days": 5, "unit": "weeks"}]}`))
	fmt.Println(err)

	p, err := deadline.ParsePolicy([]byte(`{"name": "district", "counting": {"cutoff": "17:00"},
		"limits": [{"key": "first_contact", "days": 1, "unit": "working_days", "source": "004 §8 (一)"}]}`))
	fmt.Println(p.Counting.Cutoff, err)
	// Output:
	// deadline: policy "district": limits[1].unit: policy JSON: unknown deadline.Unit "weeks" (want one of: working_days, calendar_days, same_day) at limits[1].unit (byte 142)
	// 17:00 <nil>
}

// Every preset, for a table in a district's documentation.
func ExamplePresets() {
	for _, p := range deadline.Presets() {
		fmt.Printf("%-24s %d limits\n", p.Name, len(p.Limits))
	}
	// Output:
	// shanghai-one-net         5 limits
	// state-council-forwarded  5 limits
	// street-hotline           7 limits
	// hebi-provincial          3 limits
	// hebi-12345               3 limits
	// hebi-service-hall        2 limits
	// could-not-get-it-done    6 limits
	// appeals                  2 limits
}
