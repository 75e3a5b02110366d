package attach

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/emmansun/gmsm/sm3"
)

// Blob is a file taken in: its sum, its size and the type sniffed from it.
type Blob struct {
	Sum  Sum
	Size int64
	Type string
}

// copyBuffer is the size of the buffer an upload passes through.
const copyBuffer = 64 << 10

// Ingest takes one file from r into bs: it sniffs the first bytes (refusing programs and types the
// policy does not accept before anything is written), then streams the whole body once through the
// SM3 hash, the scanner and the blob store, refusing it as soon as it passes MaxBytes, and commits the
// blob under its sum when the scanner has nothing against it. On any error nothing is kept. A nil
// scanner is [NoScanner].
func (p Policy) Ingest(ctx context.Context, r io.Reader, bs BlobStore, sc Scanner) (blob Blob, err error) {
	if err := p.Validate(); err != nil {
		return Blob{}, err
	}
	if r == nil || bs == nil {
		return Blob{}, errors.New("attach: Ingest needs a reader and a blob store")
	}
	if sc == nil {
		sc = NoScanner{}
	}
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Blob{}, fmt.Errorf("attach: reading the upload: %w", err)
	}
	head = head[:n]
	if n == 0 {
		return Blob{}, ErrEmpty
	}
	if int64(n) > p.MaxBytes {
		return Blob{}, &TooLargeError{Max: p.MaxBytes}
	}
	t, err := Sniff(head)
	if err != nil {
		return Blob{}, err
	}
	if !p.Allows(t) {
		return Blob{}, &TypeError{Type: t, Allowed: p.Types, err: ErrType}
	}
	scan, err := sc.Start(ctx)
	if err != nil {
		return Blob{}, fmt.Errorf("attach: starting the virus scanner: %w", err)
	}
	w, err := bs.Create(ctx)
	if err != nil {
		return Blob{}, err
	}
	defer func() {
		if err != nil {
			_ = w.Abort()
		}
	}()
	h := sm3.New()
	sink := io.MultiWriter(h, scan, w)
	if _, err := sink.Write(head); err != nil {
		return Blob{}, fmt.Errorf("attach: storing the upload: %w", err)
	}
	rest := io.LimitReader(r, p.MaxBytes-int64(n)+1)
	copied, err := io.CopyBuffer(sink, struct{ io.Reader }{rest}, make([]byte, copyBuffer))
	if err != nil {
		return Blob{}, fmt.Errorf("attach: storing the upload: %w", err)
	}
	size := int64(n) + copied
	if size > p.MaxBytes {
		return Blob{}, &TooLargeError{Max: p.MaxBytes}
	}
	if err := scan.Verdict(); err != nil {
		if errors.Is(err, ErrInfected) {
			return Blob{}, err
		}
		return Blob{}, fmt.Errorf("%w: the scanner could not answer: %v", ErrInfected, err)
	}
	var sum Sum
	h.Sum(sum[:0])
	if err := w.Commit(ctx, sum); err != nil {
		return Blob{}, err
	}
	return Blob{Sum: sum, Size: size, Type: t}, nil
}
