package routing

import (
	"bufio"
	"encoding/csv"
	"io"
	"iter"
	"slices"
	"strings"
)

// table is a CSV file read by header name.
type table struct {
	source string
	cr     *csv.Reader
	col    map[string]int
	err    error
	budget int64
	lim    csvLimits
}

type tableRow struct {
	line int
	rec  []string
	col  map[string]int
}

func (r tableRow) get(name string) string {
	i, ok := r.col[name]
	if !ok {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

// readTable reads the header: every required column must be present, every
// column must be known and none may repeat.
func readTable(source string, r io.Reader, lim csvLimits, required, optional []string) (*table, error) {
	if r == nil {
		return nil, rowErr(source, 0, "", "", "", ErrMalformed, "nil reader: nothing to read")
	}
	t := &table{source: source, budget: lim.bytes, lim: lim}
	// The guard bounds each record and the total before the CSV reader
	// buffers anything.
	cr := csv.NewReader(bufio.NewReader(newCSVGuard(r, &t.budget, lim)))
	cr.FieldsPerRecord = 0 // every row as wide as the header
	header, err := cr.Read()
	if err != nil {
		return nil, csvErr(source, err)
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !slices.Contains(required, h) && !slices.Contains(optional, h) {
			return nil, rowErr(source, 1, "", "header", h, ErrMalformed,
				"unknown column; known: %s", strings.Join(append(slices.Clone(required), optional...), ","))
		}
		if _, dup := col[h]; dup {
			return nil, rowErr(source, 1, "", "header", h, ErrMalformed, "column appears twice")
		}
		col[h] = i
	}
	for _, h := range required {
		if _, ok := col[h]; !ok {
			return nil, rowErr(source, 1, "", "header", h, ErrMalformed, "required column missing")
		}
	}
	t.cr, t.col = cr, col
	return t, nil
}

// rows yields the data rows; after the loop t.err holds a read error, if any.
func (t *table) rows() iter.Seq[tableRow] {
	return func(yield func(tableRow) bool) {
		for n := 0; ; n++ {
			rec, err := t.cr.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.err = csvErr(t.source, err)
				return
			}
			line, _ := t.cr.FieldPos(0)
			if n >= t.lim.rows {
				t.err = rowErr(t.source, line, "", "", "", ErrMalformed, "%s", t.lim.tooManyRows())
				return
			}
			if !yield(tableRow{line: line, rec: rec, col: t.col}) {
				return
			}
		}
	}
}

// splitList splits a list field on ';' or '|', trimming blanks and dropping
// empty items.
func splitList(s string) []string {
	var out []string
	for item := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == ';' || r == '|' }) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
