package assess

import (
	"encoding/json"
	"testing"
)

// FuzzScore decodes arbitrary JSON into an Input and scores it: Score must never panic, and whatever
// it accepts must verify.
func FuzzScore(f *testing.F) {
	in := fixtureNoAdjustments()
	b, _ := json.Marshal(in)
	f.Add(b)
	f.Add([]byte(`{"cases":[{"id":"x","unit":"u","received_at":"2025-03-03T09:00:00+08:00","reply_due":"2025-03-01T00:00:00Z"}]}`))
	f.Add([]byte(`{"reviews":[{"id":"r","unit":"u","level":9,"at":"2025-03-03T09:00:00+08:00"}]}`))
	f.Add([]byte(`{"cases":[{"id":"x","unit":"u","received_at":"2025-03-03T09:00:00+08:00","satisfaction":3,"callback_at":"2025-03-04T09:00:00+08:00","repeats":-4}]}`))
	f.Add([]byte(`{"volumes":[{"unit":"u","count":0}],"units":["","u"]}`))
	// Issue 9: a volume below the complaint count (002 §9) once scored the unit 100.
	f.Add([]byte(`{"cases":[{"id":"x","unit":"u","complaint":true,"received_at":"2025-03-03T09:00:00+08:00"}],"volumes":[{"unit":"u","count":0}]}`))
	f.Add([]byte(`{"cases":[{"id":"x","unit":"u","received_at":"2025-03-03T09:00:00+08:00","returns":1000000,"repeats":9223372036854775807}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var in Input
		if json.Unmarshal(data, &in) != nil {
			return
		}
		s := Hebi()
		r, err := Score(in, s, marchQuery())
		if err != nil {
			return
		}
		if err := Verify(in, s, r); err != nil {
			t.Fatalf("accepted input does not verify: %v", err)
		}
	})
}
