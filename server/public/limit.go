package public

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
)

// ErrRateLimited is returned for a request over its address's rate (the server answers 429).
var ErrRateLimited = errors.New("public: too many requests")

// Limits of the public routes per client address: a sustained Rate per second with bursts of Burst,
// forgotten after Idle without requests.
type Limits struct {
	Rate  float64
	Burst int
	Idle  time.Duration
}

// DefaultLimits are the public routes' limits: 5 requests a second, bursts of 30 (a page and its
// follow-ups), forgotten after 3 minutes.
func DefaultLimits() Limits { return Limits{Rate: 5, Burst: 30, Idle: 3 * time.Minute} }

// Validate reports limits that would block everyone or nobody.
func (l Limits) Validate() error {
	if l.Rate <= 0 || l.Burst < 1 || l.Idle <= 0 {
		return fmt.Errorf("public: limits need a positive rate, burst and idle time (got %v, %d, %s)", l.Rate, l.Burst, l.Idle)
	}
	return nil
}

// ClientIP is the address a request is limited and hashed by: the echo instance's IPExtractor's
// answer when it has one, else the connection's remote address.
func ClientIP(c echo.Context) string {
	if x := c.Echo().IPExtractor; x != nil {
		return x(c.Request())
	}
	return echo.ExtractIPDirect()(c.Request())
}

// DefaultLimiter is Limiter(DefaultLimits()), which cannot fail.
func DefaultLimiter() echo.MiddlewareFunc { return limiter(DefaultLimits()) }

// Limiter returns middleware that refuses a client address's requests beyond l with ErrRateLimited and
// a Retry-After header. Each call has its own buckets.
func Limiter(l Limits) (echo.MiddlewareFunc, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return limiter(l), nil
}

func limiter(l Limits) echo.MiddlewareFunc {
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(l.Rate), Burst: l.Burst, ExpiresIn: l.Idle})
	retry := fmt.Sprint(max(1, int(1/l.Rate+0.999)))
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store:               store,
		IdentifierExtractor: func(c echo.Context) (string, error) { return ClientIP(c), nil },
		ErrorHandler:        func(c echo.Context, err error) error { return ErrRateLimited },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", retry)
			return ErrRateLimited
		},
	})
}

// statusOK is the only status the cache keeps.
const statusOK = http.StatusOK
