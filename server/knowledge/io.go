package knowledge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/strictjson"
	"github.com/hotline12345/hotline/routing"
)

// Limits of an import.
const (
	// MaxImportBytes is the largest document [ReadJSON] and [ReadXLSX] accept.
	MaxImportBytes = 64 << 20
	// MaxImportEntries is how many entries one document may carry.
	MaxImportEntries = 200000
	// maxUnzipped bounds what a spreadsheet may expand to (a zip bomb is refused).
	maxUnzipped = 512 << 20
)

// Document is the JSON form of an import or export.
type Document struct {
	Entries []Entry `json:"entries"`
}

// ReadJSON reads at most [MaxImportBytes] of {"entries": […]} through the module's strict loader (no
// unknown, duplicate or case-variant keys, no trailing data) and validates each entry; two entries
// may not share an id. Errors are a [*MalformedError] naming the JSON path or a [*FieldError] naming
// the entry and field.
func ReadJSON(r io.Reader) ([]Entry, error) {
	var doc Document
	if err := strictjson.Read(r, &doc, MaxImportBytes); err != nil {
		var je *strictjson.Error
		if errors.As(err, &je) {
			return nil, &MalformedError{Where: je.Path, Reason: je.Reason, Err: err}
		}
		return nil, &MalformedError{Reason: err.Error(), Err: err}
	}
	if doc.Entries == nil {
		return nil, &MalformedError{Where: "entries", Reason: "missing: want {\"entries\": [...]}"}
	}
	return doc.Entries, check(doc.Entries, nil)
}

// check validates entries, naming rows (when given) in errors.
func check(es []Entry, rows []int) error {
	if len(es) > MaxImportEntries {
		return &MalformedError{Where: "entries", Reason: fmt.Sprintf("%d entries, more than the %d one document may carry", len(es), MaxImportEntries)}
	}
	ids := map[string]int{}
	for i, e := range es {
		row := 0
		if rows != nil {
			row = rows[i]
		}
		if err := e.validate(i); err != nil {
			var fe *FieldError
			if errors.As(err, &fe) {
				fe.Row = row
			}
			return err
		}
		if e.ID == "" {
			continue
		}
		if j, dup := ids[e.ID]; dup {
			return &FieldError{Entry: i, Row: row, Field: "id", Reason: fmt.Sprintf("%q repeats entries[%d]", e.ID, j)}
		}
		ids[e.ID] = i
	}
	return nil
}

// WriteJSON writes entries as {"entries": […]}, one entry a line.
func WriteJSON(w io.Writer, es []Entry) error {
	if es == nil {
		es = []Entry{}
	}
	if _, err := io.WriteString(w, "{\"entries\": ["); err != nil {
		return err
	}
	for i, e := range es {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		sep := "\n"
		if i > 0 {
			sep = ",\n"
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "\n]}\n")
	return err
}

// column is one column of the spreadsheet: its key (the English header) and its Chinese header.
type column struct {
	key, zh  string
	readOnly bool // written on export, ignored on import
}

var columns = []column{
	{key: "id", zh: "编号"},
	{key: "question", zh: "问题"},
	{key: "answer", zh: "答复"},
	{key: "matters", zh: "事项编码"},
	{key: "places", zh: "适用区划"},
	{key: "source_document", zh: "政策文件"},
	{key: "source_article", zh: "条款"},
	{key: "keeper", zh: "维护单位"},
	{key: "valid_from", zh: "生效时间"},
	{key: "valid_until", zh: "失效时间"},
	{key: "version", zh: "版本", readOnly: true},
	{key: "updated", zh: "更新时间", readOnly: true},
	{key: "updated_by", zh: "更新人", readOnly: true},
}

// SheetName is the name of the sheet [WriteXLSX] writes.
const SheetName = "知识库"

// WriteXLSX writes entries as a spreadsheet: one sheet, a header row of the Chinese column names
// (编号, 问题, 答复, 事项编码, 适用区划, 政策文件, 条款, 维护单位, 生效时间, 失效时间, 版本, 更新时间, 更新人),
// one row per entry; codes are separated by "、", instants are RFC 3339 in Asia/Shanghai.
func WriteXLSX(w io.Writer, es []Entry) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return err
	}
	header := make([]any, len(columns))
	for i, c := range columns {
		header[i] = c.zh
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, e := range es {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		row := []any{e.ID, e.Question, e.Answer, joinCodes(e.Matters), joinCodes(e.Places), e.Source.Document, e.Source.Article,
			e.Keeper, fmtTime(e.ValidFrom), fmtTime(e.ValidUntil), versionCell(e.Version), fmtTime(e.Updated), e.UpdatedBy}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

func versionCell(v int64) any {
	if v == 0 {
		return ""
	}
	return v
}

func joinCodes[T ~string](cs []T) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, "、")
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(deadline.Location()).Format(time.RFC3339)
}

// ReadXLSX reads entries from a spreadsheet of at most [MaxImportBytes]: the first sheet, whose first
// non-empty row names the columns (Chinese or English names, as [WriteXLSX] writes them; 问题 and 答复
// required, any other column unknown is refused); codes are separated by commas, 、, semicolons or
// spaces; instants are RFC 3339, a date (2026-11-30, 2026/11/30, 2026年11月30日: the start of the day
// in Asia/Shanghai) or an Excel date cell. The read-only columns of an export (版本, 更新时间, 更新人)
// are ignored. Errors name the row and the column.
func ReadXLSX(r io.Reader) ([]Entry, error) {
	if r == nil {
		return nil, &MalformedError{Reason: "nil reader"}
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, &MalformedError{Reason: "read failed: " + err.Error(), Err: err}
	}
	if len(data) > MaxImportBytes {
		return nil, &MalformedError{Reason: fmt.Sprintf("more than %d bytes", MaxImportBytes), Err: strictjson.ErrTooLarge}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, &MalformedError{Reason: "not an XLSX spreadsheet: " + clipRunes(err.Error(), 120), Err: err}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, &MalformedError{Reason: "the workbook has no sheet"}
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, &MalformedError{Reason: "the first sheet cannot be read: " + clipRunes(err.Error(), 120), Err: err}
	}
	defer rows.Close()
	var idx []int // column position → index in columns, -1 for a blank header
	var es []Entry
	var rowNums []int
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &MalformedError{Where: fmt.Sprintf("row %d", n), Reason: clipRunes(err.Error(), 120), Err: err}
		}
		if blank(cells) {
			continue
		}
		if idx == nil {
			if idx, err = header(cells, n); err != nil {
				return nil, err
			}
			continue
		}
		if len(es) == MaxImportEntries {
			return nil, &MalformedError{Reason: fmt.Sprintf("more than %d entries", MaxImportEntries)}
		}
		e, err := entryOf(cells, idx, n)
		if err != nil {
			return nil, err
		}
		es = append(es, e)
		rowNums = append(rowNums, n)
	}
	if err := rows.Error(); err != nil {
		return nil, &MalformedError{Reason: clipRunes(err.Error(), 120), Err: err}
	}
	if idx == nil {
		return nil, &MalformedError{Reason: "the first sheet is empty: want a header row (问题, 答复, …)"}
	}
	if es == nil {
		es = []Entry{}
	}
	return es, check(es, rowNums)
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func header(cells []string, row int) ([]int, error) {
	idx := make([]int, len(cells))
	seen := map[int]bool{}
	for i, c := range cells {
		c = strings.TrimSpace(c)
		idx[i] = -1
		if c == "" {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(i+1, row)
		found := -1
		for j, col := range columns {
			if strings.EqualFold(c, col.key) || c == col.zh {
				found = j
			}
		}
		switch {
		case found < 0:
			return nil, &MalformedError{Where: cell, Reason: fmt.Sprintf("unknown column %q", clipRunes(c, 32))}
		case seen[found]:
			return nil, &MalformedError{Where: cell, Reason: fmt.Sprintf("column %s (%s) given twice", columns[found].zh, columns[found].key)}
		}
		seen[found] = true
		idx[i] = found
	}
	for _, need := range []int{1, 2} {
		if !seen[need] {
			return nil, &MalformedError{Where: fmt.Sprintf("row %d", row), Reason: fmt.Sprintf("no column %s (%s)", columns[need].zh, columns[need].key)}
		}
	}
	return idx, nil
}

func entryOf(cells []string, idx []int, row int) (Entry, error) {
	var e Entry
	for i, raw := range cells {
		if i >= len(idx) {
			if strings.TrimSpace(raw) != "" {
				cell, _ := excelize.CoordinatesToCellName(i+1, row)
				return Entry{}, &MalformedError{Where: cell, Reason: "a value under no column"}
			}
			continue
		}
		if idx[i] < 0 {
			if strings.TrimSpace(raw) != "" {
				cell, _ := excelize.CoordinatesToCellName(i+1, row)
				return Entry{}, &MalformedError{Where: cell, Reason: "a value under a blank header"}
			}
			continue
		}
		col := columns[idx[i]]
		v := strings.TrimSpace(raw)
		bad := func(reason string) error {
			return &FieldError{Entry: -1, Row: row, Field: col.key, Reason: reason}
		}
		switch col.key {
		case "id":
			e.ID = v
		case "question":
			e.Question = v
		case "answer":
			e.Answer = v
		case "matters":
			e.Matters = splitCodes[routing.MatterCode](v)
		case "places":
			e.Places = splitCodes[routing.RegionCode](v)
		case "source_document":
			e.Source.Document = v
		case "source_article":
			e.Source.Article = v
		case "keeper":
			e.Keeper = v
		case "valid_from", "valid_until":
			t, err := parseWhen(v)
			if err != nil {
				return Entry{}, bad(err.Error())
			}
			if col.key == "valid_from" {
				e.ValidFrom = t
			} else {
				e.ValidUntil = t
			}
		}
	}
	return e, nil
}

func splitCodes[T ~string](v string) []T {
	var out []T
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(",，、;； \t\r\n", r) }) {
		out = append(out, T(f))
	}
	return out
}

// parseWhen reads an instant of a spreadsheet cell.
func parseWhen(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02", "2006/01/02", "2006-1-2", "2006/1/2", "2006年1月2日", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, deadline.Location()); err == nil {
			return t, nil
		}
	}
	if serial, err := strconv.ParseFloat(v, 64); err == nil && serial > 0 && serial < 2958466 && !math.IsNaN(serial) {
		t, err := excelize.ExcelDateToTime(serial, false)
		if err == nil {
			// An Excel date has no zone: it is the wall clock in Asia/Shanghai.
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, deadline.Location()), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an instant: want RFC 3339, a date such as 2026-11-30, or a date cell", clipRunes(v, 32))
}
