package server

import (
	"errors"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// RateLimits are the token buckets [New] applies (golang.org/x/time/rate): a sustained rate in
// requests per second and a burst, per API key for authenticated callers, per client address for the
// public (see [WithIPExtractor]), and per client address for failed logins. A request over its limit
// is answered 429 with the problem code "rate_limited" and a Retry-After header (whole seconds).
// A zero rate turns that limit off. The limits run on the wall clock, not on Deps.Now, and are held
// in memory by each server instance (a key spread over n instances gets n times its rate).
type RateLimits struct {
	KeyRate      float64
	KeyBurst     int
	AddressRate  float64
	AddressBurst int
	FailureRate  float64
	FailureBurst int
}

// DefaultRateLimits are generous enough for an upstream platform pushing intakes and a console's
// bursts: 100 requests a second per key (burst 200), 50 a second per public address (burst 100), and
// one failed login a second per address (burst 60) — enough for a misconfigured client to notice, too
// few for a flood to load the database.
func DefaultRateLimits() RateLimits {
	return RateLimits{KeyRate: 100, KeyBurst: 200, AddressRate: 50, AddressBurst: 100, FailureRate: 1, FailureBurst: 60}
}

func (l RateLimits) validate() error {
	for _, b := range []struct {
		rate  float64
		burst int
		name  string
	}{{l.KeyRate, l.KeyBurst, "key"}, {l.AddressRate, l.AddressBurst, "address"}, {l.FailureRate, l.FailureBurst, "failure"}} {
		if b.rate < 0 || math.IsNaN(b.rate) || math.IsInf(b.rate, 0) || b.burst < 0 || (b.rate > 0 && b.burst < 1) {
			return errors.New("server: the " + b.name + " rate limit needs a finite rate ≥ 0 and, when the rate is positive, a burst ≥ 1")
		}
	}
	return nil
}

// WithRateLimits replaces [DefaultRateLimits].
func WithRateLimits(l RateLimits) Option {
	return func(c *config) error {
		if err := l.validate(); err != nil {
			return err
		}
		c.auth.limits = l
		return nil
	}
}

// limiterCap bounds the buckets a limiter holds; past it, idle buckets (full ones, which a fresh
// bucket equals) are dropped, and then arbitrary ones: a dropped bucket only forgets a debt.
const limiterCap = 100_000

// limiter is a set of token buckets by identity. A nil *limiter allows everything.
type limiter struct {
	rate  rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	swept   time.Time
}

func newLimiter(r float64, burst int) *limiter {
	if r <= 0 {
		return nil
	}
	return &limiter{rate: rate.Limit(r), burst: burst, buckets: map[string]*rate.Limiter{}}
}

func (l *limiter) bucket(id string, now time.Time) *rate.Limiter {
	b, ok := l.buckets[id]
	if ok {
		return b
	}
	if len(l.buckets) >= limiterCap || now.Sub(l.swept) > time.Minute {
		l.sweep(now)
	}
	b = rate.NewLimiter(l.rate, l.burst)
	l.buckets[id] = b
	return b
}

func (l *limiter) sweep(now time.Time) {
	l.swept = now
	for id, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, id)
		}
	}
	for id := range l.buckets {
		if len(l.buckets) < limiterCap {
			break
		}
		delete(l.buckets, id)
	}
}

// allow takes a token of id's bucket; when there is none it reports how long until there is.
func (l *limiter) allow(id string, now time.Time) (time.Duration, bool) {
	if l == nil {
		return 0, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(id, now)
	if b.AllowN(now, 1) {
		return 0, true
	}
	return l.wait(b, now), false
}

func (l *limiter) wait(b *rate.Limiter, now time.Time) time.Duration {
	missing := 1 - b.TokensAt(now)
	return time.Duration(missing / float64(l.rate) * float64(time.Second))
}

// limit applies l to id, answering 429 when it is exhausted.
func (s *server) limit(c echo.Context, l *limiter, class, id string) error {
	if wait, ok := l.allow(id, time.Now()); !ok {
		return s.refuse(c, class, wait)
	}
	return nil
}

// refuse answers 429 with Retry-After: the wait rounded up to whole seconds, at least one.
func (s *server) refuse(c echo.Context, class string, wait time.Duration) error {
	s.auth.limited.WithLabelValues(class).Inc()
	secs := max(int64(math.Ceil(wait.Seconds())), 1)
	c.Response().Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	return errRateLimited
}
