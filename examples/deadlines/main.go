// Command deadlines prints the stage deadlines of a few sample tickets, the way a district's intake
// desk would see them: first contact and reply limits under the street-hotline rules (004), the 1-5-15
// limits of Shanghai's 一网通办 (000 §5), and the 办不成事 window (003), counted on the official
// working-day calendar.
//
// Run it with:
//
//	go run ./examples/deadlines
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

type sample struct {
	name     string
	received string // Asia/Shanghai, "2006-01-02 15:04"
	policy   deadline.Policy
	keys     []deadline.Key
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "deadlines:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	cal := deadline.China()
	samples := []sample{
		{"噪声扰民投诉 (street hotline, before 国庆 2026)", "2026-09-30 10:15", deadline.StreetHotline(),
			[]deadline.Key{deadline.FirstContact, deadline.ReplyGeneral, deadline.ReplyComplex, deadline.ExtensionGeneral}},
		{"差评工单 (一网通办, over 春节 2026)", "2026-02-13 16:40", deadline.ShanghaiOneNet(),
			[]deadline.Key{deadline.FirstContact, deadline.ReplyGeneral, deadline.ReplyComplex, deadline.AppealClose}},
		{"国办转办留言 (received on a Sunday)", "2026-03-08 09:00", deadline.StateCouncilForwarded(),
			[]deadline.Key{deadline.ReturnUpstream, deadline.ReplyCap}},
		{"办不成事 window (late December: January is provisional)", "2026-12-28 14:00", deadline.CouldNotGetItDone(),
			[]deadline.Key{deadline.CauseAnalysis, deadline.ReplyGeneral, deadline.ReplyComplex, deadline.ReplySpecial}},
	}
	fmt.Fprintf(w, "official schedule published for %d–%d\n\n", first(cal.PublishedYears()), last(cal.PublishedYears()))
	for _, s := range samples {
		received, err := time.ParseInLocation("2006-01-02 15:04", s.received, deadline.Location())
		if err != nil {
			return fmt.Errorf("sample %q: %w", s.name, err)
		}
		fmt.Fprintf(w, "%s\n  received %s (%s)\n", s.name, received.Format("2006-01-02 15:04 Mon"), s.policy.Label)
		for _, k := range s.keys {
			l, ok := s.policy.Limit(k)
			if !ok {
				return fmt.Errorf("sample %q: policy %q has no limit %q", s.name, s.policy.Name, k)
			}
			d := cal.Due(received, l.Period, s.policy.Counting)
			note := ""
			if d.Provisional {
				note = "  [provisional: schedule not yet published]"
			}
			fmt.Fprintf(w, "  %s (%s): %s%s\n", l.Label, periodText(l.Period), endText(d), note)
		}
		fmt.Fprintln(w)
	}
	return nil
}

func periodText(p deadline.Period) string {
	if p.Unit == deadline.SameDay {
		return p.Unit.Label()
	}
	return fmt.Sprintf("%d %s", p.Days, p.Unit.Label())
}

// endText shows a deadline the way the documents state it: the last day, ending at 24:00 or at the
// close of business.
func endText(d deadline.Deadline) string {
	if d.At.Equal(d.LastDay.AddDate(0, 0, 1)) {
		return d.LastDay.Format("2006-01-02 Mon") + " 24:00"
	}
	return d.At.Format("2006-01-02 Mon 15:04")
}

func first(ys []int) int {
	if len(ys) == 0 {
		return 0
	}
	return ys[0]
}

func last(ys []int) int {
	if len(ys) == 0 {
		return 0
	}
	return ys[len(ys)-1]
}
