package knowledge

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hotline12345/hotline/internal/enum"
	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/ticket"
	"github.com/hotline12345/hotline/ticket/privacy"
)

// CaseState is where a case is on its way to the library.
type CaseState string

// The case states.
const (
	CaseDraft     CaseState = "draft"     // 草稿
	CaseReviewed  CaseState = "reviewed"  // 已审核
	CasePublished CaseState = "published" // 已发布
	CaseWithdrawn CaseState = "withdrawn" // 已撤回
)

var caseStates = enum.New("knowledge.CaseState", ErrInvalidEnum,
	enum.Value[CaseState]{V: CaseDraft, Label: "草稿"},
	enum.Value[CaseState]{V: CaseReviewed, Label: "已审核"},
	enum.Value[CaseState]{V: CasePublished, Label: "已发布"},
	enum.Value[CaseState]{V: CaseWithdrawn, Label: "已撤回"},
)

// CaseStates returns every CaseState in display order.
func CaseStates() []CaseState { return caseStates.All() }

// ParseCaseState returns the CaseState whose wire value or Chinese label is s.
func ParseCaseState(s string) (CaseState, error) { return caseStates.Parse(s) }

func (s CaseState) String() string { return string(s) }

// Label returns the Chinese label.
func (s CaseState) Label() string { return caseStates.Label(s) }

// Valid reports whether s is one of the declared values.
func (s CaseState) Valid() bool { return caseStates.Valid(s) }

// UnmarshalText accepts the wire value or the label and refuses anything else.
func (s *CaseState) UnmarshalText(b []byte) (err error) {
	*s, err = caseStates.Unmarshal(b)
	return err
}

// CaseAction is what is done to a case.
type CaseAction string

// The case actions.
const (
	CaseEdit     CaseAction = "edit"     // 修改: a draft, or a reviewed case (which goes back to draft)
	CaseReview   CaseAction = "review"   // 审核: by someone other than its author and its last editor
	CasePublish  CaseAction = "publish"  // 发布: a reviewed case
	CaseWithdraw CaseAction = "withdraw" // 撤回: at any state but withdrawn
)

var caseActions = enum.New("knowledge.CaseAction", ErrInvalidEnum,
	enum.Value[CaseAction]{V: CaseEdit, Label: "修改"},
	enum.Value[CaseAction]{V: CaseReview, Label: "审核"},
	enum.Value[CaseAction]{V: CasePublish, Label: "发布"},
	enum.Value[CaseAction]{V: CaseWithdraw, Label: "撤回"},
)

// CaseActions returns every CaseAction in display order.
func CaseActions() []CaseAction { return caseActions.All() }

// ParseCaseAction returns the CaseAction whose wire value or Chinese label is s.
func ParseCaseAction(s string) (CaseAction, error) { return caseActions.Parse(s) }

func (a CaseAction) String() string { return string(a) }

// Label returns the Chinese label.
func (a CaseAction) Label() string { return caseActions.Label(a) }

// Valid reports whether a is one of the declared values.
func (a CaseAction) Valid() bool { return caseActions.Valid(a) }

// UnmarshalText accepts the wire value or the label and refuses anything else.
func (a *CaseAction) UnmarshalText(b []byte) (err error) {
	*a, err = caseActions.Unmarshal(b)
	return err
}

// Limits of a case's texts.
const (
	MaxTitleRunes = 200
	MaxCaseRunes  = 5000
	MaxUnits      = 32
)

// CaseText is the part of a case its author writes.
type CaseText struct {
	Title string `json:"title"`
	// Problem is what could not be done, or what the hard ticket was about.
	Problem string `json:"problem"`
	// Cause is the cause found (003 六 (二): 详细分析、查找“办不成事”的具体原因).
	Cause string `json:"cause,omitempty"`
	// Solution is how it was solved (解决办法).
	Solution string `json:"solution,omitempty"`
	// Units are the units involved.
	Units   []string             `json:"units,omitempty"`
	Matters []routing.MatterCode `json:"matters,omitempty"`
	// Places are region codes, cut to the district when drafted from a ticket.
	Places []routing.RegionCode `json:"places,omitempty"`
}

// Validate reports the first problem of the text as a [*FieldError].
func (t CaseText) Validate() error {
	bad := func(field, format string, a ...any) error {
		return &FieldError{Entry: -1, Field: field, Reason: fmt.Sprintf(format, a...)}
	}
	if err := checkText(t.Title, MaxTitleRunes); err != "" {
		return bad("title", "%s", err)
	}
	if err := checkText(t.Problem, MaxCaseRunes); err != "" {
		return bad("problem", "%s", err)
	}
	for _, f := range []struct{ name, v string }{{"cause", t.Cause}, {"solution", t.Solution}} {
		if !utf8.ValidString(f.v) || utf8.RuneCountInString(f.v) > MaxCaseRunes {
			return bad(f.name, "at most %d characters of UTF-8", MaxCaseRunes)
		}
	}
	if len(t.Units) > MaxUnits || len(t.Matters) > MaxCodes || len(t.Places) > MaxCodes {
		return bad("units", "at most %d units, %d matters and %d places", MaxUnits, MaxCodes, MaxCodes)
	}
	for i, u := range t.Units {
		if strings.TrimSpace(u) == "" || len(u) > 64 || !utf8.ValidString(u) {
			return bad(fmt.Sprintf("units[%d]", i), "a unit id of 1–64 bytes")
		}
	}
	for i, m := range t.Matters {
		if !m.Valid() {
			return bad(fmt.Sprintf("matters[%d]", i), "a matter code of 2, 4 or 6 digits")
		}
	}
	for i, p := range t.Places {
		if !p.Valid() {
			return bad(fmt.Sprintf("places[%d]", i), "a region code of 2, 4, 6, 9 or 12 digits")
		}
	}
	return nil
}

// Case is a case of the library: its text, the ticket it comes from, and who drafted, reviewed and
// published it when.
type Case struct {
	CaseText
	ID       string `json:"id"`
	TicketID string `json:"ticket_id"`
	// Number is the ticket's number.
	Number      string    `json:"number,omitempty"`
	State       CaseState `json:"state"`
	Version     int64     `json:"version"`
	DraftedBy   string    `json:"drafted_by"`
	Drafted     time.Time `json:"drafted"`
	UpdatedBy   string    `json:"updated_by"`
	Updated     time.Time `json:"updated"`
	ReviewedBy  string    `json:"reviewed_by,omitempty"`
	Reviewed    time.Time `json:"reviewed,omitzero"`
	PublishedBy string    `json:"published_by,omitempty"`
	Published   time.Time `json:"published,omitzero"`
}

// TransitionError is a case action refused: the state, the action and why. It wraps
// [ErrIllegalTransition].
type TransitionError struct {
	State  CaseState
	Action CaseAction
	Reason string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("knowledge: %s (%s) a case that is %s (%s): %s", e.Action, e.Action.Label(), e.State, e.State.Label(), e.Reason)
}

func (e *TransitionError) Unwrap() error { return ErrIllegalTransition }

// Apply performs action a by actor on c at now, or returns a [*TransitionError] and leaves c as it
// was. Editing replaces the text with text (validated); the other actions ignore it. A reviewed case
// that is edited goes back to draft; a case is reviewed by someone other than its author and its last
// editor, and only once it says the cause found and how it was solved (003 六 (二)); only a reviewed
// case is published.
func (c *Case) Apply(a CaseAction, actor string, text CaseText, now time.Time) error {
	refuse := func(reason string) error { return &TransitionError{State: c.State, Action: a, Reason: reason} }
	next := *c
	switch a {
	case CaseEdit:
		if c.State != CaseDraft && c.State != CaseReviewed {
			return refuse("only a draft or a reviewed case is edited")
		}
		if err := text.Validate(); err != nil {
			return err
		}
		next.CaseText = text
		next.State = CaseDraft
		next.ReviewedBy, next.Reviewed = "", time.Time{}
	case CaseReview:
		switch {
		case c.State != CaseDraft:
			return refuse("only a draft is reviewed")
		case actor == c.DraftedBy || actor == c.UpdatedBy:
			return refuse("a case is reviewed by someone other than its author and its last editor")
		case strings.TrimSpace(c.Cause) == "":
			return refuse("the cause found is not written yet (003 六 (二))")
		case strings.TrimSpace(c.Solution) == "":
			return refuse("how it was solved is not written yet")
		}
		next.State = CaseReviewed
		next.ReviewedBy, next.Reviewed = actor, now
	case CasePublish:
		if c.State != CaseReviewed {
			return refuse("only a reviewed case is published")
		}
		next.State = CasePublished
		next.PublishedBy, next.Published = actor, now
	case CaseWithdraw:
		if c.State == CaseWithdrawn {
			return refuse("the case is withdrawn already")
		}
		next.State = CaseWithdrawn
	default:
		return refuse("unknown action")
	}
	if a != CaseReview && a != CasePublish {
		next.UpdatedBy = actor
	}
	next.Updated = now
	next.Version++
	*c = next
	return nil
}

// Eligible reports whether t may become a case: a 办不成事 item (003: from the 办不成事 window, online or
// offline) that is closed, or a hard ticket — complex or special, or one that was supervised,
// reopened or extended — closed after a callback that found it resolved.
func Eligible(t *ticket.Ticket) error {
	if t == nil {
		return &IneligibleError{Reason: "no ticket"}
	}
	window := t.Channel == ticket.ChannelWindowOnline || t.Channel == ticket.ChannelWindowOffline
	if window {
		if t.State != ticket.StateClosed && t.State != ticket.StateClosedStored {
			return &IneligibleError{Reason: fmt.Sprintf("a 办不成事 item is published once closed, and this one is %s (%s)", t.State, t.State.Label())}
		}
		return nil
	}
	hard := t.Complexity == ticket.ComplexityComplex || t.Complexity == ticket.ComplexitySpecial ||
		t.Supervised || t.Counters.Supervisions > 0 || t.Counters.Reopenings > 0 || t.Counters.Extensions > 0
	switch {
	case !hard:
		return &IneligibleError{Reason: "neither a 办不成事 item nor a hard ticket (complex or special, supervised, reopened or extended)"}
	case t.State != ticket.StateClosed:
		return &IneligibleError{Reason: fmt.Sprintf("a hard ticket is published once closed, and this one is %s (%s)", t.State, t.State.Label())}
	case t.Callback == nil || !t.Callback.Resolved:
		return &IneligibleError{Reason: "the callback did not find the matter resolved"}
	}
	return nil
}

// CasePrivacy is the masking of the case library: public output (000 第十条; 002 第十一条; 004 第十六条)
// that shows nothing of the citizen — name, address, phone and ID number hidden wherever they recur,
// every long number starred. A case is for learning how a problem was solved, not whose it was.
func CasePrivacy() privacy.Policy {
	const src = "000 第十条; 002 第十一条; 004 第十六条"
	return privacy.Policy{
		Name:    "case-library",
		Version: "2026-11",
		Source:  src,
		Views: []privacy.View{{Audience: privacy.AudiencePublic, Name: privacy.NameHidden, Address: privacy.AddressHidden,
			Text: privacy.TextScrubbed, Source: src}},
	}
}

// FromTicket drafts a case from an eligible ticket: its title, its content as the problem, its
// latest reply's summary (else its report) as the solution, its handling units, its matter and its
// place cut to the district; the cause is left for the author (003 六 (二)). Every text is masked with
// pol for the public, with the citizen's recorded identity, so nothing of theirs is carried over.
func FromTicket(t *ticket.Ticket, pol privacy.Policy) (CaseText, error) {
	if err := Eligible(t); err != nil {
		return CaseText{}, err
	}
	c := CaseText{Title: t.Title, Problem: t.Content}
	if c.Title == "" {
		c.Title = clipRunes(t.Content, 40)
	}
	if t.Reply != nil {
		c.Solution = t.Reply.Summary
		if strings.TrimSpace(c.Solution) == "" {
			c.Solution = t.Reply.Report
		}
	}
	if t.Assignment.Lead != "" {
		c.Units = append(c.Units, t.Assignment.Lead)
	}
	for _, u := range t.Assignment.CoHandling {
		if !slices.Contains(c.Units, u) {
			c.Units = append(c.Units, u)
		}
	}
	if m := routing.MatterCode(t.Matter.Code()); m.Valid() {
		c.Matters = []routing.MatterCode{m}
	}
	if p := routing.RegionCode(t.Place.RegionCode); p.Valid() {
		if len(p) > 6 {
			p = p[:6]
		}
		c.Places = []routing.RegionCode{p}
	}
	c.Title = clipRunes(c.Title, MaxTitleRunes)
	c.Problem = clipRunes(c.Problem, MaxCaseRunes)
	c.Solution = clipRunes(c.Solution, MaxCaseRunes)
	return Scrub(c, t.Citizen, pol), nil
}

// Scrub returns c with every text masked by pol for the public, including every recurrence of who's
// name, phone, ID number and address.
func Scrub(c CaseText, who ticket.Person, pol privacy.Policy) CaseText {
	mask := func(s string) string {
		if s == "" {
			return s
		}
		return pol.Mask(privacy.Personal{Name: who.Name, Phone: who.Phone, IDNumber: who.IDNumber, Address: who.Address, Text: s},
			privacy.AudiencePublic).Text
	}
	c.Title, c.Problem, c.Cause, c.Solution = mask(c.Title), mask(c.Problem), mask(c.Cause), mask(c.Solution)
	units := make([]string, len(c.Units))
	for i, u := range c.Units {
		units[i] = mask(u)
	}
	if c.Units != nil {
		c.Units = units
	}
	return c
}

// Leaks scans the texts of c for anything of who that remains — the name, the phone's digits, the ID
// number, four consecutive characters of the address below its district — and for any number pol
// would still mask (a phone, an ID, another long digit run). It returns a [*LeakError] naming the
// fields and the kinds found, never the values, or nil.
func Leaks(c CaseText, who ticket.Person, pol privacy.Policy) error {
	fields := []struct{ name, text string }{{"title", c.Title}, {"problem", c.Problem}, {"cause", c.Cause}, {"solution", c.Solution},
		{"units", strings.Join(c.Units, " ")}}
	name := fold(who.Name)
	phone := digits(who.Phone)
	id := fold(who.IDNumber)
	addr := addressTail(who.Address)
	var out LeakError
	found := func(field, kind string) {
		if !slices.Contains(out.Fields, field) {
			out.Fields = append(out.Fields, field)
		}
		if !slices.Contains(out.Kinds, kind) {
			out.Kinds = append(out.Kinds, kind)
		}
	}
	for _, f := range fields {
		text := fold(f.text)
		if utf8.RuneCountInString(name) >= 2 && strings.Contains(text, name) {
			found(f.name, "name")
		}
		if len(phone) >= 7 && strings.Contains(digits(f.text), phone[len(phone)-7:]) {
			found(f.name, "phone")
		}
		if len(id) >= 6 && strings.Contains(text, id) {
			found(f.name, "id_number")
		}
		for _, w := range windows(addr, 4) {
			if strings.Contains(text, w) {
				found(f.name, "address")
				break
			}
		}
		if pol.Scrub(f.text, privacy.AudiencePublic) != f.text {
			found(f.name, "number")
		}
	}
	if len(out.Fields) == 0 {
		return nil
	}
	return &out
}

func fold(s string) string { return strings.ToUpper(norm.NFKC.String(s)) }

// digits returns the decimal digits of s, in any script, as ASCII.
func digits(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKC.String(s) {
		if unicode.IsDigit(r) {
			if v := unicode.ToLower(r); v >= '0' && v <= '9' {
				b.WriteRune(v)
			}
		}
	}
	return b.String()
}

// addressTail returns the part of an address below its district: what the public may not see.
func addressTail(addr string) string {
	addr = fold(addr)
	shown := privacy.Shanghai().MaskAddress(addr, privacy.AudiencePublic)
	prefix := strings.TrimSuffix(shown, "***")
	if prefix != shown && strings.HasPrefix(addr, prefix) {
		return addr[len(prefix):]
	}
	return addr
}

// windows returns every run of n consecutive characters of s (s itself when shorter, if it has at
// least 2).
func windows(s string, n int) []string {
	rs := []rune(s)
	if len(rs) < n {
		if len(rs) >= 2 {
			return []string{s}
		}
		return nil
	}
	out := make([]string, 0, len(rs)-n+1)
	for i := 0; i+n <= len(rs); i++ {
		out = append(out, string(rs[i:i+n]))
	}
	return out
}
