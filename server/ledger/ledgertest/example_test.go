package ledgertest_test

import (
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/ledger"
	"github.com/hotline12345/hotline/server/ledger/ledgertest"
)

// A ticket's receipt time and number of days as the exported files show them.
func ExampleText() {
	recv := time.Date(2026, 11, 2, 9, 0, 0, 0, deadline.Location())
	fmt.Println(ledgertest.Text(recv, ledger.Time))
	fmt.Println(ledgertest.Text(recv, ledger.Date))
	fmt.Println(ledgertest.Text(int64(15), ledger.Int))
	// Output:
	// 2026-11-02 09:00:00
	// 2026-11-02
	// 15
}
