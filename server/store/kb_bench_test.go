package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotline12345/hotline/routing"
	"github.com/hotline12345/hotline/server/knowledge"
)

// benchEntries is the size of the knowledge base the search benchmark runs over.
const benchEntries = 100_000

// Synthetic knowledge: questions and answers assembled from the vocabulary of government-service
// work, deterministic (a fixed seed), so every database gets the same entries in the same order.
var (
	benchSubjects = strings.Fields(`居住证 身份证 户口 社保卡 医保 养老保险 公积金 营业执照 个体工商户 食品经营许可 ` +
		`结婚登记 出生登记 新生儿 残疾人证 低保 廉租房 公租房 不动产登记 房产证 租赁备案 车辆年检 驾驶证 ` +
		`出入境 护照 港澳通行证 学籍 入学 转学 积分 人才引进 落户 退休 失业金 工伤认定 劳动合同 欠薪 ` +
		`噪声 油烟 垃圾分类 违章停车 加装电梯 物业费 停水 停电 燃气 路灯 井盖 绿化 占道经营 流浪犬 ` +
		`违法建筑 装修 渗漏 电梯故障 消防通道 外卖 快递 网约车 出租车 公交 地铁 共享单车 充电桩 ` +
		`发票 税务登记 社保缴费 医疗费报销 异地就医 生育津贴 高温津贴 最低工资 职业培训 创业补贴`)
	benchVerbs = strings.Fields(`办理 申请 补办 换领 变更 注销 查询 投诉 咨询 续签 提取 转移 预约 缴纳 报销 核验 认定 ` +
		`受理 审批 登记 备案 迁移 领取 挂失`)
	benchWhere = strings.Fields(`社区事务受理服务中心 街道办事处 区政务服务中心 派出所 市场监管局 人社局 房管局 ` +
		`城管执法中队 居委会 物业公司 随申办 一网通办 出入境接待大厅 税务所 医保中心 公积金中心`)
	benchHow = []string{"需要哪些材料", "多久能办好", "在哪里办", "可以网上办吗", "要收费吗", "找哪个部门", "怎么办", "流程是什么",
		"被拒了怎么办", "办不成找谁", "有什么条件", "能否代办"}
	benchPlaces = []routing.RegionCode{"31", "310113", "310115", "310104", "310113003", "310113001", "310115004"}
)

func benchEntry(r *rand.Rand, i int) knowledge.Entry {
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	subj, verb := pick(benchSubjects), pick(benchVerbs)
	q := subj + verb + pick(benchHow) + "？"
	if r.IntN(3) == 0 {
		q = pick(benchSubjects) + "和" + q
	}
	var a string
	switch r.IntN(5) {
	case 0:
		a = fmt.Sprintf("%s%s可到%s办理，材料齐全的当场受理；也可通过%s在线%s。", subj, verb, pick(benchWhere), pick(benchWhere), pick(benchVerbs))
	case 1:
		a = fmt.Sprintf("请携带%s原件前往%s，窗口核验后%s个工作日内%s完毕，进度可在%s查询。", pick(benchSubjects), pick(benchWhere), fmt.Sprint(1+r.IntN(15)), verb, pick(benchWhere))
	case 2:
		a = fmt.Sprintf("%s不属于%s职责，应向%s反映；如对%s结果有异议，可申请复查。", subj, pick(benchWhere), pick(benchWhere), verb)
	case 3:
		a = fmt.Sprintf("根据规定，%s需先%s%s，再到%s%s，全程不收费。", subj, pick(benchVerbs), pick(benchSubjects), pick(benchWhere), verb)
	default:
		a = fmt.Sprintf("%s期间如遇%s问题，可拨打12345或在%s留言，由%s负责答复。", verb, subj, pick(benchWhere), pick(benchWhere))
	}
	e := knowledge.Entry{ID: fmt.Sprintf("bench-%06d", i), Question: q, Answer: a, Keeper: "unit-a",
		Source: knowledge.Source{Document: "上海市" + subj + "管理办法", Article: fmt.Sprintf("第%d条", 1+r.IntN(40))}}
	if r.IntN(4) != 0 {
		m := fmt.Sprintf("%02d", 1+r.IntN(20))
		if r.IntN(2) == 0 {
			m += fmt.Sprintf("%02d", 1+r.IntN(9))
		}
		e.Matters = []routing.MatterCode{routing.MatterCode(m)}
	}
	if r.IntN(3) == 0 {
		e.Places = []routing.RegionCode{benchPlaces[r.IntN(len(benchPlaces))]}
	}
	return e
}

// benchQueries are what operators type: entries' questions reworded, a few with a matter or a place.
func benchQueries(r *rand.Rand, n int) []knowledge.Query {
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	out := make([]knowledge.Query, n)
	for i := range out {
		q := knowledge.Query{Text: "市民来电：" + pick(benchSubjects) + pick(benchVerbs) + pick(benchHow), Limit: 5}
		switch i % 4 {
		case 1:
			q.Matter = routing.MatterCode(fmt.Sprintf("%02d", 1+r.IntN(20)))
		case 2:
			q.Place = benchPlaces[4+r.IntN(3)]
		}
		out[i] = q
	}
	return out
}

// fillKnowledge imports benchEntries synthetic entries in batches and reports how long it took.
func fillKnowledge(b *testing.B, s *Store) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(15, 2026))
	start := time.Now()
	const batch = 5000
	for i := 0; i < benchEntries; i += batch {
		es := make([]knowledge.Entry, 0, batch)
		for j := i; j < i+batch && j < benchEntries; j++ {
			es = append(es, benchEntry(r, j))
		}
		if _, err := s.ImportKnowledge(ctx, admin, es, at("2026-11-01 09:00")); err != nil {
			b.Fatal(err)
		}
	}
	var blocks []kbBlockRow
	if err := s.db.NewSelect().Model(&blocks).Scan(ctx); err != nil {
		b.Fatal(err)
	}
	postings, size := 0, 0
	for _, bl := range blocks {
		size += len(bl.Data)
		if err := decodeBlock(bl.Blk, bl.Data, func(int64, int16) { postings++ }); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%s: imported %d entries (%d postings in %d blocks, %d bytes) in %s", s.dialect, benchEntries, postings, len(blocks), size,
		time.Since(start).Round(time.Second))
}

// latencies runs op once per iteration, recording each duration, and reports p50 and p99 in ms.
func latencies(b *testing.B, op func(i int) error) {
	var ds []time.Duration
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t0 := time.Now()
		if err := op(i); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
		i++
	}
	slices.Sort(ds)
	at := func(p float64) float64 {
		return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkKnowledgeSearch measures the latency of a search over 100,000 knowledge entries (intake
// suggestions: 5 hits for a sentence an operator typed, a quarter with a matter, a quarter with a
// place), p50 and p99, on each database. The baselines, on the same database and data: the primary-key
// read of one entry (a round trip's floor), and a LIKE scan of the entries for the query's rarest
// term (what a search without the index costs).
func BenchmarkKnowledgeSearch(b *testing.B) {
	ctx := context.Background()
	for _, s := range benchDialects(b) {
		seedUnits(b, s)
		fillKnowledge(b, s)
		qs := benchQueries(rand.New(rand.NewPCG(7, 15)), 200)
		now := at("2026-11-30 09:00")
		b.Run(fmt.Sprintf("%s/entries=%d/search", s.dialect, benchEntries), func(b *testing.B) {
			latencies(b, func(i int) error {
				_, err := s.SearchKnowledge(ctx, office, qs[i%len(qs)], now)
				return err
			})
		})
		b.Run(fmt.Sprintf("%s/entries=%d/baseline_pk_read", s.dialect, benchEntries), func(b *testing.B) {
			latencies(b, func(i int) error {
				_, err := s.GetKnowledge(ctx, office, fmt.Sprintf("bench-%06d", (i*7919)%benchEntries))
				return err
			})
		})
		b.Run(fmt.Sprintf("%s/entries=%d/baseline_like_scan", s.dialect, benchEntries), func(b *testing.B) {
			latencies(b, func(i int) error {
				terms := knowledge.Terms(qs[i%len(qs)].Text)
				var rows []kbEntryRow
				return s.db.NewSelect().Model(&rows).Column("id").Where("body LIKE ?", "%"+terms[len(terms)-1]+"%").Limit(5).Scan(ctx)
			})
		})
	}
}
