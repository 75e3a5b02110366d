package public_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/server/public"
)

// The public group gets the short cache as middleware; a second reader of the same page is served
// from the cache, and one who has it already gets 304.
func ExampleCache() {
	cache := public.NewCache(public.DefaultTTL, public.DefaultMaxItems, public.DefaultMaxBody, nil)
	e := echo.New()
	g := e.Group("/public", cache.Middleware)
	g.GET("/ratings", func(c echo.Context) error { return c.String(http.StatusOK, "评价统计") })

	get := func(etag string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/public/ratings", nil)
		req.Header.Set("If-None-Match", etag)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	first := get("")
	second := get("")
	third := get(first.Header().Get("ETag"))
	fmt.Println(first.Code, first.Header().Get("X-Cache"), second.Header().Get("X-Cache"), third.Code)
	// Output: 200 miss hit 304
}

func ExamplePercent() {
	fmt.Println(public.Percent(2, 3), public.Percent(0, 0))
	// Output: 66.67% —
}
