package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

// The 好差评 platform forwards two reviews with its system key: the satisfied one is recorded, the
// very dissatisfied one opens its review ticket in the same request (001 (二), (六)).
func Example_reviews() {
	ctx := context.Background()
	st, cleanup, err := storetest.New(ctx, storetest.LegSQLite, storetest.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cleanup()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, deadline.Location())
	admin := store.Principal{Actor: "admin", Unit: "city", Role: store.RoleAdmin}
	_, key, err := st.CreateCredential(ctx, admin, "haochaping", store.RoleSystem, "好差评平台", now)
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := server.New(server.Deps{Store: st, Calendar: deadline.China(), Now: func() time.Time { return now }})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, body := range []string{
		`{"review":{"id":"R-1","rating":"satisfied","unit":"yy-cyzx","channel":"suishenban","at":"2026-11-29T10:00:00+08:00"}}`,
		`{"review":{"id":"R-2","rating":"very_dissatisfied","unit":"yy-cyzx","channel":"service_hall","at":"2026-11-29T11:00:00+08:00"},
		  "ticket":{"content":"窗口人员态度生硬","place":{"region_code":"310113003"}}}`,
	} {
		req := httptest.NewRequest(http.MethodPost, "/v1/reviews", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var res server.ReviewResponse
		_ = json.Unmarshal(rec.Body.Bytes(), &res)
		fmt.Println(rec.Code, res.Review, "ticket opened:", res.Ticket != nil)
	}
	// Output:
	// 201 R-1 ticket opened: false
	// 201 R-2 ticket opened: true
}
