package loop

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/ticket"
)

var (
	// ErrNotBadReview: the review is not a bad review (差评: 不满意 or 非常不满意, 001 (二)), so it
	// opens no review ticket.
	ErrNotBadReview = errors.New("loop: not a bad review")
	// ErrInvalidReview: the review, or the intake given for its ticket, lacks what the join needs or
	// contradicts it.
	ErrInvalidReview = errors.New("loop: invalid review")
)

// ReviewError says which field of a review, or of the intake of its ticket, the join could not use,
// and why. It wraps [ErrNotBadReview] or [ErrInvalidReview].
type ReviewError struct {
	Review string // the review's ID
	Field  string // e.g. "rating", "ticket.kind"
	Reason string
	Err    error // the sentinel
}

func (e *ReviewError) Error() string {
	return fmt.Sprintf("%v: review %s: %s: %s", e.Err, clip(e.Review), e.Field, e.Reason)
}

func (e *ReviewError) Unwrap() error { return e.Err }

// ReviewIntake returns the intake of the review ticket (差评工单) that bad review r opens. 001 (六)
// gives the “12345” hotline the 转办 of 好差评 and has every bad review answered on the 1-5-15
// clock — first contact within 1 working day, rectification within 5, the complex ones closed within
// 15 — so a bad review (the two lowest of the five ratings, 001 (二)) becomes a ticket:
//
//   - of kind [ticket.KindReview] — the kind that can be closed as unfounded after an upheld appeal
//     (000 §6 (二)) — and of channel [ticket.ChannelBadReview] (“好差评”差评), whatever channel the
//     rating came by (that stays on the review);
//   - with what the hotline records in in: the citizen to contact, the place, the matter, the text.
//     A kind or channel in in other than those is refused rather than overridden; an empty title or
//     content is filled in from the review (its rating, unit, matter and channel, never the rater).
//
// A review that is not bad wraps [ErrNotBadReview]; a review without an ID, unit or valid rating, or
// an intake naming another kind or channel, wraps [ErrInvalidReview]. The intake's other fields are
// the ticket lifecycle's to check when it accepts the ticket.
func ReviewIntake(r assess.Review, in ticket.Intake) (ticket.Intake, error) {
	bad := func(field string, err error, format string, a ...any) error {
		return &ReviewError{Review: r.ID, Field: field, Reason: fmt.Sprintf(format, a...), Err: err}
	}
	switch {
	case strings.TrimSpace(r.ID) == "":
		return ticket.Intake{}, bad("id", ErrInvalidReview, "is empty")
	case strings.TrimSpace(r.Unit) == "":
		return ticket.Intake{}, bad("unit", ErrInvalidReview, "is empty: a review rates a unit")
	case !r.Rating.Valid():
		return ticket.Intake{}, bad("rating", ErrInvalidReview, "%q is not one of the five ratings (001 (二))", clip(string(r.Rating)))
	case !r.Rating.Bad():
		return ticket.Intake{}, bad("rating", ErrNotBadReview, "%s (%s) is not 不满意 or 非常不满意: only a bad review opens a ticket (001 (二), (六))",
			r.Rating.Label(), r.Rating)
	case in.Kind != "" && in.Kind != ticket.KindReview:
		return ticket.Intake{}, bad("ticket.kind", ErrInvalidReview, "%q: a bad review's ticket is of kind review", clip(string(in.Kind)))
	case in.Channel != "" && in.Channel != ticket.ChannelBadReview:
		return ticket.Intake{}, bad("ticket.channel", ErrInvalidReview, "%q: a bad review's ticket comes by channel bad_review", clip(string(in.Channel)))
	}
	in.Kind, in.Channel = ticket.KindReview, ticket.ChannelBadReview
	if strings.TrimSpace(in.Title) == "" {
		in.Title = "“好差评”差评：" + r.Rating.Label()
	}
	if strings.TrimSpace(in.Content) == "" {
		parts := []string{"“好差评”" + r.Rating.Label() + "评价", "被评价单位 " + r.Unit}
		if r.Matter != "" {
			parts = append(parts, "事项 "+r.Matter)
		}
		if r.Channel != "" {
			parts = append(parts, "评价渠道 "+r.Channel.Label())
		}
		in.Content = strings.Join(parts, "；") + "。"
	}
	return in, nil
}
