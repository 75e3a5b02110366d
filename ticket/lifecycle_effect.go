package ticket

import (
	"reflect"

	"fmt"
	"github.com/hotline12345/hotline/internal/enum"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

// effectError carries the sentinel and the reason of a refusal from an effect.
type effectError struct {
	sentinel error
	cause    error
	reason   string
}

func (e *effectError) Error() string { return e.reason }

func refuse(sentinel error, format string, a ...any) error {
	return &effectError{sentinel: sentinel, reason: fmt.Sprintf(format, clipArgs(a)...)}
}

// maxArg is how many bytes of one string argument an error message quotes at most.
const maxArg = 256

// clipArgs shortens every string argument of an error message longer than maxArg bytes to
// [enum.MaxQuoted] bytes, so that a refusal never echoes a huge input whole.
func clipArgs(a []any) []any {
	for i, v := range a {
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.String && rv.Len() > maxArg {
			a[i] = enum.Clip(rv.String())
		}
	}
	return a
}

// effect applies one transition's effects to t: pointer and slice fields are replaced, never written
// through, so that a shallow copy taken before restores t.
type effect struct {
	m     *Machine
	pol   Policy // the ticket policy: the machine's at intake, the recorded one after
	t     *Ticket
	r     Request
	now   time.Time
	notes []string
	// rec is the recorded event under replay (nil when live): the deadlines it set are taken from it.
	rec *Event
	// extDue is the reply deadline an extension request would give.
	extDue *deadline.Deadline
}

// recorded returns the deadline the replayed event recorded for clock k, if any.
func (f *effect) recorded(k deadline.Key) (deadline.Deadline, bool) {
	if f.rec == nil {
		return deadline.Deadline{}, false
	}
	for _, d := range f.rec.Dues {
		if d.Key == k {
			return d.Due, true
		}
	}
	return deadline.Deadline{}, false
}

// due returns the deadline of a period of limit k counted on the calendar, or the one the replayed
// event recorded.
func (f *effect) due(k deadline.Key, start time.Time, l deadline.Limit) deadline.Deadline {
	if d, ok := f.recorded(k); ok {
		return d
	}
	return f.m.cal.Due(start, l.Period, f.m.deadlines.Counting)
}

func (f *effect) note(format string, a ...any) { f.notes = append(f.notes, fmt.Sprintf(format, a...)) }

func (f *effect) run(tr Transition) error {
	t, p := f.t, f.r.Payload
	switch tr.Action {
	case ActionAccept:
		return f.accept(*p.Intake)
	case ActionRefuse, ActionArchive, ActionReturnUpstream:
		return f.refuse(tr.Action, *p.Refusal)
	case ActionAnswer:
		return f.answer(*p.Reply)
	case ActionDispatch, ActionDesignate:
		return f.dispatch(tr.Action, *p.Dispatch)
	case ActionReturn:
		return f.giveBack(*p.Return)
	case ActionFirstContact:
		return f.firstContact()
	case ActionRequestExtension:
		return f.requestExtension(*p.Extension)
	case ActionEscalateExtension, ActionApproveExtension, ActionRefuseExtension:
		return f.decideExtension(tr.Action, *p.Approval)
	case ActionReply:
		return f.reply(*p.Reply)
	case ActionPassQualityCheck, ActionFailQualityCheck:
		if tr.Action == ActionFailQualityCheck {
			c := t.Deadlines.replying()
			c.Met, c.Late = time.Time{}, false
			f.note("quality check failed: returned to %s to redo against the %s deadline %s (002 §6 (一) 2)",
				t.Assignment.Lead, c.Key, fmtTime(c.Due.At))
		}
		return nil
	case ActionCallback:
		return f.callback(*p.Callback)
	case ActionReopen:
		return f.reopen()
	case ActionClose:
		return f.close()
	case ActionCloseStored:
		return f.closeStored(*p.Closure)
	case ActionCloseUnfounded:
		return f.closeUnfounded(*p.AppealReview)
	case ActionSupervise:
		if !p.Supervision.Trigger.Valid() {
			return refuse(ErrInvalidPayload, "supervision.trigger: unknown %q", p.Supervision.Trigger)
		}
		f.supervise("%s (%s)", p.Supervision.Trigger.Label(), triggerSource(p.Supervision.Trigger))
		return nil
	case ActionUrge:
		return f.urge()
	case ActionMarkRepeat:
		return f.markRepeat(*p.Repeat)
	}
	return refuse(ErrIllegalTransition, "action %s has no effect defined", tr.Action)
}

func triggerSource(s SupervisionTrigger) string {
	switch s {
	case TriggerJointMeeting:
		return "004 §12 (一)"
	case TriggerShirking:
		return "004 §12 (二) 1"
	case TriggerRepeat:
		return "004 §12 (二) 2"
	case TriggerUnresolved:
		return "004 §12 (二) 3"
	case TriggerDissatisfied:
		return "004 §12 (二) 4"
	case TriggerInstruction:
		return "004 §12 (二) 5"
	}
	return "000 §4 (五)"
}

func fmtTime(t time.Time) string { return t.In(deadline.Location()).Format("2006-01-02 15:04") }

// fmtDue formats a deadline for a note, flagged "(provisional)" when it rests on calendar dates beyond
// the published schedule and must be recomputed once the State Council publishes them.
func fmtDue(d deadline.Deadline) string {
	if d.Provisional {
		return fmtTime(d.At) + " (provisional)"
	}
	return fmtTime(d.At)
}

// clock returns a clock for limit k starting at start, and whether the policy has the limit.
func (f *effect) clock(k deadline.Key, start time.Time) (Clock, bool) {
	l, ok := f.m.deadlines.Limit(k)
	if !ok {
		return Clock{}, false
	}
	return Clock{Key: k, Label: l.Label, Source: l.Source, Start: start, Due: f.due(k, start, l)}, true
}

// start sets *c to the clock of limit k from start and notes it; without the limit it clears *c and
// notes that.
func (f *effect) start(c *Clock, k deadline.Key, start time.Time, what string) {
	nc, ok := f.clock(k, start)
	*c = nc
	if !ok {
		f.note("%s: policy %q sets no %s limit, no clock", what, f.m.deadlines.Name, k)
		return
	}
	f.note("%s due %s (%s %s, %s)", what, fmtDue(nc.Due), k, nc.Label, nc.Source)
}

// meet marks the running clock *c met now and notes a late stage; a stage done late is recorded,
// never refused (004 §8 (一)).
func (f *effect) meet(c *Clock, what, source string) {
	if !c.Running() {
		return
	}
	c.Met = f.now
	c.Late = !f.now.Before(c.Due.At)
	if c.Late {
		f.note("%s late: due %s, done %s (%s)", what, fmtTime(c.Due.At), fmtTime(f.now), source)
	}
}

// firstContact meets the first-contact clock, citing the clock's own limit (004 §8 (一) for the
// street office, 000 §5 for a unit). In received only the hotline office contacts, and only where
// first contact is its own: the row's [GuardOfficeFirstContact].
func (f *effect) firstContact() error {
	c := &f.t.Deadlines.FirstContact
	f.meet(c, "first contact", c.Source)
	return nil
}

func (f *effect) supervise(format string, a ...any) {
	f.t.Supervised = true
	f.t.Counters.Supervisions++
	f.note("supervised (督办 #%d): %s", f.t.Counters.Supervisions, fmt.Sprintf(format, a...))
}
