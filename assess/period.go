package assess

import (
	"fmt"
	"strconv"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// Period is a half-open interval [Start, End) of time over which indicators are computed. Months and
// quarters are calendar months and quarters in Asia/Shanghai; a year is an assessment year as
// [deadline.YearPolicy] defines it (000 §8 (三): 上年 11 月 1 日至当年 10 月 31 日).
type Period struct {
	Kind  PeriodKind `json:"kind"`
	Start time.Time  `json:"start"`
	End   time.Time  `json:"end"`
	Label string     `json:"label"`
}

// MinYear and MaxYear bound the years [Month], [Quarter], [Year] and [AssessmentMonths] accept: a
// period's label must be a four-digit year, and no assessment is older than 1900.
const (
	MinYear = 1900
	MaxYear = 9999
)

func checkYear(y int) error {
	if y < MinYear || y > MaxYear {
		return fieldErr(ErrInvalidPeriod, "period", "year", strconv.Itoa(y), fmt.Sprintf("is not in [%d, %d]", MinYear, MaxYear))
	}
	return nil
}

// Month returns calendar month m of year y in Asia/Shanghai, labelled "2025-03". A month outside
// 1–12 or a year outside [MinYear, MaxYear] is an error wrapping [ErrInvalidPeriod].
func Month(y int, m time.Month) (Period, error) {
	if err := checkYear(y); err != nil {
		return Period{}, err
	}
	if m < time.January || m > time.December {
		return Period{}, fieldErr(ErrInvalidPeriod, "period", "month", strconv.Itoa(int(m)), "is not a month 1–12")
	}
	return month(y, m), nil
}

func month(y int, m time.Month) Period {
	start := time.Date(y, m, 1, 0, 0, 0, 0, deadline.Location())
	return Period{Kind: PeriodMonth, Start: start, End: start.AddDate(0, 1, 0), Label: start.Format("2006-01")}
}

// Quarter returns calendar quarter q (1–4) of year y in Asia/Shanghai, labelled "2025-Q1".
//
// Quarters are calendar quarters (Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec), not quarters of the assessment
// year: 004 §14 asks for a quarterly report to the street's Party working committee and does not tie the
// quarter to the assessment year, and calendar quarters are what such reports use. As a consequence the
// assessment year (Nov 1 – Oct 31) does not split into four whole quarters; [AssessmentMonths] gives its
// twelve months. A q outside 1–4 or a year outside [MinYear, MaxYear] is an error wrapping
// [ErrInvalidPeriod].
func Quarter(y, q int) (Period, error) {
	if err := checkYear(y); err != nil {
		return Period{}, err
	}
	if q < 1 || q > 4 {
		return Period{}, fieldErr(ErrInvalidPeriod, "period", "quarter", strconv.Itoa(q), "is not a quarter 1–4")
	}
	start := time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, deadline.Location())
	return Period{Kind: PeriodQuarter, Start: start, End: start.AddDate(0, 3, 0), Label: fmt.Sprintf("%d-Q%d", y, q)}, nil
}

// Year returns assessment year y under policy p: with [deadline.AssessmentYear] (000 §8 (三)) year 2026
// runs from 2025-11-01 to 2026-10-31 inclusive, labelled "AY2026". An invalid policy or a year outside
// [MinYear, MaxYear] is an error wrapping [ErrInvalidPeriod].
func Year(p deadline.YearPolicy, y int) (Period, error) {
	if err := checkYear(y); err != nil {
		return Period{}, err
	}
	if err := p.Validate(); err != nil {
		return Period{}, fieldErr(ErrInvalidPeriod, "period", "year_policy", "", err.Error())
	}
	start, end := p.Bounds(y)
	return Period{Kind: PeriodYear, Start: start, End: end, Label: fmt.Sprintf("AY%d", y)}, nil
}

// AssessmentMonths returns the months of assessment year y under p, in order: for 000 §8 (三), Nov of
// y−1 through Oct of y. Use them for the monthly bulletins (004 §14 月通报) of one assessment year. It
// refuses what [Year] refuses.
func AssessmentMonths(p deadline.YearPolicy, y int) ([]Period, error) {
	yp, err := Year(p, y)
	if err != nil {
		return nil, err
	}
	var out []Period
	for t := yp.Start; t.Before(yp.End); t = t.AddDate(0, 1, 0) {
		out = append(out, month(t.Year(), t.Month()))
	}
	return out, nil
}

// Custom returns the period [start, end) with the given label.
func Custom(start, end time.Time, label string) Period {
	return Period{Kind: PeriodCustom, Start: start, End: end, Label: label}
}

// Contains reports whether t is in [p.Start, p.End).
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// Validate reports whether p is a usable period: a known kind and Start strictly before End.
func (p Period) Validate() error {
	switch p.Kind {
	case PeriodMonth, PeriodQuarter, PeriodYear, PeriodCustom:
	default:
		return fieldErr(ErrInvalidPeriod, "period", "kind", string(p.Kind), "is not month, quarter, year or custom")
	}
	if p.Start.IsZero() || p.End.IsZero() {
		return fieldErr(ErrInvalidPeriod, "period "+p.Label, "start/end", "", "is zero")
	}
	if !p.Start.Before(p.End) {
		return fieldErr(ErrInvalidPeriod, "period "+p.Label, "end", p.End.String(), "is not after start "+p.Start.String())
	}
	return nil
}
