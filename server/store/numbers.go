package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// A Store reserves the numbers of a day from the day's counter row in blocks, on PostgreSQL and
// MySQL: the counter is touched once per block instead of once per intake (a round trip and a commit
// of its own, or a row lock held until the intake commits). A block starts at minNumberBlock numbers
// and doubles, up to maxNumberBlock, while the previous one lasted less than numberBlockGrow; a
// process that stops leaves the rest of its block unused, so the gaps stay small where intakes are
// few.
const (
	minNumberBlock  = 16
	maxNumberBlock  = 256
	numberBlockGrow = 2 * time.Second
)

// maxNumberDays bounds how many days' numbers a Store keeps (intakes are received today, now and
// then yesterday or earlier).
const maxNumberDays = 4

// numberPool hands out ticket sequence numbers from blocks reserved in the database. Numbers stay
// unique across processes (each block is reserved by one atomic upsert) and gap-tolerant, as the
// issue allows; they are not issued in order across processes, nor strictly within one when two
// blocks are reserved at once. No intake waits for a reservation another one makes: the next block
// is reserved when a quarter of the current one is left, by the intake that notices, after it has
// its number; intakes that find none left reserve a block each.
type numberPool struct {
	mu   sync.Mutex
	days map[int]*numberRange
}

// numberRange is a day's unused numbers: reserved blocks (first, last) in order, and numbers given
// back by intakes that were rolled back.
type numberRange struct {
	blocks    [][2]int64
	spare     []int64
	size      int64 // of the next block
	reserved  time.Time
	reserving bool
}

func (r *numberRange) left() int64 {
	var n int64
	for _, b := range r.blocks {
		n += b[1] - b[0] + 1
	}
	return n
}

// take returns the next number, or false when none is left.
func (r *numberRange) take() (int64, bool) {
	if len(r.spare) > 0 {
		n := r.spare[0]
		r.spare = r.spare[1:]
		return n, true
	}
	for len(r.blocks) > 0 {
		b := &r.blocks[0]
		if b[0] <= b[1] {
			b[0]++
			return b[0] - 1, true
		}
		r.blocks = r.blocks[1:]
	}
	return 0, false
}

// nextSize returns the size of the block to reserve now, growing it while blocks go fast.
func (r *numberRange) nextSize(now time.Time) int64 {
	if r.size == 0 {
		r.size = minNumberBlock
	} else if now.Sub(r.reserved) < numberBlockGrow {
		r.size = min(2*r.size, maxNumberBlock)
	} else {
		r.size = minNumberBlock
	}
	r.reserved = now
	return r.size
}

// takeSeq returns the next sequence number for the received date, reserving a block when the day
// has none left, and the next one early when a quarter of it is left.
func (s *Store) takeSeq(ctx context.Context, received time.Time) (int64, error) {
	day := dayOf(received)
	pool := &s.numbers
	pool.mu.Lock()
	if pool.days == nil {
		pool.days = map[int]*numberRange{}
	}
	r := pool.days[day]
	if r == nil {
		for len(pool.days) >= maxNumberDays {
			delete(pool.days, slices.Min(mapKeys(pool.days)))
		}
		r = &numberRange{}
		pool.days[day] = r
	}
	n, ok := r.take()
	var size int64
	if !ok || (!r.reserving && r.left() <= r.size/4) {
		size = r.nextSize(time.Now())
		r.reserving = ok
	}
	pool.mu.Unlock()
	if size == 0 {
		return n, nil
	}
	last, err := s.reserveSeq(ctx, day, size)
	pool.mu.Lock()
	defer pool.mu.Unlock()
	if ok {
		r.reserving = false
		if err == nil {
			r.blocks = append(r.blocks, [2]int64{last - size + 1, last})
		}
		// A failed early reservation is not this intake's concern: it has its number.
		return n, nil
	}
	if err != nil {
		return 0, err
	}
	r.blocks = append(r.blocks, [2]int64{last - size + 2, last})
	return last - size + 1, nil
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
