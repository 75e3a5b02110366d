package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket/privacy"
)

// Authentication.
//
// Every request passes identify (installed by New after the server's own middleware). A request
// without an Authorization header is the public; one with a header is authenticated by its API key
// (Authorization: Bearer hlk_…). Routes that need a key carry the authenticate middleware, which
// answers 401 to the public and to a refused key. A public route serves a caller whose key was
// refused as the public: the key is not needed there, and the refusal is recorded all the same.
//
// Every refused key — malformed, unknown, revoked, expired — is a failed login: counted in the
// metrics (hotline_auth_failures_total) and recorded in the audit chain by
// store.RecordAuthFailure, which chains the count per key and minute at 1, 2, 4, 8, … so a flood
// cannot grow the chain without bound; the key itself never reaches a log or the chain, at most its
// 32-bit fingerprint. A client address whose logins keep failing exhausts its failure budget
// ([RateLimits].FailureRate): its further refused keys are answered 429 (Retry-After) without a
// write, counted in hotline_rate_limited_total{class="failures"} rather than one by one in the chain,
// while valid keys from the same address (an office behind one NAT) keep working.
//
// Rate limits (ratelimit.go) are per API key for authenticated callers and per client address for
// the public; see [RateLimits].

const (
	ctxPrincipal  = "hotline.principal"
	ctxAuthFailed = "hotline.auth_failed"
)

// authConfig is what the auth, rate-limit and metrics options set.
type authConfig struct {
	limits        RateLimits
	metricsAccess MetricsAccess
	metricsCache  time.Duration
	ipExtractor   echo.IPExtractor
	keyProvider   KeyProvider
}

// A KeyProvider authenticates an API key: it returns the caller's principal, or an error wrapping a
// *store.AuthError for a key it refuses (malformed, unknown, revoked, expired), which is then counted
// and audited as a failed login like any other. Any other error is a 500. The default is the store's
// own keys (store.Store.Authenticate); a district whose keys live in its identity platform replaces
// it with [WithKeyProvider] and maps its identities onto store principals.
type KeyProvider interface {
	Authenticate(ctx context.Context, key string, now time.Time) (store.Principal, error)
}

// KeyProviderFunc adapts a function to a [KeyProvider].
type KeyProviderFunc func(ctx context.Context, key string, now time.Time) (store.Principal, error)

// Authenticate calls f(ctx, key, now).
func (f KeyProviderFunc) Authenticate(ctx context.Context, key string, now time.Time) (store.Principal, error) {
	return f(ctx, key, now)
}

// WithKeyProvider replaces the store's API keys with kp for authenticating callers.
func WithKeyProvider(kp KeyProvider) Option {
	return func(c *config) error {
		if kp == nil {
			return errors.New("server: nil key provider")
		}
		c.auth.keyProvider = kp
		return nil
	}
}

func defaultAuthConfig() authConfig {
	return authConfig{limits: DefaultRateLimits(), metricsAccess: MetricsPublic, metricsCache: DefaultMetricsCache,
		ipExtractor: echo.ExtractIPDirect()}
}

// WithIPExtractor says how the client address of a public caller (what its rate limit is keyed by)
// is found. The default is the connection's peer address (echo.ExtractIPDirect): behind a reverse
// proxy, pass echo.ExtractIPFromXFFHeader or echo.ExtractIPFromRealIPHeader with the proxies to
// trust, never a header the caller controls.
func WithIPExtractor(x echo.IPExtractor) Option {
	return func(c *config) error {
		if x == nil {
			return errors.New("server: nil IP extractor")
		}
		c.auth.ipExtractor = x
		return nil
	}
}

// authState is the server's authentication and rate-limit state.
type authState struct {
	keys, public, failures *limiter
	failed                 *prometheus.CounterVec
	limited                *prometheus.CounterVec
}

// initAuth builds the limiters, registers the auth and store metrics, and installs identify.
func (s *server) initAuth(e *echo.Echo) error {
	a := s.cfg.auth
	if err := a.limits.validate(); err != nil {
		return err
	}
	e.IPExtractor = a.ipExtractor
	s.auth = &authState{
		keys:     newLimiter(a.limits.KeyRate, a.limits.KeyBurst),
		public:   newLimiter(a.limits.AddressRate, a.limits.AddressBurst),
		failures: newLimiter(a.limits.FailureRate, a.limits.FailureBurst),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "hotline", Subsystem: "auth", Name: "failures_total",
			Help: "Requests whose API key was refused, by reason (malformed, unknown, revoked, expired)."}, []string{"reason"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "hotline", Subsystem: "http", Name: "rate_limited_total",
			Help: "Requests refused with 429 by rate limit class (key, address, failures)."}, []string{"class"}),
	}
	for _, c := range []prometheus.Collector{s.auth.failed, s.auth.limited, newStoreCollector(s.store, s.now, a.metricsCache, s.log)} {
		if err := s.cfg.registry.Register(c); err != nil {
			return fmt.Errorf("server: metrics: %w", err)
		}
	}
	e.Use(s.identify)
	return nil
}

// identify authenticates the request's API key, if it carries one, and applies the rate limits.
func (s *server) identify(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		ip := c.RealIP()
		header := req.Header.Get(echo.HeaderAuthorization)
		if header == "" {
			if err := s.limit(c, s.auth.public, "address", ip); err != nil {
				return err
			}
			return next(c)
		}
		var p store.Principal
		var err error
		scheme, key, ok := strings.Cut(header, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			err = &store.AuthError{Reason: store.AuthMalformed}
		} else {
			p, err = s.keyProvider().Authenticate(req.Context(), strings.TrimSpace(key), s.now())
		}
		var refused *store.AuthError
		switch {
		case errors.As(err, &refused):
			// An address whose logins keep failing is refused without a write.
			if wait, ok := s.auth.failures.allow(ip, time.Now()); !ok {
				s.auth.failed.WithLabelValues(string(refused.Reason)).Inc()
				return s.refuse(c, "failures", wait)
			}
			s.recordFailure(c, refused)
			c.Set(ctxAuthFailed, refused)
			if err := s.limit(c, s.auth.public, "address", ip); err != nil {
				return err
			}
			return next(c)
		case err != nil:
			return err
		}
		c.Set(ctxPrincipal, p)
		if err := s.limit(c, s.auth.keys, "key", p.Actor); err != nil {
			return err
		}
		return next(c)
	}
}

// keyProvider is the configured KeyProvider, or the store's keys.
func (s *server) keyProvider() KeyProvider {
	if s.cfg.auth.keyProvider != nil {
		return s.cfg.auth.keyProvider
	}
	return s.store
}

// recordFailure counts a refused key and records it in the audit chain. A failure to record is
// logged, not answered: the caller is refused either way.
func (s *server) recordFailure(c echo.Context, refused *store.AuthError) {
	s.auth.failed.WithLabelValues(string(refused.Reason)).Inc()
	if _, err := s.store.RecordAuthFailure(c.Request().Context(), refused, s.now()); err != nil {
		s.log.LogAttrs(c.Request().Context(), slog.LevelError, "recording a failed login",
			slog.String("request_id", requestIDOf(c)), slog.String("error", logScrub.Scrub(err.Error(), privacy.AudienceStaff)))
	}
}

// authenticate requires an authenticated caller: the public and a refused key are 401.
func (s *server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := c.Get(ctxPrincipal).(store.Principal); ok {
			return next(c)
		}
		h := c.Response().Header()
		if refused, ok := c.Get(ctxAuthFailed).(*store.AuthError); ok {
			h.Set(echo.HeaderWWWAuthenticate, `Bearer realm="hotline", error="invalid_token"`)
			if refused.Reason == store.AuthExpired {
				return errKeyExpired
			}
			return errUnauthorized
		}
		h.Set(echo.HeaderWWWAuthenticate, `Bearer realm="hotline"`)
		return errUnauthorized
	}
}

// principal is the authenticated caller; only routes behind authenticate call it.
func principal(c echo.Context) store.Principal {
	p, _ := c.Get(ctxPrincipal).(store.Principal)
	return p
}

// requireRole answers 403 unless the caller's role is one of roles.
func requireRole(c echo.Context, what string, roles ...store.Role) error {
	p := principal(c)
	for _, r := range roles {
		if p.Role == r {
			return nil
		}
	}
	return fmt.Errorf("%w: %s may not %s", store.ErrForbidden, p.Role, what)
}
