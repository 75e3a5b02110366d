package attach

import (
	"context"
	"fmt"
)

// Scanner is a virus scanner the bytes of every upload pass through (ClamAV's INSTREAM, a vendor's
// engine). The server shows its Name in /readyz, so an operator sees whether uploads are scanned.
type Scanner interface {
	// Name says which scanner this is, or that there is none.
	Name() string
	// Start begins scanning one upload.
	Start(ctx context.Context) (Scan, error)
}

// Scan receives the bytes of one upload as they arrive.
type Scan interface {
	Write(p []byte) (int, error)
	// Verdict is called after the last byte: nil for clean content, an error wrapping [ErrInfected]
	// (e.g. an [*InfectedError]) to refuse it, any other error when the scan failed (the upload is
	// refused too: a scanner that cannot answer lets nothing through).
	Verdict() error
}

// NoScanner scans nothing. It is the default, and its Name says so.
type NoScanner struct{}

// NoScannerName is what [NoScanner.Name] returns.
const NoScannerName = "none: uploads are not scanned for viruses (no scanner configured)"

// Name implements [Scanner].
func (NoScanner) Name() string { return NoScannerName }

// Start implements [Scanner].
func (NoScanner) Start(context.Context) (Scan, error) { return noScan{}, nil }

type noScan struct{}

func (noScan) Write(p []byte) (int, error) { return len(p), nil }
func (noScan) Verdict() error              { return nil }

// InfectedError is a scanner's refusal, naming what it found.
type InfectedError struct {
	Signature string
}

func (e *InfectedError) Error() string {
	return fmt.Sprintf("attach: the virus scanner refused the file (%s)", e.Signature)
}

func (e *InfectedError) Unwrap() error { return ErrInfected }
