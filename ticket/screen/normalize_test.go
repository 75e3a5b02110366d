package screen

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"full-width ASCII", "ＡＢＣ１２３", "abc123"},
		{"ideographic space and punctuation", "颠　覆，国家！", "颠覆国家"},
		{"ASCII spaces and symbols", "颠 覆-国/家 @#", "颠覆国家"},
		{"zero-width characters", "颠\u200b覆\u200d国\ufeff家\u2060", "颠覆国家"},
		{"traditional to simplified", "顛覆國家 民族團結", "颠覆国家民族团结"},
		{"lower case", "ABC Def", "abcdef"},
		{"quotes and brackets", "“信访”【事项】《办法》", "信访事项办法"},
		{"invalid UTF-8 dropped", "信\xff访", "信访"},
		{"emoji dropped", "好😀评", "好评"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, Normalize(tt.in)) })
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"颠　覆，國家", "ＡＢＣ", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		require.True(t, utf8.ValidString(n))
		require.Equal(t, n, Normalize(n), "normalising is idempotent")
	})
}
