package ticket

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hotline12345/hotline/deadline"
)

func (f *effect) accept(in Intake) error {
	if err := in.validate(); err != nil {
		return err
	}
	received := in.Received.Round(0)
	if received.IsZero() {
		received = f.now
	}
	if received.After(f.now) {
		return refuse(ErrInvalidPayload, "intake.received %s is after the accept time %s", fmtTime(received), fmtTime(f.now))
	}
	t := f.t
	t.Number, t.Upstream = in.Number, in.Upstream
	t.Channel, t.Kind, t.Urgency, t.Complexity = in.Channel, in.Kind, in.Urgency, in.Complexity
	t.Title, t.Content, t.Citizen, t.Place = in.Title, in.Content, in.Citizen, in.Place
	t.Matter = Matter{Levels: slices.Clone(in.Matter.Levels)}
	t.Received, t.ReceivedBy = received, f.r.Actor
	if in.Channel.StateCouncil() {
		if _, ok := f.m.deadlines.Limit(deadline.ReturnUpstream); ok {
			f.start(&t.Deadlines.Upstream, deadline.ReturnUpstream, received, "return-upstream window")
		}
		if in.Urgency == UrgencySpecial {
			f.note("国办 特殊/紧急 item: the deadline is the one the upstream system gives (000 §5)")
		} else if _, ok := f.m.deadlines.Limit(deadline.ReplyCap); ok {
			f.start(&t.Deadlines.Cap, deadline.ReplyCap, received, "reply cap")
		}
	}
	if f.pol.FirstContactByOffice {
		// 004 §8 (一): the street office contacts the citizen within its limit of its own receipt.
		if _, ok := f.m.deadlines.Limit(deadline.FirstContact); ok {
			f.start(&t.Deadlines.FirstContact, deadline.FirstContact, received, "first contact by the hotline office")
		}
	}
	if in.Channel == ChannelWindowOnline || in.Channel == ChannelWindowOffline || in.Kind == KindErrand {
		if _, ok := f.m.deadlines.Limit(deadline.CauseAnalysis); ok {
			f.start(&t.Deadlines.Analysis, deadline.CauseAnalysis, received, "cause analysis")
		}
	}
	return nil
}

func (in Intake) validate() error {
	bad := func(format string, a ...any) error { return refuse(ErrInvalidPayload, format, a...) }
	if in.Number.IsZero() {
		return bad("intake.number is empty")
	}
	if err := in.Number.Validate(); err != nil {
		return bad("intake.number: %v", err)
	}
	if !in.Channel.Valid() {
		return bad("intake.channel: unknown %q", in.Channel)
	}
	if !in.Kind.Valid() {
		return bad("intake.kind: unknown %q", in.Kind)
	}
	if in.Urgency != "" && !in.Urgency.Valid() {
		return bad("intake.urgency: unknown %q", in.Urgency)
	}
	if in.Complexity != "" && !in.Complexity.Valid() {
		return bad("intake.complexity: unknown %q", in.Complexity)
	}
	if in.Channel == ChannelBadReview && in.Kind != KindReview {
		return bad("intake.kind: %s, but an item of the 好差评 channel is a review (%s; 000 §6)", in.Kind, KindReview)
	}
	if strings.TrimSpace(in.Content) == "" {
		return bad("intake.content is empty")
	}
	// ID-card numbers (GB 11643) and credit codes (GB 32100) are validated at intake (000 §10: the
	// citizen's information is kept accurately and confidentially). The validators' errors
	// never repeat the value, so nothing here leaks it into logs.
	if in.Citizen.IDNumber != "" {
		if err := ValidateIDCard(in.Citizen.IDNumber); err != nil {
			return bad("intake.citizen.id_number: %v", err)
		}
	}
	if in.Citizen.CreditCode != "" {
		if err := ValidateCreditCode(in.Citizen.CreditCode); err != nil {
			return bad("intake.citizen.credit_code: %v", err)
		}
	}
	if len(in.Matter.Levels) > MaxMatterLevels {
		return bad("intake.matter: %d levels, at most %d", len(in.Matter.Levels), MaxMatterLevels)
	}
	for i, l := range in.Matter.Levels {
		if strings.TrimSpace(l.Code) == "" {
			return bad("intake.matter.levels[%d].code is empty", i)
		}
	}
	return nil
}

func (f *effect) refuse(a Action, r Refusal) error {
	if strings.TrimSpace(r.Code) == "" {
		return refuse(ErrInvalidPayload, "refusal.code is empty")
	}
	t := f.t
	switch a {
	case ActionRefuse:
		if _, ok := f.m.deadlines.Limit(deadline.ReplyRefusal); ok {
			f.start(&t.Deadlines.RefusalReply, deadline.ReplyRefusal, f.now, "reply explaining the refusal")
		}
	case ActionReturnUpstream:
		if c := t.Deadlines.Upstream; c.Key != "" {
			w, err := f.m.cal.Window(f.m.deadlines, c.Key, t.Received, f.now)
			if err != nil {
				return &effectError{sentinel: ErrNotApplicable, cause: err, reason: err.Error()}
			}
			if err := w.Err(f.now); err != nil {
				return &effectError{sentinel: ErrOutsideWindow, cause: err,
					reason: fmt.Sprintf("the return-upstream window closed %s (%s)", fmtTime(w.Closes), c.Source)}
			}
			f.meet(&t.Deadlines.Upstream, "return upstream", c.Source)
		}
	}
	if c := t.Deadlines.FirstContact; c.Running() {
		t.Deadlines.FirstContact = Clock{}
		f.note("first contact (due %s) no longer applies: the ticket is %s (%s)", fmtTime(c.Due.At), a.Label(), c.Source)
	}
	t.Refusal = &r
	return nil
}

func (r Reply) validate() error {
	switch {
	case strings.TrimSpace(r.Report) == "":
		return refuse(ErrInvalidPayload, "reply.report (办结报告) is empty")
	case strings.TrimSpace(r.Summary) == "":
		return refuse(ErrInvalidPayload, "reply.summary (答复要点) is empty")
	case !r.Outcome.Valid():
		return refuse(ErrInvalidPayload, "reply.outcome: unknown %q", r.Outcome)
	}
	return nil
}

func (f *effect) answer(r Reply) error {
	if err := r.validate(); err != nil {
		return err
	}
	t := f.t
	t.Mode = ModeImmediate
	if _, ok := f.m.deadlines.Limit(deadline.ReplyQuick); ok {
		f.start(&t.Deadlines.Reply, deadline.ReplyQuick, t.Received, "即办 reply")
		f.meet(&t.Deadlines.Reply, "即办 reply", t.Deadlines.Reply.Source)
	}
	// Answering the caller at once is the office's first contact too (004 §8 (一)).
	f.meet(&t.Deadlines.FirstContact, "first contact", t.Deadlines.FirstContact.Source)
	f.meet(&t.Deadlines.Cap, "reply cap", "000 §5")
	t.Counters.Replies++
	t.Reply = &r
	return nil
}

// replyKeys returns the policy keys that may time the reply, most specific first: the handling mode's
// key (转办 ReplyTransfer, 协办 ReplyJoint, 002 §6 (二) 1), then the complexity's (004 §8 (二); 003
// 四 (四)).
