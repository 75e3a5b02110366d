package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket/repeat"
	"github.com/hotline12345/hotline/ticket/screen"
)

// Deps are the server's dependencies. Store and Calendar are required; the others have defaults.
type Deps struct {
	// Store is the storage every ticket, case and credential goes through.
	Store *store.Store
	// Calendar is the working-day calendar of the calendar endpoints (deadline.China() plus any
	// district overrides) until the store's calendar is swapped (store.Store.SetCalendar, a holiday
	// schedule loaded at run time); from then on the endpoints answer with the store's calendar.
	Calendar *deadline.Calendar
	// Deadlines are the deadline policies the calendar endpoints can name; nil means
	// deadline.Presets().
	Deadlines []deadline.Policy
	// Logger receives one JSON line per request and each unexpected error; nil discards.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now. Handlers read it once per request.
	Now func() time.Time

	// Screening is the intake screening policy (ticket/screen); nil means screen.Shanghai() (000 §4
	// (一) with 002's content filter).
	Screening *screen.Policy
	// Repeats is the repeat-complaint policy (ticket/repeat); nil means repeat.StreetHotline() (004
	// §12 (二) 2). Keep its SupervisionAt equal to the store machine's SuperviseAtRepeats.
	Repeats *repeat.Policy
}

// Defaults of the options.
const (
	DefaultBodyLimit = 1 << 20
	DefaultTimeout   = 30 * time.Second
)

// Option tunes [New].
type Option func(*config) error

type config struct {
	bodyLimit  int64
	timeout    time.Duration
	draining   func() bool
	registry   *prometheus.Registry
	middleware []echo.MiddlewareFunc
	routes     []func(*echo.Echo)
	notifier   notify.Notifier
	auth       authConfig // auth.go: rate limits, metrics access, client addresses

	// The pages (pages.go).
	noPages       bool
	sessions      store.SessionPolicy
	secureCookies bool
}

// WithBodyLimit bounds request bodies to n bytes (default [DefaultBodyLimit]); a larger body is a
// 413 problem.
func WithBodyLimit(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("server: body limit must be positive")
		}
		c.bodyLimit = n
		return nil
	}
}

// WithTimeout bounds the time a handler may take (default [DefaultTimeout]); the request's context
// ends then, and a handler that stops for it answers 503 with the problem code "timeout".
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return errors.New("server: timeout must be positive")
		}
		c.timeout = d
		return nil
	}
}

// WithDraining makes /readyz answer 503 while draining reports true: the command sets it when it
// starts a graceful shutdown, so that load balancers stop sending requests before the listener closes.
func WithDraining(draining func() bool) Option {
	return func(c *config) error {
		if draining == nil {
			return errors.New("server: nil draining function")
		}
		c.draining = draining
		return nil
	}
}

// WithRegistry registers the server's metrics with reg and serves reg at /metrics. By default each
// server has a registry of its own (with the Go and process collectors); nothing is registered
// globally.
func WithRegistry(reg *prometheus.Registry) Option {
	return func(c *config) error {
		if reg == nil {
			return errors.New("server: nil registry")
		}
		c.registry = reg
		return nil
	}
}

// WithMiddleware adds middleware after the server's own (request id, metrics, logging, problems,
// recovery, body limit, timeout), in the order given: an error it returns is written as a problem.
func WithMiddleware(m ...echo.MiddlewareFunc) Option {
	return func(c *config) error {
		for _, f := range m {
			if f == nil {
				return errors.New("server: nil middleware")
			}
		}
		c.middleware = append(c.middleware, m...)
		return nil
	}
}

// WithRoutes lets a district add routes to the reference server: add is called with the echo
// instance after the server's own routes are registered, so the added routes pass the same
// middleware and their errors are written through the same error table.
func WithRoutes(add func(e *echo.Echo)) Option {
	return func(c *config) error {
		if add == nil {
			return errors.New("server: nil route function")
		}
		c.routes = append(c.routes, add)
		return nil
	}
}

// WithNotifier replaces the notifier that delivers the outbox's messages (by default they are
// logged): a district plugs in its SMS gateway or messaging platform here.
func WithNotifier(n notify.Notifier) Option {
	return func(c *config) error {
		if n == nil {
			return errors.New("server: nil notifier")
		}
		c.notifier = n
		return nil
	}
}

// server holds what the handlers need.
type server struct {
	store     *store.Store
	calendar  *deadline.Calendar
	storeCal  *deadline.Calendar // the store's calendar when the server was built
	deadlines map[string]deadline.Policy
	names     []string
	log       *slog.Logger
	now       func() time.Time
	cfg       config

	// replays counts intakes answered from a stored idempotency key.
	replays prometheus.Counter
	// auth holds the rate limiters and the auth metrics (auth.go).
	auth *authState

	// intakeCfg is what the intake loop needs besides the store (intake.go).
	intakeCfg intakeConfig

	// web holds the pages' templates and limits; nil with WithoutPages.
	web *pageState
}

// New builds the reference server's handler from deps.
func New(deps Deps, opts ...Option) (http.Handler, error) {
	if deps.Store == nil {
		return nil, errors.New("server: Deps.Store is required")
	}
	if deps.Calendar == nil {
		return nil, errors.New("server: Deps.Calendar is required")
	}
	cfg := config{bodyLimit: DefaultBodyLimit, timeout: DefaultTimeout, draining: func() bool { return false }}
	cfg.auth = defaultAuthConfig()
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("server: nil option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.registry == nil {
		cfg.registry = prometheus.NewRegistry()
		cfg.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	s := &server{store: deps.Store, calendar: deps.Calendar, storeCal: deps.Store.Calendar(), log: deps.Logger, now: deps.Now, cfg: cfg,
		deadlines: map[string]deadline.Policy{},
		replays: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "hotline", Name: "intake_idempotent_replays_total",
			Help: "Intakes answered from a stored Idempotency-Key without storing anything new."})}
	if err := cfg.registry.Register(s.replays); err != nil {
		return nil, fmt.Errorf("server: metrics: %w", err)
	}
	if s.log == nil {
		s.log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	ic, err := newIntakeConfig(deps.Screening, deps.Repeats)
	if err != nil {
		return nil, err
	}
	s.intakeCfg = ic
	if s.now == nil {
		s.now = time.Now
	}
	policies := deps.Deadlines
	if policies == nil {
		policies = deadline.Presets()
	}
	for i, p := range policies {
		if err := p.Validate(); err != nil {
			return nil, err
		}
		if _, dup := s.deadlines[p.Name]; dup {
			return nil, errors.New("server: Deps.Deadlines names policy " + p.Name + " twice")
		}
		s.deadlines[p.Name] = policies[i]
		s.names = append(s.names, p.Name)
	}

	if err := s.initPages(); err != nil {
		return nil, err
	}

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Logger.SetOutput(io.Discard)
	e.HTTPErrorHandler = s.writeError
	if err := s.use(e); err != nil {
		return nil, err
	}
	if err := s.initAuth(e); err != nil {
		return nil, err
	}
	e.Use(cfg.middleware...)
	s.routes(e)
	for _, add := range cfg.routes {
		add(e)
	}
	return e, nil
}
