package knowledge_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hotline12345/hotline/server/knowledge"
)

var benchText = strings.Repeat("市民反映居住证办理需要租赁备案，窗口称材料不全无法受理，请问应当如何办理？", 4)

// BenchmarkTerms cuts a 160-character question into its index terms; the baseline walks the same
// text rune by rune doing nothing else.
func BenchmarkTerms(b *testing.B) {
	b.Run("terms", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = knowledge.Terms(benchText)
		}
	})
	b.Run("baseline_rune_walk", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			for i := 0; i < len(benchText); {
				_, w := utf8.DecodeRuneInString(benchText[i:])
				i += w
				n++
			}
		}
		_ = n
	})
}
