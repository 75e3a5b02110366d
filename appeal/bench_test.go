package appeal

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// Benchmarks of the appeal engine, each beside its baseline or peer; figures and the command are in
// BENCHMARKS.md.
//
//   - BenchmarkAppealLive files an appeal, has the unit endorse it and the reviewer uphold it, with
//     every window checked; BenchmarkAppealReplay rebuilds the same three events from storage
//     (windows not re-checked). The ratio is what a live action costs over a replay.
//   - BenchmarkWindow is the machine's window check; BenchmarkCalendarWindow, its floor, is the
//     deadline calendar's own Window for the same limit.
//   - BenchmarkReplayHostile replays a stored history of n events, all in sequence, of which only
//     the first three are legal: a history longer than any path through the table costs the same at
//     every n, because replay stops at the first event the table refuses.
//   - BenchmarkReplayJSON decodes such a history from JSON and replays it: decoding is linear in n,
//     so the 10k and 100k rows cost 10× and 100× the 1k row.

var (
	benchReceived = time.Date(2025, 9, 26, 10, 0, 0, 0, deadline.Location())
	sinkEffects   []Effect
	sinkWindow    Window
	sinkCheck     deadline.WindowCheck
	sinkErr       error
)

func benchMachine(b *testing.B) *Machine {
	m, err := NewMachine(deadline.China(), deadline.ShanghaiOneNet(), Shanghai())
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// benchHistory returns the request and the three events of an upheld staff appeal.
func benchHistory(b *testing.B, m *Machine) (Request, []Event) {
	a, err := m.FileAppeal(appealReq(benchReceived), staffS1, benchReceived.Add(24*time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := a.Apply(act(ActionEndorse), unitU1, benchReceived.Add(48*time.Hour)); err != nil {
		b.Fatal(err)
	}
	if _, err := a.Apply(act(ActionUphold), deptD1, benchReceived.Add(72*time.Hour)); err != nil {
		b.Fatal(err)
	}
	return a.Request(), a.History()
}

func BenchmarkAppealLive(b *testing.B) {
	m := benchMachine(b)
	req := appealReq(benchReceived)
	b.ReportAllocs()
	for b.Loop() {
		a, err := m.FileAppeal(req, staffS1, benchReceived.Add(24*time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := a.Apply(act(ActionEndorse), unitU1, benchReceived.Add(48*time.Hour)); err != nil {
			b.Fatal(err)
		}
		if sinkEffects, err = a.Apply(act(ActionUphold), deptD1, benchReceived.Add(72*time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppealReplay(b *testing.B) {
	m := benchMachine(b)
	req, h := benchHistory(b, m)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.ReplayAppeal(req, h); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWindow(b *testing.B) {
	m := benchMachine(b)
	at := benchReceived.Add(5 * 24 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if sinkWindow, err = m.Window(deadline.AppealClose, benchReceived, at); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCalendarWindow(b *testing.B) {
	cal, p := deadline.China(), deadline.ShanghaiOneNet()
	at := benchReceived.Add(5 * 24 * time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if sinkCheck, err = cal.Window(p, deadline.AppealClose, benchReceived, at); err != nil {
			b.Fatal(err)
		}
	}
}

var benchNs = []int{1000, 10000, 100000}

// hostileHistory returns the three legal events followed by n-3 more uphold events, all in sequence.
func hostileHistory(b *testing.B, m *Machine, n int) (Request, []Event) {
	req, h := benchHistory(b, m)
	for len(h) < n {
		ev := h[2]
		ev.Seq = len(h) + 1
		h = append(h, ev)
	}
	return req, h
}

func BenchmarkReplayHostile(b *testing.B) {
	m := benchMachine(b)
	for _, n := range benchNs {
		req, h := hostileHistory(b, m, n)
		b.Run("events="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, sinkErr = m.ReplayAppeal(req, h); sinkErr == nil {
					b.Fatal("a history of an illegal fourth event replayed")
				}
			}
		})
	}
}

func BenchmarkReplayJSON(b *testing.B) {
	m := benchMachine(b)
	for _, n := range benchNs {
		req, h := hostileHistory(b, m, n)
		data, err := json.Marshal(h)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("events="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var got []Event
				if err := json.Unmarshal(data, &got); err != nil {
					b.Fatal(err)
				}
				if _, sinkErr = m.ReplayAppeal(req, got); sinkErr == nil {
					b.Fatal("a history of an illegal fourth event replayed")
				}
			}
		})
	}
}
