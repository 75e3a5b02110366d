package knowledge

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxWordBytes bounds a word term (Latin letters or digits); a longer word is cut.
const MaxWordBytes = 32

// ideographic reports a character indexed in pairs: Han, and the other CJK scripts written without
// spaces.
func ideographic(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// Terms returns the distinct index terms of text, in order of first occurrence: every overlapping
// pair of adjacent ideographic characters (居住证 → 居住, 住证), a lone ideographic character where a
// run has only one, and each word of letters or digits of other scripts, lower-cased and cut to
// [MaxWordBytes]. Text is NFKC-folded first, so full-width Ａ１ is a1; punctuation and spaces
// separate.
func Terms(text string) []string {
	text = norm.NFKC.String(text)
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	var run []rune // the current ideographic run
	var word strings.Builder
	flushRun := func() {
		if len(run) == 1 {
			add(string(run))
		}
		for i := 0; i+1 < len(run); i++ {
			add(string(run[i : i+2]))
		}
		run = run[:0]
	}
	flushWord := func() {
		w := word.String()
		if len(w) > MaxWordBytes {
			cut := MaxWordBytes
			for cut > 0 && w[cut]&0xc0 == 0x80 {
				cut--
			}
			w = w[:cut]
		}
		add(w)
		word.Reset()
	}
	for _, r := range text {
		switch {
		case ideographic(r):
			flushWord()
			run = append(run, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushRun()
			word.WriteRune(unicode.ToLower(r))
		default:
			flushRun()
			flushWord()
		}
	}
	flushRun()
	flushWord()
	return out
}
