package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the baseline's driver
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/demo"
	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
	"github.com/hotline12345/hotline/ticket"
)

// The load benchmark: the built command serving on a fresh PostgreSQL database, driven over loopback
// from this process (a second process) by concurrent HTTP clients, against a bare INSERT of the same
// data in the same run. See BENCHMARKS.md.

// benchIntake is the body of the tickets received beforehand through the store for the transition.
const benchIntake = `{"channel":"phone","kind":"complaint","title":"夜间施工噪声","content":"宝钢一村旁工地夜间施工到凌晨，噪声扰民，请尽快处理。","citizen":{"name":"王建国","phone":"13900001111","address":"宝山区友谊路街道宝钢一村"},"place":{"region_code":"310113003001","address":"宝钢一村"},"matter":{"levels":[{"code":"05","label":"建设交通"},{"code":"0502","label":"建筑工地噪声"}]}}`

// intakeBody is the body of the n-th intake: a complaint of a caller of its own (phone 139 followed
// by n in eight digits) about a building of its own, so that no intake repeats another (004 §12) and
// each one takes the path of a new caller's first complaint: screened, routed, dispatched.
func intakeBody(n int64) string {
	return fmt.Sprintf(`{"channel":"phone","kind":"complaint","title":"夜间施工噪声（%[1]d号楼）",`+
		`"content":"宝钢一村%[1]d号楼旁工地夜间施工到凌晨，噪声扰民，请尽快处理。",`+
		`"citizen":{"name":"王建国","phone":"139%08[1]d","address":"宝山区友谊路街道宝钢一村%[1]d号"},`+
		`"place":{"region_code":"310113003001","address":"宝钢一村%[1]d号楼"},`+
		`"matter":{"levels":[{"code":"05","label":"建设交通"},{"code":"0502","label":"建筑工地噪声"}]}}`, n)
}

// benchDispatch is the transition: the hotline office dispatches a received ticket.
const benchDispatch = `{"action":"dispatch","payload":{"dispatch":{"lead":"yy-fgb","dispatch_mode":"statutory"}}}`

// loadServer is the command serving one fresh PostgreSQL database, with an API key of the street's
// hotline office, and a store on the same database for setting up tickets.
type loadServer struct {
	base   string
	office string
	st     *store.Store
	dsn    string
	client *http.Client
}

func startLoadServer(b *testing.B) *loadServer {
	b.Helper()
	ctx := context.Background()
	bin := buildHotline(b)
	dsn, drop, err := storetest.NewDSN(ctx, storetest.LegPostgres)
	if err != nil {
		b.Skipf("PostgreSQL: %v (set %s)", err, storetest.EnvPostgresDSN)
	}
	b.Cleanup(func() { _ = drop() })
	keys, err := secure.LoadKeys(env(map[string]string{"HOTLINE_KEY": testKey}))
	require.NoError(b, err)
	st, err := store.Open(ctx, dsn, store.Options{Keys: keys})
	require.NoError(b, err)
	b.Cleanup(func() { st.Close() })
	require.NoError(b, st.Migrate(ctx))
	_, err = demo.Load(ctx, st, time.Now())
	require.NoError(b, err)
	admin := store.Principal{Actor: "bench:admin", Unit: demo.AdminUnit, Role: store.RoleAdmin}
	_, office, err := st.CreateCredential(ctx, admin, demo.OfficeUnit, store.RoleHotlineOffice, "bench", time.Now())
	require.NoError(b, err)
	tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: time.Minute}
	return &loadServer{base: serveHotline(b, bin, dsn), office: office, st: st, dsn: dsn,
		client: &http.Client{Transport: tr, Timeout: time.Minute}}
}

// serveHotline starts the command bin serving database dsn on 127.0.0.1 and returns its base URL;
// it is interrupted (a graceful shutdown) when b ends.
func serveHotline(b *testing.B, bin, dsn string) string {
	b.Helper()
	cmd := exec.Command(bin, "serve", "-db", dsn, "-addr", "127.0.0.1:0", "-key-rate", "0") // one key drives it all
	cmd.Env = append(cleanEnv(), "HOTLINE_KEY="+testKey)
	stdout, err := cmd.StdoutPipe()
	require.NoError(b, err)
	cmd.Stderr = io.Discard // one JSON line per request
	require.NoError(b, cmd.Start())
	exited := make(chan error, 1)
	serving := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingOn.FindStringSubmatch(sc.Text()); m != nil {
				serving <- m[1]
			}
		}
		exited <- cmd.Wait()
	}()
	var base string
	select {
	case base = <-serving:
	case err := <-exited:
		b.Fatalf("serve exited: %v", err)
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		b.Fatal("serve did not start within 60s")
	}
	b.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	return base
}

// do sends one request and fails unless it answers want.
func (s *loadServer) do(method, path, body string, want int, hdr ...string) error {
	return s.doAt(s.base, method, path, body, want, hdr...)
}

// doAt is do on the server at base.
func (s *loadServer) doAt(base, method, path, body string, want int, hdr ...string) error {
	req, err := http.NewRequest(method, base+path, bytes.NewReader([]byte(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+s.office)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	return nil
}

// drive runs b.N calls from clients concurrent clients (1: the benchmark's goroutine, with
// b.Loop) and reports the p50 and p99 latencies and the throughput. prepare(i) returns the i-th
// call; only the call is timed.
func drive(b *testing.B, clients int, prepare func(i int64) func() error) {
	var n atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.ReportAllocs()
	start := time.Now()
	if clients == 1 {
		local := make([]time.Duration, 0, b.N)
		for b.Loop() {
			call := prepare(n.Add(1) - 1)
			t0 := time.Now()
			if err := call(); err != nil {
				b.Fatal(err)
			}
			local = append(local, time.Since(t0))
		}
		lat = local
		start = time.Now().Add(-sum(lat))
	} else {
		procs := runtime.GOMAXPROCS(0)
		b.SetParallelism((clients + procs - 1) / procs)
		b.ResetTimer()
		start = time.Now()
		b.RunParallel(func(pb *testing.PB) {
			var local []time.Duration
			for pb.Next() {
				call := prepare(n.Add(1) - 1)
				t0 := time.Now()
				if err := call(); err != nil {
					b.Error(err)
					return
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, local...)
			mu.Unlock()
		})
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
}

func sum(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

// receivedTickets intakes n tickets through the store (not timed) and returns their ids.
func (s *loadServer) receivedTickets(b *testing.B, n int) []string {
	b.Helper()
	var in ticket.Intake
	require.NoError(b, json.Unmarshal([]byte(benchIntake), &in))
	office := store.Principal{Actor: "bench:office", Unit: demo.OfficeUnit, Role: store.RoleHotlineOffice}
	ids := make([]string, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				res, err := s.st.Intake(context.Background(), office, store.IntakeRequest{Intake: in}, time.Now())
				if err != nil {
					errs <- err
					return
				}
				ids[i] = res.ID
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(b, err)
	}
	return ids
}

// BenchmarkServerLoad drives the built server on PostgreSQL over loopback with 1 and 16 concurrent
// clients: intake (POST /v1/tickets, each with its Idempotency-Key and a caller and text of its own),
// a transition (POST /v1/tickets/:id/actions: the office dispatches a received ticket, with
// If-Match), and the baseline, a bare INSERT of the intake's body from this process on the same
// database. Then "wire": a second server process on the same database, reaching it through a
// counting proxy (wire_test.go), takes one client's intakes and transitions, and reports the
// database round trips, transactions and write commits per call (its latencies include the proxy:
// read the counts only).
func BenchmarkServerLoad(b *testing.B) {
	s := startLoadServer(b)
	db, err := sql.Open("pgx", s.dsn)
	require.NoError(b, err)
	defer db.Close()
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	_, err = db.Exec("CREATE TABLE bench_bare (id TEXT PRIMARY KEY, body BYTEA NOT NULL)")
	require.NoError(b, err)
	var run atomic.Int64
	intake := func(base string) func(b *testing.B, clients int) {
		return func(b *testing.B, clients int) {
			r := run.Add(1)
			drive(b, clients, func(i int64) func() error {
				key := fmt.Sprintf("bench-%d-%d", r, i)
				body := intakeBody(r*1_000_000 + i)
				return func() error {
					return s.doAt(base, http.MethodPost, "/v1/tickets", body, http.StatusCreated, "Idempotency-Key", key)
				}
			})
		}
	}
	transition := func(base string) func(b *testing.B, clients int) {
		return func(b *testing.B, clients int) {
			// Each call dispatches a ticket of its own, received beforehand (not timed): all of
			// them up front for the parallel clients, where b.N is known; in batches for b.Loop.
			var ids []string
			if clients > 1 {
				ids = s.receivedTickets(b, b.N)
			}
			drive(b, clients, func(i int64) func() error {
				if clients == 1 && int(i) >= len(ids) {
					b.StopTimer()
					ids = append(ids, s.receivedTickets(b, 256)...)
					b.StartTimer()
				}
				path := "/v1/tickets/" + ids[i] + "/actions"
				return func() error {
					return s.doAt(base, http.MethodPost, path, benchDispatch, http.StatusOK, "If-Match", `"1"`)
				}
			})
		}
	}
	for _, clients := range []int{1, 16} {
		b.Run("clients="+strconv.Itoa(clients)+"/intake", func(b *testing.B) { intake(s.base)(b, clients) })
		b.Run("clients="+strconv.Itoa(clients)+"/transition", func(b *testing.B) { transition(s.base)(b, clients) })
		b.Run("clients="+strconv.Itoa(clients)+"/bare_insert", func(b *testing.B) {
			r := run.Add(1)
			drive(b, clients, func(i int64) func() error {
				id := fmt.Sprintf("%d-%d", r, i)
				body := []byte(intakeBody(r*1_000_000 + i))
				return func() error {
					_, err := db.Exec("INSERT INTO bench_bare (id, body) VALUES ($1, $2)", id, body)
					return err
				}
			})
		})
	}

	u, err := url.Parse(s.dsn)
	require.NoError(b, err)
	proxy := startPGProxy(b, u.Host)
	counted, err := proxy.dsn(s.dsn)
	require.NoError(b, err)
	wired := serveHotline(b, buildHotline(b), counted)
	// One intake first, so that the counts leave out what the server does once (its router).
	require.NoError(b, s.doAt(wired, http.MethodPost, "/v1/tickets", intakeBody(99_999_999), http.StatusCreated))
	// Counted per call: what the server sends the database for one call, from the request's
	// authentication to its answer.
	wire := func(name string, op func(b *testing.B, clients int)) {
		b.Run("wire/"+name, func(b *testing.B) {
			before := proxy.counts()
			op(b, 1)
			got := proxy.counts().minus(before)
			n := float64(b.N)
			b.ReportMetric(float64(got.RoundTrips)/n, "round-trips/op")
			b.ReportMetric(float64(got.Commits)/n, "commits/op")
			b.ReportMetric(float64(got.WriteCommits)/n, "write-commits/op")
			b.ReportMetric(float64(got.Rollbacks)/n, "rollbacks/op")
		})
	}
	wire("intake", intake(wired))
	wire("transition", transition(wired))
}
