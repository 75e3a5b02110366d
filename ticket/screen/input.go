package screen

import (
	"strings"

	"github.com/hotline12345/hotline/ticket"
)

// This file joins screening to the ticket lifecycle: a [ticket.Intake] is screened as an [Input],
// and an outcome becomes the lifecycle action that applies it.

// InputOf returns what screening looks at for in: its channel and kind, its title and content as the
// text (joined by a line break, so the byte offsets of [Hit] count from the title), the citizen's
// name (or the enterprise's, for an enterprise) and phone, the place's address and region code, and
// the most specific matter code. What only the caller knows — the unit the item is about, recent
// contacts, a repeat found by a repeat.Index, an item known to be outside the remit — is left for the
// caller to fill in.
func InputOf(in ticket.Intake) Input {
	name := in.Citizen.Name
	if strings.TrimSpace(name) == "" {
		name = in.Citizen.Enterprise
	}
	return Input{
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

// joinText joins a ticket's title and content as screening and repeat detection read them: by a
// line break, leaving out an empty title.
func joinText(title, content string) string {
	if strings.TrimSpace(title) == "" {
		return content
	}
	return title + "\n" + content
}

// Refusal returns the lifecycle action that applies r to a received ticket, with the
// [ticket.Refusal] it carries: [ticket.ActionRefuse] for [Refuse] (不予受理, 002 第五条),
// [ticket.ActionArchive] for [Archive] and [ticket.ActionReturnUpstream] for [ReturnUpstream]
// (000 第四条 (一)). The refusal's code is the first reason's code, its explanation the message the
// citizen is told, and its redirect the first reason's where-to-go-instead.
//
// It reports false for [Accept], after which the ticket is dispatched, and for [MissingElements],
// after which the citizen is asked for the elements [Result.Missing] names and the item is screened
// again; a district that refuses such an item instead applies [ticket.ActionRefuse] with the code
// [ReasonMissingElements].
func (r Result) Refusal() (ticket.Action, ticket.Refusal, bool) {
	var a ticket.Action
	switch r.Outcome {
	case Refuse:
		a = ticket.ActionRefuse
	case Archive:
		a = ticket.ActionArchive
	case ReturnUpstream:
		a = ticket.ActionReturnUpstream
	default:
		return a, ticket.Refusal{}, false
	}
	ref := ticket.Refusal{Code: r.Outcome.String(), Explanation: r.Message}
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
