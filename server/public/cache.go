package public

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// Cache keeps the public GET responses for a short while, so that a burst of readers costs one
// computation, and answers conditional requests: every kept response has a strong ETag (a digest of
// its body) and Cache-Control: public, max-age. A response the handler marks Cache-Control: no-store
// (a form with a one-time token) or that is not 200 is not kept. It is safe for concurrent use.
type Cache struct {
	ttl      time.Duration
	maxItems int
	maxBody  int
	clock    func() time.Time

	mu    sync.Mutex
	items map[string]*entry
	order []string // keys, oldest first, for eviction
}

type entry struct {
	expires     time.Time
	status      int
	contentType string
	etag        string
	body        []byte
}

// NewCache returns a cache keeping each response ttl (at most maxItems responses of at most maxBody
// bytes each), timed by clock (time.Now when nil).
func NewCache(ttl time.Duration, maxItems, maxBody int, clock func() time.Time) *Cache {
	if clock == nil {
		clock = time.Now
	}
	return &Cache{ttl: ttl, maxItems: max(maxItems, 1), maxBody: maxBody, clock: clock, items: map[string]*entry{}}
}

// Defaults of the public cache: 30 seconds, 512 responses of at most 2 MiB.
const (
	DefaultTTL      = 30 * time.Second
	DefaultMaxItems = 512
	DefaultMaxBody  = 2 << 20
)

// key is the request's path and its query in a canonical order.
func key(r *http.Request) string {
	q := r.URL.Query()
	return r.URL.Path + "?" + url.Values(q).Encode()
}

func (c *Cache) get(k string, now time.Time) *entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.items[k]
	if e == nil || !now.Before(e.expires) {
		return nil
	}
	return e
}

func (c *Cache) put(k string, e *entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[k]; !ok {
		c.order = append(c.order, k)
	}
	c.items[k] = e
	for len(c.items) > c.maxItems && len(c.order) > 0 {
		delete(c.items, c.order[0])
		c.order = c.order[1:]
	}
	if len(c.order) > 2*c.maxItems { // keys replaced in place leave stale slots
		kept := c.order[:0]
		for _, k := range c.order {
			if _, ok := c.items[k]; ok {
				kept = append(kept, k)
			}
		}
		c.order = kept
	}
}

// Len reports how many responses are kept.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// recorder captures what a handler writes, for the cache.
type recorder struct {
	http.ResponseWriter
	buf    bytes.Buffer
	status int
}

func (r *recorder) WriteHeader(code int) { r.status = code }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.buf.Write(b)
}

// Middleware serves GET requests from the cache, or runs the handler, keeps its answer and sends it.
// Other methods pass through.
func (c *Cache) Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(ctx echo.Context) error {
		req := ctx.Request()
		if req.Method != http.MethodGet {
			return next(ctx)
		}
		k := key(req)
		now := c.clock()
		if e := c.get(k, now); e != nil {
			ctx.Response().Header().Set("X-Cache", "hit")
			return c.send(ctx, e, now)
		}
		res := ctx.Response()
		orig := res.Writer
		rec := &recorder{ResponseWriter: orig}
		res.Writer = rec
		err := next(ctx)
		res.Writer = orig
		if err != nil {
			return err
		}
		status := rec.status
		if status == 0 {
			status = res.Status
		}
		h := res.Header()
		sum := sha256.Sum256(rec.buf.Bytes())
		e := &entry{expires: now.Add(c.ttl), status: status, contentType: h.Get(echo.HeaderContentType),
			etag: `"` + hex.EncodeToString(sum[:16]) + `"`, body: rec.buf.Bytes()}
		if status == http.StatusOK && !strings.Contains(h.Get("Cache-Control"), "no-store") && rec.buf.Len() <= c.maxBody {
			c.put(k, e)
			h.Set("X-Cache", "miss")
			return c.send(ctx, e, now)
		}
		// Not kept: send what the handler wrote, as it wrote it.
		res.Committed, res.Size = false, 0
		res.WriteHeader(status)
		_, werr := orig.Write(rec.buf.Bytes())
		return werr
	}
}

// send writes e, or 304 when the request's If-None-Match names its ETag.
func (c *Cache) send(ctx echo.Context, e *entry, now time.Time) error {
	h := ctx.Response().Header()
	h.Set("ETag", e.etag)
	left := int(e.expires.Sub(now).Seconds())
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(max(left, 0)))
	if e.contentType != "" {
		h.Set(echo.HeaderContentType, e.contentType)
	}
	ctx.Response().Committed, ctx.Response().Size = false, 0
	if match(ctx.Request().Header.Get("If-None-Match"), e.etag) {
		return ctx.NoContent(http.StatusNotModified)
	}
	ctx.Response().WriteHeader(e.status)
	_, err := ctx.Response().Write(e.body)
	return err
}

// match reports whether an If-None-Match header names etag (or is *).
func match(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == etag || t == "W/"+etag {
			return true
		}
	}
	return false
}
