package ledger_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hotline12345/hotline/server/ledger"
)

// Any text reads back from the CSV as written (defused), or is refused with a *RowError; the writer
// never produces a file a CSV reader cannot read.
func FuzzCSVText(f *testing.F) {
	for _, s := range []string{"", "张三", "a,b", "line\nbreak", `quote"d`, "=1+1", "\ufeff", "\r\n", "\xff"} {
		f.Add(s)
	}
	sheet := ledger.Sheet{Name: "t", Columns: []ledger.Column{{Header: "a"}, {Header: "b"}}}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		_, err := ledger.WriteCSV(&buf, sheet, func(yield func(ledger.Row, error) bool) { yield(ledger.Row{s, "x"}, nil) })
		if !utf8.ValidString(s) {
			if !errors.Is(err, ledger.ErrInvalidRow) {
				t.Fatalf("invalid UTF-8 accepted: %v", err)
			}
			return
		}
		if err != nil {
			if errors.Is(err, ledger.ErrInvalidRow) {
				return
			}
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[len(ledger.BOM):])).ReadAll()
		if err != nil {
			t.Fatalf("unreadable CSV: %v", err)
		}
		want := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(ledger.Defuse(s))
		if len(recs) != 2 || recs[1][0] != want || recs[1][1] != "x" {
			t.Fatalf("round trip of %q: %q", s, recs)
		}
	})
}
