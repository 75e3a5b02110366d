package qr_test

import (
	"errors"
	"testing"

	"github.com/hotline12345/hotline/server/qr"
)

// Any content gives a well-formed SVG or a refusal wrapping ErrInvalid.
func FuzzSVG(f *testing.F) {
	for _, s := range []string{"", "a", "https://x/public/windows/a?staff=1", "<&\">", "宝山", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		svg, err := qr.SVG(s)
		if err != nil {
			if !errors.Is(err, qr.ErrInvalid) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if err := wellFormed(svg); err != nil {
			t.Fatalf("malformed SVG for %q: %v", s, err)
		}
	})
}
