package ledger_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/hotline12345/hotline/internal/xtest"
	"github.com/hotline12345/hotline/server/ledger"
)

// benchRows is the ledger size the issue names: 100,000 tickets.
const benchRows = 100_000

// stream yields n ticket-ledger rows built from the fixture's tickets, each with its own number, the
// way the store's pages yield them: one ticket at a time, nothing kept.
func stream(tb testing.TB, n int) ledger.Rows {
	ts := tickets(tb)
	return func(yield func(ledger.Row, error) bool) {
		for i := range n {
			r := ledger.TicketRow(ts[i%len(ts)], names, now)
			r[0] = fmt.Sprintf("HL-20261102-%06d-L", i)
			if !yield(r, nil) {
				return
			}
		}
	}
}

// countingWriter discards what it is given and counts it.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

func benchExport(b *testing.B, write func(io.Writer, ledger.Sheet, ledger.Rows) (int, error)) {
	b.ReportAllocs()
	rows := stream(b, benchRows)
	var maxPeak uint64
	var size int64
	for b.Loop() {
		w := &countingWriter{}
		p := xtest.PeakHeap(func() {
			n, err := write(w, ledger.TicketSheet(), rows)
			if err != nil || n != benchRows {
				b.Fatalf("wrote %d rows: %v", n, err)
			}
		})
		maxPeak = max(maxPeak, p)
		size = w.n
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(maxPeak)/(1<<20), "peak-MB")
	b.ReportMetric(float64(size)/(1<<20), "file-MB")
}

// BenchmarkXLSX100k streams a 100,000-ticket ledger into an XLSX workbook.
func BenchmarkXLSX100k(b *testing.B) { benchExport(b, ledger.WriteXLSX) }

// BenchmarkCSV100k is the baseline: the same rows as CSV.
func BenchmarkCSV100k(b *testing.B) { benchExport(b, ledger.WriteCSV) }

// BenchmarkRows100k is the floor: building the rows alone, written nowhere.
func BenchmarkRows100k(b *testing.B) {
	b.ReportAllocs()
	rows := stream(b, benchRows)
	for b.Loop() {
		n := 0
		for r, err := range rows {
			if err != nil || len(r) == 0 {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
