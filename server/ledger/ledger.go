package ledger

import (
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hotline12345/hotline/deadline"
)

// The sentinels every error of the package wraps.
var (
	// ErrInvalidSheet is wrapped by *SheetError: the sheet cannot be written (no columns, a bad name).
	ErrInvalidSheet = errors.New("ledger: invalid sheet")
	// ErrInvalidRow is wrapped by *RowError: a row does not fit its sheet.
	ErrInvalidRow = errors.New("ledger: invalid row")
)

// SheetError names what is wrong with a [Sheet].
type SheetError struct {
	Sheet, Field, Reason string
}

func (e *SheetError) Error() string {
	return fmt.Sprintf("ledger: sheet %q: %s: %s", e.Sheet, e.Field, e.Reason)
}

func (e *SheetError) Unwrap() error { return ErrInvalidSheet }

// RowError names the row (1-based, the header not counted) and the column whose value does not fit.
type RowError struct {
	Row    int
	Column string // the column's header; "" when the row has the wrong length
	Reason string
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("ledger: row %d: %s", e.Row, e.Reason)
	}
	return fmt.Sprintf("ledger: row %d, column %q: %s", e.Row, e.Column, e.Reason)
}

func (e *RowError) Unwrap() error { return ErrInvalidRow }

// Kind is the kind of value a column holds.
type Kind uint8

// The kinds of column.
const (
	// Text holds strings.
	Text Kind = iota
	// Int holds whole numbers (int, int64).
	Int
	// Time holds instants (time.Time), written as Asia/Shanghai date and time; the zero time is an
	// empty cell.
	Time
	// Date holds instants written as their Asia/Shanghai date; the zero time is an empty cell.
	Date
)

func (k Kind) valid() bool { return k <= Date }

// Column is one column of a sheet.
type Column struct {
	// Header is the Chinese header of the column.
	Header string
	// Width is the column width in characters; zero means a default for the kind.
	Width float64
	Kind  Kind
}

// Sheet is a ledger's layout: the name of its worksheet and its columns.
type Sheet struct {
	// Name names the worksheet (at most 31 characters, none of : \ / ? * [ ]).
	Name    string
	Columns []Column
}

// MaxColumns bounds the columns of a sheet.
const MaxColumns = 200

// Validate reports the first thing wrong with s as a *SheetError.
func (s Sheet) Validate() error {
	bad := func(field, reason string) error { return &SheetError{Sheet: s.Name, Field: field, Reason: reason} }
	switch n := utf8.RuneCountInString(s.Name); {
	case strings.TrimSpace(s.Name) == "":
		return bad("name", "is empty")
	case n > 31:
		return bad("name", fmt.Sprintf("has %d characters, at most 31", n))
	case strings.ContainsAny(s.Name, `:\/?*[]`):
		return bad("name", `contains one of : \ / ? * [ ]`)
	case len(s.Columns) == 0:
		return bad("columns", "is empty")
	case len(s.Columns) > MaxColumns:
		return bad("columns", fmt.Sprintf("%d columns, at most %d", len(s.Columns), MaxColumns))
	}
	seen := map[string]bool{}
	for i, c := range s.Columns {
		switch {
		case strings.TrimSpace(c.Header) == "":
			return bad(fmt.Sprintf("columns[%d].header", i), "is empty")
		case seen[c.Header]:
			return bad(fmt.Sprintf("columns[%d].header", i), fmt.Sprintf("%q appears twice", c.Header))
		case !c.Kind.valid():
			return bad(fmt.Sprintf("columns[%d].kind", i), fmt.Sprintf("unknown kind %d", c.Kind))
		case c.Width < 0 || c.Width > 255:
			return bad(fmt.Sprintf("columns[%d].width", i), "is not in [0, 255]")
		}
		seen[c.Header] = true
	}
	return nil
}

// Row is one row of a ledger: one value per column, of the column's kind — a string for [Text], an
// int or int64 for [Int], a time.Time for [Time] and [Date]. A nil value is an empty cell.
type Row []any

// Rows is a stream of rows. A writer stops at the first error the stream yields and returns it.
type Rows = iter.Seq2[Row, error]

// MaxCellText is the longest text a cell holds (Excel's limit, in characters); longer text is an error
// rather than a file Excel refuses to open.
const MaxCellText = 32767

// cell is a checked value: the kind it was checked against and the value in a normal form.
type cell struct {
	kind Kind
	text string
	num  int64
	t    time.Time // Asia/Shanghai
	null bool
}

// check returns the cells of row r (1-based n), or a *RowError.
func (s *Sheet) check(n int, r Row, out []cell) error {
	if len(r) != len(s.Columns) {
		return &RowError{Row: n, Reason: fmt.Sprintf("%d values for %d columns", len(r), len(s.Columns))}
	}
	for i, v := range r {
		col := s.Columns[i]
		c := cell{kind: col.Kind}
		bad := func(reason string) error { return &RowError{Row: n, Column: col.Header, Reason: reason} }
		switch x := v.(type) {
		case nil:
			c.null = true
		case string:
			if col.Kind != Text {
				return bad("a string in a column of another kind")
			}
			if !utf8.ValidString(x) {
				return bad("text is not valid UTF-8")
			}
			if utf8.RuneCountInString(x) > MaxCellText {
				return bad(fmt.Sprintf("text longer than %d characters", MaxCellText))
			}
			c.text = x
		case int:
			if col.Kind != Int {
				return bad("a number in a column of another kind")
			}
			c.num = int64(x)
		case int64:
			if col.Kind != Int {
				return bad("a number in a column of another kind")
			}
			c.num = x
		case time.Time:
			if col.Kind != Time && col.Kind != Date {
				return bad("a time in a column of another kind")
			}
			if x.IsZero() {
				c.null = true
				break
			}
			c.t = x.In(deadline.Location())
			if y := c.t.Year(); y < 1900 || y > 9999 {
				return bad(fmt.Sprintf("year %d outside 1900–9999", y))
			}
		default:
			return bad(fmt.Sprintf("unsupported value of type %T", v))
		}
		out[i] = c
	}
	return nil
}

// Layouts of instants in CSV cells (and the XLSX number formats that show the same).
const (
	TimeLayout = "2006-01-02 15:04:05"
	DateLayout = "2006-01-02"
)

func defaultWidth(k Kind) float64 {
	switch k {
	case Int:
		return 10
	case Time:
		return 20
	case Date:
		return 12
	}
	return 16
}
