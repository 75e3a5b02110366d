package ticket

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hotline12345/hotline/deadline"
)

func replyKeys(m HandlingMode, c Complexity) []deadline.Key {
	var ks []deadline.Key
	switch m {
	case ModeTransfer:
		ks = append(ks, deadline.ReplyTransfer)
	case ModeJoint:
		ks = append(ks, deadline.ReplyJoint)
	case ModeImmediate:
		ks = append(ks, deadline.ReplyQuick)
	}
	switch c {
	case ComplexitySimple:
		ks = append(ks, deadline.ReplyQuick, deadline.ReplyGeneral)
	case ComplexityComplex:
		ks = append(ks, deadline.ReplyComplex, deadline.ReplyGeneral)
	case ComplexitySpecial:
		ks = append(ks, deadline.ReplySpecial, deadline.ReplyComplex, deadline.ReplyGeneral)
	default:
		ks = append(ks, deadline.ReplyGeneral)
	}
	return ks
}

// ReplyKey returns the policy key that times the reply of a ticket handled in mode m with complexity
// c under policy p, and whether p has any such limit.
func ReplyKey(p deadline.Policy, m HandlingMode, c Complexity) (deadline.Key, bool) {
	for _, k := range replyKeys(m, c) {
		if _, ok := p.Limit(k); ok {
			return k, true
		}
	}
	return "", false
}

// startReply starts *c on the reply limit of the ticket's mode and complexity from from.
func (f *effect) startReply(c *Clock, from time.Time, what string) {
	t := f.t
	k, ok := ReplyKey(f.m.deadlines, t.Mode, t.Complexity)
	if !ok {
		*c = Clock{}
		f.note("%s: policy %q has no reply limit for mode %q, complexity %q; no clock", what, f.m.deadlines.Name, t.Mode, t.Complexity)
		return
	}
	f.start(c, k, from, what)
}

func (f *effect) dispatch(a Action, d Dispatch) error {
	bad := func(format string, args ...any) error { return refuse(ErrInvalidPayload, format, args...) }
	lead := strings.TrimSpace(d.Lead)
	if lead == "" {
		return bad("dispatch.lead is empty")
	}
	switch {
	case a == ActionDesignate && d.DispatchMode == "":
		d.DispatchMode = DispatchDesignated
	case a == ActionDesignate && d.DispatchMode != DispatchDesignated:
		return bad("dispatch.dispatch_mode must be designated for a designation, not %s", d.DispatchMode)
	case a == ActionDispatch && d.DispatchMode == DispatchDesignated:
		return bad("dispatch.dispatch_mode: designation (指定) is the leader's designate action (004 §6)")
	case !d.DispatchMode.Valid():
		return bad("dispatch.dispatch_mode: unknown %q (statutory, negotiated or designated)", d.DispatchMode)
	}
	if d.Mode == ModeImmediate {
		return bad("dispatch.mode: 即办 is answered at intake by the answer action (002 §6 (二) 1 (1))")
	}
	if d.Mode != "" && !d.Mode.Valid() {
		return bad("dispatch.mode: unknown %q", d.Mode)
	}
	if d.Complexity != "" && !d.Complexity.Valid() {
		return bad("dispatch.complexity: unknown %q", d.Complexity)
	}
	for i, u := range d.CoHandling {
		if u = strings.TrimSpace(u); u == "" || u == lead || slices.Contains(d.CoHandling[:i], d.CoHandling[i]) {
			return bad("dispatch.co_handling[%d] %q is empty, the lead unit, or repeated", i, d.CoHandling[i])
		}
	}
	t := f.t
	if d.Mode != "" {
		t.Mode = d.Mode
	}
	if d.Complexity != "" {
		t.Complexity = d.Complexity
	}
	if t.Mode == ModeJoint && len(d.CoHandling) == 0 {
		return bad("dispatch.co_handling: 协办 needs at least one co-handling unit besides the lead (002 §6 (二) 1 (4))")
	}
	as := Assignment{Lead: lead, CoHandling: slices.Clone(d.CoHandling), DispatchMode: d.DispatchMode,
		Dispatched: f.now, Returned: t.Assignment.Returned, SuggestedUnit: t.Assignment.SuggestedUnit}
	if a == ActionDesignate {
		as.DesignatedBy = f.r.Actor
	}
	t.Assignment = as
	if c := &t.Deadlines.Analysis; c.Running() {
		f.meet(c, "cause analysis", c.Source)
	}
	if c := t.Deadlines.Upstream; c.Running() {
		// Dispatching keeps the item: the window for returning it upstream no longer applies.
		t.Deadlines.Upstream = Clock{}
		f.note("return-upstream window (due %s) no longer applies: the item is dispatched (%s)", fmtTime(c.Due.At), c.Source)
	}
	if !f.pol.FirstContactByOffice {
		f.start(&t.Deadlines.FirstContact, deadline.FirstContact, f.now, "first contact")
	}
	f.startReply(&t.Deadlines.Reply, f.now, "reply")
	return nil
}

func (f *effect) giveBack(r Return) error {
	t := f.t
	sug := strings.TrimSpace(r.SuggestedUnit)
	switch {
	case sug == "":
		return refuse(ErrInvalidPayload, "return.suggested_unit (建议承办单位) is empty (000 §7 (二))")
	case strings.TrimSpace(r.Basis) == "":
		return refuse(ErrInvalidPayload, "return.basis (相关依据) is empty (000 §7 (一))")
	case sug == t.Assignment.Lead:
		return refuse(ErrInvalidPayload, "return.suggested_unit %q is the returning unit itself", sug)
	}
	if t.isReview() {
		if l, ok := f.m.deadlines.Limit(deadline.ObjectionReturn); ok {
			// 000 §7 (二) counts from the unit's receipt, as the close as unfounded of 000 §6 (二) does.
			received := t.unitReceipt()
			w, err := f.m.cal.Window(f.m.deadlines, l.Key, received, f.now)
			if err != nil {
				return &effectError{sentinel: ErrNotApplicable, cause: err, reason: err.Error()}
			}
			if err := w.Err(f.now); err != nil {
				return &effectError{sentinel: ErrOutsideWindow, cause: err,
					reason: fmt.Sprintf("a bad review's return closed %s, counted from the unit's receipt %s (%s)", fmtTime(w.Closes), fmtTime(received), l.Source)}
			}
		}
	}
	as := t.Assignment
	returning := as.Lead
	as.Returned = append(slices.Clone(as.Returned), as.Lead)
	as.SuggestedUnit = sug
	as.Lead, as.CoHandling, as.DispatchMode, as.DesignatedBy, as.Dispatched = "", nil, "", "", time.Time{}
	t.Assignment = as
	t.Counters.Returns++
	t.Deadlines.Reply, t.Deadlines.Redo = Clock{}, Clock{}
	if !f.pol.FirstContactByOffice {
		t.Deadlines.FirstContact = Clock{} // the next unit's first contact counts from its own receipt (000 §5)
	}
	f.note("returned by %s, suggesting %s; clocks restart at the next dispatch (000 §7 (二); 004 §7)",
		returning, sug)
	return nil
}

func (f *effect) requestExtension(x Extension) error {
	t := f.t
	if x.Days <= 0 {
		return refuse(ErrInvalidPayload, "extension.days %d must be positive", x.Days)
	}
	if strings.TrimSpace(x.Explanation) == "" {
		return refuse(ErrInvalidPayload, "extension.explanation (延期理由) is empty (004 §9)")
	}
	rc := *t.Deadlines.replying()
	if rc.Key == "" {
		return refuse(ErrNotApplicable, "the ticket has no reply clock to extend")
	}
	ext, err := f.m.cal.Extend(f.m.deadlines, rc.Stage(), x.Days, f.now)
	if err != nil {
		var we *deadline.WindowError
		switch {
		case errors.As(err, &we):
			return &effectError{sentinel: ErrOutsideWindow, cause: err,
				reason: fmt.Sprintf("extension of %s refused: the window %s closed %s", rc.Key, we.Key, fmtTime(we.Closed))}
		case errors.Is(err, deadline.ErrExtensionTooLong):
			return &effectError{sentinel: ErrInvalidPayload, cause: err, reason: err.Error()}
		default:
			return &effectError{sentinel: ErrNotApplicable, cause: err, reason: err.Error()}
		}
	}
	if f.rec != nil && f.rec.ExtensionDue != nil {
		ext.Due = *f.rec.ExtensionDue
	}
	f.extDue = &ext.Due
	if err := f.checkCap(rc.Key, x.Days, ext.Due.At); err != nil {
		return err
	}
	if ext.WrittenReport && strings.TrimSpace(x.WrittenReport) == "" {
		return refuse(ErrMissingField, "extension.written_report (书面报告) is required for %s (004 §9 第二款)", rc.Key)
	}
	x.Requested = f.now
	x.Approvals, x.Approved, x.Decision, x.Window = ext.Approvals, nil, "", ""
	if ext.Window != nil {
		x.Window = string(ext.Window.Key)
	}
	t.Extension = &x
	next := "the hotline office"
	if len(x.Approvals) > 0 {
		next = x.Approvals[0]
	}
	f.note("extension to %d requested; would be due %s; to be approved by %s", x.Days, fmtDue(ext.Due), next)
	return nil
}

// checkCap refuses an extension of reply clock k to days, due at due, that would end after the
// running reply cap: 000 第五条 “一般”类留言的办理期限，最长不超过25个工作日, counted from receipt,
// bounds every extension counted from dispatch.
func (f *effect) checkCap(k deadline.Key, days int, due time.Time) error {
	c := f.t.Deadlines.Cap
	if !c.Running() || !due.After(c.Due.At) {
		return nil
	}
	ce := &CapError{Key: k, Days: days, Extended: due, CapKey: c.Key, Cap: c.Due.At, Source: cmp.Or(c.Source, "000 §5")}
	return &effectError{sentinel: ErrInvalidPayload, cause: ce, reason: ce.reason()}
}

func (f *effect) decideExtension(a Action, ap Approval) error {
	t := f.t
	who := strings.TrimSpace(ap.Approver)
	if who == "" {
		return refuse(ErrInvalidPayload, "approval.approver is empty")
	}
	if t.Extension == nil {
		return refuse(ErrNotApplicable, "the ticket has no pending extension request")
	}
	x := *t.Extension
	x.Approved = slices.Clone(x.Approved)
	remaining := len(x.Approvals) - len(x.Approved)
	if len(x.Approvals) > 0 {
		if want := x.Approvals[len(x.Approved)]; who != want {
			return refuse(ErrNotApplicable, "the next approver is %s, not %s (approval chain %v, 004 §9)", want, who, x.Approvals)
		}
	}
	switch a {
	case ActionEscalateExtension:
		if remaining <= 1 {
			return refuse(ErrNotApplicable, "%s is the last approver: approve or refuse, not escalate", who)
		}
		x.Approved = append(x.Approved, who)
		f.note("extension approved by %s and escalated to %s (004 §9 第二款)", who, x.Approvals[len(x.Approved)])
	case ActionApproveExtension:
		if remaining > 1 {
			return refuse(ErrNotApplicable, "%s may only escalate: the extension still needs %v (004 §9 第二款)",
				who, x.Approvals[len(x.Approved)+1:])
		}
		x.Approved = append(x.Approved, who)
		x.Decision = DecisionApproved
		rcp := t.Deadlines.replying()
		rc := *rcp
		rc.ExtendedTo = x.Days
		st, err := f.m.cal.Status(f.m.deadlines, rc.Stage(), f.now)
		if err != nil {
			return &effectError{sentinel: ErrNotApplicable, cause: err, reason: err.Error()}
		}
		if d, ok := f.recorded(rc.Key); ok {
			st.Due = d
		}
		if err := f.checkCap(rc.Key, x.Days, st.Due.At); err != nil {
			return err
		}
		rc.Due = st.Due
		*rcp = rc
		t.Counters.Extensions++
		f.note("extension approved by %s: reply due %s (%s extended to %d, %s)", who, fmtDue(rc.Due), rc.Key, x.Days, rc.Source)
	case ActionRefuseExtension:
		x.Decision = DecisionRefused
		f.note("extension refused by %s: reply still due %s", who, fmtTime(t.Deadlines.replying().Due.At))
	}
	t.Extension = &x
	return nil
}

func (f *effect) reply(r Reply) error {
	if err := r.validate(); err != nil {
		return err
	}
	t := f.t
	if f.pol.ReviewStateCouncilReports && t.Channel.StateCouncil() && strings.TrimSpace(r.ReviewedBy) == "" {
		return refuse(ErrInvalidPayload, "reply.reviewed_by: a 国办 conclusion report must be reviewed by the unit's leader in charge (000 §4 (三))")
	}
	what := "reply"
	if t.State == StateReopened {
		what = "redo after reopening"
		if f.pol.ReviewRedoReplies && strings.TrimSpace(r.ReviewedBy) == "" {
			return refuse(ErrInvalidPayload, "reply.reviewed_by: the reply to a reopened ticket is reviewed and signed by the unit's leader in charge (004 §11)")
		}
	}
	// After a reopening the redo clock is met; the first reply's clock keeps its record (004 §11).
	c := t.Deadlines.replying()
	f.meet(c, what, c.Source)
	f.meet(&t.Deadlines.Cap, "reply cap", t.Deadlines.Cap.Source)
	t.Counters.Replies++
	t.Reply = &r
	if r.Outcome.Stored() {
		f.note("stored outcome %s: may be closed as stored (004 §8 (三))", r.Outcome.Label())
	}
	return nil
}

func (f *effect) callback(c Callback) error {
	for _, l := range []struct {
		name string
		v    Satisfaction
	}{{"result", c.Result}, {"efficiency", c.Efficiency}, {"attitude", c.Attitude}} {
		if !l.v.Valid() {
			return refuse(ErrInvalidPayload, "callback.%s: unknown level %q", l.name, l.v)
		}
	}
	c.At = f.now
	f.t.Callback = &c
	if c.Dissatisfied() && f.pol.SuperviseDissatisfied {
		f.supervise("dissatisfied at the callback (004 §12 (二) 4)")
	}
	return nil
}

func (f *effect) reopen() error {
	t := f.t
	t.Counters.Reopenings++
	// The redo runs on its own clock: the reply clock keeps whether the first reply was in time.
	if _, ok := f.m.deadlines.Limit(deadline.Reopen); ok {
		f.start(&t.Deadlines.Redo, deadline.Reopen, f.now, "redo after reopening")
	} else {
		f.startReply(&t.Deadlines.Redo, f.now, "redo after reopening")
	}
	f.note("reopened (不满退回 #%d) to %s; its leader in charge is informed (004 §11)", t.Counters.Reopenings, t.Assignment.Lead)
	return nil
}

func (f *effect) close() error {
	t := f.t
	f.meet(&t.Deadlines.RefusalReply, "reply explaining the refusal", t.Deadlines.RefusalReply.Source)
	t.Closure = &Closure{At: f.now}
	return nil
}

func (f *effect) closeStored(c Closure) error {
	t := f.t
	if strings.TrimSpace(c.Approver) == "" {
		return refuse(ErrInvalidPayload, "closure.approver is empty: closing as stored needs approval (000 §4 (三))")
	}
	storedOutcome := t.Reply != nil && t.Reply.Outcome.Stored()
	n := f.pol.StoreAfterReplies
	repeated := n > 0 && t.Counters.Replies >= n && t.Callback != nil && t.Callback.Dissatisfied()
	switch { // the row's GuardStorable holds: one of the two
	case storedOutcome:
		f.note("closed as stored: outcome %s (004 §8 (三)), approved by %s", t.Reply.Outcome.Label(), c.Approver)
	case repeated:
		f.note("closed as stored after %d answers with the citizen still dissatisfied (000 §4 (三)), approved by %s",
			t.Counters.Replies, c.Approver)
	}
	t.Closure = &Closure{Approver: c.Approver, Stored: true, At: f.now}
	return nil
}

// srcUnfounded is the article of closing a bad review as unfounded.
const srcUnfounded = "000 §6 (二)"

// closeUnfounded closes a review ticket whose bad review an appeal review found unfounded: "承办单位自
// 收到工单之日起15个工作日内，通过12345市民服务热线按照不属实评价办结，评价结果不予采纳" (000 §6 (二)).
// The appeal-close clock counts from the unit's receipt of the ticket (its dispatch to the current
// lead unit); a close after it is recorded as late, never refused. The reply clock, if still running,
// no longer applies: the limit for rectifying a well-founded review gives way to the appeal's.
func (f *effect) closeUnfounded(ar AppealReview) error {
	t := f.t // a review: the row's GuardReview
	switch {
	case strings.TrimSpace(ar.Review) == "":
		return refuse(ErrInvalidPayload, "appeal_review.review (the bad review found unfounded) is empty (%s)", srcUnfounded)
	case strings.TrimSpace(ar.Reviewer) == "":
		return refuse(ErrInvalidPayload, "appeal_review.reviewer (the competent department that reviewed) is empty (%s)", srcUnfounded)
	case !ar.Level.Valid():
		return refuse(ErrInvalidPayload, "appeal_review.level: unknown %q: the city's or the district's competent department reviews (%s)",
			ar.Level, srcUnfounded)
	}
	f.note("review %s found unfounded (不属实评价) on appeal review by %s (%s): closed as unfounded, 评价结果不予采纳 (%s)",
		ar.Review, ar.Reviewer, ar.Level.Label(), srcUnfounded)
	received := t.unitReceipt()
	if c, ok := f.clock(deadline.AppealClose, received); ok {
		f.note("close as unfounded due %s, counted from the unit's receipt %s (%s %s, %s)",
			fmtDue(c.Due), fmtTime(received), c.Key, c.Label, c.Source)
		t.Deadlines.AppealClose = c
		f.meet(&t.Deadlines.AppealClose, "close as unfounded", cmp.Or(c.Source, srcUnfounded))
	} else {
		f.note("close as unfounded: policy %q sets no %s limit, so no deadline is recorded (%s)",
			f.m.deadlines.Name, deadline.AppealClose, srcUnfounded)
	}
	for _, rc := range []*Clock{&t.Deadlines.Reply, &t.Deadlines.Redo} {
		if c := *rc; c.Running() {
			*rc = Clock{}
			f.note("reply clock (%s due %s) no longer applies: the review is unfounded (%s)", c.Key, fmtTime(c.Due.At), srcUnfounded)
		}
	}
	if t.State == StateExtensionRequested && t.Extension != nil {
		f.note("the pending extension request (to %d) lapses with the close", t.Extension.Days)
	}
	t.Closure = &Closure{Unfounded: &ar, At: f.now}
	return nil
}

func (f *effect) urge() error {
	t := f.t
	var overdue []string
	for _, c := range t.Deadlines.all() {
		if c.Running() && !f.now.Before(c.Due.At) {
			overdue = append(overdue, fmt.Sprintf("%s due %s", c.Key, fmtTime(c.Due.At)))
		}
	}
	t.Counters.Urgings++
	if len(overdue) > 0 {
		f.note("urged (催办 #%d): overdue %s", t.Counters.Urgings, strings.Join(overdue, ", "))
	}
	return nil
}

func (f *effect) markRepeat(r Repeat) error {
	t := f.t
	if err := r.Of.Validate(); err != nil {
		return refuse(ErrInvalidPayload, "repeat.of: %v", err)
	}
	if r.Of == t.Number {
		return refuse(ErrInvalidPayload, "repeat.of is the ticket itself")
	}
	t.Counters.Repeats++
	if n := f.pol.SuperviseAtRepeats; n > 0 && t.Counters.Repeats == n {
		f.supervise("repeat complaint #%d (004 §12 (二) 2: %d 次及以上)", t.Counters.Repeats, n)
	}
	return nil
}

// unitReceipt is when the handling unit received the ticket (承办单位自收到工单之日, 000 §6 (二),
// §7 (二)): its dispatch to the current lead unit, or the hotline's receipt before any dispatch.
func (t *Ticket) unitReceipt() time.Time {
	if !t.Assignment.Dispatched.IsZero() {
		return t.Assignment.Dispatched
	}
	return t.Received
}
