package assess

import (
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPeriods(t *testing.T) {
	sh := deadline.Location()
	tests := []struct {
		name       string
		p          Period
		start, end time.Time
		label      string
	}{
		{"month", must(Month(2025, time.March)), time.Date(2025, 3, 1, 0, 0, 0, 0, sh), time.Date(2025, 4, 1, 0, 0, 0, 0, sh), "2025-03"},
		{"December rolls over", must(Month(2025, time.December)), time.Date(2025, 12, 1, 0, 0, 0, 0, sh), time.Date(2026, 1, 1, 0, 0, 0, 0, sh), "2025-12"},
		{"calendar quarter 004 §14", must(Quarter(2025, 1)), time.Date(2025, 1, 1, 0, 0, 0, 0, sh), time.Date(2025, 4, 1, 0, 0, 0, 0, sh), "2025-Q1"},
		{"Q4", must(Quarter(2025, 4)), time.Date(2025, 10, 1, 0, 0, 0, 0, sh), time.Date(2026, 1, 1, 0, 0, 0, 0, sh), "2025-Q4"},
		// 000 §8 (三): 考核周期为上年 11 月 1 日至当年 10 月 31 日.
		{"assessment year 000 §8 (三)", must(Year(deadline.AssessmentYear(), 2026)), time.Date(2025, 11, 1, 0, 0, 0, 0, sh), time.Date(2026, 11, 1, 0, 0, 0, 0, sh), "AY2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.p.Validate())
			assert.True(t, tt.start.Equal(tt.p.Start), "start %s", tt.p.Start)
			assert.True(t, tt.end.Equal(tt.p.End), "end %s", tt.p.End)
			assert.Equal(t, tt.label, tt.p.Label)
			assert.NotEmpty(t, tt.p.Kind.Label())
		})
	}
}

// 000 §8 (三): October 31 23:59 belongs to the year ending then; November 1 00:00 to the next.
func TestAssessmentYearBoundary(t *testing.T) {
	sh := deadline.Location()
	y := must(Year(deadline.AssessmentYear(), 2026))
	assert.True(t, y.Contains(time.Date(2025, 11, 1, 0, 0, 0, 0, sh)))
	assert.True(t, y.Contains(time.Date(2026, 10, 31, 23, 59, 59, 0, sh)))
	assert.False(t, y.Contains(time.Date(2026, 11, 1, 0, 0, 0, 0, sh)))
	assert.False(t, y.Contains(time.Date(2025, 10, 31, 23, 59, 59, 0, sh)))

	months := must(AssessmentMonths(deadline.AssessmentYear(), 2026))
	require.Len(t, months, 12)
	assert.Equal(t, "2025-11", months[0].Label)
	assert.Equal(t, "2026-10", months[11].Label)
	for i := 1; i < 12; i++ {
		assert.True(t, months[i-1].End.Equal(months[i].Start), "months tile the year")
	}
}

// Scoring the assessment year sees a November case that a calendar year would not.
func TestScoreOverAssessmentYear(t *testing.T) {
	sh := deadline.Location()
	in := Input{Cases: []CaseRecord{
		{ID: "N1", Unit: "A", ReceivedAt: time.Date(2025, 11, 3, 9, 0, 0, 0, sh)},
		{ID: "O1", Unit: "A", ReceivedAt: time.Date(2026, 10, 30, 9, 0, 0, 0, sh)},
		{ID: "X1", Unit: "A", ReceivedAt: time.Date(2026, 11, 2, 9, 0, 0, 0, sh)},
	}}
	y := must(Year(deadline.AssessmentYear(), 2026))
	r, err := Score(in, StreetHotline(), Query{Period: y, AsOf: y.End})
	require.NoError(t, err)
	assert.Equal(t, int64(2), unitScore(t, r, "A").Indicators.Received)
}

func TestPeriodLabels(t *testing.T) {
	for _, k := range []PeriodKind{PeriodMonth, PeriodQuarter, PeriodYear, PeriodCustom} {
		assert.NotEmpty(t, k.Label())
	}
	assert.Equal(t, "未知(week)", PeriodKind("week").Label())
	c := Custom(mar(1, 0), mar(8, 0), "week 10")
	assert.NoError(t, c.Validate())
	assert.True(t, c.Contains(mar(7, 23)))
}
