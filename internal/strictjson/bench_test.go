package strictjson_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hotline12345/hotline/internal/strictjson"
)

type benchLimit struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Days   int    `json:"days"`
	Unit   string `json:"unit"`
	Source string `json:"source"`
}

type benchPolicy struct {
	Name   string       `json:"name"`
	Limits []benchLimit `json:"limits"`
}

func benchDoc(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"name":"bench","limits":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"key":"k%d","label":"办理时限","days":%d,"unit":"workday","source":"004 §8"}`, i, i%15)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// BenchmarkDecode compares the strict loader with plain encoding/json (its floor: the strict loader
// decodes with encoding/json after its own checks) on a policy of 10,000 limits.
func BenchmarkDecode(b *testing.B) {
	doc := benchDoc(10_000)
	b.Run("strict", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			var p benchPolicy
			if err := strictjson.Decode(doc, &p, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			var p benchPolicy
			dec := json.NewDecoder(bytes.NewReader(doc))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
