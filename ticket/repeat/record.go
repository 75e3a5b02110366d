package repeat

import (
	"strings"

	"github.com/hotline12345/hotline/ticket"
)

// RecordOf returns t as the [Index] sees it: its number as the ID, the keyed hash under m of the
// citizen's phone number (or, without one, of the ID number or the credit code) as the caller, the
// place's region code, the most specific matter code, the receipt time, and the title and content as
// the text (joined by a line break, as screening reads them). A ticket without any of those
// identifiers, a nil t's fields or a nil m give the zero (unknown) caller. RepeatOf is left empty:
// set it from [Index.Find] before [Index.Add].
func RecordOf(t *ticket.Ticket, m MAC) Record {
	if t == nil {
		return Record{}
	}
	rec := Record{
		ID:       t.Number.String(),
		Region:   t.Place.RegionCode,
		Matter:   t.Matter.Code(),
		Received: t.Received,
		Text:     joinText(t.Title, t.Content),
	}
	if m == nil {
		return rec
	}
	for _, id := range []string{t.Citizen.Phone, t.Citizen.IDNumber, t.Citizen.CreditCode} {
		if k, err := CallerKeyOf(m, id); err == nil {
			rec.Caller = k
			break
		}
	}
	return rec
}

// joinText joins a title and a content by a line break, leaving out an empty title (the same
// joining as screen.JoinText).
func joinText(title, content string) string {
	if strings.TrimSpace(title) == "" {
		return content
	}
	return title + "\n" + content
}
