package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// numberBlock is how many numbers of a day a Store reserves from the day's counter row at once on
// PostgreSQL and MySQL. The counter is then touched once per numberBlock intakes instead of once per
// intake (a round trip and a commit of its own, or a row lock held until the intake commits).
const numberBlock = 32

// maxNumberDays bounds how many days' blocks a Store keeps (intakes are received today, now and then
// yesterday or earlier).
const maxNumberDays = 4

// numberPool hands out ticket sequence numbers from blocks reserved in the database. Numbers stay
// unique across processes (each block is reserved by one atomic upsert) and are gap-tolerant, as
// the issue allows: a process that stops leaves the rest of its block unused, and numbers of one day
// are issued in increasing order per process, not across processes.
type numberPool struct {
	mu   sync.Mutex
	days map[int]*numberRange
}

// numberRange is a day's unused numbers: next…end of the current block, and numbers given back
// by intakes that were rolled back.
type numberRange struct {
	next, end int64
	spare     []int64
}

// takeSeq returns the next sequence number for the received date, reserving a new block when the
// day's is used up.
func (s *Store) takeSeq(ctx context.Context, received time.Time) (int64, error) {
	day := dayOf(received)
	pool := &s.numbers
	pool.mu.Lock()
	defer pool.mu.Unlock()
	r := pool.days[day]
	if r != nil && len(r.spare) > 0 {
		n := r.spare[0]
		r.spare = r.spare[1:]
		return n, nil
	}
	if r != nil && r.next <= r.end {
		r.next++
		return r.next - 1, nil
	}
	// The reservation runs under the pool's lock: other intakes of this Store wait one round trip,
	// once per block, instead of each reserving a block of its own.
	last, err := s.reserveSeq(ctx, day, numberBlock)
	if err != nil {
		return 0, err
	}
	if pool.days == nil {
		pool.days = map[int]*numberRange{}
	}
	if r == nil {
		for len(pool.days) >= maxNumberDays {
			delete(pool.days, slices.Min(mapKeys(pool.days)))
		}
		r = &numberRange{}
		pool.days[day] = r
	}
	r.next, r.end = last-numberBlock+2, last
	return last - numberBlock + 1, nil
}

// giveBackSeq returns a number whose intake was rolled back, so the next intake of the day uses it.
func (s *Store) giveBackSeq(received time.Time, n int64) {
	pool := &s.numbers
	pool.mu.Lock()
	defer pool.mu.Unlock()
	if r := pool.days[dayOf(received)]; r != nil {
		i, _ := slices.BinarySearch(r.spare, n)
		r.spare = slices.Insert(r.spare, i, n)
	}
}

func mapKeys(m map[int]*numberRange) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// reserveSeq advances the day's counter by n in its own autocommit statement, on one connection
// (MySQL's LAST_INSERT_ID is per connection), and returns the last number reserved: the block is
// last-n+1 … last.
func (s *Store) reserveSeq(ctx context.Context, day int, n int64) (int64, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: issuing a ticket number: %w", err)
	}
	defer conn.Close()
	return s.advanceSeq(ctx, conn, day, n)
}

// advanceSeq advances the day's counter row by n and returns its new value: an upsert, atomic on
// every dialect.
func (s *Store) advanceSeq(ctx context.Context, db bun.IDB, day int, n int64) (int64, error) {
	var last int64
	switch s.dialect {
	case MySQL:
		// LAST_INSERT_ID(expr) hands the new value to this connection.
		if _, err := db.ExecContext(ctx, "INSERT INTO ticket_numbers (prefix, day, last) VALUES (?, ?, LAST_INSERT_ID(?)) "+
			"ON DUPLICATE KEY UPDATE last = LAST_INSERT_ID(last + ?)", s.prefix, day, n, n); err != nil {
			return 0, fmt.Errorf("store: issuing a ticket number: %w", err)
		}
		if err := db.QueryRowContext(ctx, "SELECT LAST_INSERT_ID()").Scan(&last); err != nil {
			return 0, fmt.Errorf("store: issuing a ticket number: %w", err)
		}
	default:
		if err := db.NewRaw("INSERT INTO ticket_numbers (prefix, day, last) VALUES (?, ?, ?) "+
			"ON CONFLICT (prefix, day) DO UPDATE SET last = ticket_numbers.last + ? RETURNING last", s.prefix, day, n, n).
			Scan(ctx, &last); err != nil {
			return 0, fmt.Errorf("store: issuing a ticket number: %w", err)
		}
	}
	return last, nil
}
