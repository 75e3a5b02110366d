package server

import (
	"net/url"

	"github.com/hotline12345/hotline/server/knowledge"
)

// EntryFromFormForTest reads a knowledge entry from the console's entry form (pages_kb.go).
func EntryFromFormForTest(f url.Values) (knowledge.Entry, error) { return entryFromForm(f) }

// CaseTextFromFormForTest reads a library case's text from the console's case form (pages_kb.go).
func CaseTextFromFormForTest(f url.Values) (knowledge.CaseText, error) { return caseTextFromForm(f) }
