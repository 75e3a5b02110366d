package server

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// Who may send a review. 001 has citizens rate in the 一网通办 portal and the 随申办 app (三), at
// windows by scanning a QR code with 随申办 as real-name users whose matter is matched automatically
// (四), and by the 12345 hotline (一); every channel's ratings are gathered onto the 好差评 platform
// (五), whose data must be kept secure and free of 刷好评 and 恶意差评 (十). So the reference server
// takes reviews from the platforms that know the rater (an API key of role system) and from the
// hotline office (the phone channel), never from an anonymous caller: it could not tell a real-name
// rating of a handled matter from a forged one. The rater and device come hashed (assess.Review);
// handling units, the rated party, are not shown them.

// ReviewRequest is a 好差评 review (001) from any channel of 001 (一) and, for a bad review, what the
// hotline records for the review ticket it opens (001 (六)).
type ReviewRequest struct {
	Review assess.Review `json:"review"`
	// Ticket is the review ticket's intake — the citizen to contact, the place, the matter, the text —
	// for a bad review only. Kind and channel are review and bad_review (server/loop.ReviewIntake);
	// the store issues the number. A bad review without it opens a ticket whose text is filled in
	// from the review.
	Ticket *ticket.Intake `json:"ticket,omitempty"`
}

// TicketRef names a stored ticket: its id, number and version (the ETag of its next action).
type TicketRef struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	Version int64  `json:"version"`
}

// ReviewResponse is what a review stored: the review's ID and the review ticket it opened, if any.
type ReviewResponse struct {
	Review string     `json:"review"`
	Ticket *TicketRef `json:"ticket,omitempty"`
}

// intakeReview records a review; a bad review opens its review ticket in the same transaction. The
// review's ID makes a retry safe: the same review again answers the stored result with
// Idempotent-Replayed: true.
func (s *server) intakeReview(c echo.Context) error {
	var body ReviewRequest
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	if err := checkReview(body.Review); err != nil {
		return err
	}
	req := store.ReviewIntakeRequest{Review: body.Review}
	switch {
	case body.Review.Rating.Bad():
		var in ticket.Intake
		if body.Ticket != nil {
			in = *body.Ticket
		}
		in, err := loop.ReviewIntake(body.Review, in)
		if err != nil {
			return err
		}
		req.Ticket = &in
	case body.Ticket != nil:
		return &paramError{Name: "ticket", Reason: "only a bad review (dissatisfied, very_dissatisfied) opens a ticket (001 (二), (六))",
			Err: loop.ErrNotBadReview}
	}
	res, err := s.store.IntakeReview(c.Request().Context(), principal(c), req, s.now())
	if err != nil {
		return err
	}
	out := ReviewResponse{Review: res.Review}
	if res.Ticket != nil {
		out.Ticket = &TicketRef{ID: res.Ticket.ID, Number: res.Ticket.Number, Version: res.Ticket.Version}
	}
	h := c.Response().Header()
	h.Set(echo.HeaderLocation, "/v1/reviews/"+url.PathEscape(res.Review))
	if res.Replayed {
		h.Set(HeaderIdempotentReplayed, "true")
	}
	return c.JSON(http.StatusCreated, out)
}

// checkReview refuses a review the assessment would refuse, with the assess package's own checks
// (through Score on the review alone): one stored review the scoring refuses would make every later
// score of its period fail.
func checkReview(r assess.Review) error {
	if r.At.IsZero() {
		return &paramError{Name: "review.at", Reason: "required: when the review was given", Err: assess.ErrInvalidInput}
	}
	p := assess.Custom(r.At, r.At.Add(time.Nanosecond), "review")
	_, err := assess.Score(assess.Input{Reviews: []assess.Review{r}}, assess.ShanghaiReviews(), assess.Query{Period: p, AsOf: p.End})
	return err
}

// ReviewView is a review as the caller may see it: a handling unit does not see the hashed rater and
// device of the reviews it received.
type ReviewView struct {
	assess.Review
	TicketID   string `json:"ticket_id,omitempty"`
	VoidReason string `json:"void_reason,omitempty"`
}

func reviewView(p store.Principal, r assess.Review) ReviewView {
	if p.Role == store.RoleHandlingUnit {
		r.Rater, r.Device = "", ""
	}
	return ReviewView{Review: r}
}

// ReviewList is a unit's reviews over a period, oldest first; voided ones are marked unfounded.
type ReviewList struct {
	Unit   string        `json:"unit"`
	Period assess.Period `json:"period"`
	Items  []ReviewView  `json:"items"`
}

// listReviews lists the reviews of a unit over a period (a month, a quarter or an assessment year).
// A handling unit sees only its own and its subordinates' reviews: another unit's list is empty.
func (s *server) listReviews(c echo.Context) error {
	q := c.QueryParams()
	unit := q.Get("unit")
	if unit == "" || len(unit) > 64 {
		return &paramError{Name: "unit", Reason: "required: the unit whose reviews to list (at most 64 bytes)"}
	}
	period, err := periodParam(q.Get("period"))
	if err != nil {
		return err
	}
	p := principal(c)
	rs, err := s.store.Reviews(c.Request().Context(), p, unit, period.Start, period.End)
	if err != nil {
		return err
	}
	out := ReviewList{Unit: unit, Period: period, Items: make([]ReviewView, len(rs))}
	for i, r := range rs {
		out.Items[i] = reviewView(p, r)
	}
	return c.JSON(http.StatusOK, out)
}

// getReview returns one review with the ticket it opened and, once voided, why.
func (s *server) getReview(c echo.Context) error {
	p := principal(c)
	sr, err := s.store.Review(c.Request().Context(), p, c.Param("id"))
	if err != nil {
		return err
	}
	v := reviewView(p, sr.Review)
	v.TicketID, v.VoidReason = sr.TicketID, sr.VoidReason
	return c.JSON(http.StatusOK, v)
}

// VoidRequest is why a review is voided.
type VoidRequest struct {
	Reason string `json:"reason"`
}

// VoidResponse confirms a void.
type VoidResponse struct {
	Review string `json:"review"`
	Voided bool   `json:"voided"`
}

// voidReview marks a review unfounded (不属实评价, 000 §6 (二)) with a reason: it stays on record and
// leaves the scores. Only the hotline office, supervisors and the system may (the store decides);
// voiding twice is 409. An upheld appeal voids its review by itself (POST /v1/cases/{id}/actions).
func (s *server) voidReview(c echo.Context) error {
	var body VoidRequest
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	if body.Reason == "" {
		return &paramError{Name: "reason", Reason: "required: why the review is unfounded", Err: ticket.ErrMissingField}
	}
	id := c.Param("id")
	if err := s.store.VoidReview(c.Request().Context(), principal(c), id, body.Reason, s.now()); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, VoidResponse{Review: id, Voided: true})
}

var (
	monthRE   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	quarterRE = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)
	yearRE    = regexp.MustCompile(`^AY(\d{4})$`)
)

const periodReason = "a month (2026-11), a quarter (2026-Q4) or an assessment year (AY2026: 2025-11-01 to 2026-10-31, 000 §8 (三))"

// periodParam reads a period: a calendar month or quarter (Asia/Shanghai) or an assessment year.
func periodParam(v string) (assess.Period, error) {
	bad := func() error { return &paramError{Name: "period", Reason: periodReason} }
	var (
		p   assess.Period
		err error
	)
	switch {
	case monthRE.MatchString(v):
		m := monthRE.FindStringSubmatch(v)
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		p, err = assess.Month(y, time.Month(mo))
	case quarterRE.MatchString(v):
		m := quarterRE.FindStringSubmatch(v)
		y, _ := strconv.Atoi(m[1])
		q, _ := strconv.Atoi(m[2])
		p, err = assess.Quarter(y, q)
	case yearRE.MatchString(v):
		y, _ := strconv.Atoi(yearRE.FindStringSubmatch(v)[1])
		p, err = assess.Year(deadline.AssessmentYear(), y)
	default:
		return assess.Period{}, bad()
	}
	if err != nil {
		var fe *assess.FieldError
		if errors.As(err, &fe) {
			return assess.Period{}, &paramError{Name: "period", Reason: fe.Field + " " + fe.Reason}
		}
		return assess.Period{}, bad()
	}
	return p, nil
}
