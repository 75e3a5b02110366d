// Package textnorm is the one text normalisation of the ticket packages: screening matches its word
// lists against normalised text (package screen), and repeat detection compares normalised texts
// (package repeat). Both must fold the same way, so the fold lives here once.
//
// The fold, per rune: full-width ASCII (U+FF01–U+FF5E) becomes ASCII; letters are lower-cased; CJK
// radicals (CJK Radicals Supplement U+2E80–U+2EFF, Kangxi Radicals U+2F00–U+2FDF) become the unified
// ideographs they look like; a table of common traditional characters becomes simplified; spaces,
// punctuation, symbols, marks, control and format characters and invalid UTF-8 are dropped.
package textnorm

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// tradToSimp maps the traditional characters of [tradToSimpPairs] to their simplified forms. It is
// built once and never written afterwards.
var tradToSimp = pairs(tradToSimpPairs)

// pairs builds a map from a string of rune pairs.
func pairs(s string) map[rune]rune {
	m := make(map[rune]rune, utf8.RuneCountInString(s)/2)
	var prev rune = -1
	for _, r := range s {
		if prev < 0 {
			prev = r
			continue
		}
		m[prev] = r
		prev = -1
	}
	return m
}

// Radical returns the unified ideograph that the CJK radical r stands for (⺠ U+2EA0 → 民 U+6C11,
// ⼈ U+2F08 → 人 U+4EBA), and whether r is a radical with such an equivalent. The table is Unicode's
// Equivalent_Unified_Ideograph property for the two radical blocks (see gen_radicals.go).
func Radical(r rune) (rune, bool) {
	if r < radicalFirst || r >= radicalFirst+rune(len(radicals)) {
		return 0, false
	}
	u := radicals[r-radicalFirst]
	return u, u != 0
}

// bmp is the fold of every rune of the Basic Multilingual Plane, computed once on first use and
// never written afterwards: a table load instead of a range-table search per rune.
var bmp = sync.OnceValue(func() *[0x10000]rune {
	var t [0x10000]rune
	for r := range rune(len(t)) {
		t[r] = fold(r)
	}
	return &t
})

// Fold returns the normalised form of r for matching, or -1 when r is dropped.
func Fold(r rune) rune {
	if r >= 0 && r < 0x10000 {
		return bmp()[r]
	}
	return fold(r)
}

// fold computes [Fold] for any rune.
func fold(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	switch {
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			return r
		case 'A' <= r && r <= 'Z':
			return r + ('a' - 'A')
		}
		return -1
	case r == utf8.RuneError:
		return -1
	}
	if u, ok := Radical(r); ok {
		r = u
	}
	switch {
	case unicode.Is(unicode.Han, r):
		if s, ok := tradToSimp[r]; ok {
			return s
		}
		return r
	case unicode.IsLetter(r):
		return unicode.ToLower(r)
	case unicode.IsDigit(r):
		return r
	}
	// Spaces, punctuation, symbols, marks, control and format characters (U+200B–U+200D, U+2060,
	// U+FEFF) carry no meaning for matching.
	return -1
}

// String returns s folded rune by rune with [Fold], dropped runes left out.
func String(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f := Fold(r); f >= 0 {
			b.WriteRune(f)
		}
	}
	return b.String()
}

// Runes returns the folded runes of s and, for each, the byte offset in s of the rune it came from.
// The returned slices reuse buf and offs.
func Runes(s string, buf []rune, offs []int32) ([]rune, []int32) {
	buf, offs = buf[:0], offs[:0]
	for i, r := range s {
		if f := Fold(r); f >= 0 {
			buf = append(buf, f)
			offs = append(offs, int32(i))
		}
	}
	return buf, offs
}
