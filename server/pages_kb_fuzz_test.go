package server_test

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hotline12345/hotline/server"
)

// FuzzKnowledgeForms: whatever the console's knowledge entry and case forms carry (lists of codes
// typed with any separator, dates), the decoders never panic, a refusal names what is wrong, and what
// they accept is an entry or a case text that validates.
func FuzzKnowledgeForms(f *testing.F) {
	for _, s := range []string{
		"question=%E9%97%AE&answer=%E7%AD%94",
		"question=q&answer=a&matters=030102%EF%BC%8C0301%E3%80%8103&places=310113003+310113&valid_from=2026-01-01&valid_until=2026-12-31",
		"question=q&answer=a&valid_from=2026-12-31&valid_until=2026-01-01",
		"question=q&answer=a&matters=12345&id=a%20b",
		"title=t&problem=p&units=yy-fgb,yy-hotline&matters=01&places=310113",
		"title=&problem=" + strings.Repeat("x", 100),
		"question=%ff&answer=%00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		vals, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		e, err := server.EntryFromFormForTest(vals)
		switch {
		case err != nil && err.Error() == "":
			t.Fatalf("%q: a refusal that says nothing", body)
		case err == nil && e.Validate() != nil:
			t.Fatalf("%q: accepted an entry that does not validate: %v", body, e.Validate())
		case err == nil && !utf8.ValidString(e.Question+e.Answer):
			t.Fatalf("%q: accepted text that is not UTF-8", body)
		}
		c, err := server.CaseTextFromFormForTest(vals)
		switch {
		case err != nil && err.Error() == "":
			t.Fatalf("%q: a refusal that says nothing", body)
		case err == nil && c.Validate() != nil:
			t.Fatalf("%q: accepted a case text that does not validate: %v", body, c.Validate())
		}
	})
}
