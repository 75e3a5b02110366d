package sweep

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/strictjson/strictjsontest"
)

// The holiday directory's loader refuses every malformed variant of a valid file, and the calendar in
// force stays (the sweeper keeps it).
func TestLoadHolidaysRefusesMalformed(t *testing.T) {
	cal, digest, err := loadHolidays(fstest.MapFS{"2027.json": {Data: []byte(notice2027)}}, "dir")
	require.NoError(t, err)
	assert.NotEmpty(t, digest)
	assert.False(t, cal.IsProvisional(at("2027-06-01 12:00")))
	for _, c := range strictjsontest.Cases([]byte(notice2027), deadline.MaxNoticeBytes) {
		t.Run(c.Name, func(t *testing.T) {
			_, _, err := loadHolidays(fstest.MapFS{"2027.json": {Data: c.Input}}, "dir")
			assert.ErrorIs(t, err, ErrSchedule)
		})
	}
	_, _, err = loadHolidays(fstest.MapFS{}, "empty")
	assert.ErrorIs(t, err, ErrSchedule, "no file at all")
	_, d2, err := loadHolidays(fstest.MapFS{"2027.json": {Data: []byte(notice2027 + "\n")}}, "dir")
	require.NoError(t, err)
	assert.NotEqual(t, digest, d2, "any change to a file changes the digest")
}

// FuzzLoadHolidays: a holiday file of any content loads or is refused with ErrSchedule, never a
// panic, and a loaded one gives a calendar.
func FuzzLoadHolidays(f *testing.F) {
	f.Add([]byte(notice2027))
	f.Add([]byte(`{"year": 2027, "papers": [], "days": []}`))
	f.Add([]byte(`{"year": 2027, "days": [{"name": "x", "date": "2026-02-30", "isOffDay": true}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cal, digest, err := loadHolidays(fstest.MapFS{"2027.json": {Data: data}}, "fuzz")
		if err != nil {
			require.ErrorIs(t, err, ErrSchedule)
			return
		}
		require.NotNil(t, cal)
		require.Len(t, digest, 64)
	})
}
