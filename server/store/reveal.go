package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/privacy"
)

// RevealField names one field of a citizen's identity that [Store.Reveal] shows.
type RevealField string

// The fields that can be revealed: those the mask policy hides (000 第十条, 004 第十六条).
const (
	RevealName     RevealField = "name"
	RevealPhone    RevealField = "phone"
	RevealIDNumber RevealField = "id_number"
	RevealAddress  RevealField = "address"
)

// RevealFields lists the fields that can be revealed.
func RevealFields() []RevealField {
	return []RevealField{RevealName, RevealPhone, RevealIDNumber, RevealAddress}
}

// Valid reports whether f is a field that can be revealed.
func (f RevealField) Valid() bool {
	switch f {
	case RevealName, RevealPhone, RevealIDNumber, RevealAddress:
		return true
	}
	return false
}

func (f RevealField) of(p ticket.Person) string {
	switch f {
	case RevealName:
		return p.Name
	case RevealPhone:
		return p.Phone
	case RevealIDNumber:
		return p.IDNumber
	}
	return p.Address
}

// Bounds of a reveal's reason, in characters.
const (
	MinRevealReason = 2
	MaxRevealReason = 200
)

// Reveal returns one field of the citizen's identity on ticket id, and appends to the audit chain who
// revealed which field of which ticket and why — never the value. Reason is required (2–200
// characters of text); the chain keeps it masked wherever it repeats the citizen's identity.
//
// Who may reveal follows 000 第十条 and 004 第十六条 (the citizen's identity is for the staff handling
// the complaint, no one else):
//
//   - the hotline office whose jurisdiction the ticket is in, and the handling units of the ticket
//     (lead and co-handling, and the units above them) — the staff handling it;
//   - a supervisor, only while the ticket is under supervision (督办, 000 §5 (五), 004 §12): the
//     supervision makes them staff of the case;
//   - never an auditor (the chain shows them who saw what, not the citizen), an admin or the system.
//
// A ticket outside the principal's scope is ErrNotFound, as [Store.Get] says; a role that may not
// reveal, or a supervisor on a ticket not under supervision, is ErrForbidden.
func (s *Store) Reveal(ctx context.Context, p Principal, id string, field RevealField, reason string, now time.Time) (string, error) {
	if err := p.validate(); err != nil {
		return "", err
	}
	switch p.Role {
	case RoleHotlineOffice, RoleHandlingUnit, RoleSupervisor:
	default:
		return "", forbidden(p, "reveal a citizen's identity")
	}
	if !field.Valid() {
		return "", fmt.Errorf("%w: field %q: want name, phone, id_number or address", ErrInvalid, clip(string(field)))
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < MinRevealReason || n > MaxRevealReason || !utf8.ValidString(reason) ||
		strings.ContainsFunc(reason, isControl) {
		return "", fmt.Errorf("%w: reason must be %d–%d characters of text", ErrInvalid, MinRevealReason, MaxRevealReason)
	}
	if now.IsZero() {
		return "", fmt.Errorf("%w: zero time", ErrInvalid)
	}
	if err := s.haveKeys(); err != nil {
		return "", err
	}
	var value string
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		l, err := s.loadVisible(ctx, tx, p, id, false)
		if err != nil {
			return err
		}
		if p.Role == RoleSupervisor && !l.t.Supervised {
			return forbidden(p, "reveal the identity on a ticket that is not under supervision")
		}
		c := l.t.Citizen
		masked := privacy.Shanghai().Mask(privacy.Personal{Name: c.Name, Phone: c.Phone, IDNumber: c.IDNumber, Address: c.Address,
			Text: reason}, privacy.AudienceStaff)
		value = field.of(c)
		return s.appendAudit(ctx, tx, now, p.Actor, "ticket.reveal", id, "role="+string(p.Role), "unit="+p.Unit,
			"number="+l.t.Number.String(), "field="+string(field), "reason="+masked.Text)
	})
	if err != nil {
		return "", err
	}
	return value, nil
}
