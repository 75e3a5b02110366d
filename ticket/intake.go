package ticket

import "strings"

// This file joins the intake checks to the lifecycle: an [Intake] is screened as a [ScreenInput],
// a screening outcome becomes the lifecycle action that applies it, and a ticket is indexed for
// repeat detection as a [RepeatRecord].

// ScreenInput returns what screening looks at for in: its channel and kind, its title and content
// as the text (joined by a line break, so the byte offsets of [ScreenHit] count from the title), the
// citizen's name (or the enterprise's, for an enterprise) and phone, the place's address and region
// code, and the most specific matter code. What only the caller knows — the unit the item is about,
// recent contacts, a repeat found by a [RepeatIndex], an item known to be outside the remit — is
// left for the caller to fill in.
func (in Intake) ScreenInput() ScreenInput {
	name := in.Citizen.Name
	if strings.TrimSpace(name) == "" {
		name = in.Citizen.Enterprise
	}
	return ScreenInput{
		Channel:    in.Channel,
		Kind:       in.Kind,
		Text:       joinText(in.Title, in.Content),
		Name:       name,
		Contact:    in.Citizen.Phone,
		Place:      in.Place.Address,
		RegionCode: in.Place.RegionCode,
		Matter:     in.Matter.Code(),
	}
}

// joinText joins a title and a content by a line break, leaving out an empty title.
func joinText(title, content string) string {
	if strings.TrimSpace(title) == "" {
		return content
	}
	return title + "\n" + content
}

// Refusal returns the lifecycle action that applies r to a received ticket, with the [Refusal] it
// carries: [ActionRefuse] for [ScreenRefuse] (不予受理, 002 第五条), [ActionArchive] for
// [ScreenArchive] and [ActionReturnUpstream] for [ScreenReturnUpstream] (000 第四条 (一)). The
// refusal's code is the first reason's code, its explanation the message the citizen is told, and
// its redirect the first reason's where-to-go-instead.
//
// It reports false for [ScreenAccept], after which the ticket is dispatched, and for
// [ScreenMissingElements], after which the citizen is asked for the elements [ScreenResult.Missing]
// names and the item is screened again; a district that refuses such an item instead applies
// [ActionRefuse] with the code [ReasonMissingElements].
func (r ScreenResult) Refusal() (Action, Refusal, bool) {
	var a Action
	switch r.Outcome {
	case ScreenRefuse:
		a = ActionRefuse
	case ScreenArchive:
		a = ActionArchive
	case ScreenReturnUpstream:
		a = ActionReturnUpstream
	default:
		return "", Refusal{}, false
	}
	ref := Refusal{Code: r.Outcome.String(), Explanation: r.Message}
	if len(r.Reasons) > 0 {
		ref.Code = r.Reasons[0].Code
	}
	for _, reason := range r.Reasons {
		if reason.Redirect != "" {
			ref.Redirect = reason.Redirect
			break
		}
	}
	return a, ref, true
}

// RepeatRecord returns t as the [RepeatIndex] sees it: its number as the ID, the keyed hash under m
// of the citizen's phone number (or, without one, of the ID number or the credit code) as the caller,
// the place's region code, the most specific matter code, the receipt time, and the title and
// content as the text. A ticket without any of those identifiers, or a nil m, gives the zero
// (unknown) caller. RepeatOf is left empty: set it from [RepeatIndex.Find] before [RepeatIndex.Add].
func (t *Ticket) RepeatRecord(m MAC) RepeatRecord {
	rec := RepeatRecord{
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
