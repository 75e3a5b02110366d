package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	envCrashDB    = "HOTLINE_CRASH_CHILD_DB"
	envCrashStart = "HOTLINE_CRASH_CHILD_START"
)

// TestCrashChild is the child of TestCrashSIGKILL: it runs intakes (and a transition on each) until it
// is killed, printing "ACK key id" after each intake is committed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(envCrashDB)
	if path == "" {
		t.Skip("the child of TestCrashSIGKILL; runs only when re-executed by it")
	}
	start, _ := strconv.Atoi(os.Getenv(envCrashStart))
	ctx := context.Background()
	s, err := Open(ctx, path, testOptions(t))
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	now := at("2026-11-23 09:00")
	for i := start; ; i++ {
		key := fmt.Sprintf("crash-%d", i)
		res, err := s.Intake(ctx, office, IntakeRequest{Key: key, Intake: sampleIntake(key)}, now)
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(2)
		}
		fmt.Printf("ACK %s %s\n", key, res.ID)
		if _, err := s.Apply(ctx, office, res.ID, 1, dispatch("unit-a"), now.Add(time.Minute)); err != nil {
			fmt.Println("ERR", err)
			os.Exit(2)
		}
	}
}

// A child process is killed with SIGKILL in the middle of intake transactions, many times. After each
// restart every acknowledged intake is present, nothing is half-written (every ticket has its events,
// its key, its audit rows, and replays to its projection), and the chain verifies.
func TestCrashSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crash.db")
	s, err := Open(ctx, path, testOptions(t))
	require.NoError(t, err)
	seedUnits(t, s)
	require.NoError(t, s.Close())

	acked := map[string]string{}
	next := 0
	const rounds = 12
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), envCrashDB+"="+path, envCrashStart+"="+strconv.Itoa(next))
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// The kill comes a varying while after the child's first acknowledged intake, so it lands in
		// the middle of intake transactions however slowly the child started.
		var deadline <-chan time.Time
		giveUp := time.After(60 * time.Second)
	read:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					break read
				}
				if strings.HasPrefix(l, "ERR") {
					t.Fatalf("child: %s", l)
				}
				if f := strings.Fields(l); len(f) == 3 && f[0] == "ACK" {
					acked[f[1]] = f[2]
					next++
					if deadline == nil {
						deadline = time.After(time.Duration(20+37*round%150) * time.Millisecond)
					}
				}
			case <-giveUp:
				_ = cmd.Process.Kill()
				t.Fatal("the child acknowledged nothing in 60s")
			case <-deadline:
				require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
				break read
			}
		}
		for range lines { // the child is dead; drain what it wrote before
		}
		_ = cmd.Wait()
		// Lines printed after the kill signal but before death are acknowledged too.
		next += 1000 // keys of the killed round's unacknowledged attempts are never reused

		s, err := Open(ctx, path, testOptions(t))
		require.NoError(t, err)
		for key, id := range acked {
			var n int
			require.NoError(t, s.db.NewSelect().Table("idempotency_keys").ColumnExpr("count(*)").Where("idem_key = ? AND ticket_id = ?", key, id).Scan(ctx, &n))
			assert.Equal(t, 1, n, "round %d: acknowledged %s lost", round, key)
			_, err := s.Get(ctx, system, id)
			assert.NoError(t, err, "round %d: %s", round, key)
		}
		var tickets, keys, firsts int
		require.NoError(t, s.db.NewSelect().Table("tickets").ColumnExpr("count(*)").Scan(ctx, &tickets))
		require.NoError(t, s.db.NewSelect().Table("idempotency_keys").ColumnExpr("count(*)").Scan(ctx, &keys))
		require.NoError(t, s.db.NewSelect().Table("ticket_events").ColumnExpr("count(*)").Where("seq = 1").Scan(ctx, &firsts))
		assert.Equal(t, tickets, keys, "round %d: a key without its ticket or the reverse", round)
		assert.Equal(t, tickets, firsts, "round %d: a ticket without its intake event", round)
		mm, err := s.VerifyTickets(ctx, auditor)
		require.NoError(t, err)
		assert.Empty(t, mm, "round %d", round)
		require.NoError(t, s.VerifyAudit(ctx, auditor), "round %d", round)
		require.NoError(t, s.Close())
	}
	t.Logf("%d rounds, %d acknowledged intakes survived SIGKILL", rounds, len(acked))
	assert.NotEmpty(t, acked)
}
