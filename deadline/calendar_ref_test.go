package deadline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The day-by-day reference: it asks IsWorkday about one date after another, as the placeholder
// implementation did. The fuzz targets and property tests check the O(1) methods against it, and the
// benchmarks use it as their baseline.

// calMidnight returns midnight (Asia/Shanghai) of t's date, computed the slow, obvious way.
func calMidnight(t time.Time) time.Time {
	y, m, d := t.In(shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, shanghai)
}

func refAddWorkdays(c *Calendar, t time.Time, n int) time.Time {
	day := calMidnight(t)
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if c.IsWorkday(day) {
			n--
		}
	}
	for n < 0 {
		day = day.AddDate(0, 0, -1)
		if c.IsWorkday(day) {
			n++
		}
	}
	return day
}

func refWorkdaysBetween(c *Calendar, a, b time.Time) int {
	da, db := calMidnight(a), calMidnight(b)
	n := 0
	if !db.Before(da) {
		for d := da.AddDate(0, 0, 1); !d.After(db); d = d.AddDate(0, 0, 1) {
			if c.IsWorkday(d) {
				n++
			}
		}
		return n
	}
	for d := db; d.Before(da); d = d.AddDate(0, 0, 1) {
		if c.IsWorkday(d) {
			n--
		}
	}
	return n
}

// officialDays reads the embedded holiday-cn files directly, independently of the package's loader:
// date → isOffDay for every listed date.
func officialDays(t testing.TB) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("data/holiday-cn/*.json")
	require.NoError(t, err)
	require.Len(t, files, 21)
	out := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var doc struct {
			Days []struct {
				Date     string `json:"date"`
				IsOffDay bool   `json:"isOffDay"`
			} `json:"days"`
		}
		require.NoError(t, json.Unmarshal(b, &doc), f)
		for _, d := range doc.Days {
			if prev, ok := out[d.Date]; ok {
				require.Equal(t, prev, d.IsOffDay, "%s listed twice with different values", d.Date)
			}
			out[d.Date] = d.IsOffDay
		}
	}
	return out
}

// calDate is a test shorthand: midnight of y-m-d in Asia/Shanghai.
func calDate(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, shanghai) }

// calAt parses "2006-01-02" or "2006-01-02 15:04" in Asia/Shanghai.
func calAt(t testing.TB, s string) time.Time {
	t.Helper()
	layout := time.DateOnly
	if len(s) > len(time.DateOnly) {
		layout = "2006-01-02 15:04"
	}
	v, err := time.ParseInLocation(layout, s, shanghai)
	require.NoError(t, err)
	return v
}
