package routing

import (
	"fmt"
	"io"
	"strings"

	"github.com/hotline12345/hotline/internal/enum"
)

// A MatterCode is a code of the dispatch catalogue (派单目录): two digits per
// level, up to three levels. "05" is a level-1 category, "0502" a level-2
// matter in it and "050203" a level-3 matter in that. Dotted forms are not
// accepted; the parent of a code is the code without its last two digits.
type MatterCode string

// ParseMatterCode returns s as a [MatterCode] if it is well formed.
func ParseMatterCode(s string) (MatterCode, error) {
	if reason := matterCodeProblem(s); reason != "" {
		return "", newCodeError("matter code", s, reason)
	}
	return MatterCode(s), nil
}

func matterCodeProblem(s string) string {
	switch len(s) {
	case 2, 4, 6:
	default:
		return fmt.Sprintf("length %d, want 2, 4 or 6 digits", len(s))
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return fmt.Sprintf("byte %d is not a digit", i)
		}
	}
	return ""
}

// Valid reports whether c is well formed.
func (c MatterCode) Valid() bool { return matterCodeProblem(string(c)) == "" }

// Level returns 1, 2 or 3, or 0 if c is not well formed.
func (c MatterCode) Level() int {
	if !c.Valid() {
		return 0
	}
	return len(c) / 2
}

// Parent returns the code one level up, or "" for a level-1 or malformed code.
func (c MatterCode) Parent() MatterCode {
	if c.Level() <= 1 {
		return ""
	}
	return c[:len(c)-2]
}

// A Matter is one entry of the dispatch catalogue.
type Matter struct {
	Code MatterCode `json:"code"`
	Name string     `json:"name"`
	// Kind is required at level 1; below, the empty value inherits the parent's.
	Kind MatterKind `json:"kind,omitempty"`
	// Line names the sector line (条线) of a sector-line matter, e.g. "市场监管";
	// empty inherits the parent's. A territorial matter has no line.
	Line string `json:"line,omitempty"`
}

// MatterCSVHeader is the header [ReadMattersCSV] expects. Columns may come in
// any order; code and name are required, the others optional.
const MatterCSVHeader = "code,name,kind,line"

// ReadMattersCSV reads a dispatch catalogue in CSV (header [MatterCSVHeader]).
// It checks each row on its own (codes, kinds); [NewDirectory] checks the
// catalogue as a whole. It reads at most [MaxCSVBytes] and [MaxCSVRows] rows
// of at most [MaxRecordBytes] each. Errors are [*RowError] values naming the
// line.
func ReadMattersCSV(r io.Reader) ([]Matter, error) { return readMattersCSV(r, tableLimits()) }

func readMattersCSV(r io.Reader, lim csvLimits) ([]Matter, error) {
	const source = "matters.csv"
	tab, err := readTable(source, r, lim, []string{"code", "name"}, []string{"kind", "line"})
	if err != nil {
		return nil, err
	}
	var out []Matter
	for row := range tab.rows() {
		m := Matter{
			Code: MatterCode(row.get("code")),
			Name: row.get("name"),
			Line: row.get("line"),
		}
		if err := m.Kind.UnmarshalText([]byte(row.get("kind"))); err != nil {
			return nil, &RowError{Source: source, Row: row.line, ID: string(m.Code), Field: "kind", Value: row.get("kind"), Err: err}
		}
		if err := checkMatterRow(source, row.line, m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, tab.err
}

func checkMatterRow(source string, row int, m Matter) error {
	if reason := matterCodeProblem(string(m.Code)); reason != "" {
		return &RowError{Source: source, Row: row, Field: "code", Value: string(m.Code),
			Err: newCodeError("matter code", string(m.Code), reason)}
	}
	if strings.TrimSpace(m.Name) == "" {
		return rowErr(source, row, string(m.Code), "name", "", ErrInvalidField, "empty name")
	}
	if len(m.Name) > MaxNameBytes {
		return rowErr(source, row, string(m.Code), "name", m.Name, ErrInvalidField, "longer than %d bytes (MaxNameBytes)", MaxNameBytes)
	}
	if len(m.Line) > MaxNameBytes {
		return rowErr(source, row, string(m.Code), "line", m.Line, ErrInvalidField, "longer than %d bytes (MaxNameBytes)", MaxNameBytes)
	}
	if m.Kind != "" {
		if err := matterKinds.Check(m.Kind); err != nil {
			return &RowError{Source: source, Row: row, ID: enum.Clip(string(m.Code)), Field: "kind", Value: enum.Clip(string(m.Kind)), Err: err}
		}
	}
	if m.Kind == "" && m.Code.Level() == 1 {
		return rowErr(source, row, string(m.Code), "kind", "", ErrInvalidField,
			"a level-1 matter must say sector_line or territorial")
	}
	if m.Kind == MatterTerritorial && m.Line != "" {
		return rowErr(source, row, string(m.Code), "line", m.Line, ErrConflict,
			"a territorial matter has no sector line")
	}
	return nil
}
