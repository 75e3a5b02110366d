package ledger

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// BOM is the UTF-8 byte-order mark a CSV starts with, so that Excel reads it as UTF-8.
const BOM = "\ufeff"

// WriteCSV writes s and rows to w as CSV: the byte-order mark, the header line, then one line per row,
// CRLF line ends (RFC 4180); line ends inside a text cell are written as LF (see [Defuse] for the
// other change made to text). It returns the number of rows written (without the header). Rows are
// written as they come; an error from rows or a *RowError stops the writing, and what was written
// before stays written (an HTTP response then ends short: the caller reports the error).
func WriteCSV(w io.Writer, s Sheet, rows Rows) (int, error) {
	if err := s.Validate(); err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(BOM); err != nil {
		return 0, err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	rec := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		rec[i] = c.Header
	}
	if err := cw.Write(rec); err != nil {
		return 0, err
	}
	cells := make([]cell, len(s.Columns))
	n := 0
	for r, err := range rows {
		if err != nil {
			cw.Flush()
			_ = bw.Flush()
			return n, err
		}
		if err := s.check(n+1, r, cells); err != nil {
			cw.Flush()
			_ = bw.Flush()
			return n, err
		}
		for i, c := range cells {
			rec[i] = csvText(c)
		}
		if err := cw.Write(rec); err != nil {
			return n, err
		}
		n++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

func csvText(c cell) string {
	if c.null {
		return ""
	}
	switch c.kind {
	case Int:
		return strconv.FormatInt(c.num, 10)
	case Time:
		return c.t.Format(TimeLayout)
	case Date:
		return c.t.Format(DateLayout)
	}
	return lineEnds.Replace(Defuse(c.text))
}

// lineEnds writes every line end in a text cell as LF (the CSV writer turns it into CRLF inside the
// quoted cell): a lone CR does not survive CSV readers.
var lineEnds = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// Defuse returns text as a CSV cell holds it: prefixed with an apostrophe when it starts with a
// character a spreadsheet reads as the start of a formula (=, +, -, @, tab, carriage return).
func Defuse(text string) string {
	if text == "" {
		return text
	}
	switch text[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + text
	}
	return text
}
