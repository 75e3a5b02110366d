package ledger_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/ledger"
	"github.com/hotline12345/hotline/server/ledger/ledgertest"
	"github.com/hotline12345/hotline/ticket"
)

var now = at("2026-11-30 09:00")

// The ticket ledger (004 §14) and the 办不成事 ledger (003 六 (五), 七 (二)) opened back with excelize
// and checked cell by cell against the tickets.
func TestXLSXCellByCell(t *testing.T) {
	ts := tickets(t)
	for _, tt := range []struct {
		sheet ledger.Sheet
		row   func(*ticket.Ticket, ledger.Names, time.Time) ledger.Row
		keep  func(*ticket.Ticket) bool
	}{
		{ledger.TicketSheet(), ledger.TicketRow, func(*ticket.Ticket) bool { return true }},
		{ledger.WindowSheet(), ledger.WindowRow, ledger.IsWindowCase},
	} {
		t.Run(tt.sheet.Name, func(t *testing.T) {
			var kept []*ticket.Ticket
			for _, tk := range ts {
				if tt.keep(tk) {
					kept = append(kept, tk)
				}
			}
			var buf bytes.Buffer
			n, err := ledger.WriteXLSX(&buf, tt.sheet, rowsOf(kept, tt.row, now))
			require.NoError(t, err)
			assert.Equal(t, len(kept), n)

			f, err := excelize.OpenReader(&buf)
			require.NoError(t, err)
			defer f.Close()
			assert.Equal(t, []string{tt.sheet.Name}, f.GetSheetList())
			rows, err := f.GetRows(tt.sheet.Name)
			require.NoError(t, err)
			require.Len(t, rows, len(kept)+1)
			for i, c := range tt.sheet.Columns {
				assert.Equal(t, c.Header, rows[0][i], "header %d", i)
			}
			for r, tk := range kept {
				values := tt.row(tk, names, now)
				got := rows[r+1]
				for len(got) < len(values) { // GetRows drops trailing empty cells
					got = append(got, "")
				}
				for i, v := range values {
					assert.Equal(t, ledgertest.Text(v, tt.sheet.Columns[i].Kind), got[i], "row %d (%s) column %s", r+1, tk.Number, tt.sheet.Columns[i].Header)
				}
			}

			// The header row is frozen, columns have their widths, and instants are date cells.
			panes, err := f.GetPanes(tt.sheet.Name)
			require.NoError(t, err)
			assert.True(t, panes.Freeze)
			assert.Equal(t, 1, panes.YSplit)
			assert.Equal(t, "A2", panes.TopLeftCell)
			w, err := f.GetColWidth(tt.sheet.Name, "A")
			require.NoError(t, err)
			assert.Equal(t, 22.0, w)
			raw, err := f.GetCellValue(tt.sheet.Name, "B2", excelize.Options{RawCellValue: true})
			require.NoError(t, err)
			serial, err := parseFloat(raw)
			require.NoError(t, err, "受理时间 is a number, not text: %q", raw)
			wall, err := excelize.ExcelDateToTime(serial, false)
			require.NoError(t, err)
			recv := kept[0].Received.In(deadline.Location())
			assert.Equal(t, recv.Format(ledger.TimeLayout), wall.Round(time.Second).Format(ledger.TimeLayout),
				"the serial number is the Asia/Shanghai wall clock")
		})
	}
}

// Spot checks of the ticket ledger against the ticket's own fields, by header.
func TestTicketLedgerFields(t *testing.T) {
	ts := tickets(t)
	var buf bytes.Buffer
	_, err := ledger.WriteXLSX(&buf, ledger.TicketSheet(), rowsOf(ts, ledger.TicketRow, now))
	require.NoError(t, err)
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("工单台账")
	require.NoError(t, err)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	cell := func(r int, h string) string {
		if i := col[h]; i < len(rows[r]) {
			return rows[r][i]
		}
		return ""
	}
	closed, open := ts[0], ts[1]
	assert.Equal(t, closed.Number.String(), cell(1, "工单编号"))
	assert.Equal(t, "2026-11-02 09:00:00", cell(1, "受理时间"))
	assert.Equal(t, "13812345678", cell(1, "联系电话"), "the ledger prints what the ticket holds: the caller masks it")
	assert.Equal(t, "友谊路街道", cell(1, "承办单位"))
	assert.Equal(t, "宝山区房管局", cell(1, "协办单位"))
	assert.Equal(t, "城市管理 / 施工管理", cell(1, "事项"))
	assert.Equal(t, closed.Deadlines.Reply.Met.Format(ledger.TimeLayout), cell(1, "办结时间"))
	assert.Equal(t, closed.Deadlines.Reply.Due.LastDay.Format(ledger.DateLayout), cell(1, "办结时限"))
	assert.Equal(t, "满意", cell(1, "回访满意度"))
	assert.Equal(t, "已责令夜间停工", cell(1, "答复要点"))
	assert.Equal(t, "否", cell(1, "是否超期"))
	assert.Equal(t, open.Number.String(), cell(2, "工单编号"))
	assert.Equal(t, "是", cell(2, "是否超期"), "received 2026-10-09 and never replied: overdue by 2026-11-30")
	assert.Equal(t, "1", cell(2, "督办次数"))
	assert.Equal(t, open.State.Label(), cell(2, "状态"))
}

// A CSV starts with the UTF-8 byte-order mark and reads back to the same cells; a text that starts
// like a formula is defused with an apostrophe.
func TestCSVRoundTrip(t *testing.T) {
	ts := tickets(t)
	for _, s := range []struct {
		sheet ledger.Sheet
		row   func(*ticket.Ticket, ledger.Names, time.Time) ledger.Row
	}{{ledger.TicketSheet(), ledger.TicketRow}, {ledger.WindowSheet(), ledger.WindowRow}} {
		var buf bytes.Buffer
		n, err := ledger.WriteCSV(&buf, s.sheet, rowsOf(ts, s.row, now))
		require.NoError(t, err)
		assert.Equal(t, len(ts), n)
		require.True(t, bytes.HasPrefix(buf.Bytes(), []byte{0xEF, 0xBB, 0xBF}), "UTF-8 BOM")
		assert.Contains(t, buf.String(), "\r\n", "CRLF line ends")
		recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
		require.NoError(t, err)
		require.Len(t, recs, len(ts)+1)
		for i, c := range s.sheet.Columns {
			assert.Equal(t, c.Header, recs[0][i])
		}
		for r, tk := range ts {
			for i, v := range s.row(tk, names, now) {
				w := ledgertest.Text(v, s.sheet.Columns[i].Kind)
				if _, ok := v.(string); ok {
					w = ledger.Defuse(w)
				}
				assert.Equal(t, w, recs[r+1][i], "%s row %d column %s", s.sheet.Name, r+1, s.sheet.Columns[i].Header)
			}
		}
	}
	var buf bytes.Buffer
	_, err := ledger.WriteCSV(&buf, ledger.TicketSheet(), rowsOf(ts[4:], ledger.TicketRow, now))
	require.NoError(t, err)
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, `'=HYPERLINK("http://x")`, recs[1][5], "a formula-like title is defused")
	assert.Equal(t, "'-2+3 @home", recs[1][6])
}

func TestDefuse(t *testing.T) {
	for in, out := range map[string]string{"": "", "=1+1": "'=1+1", "+86": "'+86", "-x": "'-x", "@SUM": "'@SUM",
		"\tx": "'\tx", "\rx": "'\rx", "abc": "abc", "1-2": "1-2", "张三=": "张三="} {
		assert.Equal(t, out, ledger.Defuse(in), "%q", in)
	}
}

func TestRefusals(t *testing.T) {
	one := ledger.Sheet{Name: "台账", Columns: []ledger.Column{{Header: "编号"}, {Header: "次数", Kind: ledger.Int}, {Header: "时间", Kind: ledger.Time}}}
	rows := func(rs ...ledger.Row) ledger.Rows {
		return func(yield func(ledger.Row, error) bool) {
			for _, r := range rs {
				if !yield(r, nil) {
					return
				}
			}
		}
	}
	t.Run("sheets", func(t *testing.T) {
		for name, s := range map[string]ledger.Sheet{
			"no name":        {Columns: one.Columns},
			"long name":      {Name: strings.Repeat("台", 32), Columns: one.Columns},
			"bad name":       {Name: "a/b", Columns: one.Columns},
			"no columns":     {Name: "x"},
			"empty header":   {Name: "x", Columns: []ledger.Column{{Header: " "}}},
			"twice":          {Name: "x", Columns: []ledger.Column{{Header: "a"}, {Header: "a"}}},
			"unknown kind":   {Name: "x", Columns: []ledger.Column{{Header: "a", Kind: 9}}},
			"negative width": {Name: "x", Columns: []ledger.Column{{Header: "a", Width: -1}}},
		} {
			err := s.Validate()
			var se *ledger.SheetError
			require.ErrorAs(t, err, &se, name)
			assert.ErrorIs(t, err, ledger.ErrInvalidSheet, name)
			_, err = ledger.WriteCSV(&bytes.Buffer{}, s, rows())
			assert.ErrorIs(t, err, ledger.ErrInvalidSheet, name)
			_, err = ledger.WriteXLSX(&bytes.Buffer{}, s, rows())
			assert.ErrorIs(t, err, ledger.ErrInvalidSheet, name)
		}
	})
	t.Run("rows", func(t *testing.T) {
		for name, tt := range map[string]struct {
			row    ledger.Row
			column string
		}{
			"short":         {ledger.Row{"a"}, ""},
			"text for int":  {ledger.Row{"a", "1", nil}, "次数"},
			"int for text":  {ledger.Row{1, 1, nil}, "编号"},
			"time for int":  {ledger.Row{"a", now, nil}, "次数"},
			"int for time":  {ledger.Row{"a", 1, 5}, "时间"},
			"float":         {ledger.Row{"a", 1.5, nil}, "次数"},
			"bad utf-8":     {ledger.Row{"\xff", 1, nil}, "编号"},
			"too long":      {ledger.Row{strings.Repeat("x", ledger.MaxCellText+1), 1, nil}, "编号"},
			"year too late": {ledger.Row{"a", 1, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "时间"},
		} {
			for _, write := range []func(ledger.Rows) (int, error){
				func(r ledger.Rows) (int, error) { return ledger.WriteCSV(&bytes.Buffer{}, one, r) },
				func(r ledger.Rows) (int, error) { return ledger.WriteXLSX(&bytes.Buffer{}, one, r) },
			} {
				n, err := write(rows(ledger.Row{"ok", 1, now}, tt.row))
				var re *ledger.RowError
				require.ErrorAs(t, err, &re, name)
				assert.ErrorIs(t, err, ledger.ErrInvalidRow)
				assert.Equal(t, 2, re.Row, name)
				assert.Equal(t, tt.column, re.Column, name)
				assert.Equal(t, 1, n, name)
			}
		}
	})
	t.Run("a stream's error stops the writing and is returned", func(t *testing.T) {
		boom := errors.New("page 3 failed")
		failing := func(yield func(ledger.Row, error) bool) {
			if yield(ledger.Row{"a", 1, nil}, nil) {
				yield(nil, boom)
			}
		}
		n, err := ledger.WriteCSV(&bytes.Buffer{}, one, failing)
		assert.ErrorIs(t, err, boom)
		assert.Equal(t, 1, n)
		n, err = ledger.WriteXLSX(&bytes.Buffer{}, one, failing)
		assert.ErrorIs(t, err, boom)
		assert.Equal(t, 1, n)
	})
}

// A workbook holds several streamed sheets; a closed one refuses more work.
func TestWorkbook(t *testing.T) {
	wb, err := ledger.NewWorkbook()
	require.NoError(t, err)
	ts := tickets(t)
	_, err = wb.AddSheet(ledger.TicketSheet(), rowsOf(ts, ledger.TicketRow, now))
	require.NoError(t, err)
	_, err = wb.AddSheet(ledger.WindowSheet(), rowsOf(ts[3:4], ledger.WindowRow, now))
	require.NoError(t, err)
	_, err = wb.AddSheet(ledger.TicketSheet(), rowsOf(ts, ledger.TicketRow, now))
	assert.ErrorIs(t, err, ledger.ErrInvalidSheet, "two sheets of one name")
	var buf bytes.Buffer
	_, err = wb.WriteTo(&buf)
	require.NoError(t, err)
	require.NoError(t, wb.Close())
	require.NoError(t, wb.Close())
	_, err = wb.AddSheet(ledger.WindowSheet(), rowsOf(nil, ledger.WindowRow, now))
	assert.Error(t, err)
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{"工单台账", "办不成事台账"}, f.GetSheetList())
	v, err := f.GetCellValue("办不成事台账", "E2")
	require.NoError(t, err)
	assert.Equal(t, "上海某某贸易有限公司（王五）", v)

	empty, err := ledger.NewWorkbook()
	require.NoError(t, err)
	defer empty.Close()
	_, err = empty.WriteTo(&bytes.Buffer{})
	assert.ErrorIs(t, err, ledger.ErrInvalidSheet, "a workbook needs a sheet")
}

func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
