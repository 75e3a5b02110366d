package repeat_test

import (
	"fmt"
	"time"

	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/ticket/repeat"
)

// The third repeat of the same demand puts the ticket under supervision (004 第十二条 (二) 2).
func ExampleIndex_Find() {
	mac, err := repeat.NewSM3MAC([]byte("a district secret of 16+ bytes"))
	if err != nil {
		panic(err)
	}
	caller, _ := repeat.CallerKeyOf(mac, "+86 138-0000-0000")
	idx, err := repeat.NewIndex(repeat.StreetHotline())
	if err != nil {
		panic(err)
	}
	day := time.Date(2026, 3, 2, 9, 0, 0, 0, deadline.Location())
	texts := []string{
		"友谊路门口的路灯坏了，晚上很黑，希望尽快修复。",
		"友谊路门口的路灯还是坏的，晚上很黑，希望尽快修复！",
		"又来反映：友谊路门口的路灯坏了，晚上很黑，希望尽快修复。",
		"友谊路门口路灯坏了很久了，晚上很黑，请尽快修复。",
	}
	for i, text := range texts {
		rec := repeat.Record{
			ID: fmt.Sprintf("T%d", i+1), Caller: caller, Region: "310113", Matter: "city.lighting",
			Received: day.AddDate(0, 0, 7*i), Text: text,
		}
		if m, ok := idx.Find(rec, rec.Received); ok {
			fmt.Printf("%s repeats %s: repeat %d, supervised %v\n", rec.ID, m.Original, m.Count, m.UnderSupervision)
			rec.RepeatOf = m.Matched
		} else {
			fmt.Printf("%s is new\n", rec.ID)
		}
		if err := idx.Add(rec); err != nil {
			panic(err)
		}
	}
	// Output:
	// T1 is new
	// T2 repeats T1: repeat 1, supervised false
	// T3 repeats T1: repeat 2, supervised false
	// T4 repeats T1: repeat 3, supervised true
}

// The same number however it is written is the same caller; the key is a keyed digest, never the
// number.
func ExampleCallerKeyOf() {
	mac, err := repeat.NewSM3MAC([]byte("a district secret of 16+ bytes"))
	if err != nil {
		panic(err)
	}
	a, _ := repeat.CallerKeyOf(mac, "13812345678")
	for _, s := range []string{"+86 138-1234-5678", "138.1234.5678", "１３８１２３４５６７８", "١٣٨١٢٣٤٥٦٧٨"} {
		k, err := repeat.CallerKeyOf(mac, s)
		fmt.Println(repeat.NormalizeCaller(s), k == a, err)
	}
	// Output:
	// 13812345678 true <nil>
	// 13812345678 true <nil>
	// 13812345678 true <nil>
	// 13812345678 true <nil>
}

// The presets are listed and found by name.
func ExamplePreset() {
	p, err := repeat.Preset("street")
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Name, p.Version, p.Scope.Label(), p.WindowDays, p.SupervisionAt, p.Source)
	// Output:
	// street 1 同一来电人或同一地点同一事项 90 3 004 §12 (二) 2
}
