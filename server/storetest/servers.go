package storetest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ory/dockertest/v3"
	dc "github.com/ory/dockertest/v3/docker"
)

// Default images for the Docker fallback: the oldest versions the store supports.
const (
	DefaultPostgresImage = "postgres"
	DefaultPostgresTag   = "16"
	DefaultMySQLImage    = "mariadb"
	DefaultMySQLTag      = "10.11"
)

// containerLabel marks the containers the harness starts.
const containerLabel = "org.hotline12345.storetest"

// found is the outcome of looking for a leg's server, made once per process.
type found struct {
	once sync.Once
	srv  server
	err  error
	pool *dockertest.Pool
	res  *dockertest.Resource
}

var (
	foundMu sync.Mutex
	founds  = map[Leg]*found{}
)

func serverFor(ctx context.Context, leg Leg) (server, error) {
	foundMu.Lock()
	f := founds[leg]
	if f == nil {
		f = &found{}
		founds[leg] = f
	}
	foundMu.Unlock()
	// The outcome is kept for the whole process, so it must not depend on the first caller's context:
	// locate bounds its own waits (5 s for the engine's ping, 2 min for a container to answer).
	f.once.Do(func() { f.srv, f.pool, f.res, f.err = locate(context.Background(), leg, os.Getenv, newPool) })
	if f.err == nil {
		if err := ctx.Err(); err != nil {
			return server{}, err
		}
	}
	return f.srv, f.err
}

// Main runs the tests, then removes the Docker containers the harness started, and exits with the
// tests' status. Call it from TestMain in any package that may use the Docker fallback.
func Main(m *testing.M) {
	code := m.Run()
	if err := Purge(); err != nil {
		fmt.Fprintln(os.Stderr, "storetest:", err)
	}
	os.Exit(code)
}

// Purge removes the Docker containers the harness started in this process. Main calls it.
func Purge() error {
	foundMu.Lock()
	defer foundMu.Unlock()
	var errs []error
	for leg, f := range founds {
		if f.res != nil {
			if err := f.pool.Purge(f.res); err != nil {
				errs = append(errs, fmt.Errorf("removing the %s container: %w", leg, err))
			}
			f.res = nil
		}
	}
	return errors.Join(errs...)
}

// dockerPool is what locate needs of a Docker engine; newPool wraps dockertest.
type dockerPool interface {
	Ping(ctx context.Context) error
	Pool() *dockertest.Pool
}

type realPool struct{ p *dockertest.Pool }

func (r realPool) Ping(ctx context.Context) error { return r.p.Client.PingWithContext(ctx) }
func (r realPool) Pool() *dockertest.Pool         { return r.p }

func newPool() (dockerPool, error) {
	p, err := dockertest.NewPool("")
	if err != nil {
		return nil, err
	}
	return realPool{p}, nil
}

// locate finds the server for leg: the DSN variable, else a Docker container, else ErrUnavailable.
func locate(ctx context.Context, leg Leg, getenv func(string) string, pool func() (dockerPool, error)) (server, *dockertest.Pool, *dockertest.Resource, error) {
	envDSN := EnvPostgresDSN
	if leg == LegMariaDB {
		envDSN = EnvMySQLDSN
	}
	if dsn := strings.TrimSpace(getenv(envDSN)); dsn != "" {
		srv := server{leg: leg, dsn: dsn, source: envDSN}
		if err := checkDSN(leg, dsn); err != nil {
			return server{}, nil, nil, fmt.Errorf("%s: %w", envDSN, err)
		}
		return srv, nil, nil, nil
	}
	switch strings.ToLower(getenv(EnvDocker)) {
	case "0", "off", "false", "no":
		return server{}, nil, nil, fmt.Errorf("%w: %s is not set and %s=%s turns the Docker fallback off", ErrUnavailable, envDSN, EnvDocker, getenv(EnvDocker))
	}
	p, err := pool()
	if err == nil {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = p.Ping(pctx)
		cancel()
	}
	if err != nil {
		return server{}, nil, nil, fmt.Errorf("%w: %s is not set and no Docker engine answers: %v", ErrUnavailable, envDSN, err)
	}
	srv, res, err := startContainer(ctx, leg, getenv, p.Pool())
	if err != nil {
		return server{}, nil, nil, fmt.Errorf("%s is not set and the Docker fallback failed (set %s to a reachable server, override the image with %s, or set %s=0 to skip): %w",
			envDSN, envDSN, imageVar(leg), EnvDocker, err)
	}
	return srv, p.Pool(), res, nil
}

func imageVar(leg Leg) string {
	if leg == LegMariaDB {
		return EnvMySQLImage + "/" + EnvMySQLTag
	}
	return EnvPostgresImage + "/" + EnvPostgresTag
}

// checkDSN refuses a DSN of the wrong scheme early, with the variable's name.
func checkDSN(leg Leg, dsn string) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return errors.New("not a URL")
	}
	switch {
	case leg == LegPostgres && u.Scheme != "postgres" && u.Scheme != "postgresql":
		return errors.New("want postgres://user:pass@host:5432/database?sslmode=disable")
	case leg == LegMariaDB && u.Scheme != "mysql" && u.Scheme != "mariadb":
		return errors.New("want mysql://user:pass@host:3306/database")
	case u.Host == "":
		return errors.New("no host")
	}
	return nil
}

// image returns the repository and tag for leg, from the environment or the defaults.
func image(leg Leg, getenv func(string) string) (string, string) {
	repo, tag := DefaultPostgresImage, DefaultPostgresTag
	envRepo, envTag := EnvPostgresImage, EnvPostgresTag
	if leg == LegMariaDB {
		repo, tag = DefaultMySQLImage, DefaultMySQLTag
		envRepo, envTag = EnvMySQLImage, EnvMySQLTag
	}
	if v := strings.TrimSpace(getenv(envRepo)); v != "" {
		repo = v
	}
	if v := strings.TrimSpace(getenv(envTag)); v != "" {
		tag = v
	}
	return repo, tag
}

const containerPassword = "hotline-test"

func startContainer(ctx context.Context, leg Leg, getenv func(string) string, pool *dockertest.Pool) (server, *dockertest.Resource, error) {
	repo, tag := image(leg, getenv)
	opts := &dockertest.RunOptions{Repository: repo, Tag: tag, Labels: map[string]string{containerLabel: "1"}}
	port := "5432/tcp"
	if leg == LegMariaDB {
		port = "3306/tcp"
		opts.Env = []string{
			"MARIADB_ROOT_PASSWORD=" + containerPassword, "MARIADB_DATABASE=hotline",
			"MYSQL_ROOT_PASSWORD=" + containerPassword, "MYSQL_DATABASE=hotline", // for a mysql image
		}
	} else {
		opts.Env = []string{"POSTGRES_PASSWORD=" + containerPassword, "POSTGRES_DB=hotline"}
	}
	res, err := pool.RunWithOptions(opts, func(hc *dc.HostConfig) {
		hc.AutoRemove = true
		hc.RestartPolicy = dc.RestartPolicy{Name: "no"}
	})
	if err != nil {
		return server{}, nil, fmt.Errorf("starting %s:%s: %w", repo, tag, err)
	}
	hostPort := res.GetHostPort(port)
	if host := dockerHost(); host != "" {
		if _, p, err := net.SplitHostPort(hostPort); err == nil {
			hostPort = net.JoinHostPort(host, p)
		}
	}
	srv := server{leg: leg, source: fmt.Sprintf("docker %s:%s", repo, tag)}
	if leg == LegMariaDB {
		srv.dsn = fmt.Sprintf("mysql://root:%s@%s/hotline", containerPassword, hostPort)
	} else {
		srv.dsn = fmt.Sprintf("postgres://postgres:%s@%s/hotline?sslmode=disable", containerPassword, hostPort)
	}
	pool.MaxWait = 2 * time.Minute
	err = pool.Retry(func() error {
		db, err := adminConn(srv)
		if err != nil {
			return err
		}
		defer db.Close()
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		return db.PingContext(pctx)
	})
	if err != nil {
		_ = pool.Purge(res)
		return server{}, nil, fmt.Errorf("%s:%s did not answer: %w", repo, tag, err)
	}
	return srv, res, nil
}

// dockerHost returns the host of a tcp:// DOCKER_HOST, where published ports are reached; "" for a
// local socket (ports are on localhost).
func dockerHost() string {
	u, err := url.Parse(os.Getenv("DOCKER_HOST"))
	if err != nil || u.Scheme != "tcp" {
		return ""
	}
	return u.Hostname()
}
