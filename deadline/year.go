package deadline

import (
	"fmt"
	"time"
)

// YearPolicy says when an assessment year (考核周期) starts. Assessment year Y runs from StartMonth
// StartDay of year Y-1 (inclusive) to the same day of year Y (exclusive), in calendar days.
type YearPolicy struct {
	StartMonth time.Month `json:"start_month"`
	StartDay   int        `json:"start_day"`
	Source     string     `json:"source,omitempty"`
}

// AssessmentYear returns the assessment year of 000 第八条 (三): 上年 11 月 1 日至当年 10 月 31 日.
func AssessmentYear() YearPolicy {
	return YearPolicy{StartMonth: time.November, StartDay: 1, Source: "000 §8 (三)"}
}

// Validate reports whether y names a real day of the year (29 February is refused: it is not in
// every year); the error is a [*PolicyError] naming the field.
func (y YearPolicy) Validate() error {
	if y.StartMonth < time.January || y.StartMonth > time.December {
		return &PolicyError{Policy: "assessment year", Field: "start_month", Reason: fmt.Sprintf("%d is not a month", int(y.StartMonth))}
	}
	if y.StartDay < 1 || y.StartDay > time.Date(2001, y.StartMonth+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return &PolicyError{Policy: "assessment year", Field: "start_day", Reason: fmt.Sprintf("%d is not a day of %s", y.StartDay, y.StartMonth)}
	}
	return nil
}

// Bounds returns the first instant of assessment year year and the first instant after it, both at
// midnight Asia/Shanghai. With a January 1 start, assessment year Y is the calendar year Y.
func (y YearPolicy) Bounds(year int) (start, end time.Time) {
	offset := 1
	if y.StartMonth == time.January && y.StartDay == 1 {
		offset = 0
	}
	start = time.Date(year-offset, y.StartMonth, y.StartDay, 0, 0, 0, 0, shanghai)
	end = time.Date(year-offset+1, y.StartMonth, y.StartDay, 0, 0, 0, 0, shanghai)
	return start, end
}

// YearOf returns the assessment year that contains t (read in Asia/Shanghai).
func (y YearPolicy) YearOf(t time.Time) int {
	t = t.In(shanghai)
	year := t.Year()
	if start, _ := y.Bounds(year + 1); !t.Before(start) {
		return year + 1
	}
	if start, _ := y.Bounds(year); !t.Before(start) {
		return year
	}
	return year - 1
}
