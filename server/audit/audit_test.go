package audit_test

import (
	"bytes"
	"errors"
	"fmt"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/server/audit"
)

var t0 = time.Date(2026, 11, 29, 9, 30, 0, 123456789, time.FixedZone("CST", 8*3600))

// chain builds n well-formed rows.
func chain(n int) []audit.Row {
	rows := make([]audit.Row, 0, n)
	var prev []byte
	for i := 1; i <= n; i++ {
		e := audit.Entry{
			Seq:     int64(i),
			At:      t0.Add(time.Duration(i) * time.Second),
			Actor:   "unit:0192f0c4-street-office",
			Action:  "ticket.dispatch",
			Subject: fmt.Sprintf("ticket:%04d", i),
			Fields:  []string{"to=unit:housing", "phone=138****8000"},
		}
		h := audit.Next(prev, e)
		rows = append(rows, audit.Row{Entry: e, Hash: h})
		prev = h
	}
	return rows
}

func seq(rows []audit.Row) iter.Seq2[audit.Row, error] {
	return func(yield func(audit.Row, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}

func clone(rows []audit.Row) []audit.Row {
	out := make([]audit.Row, len(rows))
	for i, r := range rows {
		r.Fields = slices.Clone(r.Fields)
		r.Hash = bytes.Clone(r.Hash)
		out[i] = r
	}
	return out
}

func TestNextIsCanonical(t *testing.T) {
	e := chain(1)[0].Entry
	h := audit.Next(nil, e)
	assert.Len(t, h, audit.HashSize)
	assert.Equal(t, h, audit.Next([]byte{}, e), "nil and empty previous hash are the same genesis")

	utc := e
	utc.At = e.At.UTC()
	assert.Equal(t, h, audit.Next(nil, utc), "the instant is hashed, not its zone")

	variants := map[string]func(*audit.Entry){
		"seq":               func(e *audit.Entry) { e.Seq++ },
		"one nanosecond":    func(e *audit.Entry) { e.At = e.At.Add(1) },
		"actor":             func(e *audit.Entry) { e.Actor += "x" },
		"action":            func(e *audit.Entry) { e.Action = "ticket.close" },
		"subject":           func(e *audit.Entry) { e.Subject = "" },
		"field":             func(e *audit.Entry) { e.Fields[1] = "phone=139****8000" },
		"field removed":     func(e *audit.Entry) { e.Fields = e.Fields[:1] },
		"empty field added": func(e *audit.Entry) { e.Fields = append(e.Fields, "") },
		// Length prefixes: moving bytes from one field to the next changes the hash.
		"boundary moved": func(e *audit.Entry) { e.Actor, e.Action = e.Actor+e.Action[:1], e.Action[1:] },
		"fields joined":  func(e *audit.Entry) { e.Fields = []string{e.Fields[0] + e.Fields[1]} },
	}
	for name, change := range variants {
		t.Run(name, func(t *testing.T) {
			v := e
			v.Fields = slices.Clone(e.Fields)
			change(&v)
			assert.NotEqual(t, h, audit.Next(nil, v))
		})
	}
	assert.NotEqual(t, h, audit.Next(h, e), "the previous hash is covered")
}

// The encoding documented in doc.go, written out by hand, gives Next's hash; and the hash is pinned, so
// a change of encoding that forgets to change Scheme fails here.
func TestNextKnownAnswer(t *testing.T) {
	e := audit.Entry{Seq: 1, At: time.Unix(1, 2), Actor: "a", Action: "bc", Subject: "", Fields: []string{"d"}}
	var enc []byte
	enc = append(enc, 0, 0, 0, 16)
	enc = append(enc, "hotline/audit/v1"...)
	enc = append(enc, 0, 0, 0, 0) // no previous hash
	enc = append(enc, 0, 0, 0, 0, 0, 0, 0, 1)
	enc = append(enc, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2) // 1 s, 2 ns
	enc = append(enc, 0, 0, 0, 1, 'a', 0, 0, 0, 2, 'b', 'c', 0, 0, 0, 0)
	enc = append(enc, 0, 0, 0, 1, 0, 0, 0, 1, 'd')
	want := sm3.Sum(enc)
	assert.Equal(t, want[:], audit.Next(nil, e))
	assert.Equal(t, "hotline/audit/v1", audit.Scheme)
	assert.Equal(t, "fdf225cb326711a6bd1a248fd8aba0f6cabb13c155bba6a830306c7275d46b32", fmt.Sprintf("%x", audit.Next(nil, e)))
}

func TestVerifyIntactChain(t *testing.T) {
	require.NoError(t, audit.Verify(seq(nil)), "an empty chain verifies")
	rows := chain(50)
	require.NoError(t, audit.Verify(seq(rows)))
	head, err := audit.Tip(seq(rows))
	require.NoError(t, err)
	assert.Equal(t, int64(50), head.Size)
	assert.Equal(t, rows[49].Hash, head.Hash)
	require.NoError(t, audit.VerifyHead(seq(rows), audit.Head{Size: 30, Hash: rows[29].Hash}), "a longer chain still reaches an older head")
}

// Tampering with the chain (the flip, delete, reorder and truncate) names the first bad row.
func TestVerifyNamesFirstBadRow(t *testing.T) {
	const n = 10
	cases := []struct {
		name    string
		tamper  func([]audit.Row) []audit.Row
		want    *audit.Head // expected size and head, when the test gives one
		wantSeq int64
		reason  string
	}{
		{"flipped byte in a field", func(r []audit.Row) []audit.Row { r[3].Fields[1] = "phone=138****8001"; return r }, nil, 4, "hash does not match"},
		{"flipped byte in the subject", func(r []audit.Row) []audit.Row { r[6].Subject = "ticket:0077"; return r }, nil, 7, "hash does not match"},
		{"flipped byte in a stored hash", func(r []audit.Row) []audit.Row { r[4].Hash[0] ^= 1; return r }, nil, 5, "hash does not match"},
		{"time moved by a microsecond", func(r []audit.Row) []audit.Row { r[0].At = r[0].At.Add(time.Microsecond); return r }, nil, 1, "hash does not match"},
		{"row rewritten with a fresh hash", func(r []audit.Row) []audit.Row {
			r[2].Action = "ticket.close"
			r[2].Hash = audit.Next(r[1].Hash, r[2].Entry) // the next row still chains to the old hash
			return r
		}, nil, 4, "hash does not match"},
		{"deleted row", func(r []audit.Row) []audit.Row { return slices.Delete(r, 5, 6) }, nil, 6, "row missing: the next row has seq 7"},
		{"deleted first row", func(r []audit.Row) []audit.Row { return r[1:] }, nil, 1, "row missing"},
		{"deleted row, later seqs renumbered", func(r []audit.Row) []audit.Row {
			r = slices.Delete(r, 5, 6)
			for i := 5; i < len(r); i++ {
				r[i].Seq--
			}
			return r
		}, nil, 6, "hash does not match"},
		{"two rows swapped", func(r []audit.Row) []audit.Row { r[2], r[3] = r[3], r[2]; return r }, nil, 3, "row missing: the next row has seq 4"},
		{"swapped with seqs swapped back", func(r []audit.Row) []audit.Row {
			r[2], r[3] = r[3], r[2]
			r[2].Seq, r[3].Seq = 3, 4
			return r
		}, nil, 3, "hash does not match"},
		{"a row repeated", func(r []audit.Row) []audit.Row { return slices.Insert(r, 4, r[3]) }, nil, 5, "out of order: found seq 4 where 5 belongs"},
		{"truncated below the expected size", func(r []audit.Row) []audit.Row { return r[:7] }, &audit.Head{Size: 9}, 8, "truncated: expected at least 9 rows, found 7"},
		{"truncated to nothing", func(r []audit.Row) []audit.Row { return nil }, &audit.Head{Size: 9}, 1, "truncated"},
		{"replaced after the expected head", func(r []audit.Row) []audit.Row {
			// Rebuilt from row 5 on: internally consistent, but no longer reaching the expected head.
			r[4].Actor = "someone else"
			prev := r[3].Hash
			for i := 4; i < len(r); i++ {
				r[i].Hash = audit.Next(prev, r[i].Entry)
				prev = r[i].Hash
			}
			return r
		}, &audit.Head{Size: 8}, 8, "differs from the expected head"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			good := chain(n)
			rows := tc.tamper(clone(good))
			var err error
			if tc.want != nil {
				want := *tc.want
				want.Hash = good[want.Size-1].Hash
				err = audit.VerifyHead(seq(rows), want)
			} else {
				err = audit.Verify(seq(rows))
			}
			var be *audit.BreakError
			require.ErrorAs(t, err, &be)
			require.ErrorIs(t, err, audit.ErrBroken)
			assert.Equal(t, tc.wantSeq, be.Seq)
			assert.Contains(t, be.Reason, tc.reason)
		})
	}
}

func TestVerifyTruncationWithoutExpectationIsInvisible(t *testing.T) {
	// Why checkpoints exist: the remaining prefix of a chain verifies on its own.
	require.NoError(t, audit.Verify(seq(chain(10)[:6])))
}

func TestVerifyReportsReadErrors(t *testing.T) {
	rows := chain(3)
	boom := errors.New("connection reset")
	src := func(yield func(audit.Row, error) bool) {
		if !yield(rows[0], nil) {
			return
		}
		yield(audit.Row{}, boom)
	}
	err := audit.Verify(src)
	require.ErrorIs(t, err, audit.ErrRead)
	require.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), "after seq 1")
	require.ErrorIs(t, audit.Verify(nil), audit.ErrRead)
	require.Error(t, audit.VerifyHead(seq(rows), audit.Head{Size: -1}))
}

// FuzzVerify tampers with one row of a good chain in one of four ways and checks that Verify finds it
// at exactly that row, with a typed error, and never panics.
func FuzzVerify(f *testing.F) {
	good := chain(4)
	f.Add(0, 0, byte(0), int64(0))
	f.Add(2, 1, byte(1), int64(0))
	f.Add(1, 3, byte(0x80), int64(2))
	f.Add(3, 1, byte(0), int64(-5))
	f.Add(-7, -3, byte(0xff), int64(-1<<63))
	f.Fuzz(func(t *testing.T, row, what int, flip byte, seqDelta int64) {
		rows := clone(good)
		i := ((row % len(rows)) + len(rows)) % len(rows)
		var tampered bool
		switch ((what % 4) + 4) % 4 {
		case 0:
			rows[i].Hash[0] ^= flip
			tampered = flip != 0
		case 1:
			rows[i].Seq += seqDelta
			tampered = seqDelta != 0
		case 2:
			rows[i].Actor += string([]byte{flip})
			tampered = true
		case 3:
			rows = rows[:i] // invisible without an expected head
		}
		err := audit.Verify(seq(rows))
		if !tampered {
			if err != nil {
				t.Fatalf("untampered chain refused: %v", err)
			}
			return
		}
		var be *audit.BreakError
		if !errors.As(err, &be) {
			t.Fatalf("row %d tampered (mode %d), got %v", i, what, err)
		}
		if be.Seq != int64(i)+1 {
			t.Fatalf("row %d tampered, but seq %d named", i+1, be.Seq)
		}
	})
}

func BenchmarkNext(b *testing.B) {
	e := chain(1)[0].Entry
	prev := make([]byte, audit.HashSize)
	b.ReportAllocs()
	for b.Loop() {
		prev = audit.Next(prev, e)
	}
}

// The peer: SM3 over a byte slice of the same size as Next's encoding, to show what the encoding costs.
func BenchmarkSM3SameSize(b *testing.B) {
	e := chain(1)[0].Entry
	n := 4 + len(audit.Scheme) + 4 + audit.HashSize + 8 + 12 + 12 + len(e.Actor) + len(e.Action) + len(e.Subject) + 4
	for _, f := range e.Fields {
		n += 4 + len(f)
	}
	buf := make([]byte, n)
	b.ReportAllocs()
	for b.Loop() {
		_ = sm3.Sum(buf)
	}
}

func TestVerifyFrom(t *testing.T) {
	rows := chain(10)
	head, err := audit.VerifyFrom(audit.Head{Size: 6, Hash: rows[5].Hash}, seq(rows[6:]))
	require.NoError(t, err)
	assert.Equal(t, audit.Head{Size: 10, Hash: rows[9].Hash}, head)

	head, err = audit.VerifyFrom(audit.Head{}, seq(rows))
	require.NoError(t, err, "from the empty head is Verify")
	assert.Equal(t, int64(10), head.Size)

	same, err := audit.VerifyFrom(audit.Head{Size: 10, Hash: rows[9].Hash}, seq(nil))
	require.NoError(t, err, "nothing new")
	assert.Equal(t, head, same)

	var be *audit.BreakError
	_, err = audit.VerifyFrom(audit.Head{Size: 6, Hash: rows[5].Hash}, seq(rows[7:]))
	require.ErrorAs(t, err, &be)
	assert.Equal(t, int64(7), be.Seq, "row 7 deleted")

	_, err = audit.VerifyFrom(audit.Head{Size: 6, Hash: rows[4].Hash}, seq(rows[6:]))
	require.ErrorAs(t, err, &be)
	assert.Equal(t, int64(7), be.Seq, "the rows do not continue that head")

	for _, bad := range []audit.Head{{Size: -1}, {Size: 3}, {Size: 0, Hash: rows[0].Hash}, {Size: 2, Hash: []byte{1}}} {
		_, err = audit.VerifyFrom(bad, seq(rows))
		require.Error(t, err)
		assert.NotErrorIs(t, err, audit.ErrBroken)
	}
}
