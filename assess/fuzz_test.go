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

// FuzzVerifyInclusion: a proof arrives as JSON from whoever wants it checked; VerifyInclusion never
// panics on it, and accepts only what ProveUnit produced. Seeds: a valid proof, huge indexes and tree
// sizes, a long path, a negative index.
func FuzzVerifyInclusion(f *testing.F) {
	in, s := fixtureInput(), StreetHotline()
	r, err := Score(in, s, marchQuery())
	if err != nil {
		f.Fatal(err)
	}
	p, err := ProveUnit(in, s, "A")
	if err != nil {
		f.Fatal(err)
	}
	valid, _ := json.Marshal(p)
	f.Add(valid)
	f.Add([]byte(`{"algorithm":"sm3","root":"` + r.InputDigest + `","tree_size":9223372036854775807,"unit":"A","cases":[{"index":9223372036854775806,"case":{"id":"A1","unit":"A"},"path":[]}]}`))
	f.Add([]byte(`{"algorithm":"sm3","root":"` + r.InputDigest + `","tree_size":3,"unit":"A","cases":[{"index":-1,"case":{"id":"A1","unit":"A"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var q InclusionProof
		if json.Unmarshal(data, &q) != nil {
			return
		}
		if VerifyInclusion(q, r) == nil && string(data) != string(valid) {
			for _, c := range q.Cases {
				if c.Case.Unit != "A" {
					t.Fatalf("accepted a case of unit %q", c.Case.Unit)
				}
			}
		}
	})
}
