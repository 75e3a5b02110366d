package ticket

import (
	"fmt"
	"slices"
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
			if _, err := m.apply(tk, tk.State, tr, ok, req, now, nil); err != nil {
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

// lcLongHistory returns a street ticket with n events: accept, dispatch, then supervisions, one a
// minute (004 §12: supervision is counted at any open state).
func lcLongHistory(b testing.TB, m *Machine, n int) *Ticket {
	tk := lcRun(b, m,
		lcStep{lcAccept(lcIntake(ChannelPhone)), lcAt("2026-11-23 09:00")},
		lcStep{lcDispatch("居委会A", noMode, ComplexityGeneral), lcAt("2026-11-23 10:00")},
	)
	at := lcAt("2026-11-23 10:00")
	for len(tk.History) < n {
		at = at.Add(time.Minute)
		if _, err := m.Apply(tk, lcSupervise(TriggerInstruction), at); err != nil {
			b.Fatal(err)
		}
	}
	return tk
}

// BenchmarkReplay replays histories of 1,000, 4,000 and 16,000 events: Replay is linear, so the
// ns/event metric stays flat. The copy-per-event baseline does what Apply did before (a new,
// exact-size history array at every event), which is quadratic; it runs at 500, 1,000 and 2,000
// events only, since at 16,000 it takes tens of seconds.
func BenchmarkReplay(b *testing.B) {
	m := lcMachine(b, deadline.StreetHotline())
	histories := map[int]*Ticket{}
	history := func(n int) *Ticket {
		if histories[n] == nil {
			histories[n] = lcLongHistory(b, m, n)
		}
		return histories[n]
	}
	for _, n := range []int{1000, 4000, 16000} {
		tk := history(n)
		b.Run(fmt.Sprintf("linear/events=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Replay(tk.History); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/event")
		})
	}
	for _, n := range []int{500, 1000, 2000} {
		tk := history(n)
		b.Run(fmt.Sprintf("copy-per-event/events=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				t := &Ticket{}
				for _, e := range tk.History {
					if _, err := m.Apply(t, e.Request(), e.At); err != nil {
						b.Fatal(err)
					}
					t.History = slices.Clone(t.History) // the old Apply: a new exact-size array per event
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/event")
		})
	}
}

// BenchmarkApplyHistoryLength applies one supervision to a ticket with 6 and with 16,000 events of
// history: Apply costs the same whatever the history's length (the event is appended in place).
func BenchmarkApplyHistoryLength(b *testing.B) {
	m := lcMachine(b, deadline.StreetHotline())
	for _, n := range []int{6, 16000} {
		base := lcLongHistory(b, m, n)
		base.History = slices.Grow(base.History, 1) // room for the event, as a live ticket has
		last := base.History[len(base.History)-1].At
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			tk := new(Ticket)
			for b.Loop() {
				*tk = *base
				if _, err := m.Apply(tk, lcSupervise(TriggerInstruction), last.Add(time.Minute)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
