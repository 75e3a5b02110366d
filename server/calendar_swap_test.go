package server_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server"
)

// calNotice2027 is a made-up 2027 schedule (the real one is not yet published): 春节 02-05 to 02-11
// off, where the provisional calendar has only the statutory 02-05 to 02-08.
const calNotice2027 = `{"year": 2027, "papers": [], "days": [
	{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
	{"name": "春节", "date": "2027-02-05", "isOffDay": true}, {"name": "春节", "date": "2027-02-06", "isOffDay": true},
	{"name": "春节", "date": "2027-02-07", "isOffDay": true}, {"name": "春节", "date": "2027-02-08", "isOffDay": true},
	{"name": "春节", "date": "2027-02-09", "isOffDay": true}, {"name": "春节", "date": "2027-02-10", "isOffDay": true},
	{"name": "春节", "date": "2027-02-11", "isOffDay": true}, {"name": "春节", "date": "2027-02-20", "isOffDay": false}]}`

// A holiday schedule the store loads at run time (the sweeper's -holidays directory) reaches the
// calendar endpoints without a restart.
func TestCalendarFollowsStoreSwap(t *testing.T) {
	f := newServer(t)
	get := func(t *testing.T, path string, v any) {
		t.Helper()
		rec := f.on(t).get(path)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), v))
	}
	var day server.DayResponse
	get(t, "/v1/calendar/days/2027-02-10", &day)
	assert.True(t, day.Workday, "provisional: 春节 by law is 02-05 to 02-08")
	assert.True(t, day.Provisional)
	var years server.YearsResponse
	get(t, "/v1/calendar/years", &years)
	assert.NotContains(t, years.Published, 2027)
	var before server.DeadlineResponse
	get(t, "/v1/calendar/deadline?policy=street-hotline&key=reply_general&received=2027-01-29T10:30:00%2B08:00", &before)
	assert.True(t, before.Deadline.Provisional)

	n, err := deadline.ParseHolidayCN("2027.json", []byte(calNotice2027))
	require.NoError(t, err)
	cal, err := deadline.China().WithNotices(n)
	require.NoError(t, err)
	require.NoError(t, f.store.SetCalendar(cal))

	get(t, "/v1/calendar/days/2027-02-10", &day)
	assert.False(t, day.Workday, "published: 春节 02-05 to 02-11")
	assert.False(t, day.Provisional)
	get(t, "/v1/calendar/years", &years)
	assert.Contains(t, years.Published, 2027)
	var after server.DeadlineResponse
	get(t, "/v1/calendar/deadline?policy=street-hotline&key=reply_general&received=2027-01-29T10:30:00%2B08:00", &after)
	assert.False(t, after.Deadline.Provisional)
	assert.True(t, after.Deadline.At.After(before.Deadline.At), "three more days off")
}
