package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hotline12345/hotline/server"
	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/server/store"
)

// Defaults of serve.
const (
	defaultAddr     = "127.0.0.1:8080"
	defaultDB       = "hotline.db"
	defaultDrain    = 0 * time.Second
	defaultShutdown = 30 * time.Second
)

// envOr returns the environment variable name's value, or def when it is empty.
func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// parse parses args with fs, printing the usage to stderr on failure.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return errUsage // fs has printed what is wrong (or the help asked for) and the usage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hotline %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

const serveUsage = `Usage: hotline serve [flags]

Serves the HTTP API until interrupted (SIGINT, SIGTERM), then shuts down gracefully:
/readyz turns 503, requests in flight finish, the database closes.
The identity key comes from HOTLINE_KEY or HOTLINE_KEY_FILE; only with -demo on a SQLite file,
when neither is set, is a demo key generated (DB.key, mode 0600).

Flags:
`

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, db := newFlags("serve", serveUsage, getenv, stderr)
	addr := fs.String("addr", envOr(getenv, "HOTLINE_ADDR", defaultAddr), "listen on this address (HOTLINE_ADDR); port 0 picks a free one")
	autoMigrate := fs.Bool("migrate", true, "apply pending migrations before serving (all dialects)")
	drain := fs.Duration("drain", defaultDrain, "on shutdown, answer /readyz 503 this long before closing the listener")
	shutdown := fs.Duration("shutdown-timeout", defaultShutdown, "on shutdown, wait this long for requests in flight")
	demoMode := fs.Bool("demo", false, "load the demo district before serving and print API keys and a walk-through (see \"hotline demo -h\")")
	demoKeys := fs.String("demo-keys", "", "with -demo: keep the demo's API keys in this file (default: next to a SQLite database, else "+defaultDemoKeys+")")
	defaultKeyRate := server.DefaultRateLimits().KeyRate
	if v := getenv("HOTLINE_KEY_RATE"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("serve: HOTLINE_KEY_RATE %q: want a number of requests a second", v)
		}
		defaultKeyRate = r
	}
	keyRate := fs.Float64("key-rate", defaultKeyRate, "requests a second per API key, bursts of twice that (HOTLINE_KEY_RATE); 0 turns the per-key limit off")
	jf := addJobFlags(fs, getenv) // jobs.go: the deadline sweeper and the outbox worker
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))

	if *demoMode {
		var err error
		if getenv, err = demoIdentity(getenv, *db, stdout, log); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	}
	keys, err := secure.LoadKeys(getenv)
	if err != nil {
		return fmt.Errorf("serve: the identity key: %w (set HOTLINE_KEY to 64 hexadecimal digits, or HOTLINE_KEY_FILE)", err)
	}
	st, err := store.Open(ctx, *db, store.Options{Keys: keys, NoAutoMigrate: !*autoMigrate})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer st.Close()
	if *autoMigrate {
		if err := st.Migrate(ctx); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	}
	jb, err := jf.start(ctx, st, log)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer jb.stop()
	var draining atomic.Bool
	limits := server.DefaultRateLimits()
	limits.KeyRate, limits.KeyBurst = *keyRate, max(1, int(math.Ceil(2**keyRate)))
	h, err := server.New(server.Deps{Store: st, Calendar: st.Calendar(), Logger: log},
		server.WithDraining(draining.Load), server.WithRateLimits(limits), server.WithNotifier(jb.notifier), server.WithRegistry(jb.registry))
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if *demoMode {
		if err := loadDemo(ctx, st, *db, *demoKeys, "http://"+ln.Addr().String(), stdout); err != nil {
			ln.Close()
			return fmt.Errorf("serve: %w", err)
		}
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "hotline: serving on http://%s (database %s)\n", ln.Addr(), st.Dialect())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	jb.run(ctx)

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", slog.Duration("drain", *drain))
	draining.Store(true)
	if *drain > 0 {
		time.Sleep(*drain)
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), *shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	jb.stop() // after the last request: the sweeper and the outbox worker finish what they hold
	fmt.Fprintln(stdout, "hotline: stopped")
	return nil
}
