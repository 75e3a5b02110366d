package ledger

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// ContentTypeXLSX is the media type of an XLSX workbook.
const ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Workbook is an XLSX workbook being written, one streamed sheet after another. It is not safe for
// concurrent use. Close it when done: it removes excelize's temporary files.
type Workbook struct {
	f      *excelize.File
	sheets int
	header int // style ids
	time   int
	date   int
	closed bool
}

// NewWorkbook returns an empty workbook.
func NewWorkbook() (*Workbook, error) {
	f := excelize.NewFile()
	wb := &Workbook{f: f}
	var err error
	if wb.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	}); err != nil {
		_ = f.Close()
		return nil, err
	}
	timeFmt, dateFmt := "yyyy-mm-dd hh:mm:ss", "yyyy-mm-dd"
	if wb.time, err = f.NewStyle(&excelize.Style{CustomNumFmt: &timeFmt}); err != nil {
		_ = f.Close()
		return nil, err
	}
	if wb.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		_ = f.Close()
		return nil, err
	}
	return wb, nil
}

// errClosed is returned by a closed workbook.
var errClosed = errors.New("ledger: workbook is closed")

// AddSheet streams s and rows into a new worksheet: the header row (bold, filled, frozen), the column
// widths, then each row as it comes. It returns the number of rows written (without the header). An
// error from rows or a *RowError stops the sheet; the workbook should then be discarded.
func (wb *Workbook) AddSheet(s Sheet, rows Rows) (int, error) {
	if wb.closed {
		return 0, errClosed
	}
	if err := s.Validate(); err != nil {
		return 0, err
	}
	if idx, err := wb.f.GetSheetIndex(s.Name); err == nil && idx >= 0 && wb.sheets > 0 {
		return 0, &SheetError{Sheet: s.Name, Field: "name", Reason: "the workbook has a sheet of that name"}
	}
	if wb.sheets == 0 {
		if err := wb.f.SetSheetName("Sheet1", s.Name); err != nil {
			return 0, err
		}
	} else if _, err := wb.f.NewSheet(s.Name); err != nil {
		return 0, err
	}
	wb.sheets++
	sw, err := wb.f.NewStreamWriter(s.Name)
	if err != nil {
		return 0, err
	}
	for i, c := range s.Columns {
		w := c.Width
		if w == 0 {
			w = defaultWidth(c.Kind)
		}
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return 0, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return 0, err
	}
	vals := make([]any, len(s.Columns))
	for i, c := range s.Columns {
		vals[i] = excelize.Cell{StyleID: wb.header, Value: c.Header}
	}
	if err := sw.SetRow("A1", vals, excelize.RowOpts{Height: 24}); err != nil {
		return 0, err
	}
	cells := make([]cell, len(s.Columns))
	n := 0
	for r, err := range rows {
		if err != nil {
			return n, err
		}
		if err := s.check(n+1, r, cells); err != nil {
			return n, err
		}
		for i, c := range cells {
			vals[i] = wb.value(c)
		}
		ref, err := excelize.CoordinatesToCellName(1, n+2)
		if err != nil {
			return n, err
		}
		if err := sw.SetRow(ref, vals); err != nil {
			return n, err
		}
		n++
	}
	return n, sw.Flush()
}

// value is the excelize value of a checked cell. An instant is given to excelize as its Asia/Shanghai
// wall clock labelled UTC: excelize converts instants to spreadsheet serial numbers in UTC, and a
// spreadsheet has no time zone.
func (wb *Workbook) value(c cell) any {
	if c.null {
		return nil
	}
	switch c.kind {
	case Int:
		return c.num
	case Time, Date:
		style := wb.time
		if c.kind == Date {
			style = wb.date
		}
		y, m, d := c.t.Date()
		hh, mm, ss := c.t.Clock()
		return excelize.Cell{StyleID: style, Value: time.Date(y, m, d, hh, mm, ss, 0, time.UTC)}
	}
	return c.text
}

// WriteTo writes the workbook to w. Call it once, after the sheets are added.
func (wb *Workbook) WriteTo(w io.Writer) (int64, error) {
	if wb.closed {
		return 0, errClosed
	}
	if wb.sheets == 0 {
		return 0, &SheetError{Sheet: "", Field: "sheets", Reason: "the workbook has none"}
	}
	n, err := wb.f.WriteTo(w)
	if err != nil {
		return n, fmt.Errorf("ledger: writing the workbook: %w", err)
	}
	return n, nil
}

// Close releases the workbook and its temporary files. Closing twice is harmless.
func (wb *Workbook) Close() error {
	if wb.closed {
		return nil
	}
	wb.closed = true
	return wb.f.Close()
}

// WriteXLSX writes s and rows to w as a one-sheet XLSX workbook and returns the number of rows.
func WriteXLSX(w io.Writer, s Sheet, rows Rows) (int, error) {
	wb, err := NewWorkbook()
	if err != nil {
		return 0, err
	}
	defer wb.Close()
	n, err := wb.AddSheet(s, rows)
	if err != nil {
		return n, err
	}
	if _, err := wb.WriteTo(w); err != nil {
		return n, err
	}
	return n, wb.Close()
}
