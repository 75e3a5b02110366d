package routing

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hotline12345/hotline/internal/enum"
)

// Articles cited in trails. Document numbers are those of the seeds:
// 000 = 沪府办〔2020〕49号, 002 = 鹤壁, 004 = 友谊路街道.
const (
	artDesignated   = "000 §4 (二) 指定谁、谁办理"
	artDesignatedCo = "004 §12 (一) 指定主办责任单位和相关协办单位"
	artStatutory    = "000 §4 (二) 谁主管、谁负责; 004 §6 按照法定职责分工"
	artLineFirst    = "000 §4 (二) 条块结合、以条为主"
	artNarrowest    = "002 §6 属地管理优先"
	artJoint        = "004 §6 经多方商定后进行联合处置; 002 §6 (二) 1 (4) 协办 明确牵头单位"
	artFallback     = "000 §4 (二) 各区托底"
	artFallbackTown = "004 §15 (一) 2 受理\"托底\"事项"
	artDispute      = "000 §4 (二) 对争议事项，由热线管理办公室指定转送; 004 §6 处置单位不明的，由分管领导指定"
	artReturned     = "000 §7 (二) 作退单处理，并注明\"建议承办单位\"，由\"12345\"另行转送"
	artNotUpheld    = "000 §7 (二) 复核认定异议理由成立的 (only then is it returned)"
	artObjects      = "000 §7 (二) \"建议承办单位\"如提出异议，由市政府办公厅指定办理"
	artTooMany      = "004 §12 (一) 职责不清、权限不明、管辖争议 … 指定主办责任单位"
	artBuckPassing  = "004 §12 (二) 1 工单派发出现推诿情况; 000 §8 (二) 差评确责推诿扯皮"
	artResponsible  = "002 §4 负责本单位职责范围内咨询、投诉、建议的处理"
)

// A Designation is a decision by the hotline office, a leader or a joint
// meeting that a given unit handles the ticket (指定).
type Designation struct {
	Lead       string   `json:"lead"`
	CoHandling []string `json:"co_handling,omitempty"`
	By         string   `json:"by,omitempty"` // who designated: a unit ID or a title such as "分管领导"
	Reason     string   `json:"reason,omitempty"`
}

// A Return is a unit's return of the ticket (退单): it says the matter is not
// its own (not its department, system or level, 000 §7 (一)) and may name a
// suggested unit. Upheld records whether its supervising department upheld
// the objection; only an upheld return excludes the unit.
type Return struct {
	Unit          string `json:"unit"`
	SuggestedUnit string `json:"suggested_unit,omitempty"`
	Reason        string `json:"reason,omitempty"`
	Upheld        bool   `json:"upheld"`
}

// A Request is what the router needs to know about a ticket. It is plain data
// so that any system can fill it.
type Request struct {
	// Place is the region code of the place the request concerns, at any
	// level the tree holds (a community, a street, a district).
	Place RegionCode `json:"place"`
	// Matters are the catalogue codes the request concerns; the first is the
	// main demand. Several matters handled by different units make a joint case.
	Matters []MatterCode `json:"matters"`
	// Kind is the request kind; zero matches every unit.
	Kind Kind `json:"kind,omitempty"`
	// Designation, if set, decides the handling units (指定).
	Designation *Designation `json:"designation,omitempty"`
	// Exclude lists units that must not be chosen.
	Exclude []string `json:"exclude,omitempty"`
	// Returns is the ticket's return history, oldest first.
	Returns []Return `json:"returns,omitempty"`
}

// A Router applies a [Policy] to a [Directory]. It is immutable and safe for
// concurrent use. Build it with [NewRouter]: a zero or nil Router refuses to
// route with [ErrNotBuilt].
type Router struct {
	dir    *Directory
	policy Policy
}

// NewRouter validates policy and checks the unit IDs it names against dir.
// Errors: [ErrNotBuilt] for a nil or zero directory, a [*PolicyError]
// wrapping [ErrInvalidPolicy] (and [ErrUnknownUnit] for an authority the
// directory lacks).
func NewRouter(dir *Directory, policy Policy) (*Router, error) {
	if dir == nil || dir.tree == nil {
		return nil, fmt.Errorf("routing: NewRouter: directory: %w (use NewDirectory or ReadDirectory)", ErrNotBuilt)
	}
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, id string }{
		{"default_authority", policy.DefaultAuthority},
		{"objection_authority", policy.ObjectionAuthority},
	} {
		if _, ok := dir.unitIdx[f.id]; f.id != "" && !ok {
			return nil, &PolicyError{Policy: policy.Name, Field: f.name,
				Reason: fmt.Sprintf("%q: no unit of the directory has this ID", enum.Clip(f.id)), Err: ErrUnknownUnit}
		}
	}
	return &Router{dir: dir, policy: policy}, nil
}

// Policy returns the router's policy (the zero policy for a zero router).
func (r *Router) Policy() Policy {
	if r == nil {
		return Policy{}
	}
	return r.policy
}

// Directory returns the router's directory (nil for a zero router).
func (r *Router) Directory() *Directory {
	if r == nil {
		return nil
	}
	return r.dir
}

// route is the state of one Route call.
type route struct {
	r        *Router
	d        *Directory
	req      *Request
	excluded []int32
	noted    []int32 // excluded units already mentioned in the trail
	kindBit  uint8   // the request's Kind.bit, 0 if no kind was given
	dec      Decision
	// chain holds the tree positions of the place and its ancestors in the
	// tree, narrowest first; chainLen of them are set.
	chain    [5]int32
	chainLen int
	// find, if set, replaces the index lookup of [route.collect] (the tests'
	// linear-scan baseline uses it); nil in normal use.
	find func(s *route, mc MatterCode) []cand
}

func (s *route) step(rule Rule, article, format string, args ...any) {
	s.stepText(rule, article, fmt.Sprintf(format, args...))
}

// stepText appends a step whose detail is already formatted (the hot path
// avoids fmt).
func (s *route) stepText(rule Rule, article, detail string) {
	if s.dec.Trail == nil {
		s.dec.Trail = make([]Step, 0, 6)
	}
	s.dec.Trail = append(s.dec.Trail, Step{Rule: rule, Article: article, Detail: detail})
}

func (s *route) name(i int32) string {
	u := &s.d.units[i]
	return u.Name + " (" + u.ID + ")"
}

func (s *route) isExcluded(i int32) bool { return slices.Contains(s.excluded, i) }

// Route decides who handles req. It applies, in order: the return history
// (upheld returns exclude their unit; bounces are counted), designation
// (指定), escalation to the designating authority (the suggested unit objects,
// or too many returns), the suggested unit of an upheld return, statutory
// duty (法定: matter, then 条块 and 属地管理优先), joint handling (商定),
// fallback (托底), and otherwise "needs designation" (争议). Every step is in
// the decision's trail.
//
// Route returns a [*RowError] wrapping [ErrInvalidRequest] and a more
// specific sentinel ([ErrUnknownRegion], [ErrUnknownMatter], [ErrUnknownUnit],
// [ErrInvalidCode], [ErrInvalidEnum], [ErrInvalidField] for a list or text
// over its bound: [MaxRequestMatters], [MaxRequestUnits],
// [MaxRequestReturns], [MaxTextBytes]) when the request refers to something
// the directory does not hold; a request the rules cannot decide is not an
// error but a decision with NeedsDesignation set.
func (r *Router) Route(req Request) (Decision, error) {
	if r == nil || r.dir == nil || r.dir.tree == nil {
		return Decision{}, fmt.Errorf("routing: Route: router: %w (use NewRouter)", ErrNotBuilt)
	}
	return r.route(req, nil)
}

func (r *Router) route(req Request, find func(*route, MatterCode) []cand) (Decision, error) {
	s := route{r: r, d: r.dir, req: &req, find: find}
	if err := s.check(); err != nil {
		return Decision{}, err
	}
	s.returns()
	if req.Designation != nil {
		return s.designated(), nil
	}
	if dec, ok := s.escalate(); ok {
		return dec, nil
	}
	if dec, ok := s.suggested(); ok {
		return dec, nil
	}
	return s.byRules(), nil
}

func reqErr(field, value string, err error) error {
	return &RowError{Source: "request", Field: field, Value: enum.Clip(value), Err: fmt.Errorf("%w: %w", ErrInvalidRequest, err)}
}

// unitRef looks up a unit the request names; field formats the request
// field for the error, e.g. ("exclude[%d]", 2).
func (s *route) unitRef(id string, field string, args ...any) (int32, error) {
	i, ok := s.d.unitIdx[id]
	if !ok {
		return 0, reqErr(fmt.Sprintf(field, args...), id, ErrUnknownUnit)
	}
	return i, nil
}

// checkBounds refuses a request whose lists or texts exceed the package's
// bounds before anything is done with them.
func (s *route) checkBounds() error {
	req := s.req
	tooMany := func(field string, n, max int, name string) error {
		return reqErr(field, "", fmt.Errorf("%w: %d items, more than %d (%s)", ErrInvalidField, n, max, name))
	}
	tooLong := func(field, text string) error {
		return reqErr(field, text, fmt.Errorf("%w: %d bytes, more than %d (MaxTextBytes)", ErrInvalidField, len(text), MaxTextBytes))
	}
	switch {
	case len(req.Matters) > MaxRequestMatters:
		return tooMany("matters", len(req.Matters), MaxRequestMatters, "MaxRequestMatters")
	case len(req.Exclude) > MaxRequestUnits:
		return tooMany("exclude", len(req.Exclude), MaxRequestUnits, "MaxRequestUnits")
	case len(req.Returns) > MaxRequestReturns:
		return tooMany("returns", len(req.Returns), MaxRequestReturns, "MaxRequestReturns")
	}
	for i, ret := range req.Returns {
		if len(ret.Reason) > MaxTextBytes {
			return tooLong(fmt.Sprintf("returns[%d].reason", i), ret.Reason)
		}
	}
	if des := req.Designation; des != nil {
		switch {
		case len(des.CoHandling) > MaxRequestUnits:
			return tooMany("designation.co_handling", len(des.CoHandling), MaxRequestUnits, "MaxRequestUnits")
		case len(des.By) > MaxTextBytes:
			return tooLong("designation.by", des.By)
		case len(des.Reason) > MaxTextBytes:
			return tooLong("designation.reason", des.Reason)
		}
	}
	return nil
}

func (s *route) check() error {
	if err := s.checkBounds(); err != nil {
		return err
	}
	req := s.req
	if reason := regionCodeProblem(string(req.Place)); reason != "" {
		return reqErr("place", string(req.Place), newCodeError("region code", string(req.Place), reason))
	}
	rid, ok := s.d.tree.pos(req.Place)
	if !ok {
		return reqErr("place", string(req.Place), ErrUnknownRegion)
	}
	for ; rid >= 0 && s.chainLen < len(s.chain); rid = s.d.tree.entries[rid].parent {
		s.chain[s.chainLen] = rid
		s.chainLen++
	}
	if len(req.Matters) == 0 {
		return reqErr("matters", "", fmt.Errorf("%w: at least one matter", ErrInvalidField))
	}
	for i, m := range req.Matters {
		field := func() string { return "matters[" + strconv.Itoa(i) + "]" }
		if reason := matterCodeProblem(string(m)); reason != "" {
			return reqErr(field(), string(m), newCodeError("matter code", string(m), reason))
		}
		if _, ok := s.d.matterIdx[m]; !ok {
			return reqErr(field(), string(m), ErrUnknownMatter)
		}
		if slices.Contains(req.Matters[:i], m) {
			return reqErr(field(), string(m), ErrDuplicate)
		}
	}
	if req.Kind != "" {
		if err := kinds.Check(req.Kind); err != nil {
			return reqErr("kind", string(req.Kind), err)
		}
		s.kindBit = req.Kind.bit()
	}
	for i, id := range req.Exclude {
		u, err := s.unitRef(id, "exclude[%d]", i)
		if err != nil {
			return err
		}
		if !s.isExcluded(u) {
			s.excluded = append(s.excluded, u)
		}
	}
	for i, ret := range req.Returns {
		if _, err := s.unitRef(ret.Unit, "returns[%d].unit", i); err != nil {
			return err
		}
		if ret.SuggestedUnit != "" {
			if _, err := s.unitRef(ret.SuggestedUnit, "returns[%d].suggested_unit", i); err != nil {
				return err
			}
		}
	}
	if des := req.Designation; des != nil {
		if _, err := s.unitRef(des.Lead, "designation.lead"); err != nil {
			return err
		}
		for i, id := range des.CoHandling {
			if _, err := s.unitRef(id, "designation.co_handling[%d]", i); err != nil {
				return err
			}
		}
	}
	return nil
}

// returns applies the return history: exclusions, counts, buck-passing.
func (s *route) returns() {
	for _, u := range s.excluded {
		s.step(RuleExcluded, "", "%s is excluded by the caller", s.name(u))
	}
	rets := s.req.Returns
	for _, ret := range rets {
		u := s.d.unitIdx[ret.Unit]
		sugg := ""
		if ret.SuggestedUnit != "" {
			sugg = "; suggested unit " + s.name(s.d.unitIdx[ret.SuggestedUnit])
		}
		if !ret.Upheld {
			s.step(RuleReturnNotUpheld, artNotUpheld, "%s returned the ticket%s, but the objection was not upheld: it is not excluded", s.name(u), sugg)
			continue
		}
		if !s.isExcluded(u) {
			s.excluded = append(s.excluded, u)
		}
		s.step(RuleReturned, artReturned, "%s returned the ticket (objection upheld)%s: it is excluded from re-dispatch", s.name(u), sugg)
	}
	s.noted = slices.Clone(s.excluded)
	s.dec.Returns = len(rets)
	s.dec.Bounces = CountBounces(rets)
	if t := s.r.policy.BuckPassingBounces; t > 0 {
		for _, b := range s.dec.Bounces {
			if b.Count >= t {
				s.dec.Supervise = true
				s.step(RuleBuckPassing, artBuckPassing, "%s and %s passed the ticket between them %d times (policy threshold %d): supervise as buck-passing",
					s.name(s.d.unitIdx[b.A]), s.name(s.d.unitIdx[b.B]), b.Count, t)
			}
		}
	}
}

func (s *route) designated() Decision {
	des := s.req.Designation
	lead := s.d.unitIdx[des.Lead]
	by := des.By
	if by == "" {
		by = "the hotline office"
	}
	if s.isExcluded(lead) {
		s.step(RuleDesignated, artDesignated, "%s was designated by %s but has returned the ticket or is excluded: a new designation is needed", s.name(lead), by)
		return s.needsDesignation([]int32{lead}, artDispute)
	}
	s.dec.Mode = DispatchDesignated
	s.dec.Lead = des.Lead
	reason := ""
	if des.Reason != "" {
		reason = " (" + des.Reason + ")"
	}
	s.step(RuleDesignated, artDesignated, "designated to %s by %s%s", s.name(lead), by, reason)
	for _, id := range des.CoHandling {
		u := s.d.unitIdx[id]
		switch {
		case u == lead || slices.Contains(s.dec.CoHandling, id):
		case s.isExcluded(u):
			s.step(RuleDesignated, artDesignatedCo, "designated co-handling unit %s is excluded and left out", s.name(u))
		default:
			s.dec.CoHandling = append(s.dec.CoHandling, id)
			s.step(RuleDesignated, artDesignatedCo, "designated co-handling unit %s", s.name(u))
		}
	}
	return s.dec
}

// escalate sends the case to designation when the suggested unit of an
// upheld return objects in turn (000 §7 (二)) or the ticket has been returned
// too often. A suggestion whose return was not upheld sent the ticket
// nowhere, so a later return by that unit is no objection to it.
func (s *route) escalate() (Decision, bool) {
	rets := s.req.Returns
	// suggestedBy maps a unit to the first upheld return that suggested it.
	suggestedBy := make(map[string]int, len(rets))
	for j, ret := range rets {
		k, ok := suggestedBy[ret.Unit]
		if ret.Upheld && ret.SuggestedUnit != "" {
			if _, seen := suggestedBy[ret.SuggestedUnit]; !seen {
				suggestedBy[ret.SuggestedUnit] = j
			}
		}
		if !ok {
			continue
		}
		first, second := s.d.unitIdx[rets[k].Unit], s.d.unitIdx[ret.Unit]
		s.step(RuleSuggestedObjects, artObjects, "%s, the suggested unit named by %s, objected in turn: the designating authority decides",
			s.name(second), s.name(first))
		return s.designateBy([]int32{first, second}, artObjects, s.r.policy.ObjectionAuthority), true
	}
	if m := s.r.policy.MaxReturns; m > 0 && len(rets) >= m {
		var units []int32
		for _, ret := range rets {
			if u := s.d.unitIdx[ret.Unit]; !slices.Contains(units, u) {
				units = append(units, u)
			}
		}
		s.step(RuleTooManyReturns, artTooMany, "the ticket was returned %d times (policy limit %d): the designating authority decides", len(rets), m)
		return s.needsDesignation(units, artTooMany), true
	}
	return Decision{}, false
}

// suggested re-dispatches to the suggested unit of the last return if it
// was upheld and the policy follows suggestions.
func (s *route) suggested() (Decision, bool) {
	rets := s.req.Returns
	if !s.r.policy.FollowSuggestedUnit || len(rets) == 0 {
		return Decision{}, false
	}
	last := rets[len(rets)-1]
	if !last.Upheld || last.SuggestedUnit == "" {
		return Decision{}, false
	}
	u := s.d.unitIdx[last.SuggestedUnit]
	if s.isExcluded(u) {
		s.step(RuleSuggestedUnit, artReturned, "the suggested unit %s is excluded: the rules are applied again", s.name(u))
		return Decision{}, false
	}
	s.dec.Mode = DispatchStatutory
	s.dec.Lead = last.SuggestedUnit
	s.step(RuleSuggestedUnit, artReturned, "re-dispatched to %s, the suggested unit of the upheld return by %s",
		s.name(u), s.name(s.d.unitIdx[last.Unit]))
	return s.dec, true
}

// authority returns the lowest designating authority common to units, or
// the policy's default.
func (s *route) authority(units []int32) string {
	chain := func(i int32) []int32 {
		var c []int32
		for a := s.d.units[i].Authority; a != ""; a = s.d.units[s.d.unitIdx[a]].Authority {
			c = append(c, s.d.unitIdx[a])
		}
		return c
	}
	if len(units) > 0 {
		chains := make([][]int32, len(units))
		for k, u := range units {
			chains[k] = chain(u)
		}
	next:
		for _, a := range chains[0] {
			for _, c := range chains[1:] {
				if !slices.Contains(c, a) {
					continue next
				}
			}
			return s.d.units[a].ID
		}
	}
	return s.r.policy.DefaultAuthority
}

func (s *route) needsDesignation(units []int32, article string) Decision {
	return s.designateBy(units, article, "")
}

// designateBy returns a decision that needs designation among units by
// authority, or, if authority is empty, by the lowest designating authority
// the units share (see [route.authority]).
func (s *route) designateBy(units []int32, article, authority string) Decision {
	s.dec.Mode, s.dec.NeedsDesignation = "", true
	s.dec.Lead, s.dec.CoHandling = "", nil
	s.dec.Candidates = nil
	for _, u := range units {
		s.dec.Candidates = append(s.dec.Candidates, s.d.units[u].ID)
	}
	s.dec.Authority = authority
	if authority == "" {
		s.dec.Authority = s.authority(units)
	}
	who := "the dispatching hotline office"
	if s.dec.Authority != "" {
		who = s.name(s.d.unitIdx[s.dec.Authority])
	}
	s.step(RuleDispute, article, "needs designation by %s", who)
	return s.dec
}

// outcome is the result of the rules for one matter.
type outcome struct {
	mode       DispatchMode
	dispute    bool // the rules cannot pick one unit: needs designation among candidates
	lead       int32
	co         []int32
	candidates []int32
	used       MatterCode
}

type cand struct {
	unit  int32
	depth int // length of the narrowest area of the unit containing the place
}

func (s *route) byRules() Decision {
	outs := make([]outcome, len(s.req.Matters))
	for i, m := range s.req.Matters {
		outs[i] = s.resolve(m)
		s.dec.Matters = append(s.dec.Matters, outs[i].used)
	}
	if len(outs) == 1 {
		return s.finish(outs[0])
	}
	// Several matters: the main demand's unit leads, the others co-handle.
	var units, disputed []int32
	statutory := false
	for _, o := range outs {
		if o.dispute {
			disputed = append(disputed, o.candidates...)
			continue
		}
		statutory = statutory || o.mode != DispatchFallback
		for _, u := range append([]int32{o.lead}, o.co...) {
			if !slices.Contains(units, u) {
				units = append(units, u)
			}
		}
	}
	if len(disputed) > 0 || len(units) == 0 {
		s.step(RuleDispute, artDispute, "at least one matter of the request cannot be assigned by the rules")
		return s.needsDesignation(uniq(append(disputed, units...)), artDispute)
	}
	if len(units) == 1 {
		mode := DispatchFallback
		if statutory {
			mode = DispatchStatutory
		}
		return s.finish(outcome{mode: mode, lead: units[0]})
	}
	if !s.r.policy.JointHandling {
		s.step(RuleJoint, artJoint, "the request spans %d matters handled by %d units, and the policy does not allow joint handling", len(outs), len(units))
		return s.needsDesignation(units, artDispute)
	}
	s.step(RuleJoint, artJoint, "the request spans %d matters handled by %d units: %s, the unit of the main matter %s, leads",
		len(outs), len(units), s.name(units[0]), s.req.Matters[0])
	return s.finish(outcome{mode: DispatchNegotiated, lead: units[0], co: units[1:]})
}

func uniq(xs []int32) []int32 {
	var out []int32
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func (s *route) finish(o outcome) Decision {
	if o.dispute {
		return s.needsDesignation(o.candidates, artDispute)
	}
	s.dec.Mode = o.mode
	s.dec.Lead = s.d.units[o.lead].ID
	for _, u := range o.co {
		s.dec.CoHandling = append(s.dec.CoHandling, s.d.units[u].ID)
	}
	return s.dec
}

// resolve applies statutory duty, joint handling and fallback to one matter.
func (s *route) resolve(m MatterCode) outcome {
	d := s.d
	mat := d.matters[d.matterIdx[m]]
	var cands []cand
	used := m
	for mc := m; mc != ""; mc = mc.Parent() {
		if s.find != nil {
			cands = s.find(s, mc)
		} else {
			cands = s.collect(mc)
		}
		if len(cands) > 0 {
			used = mc
			break
		}
		if !s.r.policy.MatterFallback || mc.Parent() == "" {
			used = ""
			break
		}
		s.stepText(RuleMatterFallback, "", "nobody at "+string(s.req.Place)+" is responsible for "+string(mc)+" "+
			d.matters[d.matterIdx[mc]].Name+": falling back to its parent matter "+string(mc.Parent()))
	}
	if len(cands) == 0 {
		return s.fallback(m)
	}
	what := string(used) + " " + d.matters[d.matterIdx[used]].Name
	if len(cands) == 1 {
		s.stepText(RuleStatutory, artStatutory, s.name(cands[0].unit)+" is responsible for "+what+" and covers "+string(s.req.Place))
		return outcome{mode: DispatchStatutory, lead: cands[0].unit, used: used}
	}
	s.stepText(RuleStatutory, artStatutory, strconv.Itoa(len(cands))+" units responsible for "+what+" cover "+
		string(s.req.Place)+": "+s.names(cands))

	if s.r.policy.SectorLineFirst {
		cands = s.preferLine(cands, mat)
		cands = s.narrowest(cands)
	} else {
		cands = s.narrowest(cands)
		cands = s.preferLine(cands, mat)
	}
	if len(cands) == 1 {
		s.stepText(RuleStatutory, artStatutory, s.name(cands[0].unit)+" handles "+string(m))
		return outcome{mode: DispatchStatutory, lead: cands[0].unit, used: used}
	}
	units := make([]int32, len(cands))
	for i, c := range cands {
		units[i] = c.unit
	}
	if !s.r.policy.JointHandling {
		s.step(RuleDispute, artDispute, "%d units are equally competent (%s) and the policy does not allow joint handling", len(cands), s.names(cands))
		return outcome{dispute: true, candidates: units, used: used}
	}
	lead, why := s.pickLead(units, mat)
	if lead < 0 {
		s.step(RuleDispute, artDispute, "%d units are equally competent (%s) and none can be chosen to lead: %s", len(cands), s.names(cands), why)
		return outcome{dispute: true, candidates: units, used: used}
	}
	var co []int32
	for _, u := range units {
		if u != lead {
			co = append(co, u)
		}
	}
	s.step(RuleJoint, artJoint, "%d units are competent for %s at the same area: %s leads (%s), the others co-handle", len(cands), m, s.name(lead), why)
	return outcome{mode: DispatchNegotiated, lead: lead, co: co, used: used}
}

func (s *route) names(cands []cand) string {
	var b strings.Builder
	for i, c := range cands {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.name(c.unit))
	}
	return b.String()
}

// collect returns the units responsible for exactly mc whose areas contain
// the place, narrowest area first, skipping excluded units and units that do
// not handle the request's kind.
func (s *route) collect(mc MatterCode) []cand {
	d := s.d
	mid := d.matterIdx[mc]
	var out []cand
	var seen []int32
	for _, rid := range s.chain[:s.chainLen] {
		ps := d.responsible(mid, rid)
		if len(ps) == 0 {
			continue
		}
		depth := int(d.tree.entries[rid].codeLen)
		for _, p := range ps {
			u := p.unit
			if slices.Contains(seen, u) {
				continue // already found through a narrower area
			}
			seen = append(seen, u)
			out = s.admit(out, u, depth, mc)
		}
	}
	return out
}

// admit appends unit u, found at an area of the given depth, to out unless it
// is excluded or does not handle the request's kind (noting why in the trail).
func (s *route) admit(out []cand, u int32, depth int, mc MatterCode) []cand {
	if s.isExcluded(u) {
		if !slices.Contains(s.noted, u) {
			s.noted = append(s.noted, u)
			s.step(RuleExcluded, artReturned, "%s is responsible for %s but excluded", s.name(u), mc)
		}
		return out
	}
	if k := s.d.kinds[u]; k != 0 && s.kindBit != 0 && k&s.kindBit == 0 {
		s.step(RuleKind, artResponsible, "%s does not handle %s (%s) requests", s.name(u), s.req.Kind, s.req.Kind.Label())
		return out
	}
	return append(out, cand{unit: u, depth: depth})
}

// preferLine keeps the units of the matter's sector line for a sector-line
// matter, or the territorial bodies (no line) for a territorial matter, if
// there are any.
func (s *route) preferLine(cands []cand, mat Matter) []cand {
	if len(cands) < 2 {
		return cands
	}
	var keep []cand
	var rule Rule
	var article, what string
	if mat.Kind == MatterSectorLine {
		rule, article = RuleSectorLineFirst, artLineFirst
		what = "the units of its sector line"
		if mat.Line != "" {
			what = "the units of the " + mat.Line + " line"
		}
		for _, c := range cands {
			if l := s.d.units[c.unit].Line; l != "" && (mat.Line == "" || l == mat.Line) {
				keep = append(keep, c)
			}
		}
	} else {
		rule, article = RuleTerritorialFirst, artNarrowest
		what = "territorial bodies"
		for _, c := range cands {
			if s.d.units[c.unit].Line == "" {
				keep = append(keep, c)
			}
		}
	}
	if len(keep) == 0 || len(keep) == len(cands) {
		return cands
	}
	s.stepText(rule, article, string(mat.Code)+" is a "+mat.Kind.String()+" ("+mat.Kind.Label()+") matter, so "+what+
		" come first: "+s.names(keep)+" kept")
	return keep
}

// narrowest keeps the units whose area most narrowly contains the place.
func (s *route) narrowest(cands []cand) []cand {
	if len(cands) < 2 {
		return cands
	}
	depth := 0
	for _, c := range cands {
		depth = max(depth, c.depth)
	}
	var keep []cand
	for _, c := range cands {
		if c.depth == depth {
			keep = append(keep, c)
		}
	}
	if len(keep) < len(cands) {
		s.stepText(RuleNarrowestArea, artNarrowest, "the narrowest area containing "+string(s.req.Place)+" is "+
			string(s.req.Place[:depth])+" ("+s.req.Place[:depth].Level().Label()+"): "+s.names(keep)+" kept")
	}
	return keep
}

// pickLead picks the lead unit among equally competent units: the single
// unit of the matter's line for a sector-line matter; for a territorial
// matter the single territorial government, else the single territorial
// body. It returns -1 if there is no single one.
func (s *route) pickLead(units []int32, mat Matter) (int32, string) {
	one := func(pred func(u *Unit) bool) int32 {
		found := int32(-1)
		for _, i := range units {
			if pred(&s.d.units[i]) {
				if found >= 0 {
					return -2
				}
				found = i
			}
		}
		return found
	}
	if mat.Kind == MatterSectorLine {
		i := one(func(u *Unit) bool { return u.Line != "" && (mat.Line == "" || u.Line == mat.Line) })
		switch {
		case i >= 0:
			return i, "the unit of the matter's sector line leads, 以条为主"
		case i == -2:
			return -1, "several units belong to the matter's sector line"
		}
		return -1, "none belongs to the matter's sector line"
	}
	if i := one(func(u *Unit) bool { return u.Territorial }); i >= 0 {
		return i, "the territorial government leads a territorial matter"
	}
	switch i := one(func(u *Unit) bool { return u.Line == "" }); {
	case i >= 0:
		return i, "the territorial body leads a territorial matter"
	case i == -2:
		return -1, "several territorial bodies share the matter"
	}
	return -1, "no territorial body among them"
}

// fallback hands a matter nobody is competent for to the territorial
// government of the place at the policy's fallback level or above.
func (s *route) fallback(m MatterCode) outcome {
	d := s.d
	lvl := s.r.policy.FallbackLevel
	for _, rid := range s.chain[:s.chainLen] {
		p := d.tree.code(rid)
		if lvl.Broader(p.Level()) {
			continue
		}
		u, ok := d.terr[rid]
		if !ok {
			continue
		}
		if s.isExcluded(u) {
			if !slices.Contains(s.noted, u) {
				s.noted = append(s.noted, u)
				s.stepText(RuleExcluded, artReturned, s.name(u)+", the territorial government of "+string(p)+", is excluded")
			}
			continue
		}
		art := artFallback
		if p.Level().Digits() >= LevelTown.Digits() {
			art = artFallbackTown
		}
		s.stepText(RuleFallback, art, "no unit is competent for "+string(m)+" at "+string(s.req.Place)+": "+
			s.name(u)+", the territorial government of "+string(p)+", takes it")
		return outcome{mode: DispatchFallback, lead: u}
	}
	s.step(RuleDispute, artDispute, "no unit is competent for %s at %s and no territorial government at %s level or above is available",
		m, s.req.Place, lvl.Label())
	return outcome{dispute: true}
}
