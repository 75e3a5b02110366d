package audit

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// Scheme names the hashing scheme; it is hashed into every row, so changing the encoding changes it.
const Scheme = "hotline/audit/v1"

// HashSize is the size of a row's hash (SM3).
const HashSize = sm3.Size

var (
	// ErrBroken is wrapped by every *BreakError.
	ErrBroken = errors.New("audit: chain broken")
	// ErrRead wraps an error the row source returned.
	ErrRead = errors.New("audit: reading rows")
)

// Entry is one audited act. Actor, Subject and Fields carry ids and masked values only, never plain
// personal information (see the package documentation).
type Entry struct {
	Seq     int64     // 1, 2, 3, … without gaps
	At      time.Time // when; hashed as a UTC instant at nanosecond precision
	Actor   string    // who: a credential or unit id
	Action  string    // what: e.g. "ticket.dispatch", "pii.reveal", "export.ledger", "auth.login"
	Subject string    // on what: e.g. a ticket id
	Fields  []string  // further ids and masked values, e.g. "reason=回访核实", "phone=138****8000"
}

// Row is an Entry as stored, with its hash.
type Row struct {
	Entry
	Hash []byte
}

// BreakError names the first sequence number at which the chain does not verify.
type BreakError struct {
	Seq    int64
	Reason string
}

func (e *BreakError) Error() string {
	return fmt.Sprintf("audit: chain broken at seq %d: %s", e.Seq, e.Reason)
}

// Unwrap returns ErrBroken.
func (e *BreakError) Unwrap() error { return ErrBroken }

// Next returns the hash of e chained after prev (nil for the first row). See the package
// documentation for the encoding.
func Next(prev []byte, e Entry) []byte {
	n := 4 + len(Scheme) + 4 + len(prev) + 8 + 12 + 12 + len(e.Actor) + len(e.Action) + len(e.Subject) + 4
	for _, f := range e.Fields {
		n += 4 + len(f)
	}
	b := make([]byte, 0, n)
	b = appendString(b, Scheme)
	b = appendString(b, string(prev))
	b = binary.BigEndian.AppendUint64(b, uint64(e.Seq))
	at := e.At.UTC()
	b = binary.BigEndian.AppendUint64(b, uint64(at.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(at.Nanosecond()))
	b = appendString(b, e.Actor)
	b = appendString(b, e.Action)
	b = appendString(b, e.Subject)
	b = binary.BigEndian.AppendUint32(b, uint32(len(e.Fields)))
	for _, f := range e.Fields {
		b = appendString(b, f)
	}
	sum := sm3.Sum(b)
	return sum[:]
}

func appendString(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// Head is a chain's size (its last sequence number) and head hash (nil when empty).
type Head struct {
	Size int64
	Hash []byte
}

// Verify recomputes the chain from its first row, which must have seq 1, and returns nil when every
// row's hash matches, or a *BreakError naming the first row that does not, or an error wrapping ErrRead
// when rows yields one. It cannot see rows cut off the end; VerifyHead and VerifyCheckpoint can.
func Verify(rows iter.Seq2[Row, error]) error {
	_, err := walk(rows, Head{}, nil)
	return err
}

// VerifyFrom verifies only the rows after start: rows must begin at seq start.Size+1, the first
// chaining from start.Hash, so a long chain is checked incrementally from a head already verified
// or signed (a Checkpoint's Size and Head). It says nothing about rows up to start.Size, which it does
// not read; it returns the new head.
func VerifyFrom(start Head, rows iter.Seq2[Row, error]) (Head, error) {
	if start.Size < 0 || (start.Size == 0) != (len(start.Hash) == 0) || (start.Size > 0 && len(start.Hash) != HashSize) {
		return Head{}, fmt.Errorf("audit: start head (size %d, %d-byte hash) is not a chain head", start.Size, len(start.Hash))
	}
	return walk(rows, start, nil)
}

// Tip verifies the chain like Verify and returns its size and head hash, from which a Checkpoint is
// made.
func Tip(rows iter.Seq2[Row, error]) (Head, error) {
	return walk(rows, Head{}, nil)
}

// VerifyHead verifies the chain and also that it still reaches want: that row want.Size exists and has
// hash want.Hash. Rows after want.Size are verified too. A zero want.Size checks nothing more than
// Verify.
func VerifyHead(rows iter.Seq2[Row, error], want Head) error {
	if want.Size < 0 {
		return fmt.Errorf("audit: expected size %d is negative", want.Size)
	}
	_, err := walk(rows, Head{}, &want)
	return err
}

func walk(rows iter.Seq2[Row, error], start Head, want *Head) (Head, error) {
	if rows == nil {
		return Head{}, fmt.Errorf("%w: no row source", ErrRead)
	}
	var (
		prev = start.Hash
		seq  = start.Size
		err  error
	)
	for row, rerr := range rows {
		if rerr != nil {
			err = fmt.Errorf("%w after seq %d: %w", ErrRead, seq, rerr)
			break
		}
		expected := seq + 1
		switch {
		case row.Seq == expected:
		case row.Seq > expected:
			err = &BreakError{Seq: expected, Reason: fmt.Sprintf("row missing: the next row has seq %d", row.Seq)}
		default:
			err = &BreakError{Seq: expected, Reason: fmt.Sprintf("out of order: found seq %d where %d belongs", row.Seq, expected)}
		}
		if err != nil {
			break
		}
		sum := Next(prev, row.Entry)
		if !bytes.Equal(sum, row.Hash) {
			err = &BreakError{Seq: row.Seq, Reason: "hash does not match the row's contents and the previous hash"}
			break
		}
		if want != nil && row.Seq == want.Size && !bytes.Equal(sum, want.Hash) {
			err = &BreakError{Seq: row.Seq, Reason: "hash differs from the expected head"}
			break
		}
		prev, seq = sum, row.Seq
	}
	if err != nil {
		return Head{}, err
	}
	if want != nil && seq < want.Size {
		return Head{}, &BreakError{Seq: seq + 1, Reason: fmt.Sprintf("truncated: expected at least %d rows, found %d", want.Size, seq)}
	}
	return Head{Size: seq, Hash: prev}, nil
}
