package attach

import (
	"context"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// Sum is the SM3 digest (GB/T 32905) of a file's bytes: the address it is stored under. Its text
// form is 64 lower-case hex digits.
type Sum [sm3.Size]byte

// SumOf returns the Sum of b.
func SumOf(b []byte) Sum { return sm3.Sum(b) }

// ParseSum reads the text form of a Sum.
func ParseSum(s string) (Sum, error) {
	var sum Sum
	if len(s) != 2*len(sum) {
		return sum, fmt.Errorf("%w: want %d hex digits, have %d characters", ErrInvalidSum, 2*len(sum), len(s))
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return sum, fmt.Errorf("%w: byte %d is not a lower-case hex digit", ErrInvalidSum, i)
		}
	}
	_, err := hex.Decode(sum[:], []byte(s))
	return sum, err
}

// String returns the 64 hex digits.
func (s Sum) String() string { return hex.EncodeToString(s[:]) }

// MarshalText implements encoding.TextMarshaler.
func (s Sum) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Sum) UnmarshalText(b []byte) (err error) { *s, err = ParseSum(string(b)); return err }

// BlobStore keeps files' bytes by their [Sum]. Implementations are safe for concurrent use.
type BlobStore interface {
	// Name says what the store is, for the operator ("database", "filesystem").
	Name() string
	// Create starts a new blob: the caller writes its bytes, then commits it under their sum or
	// aborts it.
	Create(ctx context.Context) (BlobWriter, error)
	// Open reads the blob stored under sum; an unknown sum is an error wrapping [ErrNotFound].
	Open(ctx context.Context, sum Sum) (io.ReadCloser, error)
}

// BlobWriter receives the bytes of one new blob.
type BlobWriter interface {
	io.Writer
	// Commit makes the bytes written readable under sum, which the caller computed from them. When a
	// blob with that sum is stored already, it is kept and the new copy dropped. After Commit the
	// writer is done.
	Commit(ctx context.Context, sum Sum) error
	// Abort drops the bytes written; it may be called after Commit, and then does nothing.
	Abort() error
}

// Verified returns a reader of r that computes the SM3 sum of what it reads and, at the end, returns
// an error wrapping [ErrCorrupt] instead of io.EOF when the bytes are not those stored under sum:
// a blob changed or cut short at rest is never passed on as good.
func Verified(r io.ReadCloser, sum Sum) io.ReadCloser {
	return &verified{r: r, h: sm3.New(), want: sum}
}

// ErrCorrupt: a stored blob's bytes do not match its sum.
var ErrCorrupt = errors.New("attach: stored blob does not match its sum")

type verified struct {
	r    io.ReadCloser
	h    hash.Hash
	want Sum
}

func (v *verified) Read(p []byte) (int, error) {
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	if errors.Is(err, io.EOF) {
		if subtle.ConstantTimeCompare(v.h.Sum(nil), v.want[:]) != 1 {
			return n, fmt.Errorf("%w: %s", ErrCorrupt, v.want)
		}
	}
	return n, err
}

func (v *verified) Close() error { return v.r.Close() }

// Dir is a [BlobStore] in a directory: each blob a file named by its sum under a two-level fan-out
// (ab/cd/abcd…), written to a temporary file in the same file system, synced and renamed into
// place, so a blob is either there whole or not at all.
type Dir struct {
	root string
}

// NewDir returns the store in directory root, creating it (and its "tmp" directory) if needed.
func NewDir(root string) (*Dir, error) {
	if root == "" {
		return nil, errors.New("attach: NewDir needs a directory")
	}
	if err := os.MkdirAll(filepath.Join(root, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("attach: blob directory: %w", err)
	}
	return &Dir{root: root}, nil
}

// Name implements [BlobStore].
func (d *Dir) Name() string { return "filesystem" }

func (d *Dir) path(sum Sum) string {
	h := sum.String()
	return filepath.Join(d.root, h[:2], h[2:4], h)
}

// Create implements [BlobStore].
func (d *Dir) Create(ctx context.Context) (BlobWriter, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Join(d.root, "tmp"), "upload-*")
	if err != nil {
		return nil, fmt.Errorf("attach: staging a blob: %w", err)
	}
	return &dirWriter{d: d, f: f}, nil
}

// PurgeStaged removes the temporary files of uploads that were neither committed nor aborted (a
// process killed mid-upload) and were last written before olderThan, and returns how many went. Pass
// an instant well before any upload in progress could have last written (a day is the server's
// default). Files that are not this store's temporary files are left alone.
func (d *Dir) PurgeStaged(olderThan time.Time) (int, error) {
	tmp := filepath.Join(d.root, "tmp")
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return 0, fmt.Errorf("attach: reading the staging directory: %w", err)
	}
	n := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), "upload-") {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // committed or aborted meanwhile
		}
		if err != nil {
			return n, fmt.Errorf("attach: staging file %s: %w", e.Name(), err)
		}
		if !info.ModTime().Before(olderThan) {
			continue
		}
		if err := os.Remove(filepath.Join(tmp, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, fmt.Errorf("attach: removing staging file %s: %w", e.Name(), err)
		}
		n++
	}
	return n, nil
}

// Open implements [BlobStore].
func (d *Dir) Open(ctx context.Context, sum Sum) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(d.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, sum)
	}
	return f, err
}

type dirWriter struct {
	d    *Dir
	f    *os.File
	done bool
}

func (w *dirWriter) Write(p []byte) (int, error) { return w.f.Write(p) }

func (w *dirWriter) Commit(ctx context.Context, sum Sum) error {
	if w.done {
		return errors.New("attach: blob already committed or aborted")
	}
	if err := ctx.Err(); err != nil {
		_ = w.Abort()
		return err
	}
	if err := w.f.Sync(); err != nil {
		_ = w.Abort()
		return fmt.Errorf("attach: syncing a blob: %w", err)
	}
	if err := w.f.Close(); err != nil {
		_ = os.Remove(w.f.Name())
		w.done = true
		return fmt.Errorf("attach: closing a blob: %w", err)
	}
	w.done = true
	final := w.d.path(sum)
	if _, err := os.Stat(final); err == nil {
		return os.Remove(w.f.Name()) // stored already: keep the first copy
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		_ = os.Remove(w.f.Name())
		return fmt.Errorf("attach: blob directory: %w", err)
	}
	if err := os.Rename(w.f.Name(), final); err != nil {
		_ = os.Remove(w.f.Name())
		return fmt.Errorf("attach: storing a blob: %w", err)
	}
	// The rename is durable once the directory entry is.
	if df, err := os.Open(dir); err == nil {
		_ = df.Sync()
		_ = df.Close()
	}
	return nil
}

func (w *dirWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	_ = w.f.Close()
	return os.Remove(w.f.Name())
}
