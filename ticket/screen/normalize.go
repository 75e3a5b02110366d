package screen

import "github.com/hotline12345/hotline/ticket/internal/textnorm"

// Normalize returns s folded for matching: full-width ASCII to half-width; the ideographic space
// and all other spaces, punctuation, symbols and zero-width characters removed; letters
// lower-cased; CJK radicals (U+2E80–U+2FDF) replaced by the unified ideographs they look like
// (⺠ → 民); common traditional characters replaced by their simplified forms. Screening applies it
// to both the word lists and the text, so "颠 覆，國家" matches the word "颠覆国家". Invalid UTF-8 is
// dropped. Repeat detection (package repeat) compares texts under the same fold.
func Normalize(s string) string { return textnorm.String(s) }
