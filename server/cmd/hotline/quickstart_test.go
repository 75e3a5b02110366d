package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/storetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	if err := storetest.Purge(); err != nil {
		code = 1
	}
	os.Exit(code)
}

// built is the command, built once per test process by buildHotline.
var built struct {
	once sync.Once
	dir  string
	path string
	took time.Duration
	err  error
}

// goTool is the go command that runs these tests.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// buildHotline builds the command with go build, once, and returns its path.
func buildHotline(tb testing.TB) string {
	tb.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "hotline-cmd")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "hotline")
		start := time.Now()
		out, err := exec.Command(goTool(), "build", "-o", built.path, ".").CombinedOutput()
		built.took = time.Since(start)
		if err != nil {
			built.err = &buildError{out: string(out), err: err}
		}
	})
	require.NoError(tb, built.err)
	return built.path
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return "go build: " + e.err.Error() + "\n" + e.out }

// cleanEnv is the process environment without the variables the command reads.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "HOTLINE_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// The README's Quick start: on a fresh machine, in an empty directory with no key in the
// environment, "hotline serve -demo" starts with the demo data, answers /readyz within a minute,
// and exits cleanly on SIGINT. (The test listens on a free port; the default is 127.0.0.1:8080.)
func TestQuickStart(t *testing.T) {
	bin := buildHotline(t)
	t.Logf("go build took %s", built.took.Round(time.Millisecond))
	dir := t.TempDir()
	cmd := exec.Command(bin, "serve", "-demo", "-addr", "127.0.0.1:0")
	cmd.Dir = dir
	cmd.Env = cleanEnv()
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	start := time.Now()
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	var out syncBuffer
	serving := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			out.Write([]byte(line + "\n"))
			if m := servingOn.FindStringSubmatch(line); m != nil {
				serving <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		exited <- cmd.Wait()
	}()
	var base string
	select {
	case base = <-serving:
	case err := <-exited:
		t.Fatalf("serve -demo exited before serving: %v\nstdout: %s\nstderr: %s", err, out.String(), stderr.String())
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("serve -demo did not serve within a minute\nstdout: %s\nstderr: %s", out.String(), stderr.String())
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Since(start) > time.Minute {
			_ = cmd.Process.Kill()
			t.Fatalf("/readyz did not answer 200 within a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("/readyz answered %s after the process started", time.Since(start).Round(time.Millisecond))

	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	select {
	case err := <-exited:
		require.NoError(t, err, "a clean exit on SIGINT; stderr: %s", stderr.String())
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("serve -demo did not stop within 30s of SIGINT")
	}
	assert.Contains(t, out.String(), "DEMO IDENTITY KEY generated in hotline.db.key")
	assert.Contains(t, out.String(), "hotline: stopped")
	assert.Len(t, hlKey.FindAllString(out.String(), -1), 10, "five keys, listed and exported")
	fi, err := os.Stat(filepath.Join(dir, "hotline.db.key"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	assert.FileExists(t, filepath.Join(dir, "hotline.db"))
}

// The Quick start of the README opens with the two commands, in both languages' sections' shared
// block, and the default address is the one it promises.
func TestReadmeQuickStart(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	require.NoError(t, err)
	block := regexp.MustCompile("(?s)## 快速开始 · Quick start\n+```sh\n(.*?)```").FindSubmatch(readme)
	require.NotNil(t, block, "the Quick start's first code block")
	lines := strings.Split(strings.TrimSpace(string(block[1])), "\n")
	require.GreaterOrEqual(t, len(lines), 2)
	assert.Equal(t, "go run ./server/cmd/hotline serve -demo", lines[0])
	assert.Equal(t, "go test ./...", lines[1])
	assert.Equal(t, "127.0.0.1:8080", defaultAddr)
	assert.Equal(t, "hotline.db", defaultDB)
}
