package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hotline12345/hotline/appeal"
	"github.com/hotline12345/hotline/assess"
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/loop"
	"github.com/hotline12345/hotline/server/store"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/screen"
)

// SourcePlatform is the source platform of every demo ticket; their upstream numbers are
// DEMO-nnn, which makes [Load] idempotent.
const SourcePlatform = "demo"

// The units the demo's principals act for.
const (
	OfficeUnit     = "yy-hotline" // 友谊路街道热线办: accepts, dispatches and calls back (004 §4)
	SupervisorUnit = "yy-dzb"     // 友谊路街道党政办: supervises (004 §13)
	AdminUnit      = "yy-cyzx"    // 友谊路街道城运中心: runs the platform (004 §4)
	AuditorUnit    = "bs-hotline" // 宝山区热线办: checks and assesses
	CompetentUnit  = "bs-zwfw"    // 宝山区政务服务办公室: reviews appeals (000 §6 (二))
)

// Ticket is one demo ticket as loaded.
type Ticket struct {
	ID       string
	Number   string
	Upstream string // DEMO-nnn
	Title    string
	State    ticket.State
	Lead     string
	Version  int64
}

// Summary says what [Load] found and did.
type Summary struct {
	Regions, Matters, Units int
	Tickets                 []Ticket
	// Created counts the tickets this Load created, Events the lifecycle events it stored: both zero
	// when the demo was already loaded.
	Created, Events int
	Reviews         int // reviews stored (new or already there)
	NewReviews      int
	Appeal          string // the upheld appeal's case id, when this Load filed it
	// Changed lists the demo tickets whose history has left the script since they were loaded
	// (someone acted on them): Load leaves them as they are.
	Changed []string
}

// States returns how many demo tickets are in each state, in the lifecycle's order.
func (s Summary) States() []StateCount {
	var out []StateCount
	for _, st := range ticket.States() {
		n := 0
		for _, t := range s.Tickets {
			if t.State == st {
				n++
			}
		}
		if n > 0 {
			out = append(out, StateCount{State: st, Count: n})
		}
	}
	return out
}

// StateCount is a state and how many demo tickets are in it.
type StateCount struct {
	State ticket.State
	Count int
}

// Find returns the demo ticket with upstream number DEMO-nnn.
func (s Summary) Find(no int) (Ticket, bool) {
	up := upstream(no)
	for _, t := range s.Tickets {
		if t.Upstream == up {
			return t, true
		}
	}
	return Ticket{}, false
}

func upstream(no int) string { return fmt.Sprintf("DEMO-%03d", no) }

// loader carries one Load.
type loader struct {
	st       *store.Store
	now      time.Time
	cal      *deadline.Calendar
	screener *screen.Screener
	dir      *routing.Directory
	admin    store.Principal
	office   store.Principal
	system   store.Principal
	sum      Summary
	numbers  map[int]ticket.Number
	ids      map[int]string
}

// Load loads the demo district into st at instant now: the regions, catalogue and units (left as
// they are when already equal), the tickets, the reviews and the appeal. It is idempotent.
func Load(ctx context.Context, st *store.Store, now time.Time) (Summary, error) {
	if st == nil {
		return Summary{}, errors.New("demo: nil store")
	}
	if now.IsZero() {
		return Summary{}, errors.New("demo: zero time")
	}
	dir, err := Directory()
	if err != nil {
		return Summary{}, err
	}
	sc, err := screen.New(screen.Shanghai())
	if err != nil {
		return Summary{}, err
	}
	l := &loader{st: st, now: now, cal: deadline.China(), screener: sc, dir: dir,
		admin:   store.Principal{Actor: "demo:admin", Unit: AdminUnit, Role: store.RoleAdmin},
		office:  store.Principal{Actor: "demo:yy-hotline/operator-07", Unit: OfficeUnit, Role: store.RoleHotlineOffice},
		system:  store.Principal{Actor: "demo:loader", Role: store.RoleSystem},
		numbers: map[int]ticket.Number{}, ids: map[int]string{}}
	if err := l.directory(ctx); err != nil {
		return l.sum, err
	}
	for _, s := range scripts {
		if err := l.ticket(ctx, s); err != nil {
			return l.sum, err
		}
	}
	if err := l.reviews(ctx); err != nil {
		return l.sum, err
	}
	return l.sum, nil
}

// directory stores the regions, the catalogue and the units, skipping what is already stored as is.
func (l *loader) directory(ctx context.Context) error {
	regions, matters, units := lists(l.dir)
	l.sum.Regions, l.sum.Matters, l.sum.Units = len(regions), len(matters), len(units)
	var have *routing.Directory
	if r, err := l.st.Router(ctx, l.admin); err == nil {
		have = r.Directory()
	}
	if have == nil || !slices.Equal(slices.Collect(have.Tree().All()), regions) {
		if err := l.st.PutRegions(ctx, l.admin, regions, l.now); err != nil {
			return fmt.Errorf("demo: regions: %w", err)
		}
	}
	if have == nil || !slices.EqualFunc(slices.Collect(have.Matters()), matters, sameMatter) {
		if err := l.st.PutCatalogue(ctx, l.admin, matters, l.now); err != nil {
			return fmt.Errorf("demo: catalogue: %w", err)
		}
	}
	stored, err := l.st.Units(ctx, l.admin)
	if err != nil {
		return fmt.Errorf("demo: units: %w", err)
	}
	byID := map[string]routing.Unit{}
	for _, u := range stored {
		byID[u.ID] = u
	}
	for _, u := range units {
		if old, ok := byID[u.ID]; ok && sameUnit(old, u) {
			continue
		}
		if err := l.st.PutUnit(ctx, l.admin, u, l.now); err != nil {
			return fmt.Errorf("demo: unit %s: %w", u.ID, err)
		}
	}
	return nil
}

func sameMatter(a, b routing.Matter) bool { return a == b }

func sameUnit(a, b routing.Unit) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Kind == b.Kind && a.Parent == b.Parent && a.Level == b.Level &&
		a.Line == b.Line && slices.Equal(a.Areas, b.Areas) && slices.Equal(a.Matters, b.Matters) &&
		a.Territorial == b.Territorial && a.Authority == b.Authority && slices.Equal(a.Kinds, b.Kinds)
}

// when is hh:mm on the working day day days before the load date, never after now.
func (l *loader) when(day int, hm string) time.Time {
	var h, m int
	if _, err := fmt.Sscanf(hm, "%d:%d", &h, &m); err != nil {
		panic("demo: bad time " + hm) // only the literals of script.go are parsed
	}
	d := l.cal.AddWorkdays(l.now, -day)
	t := d.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	if t.After(l.now) {
		t = l.now.Add(-time.Minute)
	}
	return t
}

// intake is the ticket.Intake of script s.
func (l *loader) intake(s script) (ticket.Intake, error) {
	in := ticket.Intake{Upstream: upstream(s.no), Channel: s.channel, Kind: s.kind, Title: s.title,
		Content: s.content, Citizen: s.citizen, Place: ticket.Place{RegionCode: s.place, Address: s.address},
		Complexity: s.complex, Received: l.when(s.day, s.at)}
	if s.matter != "" {
		code := routing.MatterCode(s.matter)
		for n := 2; n <= len(code); n += 2 {
			m, ok := l.dir.Matter(code[:n])
			if !ok {
				return ticket.Intake{}, fmt.Errorf("demo: %s: matter %s is not in the catalogue", in.Upstream, code[:n])
			}
			in.Matter.Levels = append(in.Matter.Levels, ticket.MatterLevel{Code: string(m.Code), Label: m.Name})
		}
	}
	return in, nil
}

// ticket loads one script: the intake (or the stored ticket, found by its upstream number) and
// every step its history does not have yet.
func (l *loader) ticket(ctx context.Context, s script) error {
	in, err := l.intake(s)
	if err != nil {
		return err
	}
	res, err := l.st.Intake(ctx, l.office, store.IntakeRequest{SourcePlatform: SourcePlatform, Intake: in}, in.Received)
	var dup *store.DuplicateError
	switch {
	case errors.As(err, &dup):
		res.ID = dup.ID
	case err != nil:
		return fmt.Errorf("demo: %s: intake: %w", in.Upstream, err)
	default:
		l.sum.Created++
	}
	rec, err := l.st.Get(ctx, l.system, res.ID)
	if err != nil {
		return fmt.Errorf("demo: %s: %w", in.Upstream, err)
	}
	t := rec.Ticket
	l.ids[s.no], l.numbers[s.no] = res.ID, t.Number
	version := rec.Version
	// Steps already in the history are skipped. A history that left the script (someone acted on
	// the ticket, e.g. following the walk-through) is left as it is.
	next := 1
	for i, st := range s.steps {
		if next < len(t.History) {
			if !matches(t.History[next], st) {
				l.sum.Changed = append(l.sum.Changed, in.Upstream)
				break
			}
			next++
			// A routing decision may add a supervision for buck-passing (004 §12 (二) 1).
			for st.act == actRoute && next < len(t.History) && shirking(t.History[next]) {
				next++
			}
			continue
		}
		reqs, p, err := l.requests(ctx, s, in, t, st)
		if err != nil {
			return fmt.Errorf("demo: %s step %d (%s): %w", in.Upstream, i+1, st.act, err)
		}
		at := l.when(st.day, st.at)
		for _, r := range reqs {
			if last := t.History[len(t.History)-1].At; !at.After(last) {
				at = last.Add(time.Minute)
			}
			ar, err := l.st.Apply(ctx, p, res.ID, version, r, at)
			if err != nil {
				return fmt.Errorf("demo: %s step %d (%s): %w", in.Upstream, i+1, r.Action, err)
			}
			version = ar.Version
			l.sum.Events++
			if rec, err = l.st.Get(ctx, l.system, res.ID); err != nil {
				return err
			}
			t = rec.Ticket
		}
		next = len(t.History)
	}
	if next < len(t.History) && !slices.Contains(l.sum.Changed, in.Upstream) && !laterOnly(t.History[next:], s.later) {
		l.sum.Changed = append(l.sum.Changed, in.Upstream)
	}
	l.sum.Tickets = append(l.sum.Tickets, Ticket{ID: res.ID, Number: t.Number.String(), Upstream: in.Upstream,
		Title: t.Title, State: t.State, Lead: t.Assignment.Lead, Version: version})
	return nil
}

// matches reports whether stored event e is script step st.
func matches(e ticket.Event, st step) bool {
	switch st.act {
	case actRoute:
		return e.Action == ticket.ActionDispatch
	case actScreen:
		return slices.Contains([]ticket.Action{ticket.ActionRefuse, ticket.ActionArchive, ticket.ActionReturnUpstream}, e.Action)
	}
	return e.Action == st.act
}

// laterOnly reports whether events are the script's later actions, in order.
func laterOnly(events []ticket.Event, later []ticket.Action) bool {
	if len(events) > len(later) {
		return false
	}
	for i, e := range events {
		if e.Action != later[i] {
			return false
		}
	}
	return true
}

// shirking reports whether e is the supervision a routing decision adds for buck-passing.
func shirking(e ticket.Event) bool {
	return e.Action == ticket.ActionSupervise && e.Payload.Supervision != nil &&
		e.Payload.Supervision.Trigger == ticket.TriggerShirking
}

// requests builds the ticket requests of step st on ticket t and the principal who takes them.
func (l *loader) requests(ctx context.Context, s script, in ticket.Intake, t *ticket.Ticket, st step) ([]ticket.Request, store.Principal, error) {
	p := l.office
	switch st.by {
	case unit:
		lead := t.Assignment.Lead
		if lead == "" {
			return nil, p, errors.New("the ticket has no lead unit")
		}
		p = store.Principal{Actor: "demo:" + lead + "/clerk", Unit: lead, Role: store.RoleHandlingUnit}
	case supervisor:
		p = store.Principal{Actor: "demo:" + SupervisorUnit + "/inspector", Unit: SupervisorUnit, Role: store.RoleSupervisor}
	}
	switch st.act {
	case actScreen:
		res, err := l.screen(s, in)
		if err != nil {
			return nil, p, err
		}
		a, refusal, ok := res.Refusal()
		if !ok {
			return nil, p, fmt.Errorf("screening accepted the item (%s); the script expects a refusal", res.Explanation)
		}
		return []ticket.Request{{Action: a, Payload: ticket.Payload{Refusal: &refusal}}}, p, nil
	case actRoute:
		router, err := l.st.Router(ctx, l.office)
		if err != nil {
			return nil, p, err
		}
		rreq, err := loop.RoutingRequest(t, loop.RouteOptions{})
		if err != nil {
			return nil, p, err
		}
		dec, err := router.Route(rreq)
		if err != nil {
			return nil, p, err
		}
		reqs, err := loop.DispatchRequests(dec, loop.DispatchOptions{Actor: p.Actor, Complexity: ticket.ComplexityGeneral})
		return reqs, p, err
	}
	r := ticket.Request{Action: st.act, Reason: st.reason, Payload: st.payload}
	if st.repeatOf != 0 {
		n, ok := l.numbers[st.repeatOf]
		if !ok {
			return nil, p, fmt.Errorf("the repeat %s is not loaded yet", upstream(st.repeatOf))
		}
		r.Payload.Repeat = &ticket.Repeat{Of: n}
	}
	return []ticket.Request{r}, p, nil
}

// screen screens the intake of s with the Shanghai policy (000 §4 (一)).
func (l *loader) screen(s script, in ticket.Intake) (screen.Result, error) {
	si := screen.InputOf(in)
	if s.kind == ticket.KindReview {
		si.Unit = s.about
	}
	return l.screener.Screen(si)
}

// reviews stores the 好差评 reviews, opens the review tickets of the bad ones, and carries the
// appealed one through 000 §6: appeal filed by the unit, upheld by the competent department, the
// review voided and its ticket closed as unfounded.
func (l *loader) reviews(ctx context.Context) error {
	for _, s := range []script{reviewScript, openReviewScript} {
		if err := l.ticket(ctx, s); err != nil {
			return err
		}
	}
	for _, r := range reviews {
		rv := assess.Review{ID: r.id, Rating: r.rating, Unit: r.unit, Channel: r.ch, Matter: r.matter,
			Rater: "demo-rater-" + strings.ToLower(r.id[len(r.id)-3:]), At: l.when(r.day, r.at)}
		tid := ""
		if r.ticket != 0 {
			tid = l.ids[r.ticket]
		}
		err := l.st.PutReview(ctx, l.office, rv, tid, rv.At)
		switch {
		case errors.Is(err, store.ErrDuplicate):
		case err != nil:
			return fmt.Errorf("demo: review %s: %w", r.id, err)
		default:
			l.sum.NewReviews++
		}
		l.sum.Reviews++
	}
	return l.appeal(ctx)
}

// appeal carries the appealed review's ticket through 000 §6 unless it is already closed.
func (l *loader) appeal(ctx context.Context) error {
	id := l.ids[reviewTicketNo]
	rec, err := l.st.Get(ctx, l.system, id)
	if err != nil {
		return err
	}
	t := rec.Ticket
	if len(t.History) != 1+len(reviewScript.steps) || slices.Contains(l.sum.Changed, upstream(reviewTicketNo)) {
		return nil // appealed and closed already, or moved on by hand
	}
	ref, err := loop.TicketRef(t)
	if err != nil {
		return fmt.Errorf("demo: appeal: %w", err)
	}
	unitP := store.Principal{Actor: "demo:" + ref.UnitID + "/clerk", Unit: ref.UnitID, Role: store.RoleHandlingUnit}
	reviewer := appeal.Reviewer{Unit: CompetentUnit, Level: appeal.ReviewerDistrict}
	req := appeal.Request{Ticket: ref, ReviewID: appealedReview, Ground: appeal.GroundUntrue,
		Defence:  "评价称“要等一周”，但登记记录显示证明已于当日开具，居民当场领取。",
		Evidence: []string{"证明开具登记簿 2026-第118号", "窗口监控录像截图"}, Reviewer: reviewer}
	filed := l.when(7, "09:00")
	c, err := l.st.FileAppeal(ctx, unitP, req, appeal.Actor{Role: appeal.RoleHandlingUnit, Unit: ref.UnitID}, filed)
	if err != nil {
		return fmt.Errorf("demo: appeal: %w", err)
	}
	competent := store.Principal{Actor: "demo:" + CompetentUnit + "/reviewer", Unit: CompetentUnit, Role: store.RoleSupervisor}
	c, effects, err := l.st.ApplyCase(ctx, competent, c.ID, c.Version,
		appeal.Action{Kind: appeal.ActionUphold, Reason: "登记簿与录像证实证明当日已开具，评价不属实。"},
		appeal.Actor{Role: appeal.RoleCompetent, Unit: CompetentUnit}, l.when(5, "14:00"))
	if err != nil {
		return fmt.Errorf("demo: appeal decision: %w", err)
	}
	l.sum.Appeal = c.ID
	plan, err := loop.PlanEffects(t, effects, loop.PlanOptions{Office: l.office.Actor, Reviewer: reviewer, Appeal: c.ID})
	if err != nil {
		return fmt.Errorf("demo: appeal effects: %w", err)
	}
	at := l.when(4, "10:00")
	for _, v := range plan.VoidReviews {
		if err := l.st.VoidReview(ctx, competent, v, "差评申诉复核成立（000 §6 (二)），案件 "+c.ID, at); err != nil && !errors.Is(err, store.ErrDuplicate) {
			return fmt.Errorf("demo: void review %s: %w", v, err)
		}
	}
	version := rec.Version
	for _, step := range plan.Steps {
		p := l.office
		if step.Request.Role == ticket.RoleHandlingUnit {
			p = unitP
		}
		ar, err := l.st.Apply(ctx, p, id, version, step.Request, at)
		if err != nil {
			return fmt.Errorf("demo: appeal effect %s: %w", step.Request.Action, err)
		}
		version = ar.Version
		l.sum.Events++
		at = at.Add(time.Minute)
	}
	rec, err = l.st.Get(ctx, l.system, id)
	if err != nil {
		return err
	}
	for i, tk := range l.sum.Tickets {
		if tk.ID == id {
			l.sum.Tickets[i].State, l.sum.Tickets[i].Version = rec.Ticket.State, rec.Version
		}
	}
	return nil
}
