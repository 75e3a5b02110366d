package public_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/server/public"
	"github.com/hotline12345/hotline/server/store"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func serve(e *echo.Echo, method, path string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func TestCache(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	cache := public.NewCache(30*time.Second, 2, 64, clk.now)
	var calls atomic.Int64
	e := echo.New()
	g := e.Group("", cache.Middleware)
	g.GET("/a", func(c echo.Context) error {
		calls.Add(1)
		return c.JSON(http.StatusOK, map[string]any{"n": calls.Load(), "q": c.QueryParam("q")})
	})
	g.GET("/form", func(c echo.Context) error {
		calls.Add(1)
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.HTML(http.StatusOK, "<form>")
	})
	g.GET("/missing", func(c echo.Context) error { calls.Add(1); return c.String(http.StatusNotFound, "no") })
	g.GET("/big", func(c echo.Context) error { calls.Add(1); return c.String(http.StatusOK, strings.Repeat("x", 65)) })
	g.GET("/err", func(c echo.Context) error { return errors.New("boom") })
	g.POST("/a", func(c echo.Context) error { calls.Add(1); return c.NoContent(http.StatusNoContent) })

	first := serve(e, http.MethodGet, "/a?q=1&r=2")
	require.Equal(t, http.StatusOK, first.Code)
	assert.Equal(t, "miss", first.Header().Get("X-Cache"))
	etag := first.Header().Get("ETag")
	assert.Regexp(t, `^"[0-9a-f]{32}"$`, etag)
	assert.Equal(t, "public, max-age=30", first.Header().Get("Cache-Control"))
	assert.Contains(t, first.Header().Get("Content-Type"), "application/json")

	clk.add(10 * time.Second)
	again := serve(e, http.MethodGet, "/a?r=2&q=1")
	assert.Equal(t, "hit", again.Header().Get("X-Cache"), "the query's order does not matter")
	assert.Equal(t, first.Body.String(), again.Body.String())
	assert.Equal(t, etag, again.Header().Get("ETag"))
	assert.Equal(t, "public, max-age=20", again.Header().Get("Cache-Control"))
	assert.Equal(t, int64(1), calls.Load())

	notMod := serve(e, http.MethodGet, "/a?q=1&r=2", "If-None-Match", `"x", `+etag)
	assert.Equal(t, http.StatusNotModified, notMod.Code)
	assert.Empty(t, notMod.Body.String())
	assert.Equal(t, etag, notMod.Header().Get("ETag"))

	clk.add(21 * time.Second)
	expired := serve(e, http.MethodGet, "/a?q=1&r=2")
	assert.Equal(t, "miss", expired.Header().Get("X-Cache"), "kept for the TTL only")
	assert.Equal(t, int64(2), calls.Load())

	for _, path := range []string{"/form", "/missing", "/big"} {
		before := calls.Load()
		r1 := serve(e, http.MethodGet, path)
		r2 := serve(e, http.MethodGet, path)
		assert.Equal(t, before+2, calls.Load(), "%s is not kept", path)
		assert.Equal(t, r1.Body.String(), r2.Body.String())
		assert.Empty(t, r2.Header().Get("X-Cache"))
	}
	assert.Equal(t, http.StatusNotFound, serve(e, http.MethodGet, "/missing").Code)
	assert.Equal(t, "no-store", serve(e, http.MethodGet, "/form").Header().Get("Cache-Control"))
	assert.Equal(t, http.StatusInternalServerError, serve(e, http.MethodGet, "/err").Code)
	assert.Equal(t, http.StatusNoContent, serve(e, http.MethodPost, "/a").Code)

	// At most two responses are kept: the oldest goes.
	for i := range 5 {
		serve(e, http.MethodGet, fmt.Sprintf("/a?i=%d", i))
	}
	assert.Equal(t, 2, cache.Len())
	assert.Equal(t, "hit", serve(e, http.MethodGet, "/a?i=4").Header().Get("X-Cache"))
	assert.Equal(t, "miss", serve(e, http.MethodGet, "/a?i=0").Header().Get("X-Cache"))
}

func TestPages(t *testing.T) {
	w := store.Window{ID: "bs-03", Unit: "u", Hall: "宝山区行政服务中心", Name: "3号<窗口>", Staff: []store.WindowStaff{{ID: "0301", Name: "窗口一"}}}
	for _, tt := range []struct {
		view any
		want []string
	}{
		{public.RankingView{Pub: store.Publication{Label: "十一月排名", Scheme: assess.ShanghaiReviews(), Chain: store.ChainHead{Size: 9, Head: "abcd"},
			Result: assess.Result{Digest: "d1g3st", Ranking: assess.Ranking{Ranked: []assess.Standing{{Rank: 1, Unit: "u", Total: assess.Int(95)}}}}},
			Names: map[string]string{"u": "宝山区市场监管局"}, JSONURL: "/j", InputURL: "/i"},
			[]string{"d1g3st", "9 条，链头 abcd", "宝山区市场监管局", "95.00", "assess.Verify", `href="/i"`}},
		{public.SheetView{Hall: "宝山区行政服务中心", Cards: []public.SheetCard{{Window: w, UnitName: "中心", URL: "https://x/public/windows/bs-03",
			SVG: "<svg></svg>"}}}, []string{"<svg></svg>", "https://x/public/windows/bs-03", "@page", "3号&lt;窗口&gt;"}},
	} {
		var buf bytes.Buffer
		require.NoError(t, public.Render(&buf, tt.view), "%T", tt.view)
		for _, s := range tt.want {
			assert.Contains(t, buf.String(), s, "%T", tt.view)
		}
		assert.Contains(t, buf.String(), `lang="zh-CN"`)
	}
	assert.Error(t, public.Render(&bytes.Buffer{}, 42))
	assert.Equal(t, "—", public.Percent(1, 0))
	assert.Equal(t, "33.33%", public.Percent(1, 3))
}
