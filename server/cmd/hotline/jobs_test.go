package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/notify"
	"github.com/hotline12345/hotline/server/notify/notifytest"
	"github.com/hotline12345/hotline/server/secure"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// serve runs the sweeper and the outbox worker: a ticket dispatched a week ago, whose first contact
// (1 working day, 004 §8 (一)) has run out, is announced to its unit, found overdue and urged
// (002 §6 (二) 1 (6)) (and its reply clock due soon or overdue, depending on today), and each notice
// reaches a signed webhook, which verifies it; /metrics shows
// both jobs; stopping serve stops them with nothing left claimed.
func TestServeRunsSweeperAndOutbox(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hotline.db")
	ctx := context.Background()
	keys, err := secure.LoadKeys(env(map[string]string{"HOTLINE_KEY": testKey}))
	require.NoError(t, err)
	st, err := store.Open(ctx, db, store.Options{Keys: keys})
	require.NoError(t, err)
	gw := store.Principal{Actor: "gateway", Role: store.RoleSystem}
	weekAgo := time.Now().Add(-7 * 24 * time.Hour)
	res, err := st.Intake(ctx, gw, store.IntakeRequest{Intake: ticket.Intake{Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint,
		Content: "路灯不亮", Place: ticket.Place{RegionCode: "310113001"}}}, weekAgo)
	require.NoError(t, err)
	_, err = st.Apply(ctx, gw, res.ID, 1, ticket.Request{Action: ticket.ActionDispatch, Payload: ticket.Payload{
		Dispatch: &ticket.Dispatch{Lead: "unit-a", DispatchMode: ticket.DispatchStatutory}}}, weekAgo.Add(time.Minute))
	require.NoError(t, err)
	require.NoError(t, st.Close())

	secret := []byte("serve-test-webhook-secret")
	secretFile := filepath.Join(dir, "webhook.secret")
	require.NoError(t, os.WriteFile(secretFile, append(secret, '\n'), 0o600))
	receiver := notifytest.NewReceiver(t, secret, 0)

	base, _, stderr, stop := startServeOn(t, db, "-webhook-url", receiver.URL, "-webhook-secret-file", secretFile,
		"-sweep-interval", "200ms", "-outbox-interval", "50ms", "-instance", "test-1")
	want := []string{notify.TopicDispatch, notify.TopicOverdue, notify.TopicUrge}
	require.Eventually(t, func() bool {
		topics := receiver.Topics()
		for _, w := range want {
			if !slices.Contains(topics, w) {
				return false
			}
		}
		return true
	}, 20*time.Second, 20*time.Millisecond, "want %v; stderr: %s", want, stderr.String())
	assert.Zero(t, receiver.Unverified(), "every request carried a valid signature")

	// The worker counts a delivery once the notifier has returned, which may be a moment after the
	// receiver saw it: read the metrics until the count is there.
	var body []byte
	metricsShow := func(m string) bool { return strings.Contains(string(body), m) }
	require.Eventually(t, func() bool {
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			return false
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		return metricsShow("hotline_outbox_delivered_total{topic=\"ticket.urge\"} 1")
	}, 10*time.Second, 20*time.Millisecond)
	for _, m := range []string{"hotline_sweep_rounds_total", "hotline_sweep_urged_total 1",
		"hotline_outbox_lag_seconds", "go_goroutines", "hotline_intake_idempotent_replays_total"} {
		assert.True(t, metricsShow(m), m)
	}
	require.NoError(t, stop(), "stderr: %s", stderr.String())

	st, err = store.Open(ctx, db, store.Options{Keys: keys})
	require.NoError(t, err)
	defer st.Close()
	stats, err := st.OutboxStats(ctx, gw)
	require.NoError(t, err)
	assert.Equal(t, store.OutboxStats{}, stats, "everything delivered and acknowledged")
	rec, err := st.Get(ctx, gw, res.ID)
	require.NoError(t, err)
	assert.Equal(t, "sweeper@test-1", rec.Ticket.History[len(rec.Ticket.History)-1].Actor)
}

// serve refuses a configuration of its jobs it cannot run, before serving, saying what is wrong.
func TestServeRefusesBadJobSettings(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "holidays")
	require.NoError(t, os.Mkdir(bad, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bad, "2027.json"), []byte(`{"year": 2027, "days": [`), 0o644))
	for name, tc := range map[string]struct {
		args []string
		env  map[string]string
		want string
	}{
		"webhook without a secret": {args: []string{"-webhook-url", "https://example.org/hook"}, want: "signing secret"},
		"short secret":             {args: []string{"-webhook-url", "https://example.org/hook"}, env: map[string]string{"HOTLINE_WEBHOOK_SECRET": "short"}, want: "at least 16"},
		"bad webhook URL":          {args: []string{"-webhook-url", "ftp://example.org"}, env: map[string]string{"HOTLINE_WEBHOOK_SECRET": "0123456789abcdef0123"}, want: "http or https"},
		"bad holiday file":         {args: []string{"-holidays", bad}, want: "holiday schedule not loaded"},
		"missing holiday dir":      {args: []string{"-holidays", filepath.Join(dir, "nowhere")}, want: "holiday schedule not loaded"},
		"bad interval":             {env: map[string]string{"HOTLINE_SWEEP_INTERVAL": "soon"}, want: "HOTLINE_SWEEP_INTERVAL"},
		"bad urge":                 {env: map[string]string{"HOTLINE_URGE": "maybe"}, want: "HOTLINE_URGE"},
	} {
		t.Run(name, func(t *testing.T) {
			e := map[string]string{"HOTLINE_KEY": testKey}
			for k, v := range tc.env {
				e[k] = v
			}
			var stdout, stderr bytes.Buffer
			args := append([]string{"serve", "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "x.db")}, tc.args...)
			err := run(context.Background(), args, env(e), &stdout, &stderr)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, stdout.String(), "serving on")
		})
	}
}

// With both intervals at 0 the instance runs no job (a web-only instance), and still serves.
func TestServeWithJobsOff(t *testing.T) {
	_, _, stderr, stop := startServe(t, "-sweep-interval", "0", "-outbox-interval", "0")
	require.NoError(t, stop())
	assert.Contains(t, stderr.String(), `"sweep_interval":0`)
}
