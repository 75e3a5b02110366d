package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/storetest"
)

// A district builds the reference server from its dependencies and serves it; here one request is
// served in process. 2026-10-01 is 国庆节.
func Example() {
	st, cleanup, err := storetest.New(context.Background(), storetest.LegSQLite, storetest.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cleanup()
	h, err := server.New(server.Deps{Store: st, Calendar: deadline.China()})
	if err != nil {
		fmt.Println(err)
		return
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/calendar/days/2026-10-01", nil))
	fmt.Println(rec.Code, rec.Body.String())
	// Output:
	// 200 {"date":"2026-10-01","kind":"statutory_holiday","workday":false,"name":"国庆节","provisional":false}
}
