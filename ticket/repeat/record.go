package repeat

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hotline12345/hotline/ticket"
)

// RecordOf returns t as the [Index] sees it: its number as the ID, the keyed hash under m of the
// citizen's phone number (or, without one, of the ID number or the credit code) as the caller, the
// place's region code, the most specific matter code, the receipt time, and the title and content as
// the text (joined by a line break, as screening reads them). A ticket without any of those
// identifiers, or a nil m, gives the zero (unknown) caller. RepeatOf is left empty: set it from
// [Index.Find] before [Index.Add]. The error is [ErrShortDigest] from a MAC that would give every
// caller the same key, and [ErrInvalidRecord] for a nil t.
func RecordOf(t *ticket.Ticket, m MAC) (Record, error) {
	if t == nil {
		return Record{}, fmt.Errorf("%w: nil ticket", ErrInvalidRecord)
	}
	rec := Record{
		ID:       t.Number.String(),
		Region:   t.Place.RegionCode,
		Matter:   t.Matter.Code(),
		Received: t.Received,
		Text:     joinText(t.Title, t.Content),
	}
	if m == nil {
		return rec, nil
	}
	for _, id := range []string{t.Citizen.Phone, t.Citizen.IDNumber, t.Citizen.CreditCode} {
		k, err := CallerKeyOf(m, id)
		if errors.Is(err, ErrNoCaller) {
			continue
		}
		if err != nil {
			return Record{}, err
		}
		rec.Caller = k
		break
	}
	return rec, nil
}

// joinText joins a title and a content by a line break, leaving out an empty title: the text
// screening reads (package screen's InputOf joins them the same way).
func joinText(title, content string) string {
	if strings.TrimSpace(title) == "" {
		return content
	}
	return title + "\n" + content
}
