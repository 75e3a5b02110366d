package ledgertest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/hotline12345/hotline/server/ledger"
	"github.com/hotline12345/hotline/server/ledger/ledgertest"
)

func TestText(t *testing.T) {
	utc := time.Date(2026, 11, 29, 16, 30, 5, 0, time.UTC) // 2026-11-30 00:30:05 in Shanghai
	cases := []struct {
		name string
		v    any
		kind ledger.Kind
		want string
	}{
		{"nil", nil, ledger.Text, ""},
		{"text", "工地夜间施工噪声", ledger.Text, "工地夜间施工噪声"},
		{"int", 7, ledger.Int, "7"},
		{"int64", int64(-12), ledger.Int, "-12"},
		{"zero time", time.Time{}, ledger.Time, ""},
		{"time in Shanghai", utc, ledger.Time, "2026-11-30 00:30:05"},
		{"date in Shanghai", utc, ledger.Date, "2026-11-30"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, ledgertest.Text(c.v, c.kind))
		})
	}
	assert.PanicsWithValue(t, "ledgertest: unexpected float64", func() { ledgertest.Text(1.5, ledger.Int) })
}
