package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/demo"
	"github.com/hotline12345/hotline/server/notify/notifytest"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/server/storetest"
)

// Two `hotline serve` processes on one PostgreSQL (and one MariaDB) database serve the same API: a
// ticket taken in through one is read and acted on through the other, with the version one handed out
// checked by the other (If-Match); both run the sweeper and the outbox worker, and every notice
// reaches the webhook receiver once (keyed on its id), whichever instance delivered it; the audit
// chain verifies afterwards (issue 13, "Several instances").
func TestTwoServeInstancesOnOneDatabase(t *testing.T) {
	for _, leg := range []storetest.Leg{storetest.LegPostgres, storetest.LegMariaDB} {
		t.Run(string(leg), func(t *testing.T) {
			dsn := storetest.DSN(t, leg)
			vars := map[string]string{"HOTLINE_KEY": testKey}
			keysFile := filepath.Join(t.TempDir(), "keys.json")
			_, logs, err := runCmd(t, vars, "demo", "-db", dsn, "-demo-keys", keysFile)
			require.NoError(t, err, logs)
			f, err := os.Open(keysFile)
			require.NoError(t, err)
			keys, err := demo.ReadKeys(f)
			require.NoError(t, f.Close())
			require.NoError(t, err)
			office := ""
			for _, k := range keys {
				if k.Role == store.RoleHotlineOffice {
					office = "Bearer " + k.Secret
				}
			}
			require.NotEmpty(t, office)

			secret := []byte("two-instances-webhook-secret")
			secretFile := filepath.Join(t.TempDir(), "webhook.secret")
			require.NoError(t, os.WriteFile(secretFile, secret, 0o600))
			receiver := notifytest.NewReceiver(t, secret, 0)
			jobs := []string{"-webhook-url", receiver.URL, "-webhook-secret-file", secretFile,
				"-sweep-interval", "100ms", "-outbox-interval", "20ms"}
			a, _, aErr, stopA := startServeEnv(t, vars, dsn, append(jobs, "-instance", "a")...)
			b, _, bErr, stopB := startServeEnv(t, vars, dsn, append(jobs, "-instance", "b")...)

			do := func(method, url, body string, hdr ...string) *http.Response {
				t.Helper()
				req, err := http.NewRequest(method, url, strings.NewReader(body))
				require.NoError(t, err)
				req.Header.Set("Authorization", office)
				if body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				for i := 0; i+1 < len(hdr); i += 2 {
					req.Header.Set(hdr[i], hdr[i+1])
				}
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				t.Cleanup(func() { resp.Body.Close() })
				return resp
			}
			resp := do(http.MethodPost, a+"/v1/tickets", `{"channel":"phone","kind":"complaint","title":"两台实例测试",
 "content":"小区路灯不亮，晚上看不见路。","citizen":{"name":"李四","phone":"13912345678"},
 "place":{"region_code":"310113003003","address":"宝钢三村"}}`, "Idempotency-Key", "two-instances-"+string(leg))
			body, _ := io.ReadAll(resp.Body)
			require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", body)
			var created struct {
				Ticket struct {
					ID string `json:"id"`
				} `json:"ticket"`
			}
			require.NoError(t, json.Unmarshal(body, &created))
			require.NotEmpty(t, created.Ticket.ID, "%s", body)

			got := do(http.MethodGet, b+"/v1/tickets/"+created.Ticket.ID, "")
			require.Equal(t, http.StatusOK, got.StatusCode)
			etag := got.Header.Get("ETag")
			require.NotEmpty(t, etag)
			same := do(http.MethodGet, a+"/v1/tickets/"+created.Ticket.ID, "")
			assert.Equal(t, etag, same.Header.Get("ETag"), "both instances see the same version")

			// One instance acts with the version both handed out; the other then refuses the same,
			// now stale, version and names the current one.
			v, err := strconv.Atoi(strings.Trim(etag, `"`))
			require.NoError(t, err, etag)
			dispatch := `{"action":"dispatch","payload":{"dispatch":{"lead":"` + demo.HandlingUnit + `","dispatch_mode":"statutory"}}}`
			acted := do(http.MethodPost, b+"/v1/tickets/"+created.Ticket.ID+"/actions", dispatch, "If-Match", etag)
			actedBody, _ := io.ReadAll(acted.Body)
			require.Equal(t, http.StatusOK, acted.StatusCode, "%s", actedBody)
			stale := do(http.MethodPost, a+"/v1/tickets/"+created.Ticket.ID+"/actions", dispatch, "If-Match", etag)
			staleBody, _ := io.ReadAll(stale.Body)
			assert.Equal(t, http.StatusPreconditionFailed, stale.StatusCode, "%s", staleBody)
			assert.Contains(t, string(staleBody), `"current_version":`+strconv.Itoa(v+1))

			// The demo's tickets include overdue ones: both sweepers run, each notice arrives once.
			require.Eventually(t, func() bool {
				return len(receiver.Accepted()) >= 10
			}, 60*time.Second, 50*time.Millisecond, "a: %s\nb: %s", aErr.String(), bErr.String())
			time.Sleep(time.Second) // let a second delivery of anything arrive, if one were coming
			// Both instances did the work: each swept, and their deliveries add up to the notices
			// received (read until they agree: a delivery is counted after the receiver answered).
			scrape := func(base string) (rounds, delivered float64) {
				resp, err := http.Get(base + "/metrics")
				if err != nil {
					return 0, 0
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(resp.Body)
				return metricSum(string(body), "hotline_sweep_rounds_total"), metricSum(string(body), "hotline_outbox_delivered_total")
			}
			require.Eventually(t, func() bool {
				ra, da := scrape(a)
				rb, db := scrape(b)
				n := len(receiver.Accepted())
				t.Logf("%s: sweep rounds a=%v b=%v, delivered a=%v b=%v, received %d", leg, ra, rb, da, db, n)
				return ra > 0 && rb > 0 && da+db == float64(n)
			}, 10*time.Second, 200*time.Millisecond, "both instances sweep, and every delivery counted arrived once")
			require.NoError(t, stopA())
			require.NoError(t, stopB())
			seen := receiver.Accepted()
			assert.Zero(t, receiver.Unverified(), "every request carried a valid signature")
			for id, n := range seen {
				assert.Equal(t, 1, n, "notice %s delivered %d times", id, n)
			}
			t.Logf("%s: %d notices, each delivered once across two instances", leg, len(seen))
			out, _, err := runCmd(t, nil, "audit", "verify", "-db", dsn)
			require.NoError(t, err, out)
		})
	}
}

// metricSum adds the values of every sample of metric name in a Prometheus text exposition.
func metricSum(exposition, name string) float64 {
	sum := 0.0
	for _, line := range strings.Split(exposition, "\n") {
		if !strings.HasPrefix(line, name+" ") && !strings.HasPrefix(line, name+"{") {
			continue
		}
		if f, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64); err == nil {
			sum += f
		}
	}
	return sum
}
