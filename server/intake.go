package server

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/repeat"
	"github.com/hotline12345/hotline/ticket/screen"
)

// The intake of an item through the closed loop (POST /v1/tickets). The handler holds no rule of its
// own: server/loop decides what joins the domain packages, the store stores.
//
//  1. The caller's earlier tickets (the store's blind index of the phone, ID number or credit code)
//     give the repeat found by loop.FindRepeat and the contacts of the last day;
//  2. ticket/screen screens the item with them (loop.ScreenInput);
//  3. an item with missing elements is not stored (loop.Stored): 200 with the outcome, the missing
//     elements and the message the citizen is told; the citizen is asked and the item sent again;
//  4. any other item is stored (store.Intake, with its Idempotency-Key) and what follows is applied
//     (loop.PlanIntake): the refusal, archive or return upstream of a screened-out item, each with its
//     reason code, the citizen's message and its clock (003 四 (四) 5: the refusal replied within 3
//     working days; 000 §4 (一): 国办 items returned within 5); the original of a repeat counting it
//     (004 §12 (二) 2); or the dispatch the router decided, applied when the rules pick the unit and
//     left to the office or the designating authority when they cannot;
//  5. the answer — 201 with the outcome, the repeat link, the dispatch with its decision and trail and
//     the ticket with its clocks and the caller's allowed actions — is kept with the Idempotency-Key
//     (without the ticket, which holds personal data: a replay rebuilds it from the stored history at
//     the answer's version and instant), so a retry answers the same.
//
// A retry whose first attempt stored the ticket but did not finish (a crash between the steps) goes
// on where it stopped while the ticket is still as stored; if the ticket has moved on without an
// answer kept (the first attempt still running), the retry is 409 intake_in_progress with Retry-After.

// errIntakeInProgress: a retry arrived while the first attempt of the same intake is still applying
// its steps.
var errIntakeInProgress = errors.New("server: the intake with this Idempotency-Key is still being completed; retry shortly")

// intakeConfig is what the intake loop needs besides the store.
type intakeConfig struct {
	screener *screen.Screener
	repeats  repeat.Policy
	// mac keys callers for one intake's repeat index only: nothing keyed with it is stored, so a key
	// of the process's own is enough and never leaves it.
	mac           repeat.MAC
	contactWindow time.Duration
}

// An intake reads at most maxCallerHistory of the caller's earlier tickets (newest first) to count
// the contacts, and the history of at most maxRepeatCandidates of those within the repeat policy's
// window to find a repeat: a caller with more is compared with the most recent.
const (
	maxCallerHistory    = 50
	maxRepeatCandidates = 20
)

func newIntakeConfig(sp *screen.Policy, rp *repeat.Policy) (intakeConfig, error) {
	p := screen.Shanghai()
	if sp != nil {
		p = *sp
	}
	sc, err := screen.New(p)
	if err != nil {
		return intakeConfig{}, fmt.Errorf("server: screening policy: %w", err)
	}
	r := repeat.StreetHotline()
	if rp != nil {
		r = *rp
	}
	if err := r.Validate(); err != nil {
		return intakeConfig{}, fmt.Errorf("server: repeat policy: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return intakeConfig{}, err
	}
	mac, err := repeat.NewSM3MAC(key)
	if err != nil {
		return intakeConfig{}, err
	}
	return intakeConfig{screener: sc, repeats: r, mac: mac, contactWindow: loop.DefaultContactWindow}, nil
}

// IntakeResponse is the answer to an intake.
type IntakeResponse struct {
	// ID, Number and Version name the stored ticket, at the version the intake left it; absent when
	// nothing was stored.
	ID      string `json:"id,omitempty"`
	Number  string `json:"number,omitempty"`
	Version int64  `json:"version,omitempty"`
	// Stored reports whether a ticket was stored: false only for missing elements.
	Stored bool `json:"stored"`
	// At is when the intake was handled: the ticket's clocks are as of then.
	At time.Time `json:"at"`
	// Screening is the screening outcome with its reasons, the missing elements and the citizen's
	// message (ticket/screen's Result).
	Screening screen.Result `json:"screening"`
	// Repeat links the item to the earlier ticket it repeats, if any.
	Repeat *RepeatLink `json:"repeat,omitempty"`
	// Dispatch says what became of the dispatch, with the router's decision and trail.
	Dispatch *loop.DispatchPlan `json:"dispatch,omitempty"`
	// Ticket is the stored ticket at Version, with its clocks at At and the caller's allowed actions.
	Ticket *TicketResponse `json:"ticket,omitempty"`
}

// RepeatLink is the earlier ticket an item repeats (004 §12 (二) 2), as found and as recorded.
type RepeatLink struct {
	loop.Repeat
	// OriginalID is the original's ID.
	OriginalID string `json:"original_id,omitempty"`
	// Counted reports that the original counted the new ticket (its mark_repeat event names it).
	Counted bool `json:"counted"`
	// Supervised reports that the original is under supervision after counting it.
	Supervised bool `json:"supervised"`
}

// intake accepts an item through the closed loop (see the top of this file). An Idempotency-Key
// makes retries safe: the same key with the same body answers what the first attempt answered
// (Idempotent-Replayed: true), with another body 422 idempotency_key_reused. When the intake names an
// upstream number, the sending system is the caller's unit; the pair is unique.
func (s *server) intake(c echo.Context) error {
	key := c.Request().Header.Get(HeaderIdempotencyKey)
	if len(key) > maxIdempotencyKey || !printableASCII(key) {
		return &paramError{Name: HeaderIdempotencyKey, Reason: "at most 255 printable ASCII characters"}
	}
	var in ticket.Intake
	body, err := s.decode(c, &in)
	if err != nil {
		return err
	}
	p := principal(c)
	if p.Role != store.RoleHotlineOffice && p.Role != store.RoleSystem {
		return fmt.Errorf("%w: %s may not accept tickets", store.ErrForbidden, p.Role)
	}
	ctx, now := c.Request().Context(), s.now()
	req := store.IntakeRequest{Key: key, Body: body, Intake: in}
	if in.Upstream != "" {
		req.SourcePlatform = p.Unit
	}
	if key != "" {
		if _, _, err := s.store.IntakeAnswer(ctx, p, key); err == nil {
			return s.replayIntake(c, p, req, now)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	earlier, err := s.callerHistory(ctx, p, in.Citizen, "", now)
	if err != nil {
		return err
	}
	ans, rep, err := s.screenIntake(in, earlier, now)
	if err != nil {
		return err
	}
	if !ans.Stored {
		return c.JSON(http.StatusOK, ans)
	}
	res, err := s.store.Intake(ctx, p, req, now)
	if err != nil {
		return err
	}
	if res.Replayed { // a concurrent attempt with the same key stored it first
		return s.replayIntake(c, p, req, now)
	}
	ans.ID, ans.Number, ans.Version = res.ID, res.Number, res.Version
	done, err := s.completeIntake(ctx, p, key, &ans, rep, earlier, now)
	if err != nil {
		return err
	}
	return s.answerIntake(c, p, key, ans, false, &done)
}

// earlierTicket is one of the caller's earlier tickets.
type earlierTicket struct {
	id string
	t  *ticket.Ticket
}

// callerHistory returns the caller's earlier tickets the principal may see, newest first: those
// received within the repeat policy's window with their history (for repeat detection), and the
// receipt instants of the rest up to maxCallerHistory (for the contacts). skip leaves a ticket out
// (the intake's own, on a retry). A caller with no phone, ID number or credit code has none.
func (s *server) callerHistory(ctx context.Context, p store.Principal, caller ticket.Person, skip string, now time.Time) (callerTickets, error) {
	if caller.Phone == "" && caller.IDNumber == "" && caller.CreditCode == "" {
		return callerTickets{}, nil
	}
	sums, err := s.store.CallerTickets(ctx, p, caller, maxCallerHistory, now)
	if err != nil {
		return callerTickets{}, err
	}
	var out callerTickets
	since := now.AddDate(0, 0, -s.intakeCfg.repeats.WindowDays)
	for _, sm := range sums {
		if sm.ID == skip {
			continue
		}
		out.received = append(out.received, sm.Received)
		if sm.Received.Before(since) || len(out.tickets) >= maxRepeatCandidates {
			continue
		}
		rec, err := s.store.Get(ctx, p, sm.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return callerTickets{}, err
		}
		out.tickets = append(out.tickets, earlierTicket{id: rec.ID, t: rec.Ticket})
	}
	return out, nil
}

type callerTickets struct {
	tickets  []earlierTicket
	received []time.Time
}

func (ct callerTickets) domain() []*ticket.Ticket {
	out := make([]*ticket.Ticket, len(ct.tickets))
	for i, e := range ct.tickets {
		out[i] = e.t
	}
	return out
}

func (ct callerTickets) idOf(number string) string {
	for _, e := range ct.tickets {
		if e.t.Number.String() == number {
			return e.id
		}
	}
	return ""
}

// screenIntake finds the repeat and screens the item: the answer so far (nothing stored yet).
func (s *server) screenIntake(in ticket.Intake, earlier callerTickets, now time.Time) (IntakeResponse, *loop.Repeat, error) {
	ans := IntakeResponse{At: now}
	var rep *loop.Repeat
	r, found, err := loop.FindRepeat(s.intakeCfg.repeats, s.intakeCfg.mac, earlier.domain(), in, now)
	if err != nil {
		return ans, nil, err
	}
	if found {
		rep = &r
		ans.Repeat = &RepeatLink{Repeat: r, OriginalID: earlier.idOf(r.Original)}
	}
	contacts := loop.RecentContacts(earlier.received, now, s.intakeCfg.contactWindow)
	res, err := s.intakeCfg.screener.Screen(loop.ScreenInput(in, rep, contacts))
	if err != nil {
		return ans, nil, err
	}
	ans.Screening, ans.Stored = res, loop.Stored(res.Outcome)
	return ans, rep, nil
}

// intakeDone is what completeIntake leaves for the answer: the ticket as its last step left it (at the
// answer's version, read in that step's transaction), and whether the answer was kept with the
// Idempotency-Key in that transaction too.
type intakeDone struct {
	rec  store.Record
	kept bool
}

// completeIntake applies what follows the accept of the stored ticket ans.ID (loop.PlanIntake) and
// fills the answer's dispatch, repeat and ticket. The system taking an item in records the office's
// screening decision on its behalf (the return upstream of a 国办 item outside the remit or missing
// elements, 000 §4 (一): no office could take in an item placed outside its jurisdiction, so none
// could return it). A step the lifecycle refuses (a return upstream after its 5-day window, say) is
// left to the office, the plan's reason saying so; nothing stored is undone.
//
// The last step keeps the answer with key (when set and nothing follows the steps) in its own
// transaction, and every step returns the ticket after it: the intake needs no further write to keep
// its answer and no further read to give it.
func (s *server) completeIntake(ctx context.Context, p store.Principal, key string, ans *IntakeResponse, rep *loop.Repeat, earlier callerTickets, now time.Time) (intakeDone, error) {
	rec, err := s.store.Get(ctx, p, ans.ID)
	if err != nil {
		return intakeDone{}, err
	}
	router, err := s.router(ctx, p)
	if err != nil {
		return intakeDone{}, err
	}
	plan, err := loop.PlanIntake(rec.Ticket, ans.Screening, rep, router, loop.DispatchOptions{Actor: p.Actor})
	if err != nil {
		return intakeDone{}, err
	}
	done := intakeDone{rec: rec}
	version := rec.Version
	for i, q := range plan.Requests {
		step := store.IntakeStep{Request: q}
		if key != "" && i == len(plan.Requests)-1 && plan.MarkRepeat == nil {
			// The answer as it stands if this step is stored; a refusal changes it, and it is kept
			// afterwards instead.
			kept := *ans
			kept.Version, kept.Dispatch, kept.Ticket = version+1, &plan.Dispatch, nil
			b, err := json.Marshal(kept)
			if err != nil {
				return intakeDone{}, err
			}
			step.Key, step.Answer = key, b
		}
		res, cur, err := s.store.ApplyIntakeStep(ctx, p, ans.ID, version, step, now)
		var te *ticket.TransitionError
		if errors.As(err, &te) || errors.Is(err, store.ErrForbidden) || errors.Is(err, store.ErrStaleVersion) {
			if plan.Dispatch.Status == loop.StatusDispatched {
				plan.Dispatch.Status = loop.StatusManual
			}
			plan.Dispatch.Reason = fmt.Sprintf("%s not applied at intake, left to the hotline office: %v", q.Action, err)
			break
		}
		if err != nil {
			return intakeDone{}, err
		}
		version = res.Version
		done = intakeDone{rec: cur, kept: step.Key != ""}
	}
	if plan.MarkRepeat != nil && ans.Repeat != nil && ans.Repeat.OriginalID != "" {
		counted, supervised, err := s.markRepeat(ctx, p, ans.Repeat.OriginalID, *plan.MarkRepeat, now)
		if err != nil {
			return intakeDone{}, err
		}
		ans.Repeat.Counted, ans.Repeat.Supervised = counted, supervised
	}
	ans.Version = version
	ans.Dispatch = &plan.Dispatch
	return done, nil
}

// markRepeat has the original count the repeat, re-reading it when a concurrent change got there
// first; a refusal of the lifecycle (the original closed meanwhile) leaves it uncounted.
func (s *server) markRepeat(ctx context.Context, p store.Principal, id string, q ticket.Request, now time.Time) (counted, supervised bool, err error) {
	for range 3 {
		rec, err := s.store.Get(ctx, p, id)
		if err != nil {
			return false, false, err
		}
		if _, err = s.applyRequest(ctx, p, id, rec.Version, q, now); err == nil {
			rec, err := s.store.Get(ctx, p, id)
			if err != nil {
				return true, false, err
			}
			return true, rec.Ticket.Supervised, nil
		}
		var te *ticket.TransitionError
		switch {
		case errors.As(err, &te):
			return false, rec.Ticket.Supervised, nil
		case !errors.Is(err, store.ErrStaleVersion):
			return false, false, err
		}
	}
	return false, false, nil
}

// applyRequest applies q to ticket id at version as p, or on behalf of the leader or upper office q
// names (the designation of a routing decision, 004 §6), or — p being the system that took the item
// in — on behalf of the hotline office for the office's screening decisions (the return upstream or
// archive of 000 §4 (一), which the lifecycle gives to the office alone).
func (s *server) applyRequest(ctx context.Context, p store.Principal, id string, version int64, q ticket.Request, now time.Time) (store.ApplyResult, error) {
	switch {
	case q.Role == ticket.RoleLeader || q.Role == ticket.RoleUpperOffice:
		return s.store.ApplyOnBehalf(ctx, p, id, version, q, now)
	case p.Role == store.RoleSystem && q.Role == ticket.RoleHotlineOffice &&
		(q.Action == ticket.ActionReturnUpstream || q.Action == ticket.ActionArchive):
		return s.store.ApplyScreening(ctx, p, id, version, q, now)
	}
	return s.store.Apply(ctx, p, id, version, q, now)
}

// router returns the stored router, or nil before the district has stored its regions.
func (s *server) router(ctx context.Context, p store.Principal) (*routing.Router, error) {
	r, err := s.store.Router(ctx, p)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return r, err
}

// answerIntake keeps the answer with the key (without the ticket), unless done says its last step
// kept it, and writes it with the ticket as stored at the answer's version — done's, or read again —
// its clocks at the answer's instant.
func (s *server) answerIntake(c echo.Context, p store.Principal, key string, ans IntakeResponse, replayed bool, done *intakeDone) error {
	ctx := c.Request().Context()
	if key != "" && !replayed && (done == nil || !done.kept) {
		kept := ans
		kept.Ticket = nil
		b, err := json.Marshal(kept)
		if err != nil {
			return err
		}
		if err := s.store.SaveIntakeAnswer(ctx, p, key, ans.ID, b); err != nil {
			return err
		}
	}
	var view *TicketResponse
	var err error
	if done != nil && done.rec.ID == ans.ID && done.rec.Version == ans.Version {
		view, err = s.view(p, done.rec, ans.At)
	} else {
		view, err = s.ticketAt(ctx, p, ans.ID, ans.Version, ans.At)
	}
	if err != nil {
		return err
	}
	ans.Ticket = view
	h := c.Response().Header()
	h.Set(echo.HeaderLocation, "/v1/tickets/"+url.PathEscape(ans.ID))
	h.Set("ETag", etag(ans.Version))
	if replayed {
		s.replays.Inc()
		h.Set(HeaderIdempotentReplayed, "true")
	}
	return c.JSON(http.StatusCreated, ans)
}

// ticketAt returns ticket id as it was at version (its history replayed up to it) with its clocks
// and the caller's allowed actions at instant at.
func (s *server) ticketAt(ctx context.Context, p store.Principal, id string, version int64, at time.Time) (*TicketResponse, error) {
	rec, err := s.store.Get(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if version < 1 || version > int64(len(rec.Ticket.History)) {
		return nil, fmt.Errorf("%w: ticket %s has %d events, the answer names version %d", store.ErrCorrupt, id, len(rec.Ticket.History), version)
	}
	t := rec.Ticket
	if !rec.Masked {
		if t, err = s.store.Machine().Replay(rec.Ticket.History[:version]); err != nil {
			return nil, fmt.Errorf("%w: %w", store.ErrCorrupt, err)
		}
	}
	return s.view(p, store.Record{ID: rec.ID, Version: version, Ticket: t, Masked: rec.Masked}, at)
}

// replayIntake answers a retried intake: the answer kept for the key, with the ticket rebuilt as it
// was then; or, when the first attempt stored the ticket but kept no answer, it goes on from there.
func (s *server) replayIntake(c echo.Context, p store.Principal, req store.IntakeRequest, now time.Time) error {
	ctx := c.Request().Context()
	// The store checks the body against the key's (422 with another) and names the ticket.
	res, err := s.store.Intake(ctx, p, req, now)
	if err != nil {
		return err
	}
	raw, _, err := s.store.IntakeAnswer(ctx, p, req.Key)
	if err != nil {
		return err
	}
	var kept IntakeResponse
	if err := json.Unmarshal(raw, &kept); err != nil {
		return fmt.Errorf("%w: the answer kept for an idempotency key: %w", store.ErrCorrupt, err)
	}
	if kept.Stored && kept.ID == res.ID {
		return s.answerIntake(c, p, req.Key, kept, true, nil)
	}
	// The first attempt stored the ticket and kept no answer: go on while the ticket is as stored.
	rec, err := s.store.Get(ctx, p, res.ID)
	if err != nil {
		return err
	}
	if rec.Version != 1 {
		c.Response().Header().Set("Retry-After", "1")
		return errIntakeInProgress
	}
	earlier, err := s.callerHistory(ctx, p, req.Intake.Citizen, res.ID, now)
	if err != nil {
		return err
	}
	ans, rep, err := s.screenIntake(req.Intake, earlier, now)
	if err != nil {
		return err
	}
	ans.ID, ans.Number, ans.Version, ans.Stored = res.ID, res.Number, 1, true
	done, err := s.completeIntake(ctx, p, req.Key, &ans, rep, earlier, now)
	if err != nil {
		if errors.Is(err, store.ErrStaleVersion) {
			c.Response().Header().Set("Retry-After", "1")
			return errIntakeInProgress
		}
		return err
	}
	// Keep the answer now that it is complete (unless its last step kept it), then answer as a
	// replay.
	if !done.kept {
		kept = ans
		b, err := json.Marshal(kept)
		if err != nil {
			return err
		}
		if err := s.store.SaveIntakeAnswer(ctx, p, req.Key, ans.ID, b); err != nil {
			return err
		}
	}
	return s.answerIntake(c, p, req.Key, ans, true, &done)
}
