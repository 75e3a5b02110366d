package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testKey is a master key for tests only.
const testKey = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

var servingOn = regexp.MustCompile(`serving on (http://127\.0\.0\.1:\d+)`)

// serve starts run("serve") on a random port of a fresh SQLite file and returns the base URL, the
// command's output and a function that stops it and returns run's error.
func startServe(t *testing.T, extra ...string) (base string, stdout, stderr *syncBuffer, stop func() error) {
	t.Helper()
	return startServeOn(t, filepath.Join(t.TempDir(), "hotline.db"), extra...)
}

func startServeOn(t *testing.T, db string, extra ...string) (base string, stdout, stderr *syncBuffer, stop func() error) {
	t.Helper()
	return startServeEnv(t, map[string]string{"HOTLINE_KEY": testKey}, db, extra...)
}

// startServeEnv is startServeOn with the environment vars.
func startServeEnv(t *testing.T, vars map[string]string, db string, extra ...string) (base string, stdout, stderr *syncBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	args := append([]string{"serve", "-addr", "127.0.0.1:0", "-db", db}, extra...)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, env(vars), stdout, stderr) }()
	deadline := time.Now().Add(30 * time.Second)
	for base == "" {
		if m := servingOn.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve returned before serving: %v\nstderr: %s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start within 30s; stderr: %s", stderr.String())
		}
	}
	var once sync.Once
	var result error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case result = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("serve did not stop within 30s")
			}
		})
		return result
	}
	t.Cleanup(func() { _ = stop() })
	return base, stdout, stderr, stop
}

func TestServeAnswersReadyzAndStopsGracefully(t *testing.T) {
	base, stdout, stderr, stop := startServe(t)
	client := &http.Client{Timeout: 5 * time.Second}
	var status int
	for range 100 {
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			status = resp.StatusCode
			resp.Body.Close()
			if status == http.StatusOK {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.Equal(t, http.StatusOK, status, "stderr: %s", stderr.String())
	require.NoError(t, stop())
	assert.Contains(t, stdout.String(), "hotline: stopped")
	assert.Contains(t, stderr.String(), `"msg":"request"`, "requests are logged as JSON")
	_, err := client.Get(base + "/livez")
	assert.Error(t, err, "the listener is closed")
}

// Only the demo generates a key: a plain serve without one refuses to start and writes no key file.
func TestServeRefusesWithoutKey(t *testing.T) {
	var stdout, stderr bytes.Buffer
	db := filepath.Join(t.TempDir(), "x.db")
	err := run(context.Background(), []string{"serve", "-addr", "127.0.0.1:0", "-db", db},
		env(nil), &stdout, &stderr)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "HOTLINE_KEY")
	assert.NoFileExists(t, db+".key")
	assert.NotContains(t, stdout.String(), "DEMO IDENTITY KEY")
}

func TestMigrate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	do := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), append([]string{"migrate"}, args...), env(map[string]string{"HOTLINE_DB": db}), &stdout, &stderr)
		return stdout.String() + stderr.String(), err
	}
	out, err := do("status")
	require.NoError(t, err)
	assert.Contains(t, out, "pending:")
	out, err = do("up")
	require.NoError(t, err)
	assert.Equal(t, "at head\n", out)
	out, err = do("down")
	require.NoError(t, err)
	assert.Contains(t, out, "pending:")
	out, err = do("unlock", "-db", db)
	require.NoError(t, err)
	assert.Contains(t, out, "pending:")
	_, err = do("sideways")
	assert.ErrorIs(t, err, errUsage)
	_, err = do()
	assert.ErrorIs(t, err, errUsage)
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr bool
		want    string
	}{
		{[]string{"help"}, false, "HOTLINE_KEY_FILE"},
		{nil, true, "Usage:"},
		{[]string{"frobnicate"}, true, `unknown command "frobnicate"`},
		{[]string{"serve", "-h"}, true, "-shutdown-timeout"},
		{[]string{"serve", "-nope"}, true, "flag provided but not defined"},
		{[]string{"serve", "extra"}, true, "unexpected argument"},
		{[]string{"migrate", "-h"}, true, "unlock"},
		{[]string{"help"}, false, "check-result"},
		{[]string{"help"}, false, "Exit status"},
		{[]string{"serve", "-h"}, true, "-demo"},
		{[]string{"serve", "-h"}, true, "127.0.0.1:8080"},
		{[]string{"demo", "-h"}, true, "DB.key"},
		{[]string{"demo", "extra"}, true, "unexpected argument"},
		{[]string{"audit"}, true, "hotline audit verify"},
		{[]string{"audit", "check"}, true, `unknown subcommand "check"`},
		{[]string{"audit", "verify", "-h"}, true, "latest"},
		{[]string{"verify", "-h"}, true, "HOTLINE_KEY_FILE"},
		{[]string{"score", "-h"}, true, "received_at"},
		{[]string{"score", "-cases", "x.csv"}, true, "-period is required"},
		{[]string{"check-result", "-h"}, true, "Exit status"},
		{[]string{"check-result"}, true, "exactly one result file"},
		{[]string{"check-result", "a.json", "b.json"}, true, "exactly one result file"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, env(nil), &stdout, &stderr)
			if tt.wantErr {
				assert.ErrorIs(t, err, errUsage)
			} else {
				assert.NoError(t, err)
			}
			assert.Contains(t, stdout.String()+stderr.String(), tt.want)
		})
	}
}
