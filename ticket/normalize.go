package ticket

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tradToSimp maps the traditional characters of [tradToSimpPairs] to their simplified forms. It is
// built once and never written afterwards.
var tradToSimp = func() map[rune]rune {
	m := make(map[rune]rune, utf8.RuneCountInString(tradToSimpPairs)/2)
	var prev rune = -1
	for _, r := range tradToSimpPairs {
		if prev < 0 {
			prev = r
			continue
		}
		m[prev] = r
		prev = -1
	}
	return m
}()

// foldRune returns the normalised form of r for matching, or -1 when r is dropped: full-width ASCII
// (U+FF01–U+FF5E) becomes ASCII, letters are lower-cased, the traditional characters of a small
// table become simplified; spaces (including the ideographic space U+3000), punctuation, symbols,
// control and format characters (zero-width space, joiners, BOM) are dropped.
func foldRune(r rune) rune {
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

// Normalize returns s folded for matching: full-width ASCII to half-width, the ideographic space and
// all other spaces, punctuation, symbols and zero-width characters removed, letters lower-cased and
// common traditional characters replaced by their simplified forms. Screening applies it to both the
// word lists and the text, so "颠 覆，國家" matches the word "颠覆国家". Invalid UTF-8 is dropped.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f := foldRune(r); f >= 0 {
			b.WriteRune(f)
		}
	}
	return b.String()
}

// normalizeRunes returns the folded runes of s and, for each, the byte offset in s of the rune it came
// from, so that a match can be traced back to the original text. The returned slices reuse buf and
// offs when they are large enough.
func normalizeRunes(s string, buf []rune, offs []int32) ([]rune, []int32) {
	buf, offs = buf[:0], offs[:0]
	for i, r := range s {
		if f := foldRune(r); f >= 0 {
			buf = append(buf, f)
			offs = append(offs, int32(i))
		}
	}
	return buf, offs
}
