package routing

import (
	"fmt"
	"io"
)

// Input bounds. The loaders and [Router.Route] take their input from files
// and, in a server, from the network: every size that decides how much is
// allocated is bounded here, and checked before the allocation, so that a
// small hostile input (a gzip bomb, a field of hundreds of megabytes, a list
// of a million returns) is refused cheaply with an error naming the bound.
const (
	// MaxRecordBytes is the longest CSV record (one row, including quoted
	// line breaks) that ReadRegions, ReadUnitsCSV and ReadMattersCSV accept.
	// It is enforced while reading, before the CSV reader buffers the record.
	MaxRecordBytes = 64 << 10

	// MaxNameBytes bounds every name and identifier: region, unit and matter
	// names, unit IDs, sector lines. The longest name in the national 2023
	// file is 99 bytes.
	MaxNameBytes = 256

	// MaxRegionBytes bounds the bytes ReadRegions reads, after
	// decompression, over all its sources together (the national 2023 file
	// is 33.7 MB).
	MaxRegionBytes = 64 << 20

	// MaxRegionRows bounds the data rows ReadRegions reads over all its
	// sources together (the national 2023 file has 665,276).
	MaxRegionRows = 1 << 20

	// MaxCSVBytes bounds the bytes ReadUnitsCSV and ReadMattersCSV read.
	MaxCSVBytes = 16 << 20

	// MaxCSVRows bounds the data rows ReadUnitsCSV and ReadMattersCSV read.
	MaxCSVRows = 1 << 18

	// MaxDirectoryBytes bounds the JSON document ReadDirectory reads.
	MaxDirectoryBytes = 16 << 20

	// MaxPolicyBytes bounds the JSON document ParsePolicy and ReadPolicy read.
	MaxPolicyBytes = 64 << 10

	// MaxPostings bounds the size of a directory's responsibility index: the
	// sum over its units of areas × matters (the national benchmark directory
	// of 100,000 units has 1.45 million).
	MaxPostings = 1 << 23

	// MaxRequestMatters bounds the matters of one request.
	MaxRequestMatters = 16

	// MaxRequestUnits bounds a request's exclusions and a designation's
	// co-handling units.
	MaxRequestUnits = 100

	// MaxRequestReturns bounds a request's return history.
	MaxRequestReturns = 100

	// MaxTextBytes bounds the free text of a request: a designation's By and
	// Reason, a return's Reason.
	MaxTextBytes = 1024
)

// csvLimits are the bounds of one CSV loader: the exported constants in
// normal use, smaller ones in tests.
type csvLimits struct {
	record int64  // MaxRecordBytes
	bytes  int64  // MaxRegionBytes or MaxCSVBytes
	rows   int    // MaxRegionRows or MaxCSVRows
	prefix string // "MaxRegion" or "MaxCSV", for messages
}

func regionLimits() csvLimits {
	return csvLimits{record: MaxRecordBytes, bytes: MaxRegionBytes, rows: MaxRegionRows, prefix: "MaxRegion"}
}

func tableLimits() csvLimits {
	return csvLimits{record: MaxRecordBytes, bytes: MaxCSVBytes, rows: MaxCSVRows, prefix: "MaxCSV"}
}

// tooManyRows is the message for a stream with more than lim.rows rows.
func (lim csvLimits) tooManyRows() string {
	return fmt.Sprintf("more than %d rows (%sRows)", lim.rows, lim.prefix)
}

// csvGuard passes a CSV stream through, refusing it once a record grows past
// maxRecord bytes or the stream past the budget. It follows RFC 4180 quoting
// (a record ends at a line break outside quotes; a doubled quote toggles
// twice), so a field spread over many lines inside one pair of quotes counts
// as one record. A quote that breaks the rules is refused by the CSV reader
// itself, whatever the guard counted.
type csvGuard struct {
	r         io.Reader
	maxRecord int64
	budget    *int64 // bytes left over all the streams sharing it
	lim       csvLimits
	record    int64 // bytes of the current record so far
	quoted    bool
	line      int // line breaks seen
	start     int // line the current record started on (1-based)
	err       error
}

func newCSVGuard(r io.Reader, budget *int64, lim csvLimits) *csvGuard {
	return &csvGuard{r: r, maxRecord: lim.record, budget: budget, lim: lim, start: 1}
}

// guardError reports a record or a stream over its bound.
type guardError struct {
	line   int
	reason string
}

func (e *guardError) Error() string { return e.reason }

func (g *csvGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i, c := range p[:n] {
		g.record++
		switch {
		case c == '"':
			g.quoted = !g.quoted
		case c == '\n':
			g.line++
			if !g.quoted {
				g.record = 0
				g.start = g.line + 1
			}
		}
		if g.record > g.maxRecord {
			g.err = &guardError{line: g.start, reason: fmt.Sprintf("record longer than %d bytes (MaxRecordBytes)", g.maxRecord)}
			return i, g.err
		}
	}
	*g.budget -= int64(n)
	if *g.budget < 0 {
		g.err = &guardError{line: g.start, reason: fmt.Sprintf("input longer than %d bytes (%sBytes)", g.lim.bytes, g.lim.prefix)}
		return 0, g.err
	}
	return n, err
}
