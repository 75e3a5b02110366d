package store

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hotline12345/hotline/internal/xtest"
	"github.com/hotline12345/hotline/server/ledger"
	"github.com/hotline12345/hotline/ticket"
)

// ledgerBenchRows is how many tickets BenchmarkLedgerStore exports (HOTLINE_LEDGER_ROWS, default
// 100,000: the figure).
func ledgerBenchRows() int {
	if v, err := strconv.Atoi(os.Getenv("HOTLINE_LEDGER_ROWS")); err == nil && v > 0 {
		return v
	}
	return 100_000
}

// BenchmarkLedgerStore exports a ledger of 100,000 tickets from SQLite end to end — the store's pages
// (keyset, 500 a query, each snapshot decoded) through ledger.TicketRow into the XLSX writer, and the
// CSV writer as the baseline — and reports rows/s and the peak heap above the start. The tickets are
// bulk-inserted projection rows sharing one realistic snapshot (a closed ticket with its callback).
func BenchmarkLedgerStore(b *testing.B) {
	n := ledgerBenchRows()
	s := openFresh(b, dialects(b)[SQLite])
	bulkTickets(b, s, n)
	m, err := defaultMachine()
	require.NoError(b, err)
	recv := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	num, err := ticket.NewNumber("HL", recv, 1)
	require.NoError(b, err)
	tk, err := m.Accept(ticket.Intake{Number: num, Channel: ticket.ChannelPhone, Kind: ticket.KindComplaint, Title: "工地夜间施工噪声",
		Content: "小区旁工地夜间施工，噪声扰民，多次反映未果，请尽快处理。", Place: ticket.Place{RegionCode: "310113001"}}, "op", ticket.RoleHotlineOffice, recv)
	require.NoError(b, err)
	for i, r := range []ticket.Request{
		{Actor: "op", Role: ticket.RoleHotlineOffice, Action: ticket.ActionDispatch, Payload: ticket.Payload{Dispatch: &ticket.Dispatch{Lead: "unit-0001", DispatchMode: ticket.DispatchStatutory}}},
		{Actor: "u", Role: ticket.RoleHandlingUnit, Action: ticket.ActionFirstContact},
		{Actor: "u", Role: ticket.RoleHandlingUnit, Action: ticket.ActionReply, Payload: ticket.Payload{Reply: &ticket.Reply{Report: "已约谈施工单位。", Summary: "已责令夜间停工", Outcome: ticket.OutcomeResolved}}},
		{Actor: "op", Role: ticket.RoleHotlineOffice, Action: ticket.ActionCallback, Payload: ticket.Payload{Callback: &ticket.Callback{Contacted: true, Resolved: true, Result: ticket.Satisfied, Efficiency: ticket.Satisfied, Attitude: ticket.Satisfied}}},
	} {
		_, err := m.Apply(tk, r, recv.Add(time.Duration(i+1)*time.Hour))
		require.NoError(b, err)
	}
	snap, err := json.Marshal(stripped(tk))
	require.NoError(b, err)
	_, err = s.db.NewRaw("UPDATE tickets SET snapshot = ?", snap).Exec(context.Background())
	require.NoError(b, err)
	office := Principal{Actor: "bench", Unit: "office", Role: RoleSystem}
	f := LedgerFilter{ReceivedFrom: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ReceivedTo: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), What: "tickets"}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, w := range []struct {
		name  string
		write func(io.Writer, ledger.Sheet, ledger.Rows) (int, error)
	}{{"xlsx", ledger.WriteXLSX}, {"csv", ledger.WriteCSV}} {
		b.Run(w.name, func(b *testing.B) {
			b.ReportAllocs()
			var maxPeak uint64
			for b.Loop() {
				rows := func(yield func(ledger.Row, error) bool) {
					for e, err := range s.Ledger(context.Background(), office, f, now) {
						if err != nil {
							yield(nil, err)
							return
						}
						if !yield(ledger.TicketRow(e.Ticket, nil, now), nil) {
							return
						}
					}
				}
				maxPeak = max(maxPeak, xtest.PeakHeap(func() {
					got, err := w.write(io.Discard, ledger.TicketSheet(), rows)
					if err != nil || got != n {
						b.Fatalf("wrote %d of %d rows: %v", got, n, err)
					}
				}))
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(maxPeak)/(1<<20), "peak-MB")
		})
	}
}
