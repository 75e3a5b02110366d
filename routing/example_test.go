package routing_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/hotline12345/hotline/routing"
)

// regionsCSV is a cut of the 2023 统计用区划代码 (testdata/SOURCE.md).
const regionsCSV = `code,name,parent_code,level
31,上海市,,province
3101,市辖区,31,city
310113,宝山区,3101,county
310113003,友谊路街道,310113,town
310113003001,宝钢一村居委会,310113003,village
310113003012,宝林一村居委会,310113003,village
310113007,吴淞街道,310113,town
`

const directoryJSON = `{
 "matters": [
  {"code": "02", "name": "市场监管", "kind": "sector_line", "line": "市场监管"},
  {"code": "0202", "name": "价格与消费维权"},
  {"code": "020201", "name": "价格欺诈"},
  {"code": "07", "name": "社区治理", "kind": "territorial"},
  {"code": "0701", "name": "居住区环境综合整治"},
  {"code": "0702", "name": "邻里纠纷"},
  {"code": "09", "name": "其他", "kind": "territorial"}
 ],
 "units": [
  {"id": "sh-office", "name": "上海市人民政府办公厅", "kind": "city_department", "areas": ["31"]},
  {"id": "sh-scjgj", "name": "上海市市场监督管理局", "kind": "市级部门", "line": "市场监管", "areas": ["31"], "matters": ["02"], "authority": "sh-office"},
  {"id": "bs-gov", "name": "宝山区人民政府", "kind": "区政府", "areas": ["310113"], "territorial": true, "authority": "sh-office"},
  {"id": "bs-scjgj", "name": "宝山区市场监督管理局", "kind": "职能部门", "parent": "bs-gov", "line": "市场监管", "areas": ["310113"], "matters": ["02"], "authority": "sh-office"},
  {"id": "yy-gov", "name": "友谊路街道办事处", "kind": "街镇", "parent": "bs-gov", "areas": ["310113003"], "territorial": true, "matters": ["0701"], "authority": "yy-hotline"},
  {"id": "yy-hotline", "name": "友谊路街道热线办", "kind": "职能部门", "parent": "yy-gov", "areas": ["310113003"], "authority": "bs-gov"},
  {"id": "yy-sqglb", "name": "友谊路街道社区管理办", "kind": "职能部门", "parent": "yy-gov", "areas": ["310113003"], "matters": ["0701"], "authority": "yy-hotline"},
  {"id": "yy-bg1", "name": "宝钢一村居委会", "kind": "居民区", "parent": "yy-gov", "areas": ["310113003001"], "matters": ["0702"], "authority": "yy-hotline"}
 ]
}`

func exampleRouter(p routing.Policy) *routing.Router {
	tree, err := routing.ReadRegions(strings.NewReader(regionsCSV))
	if err != nil {
		log.Fatal(err)
	}
	dir, err := routing.ReadDirectory(strings.NewReader(directoryJSON), tree)
	if err != nil {
		log.Fatal(err)
	}
	r, err := routing.NewRouter(dir, p)
	if err != nil {
		log.Fatal(err)
	}
	return r
}

func printDecision(d routing.Decision) {
	if d.NeedsDesignation {
		fmt.Printf("待指定 (needs designation) candidates=%v authority=%q\n", d.Candidates, d.Authority)
	} else {
		fmt.Printf("%s (%s) lead=%q co=%v\n", d.Mode.Label(), d.Mode, d.Lead, d.CoHandling)
	}
	for _, s := range d.Trail {
		fmt.Printf("  %s: %s\n", s.Rule, s.Detail)
	}
}

func ExampleReadRegions() {
	tree, err := routing.ReadRegions(strings.NewReader(regionsCSV))
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range tree.Ancestors("310113003001") {
		fmt.Println(r.Code, r.Name, r.Level.Label())
	}
	fmt.Println(tree.Contains("310113003", "310113003012"))
	// Output:
	// 31 上海市 省级
	// 3101 市辖区 地级
	// 310113 宝山区 县级
	// 310113003 友谊路街道 乡级
	// 310113003001 宝钢一村居委会 村级
	// true
}

func ExampleReadDirectory() {
	tree, _ := routing.ReadRegions(strings.NewReader(regionsCSV))
	dir, err := routing.ReadDirectory(strings.NewReader(directoryJSON), tree)
	if err != nil {
		log.Fatal(err)
	}
	u, _ := dir.Unit("yy-bg1")
	fmt.Println(u.Name, u.Kind.Label(), u.Level, u.Areas)
	m, _ := dir.Matter("020201")
	fmt.Println(m.Name, m.Kind.Label(), m.Line) // inherited from 02

	// A unit naming a parent that does not exist is refused, naming the row.
	bad := strings.Replace(directoryJSON, `"parent": "yy-gov", "areas": ["310113003001"]`, `"parent": "yy-nobody", "areas": ["310113003001"]`, 1)
	_, err = routing.ReadDirectory(strings.NewReader(bad), tree)
	fmt.Println(err)
	// Output:
	// 宝钢一村居委会 居民区 village [310113003001]
	// 价格欺诈 条线 市场监管
	// routing: units row 8 ("yy-bg1"): field parent = "yy-nobody": unknown parent: no unit has this ID
}

func ExampleReadUnitsCSV() {
	units, err := routing.ReadUnitsCSV(strings.NewReader(`id,name,kind,parent,areas,matters,territorial,authority
yy-pab,友谊路街道平安办,职能部门,yy-gov,310113003,0702,,yy-hotline
yy-bl1,宝林一村居委会,居民区,yy-gov,310113003012,0702|0701,否,yy-hotline
`))
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range units {
		fmt.Println(u.ID, u.Kind, u.Areas, u.Matters)
	}
	// Output:
	// yy-pab functional_department [310113003] [0702]
	// yy-bl1 residents_committee [310113003012] [0702 0701]
}

// 000 §4 (二) 谁主管、谁负责 and 002 §6 属地管理优先: both bureaus answer for 02
// 市场监管; the district's is nearer the place. The level-3 matter falls back
// to its level-1 category.
func ExampleRouter_Route() {
	r := exampleRouter(routing.Shanghai())
	d, err := r.Route(routing.Request{Place: "310113003001", Matters: []routing.MatterCode{"020201"}, Kind: routing.KindComplaint})
	if err != nil {
		log.Fatal(err)
	}
	printDecision(d)
	// Output:
	// 法定 (statutory) lead="bs-scjgj" co=[]
	//   matter_fallback: nobody at 310113003001 is responsible for 020201 价格欺诈: falling back to its parent matter 0202
	//   matter_fallback: nobody at 310113003001 is responsible for 0202 价格与消费维权: falling back to its parent matter 02
	//   statutory: 2 units responsible for 02 市场监管 cover 310113003001: 宝山区市场监督管理局 (bs-scjgj), 上海市市场监督管理局 (sh-scjgj)
	//   narrowest_area: the narrowest area containing 310113003001 is 310113 (县级): 宝山区市场监督管理局 (bs-scjgj) kept
	//   statutory: 宝山区市场监督管理局 (bs-scjgj) handles 020201
}

// 004 §6 经多方商定后进行联合处置: the street and its 社区管理办 both answer for
// 居住区环境综合整治; the territorial government leads.
func ExampleRouter_Route_negotiated() {
	r := exampleRouter(routing.StreetHotline())
	d, _ := r.Route(routing.Request{Place: "310113003", Matters: []routing.MatterCode{"0701"}})
	printDecision(d)
	// Output:
	// 商定 (negotiated) lead="yy-gov" co=[yy-sqglb]
	//   statutory: 2 units responsible for 0701 居住区环境综合整治 cover 310113003: 友谊路街道办事处 (yy-gov), 友谊路街道社区管理办 (yy-sqglb)
	//   joint: 2 units are competent for 0701 at the same area: 友谊路街道办事处 (yy-gov) leads (the territorial government leads a territorial matter), the others co-handle
}

// 000 §4 (二) 各区托底 under Shanghai's policy; the street takes it under the
// street's (004 §15).
func ExampleRouter_Route_fallback() {
	req := routing.Request{Place: "310113003012", Matters: []routing.MatterCode{"09"}}
	for _, p := range []routing.Policy{routing.Shanghai(), routing.StreetHotline()} {
		d, _ := exampleRouter(p).Route(req)
		fmt.Println(p.Name, d.Mode.Label(), d.Lead, d.Trail[len(d.Trail)-1].Article)
	}
	// Output:
	// shanghai 托底 bs-gov 000 §4 (二) 各区托底
	// street-hotline 托底 yy-gov 004 §15 (一) 2 受理"托底"事项
}

// 000 §7 (二): the district bureau returns the ticket naming the city bureau;
// the city bureau objects too, so the designating authority both share (here
// the city office) designates, and the ping-pong is flagged for supervision
// (004 §12 (二) 1).
func ExampleRouter_Route_returns() {
	r := exampleRouter(routing.Shanghai())
	d, _ := r.Route(routing.Request{
		Place:   "310113003001",
		Matters: []routing.MatterCode{"020201"},
		Returns: []routing.Return{
			{Unit: "bs-scjgj", SuggestedUnit: "sh-scjgj", Reason: "涉及全市性价格政策", Upheld: true},
			{Unit: "sh-scjgj", SuggestedUnit: "bs-scjgj", Reason: "属区级监管事权"},
		},
	})
	fmt.Println("needs designation:", d.NeedsDesignation, d.Candidates, "authority:", d.Authority, "supervise:", d.Supervise)
	fmt.Println(d.Bounces)
	// Output:
	// needs designation: true [bs-scjgj sh-scjgj] authority: sh-office supervise: true
	// [{bs-scjgj sh-scjgj 2}]
}

// 000 §4 (二) 指定谁、谁办理.
func ExampleRouter_Route_designated() {
	r := exampleRouter(routing.StreetHotline())
	d, _ := r.Route(routing.Request{
		Place:       "310113003001",
		Matters:     []routing.MatterCode{"0702"},
		Designation: &routing.Designation{Lead: "yy-sqglb", CoHandling: []string{"yy-bg1"}, By: "分管领导"},
	})
	printDecision(d)
	// Output:
	// 指定 (designated) lead="yy-sqglb" co=[yy-bg1]
	//   designated: designated to 友谊路街道社区管理办 (yy-sqglb) by 分管领导
	//   designated: designated co-handling unit 宝钢一村居委会 (yy-bg1)
}

// The presets, named for the documents they follow; a ticket records the
// name and version it was routed under.
func ExamplePresets() {
	for _, p := range routing.Presets() {
		fmt.Println(p.Name, p.Version, p.FallbackLevel.Label(), p.SectorLineFirst)
	}
	p, _ := routing.Preset("street-hotline")
	fmt.Println(p.Label)
	// Output:
	// shanghai 000-2020 县级 true
	// hebi 002-2020 县级 false
	// street-hotline 004 乡级 true
	// 友谊路街道“12345”市民服务热线派单
}

func ExampleCountBounces() {
	fmt.Println(routing.CountBounces([]routing.Return{
		{Unit: "yy-pab", SuggestedUnit: "yy-sqglb"},
		{Unit: "yy-sqglb", SuggestedUnit: "yy-pab"},
		{Unit: "yy-pab", SuggestedUnit: "yy-sqglb"},
	}))
	// Output:
	// [{yy-pab yy-sqglb 3}]
}

// A district keeps its policy as JSON. Under 000 §7 (二) "建议承办单位"如提出
// 异议，由市政府办公厅指定办理: objection_authority names the directory's
// 市政府办公厅.
func ExampleParsePolicy() {
	p, err := routing.ParsePolicy([]byte(`{
	  "name": "baoshan",
	  "sector_line_first": true,
	  "joint_handling": true,
	  "matter_fallback": true,
	  "fallback_level": "county",
	  "follow_suggested_unit": true,
	  "max_returns": 3,
	  "buck_passing_bounces": 2,
	  "objection_authority": "sh-office"
	}`))
	if err != nil {
		log.Fatal(err)
	}
	r := exampleRouter(p)
	d, _ := r.Route(routing.Request{
		Place:   "310113003001",
		Matters: []routing.MatterCode{"020201"},
		Returns: []routing.Return{
			{Unit: "bs-scjgj", SuggestedUnit: "sh-scjgj", Upheld: true},
			{Unit: "sh-scjgj", SuggestedUnit: "bs-scjgj"},
		},
	})
	fmt.Println(d.NeedsDesignation, d.Authority, d.Trail[len(d.Trail)-1].Detail)

	_, err = routing.ParsePolicy([]byte(`{"name": "baoshan", "fallback_level": "village"}`))
	fmt.Println(err)
	// Output:
	// true sh-office needs designation by 上海市人民政府办公厅 (sh-office)
	// routing: policy "baoshan": fallback_level: "village": want province, city, county or town
}

// A district's units exported as JSON read with the same checks as its CSV.
func ExampleReadUnitsJSON() {
	units, err := routing.ReadUnitsJSON(strings.NewReader(`{"units": [
  {"id": "yy-pab", "name": "友谊路街道平安办", "kind": "职能部门", "parent": "yy-gov", "areas": ["310113003"], "matters": ["0702"]},
  {"id": "yy-bl1", "name": "宝林一村居委会", "kind": "residents_committee", "areas": ["310113003012"]}
]}`))
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range units {
		fmt.Println(u.ID, u.Kind, u.Areas, u.Matters)
	}
	_, err = routing.ReadUnitsJSON(strings.NewReader(`{"units": [{"id": "yy-pab", "name": "平安办", "kind": "office"}]}`))
	fmt.Println(err != nil)
	// Output:
	// yy-pab functional_department [310113003] [0702]
	// yy-bl1 residents_committee [310113003012] []
	// true
}
