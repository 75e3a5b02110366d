package ticket

import (
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// lcBenchTicket returns a street-hotline ticket in the handling state with a few events of history,
// and a supervision request to apply to it.
func lcBenchTicket(b *testing.B) (*Machine, *Ticket, Request, time.Time) {
	m := lcMachine(b, deadline.StreetHotline())
	tk := lcRun(b, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcAt("2026-11-23 10:00")},
		lcStep{lcRepeat(2), lcAt("2026-11-23 11:00")},
		lcStep{lcFirstContact(), lcAt("2026-11-23 12:00")},
		lcStep{lcSupervise(TriggerInstruction), lcAt("2026-11-23 13:00")},
		lcStep{lcRepeat(3), lcAt("2026-11-23 14:00")},
	)
	return m, tk, lcReply(OutcomeResolved), lcAt("2026-11-24 09:00")
}

// BenchmarkApply measures applying one transition (a reply, which meets two clocks) to a ticket with
// six events of history. Each iteration first resets the ticket to the loaded state (*tk = *base, a
// copy into the same memory, as a server reuses the value it decodes into) and then applies.
//
//   - indexed: Machine.Apply, the constant-time table lookup (target under 2 µs).
//   - linear-scan: the same, finding the row by scanning the table's rows (baseline).
//   - replay-history: the naive design that rebuilds the ticket by replaying its whole history before
//     each transition (baseline).
func BenchmarkApply(b *testing.B) {
	m, base, req, now := lcBenchTicket(b)
	b.Run("indexed", func(b *testing.B) {
		b.ReportAllocs()
		tk := new(Ticket)
		for b.Loop() {
			*tk = *base
			if _, err := m.Apply(tk, req, now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("linear-scan", func(b *testing.B) {
		b.ReportAllocs()
		tk := new(Ticket)
		for b.Loop() {
			*tk = *base
			tr, ok := lifecycle.lookupScan(tk.State, req.Action)
			if _, err := m.apply(tk, tk.State, tr, ok, req, now); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("replay-history", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			cp, err := m.Replay(base.History)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := m.Apply(cp, req, now); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLookup isolates the table lookup: the indexed array against a linear scan, over every
// state × action pair.
func BenchmarkLookup(b *testing.B) {
	tab := Lifecycle()
	states, actions := States(), Actions()
	b.Run("indexed", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			for _, s := range states {
				for _, a := range actions {
					if _, ok := tab.Lookup(s, a); ok {
						n++
					}
				}
			}
		}
		_ = n
	})
	b.Run("linear-scan", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			for _, s := range states {
				for _, a := range actions {
					if _, ok := tab.lookupScan(s, a); ok {
						n++
					}
				}
			}
		}
		_ = n
	})
}
