package ledger_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hotline12345/hotline/server/ledger"
)

// A ledger is a sheet and a stream of rows; the CSV starts with a byte-order mark so that Excel reads
// it as UTF-8, and a text that looks like a formula is defused.
func ExampleWriteCSV() {
	sheet := ledger.Sheet{Name: "台账", Columns: []ledger.Column{
		{Header: "工单编号"}, {Header: "受理时间", Kind: ledger.Time}, {Header: "督办次数", Kind: ledger.Int}, {Header: "标题"},
	}}
	rows := func(yield func(ledger.Row, error) bool) {
		_ = yield(ledger.Row{"HL-20261102-000001-L", at("2026-11-02 09:00"), 1, "=1+1"}, nil) &&
			yield(ledger.Row{"HL-20261102-000002-M", nil, 0, "路灯不亮"}, nil)
	}
	var buf bytes.Buffer
	n, err := ledger.WriteCSV(&buf, sheet, rows)
	fmt.Println(n, err)
	out := buf.String()
	fmt.Println(strings.HasPrefix(out, ledger.BOM))
	fmt.Print(strings.ReplaceAll(strings.TrimPrefix(out, ledger.BOM), "\r\n", "\n"))
	// Output:
	// 2 <nil>
	// true
	// 工单编号,受理时间,督办次数,标题
	// HL-20261102-000001-L,2026-11-02 09:00:00,1,'=1+1
	// HL-20261102-000002-M,,0,路灯不亮
}

// The same rows as an XLSX workbook: a frozen header row and real date cells.
func ExampleWriteXLSX() {
	var buf bytes.Buffer
	n, err := ledger.WriteXLSX(&buf, ledger.TicketSheet(), func(yield func(ledger.Row, error) bool) {})
	fmt.Println(n, err, bytes.HasPrefix(buf.Bytes(), []byte("PK")))
	// Output: 0 <nil> true
}
