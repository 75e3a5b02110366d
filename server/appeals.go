package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
)

// Who acts in an appeal, an objection or a reconsideration. A key's role maps to the procedures'
// role: a handling unit acts as the handling unit (or, naming "staff", as a staff member of that unit
// filing through it, 000 §6 (一)); the hotline office as the hotline office; a supervisor as the
// competent department (政务服务主管部门) of its unit, which reviews (000 §6 (二), §7 (二)); the
// system — the platform a citizen uses — as the hotline office, or, naming "citizen", as that citizen
// (002 §6 (二) 3). Auditors and admins take no part. The actor's unit is always the key's.

// AppealRequest files a bad-review appeal (差评申诉, 000 §6 (一)) about a ticket the caller's unit
// handles: the ticket's number, unit and receipt come from the stored ticket (server/loop.TicketRef).
type AppealRequest struct {
	TicketID string `json:"ticket_id"`
	ReviewID string `json:"review_id"`
	// Staff, when set, files as that staff member of the caller's unit, who files with the unit first.
	Staff    string          `json:"staff,omitempty"`
	Ground   appeal.Ground   `json:"ground"`
	Defence  string          `json:"defence"`
	Evidence []string        `json:"evidence"`
	Reviewer appeal.Reviewer `json:"reviewer"`
}

// ObjectionRequest files a responsibility objection (差评确责异议, 000 §7 (一)).
type ObjectionRequest struct {
	TicketID      string          `json:"ticket_id"`
	ReviewID      string          `json:"review_id,omitempty"`
	Basis         appeal.Basis    `json:"basis"`
	BasisText     string          `json:"basis_text"`
	SuggestedUnit string          `json:"suggested_unit"`
	Reviewer      appeal.Reviewer `json:"reviewer"`
}

// ReconsiderationRequest files a citizen's reconsideration (复查复核, 002 §6 (二) 3), by the hotline
// office for the citizen or by the system for the citizen it names.
type ReconsiderationRequest struct {
	TicketID string `json:"ticket_id"`
	// Citizen identifies the citizen when the system files for them; it is never shown back.
	Citizen   string          `json:"citizen,omitempty"`
	RepliedAt time.Time       `json:"replied_at,omitzero"`
	Reason    string          `json:"reason"`
	Reviewer  appeal.Reviewer `json:"reviewer,omitzero"`
}

// CaseActionRequest is an action on an appeal, objection or reconsideration; the actor is the caller.
type CaseActionRequest struct {
	Action appeal.ActionKind `json:"action"`
	Reason string            `json:"reason,omitempty"`
	Basis  appeal.Basis      `json:"basis,omitempty"`
	// Staff acts as that staff member of the caller's unit (withdrawing their own appeal).
	Staff string `json:"staff,omitempty"`
	// Citizen acts as that citizen (the system only: withdrawing their reconsideration).
	Citizen string `json:"citizen,omitempty"`
}

// CaseEvent is one event of a case's history. A citizen is never named.
type CaseEvent struct {
	Seq    int           `json:"seq"`
	Action appeal.Action `json:"action"`
	By     appeal.Actor  `json:"by"`
	At     time.Time     `json:"at"`
	From   appeal.State  `json:"from"`
	To     appeal.State  `json:"to"`
	Source string        `json:"source"`
}

// CaseResponse is an appeal, objection or reconsideration as the caller may see it. ETag is its version.
type CaseResponse struct {
	ID         string       `json:"id"`
	Family     string       `json:"family"`
	State      appeal.State `json:"state"`
	StateLabel string       `json:"state_label"`
	Version    int64        `json:"version"`
	Final      bool         `json:"final"`
	// Request is what was filed (appeal.Request, ObjectionRequest or ReconsiderationRequest, without
	// the citizen's identifier).
	Request any         `json:"request"`
	History []CaseEvent `json:"history"`
	// Allowed are the actions the caller may take now.
	Allowed []appeal.ActionKind `json:"allowed"`
	// Due is when an upheld appeal's ticket must be closed as unfounded (000 §6 (二)) or an upheld
	// objection's ticket returned (000 §7 (二)), counted from the unit's receipt.
	Due *deadline.Deadline `json:"due,omitempty"`
}

// EffectView is one effect of a decision, in words.
type EffectView struct {
	Type    string `json:"type"`
	Explain string `json:"explain"`
	// By is when the effect must be carried out, when a window bounds it.
	By *time.Time `json:"by,omitempty"`
}

// TicketChange is what a decision's effects did to the case's ticket.
type TicketChange struct {
	ID      string         `json:"id"`
	Version int64          `json:"version"`
	Events  []ticket.Event `json:"events"`
}

// PendingDesignation is a designation the effects wait for (000 §7 (二): 由市政府办公厅指定办理).
type PendingDesignation struct {
	Authority string   `json:"authority"`
	Disputing string   `json:"disputing"`
	Exclude   []string `json:"exclude"`
}

// CaseActionResponse is a decision and what it did: the effects, the reviews voided, the ticket's
// change, the units routing must leave out and a designation still to be made.
type CaseActionResponse struct {
	Case        CaseResponse        `json:"case"`
	Effects     []EffectView        `json:"effects"`
	Voided      []string            `json:"voided_reviews,omitempty"`
	Ticket      *TicketChange       `json:"ticket,omitempty"`
	Exclude     []string            `json:"exclude,omitempty"`
	Designation *PendingDesignation `json:"designation,omitempty"`
}

// actorFor is who the caller acts as in a case.
func actorFor(p store.Principal, staff, citizen string) (appeal.Actor, error) {
	switch {
	case staff != "" && citizen != "":
		return appeal.Actor{}, &paramError{Name: "staff", Reason: "name a staff member or a citizen, not both"}
	case staff != "":
		if p.Role != store.RoleHandlingUnit {
			return appeal.Actor{}, fmt.Errorf("%w: only a handling unit acts for its staff", store.ErrForbidden)
		}
		return appeal.Actor{Role: appeal.RoleStaff, Unit: p.Unit, Person: staff}, nil
	case citizen != "":
		if p.Role != store.RoleSystem {
			return appeal.Actor{}, fmt.Errorf("%w: only the system acts for a citizen", store.ErrForbidden)
		}
		return appeal.Actor{Role: appeal.RoleCitizen, Person: citizen}, nil
	}
	switch p.Role {
	case store.RoleHandlingUnit:
		return appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: p.Unit}, nil
	case store.RoleHotlineOffice, store.RoleSystem:
		return appeal.Actor{Role: appeal.RoleHotlineOffice, Unit: p.Unit}, nil
	case store.RoleSupervisor:
		return appeal.Actor{Role: appeal.RoleCompetent, Unit: p.Unit}, nil
	}
	return appeal.Actor{}, fmt.Errorf("%w: %s takes no part in appeals", store.ErrForbidden, p.Role)
}

// caseTicket reads the ticket a filing names, as the caller may see it, and its appeal reference.
func (s *server) caseTicket(c echo.Context, id string) (*ticket.Ticket, appeal.TicketRef, error) {
	if id == "" {
		return nil, appeal.TicketRef{}, &paramError{Name: "ticket_id", Reason: "required", Err: appeal.ErrMissingField}
	}
	rec, err := s.store.Get(c.Request().Context(), principal(c), id)
	if err != nil {
		return nil, appeal.TicketRef{}, err
	}
	ref, err := loop.TicketRef(rec.Ticket)
	return rec.Ticket, ref, err
}

// checkCaseReview checks that review id is a bad review of the ticket's unit (and of the ticket, when
// the review opened one): an appeal or objection about another unit's review would void it.
func (s *server) checkCaseReview(c echo.Context, id, ticketID string, ref appeal.TicketRef) error {
	sr, err := s.store.Review(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	bad := func(reason string) error {
		return &paramError{Name: "review_id", Reason: reason, Err: errReviewMismatch}
	}
	switch {
	case !sr.Review.Rating.Bad():
		return &paramError{Name: "review_id", Reason: "the review is not a bad review (001 (二))", Err: loop.ErrNotBadReview}
	case sr.Review.Unit != ref.UnitID:
		return bad("the review rates another unit than the ticket's")
	case sr.TicketID != "" && sr.TicketID != ticketID:
		return bad("the review opened another ticket")
	case sr.Voided:
		return bad("the review is already void (不属实评价)")
	}
	return nil
}

// fileAppeal files a bad-review appeal (000 §6 (一)) within its window (000 §6 (二): the ticket must
// be closed as unfounded within 15 working days of the unit's receipt).
func (s *server) fileAppeal(c echo.Context) error {
	var body AppealRequest
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	p := principal(c)
	by, err := actorFor(p, body.Staff, "")
	if err != nil {
		return err
	}
	_, ref, err := s.caseTicket(c, body.TicketID)
	if err != nil {
		return err
	}
	if body.ReviewID == "" {
		return &paramError{Name: "review_id", Reason: "required: the bad review appealed", Err: appeal.ErrMissingField}
	}
	if err := s.checkCaseReview(c, body.ReviewID, body.TicketID, ref); err != nil {
		return err
	}
	rec, err := s.store.FileAppeal(c.Request().Context(), p, appeal.Request{Ticket: ref, ReviewID: body.ReviewID, StaffID: body.Staff,
		Ground: body.Ground, Defence: body.Defence, Evidence: body.Evidence, Reviewer: body.Reviewer}, by, s.now())
	if err != nil {
		return err
	}
	return s.writeCase(c, http.StatusCreated, rec, by)
}

// fileObjection files a responsibility objection (000 §7 (一)) within its window (000 §7 (二): 5
// working days of the unit's receipt).
func (s *server) fileObjection(c echo.Context) error {
	var body ObjectionRequest
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	p := principal(c)
	by, err := actorFor(p, "", "")
	if err != nil {
		return err
	}
	_, ref, err := s.caseTicket(c, body.TicketID)
	if err != nil {
		return err
	}
	if body.ReviewID != "" {
		if err := s.checkCaseReview(c, body.ReviewID, body.TicketID, ref); err != nil {
			return err
		}
	}
	rec, err := s.store.FileObjection(c.Request().Context(), p, appeal.ObjectionRequest{Ticket: ref, ReviewID: body.ReviewID,
		Basis: body.Basis, BasisText: body.BasisText, SuggestedUnit: body.SuggestedUnit, Reviewer: body.Reviewer}, by, s.now())
	if err != nil {
		return err
	}
	return s.writeCase(c, http.StatusCreated, rec, by)
}

// fileReconsideration files a citizen's reconsideration (002 §6 (二) 3).
func (s *server) fileReconsideration(c echo.Context) error {
	var body ReconsiderationRequest
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	p := principal(c)
	by, err := actorFor(p, "", body.Citizen)
	if err != nil {
		return err
	}
	_, ref, err := s.caseTicket(c, body.TicketID)
	if err != nil {
		return err
	}
	rec, err := s.store.FileReconsideration(c.Request().Context(), p, appeal.ReconsiderationRequest{Ticket: ref, CitizenID: body.Citizen,
		RepliedAt: body.RepliedAt, Reason: body.Reason, Reviewer: body.Reviewer}, by, s.now())
	if err != nil {
		return err
	}
	return s.writeCase(c, http.StatusCreated, rec, by)
}

// getCase returns an appeal, objection or reconsideration with its history and the actions the caller
// may take now. A case outside the caller's scope is 404.
func (s *server) getCase(c echo.Context) error {
	p := principal(c)
	rec, err := s.store.GetCase(c.Request().Context(), p, c.Param("id"))
	if err != nil {
		return err
	}
	by, _ := actorFor(p, "", "")
	return s.writeCase(c, http.StatusOK, rec, by)
}

func (s *server) writeCase(c echo.Context, status int, rec store.CaseRecord, by appeal.Actor) error {
	h := c.Response().Header()
	h.Set("ETag", etag(rec.Version))
	if status == http.StatusCreated {
		h.Set(echo.HeaderLocation, "/v1/cases/"+url.PathEscape(rec.ID))
	}
	return c.JSON(status, caseView(rec, by))
}

func caseView(rec store.CaseRecord, by appeal.Actor) CaseResponse {
	m := rec.Machine
	out := CaseResponse{ID: rec.ID, Family: rec.Family, State: m.State(), StateLabel: m.State().Label(), Version: rec.Version,
		Final: m.Final(), Allowed: []appeal.ActionKind{}}
	if by.Role != "" {
		if a := m.Allowed(by); a != nil {
			out.Allowed = a
		}
	}
	switch m := m.(type) {
	case *appeal.Appeal:
		out.Request = m.Request()
		if d, ok := m.Due(); ok {
			out.Due = &d
		}
	case *appeal.Objection:
		out.Request = m.Request()
		if d, ok := m.Due(); ok {
			out.Due = &d
		}
	case *appeal.Reconsideration:
		q := m.Request()
		q.CitizenID = ""
		out.Request = q
	}
	for _, e := range m.History() {
		if e.By.Role == appeal.RoleCitizen {
			e.By.Person = ""
		}
		out.History = append(out.History, CaseEvent{Seq: e.Seq, Action: e.Action, By: e.By, At: e.At, From: e.From, To: e.To, Source: e.Source})
	}
	return out
}

// actCase takes an action on a case, with If-Match on its ETag like a ticket's, and carries out its
// effects in the same transaction, as server/loop.PlanEffects plans them on the case's ticket: an
// upheld appeal voids its review — out of every score from then on — and its unit's ticket is closed
// as unfounded (000 §6 (二)); an upheld objection returns the ticket naming the suggested unit (000
// §7 (二)); a reconsideration that finds the handling improper reopens it (002 §6 (二) 3). Effects the
// ticket cannot take now (its state has no such action) refuse the decision with 409
// effect_not_applicable or the lifecycle's own problem, and nothing is written.
func (s *server) actCase(c echo.Context) error {
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var body CaseActionRequest
	if _, err := s.decode(c, &body); err != nil {
		return err
	}
	if body.Action == "" {
		return &paramError{Name: "action", Reason: "required", Err: appeal.ErrMissingField}
	}
	p := principal(c)
	by, err := actorFor(p, body.Staff, body.Citizen)
	if err != nil {
		return err
	}
	var plan loop.Plan
	planner := func(t *ticket.Ticket, rec store.CaseRecord, effects []appeal.Effect) (store.CasePlan, error) {
		o := loop.PlanOptions{Appeal: rec.ID, Office: officeActor(p, t)}
		switch m := rec.Machine.(type) {
		case *appeal.Appeal:
			q := m.Request()
			o.Reviewer, o.Review = q.Reviewer, q.ReviewID
		case *appeal.Objection:
			o.BasisText = m.Request().BasisText
		}
		var err error
		if plan, err = loop.PlanEffects(t, effects, o); err != nil {
			return store.CasePlan{}, err
		}
		return store.CasePlan{VoidReviews: plan.VoidReviews, Steps: plan.Requests()}, nil
	}
	d, err := s.store.DecideCase(c.Request().Context(), p, c.Param("id"), version,
		appeal.Action{Kind: body.Action, Reason: body.Reason, Basis: body.Basis}, by, planner, s.now())
	if err != nil {
		return err
	}
	out := CaseActionResponse{Case: caseView(d.Case, by), Effects: []EffectView{}, Voided: d.Voided, Exclude: plan.Exclude}
	for _, e := range d.Effects {
		out.Effects = append(out.Effects, effectView(e))
	}
	if d.TicketID != "" {
		out.Ticket = &TicketChange{ID: d.TicketID, Version: d.TicketVersion, Events: d.Events}
	}
	if pd := plan.Designation; pd != nil {
		out.Designation = &PendingDesignation{Authority: pd.Authority, Disputing: pd.Disputing, Exclude: pd.Exclude}
	}
	c.Response().Header().Set("ETag", etag(d.Case.Version))
	return c.JSON(http.StatusOK, out)
}

// officeActor is the hotline office's actor for a step the office takes (a reopening): the caller
// when it is the office, else the office that accepted the ticket.
func officeActor(p store.Principal, t *ticket.Ticket) string {
	if p.Role == store.RoleHotlineOffice {
		return p.Actor
	}
	if len(t.History) > 0 && t.History[0].Role == ticket.RoleHotlineOffice {
		return t.History[0].Actor
	}
	return string(ticket.RoleHotlineOffice)
}

func effectView(e appeal.Effect) EffectView {
	v := EffectView{Explain: e.Explain()}
	var by time.Time
	switch e := e.(type) {
	case appeal.VoidReview:
		v.Type = "void_review"
	case appeal.CloseTicketAsUnfounded:
		v.Type, by = "close_ticket_as_unfounded", e.By
	case appeal.ReturnTicket:
		v.Type, by = "return_ticket", e.By
	case appeal.Designate:
		v.Type = "designate"
	case appeal.ReopenTicket:
		v.Type = "reopen_ticket"
	default:
		v.Type = "unknown"
	}
	if !by.IsZero() {
		v.By = &by
	}
	return v
}

// designateReferred carries out the designation body names on ticket id at version, held by the
// suggested unit of an upheld objection that objected in turn (000 §7 (二): "建议承办单位"如提出异议，
// 由市政府办公厅指定办理), through the objection's Designate effect (server/loop.PlanEffects): the
// disputing unit returns the ticket naming the designated unit and the authority designates it,
// recorded by the caller on the authority's behalf; the units whose objection was upheld — the
// objection's and body.Upheld — are excluded. It writes the answer, or returns the error; one wrapping
// store.ErrNotFound when the ticket has no such objection.
func (s *server) designateReferred(c echo.Context, p store.Principal, id string, version int64, body DispatchRequest, now time.Time) error {
	des := body.Designation
	planner := func(t *ticket.Ticket, rec store.CaseRecord, effects []appeal.Effect) (store.CasePlan, error) {
		if slices.Contains(body.Upheld, des.Lead) {
			return store.CasePlan{}, &loop.EffectError{Effect: "appeal.Designate",
				Reason: fmt.Sprintf("designated unit %q is excluded: its objection was upheld (000 §7 (二))", des.Lead)}
		}
		plan, err := loop.PlanEffects(t, effects, loop.PlanOptions{Appeal: rec.ID, Office: officeActor(p, t), Designation: des})
		if err != nil {
			return store.CasePlan{}, err
		}
		return store.CasePlan{Steps: plan.Requests()}, nil
	}
	d, err := s.store.ApplyDesignation(c.Request().Context(), p, id, version, planner, now)
	if err != nil {
		return err
	}
	out := DispatchResponse{Version: version, Dispatch: loop.DispatchPlan{Status: loop.StatusDispatched}, Events: []ticket.Event{}}
	if d.TicketID != "" {
		out.Version, out.Events = d.TicketVersion, d.Events
	}
	c.Response().Header().Set("ETag", etag(out.Version))
	return c.JSON(http.StatusOK, out)
}
