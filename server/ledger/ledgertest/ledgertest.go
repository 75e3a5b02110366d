package ledgertest

import (
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/ledger"
)

// Text is how value v of a column of kind reads back from either file: nil and a zero time as an
// empty cell, numbers in decimal, times in Asia/Shanghai as [ledger.TimeLayout] (a [ledger.Date]
// column as [ledger.DateLayout]). A value of another type is a mistake in the test: Text panics.
func Text(v any, kind ledger.Kind) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return fmt.Sprint(x)
	case int64:
		return fmt.Sprint(x)
	case time.Time:
		if x.IsZero() {
			return ""
		}
		if kind == ledger.Date {
			return x.In(deadline.Location()).Format(ledger.DateLayout)
		}
		return x.In(deadline.Location()).Format(ledger.TimeLayout)
	}
	panic(fmt.Sprintf("ledgertest: unexpected %T", v))
}
