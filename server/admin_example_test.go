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

// An admin issues an auditor's key over the API: the key is in that answer only, and it works at
// once; the key list shows its fingerprint and status, never the key.
func Example_apiKeys() {
	ctx := context.Background()
	st, cleanup, err := storetest.New(ctx, storetest.LegSQLite, storetest.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cleanup()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, deadline.Location())
	_, adminKey, err := st.CreateCredential(ctx, store.Principal{Actor: "setup", Role: store.RoleAdmin}, "city", store.RoleAdmin, "first admin", now)
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := server.New(server.Deps{Store: st, Calendar: deadline.China(), Now: func() time.Time { return now }})
	if err != nil {
		fmt.Println(err)
		return
	}
	call := func(method, path, key, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	rec := call(http.MethodPost, "/v1/admin/keys", adminKey, `{"unit":"audit","role":"auditor","label":"审计","expires":"2027-06-01T00:00:00+08:00"}`)
	var created server.KeyCreated
	if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rec.Code, created.Role, created.Status, created.Expires.In(deadline.Location()).Format(time.DateOnly), len(created.Key))
	fmt.Println(call(http.MethodGet, "/v1/tickets", created.Key, "").Code, call(http.MethodGet, "/v1/admin/keys", created.Key, "").Code)
	list := call(http.MethodGet, "/v1/admin/keys", adminKey, "").Body.String()
	fmt.Println(strings.Contains(list, created.Fingerprint), strings.Contains(list, created.Key))
	// Output:
	// 201 auditor active 2027-06-01 68
	// 200 403
	// true false
}
