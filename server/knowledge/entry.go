package knowledge

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hotline12345/hotline/routing"
)

// Limits of an entry.
const (
	MaxQuestionRunes = 500
	MaxAnswerRunes   = 10000
	MaxCodes         = 64
	MaxIDBytes       = 64
)

// Source is where an entry's answer comes from: the policy document and its article.
type Source struct {
	// Document names the policy document, e.g. 沪府办〔2020〕49号.
	Document string `json:"document,omitempty"`
	// Article cites the article, e.g. 第四条 (三).
	Article string `json:"article,omitempty"`
}

// String returns "Document Article", or "" for no source.
func (s Source) String() string { return strings.TrimSpace(s.Document + " " + s.Article) }

// Entry is one question and answer of the knowledge base. The store sets Version, Updated and
// UpdatedBy.
type Entry struct {
	// ID names the entry: letters, digits, '.', '_' and '-', at most 64 bytes; empty on creation
	// asks the store to issue one.
	ID       string `json:"id,omitempty"`
	Question string `json:"question"`
	Answer   string `json:"answer"`
	// Matters are the matter codes (派单目录, 2/4/6 digits) the entry applies to, with their
	// sub-matters; none means every matter.
	Matters []routing.MatterCode `json:"matters,omitempty"`
	// Places are the region codes the entry applies to, with the places within them; none means
	// everywhere.
	Places []routing.RegionCode `json:"places,omitempty"`
	Source Source               `json:"source,omitzero"`
	// Keeper is the unit that keeps the entry current (004 第六条 (八)).
	Keeper string `json:"keeper,omitempty"`
	// ValidFrom and ValidUntil bound when the entry applies; zero is unbounded, ValidUntil is
	// exclusive.
	ValidFrom  time.Time `json:"valid_from,omitzero"`
	ValidUntil time.Time `json:"valid_until,omitzero"`

	Version   int64     `json:"version,omitempty"`
	Updated   time.Time `json:"updated,omitzero"`
	UpdatedBy string    `json:"updated_by,omitempty"`
}

// Validate reports the first problem of e as a [*FieldError]: a bad id, an empty or too long
// question or answer, a malformed or repeated matter or region code, a too long source or keeper, or a
// validity that ends before it starts.
func (e Entry) Validate() error { return e.validate(-1) }

func (e Entry) validate(at int) error {
	bad := func(field, format string, a ...any) error {
		return &FieldError{Entry: at, Field: field, Reason: fmt.Sprintf(format, a...)}
	}
	if err := checkID(e.ID); err != "" {
		return bad("id", "%s", err)
	}
	if err := checkText(e.Question, MaxQuestionRunes); err != "" {
		return bad("question", "%s", err)
	}
	if err := checkText(e.Answer, MaxAnswerRunes); err != "" {
		return bad("answer", "%s", err)
	}
	if len(e.Matters) > MaxCodes || len(e.Places) > MaxCodes {
		return bad("matters", "at most %d matter codes and %d places", MaxCodes, MaxCodes)
	}
	for i, m := range e.Matters {
		if _, err := routing.ParseMatterCode(string(m)); err != nil {
			return bad(fmt.Sprintf("matters[%d]", i), "%v", err)
		}
		if slices.Index(e.Matters, m) < i {
			return bad(fmt.Sprintf("matters[%d]", i), "%s is listed twice", m)
		}
	}
	for i, p := range e.Places {
		if _, err := routing.ParseRegionCode(string(p)); err != nil {
			return bad(fmt.Sprintf("places[%d]", i), "%v", err)
		}
		if slices.Index(e.Places, p) < i {
			return bad(fmt.Sprintf("places[%d]", i), "%s is listed twice", p)
		}
	}
	switch {
	case !utf8.ValidString(e.Source.Document) || utf8.RuneCountInString(e.Source.Document) > 200:
		return bad("source.document", "at most 200 characters of UTF-8")
	case !utf8.ValidString(e.Source.Article) || utf8.RuneCountInString(e.Source.Article) > 100:
		return bad("source.article", "at most 100 characters of UTF-8")
	case len(e.Keeper) > 64 || strings.TrimSpace(e.Keeper) != e.Keeper:
		return bad("keeper", "a unit id of at most 64 bytes")
	case !e.ValidFrom.IsZero() && !e.ValidUntil.IsZero() && !e.ValidUntil.After(e.ValidFrom):
		return bad("valid_until", "must be after valid_from")
	}
	return nil
}

func checkID(id string) string {
	if len(id) > MaxIDBytes {
		return "at most 64 bytes"
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return "only letters, digits, '.', '_' and '-'"
		}
	}
	return ""
}

func checkText(s string, max int) string {
	switch {
	case !utf8.ValidString(s):
		return "not UTF-8"
	case strings.TrimSpace(s) == "":
		return "must not be empty"
	case utf8.RuneCountInString(s) > max:
		return fmt.Sprintf("at most %d characters", max)
	}
	return ""
}

// ValidAt reports whether e applies at instant t.
func (e Entry) ValidAt(t time.Time) bool {
	return (e.ValidFrom.IsZero() || !t.Before(e.ValidFrom)) && (e.ValidUntil.IsZero() || t.Before(e.ValidUntil))
}

// Changed lists the fields (JSON names) in which b differs from a, in a fixed order; the store
// records them with each version.
func Changed(a, b Entry) []string {
	var out []string
	add := func(name string, differ bool) {
		if differ {
			out = append(out, name)
		}
	}
	add("question", a.Question != b.Question)
	add("answer", a.Answer != b.Answer)
	add("matters", !slices.Equal(a.Matters, b.Matters))
	add("places", !slices.Equal(a.Places, b.Places))
	add("source", a.Source != b.Source)
	add("keeper", a.Keeper != b.Keeper)
	add("valid_from", !a.ValidFrom.Equal(b.ValidFrom))
	add("valid_until", !a.ValidUntil.Equal(b.ValidUntil))
	return out
}
