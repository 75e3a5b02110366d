package deadline

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 000 §8 (三): 考核周期为上年 11 月 1 日至当年 10 月 31 日.
func TestAssessmentYear(t *testing.T) {
	y := AssessmentYear()
	require.NoError(t, y.Validate())
	tests := []struct {
		name string
		t    time.Time
		want int
	}{
		{"last second of 2025-10-31", time.Date(2025, 10, 31, 23, 59, 59, 999999999, Location()), 2025},
		{"first instant of 2025-11-01", sh(2025, 11, 1, 0, 0), 2026},
		// 2025-10-31 16:00 UTC is 2025-11-01 00:00 in Shanghai: already the next assessment year.
		{"UTC instant already Nov 1 in Shanghai", time.Date(2025, 10, 31, 16, 0, 0, 0, time.UTC), 2026},
		{"UTC instant still Oct 31 in Shanghai", time.Date(2025, 10, 31, 15, 59, 59, 0, time.UTC), 2025},
		{"new year's day", sh(2026, 1, 1, 0, 0), 2026},
		{"mid year", sh(2026, 6, 15, 12, 0), 2026},
		{"2024-11-01 starts assessment year 2025", sh(2024, 11, 1, 0, 0), 2025},
		{"leap day", sh(2024, 2, 29, 12, 0), 2024},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := y.YearOf(tt.t)
			assert.Equal(t, tt.want, got)
			start, end := y.Bounds(got)
			assert.False(t, tt.t.Before(start), "%s before start %s", tt.t, start)
			assert.True(t, tt.t.Before(end), "%s not before end %s", tt.t, end)
		})
	}

	start, end := y.Bounds(2026)
	assert.Equal(t, "2025-11-01T00:00:00+08:00", start.Format(time.RFC3339))
	assert.Equal(t, "2026-11-01T00:00:00+08:00", end.Format(time.RFC3339))
	// The last day of assessment year 2026 is 2026-10-31.
	assert.Equal(t, "2026-10-31", end.AddDate(0, 0, -1).Format(time.DateOnly))
}

func TestYearPolicyCalendarYear(t *testing.T) {
	y := YearPolicy{StartMonth: time.January, StartDay: 1}
	require.NoError(t, y.Validate())
	start, end := y.Bounds(2025)
	assert.True(t, sh(2025, 1, 1, 0, 0).Equal(start))
	assert.True(t, sh(2026, 1, 1, 0, 0).Equal(end))
	assert.Equal(t, 2025, y.YearOf(sh(2025, 12, 31, 23, 59)))
	assert.Equal(t, 2026, y.YearOf(sh(2026, 1, 1, 0, 0)))
}

func TestYearPolicyValidate(t *testing.T) {
	tests := []struct {
		y     YearPolicy
		field string
	}{
		{YearPolicy{StartMonth: 0, StartDay: 1}, "start_month"},
		{YearPolicy{StartMonth: 13, StartDay: 1}, "start_month"},
		{YearPolicy{StartMonth: time.February, StartDay: 29}, "start_day"},
		{YearPolicy{StartMonth: time.April, StartDay: 31}, "start_day"},
		{YearPolicy{StartMonth: time.April, StartDay: 0}, "start_day"},
	}
	for _, tt := range tests {
		err := tt.y.Validate()
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrInvalidPolicy)
		assert.ErrorContains(t, err, tt.field)
	}
}

func TestYearPolicyJSON(t *testing.T) {
	b, err := json.Marshal(AssessmentYear())
	require.NoError(t, err)
	assert.JSONEq(t, `{"start_month":11,"start_day":1,"source":"000 §8 (三)"}`, string(b))
	var y YearPolicy
	require.NoError(t, json.Unmarshal(b, &y))
	assert.Equal(t, AssessmentYear(), y)
}
