package store

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pgGroup sends the PostgreSQL fast path's intakes that arrive together as one round: one round
// trip and one transaction, so that they share one commit and one WAL flush, as PostgreSQL's own
// group commit lets concurrent commits share a flush. An intake that finds fewer than
// pgRoundsInFlight rounds in flight sends at once, taking along the intakes queued; one that finds
// them all in flight queues, and the round that ends first hands the queue to the intake at its
// head, which sends it. A lone intake never waits for another.
//
// Every intake in a round is still all or nothing, and never refused for another's fault: the round
// is one transaction, and when any of its statements is refused the whole round is rolled back and
// each of its intakes is written again on its own (errRoundRefused), where it is written or refused
// exactly as it would have been alone. Each intake of a round holds its own audit shard
// (claimShard), so their chained rows never meet.
type pgGroup struct {
	mu       sync.Mutex
	queue    []*pgJoin
	inFlight int
	// rounds, intakes and refused count the rounds sent, the intakes they carried, and the rounds
	// of several intakes that were refused and written again one by one.
	rounds, intakes, refused atomic.Int64
}

// pgJoin is one intake's part in a round: its rows, its audit row and where its outcome goes.
type pgJoin struct {
	// deadline is the caller's, if its context has one.
	deadline time.Time
	w        intakeWrite
	row      auditRow
	office   string
	body     []byte
	// done receives the round's outcome, or the queue this intake is to send (lead).
	done chan pgRound
}

// pgRound is what a round tells an intake: how the round ended (err), or that this intake is to
// send the next round (lead).
type pgRound struct {
	err  error
	lead []*pgJoin
}

const (
	// pgRoundIntakes caps the intakes of one round.
	pgRoundIntakes = 16
	// pgRoundTimeout bounds a round. A round is sent without its sender's cancellation, since it
	// carries other callers' intakes; it ends by the latest of their deadlines when each has one
	// (roundDeadline).
	pgRoundTimeout = 30 * time.Second
)

// errRoundRefused tells an intake that its round was refused and rolled back: it is written again
// on its own.
var errRoundRefused = errors.New("store: intake round refused")

// pgRoundsInFlight is how many rounds a Store has in flight at once: as many as the Go scheduler
// runs goroutines in parallel, and at least two, so that one round is built while another is
// written.
func pgRoundsInFlight() int { return max(2, runtime.GOMAXPROCS(0)) }

// intakeInRound writes j's intake in a round (see pgGroup) and reports how the round ended. It
// returns only once the round has ended, whatever ctx does: the caller holds the intake's audit
// shard and must know whether its row was written. A ctx already done writes nothing; a round
// refused and written again one intake at a time follows each caller's own ctx.
func (s *Store) intakeInRound(ctx context.Context, j *pgJoin) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j.done = make(chan pgRound, 1)
	j.deadline, _ = ctx.Deadline()
	g := &s.pg.group
	g.mu.Lock()
	if g.inFlight < pgRoundsInFlight() {
		g.inFlight++
		round := append(g.takeLocked(pgRoundIntakes-1), j)
		g.mu.Unlock()
		s.sendRound(ctx, round)
	} else {
		g.queue = append(g.queue, j)
		g.mu.Unlock()
	}
	for {
		r := <-j.done
		if r.lead == nil {
			return r.err
		}
		s.sendRound(ctx, r.lead)
	}
}

// takeLocked removes up to n intakes from the head of the queue.
func (g *pgGroup) takeLocked(n int) []*pgJoin {
	n = min(n, len(g.queue))
	out := make([]*pgJoin, n, n+1)
	copy(out, g.queue)
	g.queue = append(g.queue[:0], g.queue[n:]...)
	return out
}

// finish ends a round in flight: the queue, if any, goes to the intake at its head as the next
// round, which stays in flight in its place.
func (g *pgGroup) finish() {
	g.mu.Lock()
	if len(g.queue) == 0 {
		g.inFlight--
		g.mu.Unlock()
		return
	}
	next := g.takeLocked(pgRoundIntakes)
	g.mu.Unlock()
	next[0].done <- pgRound{lead: next}
}

// sendRound writes round in one pipeline, tells each of its intakes how it ended, and ends it. A
// panic while writing it is reported to every intake of the round as an error before it goes on.
func (s *Store) sendRound(ctx context.Context, round []*pgJoin) {
	g := &s.pg.group
	told := false
	defer func() {
		if r := recover(); r != nil {
			if !told {
				for _, j := range round {
					j.done <- pgRound{err: fmt.Errorf("store: intake round: %v", r)}
				}
			}
			g.finish()
			panic(r)
		}
	}()
	// The audit heads are updated in the order of their shards, as another process's round
	// updates them: two rounds never wait for each other's heads in opposite orders.
	slices.SortFunc(round, func(a, b *pgJoin) int { return a.row.Shard - b.row.Shard })
	rctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), roundDeadline(round, time.Now()))
	sent, err := s.writeRound(rctx, round)
	cancel()
	g.rounds.Add(1)
	g.intakes.Add(int64(len(round)))
	var pe *pgconn.PgError
	if len(round) > 1 && err != nil && (!sent || errors.As(err, &pe) && pe.Severity == "ERROR") {
		// Refused by a statement, or not sent at all: nothing of the round was written, and
		// whose intake it was is for each to find out on its own.
		g.refused.Add(1)
		err = errRoundRefused
	}
	told = true
	for _, j := range round {
		j.done <- pgRound{err: err}
	}
	g.finish()
}

// writeRound writes the intakes of round — their rows, the rows each writes once, their audit rows
// — in one pipeline, which is one implicit transaction (no BEGIN and COMMIT: the statements up to
// the Sync are committed at it when none failed, and rolled back otherwise). The round's rows of
// each table go out as one INSERT. sent reports whether the statements reached the server: an
// error before that wrote nothing.
func (s *Store) writeRound(ctx context.Context, round []*pgJoin) (sent bool, err error) {
	err = s.onPgConn(ctx, func(c *pgx.Conn) error {
		b := pgBatch{s: s, ctx: ctx, c: c}
		var models []any
		for _, j := range round {
			models = append(models, j.w.rows...)
		}
		order, rows, err := rowsByType(models)
		if err != nil {
			return err
		}
		for _, t := range order {
			b.insertRows(rows[t])
		}
		for _, j := range round {
			for _, n := range j.w.once {
				b.insertIgnore(n)
			}
			b.audit(j.row, j.office, j.body)
		}
		if b.err != nil {
			return b.err
		}
		sent = true
		_, err = b.send()
		return err
	})
	return sent, err
}

// roundDeadline is when a round begun at now gives up: pgRoundTimeout after now, or sooner when
// every intake's caller has a deadline — then at the latest of them, so that no caller's intake is
// given up before its own deadline.
func roundDeadline(round []*pgJoin, now time.Time) time.Time {
	var latest time.Time
	for _, j := range round {
		if j.deadline.IsZero() {
			return now.Add(pgRoundTimeout)
		}
		if j.deadline.After(latest) {
			latest = j.deadline
		}
	}
	if limit := now.Add(pgRoundTimeout); latest.After(limit) {
		return limit
	}
	return latest
}
