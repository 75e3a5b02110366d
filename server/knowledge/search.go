package knowledge

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/hotline12345/hotline/routing"
)

// Limits of a query.
const (
	// MaxQueryRunes bounds a query's text.
	MaxQueryRunes = 500
	// MaxQueryTerms is how many terms of a query are looked up at most.
	MaxQueryTerms = 16
	// DefaultLimit is how many hits a query returns when it does not say.
	DefaultLimit = 5
	// MaxLimit is how many hits a query may ask for.
	MaxLimit = 50
	// PostingBudget bounds the postings one query reads: terms are taken rarest first while their
	// document frequencies add up to at most this (the two rarest always), so a query made of
	// common pairs stays fast and the rare, telling ones decide.
	PostingBudget = 20000
)

// Field weights of a posting.
const (
	BoostQuestion = 3 // the term is in the question (or a case's title or problem)
	BoostAnswer   = 1 // the term is only in the answer (or a case's cause or solution)
)

// Query is a search: text, and optionally the matter and the place it is about. Entries tagged with
// the matter or one of its ancestors (or with no matter) and with the place or an area containing it
// (or with no place) are candidates; the text ranks them. A query without text lists the candidates,
// newest first.
type Query struct {
	Text   string             `json:"text,omitempty"`
	Matter routing.MatterCode `json:"matter,omitempty"`
	Place  routing.RegionCode `json:"place,omitempty"`
	Limit  int                `json:"limit,omitempty"`
}

// Validate reports a query that cannot be run, as a [*FieldError].
func (q Query) Validate() error {
	bad := func(field, format string, a ...any) error {
		return &FieldError{Entry: -1, Field: field, Reason: fmt.Sprintf(format, a...)}
	}
	switch {
	case !utf8.ValidString(q.Text) || utf8.RuneCountInString(q.Text) > MaxQueryRunes:
		return bad("text", "at most %d characters of UTF-8", MaxQueryRunes)
	case q.Matter != "" && !q.Matter.Valid():
		return bad("matter", "a matter code of 2, 4 or 6 digits")
	case q.Place != "" && !q.Place.Valid():
		return bad("place", "a region code of 2, 4, 6, 9 or 12 digits")
	case q.Limit < 0 || q.Limit > MaxLimit:
		return bad("limit", "from 1 to %d", MaxLimit)
	}
	return nil
}

// Hit is an entry found, with its score (0 for a query without text).
type Hit struct {
	Entry Entry `json:"entry"`
	Score int64 `json:"score"`
}

// Searcher finds knowledge entries. The store's index is the implementation on every database.
type Searcher interface {
	Search(ctx context.Context, q Query, at time.Time) ([]Hit, error)
}

// TermStat is a term and the number of indexed documents containing it.
type TermStat struct {
	Term string
	DF   int64
}

// Weighted is a term to look up and its weight.
type Weighted struct {
	Term   string
	Weight int64
}

// Weight is the integer inverse document frequency of a term that df of n documents contain:
// round(1000 · ln(1 + n/df)). Rare terms weigh more; a term in every document still weighs 693.
func Weight(df, n int64) int64 {
	if df < 1 {
		df = 1
	}
	if n < df {
		n = df
	}
	return int64(math.Round(1000 * math.Log(1+float64(n)/float64(df))))
}

// Plan picks the terms of a query to look up from their statistics among n documents: terms no
// document contains are dropped, the others taken rarest first (ties by the term) while their
// document frequencies add up to at most [PostingBudget] — the two rarest always — and at most
// [MaxQueryTerms] of them, each with its [Weight]. The plan depends only on the statistics, so every
// database given the same entries plans the same lookup.
func Plan(stats []TermStat, n int64) []Weighted {
	s := slices.Clone(stats)
	s = slices.DeleteFunc(s, func(t TermStat) bool { return t.DF <= 0 })
	slices.SortFunc(s, func(a, b TermStat) int {
		if c := cmp.Compare(a.DF, b.DF); c != 0 {
			return c
		}
		return cmp.Compare(a.Term, b.Term)
	})
	var out []Weighted
	var read int64
	for i, t := range s {
		if i >= MaxQueryTerms || (i >= 2 && read+t.DF > PostingBudget) {
			break
		}
		read += t.DF
		out = append(out, Weighted{Term: t.Term, Weight: Weight(t.DF, n)})
	}
	return out
}

// Everything is the tag of an entry that applies to every matter or everywhere.
const Everything = "*"

// MatterKeys returns the tags an entry must carry one of to apply to matter code: [Everything] and
// the code with each of its ancestors (05, 0502, 050203). An empty code has none: no filter.
func MatterKeys(code routing.MatterCode) []string {
	if code == "" {
		return nil
	}
	out := []string{Everything}
	for n := 2; n <= len(code); n += 2 {
		out = append(out, string(code[:n]))
	}
	return out
}

// PlaceKeys returns the tags an entry must carry one of to apply to a place: [Everything] and the
// region code with each area containing it (31, 3101, 310113, 310113003). An empty code has none: no
// filter.
func PlaceKeys(code routing.RegionCode) []string {
	if code == "" {
		return nil
	}
	out := []string{Everything}
	for _, n := range []int{2, 4, 6, 9, 12} {
		if n <= len(code) {
			out = append(out, string(code[:n]))
		}
	}
	return out
}

// Postings returns the index terms of a document with their field weights: the terms of its
// headline texts (an entry's question) weigh [BoostQuestion], those only in its body texts (the
// answer) [BoostAnswer]. Body texts are indexed up to their first [IndexedBodyRunes] characters.
func Postings(headline, body []string) map[string]int16 {
	out := map[string]int16{}
	for _, b := range body {
		for _, t := range Terms(clipRunes(b, IndexedBodyRunes)) {
			out[t] = BoostAnswer
		}
	}
	for _, h := range headline {
		for _, t := range Terms(h) {
			out[t] = BoostQuestion
		}
	}
	return out
}

// IndexedBodyRunes is how much of a body text is indexed: the opening of an answer says what it is
// about, and the index stays proportional to the number of entries.
const IndexedBodyRunes = 300

func clipRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
