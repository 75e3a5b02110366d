package routing

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	baogang1  RegionCode = "310113003001" // 宝钢一村居委会, 友谊路街道
	youyilu   RegionCode = "310113003"    // 友谊路街道
	hefeng    RegionCode = "310113007001" // 和丰居委会, 吴淞街道
	sanxing   RegionCode = "310113501201" // 三星村村委会, 宝山工业园区 (no town government)
	baoshan   RegionCode = "310113"
	xuhuiDist RegionCode = "310104" // 徐汇区: in the tree, nobody in the fixture covers it
)

func matters(codes ...MatterCode) []MatterCode { return codes }

// hasRule reports whether the trail has a step of the rule citing article.
func hasRule(d Decision, rule Rule, article string) bool {
	return slices.ContainsFunc(d.Trail, func(s Step) bool {
		return s.Rule == rule && strings.Contains(s.Article, article)
	})
}

type routeCase struct {
	name      string
	policy    func() Policy // Shanghai if nil
	req       Request
	mode      DispatchMode
	lead      string
	co        []string
	cands     []string
	authority string
	rule      Rule   // a rule the trail must contain
	article   string // …citing this article
	supervise bool
}

func runRouteCases(t *testing.T, dir *Directory, tests []routeCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Shanghai
			if tt.policy != nil {
				p = tt.policy
			}
			d, err := newRouter(t, dir, p()).Route(tt.req)
			require.NoError(t, err)
			trail, _ := json.MarshalIndent(d.Trail, "", "  ")
			assert.Equal(t, tt.mode, modeOf(d), "%s", trail)
			assert.Equal(t, tt.lead, d.Lead, "%s", trail)
			assert.Equal(t, tt.co, d.CoHandling, "%s", trail)
			assert.Equal(t, tt.cands, d.Candidates, "%s", trail)
			assert.Equal(t, tt.authority, d.Authority, "%s", trail)
			assert.Equal(t, tt.supervise, d.Supervise, "%s", trail)
			if tt.rule != "" {
				assert.True(t, hasRule(d, tt.rule, tt.article), "trail lacks %s citing %q: %s", tt.rule, tt.article, trail)
			}
			assert.NotEmpty(t, d.Trail, "every decision explains itself")
			for _, s := range d.Trail {
				assert.NotEmpty(t, s.Detail)
			}
		})
	}
}

func TestRoutePrinciples(t *testing.T) {
	dir := loadDirectory(t)
	runRouteCases(t, dir, []routeCase{
		{
			// 000 §4 (二) 指定谁、谁办理: a designation overrides the statutory unit.
			name: "000 §4 (二) designated",
			req: Request{Place: baogang1, Matters: matters("020101"),
				Designation: &Designation{Lead: "yy-sqglb", By: "分管领导", Reason: "联合整治"}},
			mode: DispatchDesignated, lead: "yy-sqglb", rule: RuleDesignated, article: "000 §4 (二) 指定谁、谁办理",
		},
		{
			// 004 §12 (一): the joint meeting 指定主办责任单位和相关协办单位.
			name: "004 §12 (一) designated lead and co-handling units",
			req: Request{Place: baogang1, Matters: matters("0302"),
				Designation: &Designation{Lead: "yy-fgb", CoHandling: []string{"yy-pab", "yy-bg1", "yy-fgb", "yy-pab"}, By: "热线专题会"}},
			mode: DispatchDesignated, lead: "yy-fgb", co: []string{"yy-pab", "yy-bg1"}, rule: RuleDesignated, article: "004 §12 (一)",
		},
		{
			// 000 §4 (二) 谁主管、谁负责, with the catalogue's level-3 → level-2 fallback:
			// nobody answers for 020101 itself; the street's 市场监管所 answers for 0201.
			name: "000 §4 (二) statutory via parent matter",
			req:  Request{Place: baogang1, Matters: matters("020101")},
			mode: DispatchStatutory, lead: "yy-scjgs", rule: RuleMatterFallback,
		},
		{
			// Without MatterFallback only the exact code counts: nobody lists
			// 020101, so the district takes it (000 §4 (二) 各区托底).
			name: "exact matters only: fallback",
			policy: func() Policy {
				p := Shanghai()
				p.MatterFallback = false
				return p
			},
			req:  Request{Place: baogang1, Matters: matters("020101")},
			mode: DispatchFallback, lead: "bs-gov", rule: RuleFallback, article: "000 §4 (二) 各区托底",
		},
		{
			// 002 §6 属地管理优先: the district bureau, not the city bureau, for a
			// place in the district (both answer for 02 市场监管).
			name: "002 §6 narrowest area: district bureau over city bureau",
			req:  Request{Place: baogang1, Matters: matters("020201")},
			mode: DispatchStatutory, lead: "bs-scjgj", rule: RuleNarrowestArea, article: "002 §6 属地管理优先",
		},
		{
			// 000 §4 (二) 条块结合、以条为主: 物业服务质量 is a 住房 line matter; the
			// district 房管局 (line) comes before the residents' committee (block).
			name: "000 §4 (二) sector line first",
			req:  Request{Place: baogang1, Matters: matters("030101")},
			mode: DispatchStatutory, lead: "bs-fgj", rule: RuleSectorLineFirst, article: "000 §4 (二) 条块结合、以条为主",
		},
		{
			// 002 §6 属地管理优先 as Hebi's policy: the narrowest area first, so the
			// residents' committee takes the same 物业 case.
			name:   "002 §6 territory first (Hebi policy)",
			policy: Hebi,
			req:    Request{Place: baogang1, Matters: matters("030101")},
			mode:   DispatchStatutory, lead: "yy-bg1", rule: RuleNarrowestArea, article: "002 §6",
		},
		{
			// 000 §4 (二) 以条为主: 生活垃圾分类 goes to the district 绿化市容局
			// (line) rather than the street's 社区管理办 (block)…
			name: "000 §4 (二) waste sorting to the line bureau",
			req:  Request{Place: baogang1, Matters: matters("0402")},
			mode: DispatchStatutory, lead: "bs-lhsrj", rule: RuleSectorLineFirst,
		},
		{
			// …while under 002 §6 属地管理优先 the street office nearer the place takes it.
			name:   "002 §6 waste sorting to the street office (Hebi policy)",
			policy: Hebi,
			req:    Request{Place: baogang1, Matters: matters("0402")},
			mode:   DispatchStatutory, lead: "yy-sqglb", rule: RuleNarrowestArea,
		},
		{
			// 002 §6 属地管理优先 for a territorial matter: the residents' committee,
			// not the street's 平安办, for a dispute between neighbours in it.
			name: "002 §6 neighbours' dispute to the residents' committee",
			req:  Request{Place: baogang1, Matters: matters("0702")},
			mode: DispatchStatutory, lead: "yy-bg1", rule: RuleNarrowestArea,
		},
		{
			// The same matter raised for the street as a whole: 平安办.
			name: "004 §6 street-wide dispute to 平安办",
			req:  Request{Place: youyilu, Matters: matters("0702")},
			mode: DispatchStatutory, lead: "yy-pab", rule: RuleStatutory, article: "004 §6 按照法定职责分工",
		},
		{
			// 004 §6 工单诉求复杂、牵涉面广的，经多方商定后进行联合处置: street and
			// 社区管理办 both answer for 居住区环境综合整治; the territorial
			// government leads.
			name: "004 §6 negotiated: territorial government leads",
			req:  Request{Place: youyilu, Matters: matters("0701")},
			mode: DispatchNegotiated, lead: "yy-gov", co: []string{"yy-sqglb"}, rule: RuleJoint, article: "004 §6 经多方商定",
		},
		{
			// 002 §6 (二) 1 (4) 协办: a request spanning a neighbours' dispute and a
			// water cut is a joint case; the unit of the main matter leads.
			name: "002 §6 (二) joint case across matters",
			req:  Request{Place: baogang1, Matters: matters("0702", "080102")},
			mode: DispatchNegotiated, lead: "yy-bg1", co: []string{"sh-water"}, rule: RuleJoint, article: "002 §6 (二) 1 (4) 协办",
		},
		{
			// Two matters, one unit: no joint case.
			name: "two matters of one unit",
			req:  Request{Place: baogang1, Matters: matters("0702", "0703")},
			mode: DispatchStatutory, lead: "yy-bg1",
		},
		{
			// 000 §11 公用事业单位参照本办法执行: a power cut goes to the utility.
			name: "000 §11 public utility",
			req:  Request{Place: hefeng, Matters: matters("080201")},
			mode: DispatchStatutory, lead: "sh-power",
		},
		{
			// 000 §4 (二) 各区托底: nobody answers for 其他诉求; the district takes it.
			name: "000 §4 (二) district fallback",
			req:  Request{Place: baogang1, Matters: matters("0901")},
			mode: DispatchFallback, lead: "bs-gov", rule: RuleFallback, article: "000 §4 (二) 各区托底",
		},
		{
			// 004 §15 (一) 2 受理"托底"事项: under the street policy the street takes it.
			name:   "004 §15 street fallback",
			policy: StreetHotline,
			req:    Request{Place: baogang1, Matters: matters("0901")},
			mode:   DispatchFallback, lead: "yy-gov", rule: RuleFallback, article: "004 §15",
		},
		{
			// 宝山工业园区 has no town government: the street policy's fallback
			// moves up to the district (000 §4 (二) 各区托底).
			name:   "000 §4 (二) fallback moves up where no town government exists",
			policy: StreetHotline,
			req:    Request{Place: sanxing, Matters: matters("0901")},
			mode:   DispatchFallback, lead: "bs-gov", rule: RuleFallback, article: "000 §4 (二) 各区托底",
		},
		{
			// 000 §4 (二) 对争议事项，由热线管理办公室指定转送: in 徐汇区 the fixture has
			// no territorial government, so nobody can be chosen.
			name: "000 §4 (二) no fallback: needs designation",
			req:  Request{Place: xuhuiDist, Matters: matters("0901")},
			mode: needsDesignation, rule: RuleDispute, article: "000 §4 (二) 对争议事项",
		},
		{
			// Joint handling disabled: the 0701 tie goes to the designating
			// authority both units share in the fixture, the street's 热线办,
			// which submits it to the leader in charge (004 §6 上报分管领导，由
			// 分管领导指定处置单位).
			name: "004 §6 tie without joint handling needs designation",
			policy: func() Policy {
				p := Shanghai()
				p.JointHandling = false
				return p
			},
			req:  Request{Place: youyilu, Matters: matters("0701")},
			mode: needsDesignation, cands: []string{"yy-gov", "yy-sqglb"}, authority: "yy-hotline",
			rule: RuleDispute, article: "004 §6 处置单位不明的",
		},
		{
			// Caller exclusions are honoured: without the district bureau, the city bureau.
			name: "excluded unit is never chosen",
			req:  Request{Place: baogang1, Matters: matters("020201"), Exclude: []string{"bs-scjgj"}},
			mode: DispatchStatutory, lead: "sh-scjgj", rule: RuleExcluded,
		},
	})
}

// 004 §6 工单诉求复杂、处置单位不明的 … 由分管领导指定: two units of the same line
// at the same area are a tie the rules cannot break.
func TestRouteTieNeedsDesignation(t *testing.T) {
	ms, us := loadFixture(t)
	us = append(us, Unit{ID: "yy-scjgs2", Name: "友谊路市场监管所第二组", Kind: UnitFunctionalDepartment,
		Parent: "bs-scjgj", Line: "市场监管", Areas: []RegionCode{youyilu}, Matters: []MatterCode{"0201"}, Authority: "yy-hotline"})
	dir, err := NewDirectory(loadTree(t), ms, us)
	require.NoError(t, err)
	runRouteCases(t, dir, []routeCase{{
		name: "004 §6 two market units of one street",
		req:  Request{Place: baogang1, Matters: matters("020102")},
		mode: needsDesignation, cands: []string{"yy-scjgs", "yy-scjgs2"}, authority: "yy-hotline",
		rule: RuleDispute, article: "004 §6",
	}, {
		// With a designating authority set by policy and none shared, the
		// policy's default decides: the two 市场监管所 share 热线办, so it stays.
		name: "004 §6 tie, designation resolves it",
		req: Request{Place: baogang1, Matters: matters("020102"),
			Designation: &Designation{Lead: "yy-scjgs2", By: "yy-hotline"}},
		mode: DispatchDesignated, lead: "yy-scjgs2",
	}, {
		// A multi-matter request with a disputed matter needs designation as a whole.
		name: "joint case with a disputed matter",
		req:  Request{Place: baogang1, Matters: matters("0702", "020102")},
		mode: needsDesignation, cands: []string{"yy-scjgs", "yy-scjgs2", "yy-bg1"}, authority: "yy-hotline",
		rule: RuleDispute,
	}})
}

func TestRouteReturns(t *testing.T) {
	dir := loadDirectory(t)
	withDefault := func() Policy {
		p := Shanghai()
		p.DefaultAuthority = "sh-office"
		return p
	}
	withObjection := func() Policy {
		p := Shanghai()
		p.ObjectionAuthority = "sh-office"
		return p
	}
	runRouteCases(t, dir, []routeCase{
		{
			// 000 §7 (二): an upheld objection returns the ticket with a suggested
			// unit; 12345 re-dispatches it there.
			name: "000 §7 (二) upheld return goes to the suggested unit",
			req: Request{Place: baogang1, Matters: matters("010201"), Kind: KindReview,
				Returns: []Return{{Unit: "sh-dsjzx", SuggestedUnit: "bs-xzfwzx", Reason: "窗口办理问题，非平台故障", Upheld: true}}},
			mode: DispatchStatutory, lead: "bs-xzfwzx", rule: RuleSuggestedUnit, article: "000 §7 (二)",
		},
		{
			// 000 §7 (二) "建议承办单位"如提出异议，由市政府办公厅指定办理: the suggested
			// unit objects in turn; the lowest authority both share is the city office.
			// The ticket went back and forth: buck-passing (004 §12 (二) 1).
			name: "000 §7 (二) suggested unit objects: city office designates",
			req: Request{Place: baogang1, Matters: matters("010201"), Kind: KindReview,
				Returns: []Return{
					{Unit: "sh-dsjzx", SuggestedUnit: "bs-xzfwzx", Upheld: true},
					{Unit: "bs-xzfwzx", SuggestedUnit: "sh-dsjzx", Upheld: true},
				}},
			mode: needsDesignation, cands: []string{"sh-dsjzx", "bs-xzfwzx"}, authority: "sh-office",
			rule: RuleSuggestedObjects, article: "由市政府办公厅指定办理", supervise: true,
		},
		{
			// 000 §7 (二) 由市政府办公厅指定办理 whichever units object: two district
			// bureaus share the district hotline office as their authority, but
			// a policy naming 市政府办公厅 as the objection authority sends the
			// case there.
			name:   "000 §7 (二) suggested unit objects: the policy's objection authority designates",
			policy: withObjection,
			req: Request{Place: baogang1, Matters: matters("020201"),
				Returns: []Return{
					{Unit: "bs-scjgj", SuggestedUnit: "bs-fgj", Upheld: true},
					{Unit: "bs-fgj", SuggestedUnit: "bs-scjgj", Upheld: true},
				}},
			mode: needsDesignation, cands: []string{"bs-scjgj", "bs-fgj"}, authority: "sh-office",
			rule: RuleSuggestedObjects, article: "由市政府办公厅指定办理", supervise: true,
		},
		{
			// Without an objection authority in the policy, the lowest
			// designating authority both units share decides.
			name: "000 §7 (二) suggested unit objects, no objection authority: shared authority",
			req: Request{Place: baogang1, Matters: matters("020201"),
				Returns: []Return{
					{Unit: "bs-scjgj", SuggestedUnit: "bs-fgj", Upheld: true},
					{Unit: "bs-fgj", SuggestedUnit: "bs-scjgj", Upheld: true},
				}},
			mode: needsDesignation, cands: []string{"bs-scjgj", "bs-fgj"}, authority: "bs-hotline",
			rule: RuleSuggestedObjects, supervise: true,
		},
		{
			// 000 §7 (二): only a return whose objection was upheld 注明"建议承办单位";
			// a suggestion in a return not upheld sent the ticket nowhere, so a
			// later return by that unit is no objection by a suggested unit. Its
			// own upheld return names bs-scjgj, which gets the ticket back; the
			// two units passed it between them twice (004 §12 (二) 1).
			name:   "000 §7 (二) suggestion of a return not upheld: no escalation",
			policy: withObjection,
			req: Request{Place: baogang1, Matters: matters("020201"),
				Returns: []Return{
					{Unit: "bs-scjgj", SuggestedUnit: "bs-fgj", Upheld: false},
					{Unit: "bs-fgj", SuggestedUnit: "bs-scjgj", Upheld: true},
				}},
			mode: DispatchStatutory, lead: "bs-scjgj", rule: RuleSuggestedUnit, article: "000 §7 (二)", supervise: true,
		},
		{
			// The objection of the suggested unit goes to designation even if it
			// was not upheld (000 §7 (二) 如提出异议).
			name: "000 §7 (二) suggested unit's objection, not upheld, still escalates",
			req: Request{Place: baogang1, Matters: matters("010201"),
				Returns: []Return{
					{Unit: "sh-dsjzx", SuggestedUnit: "bs-xzfwzx", Upheld: true},
					{Unit: "bs-xzfwzx"},
				}},
			mode: needsDesignation, cands: []string{"sh-dsjzx", "bs-xzfwzx"}, authority: "sh-office",
			rule: RuleSuggestedObjects,
		},
		{
			// 000 §7 (二) 复核认定异议理由成立的 — only then: an objection that was
			// not upheld leaves the unit in charge.
			name: "000 §7 (二) return not upheld",
			req: Request{Place: baogang1, Matters: matters("020201"),
				Returns: []Return{{Unit: "bs-scjgj", SuggestedUnit: "yy-scjgs", Upheld: false}}},
			mode: DispatchStatutory, lead: "bs-scjgj", rule: RuleReturnNotUpheld, article: "000 §7 (二)",
		},
		{
			// 000 §7 (二) 作退单处理: an upheld return without a suggested unit;
			// the rules run again without the returning unit. (004 §7, the
			// street's 退单 of matters outside the street to the district
			// hotline office, is a return upstream, not a re-dispatch.)
			name: "000 §7 (二) upheld return without suggestion: next competent unit",
			req: Request{Place: baogang1, Matters: matters("020201"),
				Returns: []Return{{Unit: "bs-scjgj", Upheld: true}}},
			mode: DispatchStatutory, lead: "sh-scjgj", rule: RuleReturned, article: "000 §7 (二)",
		},
		{
			// A policy that does not follow suggestions records them only.
			name: "suggestion not followed by policy",
			policy: func() Policy {
				p := Shanghai()
				p.FollowSuggestedUnit = false
				return p
			},
			req: Request{Place: baogang1, Matters: matters("020201"),
				Returns: []Return{{Unit: "bs-scjgj", SuggestedUnit: "yy-sqglb", Upheld: true}}},
			mode: DispatchStatutory, lead: "sh-scjgj",
		},
		{
			// An excluded suggested unit is not followed.
			name: "excluded suggested unit",
			req: Request{Place: baogang1, Matters: matters("020201"), Exclude: []string{"yy-sqglb"},
				Returns: []Return{{Unit: "bs-scjgj", SuggestedUnit: "yy-sqglb", Upheld: true}}},
			mode: DispatchStatutory, lead: "sh-scjgj", rule: RuleSuggestedUnit,
		},
		{
			// The fallback government returned it: no territorial government is
			// left, the policy's default authority designates.
			name:   "000 §4 (二) fallback excluded: default authority",
			policy: withDefault,
			req: Request{Place: baogang1, Matters: matters("0901"),
				Returns: []Return{{Unit: "bs-gov", Upheld: true}}},
			mode: needsDesignation, authority: "sh-office", rule: RuleDispute,
		},
		{
			// 004 §12 (一) 职责不清 … 管辖争议: after the policy's maximum of returns
			// (3 under 000's preset) the authority designates; the units' shared
			// authority is the district hotline office.
			name: "004 §12 (一) too many returns",
			req: Request{Place: baogang1, Matters: matters("020201"),
				Returns: []Return{{Unit: "bs-scjgj", Upheld: true}, {Unit: "bs-fgj", Upheld: true}, {Unit: "bs-jgw", Upheld: true}}},
			mode: needsDesignation, cands: []string{"bs-scjgj", "bs-fgj", "bs-jgw"}, authority: "bs-hotline",
			rule: RuleTooManyReturns, article: "004 §12 (一)",
		},
		{
			// 004 §12 (二) 1 工单派发出现推诿情况: the street policy flags a pair that
			// returned the ticket to each other twice, and escalates after 2 returns.
			name:   "004 §12 (二) 1 buck-passing between two street offices",
			policy: StreetHotline,
			req: Request{Place: youyilu, Matters: matters("0702"),
				Returns: []Return{{Unit: "yy-pab", SuggestedUnit: "yy-zzb", Upheld: false}, {Unit: "yy-pab", SuggestedUnit: "yy-zzb", Upheld: false}}},
			mode: needsDesignation, cands: []string{"yy-pab"}, authority: "yy-hotline",
			rule: RuleBuckPassing, article: "004 §12 (二) 1", supervise: true,
		},
		{
			// 000 §4 (二) 指定谁、谁办理 after a dispute: the designation settles it.
			name: "000 §7 (二) designation after the suggested unit objected",
			req: Request{Place: baogang1, Matters: matters("010201"),
				Designation: &Designation{Lead: "bs-xzfwzx", By: "sh-office"},
				Returns: []Return{
					{Unit: "sh-dsjzx", SuggestedUnit: "bs-xzfwzx", Upheld: true},
					{Unit: "bs-xzfwzx", SuggestedUnit: "sh-dsjzx", Upheld: false},
				}},
			mode: DispatchDesignated, lead: "bs-xzfwzx", rule: RuleDesignated, supervise: true,
		},
		{
			// A designated unit whose return was upheld cannot be designated
			// again by the same designation: a new one is needed.
			name: "designated unit returned: designate again",
			req: Request{Place: baogang1, Matters: matters("010201"),
				Designation: &Designation{Lead: "bs-xzfwzx", CoHandling: []string{"sh-dsjzx"}},
				Returns:     []Return{{Unit: "bs-xzfwzx", Upheld: true}}},
			mode: needsDesignation, cands: []string{"bs-xzfwzx"}, authority: "bs-hotline", rule: RuleDispute,
		},
		{
			// Excluded co-handling units of a designation are left out.
			name: "designated co-handling unit excluded",
			req: Request{Place: baogang1, Matters: matters("010201"),
				Designation: &Designation{Lead: "bs-xzfwzx", CoHandling: []string{"sh-dsjzx"}},
				Exclude:     []string{"sh-dsjzx"}},
			mode: DispatchDesignated, lead: "bs-xzfwzx", rule: RuleDesignated,
		},
	})
}

// 002 §4 负责本单位职责范围内咨询、投诉、建议的处理: a unit that handles only some
// request kinds is skipped for others.
func TestRouteKinds(t *testing.T) {
	dir := loadDirectory(t)
	runRouteCases(t, dir, []routeCase{
		{
			name: "002 §4 complaint about a window in 吴淞",
			req:  Request{Place: hefeng, Matters: matters("010101"), Kind: KindComplaint},
			mode: DispatchStatutory, lead: "bs-xzfwzx",
		},
		{
			name: "002 §4 suggestion the service centre does not take",
			req:  Request{Place: hefeng, Matters: matters("010101"), Kind: KindSuggestion},
			mode: DispatchFallback, lead: "bs-gov", rule: RuleKind, article: "002 §4",
		},
		{
			name: "kind not given matches every unit",
			req:  Request{Place: hefeng, Matters: matters("010101")},
			mode: DispatchStatutory, lead: "bs-xzfwzx",
		},
	})
}

func TestCountBounces(t *testing.T) {
	got := CountBounces([]Return{
		{Unit: "a", SuggestedUnit: "b"},
		{Unit: "b", SuggestedUnit: "a"},
		{Unit: "c", SuggestedUnit: "a"},
		{Unit: "a", SuggestedUnit: "b"},
		{Unit: "d"},                     // no suggested unit: no pair
		{Unit: "e", SuggestedUnit: "e"}, // nonsense self-suggestion ignored
	})
	assert.Equal(t, []Bounce{{A: "a", B: "b", Count: 3}, {A: "a", B: "c", Count: 1}}, got)
	assert.Empty(t, CountBounces(nil))
}

func TestRouteBouncesReported(t *testing.T) {
	dir := loadDirectory(t)
	p := Shanghai()
	p.BuckPassingBounces = 0 // counts still reported
	p.MaxReturns = 0
	d, err := newRouter(t, dir, p).Route(Request{Place: baogang1, Matters: matters("020201"),
		Returns: []Return{{Unit: "bs-scjgj", SuggestedUnit: "sh-scjgj"}}})
	require.NoError(t, err)
	assert.Equal(t, 1, d.Returns)
	assert.Equal(t, []Bounce{{A: "bs-scjgj", B: "sh-scjgj", Count: 1}}, d.Bounces)
	assert.False(t, d.Supervise)
}

func TestRouteErrors(t *testing.T) {
	dir := loadDirectory(t)
	r := newRouter(t, dir, Shanghai())
	tests := []struct {
		name  string
		req   Request
		want  error
		field string
	}{
		{"malformed place", Request{Place: "3101130030", Matters: matters("0702")}, ErrInvalidCode, "place"},
		{"unknown place", Request{Place: "310113003999", Matters: matters("0702")}, ErrUnknownRegion, "place"},
		{"no matters", Request{Place: baogang1}, ErrInvalidField, "matters"},
		{"malformed matter", Request{Place: baogang1, Matters: matters("7")}, ErrInvalidCode, "matters[0]"},
		{"unknown matter", Request{Place: baogang1, Matters: matters("0799")}, ErrUnknownMatter, "matters[0]"},
		{"repeated matter", Request{Place: baogang1, Matters: matters("0702", "0702")}, ErrDuplicate, "matters[1]"},
		// The old wire value of 求助 is refused: routing and ticket share "help_request".
		{"bad kind", Request{Place: baogang1, Matters: matters("0702"), Kind: "help"}, ErrInvalidEnum, "kind"},
		{"unknown excluded unit", Request{Place: baogang1, Matters: matters("0702"), Exclude: []string{"nobody"}}, ErrUnknownUnit, "exclude[0]"},
		{"unknown returning unit", Request{Place: baogang1, Matters: matters("0702"), Returns: []Return{{Unit: "nobody"}}}, ErrUnknownUnit, "returns[0].unit"},
		{"unknown suggested unit", Request{Place: baogang1, Matters: matters("0702"), Returns: []Return{{Unit: "yy-bg1", SuggestedUnit: "nobody"}}}, ErrUnknownUnit, "returns[0].suggested_unit"},
		{"unknown designated unit", Request{Place: baogang1, Matters: matters("0702"), Designation: &Designation{Lead: "nobody"}}, ErrUnknownUnit, "designation.lead"},
		{"unknown designated co-handler", Request{Place: baogang1, Matters: matters("0702"), Designation: &Designation{Lead: "yy-bg1", CoHandling: []string{"nobody"}}}, ErrUnknownUnit, "designation.co_handling[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Route(tt.req)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidRequest)
			assert.ErrorIs(t, err, tt.want)
			var re *RowError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.field, re.Field)
		})
	}
}

func TestPolicyValidate(t *testing.T) {
	for _, p := range Presets() {
		assert.NoError(t, p.Validate(), p.Name)
		assert.NotEmpty(t, p.Version, p.Name)
		assert.NotEmpty(t, p.Label, p.Name)
		assert.NotEmpty(t, p.Source, p.Name)
		got, err := Preset(p.Name)
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	assert.Equal(t, []string{"shanghai", "hebi", "street-hotline"},
		[]string{Shanghai().Name, Hebi().Name, StreetHotline().Name})
	_, err := Preset("shanghai-000")
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "name", pe.Field)

	// 000 第四条 (二) 以条为主 vs 002 第六条 属地管理优先: the presets differ exactly there.
	assert.True(t, Shanghai().SectorLineFirst)
	assert.False(t, Hebi().SectorLineFirst)
	// 000 第四条 (二) 各区托底 vs 004 第十五条 the street's 托底.
	assert.Equal(t, LevelCounty, Shanghai().FallbackLevel)
	assert.Equal(t, LevelTown, StreetHotline().FallbackLevel)

	bad := Shanghai()
	bad.FallbackLevel = LevelVillage
	bad.MaxReturns = -1
	bad.BuckPassingBounces = -2
	err = bad.Validate()
	require.ErrorIs(t, err, ErrInvalidPolicy)
	for _, field := range []string{"fallback_level", "max_returns", "buck_passing_bounces"} {
		assert.Contains(t, err.Error(), field)
	}
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, PolicyError{Policy: "shanghai", Field: "fallback_level", Reason: `"village": want province, city, county or town`}, *pe)
	assert.EqualError(t, pe, `routing: policy "shanghai": fallback_level: "village": want province, city, county or town`)

	noName := Shanghai()
	noName.Name = ""
	require.ErrorAs(t, noName.Validate(), &pe)
	assert.Equal(t, "name", pe.Field)

	dir := loadDirectory(t)
	_, err = NewRouter(dir, bad)
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	p := Shanghai()
	p.DefaultAuthority = "nobody"
	_, err = NewRouter(dir, p)
	assert.ErrorIs(t, err, ErrInvalidPolicy)
	assert.ErrorIs(t, err, ErrUnknownUnit)
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "default_authority", pe.Field)
	p = Shanghai()
	p.ObjectionAuthority = "nobody"
	_, err = NewRouter(dir, p)
	assert.ErrorIs(t, err, ErrUnknownUnit)
	assert.ErrorContains(t, err, "objection_authority")
	_, err = NewRouter(nil, Shanghai())
	assert.ErrorIs(t, err, ErrNotBuilt)

	// Policies are plain data: JSON round trip.
	for _, p := range Presets() {
		b, err := json.Marshal(p)
		require.NoError(t, err)
		back, err := ParsePolicy(b)
		require.NoError(t, err)
		assert.Equal(t, p, back)
		back, err = ReadPolicy(bytes.NewReader(b))
		require.NoError(t, err)
		assert.Equal(t, p, back)
	}
	b, err := json.Marshal(StreetHotline())
	require.NoError(t, err)
	assert.Contains(t, string(b), `"fallback_level":"town"`)
}

func TestParsePolicy(t *testing.T) {
	p, err := ParsePolicy([]byte(`{"name": "宝山", "sector_line_first": true, "joint_handling": true,
		"fallback_level": "县级", "max_returns": 3, "objection_authority": "sh-office"}`))
	require.NoError(t, err)
	assert.Equal(t, LevelCounty, p.FallbackLevel, "Chinese labels are accepted")
	assert.Equal(t, "sh-office", p.ObjectionAuthority)

	tests := []struct {
		name, input string
		want        error
		field       string
	}{
		{"not JSON", `{`, ErrMalformed, ""},
		{"unknown field", `{"name": "x", "fallback_level": "county", "fallbak": true}`, ErrMalformed, "fallbak"},
		{"unknown level", `{"name": "x", "fallback_level": "district"}`, ErrInvalidEnum, "fallback_level"},
		{"missing level", `{"name": "x"}`, ErrInvalidPolicy, "fallback_level"},
		{"missing name", `{"fallback_level": "county"}`, ErrInvalidPolicy, "name"},
		{"village fallback", `{"name": "x", "fallback_level": "village"}`, ErrInvalidPolicy, "fallback_level"},
		{"negative returns", `{"name": "x", "fallback_level": "county", "max_returns": -1}`, ErrInvalidPolicy, "max_returns"},
		{"trailing data", `{"name": "x", "fallback_level": "county"} {}`, ErrMalformed, ""},
		{"duplicate key", `{"name": "x", "name": "y", "fallback_level": "county"}`, ErrMalformed, "name"},
		{"case-variant key", `{"Name": "x", "fallback_level": "county"}`, ErrMalformed, "Name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePolicy([]byte(tt.input))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidPolicy)
			assert.ErrorIs(t, err, tt.want)
			var pe *PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.field, pe.Field, "%v", err)
		})
	}
}

func TestDecisionJSON(t *testing.T) {
	dir := loadDirectory(t)
	d, err := newRouter(t, dir, Shanghai()).Route(Request{Place: youyilu, Matters: matters("0701")})
	require.NoError(t, err)
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"mode":"negotiated"`)
	assert.Contains(t, string(b), `"co_handling":["yy-sqglb"]`)
	var back Decision
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, d, back)
	assert.Equal(t, []string{"yy-gov", "yy-sqglb"}, d.Units())
	assert.Nil(t, Decision{NeedsDesignation: true}.Units())
	b, err = json.Marshal(Decision{NeedsDesignation: true, Candidates: []string{"a", "b"}})
	require.NoError(t, err)
	assert.NotContains(t, string(b), `"mode"`)
	assert.Contains(t, string(b), `"needs_designation":true`)
}
